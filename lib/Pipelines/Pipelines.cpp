//===- Pipelines.cpp - The dwsep pass pipelines -----------------*- C++ -*-===//

#include "dwsep/Pipelines/Pipelines.h"
#include "dwsep/Conversion/Passes.h"
#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::dwsep;

void mlir::dwsep::buildGap8Pipeline(OpPassManager &pm,
                                    const Gap8PipelineOptions &options) {
  // A host build runs the kernels natively: no RISC-V extensions.
  int64_t xpulpv2 = options.target == "host" ? 0 : int64_t(options.xpulpv2);
  if (!options.chip.empty() || options.cores > 0 || xpulpv2 >= 0 ||
      options.l2Size > 0 || options.bytePrice >= 0 ||
      options.rowsOuterMargin >= 0) {
    DwsepSetTargetOptions target;
    target.chip = options.chip;
    target.cores = options.cores;
    target.xpulpv2 = xpulpv2;
    target.l2Size = options.l2Size;
    target.bytePrice = options.bytePrice;
    target.rowsOuterMargin = options.rowsOuterMargin;
    pm.addPass(createDwsepSetTarget(target));
  }
  if (options.from == "tosa")
    pm.addPass(createDwsepFromTosa());
  else if (options.from == "linalg")
    pm.addPass(createDwsepFromLinalg());

  // Canonical forms the passes below expect (a pointwise over one pixel is
  // a linear layer), and nothing else: no folding, no constant CSE (which
  // would merge equal weight constants into one buffer), no region
  // simplification.
  GreedyRewriteConfig canonical;
  canonical.enableFolding(false).enableConstantCSE(false);
  canonical.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
  pm.addNestedPass<func::FuncOp>(
      createCanonicalizerPass(canonical, /*disabledPatterns=*/{},
                              /*enabledPatterns=*/{kPointwiseOnePixelPattern}));

  if (options.fusion != "none" || !options.variant.empty()) {
    DwsepFuseOptions fuse;
    std::string fusion = options.fusion;
    fuse.fusion = fusion == "none" ? "all" : fusion;
    unsigned forced = 0;
    if (!llvm::StringRef(options.variant).getAsInteger(10, forced))
      fuse.variant = forced;
    pm.addNestedPass<func::FuncOp>(createDwsepFuse(fuse));
    DwsepSelectVariantOptions select;
    select.variant = options.variant;
    pm.addPass(createDwsepSelectVariant(select));
  }
  pm.addNestedPass<func::FuncOp>(createDwsepFoldZeroPoints());
  if (options.foldBias)
    pm.addNestedPass<func::FuncOp>(createDwsepFoldBias());
  pm.addNestedPass<func::FuncOp>(createDwsepBoundAccumulators());
  if (options.requantRows)
    pm.addNestedPass<func::FuncOp>(createDwsepRequantRows());

  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));

  pm.addPass(createDwsepPlanMemory());
  DwsepTileOptions tile;
  tile.l1Budget = options.l1Budget;
  tile.doubleBuffer = options.doubleBuffer;
  tile.loopOrder = options.loopOrder;
  tile.keepInputs = options.keepInputs;
  tile.oneInputBuffer = options.oneInputBuffer;
  pm.addPass(createDwsepTile(tile));
  if (options.doubleBuffer)
    pm.addPass(createDwsepPipelineDma());
  pm.addPass(createDwsepCheckMemory());
  if (!options.report.empty()) {
    DwsepReportOptions report;
    report.format = options.reportFormat;
    report.outputFile = options.report;
    pm.addPass(createDwsepReport(report));
  }
  DwsepLowerKernelsOptions kernels;
  kernels.share = options.shareKernels;
  pm.addPass(createDwsepLowerKernels(kernels));
  if (options.layerFunctions)
    pm.addPass(createDwsepOutlineLayers());
  // Function by function: on the context's threads.
  pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createCSEPass());
  DwsepToLLVMOptions llvm;
  llvm.header = options.header;
  llvm.object = options.object;
  llvm.imageSymbol = options.imageSymbol;
  llvm.features = options.features;
  llvm.entrySize = options.entrySize;
  llvm.outline = options.outline;
  llvm.pieces = options.pieces;
  if (options.target == "host") {
    llvm.triple = "x86_64-unknown-linux-gnu";
    llvm.dataLayout = "";
    llvm.features = "";
    llvm.indexBitwidth = 64;
  }
  pm.addPass(createDwsepToLLVM(llvm));
}

void mlir::dwsep::registerPipelines() {
  PassPipelineRegistration<Gap8PipelineOptions>(
      "dwsep-gap8-pipeline",
      "Compile a tensor-level dwsep (or TOSA/linalg) network to the LLVM "
      "dialect for the GAP8 cluster",
      buildGap8Pipeline);
}
