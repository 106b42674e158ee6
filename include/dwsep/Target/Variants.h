//===- Variants.h - Legality and cost of fused kernel variants --*- C++ -*-===//
//
// The one place that decides which fused kernel (#dwsep.variant) may compute
// a given depthwise/pointwise pair, and the helpers that price a layer in a
// layout or variant it is not written in yet. --dwsep-fuse and
// --dwsep-select-variant both ask here; the structural rule that makes a
// variant meaningless whatever the shapes (no DW->PW split by channels)
// stays in VariantAttr::verify, which isLegal() delegates to, so that the
// op verifier and the passes agree.
//
//===----------------------------------------------------------------------===//

#ifndef DWSEP_TARGET_VARIANTS_H
#define DWSEP_TARGET_VARIANTS_H

#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Target/TilePlan.h"

#include <map>
#include <optional>
#include <string>

namespace mlir::dwsep {

/// `p` with input and output in `layout` (an unfused op reads and writes one
/// layout). Sizes are logical, so only the layouts change.
LayerProblem withLayout(LayerProblem p, Layout layout);

/// The problem of a dwsep.relayout of an H x W x C activation.
LayerProblem getRelayoutProblem(int64_t h, int64_t w, int64_t c, Layout from,
                                Layout to);

/// True if `variant` has a kernel that can compute the fused problem `p`
/// (built by getFusedProblem with that variant). Otherwise, if `reason` is
/// given, it says why in a sentence a user can act on. The rules (see
/// docs/cost-model.md, "Variant legality"):
///  * the variant is structurally valid (VariantAttr::verify: a DW->PW
///    kernel cannot be split by channels);
///  * it is one of the seven kernels of VariantAttr::getKnownVariants();
///  * no depthwise window lies entirely in padding (pad < kernel), since a
///    fused kernel produces intermediate rows only for real input rows;
///  * PW->DW row variants slide a window of kh rows over the intermediate
///    and keep kh - stride halo rows: they need stride <= kh.
bool isLegal(VariantAttr variant, const LayerProblem &p,
             std::string *reason = nullptr);

/// The best plan of one layer as the tiler would choose it, reduced to what
/// selection compares.
struct LayerCost {
  /// The plan's objective: modelled cycles plus the target's byte price for
  /// its traffic (TilePlan::objective); the modelled cycles where the price
  /// is 0.
  int64_t cycles = 0;
  /// L2<->L1 bytes (activations both ways plus weights).
  int64_t bytes = 0;
  TileShape tile;
  int64_t l1Bytes = 0;

  LayerCost &operator+=(const LayerCost &o) {
    cycles += o.cycles;
    bytes += o.bytes;
    return *this;
  }
  /// Cycles first, bytes as tie-break.
  bool operator<(const LayerCost &o) const {
    return std::make_pair(cycles, bytes) < std::make_pair(o.cycles, o.bytes);
  }
};

/// searchTile under `l1Budget` reduced to a LayerCost; nullopt if no tile
/// fits.
std::optional<LayerCost> getBestCost(const LayerProblem &p, TargetAttr target,
                                     int64_t l1Budget);

/// getBestCost for one target and L1 budget, each problem searched once.
/// --dwsep-fuse prices every pair, the pairs it overlaps, and again after
/// each rewrite; --dwsep-select-variant prices every op in both layouts and
/// every fused op in each variant and unfused: the same few hundred
/// problems tens of times over on a MobileNet. A pass keeps one for the
/// run (a function's, for a nested pass: not shared across threads).
class CostCache {
public:
  CostCache(TargetAttr target, int64_t l1Budget)
      : target(target), l1Budget(l1Budget) {}
  std::optional<LayerCost> get(const LayerProblem &p);

  /// Learns what a pass will ask for, so that the searches run at once:
  /// until searchRecorded(), get() keeps each problem not searched yet and
  /// answers a placeholder (a zero cost), so that the caller's analysis
  /// takes the path it takes when everything fits and asks for what it
  /// would then. (What it asks for only where a plan does not fit is
  /// searched later, one at a time.)
  void record() { recording = true; }
  /// Searches the recorded problems on the context's threads (a search
  /// reads only the target and its problem) and stops recording.
  void searchRecorded(MLIRContext *ctx);

private:
  TargetAttr target;
  int64_t l1Budget;
  std::map<llvm::SmallVector<int64_t, 40>, std::optional<LayerCost>> costs;
  bool recording = false;
  std::map<llvm::SmallVector<int64_t, 40>, LayerProblem> recorded;
};

} // namespace mlir::dwsep

#endif // DWSEP_TARGET_VARIANTS_H
