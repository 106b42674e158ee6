//===- BoundAccumulators.cpp - Prove accumulator bounds ---------*- C++ -*-===//
//
// Implements --dwsep-bound-accumulators (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"

namespace mlir::dwsep {
#define GEN_PASS_DEF_DWSEPBOUNDACCUMULATORS
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h.inc"
} // namespace mlir::dwsep

using namespace mlir;
using namespace mlir::dwsep;

/// max over the channels c of |bias[c]| + maxInput * sum |w[..c..]| (an
/// absent bias is zero), or 0 when the weights or the bias are not
/// constants or the bound exceeds the i32 range.
static int64_t accumulatorBound(const AccumulatorSource &s) {
  std::optional<SmallVector<int64_t>> reach = getDotProductReach(s);
  DenseIntElementsAttr bias;
  if (!reach || (s.bias && !matchPattern(s.bias, m_Constant(&bias))))
    return 0;
  int64_t channels = reach->size();
  if (bias && bias.getNumElements() != channels)
    return 0;
  SmallVector<int64_t> b(channels, 0);
  if (bias)
    for (auto [c, v] : llvm::enumerate(bias.getValues<APInt>()))
      b[c] = v.getSExtValue();
  int64_t bound = 0;
  // At most 2^31 + 2^23 * 2^8 * 2^8: no overflow in int64.
  for (int64_t c = 0; c < channels; ++c)
    bound = std::max(bound, std::abs(b[c]) + (*reach)[c]);
  return bound <= INT32_MAX ? bound : 0;
}

namespace {
struct BoundAccumulatorsPass
    : public mlir::dwsep::impl::DwsepBoundAccumulatorsBase<
          BoundAccumulatorsPass> {
  void runOnOperation() override {
    getOperation().walk([&](AccumulatorBoundOpInterface op) {
      for (auto [index, source] : llvm::enumerate(op.getAccumulatorSources())) {
        int64_t bound = accumulatorBound(source);
        if (bound > 0 && (source.requant.getAccBound() == 0 ||
                          bound < source.requant.getAccBound()))
          op.setAccumulatorBound(index, bound);
      }
    });
  }
};
} // namespace
