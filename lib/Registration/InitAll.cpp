//===- InitAll.cpp - Register every dwsep dialect and pass ------*- C++ -*-===//

#include "dwsep/InitAll.h"
#include "dwsep/Conversion/Passes.h"
#include "dwsep/Dialect/Dwsep/IR/DwsepDialect.h"
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h"
#include "dwsep/Pipelines/Pipelines.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

void dwsep::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<mlir::dwsep::DwsepDialect, mlir::arith::ArithDialect,
                  mlir::cf::ControlFlowDialect, mlir::func::FuncDialect,
                  mlir::memref::MemRefDialect, mlir::scf::SCFDialect,
                  mlir::tensor::TensorDialect>();
  // Import sources of --dwsep-from-tosa / --dwsep-from-linalg.
  registry.insert<mlir::linalg::LinalgDialect, mlir::tosa::TosaDialect>();
  // Bufferization of tensor-level networks (one-shot-bufferize).
  registry.insert<mlir::bufferization::BufferizationDialect>();
  mlir::dwsep::registerBufferizableOpInterfaceExternalModels(registry);
  mlir::arith::registerBufferizableOpInterfaceExternalModels(registry);
  mlir::tensor::registerBufferizableOpInterfaceExternalModels(registry);
  mlir::bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
}

void dwsep::registerAllPasses() {
  // Generic cleanups (canonicalize, cse, ...) that dwsep pipelines use.
  mlir::registerTransformsPasses();
  mlir::dwsep::registerDwsepConversionPasses();
  mlir::dwsep::registerDwsepPasses();
  mlir::dwsep::registerPipelines();
  mlir::bufferization::registerBufferizationPasses();
}
