//===- InitAll.cpp - Register every dwsep dialect and pass ------*- C++ -*-===//

#include "dwsep/InitAll.h"
#include "dwsep/Conversion/Passes.h"
#include "dwsep/Dialect/Dwsep/IR/DwsepDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

void dwsep::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<mlir::dwsep::DwsepDialect, mlir::arith::ArithDialect,
                  mlir::func::FuncDialect, mlir::memref::MemRefDialect,
                  mlir::scf::SCFDialect, mlir::tensor::TensorDialect>();
}

void dwsep::registerAllPasses() {
  // Generic cleanups (canonicalize, cse, ...) that dwsep pipelines use.
  mlir::registerTransformsPasses();
  mlir::dwsep::registerDwsepConversionPasses();
}
