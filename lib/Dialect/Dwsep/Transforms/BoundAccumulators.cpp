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
  DenseIntElementsAttr w, bias;
  if (!matchPattern(s.weights, m_Constant(&w)) ||
      (s.bias && !matchPattern(s.bias, m_Constant(&bias))))
    return 0;
  auto wType = cast<ShapedType>(s.weights.getType());
  if (s.channelDim != 0 && s.channelDim + 1 != (unsigned)wType.getRank())
    return 0;
  int64_t channels = wType.getDimSize(s.channelDim);
  if (channels <= 0 || (bias && bias.getNumElements() != channels))
    return 0;
  int64_t perChannel = wType.getNumElements() / channels;
  SmallVector<int64_t> sums(channels, 0);
  int64_t i = 0;
  for (const APInt &v : w.getValues<APInt>()) {
    int64_t c = s.channelDim == 0 ? i / perChannel : i % channels;
    sums[c] += std::abs(v.getSExtValue());
    ++i;
  }
  SmallVector<int64_t> b(channels, 0);
  if (bias)
    for (auto [c, v] : llvm::enumerate(bias.getValues<APInt>()))
      b[c] = v.getSExtValue();
  int64_t bound = 0;
  // At most 2^31 + 2^23 * 2^8 * 2^8: no overflow in int64.
  for (int64_t c = 0; c < channels; ++c)
    bound = std::max(bound, std::abs(b[c]) + sums[c] * s.maxInput);
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
