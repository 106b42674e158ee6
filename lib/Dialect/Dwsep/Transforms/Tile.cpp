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

#include "mlir/Dialect/Arith/Utils/Utils.h"
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
    // Layers of channel groups sit in a loop over the group.
    SmallVector<LayerOp> layers;
    func.walk([&](LayerOp layer) { layers.push_back(layer); });
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

/// The cost model's work behind a plan, for --dwsep-report: the busiest
/// core's MACs and outputs per cost class (CostClass order), then forks,
/// tiles and exposed DMA cycles.
static DenseI64ArrayAttr workAttr(OpBuilder &b, const TilePlan &plan) {
  SmallVector<int64_t> v;
  for (unsigned k = 0; k < kNumCostClasses; ++k)
    v.push_back(int64_t(plan.work.macs[k]));
  for (unsigned k = 0; k < kNumCostClasses; ++k)
    v.push_back(int64_t(plan.work.outs[k]));
  v.append({plan.work.forks, plan.tiles, plan.exposedDmaCycles});
  return b.getDenseI64ArrayAttr(v);
}

LogicalResult TilePass::tileLayer(LayerOp layer, Operation *op, Value l1Arena,
                                  TargetAttr target, int64_t budget) {
  // A channel group's first channel (ChannelSliceOpInterface) is the one
  // operand that is not a buffer.
  auto slice = dyn_cast<ChannelSliceOpInterface>(op);
  Value groupOffset = slice ? slice.getChannelOffset() : Value();
  for (Value v : op->getOperands())
    if (v != groupOffset && getMemoryLevel(v.getType()) != MemoryLevel::l2)
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
    if (dps.isDpsInit(&o) || o.get() == groupOffset)
      continue;
    (o.getOperandNumber() < (unsigned)p.numInputs ? acts : weights)
        .push_back(&o);
  }
  if ((int64_t)weights.size() != (int64_t)p.weights.size())
    return op->emitOpError()
           << "internal error: " << weights.size()
           << " weight operands, cost model expects " << p.weights.size();

  Location loc = op->getLoc();
  OpBuilder b(op);
  int64_t outRank = cast<MemRefType>(init.getType()).getRank();
  Type outElem = cast<MemRefType>(init.getType()).getElementType();
  int64_t numSlices = plan.numChannelTiles;
  SmallVector<RowRun> runs = rowRuns(p, th);

  // The tiles in execution order, as steps: one tile, or a loop over
  // consecutive tiles of one run. The first tile of every channel slice and
  // the last tile of every run are single steps, so that a loop never
  // fetches weights and the fetch issued by a loop's last iteration is always
  // for a tile of the same run.
  struct Step {
    int64_t slice, runIdx, first, count, k0; // k0: global index of `first`
  };
  SmallVector<Step> steps;
  int64_t k = 0;
  for (int64_t ci = 0; ci < numSlices; ++ci)
    for (auto [ri, run] : llvm::enumerate(runs)) {
      // (A lambda capturing a structured binding is C++20.)
      int64_t runIdx = ri, i = 0, n = run.count;
      auto push = [&](int64_t first, int64_t count) {
        if (count <= 0)
          return;
        steps.push_back({ci, runIdx, first, count, k});
        k += count;
      };
      if (ri == 0) {
        push(0, 1);
        i = 1;
      }
      int64_t loopCount = doubleBuffer ? n - i - 1 : n - i;
      if (loopCount > 1) {
        push(i, loopCount);
        i += loopCount;
      }
      for (; i < n; ++i)
        push(i, 1);
    }

  // Every channel slice has the same steps; all but a remainder slice have
  // tc channels. A run of equal slices is one run-time loop: its iteration
  // s runs steps [1, 1 + perSlice) (the rest of slice s and the first step
  // of slice s + 1) for slice `st.slice + s`, so that what an iteration
  // carries to the next (the pending fetch, issued by its last step, and
  // write-back) is alike in every iteration, and the step after the loop
  // (`sliceLoopEnd`) is still a step of an equal slice.
  int64_t perSlice = steps.size() / numSlices, tilesPerSlice = k / numSlices;
  int64_t numEqual = p.outC % tc == 0 ? numSlices : numSlices - 1;
  int64_t sliceLoopCount =
      numEqual * perSlice >= 2 ? (numEqual * perSlice - 2) / perSlice : 0;
  if (sliceLoopCount < 2)
    sliceLoopCount = 0;
  int64_t sliceLoopEnd = sliceLoopCount * perSlice + 1;
  // Inside the slice loop: its induction variable (null elsewhere).
  Value sliceIv;

  // Index arithmetic: a tile is `base + iv` of its step (iv null: static).
  auto cst = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  auto affine = [&](Value iv, int64_t base, int64_t step) -> OpFoldResult {
    if (!iv)
      return b.getIndexAttr(base);
    return arith::AddIOp::create(b, loc, cst(base),
                                 arith::MulIOp::create(b, loc, iv, cst(step)))
        .getResult();
  };
  // The first channel of a step's slice, and its channel count.
  auto channelStart = [&](const Step &st) {
    return affine(sliceIv, st.slice * tc, tc);
  };
  auto channels = [&](const Step &st) {
    return std::min(tc, p.outC - st.slice * tc);
  };
  // The run-time part of the global index of tile `first + iv` of a step.
  auto tileShift = [&](Value iv) -> Value {
    Value shift;
    if (sliceIv)
      shift = arith::MulIOp::create(b, loc, sliceIv, cst(tilesPerSlice));
    if (!iv || !shift)
      return iv ? iv : shift;
    return arith::AddIOp::create(b, loc, iv, shift);
  };
  // The ping-pong buffer of tile (or slice) `k0 + shift`: offset0 for even
  // ones, offset1 for odd ones (the same offset when the plan has a single
  // buffer).
  auto bufferOffset = [&](int64_t off0, int64_t off1, int64_t k0,
                          Value shift) -> Value {
    if (!doubleBuffer)
      return cst(off0);
    return createPingPongOffset(b, loc, off0, off1, k0, shift);
  };
  auto l1Buffer = [&](Value offset, ArrayRef<int64_t> shape, Type elem) {
    auto type =
        MemRefType::get(shape, elem, MemRefLayoutAttrInterface(),
                        MemoryLevelAttr::get(b.getContext(), MemoryLevel::l1));
    return memref::ViewOp::create(b, loc, type, l1Arena, offset, ValueRange{})
        .getResult();
  };

  // The part of weight tensor `w` that a step's channel slice needs: its
  // output channels (the last dimension of depthwise weights, the first
  // otherwise), or all of it for the depthwise half of a DW->PW kernel.
  auto weightSlice = [&](const Step &st, unsigned w,
                         SmallVectorImpl<OpFoldResult> &offsets,
                         SmallVectorImpl<int64_t> &shape) {
    auto type = cast<MemRefType>(weights[w]->get().getType());
    shape.assign(type.getShape().begin(), type.getShape().end());
    offsets.assign(shape.size(), b.getIndexAttr(0));
    if (p.weights[w].fixed != 0)
      return;
    unsigned dim = p.weights[w].channelDim;
    offsets[dim] = channelStart(st);
    shape[dim] = channels(st);
  };
  // The L1 buffer of a slice's weights: weight buffer (slice % 2).
  auto weightBuffer = [&](const Step &st, unsigned w) -> Value {
    SmallVector<OpFoldResult> offsets;
    SmallVector<int64_t> shape;
    weightSlice(st, w, offsets, shape);
    return l1Buffer(
        bufferOffset(plan.weightOffset[0][w], plan.weightOffset[1][w], st.slice,
                     sliceIv),
        shape, cast<MemRefType>(weights[w]->get().getType()).getElementType());
  };
  auto weightSource = [&](const Step &st, unsigned w) -> Value {
    SmallVector<OpFoldResult> offsets;
    SmallVector<int64_t> shape;
    weightSlice(st, w, offsets, shape);
    return createSubview(b, loc, weights[w]->get(), offsets, shape);
  };

  // The input boxes and L1 buffers of tile `first + iv` of step `st`.
  auto inputBuffers = [&](const Step &st, Value iv, bool withSources,
                          SmallVectorImpl<Value> &srcs,
                          SmallVectorImpl<Value> &dsts) {
    const RowRun &run = runs[st.runIdx];
    OpFoldResult inRow = affine(
        iv, run.window.first + st.first * th * p.strideH, th * p.strideH);
    for (auto [j, operand] : llvm::enumerate(acts)) {
      auto type = cast<MemRefType>(operand->get().getType());
      ActivationBox box{inRow,
                        run.window.count,
                        0,
                        p.inW,
                        p.inputChannelsFollowOutput ? channelStart(st)
                                                    : b.getIndexAttr(0),
                        p.inputChannelsFollowOutput ? channels(st) : p.inC};
      SmallVector<OpFoldResult> offsets;
      SmallVector<int64_t> sizes;
      getPhysicalBox(b, box, p.inLayout, type.getRank(), offsets, sizes);
      if (withSources)
        srcs.push_back(createSubview(b, loc, operand->get(), offsets, sizes));
      dsts.push_back(
          l1Buffer(bufferOffset(plan.inputOffset[j][0], plan.inputOffset[j][1],
                                st.k0, tileShift(iv)),
                   sizes, type.getElementType()));
    }
  };

  // Starts the transfers of tile `first + iv` of step `st` (and, for the
  // first tile of a slice, the slice's weights); returns their tokens. A
  // resident input is fetched by the first tile only.
  auto fetch = [&](const Step &st, Value iv) {
    SmallVector<Value> tokens;
    if (st.first == 0 && st.runIdx == 0)
      for (unsigned w = 0; w < weights.size(); ++w)
        tokens.push_back(
            createDma(b, loc, weightSource(st, w), weightBuffer(st, w), true));
    if (plan.residentInput && st.k0 > 0)
      return tokens;
    SmallVector<Value> srcs, dsts;
    inputBuffers(st, iv, /*withSources=*/true, srcs, dsts);
    for (auto [src, dst] : llvm::zip(srcs, dsts))
      tokens.push_back(createDma(b, loc, src, dst));
    return tokens;
  };

  // Computes tile `first + iv` of step `st` in L1 and starts its
  // write-back; returns the write-back token.
  auto computeAndWriteBack = [&](const Step &st, Value iv) -> Value {
    const RowRun &run = runs[st.runIdx];
    IRMapping map;
    SmallVector<Value> srcs, dsts;
    inputBuffers(st, iv, /*withSources=*/false, srcs, dsts);
    for (auto [j, operand] : llvm::enumerate(acts))
      map.map(operand->get(), dsts[j]);
    for (auto [w, operand] : llvm::enumerate(weights))
      map.map(operand->get(), weightBuffer(st, w));
    OpFoldResult outRow = affine(iv, run.firstRow + st.first * th, th);
    ActivationBox outBox{outRow, run.rows,         0,
                         p.outW, channelStart(st), channels(st)};
    SmallVector<OpFoldResult> outOffsets;
    SmallVector<int64_t> outSizes;
    getPhysicalBox(b, outBox, p.outLayout, outRank, outOffsets, outSizes);
    Value l1Out =
        l1Buffer(bufferOffset(plan.outputOffset[0], plan.outputOffset[1], st.k0,
                              tileShift(iv)),
                 outSizes, outElem);
    map.map(init, l1Out);
    // A slice of the output channels keeps the layer's requantizations and
    // reads them at its first channel.
    Value offset;
    if (slice && numSlices > 1) {
      offset = getValueOrCreateConstantIndexOp(b, loc, channelStart(st));
      if (groupOffset)
        offset = arith::AddIOp::create(b, loc, groupOffset, offset);
    }
    Operation *tileOp = b.clone(*op, map);
    if (offset)
      cast<ChannelSliceOpInterface>(tileOp).getChannelOffsetMutable().assign(
          offset);
    if (auto padAttr = tileOp->getAttrOfType<DenseI64ArrayAttr>("pad")) {
      ArrayRef<int64_t> pad = padAttr.asArrayRef();
      tileOp->setAttr("pad",
                      b.getDenseI64ArrayAttr({run.window.padTop, pad[1],
                                              run.window.padBottom, pad[3]}));
    }
    if (isa<FusedOp>(tileOp))
      tileOp->setAttr("dwsep.scratch_offset",
                      b.getI64IntegerAttr(plan.scratchOffset));
    Value dst = createSubview(b, loc, init, outOffsets, outSizes);
    return createDma(b, loc, l1Out, dst);
  };

  // Emits steps [0, sliceLoopEnd - 1) ... in order, the slice loop where
  // there is one: `emitStep(i)` emits step i (of slice `steps[i].slice +
  // sliceIv`); `carried` is what an iteration passes to the next.
  auto emitAll = [&](function_ref<void(int64_t)> emitStep,
                     function_ref<SmallVector<Value>()> carried,
                     function_ref<void(ValueRange)> resume) {
    if (!sliceLoopCount) {
      for (int64_t i = 0, e = steps.size(); i < e; ++i)
        emitStep(i);
      return;
    }
    emitStep(0);
    auto loop = scf::ForOp::create(b, loc, cst(0), cst(sliceLoopCount), cst(1),
                                   carried());
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      sliceIv = loop.getInductionVar();
      resume(loop.getRegionIterArgs());
      for (int64_t i = 1; i <= perSlice; ++i)
        emitStep(i);
      if (!loop.getRegionIterArgs().empty())
        scf::YieldOp::create(b, loc, carried());
      sliceIv = Value();
    }
    resume(loop.getResults());
    for (int64_t i = sliceLoopEnd, e = steps.size(); i < e; ++i)
      emitStep(i);
  };

  if (!doubleBuffer) {
    // One tile at a time: fetch, wait, compute, write back, wait.
    emitAll(
        [&](int64_t i) {
          const Step &st = steps[i];
          OpBuilder::InsertionGuard guard(b);
          Value iv;
          if (st.count > 1) {
            auto loop =
                scf::ForOp::create(b, loc, cst(0), cst(st.count), cst(1));
            b.setInsertionPointToStart(loop.getBody());
            iv = loop.getInductionVar();
          }
          DmaWaitOp::create(b, loc, fetch(st, iv));
          DmaWaitOp::create(b, loc, computeAndWriteBack(st, iv));
        },
        [] { return SmallVector<Value>(); }, [](ValueRange) {});
  } else {
    // Double buffering: the transfers of tile k + 1 are in flight while
    // tile k computes, and the write-back of tile k while tile k + 1
    // computes. Tile k uses the input/output buffers (k % 2), slice s the
    // weight buffers (s % 2); a buffer is refilled only after the compute
    // that read it (inputs, weights) or the write-back wait that drained it
    // (outputs) in program order, so no read-after-write or write-after-read
    // hazard can occur.
    SmallVector<Value> pendingFetch = fetch(steps.front(), Value());
    Value pendingWriteBack;
    auto emitStep = [&](int64_t si) {
      const Step &st = steps[si];
      const Step *next =
          si + 1 < (int64_t)steps.size() ? &steps[si + 1] : nullptr;
      if (st.count == 1) {
        SmallVector<Value> nextFetch;
        if (next)
          nextFetch = fetch(*next, Value());
        DmaWaitOp::create(b, loc, pendingFetch);
        Value wb = computeAndWriteBack(st, Value());
        if (pendingWriteBack)
          DmaWaitOp::create(b, loc, pendingWriteBack);
        pendingWriteBack = wb;
        pendingFetch = nextFetch;
        return;
      }
      // A loop over the tiles of one run; iteration i prefetches tile i + 1
      // of the same run (the run's last tile is a single step after it).
      SmallVector<Value> inits(pendingFetch);
      inits.push_back(pendingWriteBack);
      auto loop =
          scf::ForOp::create(b, loc, cst(0), cst(st.count), cst(1), inits);
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(loop.getBody());
        Value iv = loop.getInductionVar();
        Value nextIv = arith::AddIOp::create(b, loc, iv, cst(1));
        SmallVector<Value> nextFetch = fetch(st, nextIv);
        auto carried = loop.getRegionIterArgs();
        DmaWaitOp::create(b, loc, carried.drop_back());
        Value wb = computeAndWriteBack(st, iv);
        DmaWaitOp::create(b, loc, carried.back());
        nextFetch.push_back(wb);
        scf::YieldOp::create(b, loc, nextFetch);
      }
      pendingFetch.assign(loop.getResults().drop_back().begin(),
                          loop.getResults().drop_back().end());
      pendingWriteBack = loop.getResults().back();
    };
    emitAll(
        emitStep,
        [&] {
          SmallVector<Value> values(pendingFetch);
          values.push_back(pendingWriteBack);
          return values;
        },
        [&](ValueRange values) {
          pendingFetch.assign(values.drop_back().begin(),
                              values.drop_back().end());
          pendingWriteBack = values.back();
        });
    DmaWaitOp::create(b, loc, pendingWriteBack);
  }
  op->erase();

  layer.setTileAttr(b.getDenseI64ArrayAttr({th, tc}));
  layer.setL1BytesAttr(b.getI64IntegerAttr(plan.l1Bytes));
  auto i64 = [&](StringRef name, int64_t v) {
    return b.getNamedAttr(name, b.getI64IntegerAttr(v));
  };
  layer.setPlanAttr(b.getDictionaryAttr(
      {i64("act_l2_l1", plan.actL2ToL1),
       i64("weights_l2_l1", plan.weightsL2ToL1),
       i64("act_l1_l2", plan.actL1ToL2), i64("transfers", plan.transfers),
       i64("compute_cycles", plan.computeCycles),
       i64("dma_cycles", plan.dmaCycles), i64("total_cycles", plan.totalCycles),
       b.getNamedAttr("work", workAttr(b, plan))}));
  return success();
}
