//===- LayerProblem.h - A compute op reduced to logical sizes ---*- C++ -*-===//
//
// What the tiler, the cost model and variant selection know of a compute
// op: its kind, logical sizes, window, weights and layouts. Each op says it
// itself (TileableOpInterface, implemented in LayerProblem.cpp, one method
// per op); lib/Target prices and tiles the problem without looking at IR.
//
//===----------------------------------------------------------------------===//

#ifndef DWSEP_DIALECT_DWSEP_IR_LAYERPROBLEM_H
#define DWSEP_DIALECT_DWSEP_IR_LAYERPROBLEM_H

#include "dwsep/Dialect/Dwsep/IR/DwsepAttrs.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace mlir::dwsep {

enum class KernelKind {
  conv2d,
  depthwise,
  pointwise,
  fused,
  add,
  avgpool,
  linear,
  relayout
};
llvm::StringRef stringifyKernelKind(KernelKind kind);

/// One compute op reduced to logical sizes (rows = H, channels = C).
struct LayerProblem {
  KernelKind kind = KernelKind::pointwise;
  int64_t inH = 1, inW = 1, inC = 1, outH = 1, outW = 1, outC = 1;
  int64_t kh = 1, kw = 1, strideH = 1, strideW = 1;
  int64_t padTop = 0, padLeft = 0, padBottom = 0, padRight = 0;
  /// Activation inputs (2 for add).
  int64_t numInputs = 1;
  /// The input channel slice of a tile is its output channel slice
  /// (depthwise, add, avgpool, relayout); otherwise a tile reads all input
  /// channels (conv2d, pointwise, linear, fused).
  bool inputChannelsFollowOutput = false;
  /// A tile may read a slice of the input channels (features) and add its
  /// sums to int32 accumulators kept in L1 (the op has an accumulate form:
  /// linear): input-feature (K) tiling, for layers whose smallest tile over
  /// every input channel does not fit L1.
  bool splitsInputChannels = false;
  /// The weight and bias tensors, in operand order; a channel tile fetches
  /// each once (one DMA each): `perChannel` bytes per output channel of its
  /// slice plus `fixed` bytes every tile needs whatever its slice (the
  /// depthwise half of a DW->PW kernel).
  struct WeightTensor {
    int64_t perChannel = 0, fixed = 0;
    /// The dimension that runs over the output channels, which a channel
    /// tile slices (2 for [kh, kw, C] depthwise weights; biases, rows and
    /// [O, ...] weights: 0).
    int64_t channelDim = 0;
    /// The op's int32 bias (one word a channel), which a K-tiled plan
    /// fetches into its accumulators.
    bool bias = false;
  };
  llvm::SmallVector<WeightTensor, 4> weights;
  /// Element size of the activations.
  int64_t elemBytes = 1;
  /// Layouts of input and output, and for fused ops the intermediate.
  Layout inLayout = Layout::hwc, outLayout = Layout::hwc,
         midLayout = Layout::hwc;
  /// Fused ops: order, work split and intermediate channels.
  FusionOrder order = FusionOrder::dw_pw;
  SplitKind split = SplitKind::rows;
  int64_t midC = 0;
  /// A fused DW->PW op: the intermediate of a tile (every channel of its
  /// rows) serves every output-channel slice of those rows, so a plan can
  /// keep it across them (TilePlan::midResident, FusedOp's reuse_mid).
  bool intermediateServesAllSlices() const {
    return kind == KernelKind::fused && order == FusionOrder::dw_pw;
  }

  /// Input rows [first, first + count) a tile of output rows [r0, r0 + n)
  /// reads, clipped to the input, and the padding rows it needs above and
  /// below. For a fused PW->DW op these are rows of the op's input, which
  /// the pointwise half maps one to one onto the depthwise half's rows.
  struct RowWindow {
    int64_t first, count, padTop, padBottom;
  };
  RowWindow inputRows(int64_t r0, int64_t n) const;

  /// Every field as one integer sequence: two problems are equal exactly
  /// when their keys are (what a cache of plans is indexed by). A field
  /// added above must be added here.
  llvm::SmallVector<int64_t, 40> key() const;
};

/// The problem of a dwsep compute op (TileableOpInterface); nullopt
/// (without diagnostic) for anything else.
std::optional<LayerProblem> getLayerProblem(Operation *op);

/// The problem of the fused kernel `variant` computing the pair whose
/// depthwise and pointwise halves are `dw` and `pw` (as getLayerProblem
/// returns them for the unfused ops; their layouts are ignored: the
/// variant's are used). The halves must chain in the variant's order.
LayerProblem getFusedProblem(const LayerProblem &dw, const LayerProblem &pw,
                             VariantAttr variant);

} // namespace mlir::dwsep

#endif // DWSEP_DIALECT_DWSEP_IR_LAYERPROBLEM_H
