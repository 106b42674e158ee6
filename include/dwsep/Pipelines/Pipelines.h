//===- Pipelines.h - The dwsep pass pipelines -------------------*- C++ -*-===//
//
// Pipelines are built here, in one place, from the named passes, so that
// dwsep-opt and any other tool's PassManager run the same sequence.
//
//===----------------------------------------------------------------------===//

#ifndef DWSEP_PIPELINES_PIPELINES_H
#define DWSEP_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::dwsep {

struct Gap8PipelineOptions : public PassPipelineOptions<Gap8PipelineOptions> {
  Option<std::string> chip{
      *this, "chip",
      llvm::cl::desc("Target preset (gap8, gap9); default: the module's "
                     "dwsep.target, GAP8 if none"),
      llvm::cl::init("")};
  Option<int64_t> cores{*this, "cores",
                        llvm::cl::desc("Cluster cores (default: the target's)"),
                        llvm::cl::init(0)};
  Option<int64_t> xpulpv2{
      *this, "xpulpv2",
      llvm::cl::desc("1: kernels use GAP8's XpulpV2 instructions, 0: plain "
                     "RV32IMC (for QEMU); default: the target's (gap8: 1)"),
      llvm::cl::init(-1)};
  Option<std::string> from{
      *this, "from", llvm::cl::desc("Input dialect: dwsep, tosa or linalg"),
      llvm::cl::init("dwsep")};
  Option<std::string> fusion{
      *this, "fusion",
      llvm::cl::desc("none (layer by layer), dw-pw, pw-dw, all or auto"),
      llvm::cl::init("auto")};
  Option<std::string> variant{
      *this, "variant",
      llvm::cl::desc(
          "Force a fused variant (1-7) or 'unfused' for every block"),
      llvm::cl::init("")};
  Option<int64_t> l2Size{
      *this, "l2-size",
      llvm::cl::desc("L2 bytes the plan may use (0: the target's). On GAP8 "
                     "the code, the runtime and the harness share L2 with "
                     "the plan: DORY gives its plans 380000 B"),
      llvm::cl::init(0)};
  Option<int64_t> bytePrice{
      *this, "byte-price",
      llvm::cl::desc("Milli-cycles the tile search and variant selection "
                     "charge per byte moved between L2 and L1, on top of the "
                     "modelled cycles (0: latency alone; -1: the target's; "
                     "docs/cost-model.md)"),
      llvm::cl::init(-1)};
  Option<int64_t> l1Budget{
      *this, "l1-budget",
      llvm::cl::desc("L1 bytes for tiles (0: the target's L1 minus stacks)"),
      llvm::cl::init(0)};
  Option<std::string> loopOrder{
      *this, "loop-order",
      llvm::cl::desc("Tile loop order where both apply: auto (the "
                     "default: the objective decides, row tiles outer only "
                     "by rows-outer-margin), channels (output-channel slices "
                     "outer) or rows (row tiles outer)"),
      llvm::cl::init("auto")};
  Option<int64_t> rowsOuterMargin{
      *this, "rows-outer-margin",
      llvm::cl::desc("The percent by which a row-tiles-outer plan must "
                     "beat the best slices-outer plan for the tile search "
                     "(under loop-order=auto) and variant selection to take "
                     "it (0: the objective alone; -1: the target's "
                     "rows_outer_margin, 10 on the presets)"),
      llvm::cl::init(-1)};
  Option<bool> keepInputs{
      *this, "keep-inputs",
      llvm::cl::desc("Keep a resident input in L1 across a layer's channel "
                     "groups (false: every group fetches it)"),
      llvm::cl::init(true)};
  Option<bool> oneInputBuffer{
      *this, "one-input-buffer",
      llvm::cl::desc("Let plans with the row tiles outer keep a row tile's "
                     "input in one L1 buffer (false: always two)"),
      llvm::cl::init(true)};
  Option<bool> doubleBuffer{*this, "double-buffer",
                            llvm::cl::desc("Overlap DMA and compute"),
                            llvm::cl::init(true)};
  Option<std::string> report{
      *this, "report",
      llvm::cl::desc("Write the --dwsep-report of the tiled network here"),
      llvm::cl::init("")};
  Option<std::string> reportFormat{*this, "report-format",
                                   llvm::cl::desc("text or json"),
                                   llvm::cl::init("text")};
  Option<std::string> imageSymbol{
      *this, "image-symbol",
      llvm::cl::desc("The symbol of the L3 image (the header defines "
                     "DWSEP_L3_IMAGE as it): one per network linked into a "
                     "program"),
      llvm::cl::init("dwsep_l3_image")};
  Option<std::string> object{
      *this, "object",
      llvm::cl::desc("Also compile in-process to this object file and check "
                     "the stacks the code needs against the target's"),
      llvm::cl::init("")};
  Option<std::string> header{
      *this, "header",
      llvm::cl::desc("Write the C header of the entry points here"),
      llvm::cl::init("")};
  Option<bool> foldBias{
      *this, "fold-bias",
      llvm::cl::desc("fold constant biases into the requantizations where "
                     "exact (dwsep-fold-bias): no bias transfers"),
      llvm::cl::init(true)};
  Option<bool> requantRows{
      *this, "requant-rows",
      llvm::cl::desc("per-channel requantization values travel with the "
                     "weights, staged to L1 (dwsep-requant-rows); false: "
                     "they stay in the constant table in code memory"),
      llvm::cl::init(true)};
  Option<std::string> shareKernels{
      *this, "share-kernels",
      llvm::cl::desc("depthwise and pointwise kernels that take their HWC "
                     "output's channel count (XpulpV2 pointwise ones their "
                     "input's too) as an operand: none, rows, size, all "
                     "(dwsep-lower-kernels share)"),
      llvm::cl::init("none")};
  Option<bool> entrySize{
      *this, "entry-size",
      llvm::cl::desc("optimise the entry points' control code for size "
                     "(dwsep-to-llvm entry-size)"),
      llvm::cl::init(true)};
  Option<bool> layerFunctions{
      *this, "layer-functions",
      llvm::cl::desc("give each layer's control code a function of its own "
                     "(dwsep-outline-layers)"),
      llvm::cl::init(true)};
  Option<bool> outline{
      *this, "outline",
      llvm::cl::desc("outline repeated sequences of the entry points in the "
                     "object (dwsep-to-llvm outline)"),
      llvm::cl::init(false)};
  Option<unsigned> pieces{
      *this, "pieces",
      llvm::cl::desc("compile the object in this many pieces at once "
                     "(dwsep-to-llvm pieces; 0 = one a context thread)"),
      llvm::cl::init(0)};
  Option<std::string> features{*this, "features",
                               llvm::cl::desc("LLVM target features"),
                               llvm::cl::init("+m,+c")};
  Option<std::string> target{
      *this, "target",
      llvm::cl::desc("Code for the cluster (riscv32, the default) or for the "
                     "host (host: x86_64 Linux, 64-bit index, no features), "
                     "to run the same schedule natively"),
      llvm::cl::init("riscv32")};
};

/// Tensor-level dwsep (or TOSA / linalg) to the LLVM dialect for the
/// cluster: import, fusion and variant selection, bufferization, memory
/// planning, tiling with DMA, static checks, kernel lowering, LLVM.
void buildGap8Pipeline(OpPassManager &pm, const Gap8PipelineOptions &options);

/// Registers `--dwsep-gap8-pipeline`.
void registerPipelines();

} // namespace mlir::dwsep

#endif // DWSEP_PIPELINES_PIPELINES_H
