//===- DwsepDialect.cpp - The dwsep dialect ---------------------*- C++ -*-===//

#include "dwsep/Dialect/Dwsep/IR/DwsepDialect.h"
#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"

using namespace mlir;
using namespace mlir::dwsep;

#include "dwsep/Dialect/Dwsep/IR/DwsepDialect.cpp.inc"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#define GET_TYPEDEF_CLASSES
#include "dwsep/Dialect/Dwsep/IR/DwsepTypes.cpp.inc"

void DwsepDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "dwsep/Dialect/Dwsep/IR/DwsepTypes.cpp.inc"
      >();
}

void DwsepDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dwsep/Dialect/Dwsep/IR/DwsepOps.cpp.inc"
      >();
  registerAttributes();
  registerTypes();
}
