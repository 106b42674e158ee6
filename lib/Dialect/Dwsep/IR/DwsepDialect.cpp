//===- DwsepDialect.cpp - The dwsep dialect ---------------------*- C++ -*-===//

#include "dwsep/Dialect/Dwsep/IR/DwsepDialect.h"
#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"

using namespace mlir;
using namespace mlir::dwsep;

#include "dwsep/Dialect/Dwsep/IR/DwsepDialect.cpp.inc"

void DwsepDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dwsep/Dialect/Dwsep/IR/DwsepOps.cpp.inc"
      >();
  registerAttributes();
}
