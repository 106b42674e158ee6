//===- Tile.cpp - Tile layers for L1 with explicit DMA ----------*- C++ -*-===//
//
// Implements --dwsep-tile (see Passes.td for the contract). The tile shape
// comes from the target library's search (lib/Target/TilePlan.cpp); this
// file only turns a plan into IR.
//
//===----------------------------------------------------------------------===//

#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h"
#include "dwsep/Target/TilePlan.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::dwsep {
#define GEN_PASS_DEF_DWSEPTILE
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h.inc"
} // namespace mlir::dwsep

using namespace mlir;
using namespace mlir::dwsep;

namespace {

/// A logical box of an activation: rows, columns and channels.
struct Box {
  OpFoldResult row;
  int64_t rows;
  int64_t col, cols;
  int64_t chan, chans;
};

/// Offsets and sizes of `box` in the physical dimensions of a `rank`-D
/// activation in `layout` (rank 1: channels only).
void toPhysical(Builder &b, const Box &box, Layout layout, int64_t rank,
                SmallVectorImpl<OpFoldResult> &offsets,
                SmallVectorImpl<int64_t> &sizes) {
  OpFoldResult col = b.getIndexAttr(box.col), chan = b.getIndexAttr(box.chan);
  if (rank == 1) {
    offsets.assign({chan});
    sizes.assign({box.chans});
  } else if (layout == Layout::hwc) {
    offsets.assign({box.row, col, chan});
    sizes.assign({box.rows, box.cols, box.chans});
  } else {
    offsets.assign({chan, box.row, col});
    sizes.assign({box.chans, box.rows, box.cols});
  }
}

/// A contiguous L1 buffer of `shape` at `offset` in the L1 arena.
Value l1View(OpBuilder &b, Location loc, Value arena, int64_t offset,
             ArrayRef<int64_t> shape, Type elem) {
  auto type = MemRefType::get(
      shape, elem, MemRefLayoutAttrInterface(),
      MemoryLevelAttr::get(b.getContext(), MemoryLevel::l1));
  Value shift = arith::ConstantIndexOp::create(b, loc, offset);
  return memref::ViewOp::create(b, loc, type, arena, shift, ValueRange{});
}

Value subview(OpBuilder &b, Location loc, Value source,
              ArrayRef<OpFoldResult> offsets, ArrayRef<int64_t> sizes) {
  SmallVector<OpFoldResult> sz, strides;
  for (int64_t s : sizes) {
    sz.push_back(b.getIndexAttr(s));
    strides.push_back(b.getIndexAttr(1));
  }
  return memref::SubViewOp::create(b, loc, source, offsets, sz, strides);
}

/// The per-channel parameters of `rq` for channels [c0, c0 + n).
RequantAttr sliceRequant(RequantAttr rq, int64_t c0, int64_t n) {
  auto slice = [&](ArrayRef<int32_t> a) {
    return a.size() <= 1 ? a : a.slice(c0, n);
  };
  return RequantAttr::get(rq.getContext(), slice(rq.getMult()),
                          slice(rq.getShift()), slice(rq.getAdd()),
                          rq.getZp(), rq.getClampMin(), rq.getClampMax(),
                          rq.getRounding());
}

/// A run of row tiles with the same shape whose offsets advance by a
/// constant: emitted as one scf.for (or straight-line when it has one tile).
struct RowRun {
  int64_t firstRow, rows, count;
  LayerProblem::RowWindow window; // of the first tile
};

SmallVector<RowRun> rowRuns(const LayerProblem &p, int64_t th) {
  SmallVector<RowRun> runs;
  for (int64_t r0 = 0; r0 < p.outH; r0 += th) {
    int64_t rows = std::min(th, p.outH - r0);
    LayerProblem::RowWindow w = p.inputRows(r0, rows);
    if (!runs.empty()) {
      RowRun &last = runs.back();
      if (last.rows == rows && last.window.count == w.count &&
          last.window.padTop == w.padTop &&
          last.window.padBottom == w.padBottom &&
          w.first == last.window.first + last.count * th * p.strideH) {
        ++last.count;
        continue;
      }
    }
    runs.push_back({r0, rows, 1, w});
  }
  return runs;
}

struct TilePass : public mlir::dwsep::impl::DwsepTileBase<TilePass> {
  using DwsepTileBase::DwsepTileBase;
  void runOnOperation() override;
  LogicalResult tileLayer(LayerOp layer, Operation *op, Value l1Arena,
                          TargetAttr target, int64_t budget);
};

} // namespace

void TilePass::runOnOperation() {
  ModuleOp module = getOperation();
  TargetAttr target = TargetAttr::lookup(module);
  WalkResult result = module.walk([&](func::FuncOp func) {
    SmallVector<LayerOp> layers(func.getOps<LayerOp>());
    if (layers.empty())
      return WalkResult::advance();
    Value l1Arena;
    for (BlockArgument arg : func.getArguments())
      if (getMemoryLevel(arg.getType()) == MemoryLevel::l1)
        l1Arena = arg;
    if (!l1Arena) {
      func.emitError() << "dwsep-tile needs the L1 arena argument that "
                          "--dwsep-plan-memory adds";
      return WalkResult::interrupt();
    }
    int64_t arenaSize = cast<MemRefType>(l1Arena.getType()).getNumElements();
    int64_t budget = l1Budget > 0 ? int64_t(l1Budget) : target.getL1Budget();
    if (budget > arenaSize) {
      func.emitError() << "l1-budget " << budget
                       << " B exceeds the L1 arena of " << arenaSize << " B";
      return WalkResult::interrupt();
    }
    for (LayerOp layer : layers) {
      Operation *compute = nullptr;
      for (Operation &op : layer.getBody().front())
        if (getLayerProblem(&op))
          compute = &op;
      if (!compute || layer.getTile())
        continue;
      if (failed(tileLayer(layer, compute, l1Arena, target, budget)))
        return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (result.wasInterrupted())
    signalPassFailure();
}

LogicalResult TilePass::tileLayer(LayerOp layer, Operation *op, Value l1Arena,
                                  TargetAttr target, int64_t budget) {
  for (Value v : op->getOperands())
    if (getMemoryLevel(v.getType()) != MemoryLevel::l2)
      return op->emitOpError() << "operand of type " << v.getType()
                               << " is not in L2; run --dwsep-plan-memory "
                                  "before --dwsep-tile";
  LayerProblem p = *getLayerProblem(op);
  int64_t smallest = 0;
  std::optional<TilePlan> found = searchTile(p, target, budget, &smallest);
  if (!found)
    return op->emitOpError()
           << "cannot be tiled for L1: the smallest tile (1 row x 1 channel "
              "group) needs "
           << smallest << " B but the L1 budget is " << budget << " B";
  const TilePlan &plan = *found;
  int64_t th = plan.tile.rows, tc = plan.tile.channels;

  auto dps = cast<DestinationStyleOpInterface>(op);
  Value init = dps.getDpsInitOperand(0)->get();
  // Operands: the activations come first, then weights and biases, then
  // the destination (see the ODS of each op).
  SmallVector<OpOperand *> acts, weights;
  for (OpOperand &o : op->getOpOperands()) {
    if (dps.isDpsInit(&o))
      continue;
    (o.getOperandNumber() < (unsigned)p.numInputs ? acts : weights)
        .push_back(&o);
  }
  if ((int64_t)weights.size() != (int64_t)p.weights.size())
    return op->emitOpError() << "internal error: " << weights.size()
                             << " weight operands, cost model expects "
                             << p.weights.size();

  Location loc = op->getLoc();
  OpBuilder b(op);
  int64_t outRank = cast<MemRefType>(init.getType()).getRank();
  Type outElem = cast<MemRefType>(init.getType()).getElementType();

  for (int64_t ci = 0; ci < plan.numChannelTiles; ++ci) {
    int64_t c0 = ci * tc, ch = std::min(tc, p.outC - c0);
    // Weights of this channel slice: fetched once, used by every row tile.
    SmallVector<Value> l1Weights, tokens;
    for (auto [k, operand] : llvm::enumerate(weights)) {
      auto type = cast<MemRefType>(operand->get().getType());
      SmallVector<int64_t> shape(type.getShape());
      SmallVector<OpFoldResult> offsets(shape.size(), b.getIndexAttr(0));
      if (p.weights[k].fixed == 0) {
        // The channel dimension: last for depthwise weights (Kh x Kw x C),
        // first for everything else.
        unsigned dim = (isa<DepthwiseOp>(op) ||
                        (isa<FusedOp>(op) && k == 0))
                           ? shape.size() - 1
                           : 0;
        offsets[dim] = b.getIndexAttr(c0);
        shape[dim] = ch;
      }
      Value src = subview(b, loc, operand->get(), offsets, shape);
      Value dst = l1View(b, loc, l1Arena, plan.weightOffset[0][k], shape,
                         type.getElementType());
      tokens.push_back(createDma(b, loc, src, dst, /*weights=*/true));
      l1Weights.push_back(dst);
    }
    if (!tokens.empty())
      DmaWaitOp::create(b, loc, tokens);

    for (const RowRun &run : rowRuns(p, th)) {
      OpBuilder::InsertionGuard guard(b);
      Value rowIndex, firstIndex;
      if (run.count > 1) {
        Value lb = arith::ConstantIndexOp::create(b, loc, 0);
        Value ub = arith::ConstantIndexOp::create(b, loc, run.count);
        Value one = arith::ConstantIndexOp::create(b, loc, 1);
        auto loop = scf::ForOp::create(b, loc, lb, ub, one);
        b.setInsertionPointToStart(loop.getBody());
        Value iv = loop.getInductionVar();
        auto affine = [&](int64_t base, int64_t step) -> Value {
          Value s = arith::ConstantIndexOp::create(b, loc, step);
          Value o = arith::ConstantIndexOp::create(b, loc, base);
          return arith::AddIOp::create(
              b, loc, o, arith::MulIOp::create(b, loc, iv, s));
        };
        rowIndex = affine(run.firstRow, th);
        firstIndex = affine(run.window.first, th * p.strideH);
      }
      OpFoldResult outRow = rowIndex ? OpFoldResult(rowIndex)
                                     : OpFoldResult(b.getIndexAttr(run.firstRow));
      OpFoldResult inRow = firstIndex
                               ? OpFoldResult(firstIndex)
                               : OpFoldResult(b.getIndexAttr(run.window.first));

      // Inputs: the rows the tile's window reads (halo included).
      IRMapping map;
      SmallVector<Value> inTokens;
      for (auto [j, operand] : llvm::enumerate(acts)) {
        auto type = cast<MemRefType>(operand->get().getType());
        Layout layout = p.inLayout;
        Box box{inRow,
                run.window.count,
                0,
                p.inW,
                p.inputChannelsFollowOutput ? c0 : 0,
                p.inputChannelsFollowOutput ? ch : p.inC};
        SmallVector<OpFoldResult> offsets;
        SmallVector<int64_t> sizes;
        toPhysical(b, box, layout, type.getRank(), offsets, sizes);
        Value src = subview(b, loc, operand->get(), offsets, sizes);
        Value dst = l1View(b, loc, l1Arena, plan.inputOffset[j][0], sizes,
                           type.getElementType());
        inTokens.push_back(createDma(b, loc, src, dst));
        map.map(operand->get(), dst);
      }
      DmaWaitOp::create(b, loc, inTokens);
      for (auto [k, operand] : llvm::enumerate(weights))
        map.map(operand->get(), l1Weights[k]);

      // The output tile, computed by the same op on L1 buffers.
      Box outBox{outRow, run.rows, 0, p.outW, c0, ch};
      SmallVector<OpFoldResult> outOffsets;
      SmallVector<int64_t> outSizes;
      toPhysical(b, outBox, p.outLayout, outRank, outOffsets, outSizes);
      Value l1Out =
          l1View(b, loc, l1Arena, plan.outputOffset[0], outSizes, outElem);
      map.map(init, l1Out);
      Operation *tileOp = b.clone(*op, map);
      if (auto padAttr = tileOp->getAttrOfType<DenseI64ArrayAttr>("pad")) {
        ArrayRef<int64_t> pad = padAttr.asArrayRef();
        tileOp->setAttr("pad",
                        b.getDenseI64ArrayAttr({run.window.padTop, pad[1],
                                                run.window.padBottom, pad[3]}));
      }
      // Per-output-channel requantizations follow the channel slice; the
      // depthwise half of a DW->PW kernel spans all channels.
      for (StringRef name : {"requant", "lhs_requant", "rhs_requant",
                             "pw_requant", "dw_requant"}) {
        auto rq = tileOp->getAttrOfType<RequantAttr>(name);
        if (!rq || (name == "dw_requant" && cast<FusedOp>(tileOp).isDwFirst()))
          continue;
        tileOp->setAttr(name, sliceRequant(rq, c0, ch));
      }
      if (isa<FusedOp>(tileOp))
        tileOp->setAttr("dwsep.scratch_offset",
                        b.getI64IntegerAttr(plan.scratchOffset));

      Value dst = subview(b, loc, init, outOffsets, outSizes);
      Value t = createDma(b, loc, l1Out, dst);
      DmaWaitOp::create(b, loc, t);
    }
  }
  op->erase();

  layer.setTileAttr(b.getDenseI64ArrayAttr({th, tc}));
  layer.setL1BytesAttr(b.getI64IntegerAttr(plan.l1Bytes));
  auto i64 = [&](StringRef name, int64_t v) {
    return b.getNamedAttr(name, b.getI64IntegerAttr(v));
  };
  layer.setPlanAttr(b.getDictionaryAttr(
      {i64("act_l2_l1", plan.actL2ToL1), i64("weights_l2_l1", plan.weightsL2ToL1),
       i64("act_l1_l2", plan.actL1ToL2), i64("transfers", plan.transfers),
       i64("compute_cycles", plan.computeCycles),
       i64("dma_cycles", plan.dmaCycles),
       i64("total_cycles", plan.totalCycles)}));
  return success();
}
