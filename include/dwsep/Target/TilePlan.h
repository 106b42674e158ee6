//===- TilePlan.h - L1 tile search and cost model ---------------*- C++ -*-===//
//
// The target library: what a layer costs on the cluster for a given L1
// tile, and the search for the cheapest tile that fits the L1 budget.
// Everything here works on a LayerProblem (logical sizes of one compute op),
// not on IR, so the tiler, variant selection and the benchmarks share one
// model. docs/cost-model.md documents the formulas and the constants.
//
//===----------------------------------------------------------------------===//

#ifndef DWSEP_TARGET_TILEPLAN_H
#define DWSEP_TARGET_TILEPLAN_H

#include "dwsep/Dialect/Dwsep/IR/DwsepAttrs.h"
#include "dwsep/Dialect/Dwsep/IR/LayerProblem.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace mlir::dwsep {

/// An output tile: `rows` output rows by `channels` output channels, and
/// the order of the tile loops: output-channel slices outer (each slice's
/// weights fetched once and kept across its row tiles, the input fetched
/// again for every slice) or, with `rowsOuter`, row tiles outer (each row
/// tile's input fetched once and kept across the channel slices, whose
/// weights are fetched again for every row tile). With the row tiles
/// outer, `oneInputBuffer` keeps the row tile's input in one L1 buffer
/// instead of two: the next row tile's input is fetched after the row
/// tile's last slice, exposed, and the room of the second buffer goes to
/// taller row tiles (so fewer weight fetches).
struct TileShape {
  int64_t rows = 1, channels = 1;
  bool rowsOuter = false;
  bool oneInputBuffer = false;
};

/// What the cost model charges a layer (or tile) for, before pricing: the
/// busiest core's MACs and outputs per cost class and the work splits
/// (forks). Priced by the target's kernel costs; exported by the report so
/// that bench/calibrate.py can fit those costs to measured cycles.
struct CostWork {
  double macs[kNumCostClasses] = {};
  double outs[kNumCostClasses] = {};
  int64_t forks = 0;
  double cycles(TargetAttr target) const;
  void add(const CostWork &other, int64_t times = 1);
};

/// The L1 arrangement and modelled cost of one tiling of a layer.
struct TilePlan {
  TileShape tile;
  int64_t numRowTiles = 0, numChannelTiles = 0;
  /// L1 offsets of the double buffers (index 0 and 1), weights (one per
  /// weight tensor, double-buffered when there are several channel tiles)
  /// and the fused kernel's scratch; `l1Bytes` is the end of the last.
  int64_t inputOffset[2][2] = {{0, 0}, {0, 0}}; // [input][buffer]
  int64_t outputOffset[2] = {0, 0};
  llvm::SmallVector<int64_t, 4> weightOffset[2];
  int64_t scratchOffset = 0, scratchBytes = 0;
  int64_t l1Bytes = 0;
  /// One row tile whose input every channel tile reads whole (pointwise,
  /// linear, conv2d, fused): the input is fetched once, into one buffer,
  /// and stays in L1 while the channel tiles stream their weights.
  bool residentInput = false;
  /// One row tile whose input every tile reads whole (resident, or the
  /// layer's only tile), fetched once by tile 0 into buffer 0: the bytes
  /// and transfers of that fetch (0 for other plans). A later instance of
  /// the layer that finds the input in L1 already does without them
  /// (--dwsep-tile, `input_kept_from` on dwsep.layer).
  int64_t wholeInputBytes = 0, wholeInputTransfers = 0;
  /// The cycles that fetch adds to totalCycles (exposed: it is the first
  /// tile's), which a run that keeps the input does without.
  int64_t wholeInputCycles = 0;
  /// Row tiles outer (TileShape::rowsOuter), where it applies: several row
  /// tiles and channel slices of a layer that reads every input channel.
  bool rowsOuter = false;
  /// Row tiles outer with the input in one buffer (TileShape).
  bool oneInputBuffer = false;
  /// A fused DW->PW op whose tiles of one row tile follow each other
  /// (row tiles outer, or one row tile): the depthwise half runs for the
  /// row tile's first slice only, the later slices reuse the intermediate
  /// in the scratch (FusedOp's reuse_mid).
  bool midResident = false;
  /// Input-feature (K) tiling (LayerProblem::splitsInputChannels), for a
  /// layer whose smallest tile over every input channel does not fit: each
  /// tile reads `inputChannels` input channels (0: all of them, no K
  /// tiling) of `numInputTiles` slices. The K slices are the outer loop and
  /// the channel slices the inner one: tile t is K slice t / S, channel
  /// slice t % S. Every output channel's int32 accumulator stays in L1 at
  /// `accOffset` (the bias is fetched into them first); the tiles of the
  /// last K slice requantize them. Requantization rows (weight tensor 2, if
  /// staged) are fetched for the last K slice only.
  int64_t inputChannels = 0, numInputTiles = 1, accOffset = 0;
  /// Predicted traffic (bytes) and DMA transfers.
  int64_t actL2ToL1 = 0, weightsL2ToL1 = 0, actL1ToL2 = 0;
  int64_t transfers = 0;
  /// Modelled cycles: compute (all tiles), DMA (all transfers) and total
  /// with double buffering overlapping DMA and compute.
  int64_t computeCycles = 0, dmaCycles = 0, totalCycles = 0;
  /// The work behind computeCycles, the number of tiles (each charged the
  /// target's tile_cycles) and the DMA cycles compute does not hide.
  CostWork work;
  int64_t tiles = 0, exposedDmaCycles = 0;

  /// L2<->L1 bytes: activations both ways plus weights.
  int64_t bytes() const { return actL2ToL1 + weightsL2ToL1 + actL1ToL2; }
  /// What the search minimises: the modelled cycles plus the target's
  /// byte_price (milli-cycles) for every byte moved between L2 and L1.
  int64_t objective(TargetAttr target) const;
  /// The objective of `runs` runs of the plan, of which `keptRuns` find the
  /// whole input in L1 (and do without its bytes, transfers and the cycles
  /// its fetch exposes).
  int64_t objective(TargetAttr target, int64_t runs, int64_t keptRuns) const;
};

/// Whether the pointwise kernel deals a tile of `rows` x `cols` pixels and
/// `channels` output channels to the cores by blocks of 4 output channels
/// instead of by rows: when the tile has fewer rows than cores and the
/// busiest core gets less work so (a 4-row tile dealt by rows keeps 4 of
/// 8 cores idle). --dwsep-lower-kernels emits the split and the cost model
/// charges it.
bool pointwiseSplitsChannels(int64_t rows, int64_t cols, int64_t channels,
                             int64_t cores);
/// Whether such a split by channel blocks also deals the pixel pairs (units
/// of one pair x one block): when there are fewer blocks than cores (a 4x4
/// map's 13-channel tiles ran on 3 cores when dealt by blocks alone).
bool pointwiseSplitsPixels(int64_t channels, int64_t cores);

/// Output channels a 1x1-window kernel over one pixel (linear, a pointwise
/// over one pixel) splits its input features over the cores for, at most
/// (the partial sums' buffer on core 0's stack is cores x this many words).
constexpr int64_t kMaxSplitInputChannels = 16;
/// Whether such a kernel (XpulpV2) deals its `features` input features
/// (words of 4) to the cores instead of its `channels` output channels:
/// every core computes every channel's dot product over its slice of the
/// features into a partial sum, and core 0 adds them up after the fork and
/// requantizes. When the tile has few channels (10 classes on 8 cores dealt
/// by channels keep 3 cores idle and the rest on single-channel dot loops)
/// and the features are many enough that each core's slice outweighs the
/// partial sums' reduction. --dwsep-lower-kernels emits the split and the
/// cost model charges it.
bool linearSplitsInputs(int64_t channels, int64_t features, int64_t cores);

/// One phase of a fork's work (KernelEmitter::splitPhaseRangesOverCores):
/// `units` units of `macs` and `outs` each.
struct PhaseWork {
  int64_t units;
  double macs, outs;
};
/// The busiest core's MACs and outputs when the phases are dealt as the
/// lowering deals them: each in contiguous chunks of ceil(units / cores),
/// starting at the core after the last one the earlier phases used. The
/// busiest core is the one with the most MACs (then outputs).
std::pair<double, double> phaseShares(llvm::ArrayRef<PhaseWork> phases,
                                      int64_t cores);
/// The phases of a pointwise tile split by channel blocks
/// (pointwiseSplitsChannels), as WindowKernel.cpp's emitPointwise runs them.
llvm::SmallVector<PhaseWork, 3> pointwisePhases(int64_t rows, int64_t cols,
                                                int64_t channels, int64_t inC,
                                                int64_t cores);

/// Scratch bytes the fused kernel needs for an output tile (the
/// intermediate rows or channels it keeps in L1); 0 for other kernels.
int64_t getScratchBytes(const LayerProblem &p, TileShape tile);

/// Evaluates one tile shape: L1 layout, traffic and modelled cycles.
TilePlan evaluateTile(const LayerProblem &p, TileShape tile, TargetAttr target);

/// Which tile loop orders the search considers where both apply (several
/// row tiles and channel slices of a layer that reads every input channel):
/// either, by the objective; only slices outer; only row tiles outer, and
/// then a shape where they apply whenever one fits the budget (so that
/// tests can run the order on every layer that has it).
enum class LoopOrder { any, channelsOuter, rowsOuter };

/// What a tile search considers and how it weighs plans.
struct SearchOptions {
  /// The loop orders considered (LoopOrder).
  LoopOrder order = LoopOrder::any;
  /// Whether plans with the row tiles outer may keep the row tile's input
  /// in one buffer (TileShape).
  bool oneInputBuffer = true;
  /// How many times the layer runs (a loop over channel groups), of which
  /// `keptRuns` find a whole input (TilePlan::wholeInputBytes) in L1 where
  /// the run before left it (--dwsep-tile's keep-inputs): the plans are
  /// compared by what all the runs cost.
  int64_t runs = 1, keptRuns = 0;
  /// Under LoopOrder::any: a plan that the slices-outer order does not
  /// allow (row tiles outer) is taken only where its objective is more
  /// than this percentage below the best plan that order allows.
  int64_t rowsOuterMarginPercent = 0;
};

/// Evaluates a K-tiled plan (TilePlan::inputChannels) of a layer that
/// splits its input channels: `channels` output and `inputChannels` input
/// channels a tile.
TilePlan evaluateKTile(const LayerProblem &p, int64_t channels,
                       int64_t inputChannels, TargetAttr target);

/// The cheapest tile plan within `l1Budget` bytes, or nullopt if not even
/// the smallest tile fits (then `smallestBytes` is what it would need).
/// K-tiled plans are searched only where no plan over every input channel
/// fits (they move the same bytes in more tiles).
std::optional<TilePlan> searchTile(const LayerProblem &p, TargetAttr target,
                                   int64_t l1Budget,
                                   int64_t *smallestBytes = nullptr,
                                   const SearchOptions &options = {});

/// Byte alignment of every buffer in the L1 and L2 arenas.
constexpr int64_t kBufferAlignment = 4;
inline int64_t alignTo(int64_t v, int64_t a = kBufferAlignment) {
  return (v + a - 1) / a * a;
}

/// Upper bound on channel tiles per layer. The tiles of a layer are one
/// run-time loop (Tile.cpp) whatever their number, so this bounds only the
/// search and the tile loop's trip count.
constexpr int64_t kMaxChannelTiles = 4096;
/// Upper bound on the input-feature (K) slices of a K-tiled plan, which
/// bounds its search.
constexpr int64_t kMaxInputTiles = 1024;

} // namespace mlir::dwsep

#endif // DWSEP_TARGET_TILEPLAN_H
