//===- FoldZeroPoints.cpp - Constant input zero points into biases -*- C++
//-*-===//
//
// Implements --dwsep-fold-zero-points (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"

namespace mlir::dwsep {
#define GEN_PASS_DEF_DWSEPFOLDZEROPOINTS
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h.inc"
} // namespace mlir::dwsep

using namespace mlir;
using namespace mlir::dwsep;

/// The constant `wrap32(bias[o] - zp * sum_i weights[o][i])` for weights
/// [O, I] and bias [O] that are constants, or null.
static Value foldedBias(OpBuilder &b, Location loc, Value weights, Value bias,
                        int32_t zp) {
  DenseIntElementsAttr w, c;
  if (!matchPattern(weights, m_Constant(&w)) ||
      !matchPattern(bias, m_Constant(&c)))
    return Value();
  auto wType = dyn_cast<RankedTensorType>(weights.getType());
  auto bType = dyn_cast<RankedTensorType>(bias.getType());
  if (!wType || !bType || wType.getRank() != 2 || bType.getRank() != 1 ||
      wType.getDimSize(0) != bType.getDimSize(0))
    return Value();
  int64_t outs = wType.getDimSize(0), ins = wType.getDimSize(1);
  SmallVector<uint32_t> sums(outs, 0);
  int64_t i = 0;
  for (const APInt &v : w.getValues<APInt>())
    sums[i++ / ins] += uint32_t(int32_t(v.getSExtValue()));
  SmallVector<APInt> folded;
  folded.reserve(outs);
  int64_t o = 0;
  for (const APInt &v : c.getValues<APInt>()) {
    uint32_t r = uint32_t(v.getSExtValue()) - uint32_t(zp) * sums[o++];
    folded.push_back(APInt(32, r));
  }
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
      OpOperand &bias = op.getFoldableBias();
      OpBuilder b(op);
      Value folded =
          foldedBias(b, op->getLoc(), op.getFoldableWeights(), bias.get(), zp);
      if (!folded)
        return;
      Operation *old = bias.get().getDefiningOp();
      bias.set(folded);
      if (old->use_empty())
        old->erase();
      op.setZeroPointFolded();
    });
  }
};
} // namespace
