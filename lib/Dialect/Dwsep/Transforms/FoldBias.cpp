//===- FoldBias.cpp - Constant biases into the requantizations ------------===//
//
// Implements --dwsep-fold-bias (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h"
#include "dwsep/Kernels/Requant.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"

namespace mlir::dwsep {
#define GEN_PASS_DEF_DWSEPFOLDBIAS
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h.inc"
} // namespace mlir::dwsep

using namespace mlir;
using namespace mlir::dwsep;

namespace {
/// How a kernel requantizes under `rq`, cheapest first: one 32-bit
/// multiply-add (lowWord), the high word of a product plus a word or plus a
/// 64-bit value (highWord), the general 64-bit formula; sign-dependent
/// rounding on the 64-bit value and a zero point applied in 64 bits cost
/// more again (Requant.h).
int64_t requantCost(RequantAttr rq) {
  RequantPlan p = planRequant(rq);
  int64_t cost = p.lowWord ? 0 : p.highWord ? (p.lowZero ? 1 : 2) : 3;
  if (p.sign == RequantPlan::Sign::value)
    cost += 4;
  int64_t zp = p.zpFolded ? 0 : p.zp;
  if (p.rMin + zp < INT32_MIN || p.rMax + zp > INT32_MAX)
    cost += 8;
  return cost;
}

/// `s.requant` with the constant bias of `s` folded into its addend, or
/// null when that is not exact or not as cheap:
///
///   requant(bias + sum) = ((bias + sum) * m + add + round) >> shift
///                       = (sum * m + (add + bias * m) + round) >> shift
///
/// holds for every input when neither accumulator wraps (docs/numerics.md
/// section 3: the accumulator is a wrapping i32), i.e. when the bound
/// maxInput * sum_i |w[c][i]| + |bias[c]| fits an i32 for every channel c,
/// and when every add + bias * m fits the attribute's i32. float32 rounding
/// has no addend. The requantization keeps no acc_bound
/// (--dwsep-bound-accumulators proves one for the sums alone).
RequantAttr foldedRequant(const AccumulatorSource &s) {
  RequantAttr rq = s.requant;
  DenseIntElementsAttr bias;
  std::optional<SmallVector<int64_t>> reach = getDotProductReach(s);
  if (rq.getRounding() == Rounding::float32 || !s.bias || !reach ||
      !matchPattern(s.bias, m_Constant(&bias)))
    return {};
  int64_t channels = reach->size();
  if (bias.getNumElements() != channels || !rq.isCompatibleWith(channels) ||
      (rq.getNumChannels() != 1 && rq.getNumChannels() != channels))
    return {};
  SmallVector<int32_t> add;
  int64_t oldBound = 0, newBound = 0;
  for (auto [c, v] : llvm::enumerate(bias.getValues<APInt>())) {
    int64_t b = v.getSExtValue();
    // At most 2^31 + 2^23 * 2^8 * 2^8: no overflow in int64.
    int64_t r = (*reach)[c];
    if (r + std::abs(b) > INT32_MAX)
      return {};
    oldBound = std::max(oldBound, r + std::abs(b));
    newBound = std::max(newBound, r);
    // (An empty add is zero.)
    int64_t given = rq.getAdd().empty() ? 0 : rq.getAddFor(c);
    int64_t a = given + b * int64_t(rq.getMultFor(c));
    if (a < INT32_MIN || a > INT32_MAX)
      return {};
    add.push_back(int32_t(a));
  }
  // Every channel the same: one value, as the attribute would have it.
  if (llvm::all_equal(add))
    add.resize(1);
  RequantAttr folded = RequantAttr::get(
      rq.getContext(), rq.getMult(), rq.getShift(), add, rq.getZp(),
      rq.getClampMin(), rq.getClampMax(), rq.getRounding(), /*accBound=*/0);
  // Compared as --dwsep-bound-accumulators would bound them.
  if (requantCost(folded.withAccBound(std::max<int64_t>(newBound, 1))) >
      requantCost(rq.withAccBound(std::max<int64_t>(oldBound, 1))))
    return {};
  return folded;
}

struct FoldBiasPass
    : public mlir::dwsep::impl::DwsepFoldBiasBase<FoldBiasPass> {
  void runOnOperation() override {
    getOperation().walk([&](AccumulatorBoundOpInterface op) {
      // A channel slice reads the layer's requantization at an offset.
      if (auto slice = dyn_cast<ChannelSliceOpInterface>(op.getOperation()))
        if (slice.getChannelOffset())
          return;
      for (auto [index, source] : llvm::enumerate(op.getAccumulatorSources())) {
        RequantAttr folded = foldedRequant(source);
        if (!folded)
          continue;
        Operation *old = source.bias.getDefiningOp();
        op.foldBias(index, folded);
        if (old && old->use_empty())
          old->erase();
      }
    });
  }
};
} // namespace
