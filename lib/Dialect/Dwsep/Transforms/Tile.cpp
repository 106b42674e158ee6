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
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Threading.h"

#include <set>

namespace mlir::dwsep {
#define GEN_PASS_DEF_DWSEPTILE
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h.inc"
} // namespace mlir::dwsep

using namespace mlir;
using namespace mlir::dwsep;

namespace {

/// A run of row tiles with the same shape and padding whose offsets advance
/// by a constant: one class of tiles, whose code the tile loop holds once.
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

/// A whole input that a loop over channel groups keeps in L1 across its
/// iterations: the activations it reads, where it lies in L1 and its
/// rows, so that the remainder group after the loop can tell whether it
/// needs the same bytes at the same place.
struct KeptInput {
  SmallVector<Value, 2> sources;
  int64_t offset, rows, width, channels;
  Layout layout;
  bool operator==(const KeptInput &o) const {
    return sources == o.sources && offset == o.offset && rows == o.rows &&
           width == o.width && channels == o.channels && layout == o.layout;
  }
};

/// Whether `v` has the same value in every iteration of `loop`: defined
/// outside it, or computed in it by pure ops from such values. (The same
/// value: the same buffer, not necessarily the same bytes.)
bool isLoopInvariant(Value v, scf::ForOp loop) {
  if (loop.isDefinedOutsideOfLoop(v))
    return true;
  Operation *def = v.getDefiningOp();
  return def && def->getNumRegions() == 0 && isPure(def) &&
         llvm::all_of(def->getOperands(),
                      [&](Value o) { return isLoopInvariant(o, loop); });
}

/// The loop over channel groups whose iterations run `layer` and nothing
/// else that may touch L1 (every other op of its body is pure), with
/// constant bounds, and in which `layer` stages only weights into L2; null
/// if `layer` is not in one. (A loop over bands stages each band's input
/// into the same L2 buffer: the same value, other bytes every iteration.)
scf::ForOp soleLayerLoop(LayerOp layer) {
  auto loop = dyn_cast_or_null<scf::ForOp>(layer->getParentOp());
  if (!loop || !getConstantIntValue(loop.getLowerBound()) ||
      !getConstantIntValue(loop.getUpperBound()) ||
      !getConstantIntValue(loop.getStep()))
    return {};
  for (Operation &o : *loop.getBody())
    if (&o != layer.getOperation() && !isa<scf::YieldOp>(o) &&
        (o.getNumRegions() || !isPure(&o)))
      return {};
  WalkResult staged = layer.walk([](DmaStartOp dma) {
    return dma.getTargetLevel() == MemoryLevel::l2 && !dma.getWeights()
               ? WalkResult::interrupt()
               : WalkResult::advance();
  });
  return staged.wasInterrupted() ? scf::ForOp() : loop;
}

/// The loop over channel groups across whose iterations `layer`, whose
/// compute op `op` reads one activation operand (its first), may keep its
/// whole input in L1: soleLayerLoop, the operand the same buffer in every
/// iteration. Null if none.
scf::ForOp keepingLoop(LayerOp layer, Operation *op) {
  scf::ForOp loop = soleLayerLoop(layer);
  return loop && isLoopInvariant(op->getOperand(0), loop) ? loop : scf::ForOp();
}

/// The loop right before `layer` (pure ops between them aside), or null:
/// where a remainder channel group follows the loop over the others.
scf::ForOp loopBefore(LayerOp layer) {
  Operation *prev = layer->getPrevNode();
  while (prev && prev->getNumRegions() == 0 && isPure(prev))
    prev = prev->getPrevNode();
  return dyn_cast_or_null<scf::ForOp>(prev);
}

/// The iterations of a loop with constant bounds.
int64_t tripCount(scf::ForOp loop) {
  int64_t lb = *getConstantIntValue(loop.getLowerBound());
  int64_t ub = *getConstantIntValue(loop.getUpperBound());
  int64_t step = *getConstantIntValue(loop.getStep());
  return ub > lb ? (ub - lb + step - 1) / step : 0;
}

/// What both tile loop emitters build with: index constants, tokens of no
/// transfer, L1 buffers (views of the arena) and their ping-pong offsets,
/// and waits.
struct TileBuilder {
  OpBuilder &b;
  Location loc;
  Value l1Arena;
  bool doubleBuffer;

  Value cst(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value none() { return DmaNoneOp::create(b, loc).getResult(); }
  /// `n` tokens of no transfer.
  SmallVector<Value> nones(size_t n) {
    SmallVector<Value> tokens;
    for (size_t i = 0; i < n; ++i)
      tokens.push_back(none());
    return tokens;
  }
  /// The ping-pong buffer of tile (or slice) number `n`: offset0 for even
  /// ones, offset1 for odd ones (offset0 without double buffering).
  Value pingPong(int64_t off0, int64_t off1, Value n) {
    if (!doubleBuffer)
      return cst(off0);
    return createPingPongOffset(b, loc, off0, off1, 0, n);
  }
  /// The L1 buffer of `shape` and `elem` at byte `offset` of the arena.
  Value l1Buffer(Value offset, ArrayRef<int64_t> shape, Type elem) {
    auto type =
        MemRefType::get(shape, elem, MemRefLayoutAttrInterface(),
                        MemoryLevelAttr::get(b.getContext(), MemoryLevel::l1));
    return memref::ViewOp::create(b, loc, type, l1Arena, offset, ValueRange{})
        .getResult();
  }
  /// Waits for `tokens`, leaving out those of no transfer.
  void waitFor(ValueRange tokens) {
    SmallVector<Value> real;
    for (Value t : tokens)
      if (!t.getDefiningOp<DmaNoneOp>())
        real.push_back(t);
    if (!real.empty())
      DmaWaitOp::create(b, loc, real);
  }
};

struct TilePass : public mlir::dwsep::impl::DwsepTileBase<TilePass> {
  using DwsepTileBase::DwsepTileBase;
  void runOnOperation() override;
  /// The whole inputs of the channel-group loops tiled so far, by loop.
  DenseMap<Operation *, KeptInput> keptInputs;
  /// Rewrites `layer` after `found`, the plan searched for its compute op
  /// `op` under `budget` (none: no tile fits, the smallest needing
  /// `smallest` bytes).
  LogicalResult tileLayer(LayerOp layer, Operation *op, Value l1Arena,
                          TargetAttr target, int64_t budget,
                          const std::optional<TilePlan> &found,
                          int64_t smallest);
  /// Rewrites `layer` after a plan that tiles the input channels of its
  /// linear op (TilePlan::inputChannels).
  LogicalResult tileInputChannels(LayerOp layer, AccumulateFormOpInterface op,
                                  Value l1Arena, const TilePlan &plan);
};

} // namespace

void TilePass::runOnOperation() {
  ModuleOp module = getOperation();
  if (loopOrder != "auto" && loopOrder != "channels" && loopOrder != "rows") {
    module.emitError() << "dwsep-tile: loop-order '" << loopOrder
                       << "' is not auto, channels or rows";
    return signalPassFailure();
  }
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
    SmallVector<std::pair<LayerOp, Operation *>> todo;
    std::vector<LayerProblem> problems;
    // With keep-inputs, the search weighs a plan by all the runs of its
    // layer: the iterations of a loop over channel groups, all but the
    // first of which find a whole input in L1, and the remainder group
    // right after such a loop (`after`: the loop's layer), which finds it
    // there if the loop's plan has one (searched again below).
    SmallVector<int64_t> runs, keptRuns, after;
    DenseMap<Operation *, int64_t> keepingLayer; // loop -> index in todo
    for (LayerOp layer : layers) {
      Operation *compute = nullptr;
      for (Operation &op : layer.getBody().front())
        if (getLayerProblem(&op))
          compute = &op;
      if (!compute || layer.getTile())
        continue;
      todo.push_back({layer, compute});
      problems.push_back(*getLayerProblem(compute));
      runs.push_back(1);
      keptRuns.push_back(0);
      after.push_back(-1);
      if (!keepInputs || problems.back().numInputs != 1)
        continue;
      if (scf::ForOp loop = keepingLoop(layer, compute)) {
        runs.back() = std::max<int64_t>(tripCount(loop), 1);
        keptRuns.back() = runs.back() - 1;
        keepingLayer[loop] = todo.size() - 1;
      } else if (scf::ForOp loop = loopBefore(layer)) {
        auto it = keepingLayer.find(loop);
        if (it != keepingLayer.end() &&
            todo[it->second].second->getOperand(0) == compute->getOperand(0))
          after.back() = it->second;
      }
    }
    // The layers' plans are searched at once, on the context's threads (a
    // search reads only the target and its problem); the IR is then
    // rewritten layer by layer.
    LoopOrder order = loopOrder == "rows"       ? LoopOrder::rowsOuter
                      : loopOrder == "channels" ? LoopOrder::channelsOuter
                                                : LoopOrder::any;
    std::vector<std::optional<TilePlan>> plans(todo.size());
    SmallVector<int64_t> smallest(todo.size(), 0);
    SearchOptions options;
    options.order = order;
    options.oneInputBuffer = oneInputBuffer;
    options.rowsOuterMarginPercent = target.getCost(kCostRowsOuterMargin);
    parallelFor(&getContext(), 0, todo.size(), [&](size_t i) {
      SearchOptions layerOptions = options;
      layerOptions.runs = runs[i];
      layerOptions.keptRuns = keptRuns[i];
      plans[i] =
          searchTile(problems[i], target, budget, &smallest[i], layerOptions);
    });
    // The remainder after a loop whose plan holds a whole input: one run,
    // which keeps it.
    options.keptRuns = 1;
    for (auto [i, loop] : llvm::enumerate(after))
      if (loop >= 0 && plans[loop] && plans[loop]->wholeInputTransfers > 0)
        plans[i] =
            searchTile(problems[i], target, budget, &smallest[i], options);
    for (auto [i, layer] : llvm::enumerate(todo))
      if (failed(tileLayer(layer.first, layer.second, l1Arena, target, budget,
                           plans[i], smallest[i])))
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  if (result.wasInterrupted())
    signalPassFailure();
}

/// The cost model's work behind a plan, for --dwsep-report: the busiest
/// core's MACs and outputs per cost class (CostClass order), then forks,
/// tiles and exposed DMA cycles.
/// The plan's prediction as the layer's `plan` attribute.
static TilePlanAttr planAttr(MLIRContext *ctx, const TilePlan &plan,
                             bool kept) {
  SmallVector<int64_t> macs, outs;
  for (unsigned k = 0; k < kNumCostClasses; ++k) {
    macs.push_back(int64_t(plan.work.macs[k]));
    outs.push_back(int64_t(plan.work.outs[k]));
  }
  return TilePlanAttr::get(
      ctx, plan.actL2ToL1, plan.weightsL2ToL1, plan.actL1ToL2, plan.transfers,
      plan.computeCycles, plan.dmaCycles, plan.totalCycles, macs, outs,
      plan.work.forks, plan.tiles, plan.exposedDmaCycles,
      kept ? plan.wholeInputBytes : 0, kept ? plan.wholeInputTransfers : 0);
}

LogicalResult TilePass::tileLayer(LayerOp layer, Operation *op, Value l1Arena,
                                  TargetAttr target, int64_t budget,
                                  const std::optional<TilePlan> &found,
                                  int64_t smallest) {
  // A channel group's first channel (ChannelSliceOpInterface) is the one
  // operand that is not a buffer.
  auto slice = dyn_cast<ChannelSliceOpInterface>(op);
  Value groupOffset = slice ? slice.getChannelOffset() : Value();
  for (Value v : op->getOperands())
    if (v != groupOffset && getMemoryLevel(v.getType()) != MemoryLevel::l2)
      return op->emitOpError() << "operand of type " << v.getType()
                               << " is not in L2; run --dwsep-plan-memory "
                                  "before --dwsep-tile";
  // An op over a vector of features (a linear layer, perhaps over a
  // flattened H x W x C map: its LayerProblem has one row) reads them as
  // one vector: its tiles slice the collapsed input.
  auto features = dyn_cast<AccumulateFormOpInterface>(op);
  if (features) {
    OpBuilder b(op);
    if (failed(features.readInputAsVector(b)))
      return failure();
  }
  LayerProblem p = *getLayerProblem(op);
  if (!found) {
    InFlightDiagnostic d =
        op->emitOpError()
        << "cannot be tiled for L1: the smallest tile (1 row x 1 channel "
           "group"
        << (p.splitsInputChannels ? ", or a slice of the input channels "
                                    "with every output channel's "
                                    "int32 accumulator in L1"
                                  : "")
        << ") needs " << smallest << " B but the L1 budget is " << budget
        << " B";
    // A pointwise over one HWC pixel run through the passes by hand, without
    // the canonicalization --dwsep-gap8-pipeline applies first.
    if (p.kind == KernelKind::pointwise && p.outH * p.outW == 1 &&
        p.inLayout == Layout::hwc)
      d.attachNote() << "over a 1 x 1 map its canonical form is dwsep.linear "
                        "(--canonicalize=\"enable-patterns="
                     << kPointwiseOnePixelPattern
                     << "\" before --dwsep-tile), whose input channels "
                        "can be sliced";
    return d;
  }
  const TilePlan &plan = *found;
  if (plan.inputChannels > 0) {
    // (Only ops whose problem splitsInputChannels get such plans: those
    // with an accumulate form, which the tiles below the last K slice are.)
    if (!features)
      return op->emitOpError()
             << "internal error: an input-channel tiling of an op without "
                "an accumulate form";
    return tileInputChannels(layer, features, l1Arena, plan);
  }
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

  // A whole input (one row tile: fetched by the first tile, read by all)
  // stays in L1 after the layer. In a loop over channel groups that runs
  // nothing else, reading the same activations every iteration, the iterations
  // after the first find it there (keepLoop); so does the remainder group right
  // after such a loop, if it needs the same rows at the same place
  // (keepAll).
  scf::ForOp keepLoop;
  bool keepAll = false;
  if (plan.wholeInputTransfers > 0 && keepInputs) {
    KeptInput input{{},
                    plan.inputOffset[0][0],
                    p.inputRows(0, p.outH).count,
                    p.inW,
                    p.inC,
                    p.inLayout};
    for (OpOperand *a : acts)
      input.sources.push_back(a->get());
    if (acts.size() == 1) {
      if (soleLayerLoop(layer)) {
        if (scf::ForOp loop = keepingLoop(layer, op)) {
          keepLoop = loop;
          keptInputs[loop] = input;
        }
      } else {
        scf::ForOp before = loopBefore(layer);
        auto it = before ? keptInputs.find(before) : keptInputs.end();
        keepAll = it != keptInputs.end() && it->second == input &&
                  *getConstantIntValue(before.getLowerBound()) <
                      *getConstantIntValue(before.getUpperBound());
      }
    }
  }

  Location loc = op->getLoc();
  OpBuilder b(op);
  int64_t outRank = cast<MemRefType>(init.getType()).getRank();
  Type outElem = cast<MemRefType>(init.getType()).getElementType();
  int64_t numSlices = plan.numChannelTiles;
  SmallVector<RowRun> runs = rowRuns(p, th);

  // The tiles in execution order: channel slice by channel slice, each
  // slice's row tiles run by run; tile k is slice k / T, row tile k % T.
  // With the row tiles outer (plan.rowsOuter), row tile by row tile, each
  // row tile's slices in order: tile k is row tile k / S, slice k % S.
  // A tile's class (its run, and whether its slice is the remainder slice
  // of fewer channels) fixes its static shapes; everything else (the slice's
  // first channel, the rows, the ping-pong buffers, whether it fetches its
  // slice's weights) is a run-time value of k. So a layer is one run-time
  // loop over its tiles, and the code of each class is emitted once, in a
  // `scf.index_switch` on the class.
  int64_t numRuns = runs.size();
  SmallVector<int64_t> runStart; // a run's first row tile in its slice
  int64_t tilesPerSlice = 0;
  for (const RowRun &run : runs) {
    runStart.push_back(tilesPerSlice);
    tilesPerSlice += run.count;
  }
  int64_t numTiles = numSlices * tilesPerSlice;
  bool shortLast = p.outC % tc != 0; // the last slice has fewer channels
  int64_t lastSlice = numSlices - 1;
  // The class of no tile (the fetch after the last one): the default case.
  int64_t noTile = 2 * numRuns;

  TileBuilder tb{b, loc, l1Arena, doubleBuffer};
  auto cst = [&](int64_t v) { return tb.cst(v); };
  auto nones = [&](size_t n) { return tb.nones(n); };
  // base + v * step, static where v is a constant.
  auto affine = [&](Value v, int64_t base, int64_t step) -> OpFoldResult {
    if (std::optional<int64_t> c = getConstantIntValue(v))
      return b.getIndexAttr(base + *c * step);
    return arith::AddIOp::create(b, loc, cst(base),
                                 arith::MulIOp::create(b, loc, v, cst(step)))
        .getResult();
  };

  // A tile: its class (run, short last slice) and its run-time indices.
  struct Tile {
    int64_t run;
    bool last;
    // Index values (constants for a static tile): the slice, the row tile
    // within its run and within the slice, the tile number.
    Value slice, inRun, row, k;
  };
  bool rowsOuter = plan.rowsOuter;
  auto staticTile = [&](int64_t k) {
    int64_t slice = rowsOuter ? k % numSlices : k / tilesPerSlice;
    int64_t t = rowsOuter ? k / numSlices : k % tilesPerSlice, run = 0;
    while (run + 1 < numRuns && runStart[run + 1] <= t)
      ++run;
    return Tile{run,        shortLast && slice == lastSlice,
                cst(slice), cst(t - runStart[run]),
                cst(t),     cst(k)};
  };

  // The first channel of a tile's slice, and its channel count.
  auto channelStart = [&](const Tile &t) -> OpFoldResult {
    if (t.last)
      return b.getIndexAttr(lastSlice * tc);
    return affine(t.slice, 0, tc);
  };
  auto channels = [&](const Tile &t) {
    return t.last ? p.outC - lastSlice * tc : std::min(tc, p.outC);
  };
  auto pingPong = [&](int64_t off0, int64_t off1, Value n) {
    return tb.pingPong(off0, off1, n);
  };
  auto l1Buffer = [&](Value offset, ArrayRef<int64_t> shape, Type elem) {
    return tb.l1Buffer(offset, shape, elem);
  };

  // The part of weight tensor `w` that a tile's channel slice needs: its
  // output channels (the last dimension of depthwise weights, the first
  // otherwise), or all of it for the depthwise half of a DW->PW kernel.
  auto weightSlice = [&](const Tile &t, unsigned w,
                         SmallVectorImpl<OpFoldResult> &offsets,
                         SmallVectorImpl<int64_t> &shape) {
    auto type = cast<MemRefType>(weights[w]->get().getType());
    shape.assign(type.getShape().begin(), type.getShape().end());
    offsets.assign(shape.size(), b.getIndexAttr(0));
    if (p.weights[w].fixed != 0)
      return;
    unsigned dim = p.weights[w].channelDim;
    offsets[dim] = channelStart(t);
    shape[dim] = channels(t);
  };
  // The L1 buffer of a slice's weights: weight buffer (slice % 2), or
  // (tile % 2) with the row tiles outer, where consecutive tiles may have
  // slices of the same parity (the last and the first).
  auto weightBuffer = [&](const Tile &t, unsigned w) -> Value {
    SmallVector<OpFoldResult> offsets;
    SmallVector<int64_t> shape;
    weightSlice(t, w, offsets, shape);
    return l1Buffer(
        pingPong(plan.weightOffset[0][w], plan.weightOffset[1][w],
                 rowsOuter ? t.k : t.slice),
        shape, cast<MemRefType>(weights[w]->get().getType()).getElementType());
  };
  auto weightSource = [&](const Tile &t, unsigned w) -> Value {
    SmallVector<OpFoldResult> offsets;
    SmallVector<int64_t> shape;
    weightSlice(t, w, offsets, shape);
    return createSubview(b, loc, weights[w]->get(), offsets, shape);
  };

  // The input boxes and L1 buffers of a tile: input buffer (tile % 2), or
  // (row tile % 2) with the row tiles outer.
  auto inputBuffers = [&](const Tile &t, bool withSources,
                          SmallVectorImpl<Value> &srcs,
                          SmallVectorImpl<Value> &dsts) {
    const RowRun &run = runs[t.run];
    OpFoldResult inRow = affine(t.inRun, run.window.first, th * p.strideH);
    for (auto [j, operand] : llvm::enumerate(acts)) {
      auto type = cast<MemRefType>(operand->get().getType());
      ActivationBox box{inRow,
                        run.window.count,
                        0,
                        p.inW,
                        p.inputChannelsFollowOutput ? channelStart(t)
                                                    : b.getIndexAttr(0),
                        p.inputChannelsFollowOutput ? channels(t) : p.inC};
      SmallVector<OpFoldResult> offsets;
      SmallVector<int64_t> sizes;
      getPhysicalBox(b, box, p.inLayout, type.getRank(), offsets, sizes);
      if (withSources)
        srcs.push_back(createSubview(b, loc, operand->get(), offsets, sizes));
      dsts.push_back(
          l1Buffer(pingPong(plan.inputOffset[j][0], plan.inputOffset[j][1],
                            rowsOuter ? t.row : t.k),
                   sizes, type.getElementType()));
    }
  };

  // `then()` if `cond` (a constant or an i1 value), else tokens of no
  // transfer: `n` tokens either way.
  auto startIf = [&](std::optional<bool> known, function_ref<Value()> cond,
                     size_t n, function_ref<SmallVector<Value>()> then) {
    if (known)
      return *known ? then() : nones(n);
    SmallVector<Type> types(n, TokenType::get(b.getContext()));
    auto ifOp = scf::IfOp::create(b, loc, types, cond(), /*else=*/true);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&ifOp.getThenRegion().front());
      scf::YieldOp::create(b, loc, then());
      b.setInsertionPointToStart(&ifOp.getElseRegion().front());
      scf::YieldOp::create(b, loc, nones(n));
    }
    return SmallVector<Value>(ifOp.getResults());
  };

  // Starts the transfers of a tile: its slice's weights when it is the
  // slice's first tile, and its input (a resident input: for tile 0 only).
  // With the row tiles outer, every tile's weights, and the input when it
  // is its row tile's first slice; `part` then may start only the weights
  // or only the input (a row tile's input in one buffer is fetched after
  // the tile before it computed). Returns one token per weight and input
  // operand it may start, the token of no transfer where it starts none, so
  // that every tile yields alike.
  unsigned numTokens = weights.size() + acts.size();
  enum class Part { all, weights, input };
  auto fetch = [&](const Tile &t, Part part = Part::all) {
    SmallVector<Value> tokens;
    // Whether the tile starts a run of tiles on the same weights (slices
    // outer) or input (row tiles outer): known, or an i1 value.
    auto firstOf = [&](Value index) -> std::optional<bool> {
      if (std::optional<int64_t> c = getConstantIntValue(index))
        return *c == 0;
      return std::nullopt;
    };
    auto isZero = [&](Value index) {
      return [&b, &loc, index, &cst]() -> Value {
        return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, index,
                                     cst(0));
      };
    };
    // With the intermediate kept across a row tile's slices, the weights
    // only the first half reads (the depthwise half's, whole in every
    // tile: LayerProblem::WeightTensor::fixed) are fetched for slice 0.
    auto weightTransfers = [&] {
      SmallVector<Value> started;
      for (unsigned w = 0; w < weights.size(); ++w) {
        auto transfer = [&, w] {
          return SmallVector<Value>{
              createDma(b, loc, weightSource(t, w), weightBuffer(t, w), true)};
        };
        if (plan.midResident && p.weights[w].fixed != 0)
          llvm::append_range(
              started, startIf(firstOf(t.slice), isZero(t.slice), 1, transfer));
        else
          llvm::append_range(started, transfer());
      }
      return started;
    };
    auto inputTransfers = [&] {
      SmallVector<Value> srcs, dsts, started;
      inputBuffers(t, /*withSources=*/true, srcs, dsts);
      for (auto [src, dst] : llvm::zip(srcs, dsts))
        started.push_back(createDma(b, loc, src, dst));
      return started;
    };
    if (rowsOuter) {
      if (part != Part::input)
        tokens = weightTransfers();
      if (part != Part::weights)
        llvm::append_range(tokens, startIf(firstOf(t.slice), isZero(t.slice),
                                           acts.size(), inputTransfers));
      return tokens;
    }
    // The slice's first tile: in run 0 at row 0 of the run (under an
    // scf.if where run 0 holds more than that tile).
    std::optional<bool> first = firstOf(t.inRun);
    if (t.run != 0 || weights.empty())
      first = false;
    else if (runs[0].count == 1)
      first = true;
    tokens = startIf(first, isZero(t.inRun), weights.size(), weightTransfers);
    std::optional<bool> withInput = true;
    if (plan.residentInput)
      withInput = firstOf(t.k);
    if (keepAll)
      withInput = false;
    // Kept across the loop: tile 0 of the loop's first iteration fetches.
    auto firstInstance = [&]() -> Value {
      Value first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                          keepLoop.getInductionVar(),
                                          keepLoop.getLowerBound());
      if (std::optional<bool> k0 = firstOf(t.k); k0 && *k0)
        return first;
      return arith::AndIOp::create(b, loc, first, isZero(t.k)());
    };
    if (keepLoop && withInput != false) {
      llvm::append_range(tokens, startIf(std::nullopt, firstInstance,
                                         acts.size(), inputTransfers));
      return tokens;
    }
    llvm::append_range(
        tokens, startIf(withInput, isZero(t.k), acts.size(), inputTransfers));
    return tokens;
  };

  // Computes a tile in L1 and starts its write-back; returns the
  // write-back token.
  auto computeAndWriteBack = [&](const Tile &t) -> Value {
    const RowRun &run = runs[t.run];
    IRMapping map;
    SmallVector<Value> srcs, dsts;
    inputBuffers(t, /*withSources=*/false, srcs, dsts);
    for (auto [j, operand] : llvm::enumerate(acts))
      map.map(operand->get(), dsts[j]);
    for (auto [w, operand] : llvm::enumerate(weights))
      map.map(operand->get(), weightBuffer(t, w));
    OpFoldResult outRow = affine(t.inRun, run.firstRow, th);
    ActivationBox outBox{outRow, run.rows,        0,
                         p.outW, channelStart(t), channels(t)};
    SmallVector<OpFoldResult> outOffsets;
    SmallVector<int64_t> outSizes;
    getPhysicalBox(b, outBox, p.outLayout, outRank, outOffsets, outSizes);
    Value l1Out =
        l1Buffer(pingPong(plan.outputOffset[0], plan.outputOffset[1], t.k),
                 outSizes, outElem);
    map.map(init, l1Out);
    // A slice of the output channels keeps the layer's requantizations and
    // reads them at its first channel.
    Value offset;
    if (slice && numSlices > 1) {
      offset = getValueOrCreateConstantIndexOp(b, loc, channelStart(t));
      if (groupOffset)
        offset = arith::AddIOp::create(b, loc, groupOffset, offset);
    }
    Operation *tileOp = b.clone(*op, map);
    if (offset)
      cast<ChannelSliceOpInterface>(tileOp).getChannelOffsetMutable().assign(
          offset);
    cast<TileableOpInterface>(tileOp).setRowPadding(run.window.padTop,
                                                    run.window.padBottom);
    if (auto fused = dyn_cast<FusedOp>(tileOp)) {
      fused.setScratchOffset(plan.scratchOffset);
      // The intermediate of a row tile stays in the scratch across its
      // slices: the slice 0 tile computes it, the others reuse it.
      if (plan.midResident) {
        std::optional<int64_t> slice = getConstantIntValue(t.slice);
        if (slice) {
          fused.setReuseMid(*slice != 0);
        } else {
          Value first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                              t.slice, cst(0));
          auto ifOp = scf::IfOp::create(b, loc, first, /*withElseRegion=*/true);
          fused->moveBefore(ifOp.thenBlock()->getTerminator());
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(ifOp.elseBlock()->getTerminator());
          cast<FusedOp>(b.clone(*fused)).setReuseMid(true);
        }
      }
    }
    Value dst = createSubview(b, loc, init, outOffsets, outSizes);
    return createDma(b, loc, l1Out, dst);
  };

  // `body` of the tile of slice `sliceIdx`, row tile `t`, number `k`
  // (index values): emitted once per class that occurs, in a switch on the
  // class. Where `noTileIf` (an i1 value, or null) holds there is no tile
  // (before the first, past the last): the default case, which yields
  // `numResults` tokens of no transfer.
  // `knownClass`: the class, computed before (a loop carries the class of
  // the tile it fetched to the iteration that computes it); `classOut`
  // gets the class switched on.
  auto perClass = [&](Value sliceIdx, Value t, Value k, unsigned numResults,
                      Value noTileIf,
                      function_ref<SmallVector<Value>(const Tile &)> body,
                      Value knownClass = Value(), Value *classOut = nullptr) {
    if (std::optional<int64_t> c = getConstantIntValue(k)) {
      if (classOut) // (a static tile's class: not switched on)
        *classOut = cst(noTile);
      if (*c >= 0 && *c < numTiles)
        return body(staticTile(*c));
      return nones(numResults);
    }
    auto ifThen = [&](Value cond, int64_t v, Value otherwise) -> Value {
      return b.createOrFold<arith::SelectOp>(loc, cond, cst(v), otherwise);
    };
    auto cmp = [&](arith::CmpIPredicate pred, Value x, int64_t v) -> Value {
      return b.createOrFold<arith::CmpIOp>(loc, pred, x, cst(v));
    };
    // class = run + numRuns * (slice is the short last one); noTile past
    // the last slice.
    Value cls = knownClass;
    if (!cls) {
      cls = cst(0);
      for (int64_t r = 1; r < numRuns; ++r)
        cls = ifThen(cmp(arith::CmpIPredicate::uge, t, runStart[r]), r, cls);
      if (shortLast)
        cls = b.createOrFold<arith::AddIOp>(
            loc, cls,
            ifThen(cmp(arith::CmpIPredicate::eq, sliceIdx, lastSlice), numRuns,
                   cst(0)));
      if (noTileIf)
        cls = ifThen(noTileIf, noTile, cls);
    }
    if (classOut)
      *classOut = cls;
    SmallVector<Tile> classes;
    for (bool last : {false, true}) {
      if (last ? !shortLast : (shortLast && numSlices == 1))
        continue;
      for (int64_t r = 0; r < numRuns; ++r)
        classes.push_back({r, last, sliceIdx, Value(), t, k});
    }
    SmallVector<int64_t> cases;
    for (const Tile &c : classes)
      cases.push_back(c.run + (c.last ? numRuns : 0));
    SmallVector<Type> types(numResults, TokenType::get(b.getContext()));
    auto sw =
        scf::IndexSwitchOp::create(b, loc, types, cls, cases, cases.size());
    OpBuilder::InsertionGuard guard(b);
    for (auto [i, c] : llvm::enumerate(classes)) {
      b.createBlock(&sw.getCaseRegions()[i]);
      Tile tile = c;
      if (tile.last)
        tile.slice = cst(lastSlice);
      tile.inRun = b.createOrFold<arith::SubIOp>(loc, t, cst(runStart[c.run]));
      scf::YieldOp::create(b, loc, body(tile));
    }
    b.createBlock(&sw.getDefaultRegion());
    scf::YieldOp::create(b, loc, nones(numResults));
    return SmallVector<Value>(sw.getResults());
  };
  auto waitFor = [&](ValueRange tokens) { tb.waitFor(tokens); };
  // The tile numbers run slice by slice, each slice's row tiles in order
  // (or, with the row tiles outer, row tile by row tile, each one's slices
  // in order): (outer, inner) = (slice, row tile) or (row tile, slice).
  int64_t numOuter = rowsOuter ? tilesPerSlice : numSlices;
  int64_t numInner = rowsOuter ? numSlices : tilesPerSlice;
  auto sliceOf = [&](Value outer, Value inner) {
    return rowsOuter ? inner : outer;
  };
  auto rowOf = [&](Value outer, Value inner) {
    return rowsOuter ? outer : inner;
  };
  // `body(j, carried)` for j in [0, n), carrying what it returns: an
  // scf.for, or (n <= 2) the bodies one after the other with j constant.
  using LoopBody = function_ref<SmallVector<Value>(Value, ValueRange)>;
  auto forEach = [&](int64_t n, ValueRange inits,
                     LoopBody body) -> SmallVector<Value> {
    if (n <= 2) {
      SmallVector<Value> carried(inits.begin(), inits.end());
      for (int64_t j = 0; j < n; ++j)
        carried = body(cst(j), carried);
      return carried;
    }
    auto loop = scf::ForOp::create(b, loc, cst(0), cst(n), cst(1), inits);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    scf::YieldOp::create(
        b, loc, body(loop.getInductionVar(), loop.getRegionIterArgs()));
    return SmallVector<Value>(loop.getResults());
  };
  // The (outer, inner) indices of the tile after (outer, inner).
  auto nextTile = [&](Value outer, Value inner) {
    Value i1 = b.createOrFold<arith::AddIOp>(loc, inner, cst(1));
    Value wrap = b.createOrFold<arith::CmpIOp>(loc, arith::CmpIPredicate::eq,
                                               i1, cst(numInner));
    // One op a statement: the order in which a call's arguments are
    // evaluated is unspecified (GCC and clang would build the IR in
    // different orders).
    Value nextInner = b.createOrFold<arith::SelectOp>(loc, wrap, cst(0), i1);
    Value outer1 = b.createOrFold<arith::AddIOp>(loc, outer, cst(1));
    Value nextOuter = b.createOrFold<arith::SelectOp>(loc, wrap, outer1, outer);
    return std::make_pair(nextOuter, nextInner);
  };

  if (!doubleBuffer) {
    // One tile at a time: fetch, wait, compute, write back, wait.
    forEach(numTiles, {cst(0), cst(0)}, [&](Value k, ValueRange at) {
      Value s = sliceOf(at[0], at[1]), t = rowOf(at[0], at[1]);
      perClass(s, t, k, 0, Value(), [&](const Tile &tile) {
        waitFor(fetch(tile));
        waitFor(computeAndWriteBack(tile));
        return SmallVector<Value>();
      });
      auto [outer, inner] = nextTile(at[0], at[1]);
      return SmallVector<Value>{outer, inner};
    });
  } else {
    // Double buffering: the transfers of tile k + 1 are in flight while
    // tile k computes, and the write-back of tile k while tile k + 1
    // computes. Tile k uses the input/output buffers (k % 2), slice s the
    // weight buffers (s % 2); a buffer is refilled only after the compute
    // that read it (inputs, weights) or the write-back wait that drained it
    // (outputs) in program order, so no read-after-write or write-after-read
    // hazard can occur. One loop over j in [0, numTiles]: iteration j
    // starts the transfers of tile j (none past the last) and computes tile
    // j - 1 (none in iteration 0), so that each class's transfers are
    // emitted once (tile 0's are not a copy before the loop). It carries
    // the indices of tiles j and j - 1, tile j - 1's class (computed for
    // its fetch; no tile before the first), the fetch in flight and the
    // write-back in flight. A row tile's input in one buffer
    // (plan.oneInputBuffer) is fetched after the compute of tile j - 1, the
    // last to read the row tile before.
    bool inputAfterCompute = plan.oneInputBuffer;
    SmallVector<Value> inits = {cst(0), cst(0), cst(0), cst(0), cst(noTile)};
    llvm::append_range(inits, nones(numTokens + 1));
    SmallVector<Value> done =
        forEach(numTiles + 1, inits, [&](Value j, ValueRange carried) {
          Value outer = carried[0], inner = carried[1];
          Value prevOuter = carried[2], prevInner = carried[3];
          Value prevClass = carried[4];
          ValueRange inFlight = carried.slice(5, numTokens);
          Value writeBack = carried.back();
          Value pastEnd = b.createOrFold<arith::CmpIOp>(
              loc, arith::CmpIPredicate::uge, outer, cst(numOuter));
          Value fetchClass;
          SmallVector<Value> next = perClass(
              sliceOf(outer, inner), rowOf(outer, inner), j,
              inputAfterCompute ? unsigned(weights.size()) : numTokens, pastEnd,
              [&](const Tile &tile) {
                return fetch(tile,
                             inputAfterCompute ? Part::weights : Part::all);
              },
              Value(), &fetchClass);
          waitFor(inFlight);
          Value k = b.createOrFold<arith::SubIOp>(loc, j, cst(1));
          Value wb = perClass(
                         sliceOf(prevOuter, prevInner),
                         rowOf(prevOuter, prevInner), k, 1, Value(),
                         [&](const Tile &tile) {
                           return SmallVector<Value>{computeAndWriteBack(tile)};
                         },
                         prevClass)
                         .front();
          if (inputAfterCompute)
            llvm::append_range(
                next,
                perClass(
                    sliceOf(outer, inner), rowOf(outer, inner), j, acts.size(),
                    pastEnd,
                    [&](const Tile &tile) { return fetch(tile, Part::input); },
                    fetchClass));
          waitFor(writeBack);
          auto [nextOuter, nextInner] = nextTile(outer, inner);
          SmallVector<Value> yielded = {nextOuter, nextInner, outer, inner,
                                        fetchClass};
          llvm::append_range(yielded, next);
          yielded.push_back(wb);
          return yielded;
        });
    waitFor(done.back());
  }
  op->erase();

  layer.setTileAttr(b.getDenseI64ArrayAttr({th, tc}));
  layer.setRowsOuter(rowsOuter);
  layer.setOneInputBuffer(plan.oneInputBuffer);
  layer.setL1BytesAttr(b.getI64IntegerAttr(plan.l1Bytes));
  bool kept = keepLoop || keepAll;
  if (kept)
    layer.setInputKeptFromAttr(b.getI64IntegerAttr(keepLoop ? 1 : 0));
  layer.setPlanAttr(planAttr(b.getContext(), plan, kept));
  return success();
}

LogicalResult TilePass::tileInputChannels(LayerOp layer,
                                          AccumulateFormOpInterface op,
                                          Value l1Arena, const TilePlan &plan) {
  Location loc = op.getLoc();
  OpBuilder b(op);
  LayerProblem p = *getLayerProblem(op);
  int64_t tc = plan.tile.channels, kt = plan.inputChannels;
  int64_t nC = plan.numChannelTiles, nK = plan.numInputTiles;
  int64_t numTiles = nC * nK;
  int64_t remC = p.outC - (nC - 1) * tc, remK = p.inC - (nK - 1) * kt;
  Value input = op.getInput(), weights = op.getWeights(), bias = op.getBias(),
        rows = op.getRequantRows(), init = op.getInit(),
        groupOffset =
            cast<ChannelSliceOpInterface>(op.getOperation()).getChannelOffset();
  // The weight tensors' L1 buffers in the plan's order (LayerProblem):
  // the matrix, the bias (the accumulators), the staged rows.
  unsigned rowsIndex = bias ? 2 : 1;
  auto i32 = b.getI32Type();

  TileBuilder tb{b, loc, l1Arena, doubleBuffer};
  auto cst = [&](int64_t v) { return tb.cst(v); };
  auto none = [&] { return tb.none(); };
  auto nones = [&](size_t n) { return tb.nones(n); };
  auto l1Buffer = [&](Value offset, ArrayRef<int64_t> shape, Type elem) {
    return tb.l1Buffer(offset, shape, elem);
  };
  auto pingPong = [&](int64_t off0, int64_t off1, Value n) {
    return tb.pingPong(off0, off1, n);
  };
  unsigned numTokens = rows ? 3 : 2; // matrix block, input, rows
  auto mul = [&](Value v, int64_t c) -> Value {
    return b.createOrFold<arith::MulIOp>(loc, v, cst(c));
  };
  auto eq = [&](Value v, int64_t c) -> Value {
    return b.createOrFold<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, v,
                                         cst(c));
  };

  // A tile's class: its K slice's form (0: the first, accumulating without
  // a bias, where the op has none; 1: accumulating; 2: the last K slice,
  // requantizing) and whether its channel slice is the short last one. Its
  // static shapes follow from the class; its indices are run-time values.
  struct Tile {
    int64_t form;
    bool shortC;
    Value k, s, t;
  };
  bool shortC = remC != tc;
  auto formOf = [&](int64_t k) -> int64_t {
    return k == nK - 1 ? 2 : (k == 0 && !bias ? 0 : 1);
  };
  auto inChannels = [&](const Tile &t) { return t.form == 2 ? remK : kt; };
  auto outChannels = [&](const Tile &t) { return t.shortC ? remC : tc; };
  auto sliceSubview = [&](Value source, ArrayRef<OpFoldResult> at,
                          ArrayRef<int64_t> dims, ArrayRef<int64_t> sizes) {
    auto type = cast<MemRefType>(source.getType());
    SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
    SmallVector<int64_t> shape(type.getShape());
    for (auto [d, o, n] : llvm::zip(dims, at, sizes)) {
      offsets[d] = o;
      shape[d] = n;
    }
    return std::make_pair(offsets, shape);
  };
  // The input of K slice k: its channels, in the input's rank.
  auto inputBox = [&](const Tile &t) {
    int64_t last = cast<MemRefType>(input.getType()).getRank() - 1;
    return sliceSubview(input, {OpFoldResult(mul(t.k, kt))}, {last},
                        {inChannels(t)});
  };
  auto weightBox = [&](const Tile &t) {
    return sliceSubview(
        weights, {OpFoldResult(mul(t.s, tc)), OpFoldResult(mul(t.k, kt))},
        {0, 1}, {outChannels(t), inChannels(t)});
  };
  auto rowsBox = [&](const Tile &t) {
    return sliceSubview(rows, {OpFoldResult(mul(t.s, tc))}, {0},
                        {outChannels(t)});
  };
  auto outputBox = [&](const Tile &t) {
    int64_t last = cast<MemRefType>(init.getType()).getRank() - 1;
    return sliceSubview(init, {OpFoldResult(mul(t.s, tc))}, {last},
                        {outChannels(t)});
  };
  auto elemOf = [](Value v) {
    return cast<MemRefType>(v.getType()).getElementType();
  };
  auto inputBuffer = [&](const Tile &t) {
    return l1Buffer(
        pingPong(plan.inputOffset[0][0], plan.inputOffset[0][1], t.k),
        inputBox(t).second, elemOf(input));
  };
  auto weightBuffer = [&](const Tile &t) {
    return l1Buffer(
        pingPong(plan.weightOffset[0][0], plan.weightOffset[1][0], t.t),
        weightBox(t).second, elemOf(weights));
  };
  auto rowsBuffer = [&](const Tile &t) {
    return l1Buffer(pingPong(plan.weightOffset[0][rowsIndex],
                             plan.weightOffset[1][rowsIndex], t.t),
                    rowsBox(t).second, elemOf(rows));
  };
  auto outputBuffer = [&](const Tile &t) {
    return l1Buffer(pingPong(plan.outputOffset[0], plan.outputOffset[1], t.t),
                    outputBox(t).second, elemOf(init));
  };
  // The accumulators of a tile's channel slice.
  auto accumulators = [&](const Tile &t) {
    Value offset = b.createOrFold<arith::AddIOp>(loc, cst(plan.accOffset),
                                                 mul(t.s, 4 * tc));
    return l1Buffer(offset, {outChannels(t)}, i32);
  };

  // Starts tile t's transfers: its block of the matrix, its K slice's input
  // when it is the slice's first tile (s == 0), and in the last K slice its
  // channels' requantization rows. One token each (none where it starts
  // none).
  auto fetch = [&](const Tile &t) {
    SmallVector<Value> tokens;
    auto [wOff, wShape] = weightBox(t);
    tokens.push_back(createDma(b, loc,
                               createSubview(b, loc, weights, wOff, wShape),
                               weightBuffer(t), /*weights=*/true));
    auto startInput = [&] {
      auto [off, shape] = inputBox(t);
      return createDma(b, loc, createSubview(b, loc, input, off, shape),
                       inputBuffer(t));
    };
    if (nC == 1) {
      tokens.push_back(startInput());
    } else {
      auto ifOp =
          scf::IfOp::create(b, loc, TypeRange{TokenType::get(b.getContext())},
                            eq(t.s, 0), /*else=*/true);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&ifOp.getThenRegion().front());
      scf::YieldOp::create(b, loc, startInput());
      b.setInsertionPointToStart(&ifOp.getElseRegion().front());
      scf::YieldOp::create(b, loc, none());
      b.setInsertionPointAfter(ifOp);
      tokens.push_back(ifOp.getResult(0));
    }
    if (rows) {
      if (t.form == 2) {
        auto [off, shape] = rowsBox(t);
        tokens.push_back(createDma(b, loc,
                                   createSubview(b, loc, rows, off, shape),
                                   rowsBuffer(t), /*weights=*/true));
      } else {
        tokens.push_back(none());
      }
    }
    return tokens;
  };
  // Computes tile t: below the last K slice the accumulate form adds its
  // sums to the accumulators (which hold the bias and the slices before);
  // the last K slice requantizes them into the output buffer, whose
  // write-back it starts (its token; none before the last K slice).
  auto compute = [&](const Tile &t) -> Value {
    IRMapping map;
    map.map(input, inputBuffer(t));
    map.map(weights, weightBuffer(t));
    Value acc = accumulators(t);
    Value out = t.form == 2 ? outputBuffer(t) : acc;
    map.map(init, out);
    if (rows && t.form == 2)
      map.map(rows, rowsBuffer(t));
    // The last K slice's requantization at its first channel.
    Value offset;
    if (t.form == 2 && nC > 1) {
      offset = mul(t.s, tc);
      if (groupOffset)
        offset = arith::AddIOp::create(b, loc, groupOffset, offset);
    }
    auto tileOp =
        cast<AccumulateFormOpInterface>(b.clone(*op.getOperation(), map));
    if (t.form != 0)
      tileOp.getBiasMutable().assign(acc);
    if (t.form != 2) {
      tileOp.setAccumulateForm();
      return none();
    }
    if (offset)
      cast<ChannelSliceOpInterface>(tileOp.getOperation())
          .getChannelOffsetMutable()
          .assign(offset);
    auto [off, shape] = outputBox(t);
    return createDma(b, loc, out, createSubview(b, loc, init, off, shape));
  };
  // `body` of tile j (index values k = j / S, s = j % S) in a switch on
  // its class; no tile (the default case: `n` tokens of none) where
  // `noTile` holds.
  auto perClass = [&](Value j, Value noTile, unsigned n,
                      function_ref<SmallVector<Value>(const Tile &)> body) {
    Value k = b.createOrFold<arith::DivUIOp>(loc, j, cst(nC));
    Value s = b.createOrFold<arith::RemUIOp>(loc, j, cst(nC));
    auto select = [&](Value cond, int64_t v, Value otherwise) -> Value {
      return b.createOrFold<arith::SelectOp>(loc, cond, cst(v), otherwise);
    };
    // class = form * 2 + shortC; 6 (the default) for no tile.
    Value form = select(eq(k, nK - 1), 2, cst(1));
    if (!bias)
      form = select(eq(k, 0), 0, form);
    Value cls = mul(form, 2);
    if (shortC)
      cls = b.createOrFold<arith::AddIOp>(loc, cls,
                                          select(eq(s, nC - 1), 1, cst(0)));
    cls = select(noTile, 6, cls);
    // The classes that occur.
    SmallVector<std::pair<int64_t, bool>> classes;
    std::set<std::pair<int64_t, bool>> seen;
    for (int64_t k = 0; k < nK; ++k)
      for (int64_t s = 0; s < nC; ++s)
        if (seen.insert({formOf(k), shortC && s == nC - 1}).second)
          classes.push_back({formOf(k), shortC && s == nC - 1});
    SmallVector<int64_t> cases;
    for (auto [f, c] : classes)
      cases.push_back(2 * f + c);
    SmallVector<Type> types(n, TokenType::get(b.getContext()));
    auto sw =
        scf::IndexSwitchOp::create(b, loc, types, cls, cases, cases.size());
    OpBuilder::InsertionGuard guard(b);
    for (auto [i, c] : llvm::enumerate(classes)) {
      b.createBlock(&sw.getCaseRegions()[i]);
      scf::YieldOp::create(b, loc, body(Tile{c.first, c.second, k, s, j}));
    }
    b.createBlock(&sw.getDefaultRegion());
    scf::YieldOp::create(b, loc, nones(n));
    return SmallVector<Value>(sw.getResults());
  };
  auto waitFor = [&](ValueRange tokens) { tb.waitFor(tokens); };

  // The bias into the accumulators, waited for before tile 0 computes (it
  // rides in the rows token's place of tile -1, which has none).
  SmallVector<Value> inits = nones(numTokens);
  if (bias)
    inits.back() = createDma(
        b, loc, bias, l1Buffer(cst(plan.accOffset), {p.outC}, i32), true);
  inits.push_back(none()); // the write-back in flight
  // Double buffering, one loop over j in [0, numTiles]: iteration j starts
  // tile j's transfers (none past the last), waits for tile j - 1's,
  // computes tile j - 1 (none in iteration 0) and starts its write-back,
  // then waits for tile j - 2's write-back. Tile t uses the matrix, rows
  // and output buffers t % 2, K slice k the input buffer k % 2; each is
  // refilled only after the compute that read it (or the wait that drained
  // it) in program order.
  if (!doubleBuffer) {
    // One tile at a time: fetch, wait, compute, write back, wait.
    waitFor(inits);
    auto loop = scf::ForOp::create(b, loc, cst(0), cst(numTiles), cst(1));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value j = loop.getInductionVar();
    Value never = arith::ConstantIntOp::create(b, loc, 0, 1);
    waitFor(perClass(j, never, numTokens, fetch));
    waitFor(perClass(j, never, 1, [&](const Tile &t) {
      return SmallVector<Value>{compute(t)};
    }));
  } else {
    auto loop =
        scf::ForOp::create(b, loc, cst(0), cst(numTiles + 1), cst(1), inits);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value j = loop.getInductionVar();
    ValueRange carried = loop.getRegionIterArgs();
    SmallVector<Value> next = perClass(j, eq(j, numTiles), numTokens, fetch);
    waitFor(carried.take_front(numTokens));
    Value prev = b.createOrFold<arith::SubIOp>(loc, j, cst(1));
    Value wb = perClass(prev, eq(j, 0), 1, [&](const Tile &t) {
                 return SmallVector<Value>{compute(t)};
               }).front();
    waitFor(carried.back());
    next.push_back(wb);
    scf::YieldOp::create(b, loc, next);
    b.setInsertionPointAfter(loop);
    waitFor(loop.getResults().back());
  }
  op->erase();

  layer.setTileAttr(b.getDenseI64ArrayAttr({1, tc, kt}));
  layer.setL1BytesAttr(b.getI64IntegerAttr(plan.l1Bytes));
  layer.setPlanAttr(planAttr(b.getContext(), plan, /*kept=*/false));
  return success();
}
