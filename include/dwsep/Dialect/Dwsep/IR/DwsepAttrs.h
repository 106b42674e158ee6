//===- DwsepAttrs.h - dwsep attributes --------------------------*- C++ -*-===//

#ifndef DWSEP_DIALECT_DWSEP_IR_DWSEPATTRS_H
#define DWSEP_DIALECT_DWSEP_IR_DWSEPATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"

#include "dwsep/Dialect/Dwsep/IR/DwsepEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dwsep/Dialect/Dwsep/IR/DwsepAttrs.h.inc"

#endif // DWSEP_DIALECT_DWSEP_IR_DWSEPATTRS_H
