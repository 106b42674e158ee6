//===- consumer.cpp - An out-of-tree user of the Dwsep package --*- C++ -*-===//
//
// Registers dwsep into its own registry, parses a module, runs a pass
// pipeline in its own PassManager, prints the result, and evaluates one
// requantization with both the C++ attribute and the C reference.
//
//===----------------------------------------------------------------------===//

#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/InitAll.h"
#include "dwsep_ref.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  if (argc != 2) {
    llvm::errs() << "usage: dwsep-consumer <file.mlir>\n";
    return 2;
  }
  mlir::DialectRegistry registry;
  dwsep::registerAllDialects(registry);
  dwsep::registerAllPasses();
  mlir::MLIRContext context(registry);

  llvm::SourceMgr sourceMgr;
  auto file = llvm::MemoryBuffer::getFile(argv[1]);
  if (!file) {
    llvm::errs() << "cannot read " << argv[1] << "\n";
    return 1;
  }
  sourceMgr.AddNewSourceBuffer(std::move(*file), llvm::SMLoc());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;

  mlir::PassManager pm(&context);
  if (mlir::failed(
          mlir::parsePassPipeline("builtin.module(canonicalize)", pm)) ||
      mlir::failed(pm.run(*module)))
    return 1;
  module->print(llvm::outs());
  llvm::outs() << "\n";

  int ops = 0;
  module->walk([&](mlir::dwsep::PointwiseOp op) {
    ++ops;
    mlir::dwsep::RequantAttr rq = op.getRequant();
    int32_t mult = rq.getMultFor(0), shift = rq.getShiftFor(0);
    dwsep_requant_t ref = {&mult,
                           1,
                           &shift,
                           1,
                           nullptr,
                           0,
                           rq.getZp(),
                           rq.getClampMin(),
                           rq.getClampMax(),
                           (dwsep_rounding_t)rq.getRounding()};
    llvm::outs() << "requant(-1000): attr " << rq.apply(-1000, 0) << " ref "
                 << dwsep_requant_apply(&ref, -1000, 0) << "\n";
  });
  llvm::outs() << "target budget "
               << mlir::dwsep::TargetAttr::lookup(*module).getL1Budget()
               << " B, pointwise ops " << ops << "\n";
  return 0;
}
