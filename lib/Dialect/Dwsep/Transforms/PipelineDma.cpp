//===- PipelineDma.cpp - Prefetch the next layer's weights ------*- C++ -*-===//
//
// Implements --dwsep-pipeline-dma (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"

namespace mlir::dwsep {
#define GEN_PASS_DEF_DWSEPPIPELINEDMA
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h.inc"
} // namespace mlir::dwsep

using namespace mlir;
using namespace mlir::dwsep;

namespace {

using Range = std::pair<int64_t, int64_t>;

/// The arena bytes of a memref of `level` that is a (possibly reshaped or
/// sliced) view of the arena at a constant offset; the whole view is taken
/// for slices, which is conservative.
std::optional<Range> arenaRange(Value v, MemoryLevel level) {
  if (getMemoryLevel(v.getType()) != level)
    return std::nullopt;
  while (Operation *def = v.getDefiningOp()) {
    if (auto view = dyn_cast<memref::ViewOp>(def)) {
      APInt shift;
      if (!matchPattern(view.getByteShift(), m_ConstantInt(&shift)))
        return std::nullopt;
      auto type = view.getType();
      int64_t lo = shift.getSExtValue();
      return Range{lo, lo + type.getNumElements() *
                                type.getElementTypeBitWidth() / 8};
    }
    if (!isa<memref::SubViewOp, memref::CollapseShapeOp, memref::ExpandShapeOp>(
            def))
      return std::nullopt;
    v = def->getOperand(0);
  }
  return std::nullopt;
}

struct PipelineDmaPass
    : public mlir::dwsep::impl::DwsepPipelineDmaBase<PipelineDmaPass> {
  void runOnOperation() override {
    getOperation().walk([&](func::FuncOp func) {
      // Pairs of layers with nothing but pure ops between them: a loop (of
      // channel groups) in between is a barrier. The weights staged for the
      // next layer are live only from the previous compute op on
      // (--dwsep-plan-memory), so a transfer must not be hoisted across one
      // (nor into a loop, where it would be started every iteration).
      LayerOp prev;
      for (Operation &op : func.getBody().front()) {
        if (auto layer = dyn_cast<LayerOp>(op)) {
          if (prev && failed(prefetch(prev, layer)))
            return signalPassFailure();
          prev = layer;
        } else if (op.getNumRegions() || !isPure(&op)) {
          prev = {};
        }
      }
    });
  }

  LogicalResult prefetch(LayerOp prev, LayerOp next) {
    // The L2 bytes the previous layer touches: after tiling only its
    // transfers access L2 (compute is in L1, which --dwsep-check-memory
    // proves). An L2 memref whose range cannot be determined blocks every
    // move.
    SmallVector<Range> busy, writtenL3;
    bool unknown = false;
    prev.walk([&](Operation *op) {
      if (!isa<DmaStartOp>(op) &&
          !isa_and_nonnull<DwsepDialect>(op->getDialect()))
        return;
      if (isa<LayerOp, DmaWaitOp>(op))
        return;
      for (Value v : op->getOperands()) {
        if (getMemoryLevel(v.getType()) != MemoryLevel::l2)
          continue;
        if (std::optional<Range> r = arenaRange(v, MemoryLevel::l2))
          busy.push_back(*r);
        else
          unknown = true;
      }
      // Activations the previous layer writes back to L3 must not be read
      // before it.
      if (auto dma = dyn_cast<DmaStartOp>(op);
          dma && dma.getTargetLevel() == MemoryLevel::l3) {
        if (std::optional<Range> r =
                arenaRange(dma.getTarget(), MemoryLevel::l3))
          writtenL3.push_back(*r);
        else
          unknown = true;
      }
    });
    if (unknown)
      return success();
    // The L3->L2 transfers at the head of the next layer.
    Block &body = next.getBody().front();
    for (Operation &op : llvm::make_early_inc_range(body)) {
      auto dma = dyn_cast<DmaStartOp>(op);
      if (!dma)
        continue;
      if (dma.getSourceLevel() != MemoryLevel::l3)
        break;
      std::optional<Range> r = arenaRange(dma.getTarget(), MemoryLevel::l2);
      std::optional<Range> src = arenaRange(dma.getSource(), MemoryLevel::l3);
      auto overlaps = [](Range x) {
        return
            [x](Range y) { return y.first < x.second && x.first < y.second; };
      };
      if (!r || !src || llvm::any_of(busy, overlaps(*r)) ||
          llvm::any_of(writtenL3, overlaps(*src)))
        continue;
      // Move the transfer and the address computations it needs (pure ops
      // of the layer: constants, views, reshapes) before the previous layer.
      SetVector<Operation *> slice;
      SmallVector<Operation *> worklist = {dma};
      while (!worklist.empty()) {
        Operation *cur = worklist.pop_back_val();
        if (!slice.insert(cur))
          continue;
        for (Value v : cur->getOperands())
          if (Operation *def = v.getDefiningOp())
            if (next->isProperAncestor(def))
              worklist.push_back(def);
      }
      IRMapping map;
      OpBuilder b(prev);
      SmallVector<Operation *> ordered(slice.begin(), slice.end());
      llvm::sort(ordered, [](Operation *a, Operation *c) {
        return a->isBeforeInBlock(c);
      });
      for (Operation *o : ordered) {
        Operation *clone = b.clone(*o, map);
        o->replaceUsesWithIf(clone->getResults(), [&](OpOperand &use) {
          return !slice.contains(use.getOwner());
        });
      }
      dma.erase();
      busy.push_back(*r);
    }
    return success();
  }
};

} // namespace
