//===- FoldZeroPoints.cpp - Constant input zero points into biases -*- C++
//-*-===//
//
// Implements --dwsep-fold-zero-points (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h"
#include "dwsep/Support/DenseInts.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"

namespace mlir::dwsep {
#define GEN_PASS_DEF_DWSEPFOLDZEROPOINTS
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h.inc"
} // namespace mlir::dwsep

using namespace mlir;
using namespace mlir::dwsep;

/// The constant `wrap32(bias[o] - zp * sum_i weights[..o..])` for weights
/// whose dimension `channelDim` is the output channel o and a bias [O] that
/// are constants (an absent bias is zero), or null.
static Value foldedBias(OpBuilder &b, Location loc, Value weights, Value bias,
                        unsigned channelDim, int32_t zp) {
  DenseIntElementsAttr w, c;
  if (!matchPattern(weights, m_Constant(&w)) ||
      (bias && !matchPattern(bias, m_Constant(&c))))
    return Value();
  auto wType = dyn_cast<RankedTensorType>(weights.getType());
  if (!wType || wType.getRank() < 2 || channelDim >= wType.getRank())
    return Value();
  int64_t outs = wType.getDimSize(channelDim);
  auto bType = bias ? dyn_cast<RankedTensorType>(bias.getType())
                    : RankedTensorType::get({outs}, b.getIntegerType(32));
  if (!bType || bType.getRank() != 1 || outs != bType.getDimSize(0))
    return Value();
  // Element i (row-major) is channel (i / inner) % outs, where inner is the
  // product of the dimensions after the channel's.
  int64_t inner = 1;
  for (int64_t d = channelDim + 1; d < wType.getRank(); ++d)
    inner *= wType.getDimSize(d);
  SmallVector<uint32_t> sums(outs, 0);
  int64_t i = 0;
  forEachSExtValue(w,
                   [&](int64_t v) { sums[i++ / inner % outs] += uint32_t(v); });
  SmallVector<uint32_t> given(outs, 0);
  if (c)
    for (auto [o, v] : llvm::enumerate(c.getValues<APInt>()))
      given[o] = uint32_t(v.getSExtValue());
  SmallVector<APInt> folded;
  folded.reserve(outs);
  for (int64_t o = 0; o < outs; ++o)
    folded.push_back(APInt(32, given[o] - uint32_t(zp) * sums[o]));
  return arith::ConstantOp::create(b, loc,
                                   DenseElementsAttr::get(bType, folded));
}

namespace {
struct FoldZeroPointsPass
    : public mlir::dwsep::impl::DwsepFoldZeroPointsBase<FoldZeroPointsPass> {
  void runOnOperation() override {
    getOperation().walk([&](ZeroPointFoldingOpInterface op) {
      int32_t zp = op.getFoldableZeroPoint();
      if (zp == 0)
        return;
      MutableOperandRange bias = op.getFoldableBiasMutable();
      Value given = bias.empty() ? Value() : bias[0].get();
      OpBuilder b(op);
      Value folded = foldedBias(b, op->getLoc(), op.getFoldableWeights(), given,
                                op.getFoldableChannelDim(), zp);
      if (!folded)
        return;
      bias.assign(folded);
      if (Operation *old = given ? given.getDefiningOp() : nullptr)
        if (old->use_empty())
          old->erase();
      op.setZeroPointFolded();
    });
  }
};
} // namespace
