//===- DwsepDialect.h - The dwsep dialect -----------------------*- C++ -*-===//

#ifndef DWSEP_DIALECT_DWSEP_IR_DWSEPDIALECT_H
#define DWSEP_DIALECT_DWSEP_IR_DWSEPDIALECT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/Operation.h"

#include "dwsep/Dialect/Dwsep/IR/DwsepDialect.h.inc"

#endif // DWSEP_DIALECT_DWSEP_IR_DWSEPDIALECT_H
