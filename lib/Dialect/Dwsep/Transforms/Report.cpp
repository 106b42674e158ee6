//===- Report.cpp - Per-layer tiles, memory and DMA traffic -----*- C++ -*-===//
//
// Implements --dwsep-report (see Passes.td). Traffic is counted from the DMA
// ops themselves: loops with constant bounds are walked iteration by
// iteration and the offsets of every output write are evaluated, so the
// report is an independent check of the tiler: the counts must match the
// tile plan, and every output element must be written exactly once.
//
//===----------------------------------------------------------------------===//

#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>

namespace mlir::dwsep {
#define GEN_PASS_DEF_DWSEPREPORT
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h.inc"
} // namespace mlir::dwsep

using namespace mlir;
using namespace mlir::dwsep;

namespace {

/// In the numbering of DmaStartOp::getDirection (the runtime ABI's).
enum Direction { L3toL2, L2toL1, L1toL2, L2toL3, kNumDirections };
constexpr const char *kDirectionNames[] = {"l3_l2", "l2_l1", "l1_l2", "l2_l3"};

struct Traffic {
  int64_t bytes[kNumDirections][2] = {}; // [direction][0 act, 1 weights]
  int64_t transfers[kNumDirections] = {};

  void add(const Traffic &o) {
    for (int d = 0; d < kNumDirections; ++d) {
      for (int k = 0; k < 2; ++k)
        bytes[d][k] += o.bytes[d][k];
      transfers[d] += o.transfers[d];
    }
  }
};

/// Evaluates index arithmetic under an assignment of loop variables.
struct Evaluator {
  DenseMap<Value, int64_t> env;

  std::optional<int64_t> eval(Value v) {
    if (auto it = env.find(v); it != env.end())
      return it->second;
    APInt c;
    if (matchPattern(v, m_ConstantInt(&c)))
      return c.getSExtValue();
    Operation *def = v.getDefiningOp();
    if (auto select = dyn_cast_or_null<arith::SelectOp>(def)) {
      std::optional<int64_t> cond = eval(select.getCondition());
      if (!cond)
        return std::nullopt;
      return eval(*cond ? select.getTrueValue() : select.getFalseValue());
    }
    if (!def || def->getNumOperands() != 2)
      return std::nullopt;
    auto l = eval(def->getOperand(0)), r = eval(def->getOperand(1));
    if (!l || !r)
      return std::nullopt;
    if (isa<arith::AddIOp>(def))
      return *l + *r;
    if (isa<arith::SubIOp>(def))
      return *l - *r;
    if (isa<arith::MulIOp>(def))
      return *l * *r;
    if (isa<arith::AndIOp>(def))
      return *l & *r;
    if (isa<arith::RemUIOp>(def) && *r > 0)
      return *l % *r;
    if (isa<arith::DivUIOp>(def) && *r > 0)
      return *l / *r;
    if (auto cmp = dyn_cast<arith::CmpIOp>(def)) {
      // Index values here are never negative: signed and unsigned agree.
      switch (cmp.getPredicate()) {
      case arith::CmpIPredicate::eq:
        return *l == *r;
      case arith::CmpIPredicate::ne:
        return *l != *r;
      case arith::CmpIPredicate::slt:
      case arith::CmpIPredicate::ult:
        return *l < *r;
      case arith::CmpIPredicate::sle:
      case arith::CmpIPredicate::ule:
        return *l <= *r;
      case arith::CmpIPredicate::sgt:
      case arith::CmpIPredicate::ugt:
        return *l > *r;
      case arith::CmpIPredicate::sge:
      case arith::CmpIPredicate::uge:
        return *l >= *r;
      }
    }
    return std::nullopt;
  }

  std::optional<int64_t> eval(OpFoldResult ofr) {
    if (auto attr = dyn_cast<Attribute>(ofr))
      return cast<IntegerAttr>(attr).getInt();
    return eval(cast<Value>(ofr));
  }
};

/// Write counts of every element of the buffers a layer writes to L2.
struct Coverage {
  llvm::MapVector<Value, std::vector<uint8_t>> written;

  LogicalResult record(DmaStartOp dma, Evaluator &ev) {
    auto sub = dma.getTarget().getDefiningOp<memref::SubViewOp>();
    Value base = sub ? sub.getSource() : dma.getTarget();
    auto baseType = cast<MemRefType>(base.getType());
    auto &counts = written[base];
    counts.resize(baseType.getNumElements());
    SmallVector<int64_t> offsets(baseType.getRank(), 0);
    ArrayRef<int64_t> sizes =
        cast<MemRefType>(dma.getTarget().getType()).getShape();
    if (sub) {
      for (auto [i, ofr] : llvm::enumerate(sub.getMixedOffsets())) {
        std::optional<int64_t> v = ev.eval(ofr);
        if (!v)
          return dma.emitOpError("has an output offset --dwsep-report cannot "
                                 "evaluate");
        offsets[i] = *v;
      }
    }
    ArrayRef<int64_t> shape = baseType.getShape();
    for (auto [i, size] : llvm::enumerate(sizes))
      if (offsets[i] < 0 || offsets[i] + size > shape[i])
        return dma.emitOpError()
               << "writes elements [" << offsets[i] << ", " << offsets[i] + size
               << ") of dimension " << i << " of " << baseType << ", which has "
               << shape[i];
    SmallVector<int64_t> idx(sizes.size(), 0);
    int64_t total =
        cast<MemRefType>(dma.getTarget().getType()).getNumElements();
    for (int64_t n = 0; n < total; ++n) {
      int64_t linear = 0;
      for (size_t d = 0; d < idx.size(); ++d)
        linear = linear * shape[d] + offsets[d] + idx[d];
      if (counts[linear] < 255)
        ++counts[linear];
      for (int64_t d = idx.size() - 1; d >= 0; --d) {
        if (++idx[d] < sizes[d])
          break;
        idx[d] = 0;
      }
    }
    return success();
  }
};

/// Checks the ordering of DMA and compute on L1 buffers: no compute may
/// touch bytes a transfer into L1 is still writing (read-after-write), and
/// no transfer or compute may overwrite bytes a transfer out of L1 is still
/// reading (write-after-read). Tokens are followed through loop-carried
/// values, so the checks cover software-pipelined loops.
struct Hazards {
  struct InFlight {
    int64_t lo, hi;
    bool writesL1; // a fetch into L1 (else a write-back out of L1)
    bool active;
    Operation *op;
  };
  SmallVector<InFlight> inFlight;
  DenseMap<Value, int> tokenIds;

  /// The L1 arena byte range of an L1 memref (a view of the arena, possibly
  /// reshaped); nullopt for other levels.
  static std::optional<std::pair<int64_t, int64_t>> range(Value v,
                                                          Evaluator &ev) {
    if (getMemoryLevel(v.getType()) != MemoryLevel::l1)
      return std::nullopt;
    while (auto collapse = v.getDefiningOp<memref::CollapseShapeOp>())
      v = collapse.getSrc();
    auto view = v.getDefiningOp<memref::ViewOp>();
    if (!view)
      return std::nullopt;
    std::optional<int64_t> lo = ev.eval(view.getByteShift());
    if (!lo)
      return std::nullopt;
    auto type = view.getType();
    return std::make_pair(*lo, *lo + type.getNumElements() *
                                         type.getElementTypeBitWidth() / 8);
  }

  LogicalResult conflict(Operation *op, const InFlight &other, StringRef what) {
    return op->emitOpError()
           << what << " L1 bytes [" << other.lo << ", " << other.hi
           << ") while the transfer started by " << other.op->getName()
           << " at " << other.op->getLoc() << " is in flight";
  }

  LogicalResult dmaStart(DmaStartOp dma, Evaluator &ev) {
    auto src = range(dma.getSource(), ev), dst = range(dma.getTarget(), ev);
    tokenIds[dma.getToken()] = inFlight.size();
    if (!src && !dst) {
      // L3<->L2: tracked only so that its wait resolves.
      inFlight.push_back({0, 0, false, true, dma});
      return success();
    }
    bool writesL1 = dst.has_value();
    auto [lo, hi] = writesL1 ? *dst : *src;
    for (const InFlight &f : inFlight) {
      if (!f.active || f.hi <= lo || hi <= f.lo)
        continue;
      if (writesL1)
        return conflict(dma, f,
                        f.writesL1 ? "starts a second transfer into"
                                   : "overwrites (write-after-read)");
      if (f.writesL1)
        return conflict(dma, f, "writes back (read-after-write)");
    }
    inFlight.push_back({lo, hi, writesL1, true, dma});
    return success();
  }

  /// The id of the token of no transfer (dwsep.dma_none).
  static constexpr int kNone = -1;

  LogicalResult wait(DmaWaitOp wait) {
    for (Value t : wait.getTokens()) {
      if (t.getDefiningOp<DmaNoneOp>())
        continue;
      auto it = tokenIds.find(t);
      if (it == tokenIds.end())
        return wait.emitOpError("waits for a token --dwsep-report cannot "
                                "trace");
      if (it->second != kNone)
        inFlight[it->second].active = false;
    }
    return success();
  }

  LogicalResult compute(Operation *op, Evaluator &ev) {
    auto dps = cast<DestinationStyleOpInterface>(op);
    for (OpOperand &o : op->getOpOperands()) {
      auto r = range(o.get(), ev);
      if (!r)
        continue;
      for (const InFlight &f : inFlight) {
        if (!f.active || f.hi <= r->first || r->second <= f.lo)
          continue;
        if (f.writesL1)
          return conflict(op, f, "accesses (read-after-write)");
        if (dps.isDpsInit(&o))
          return conflict(op, f, "overwrites (write-after-read)");
      }
    }
    return success();
  }

  /// `to` names what `from` names now (a loop-carried value, a branch's
  /// result).
  void alias(Value to, Value from) {
    if (from.getDefiningOp<DmaNoneOp>()) {
      tokenIds[to] = kNone;
      return;
    }
    auto it = tokenIds.find(from);
    if (it == tokenIds.end()) {
      tokenIds.erase(to);
      return;
    }
    int id = it->second;
    tokenIds[to] = id;
  }
};

LogicalResult walk(Block &block, Evaluator &ev, Traffic &traffic,
                   Coverage &coverage, Hazards &hazards) {
  for (Operation &op : block) {
    if (auto loop = dyn_cast<scf::ForOp>(op)) {
      auto lb = ev.eval(loop.getLowerBound()),
           ub = ev.eval(loop.getUpperBound()), step = ev.eval(loop.getStep());
      if (!lb || !ub || !step || *step <= 0)
        return loop.emitOpError("has bounds --dwsep-report cannot evaluate");
      // Index values a loop carries (a tile loop's tile indices) are
      // evaluated like its induction variable; tokens are followed.
      auto carry = [&](ValueRange to, ValueRange from) -> LogicalResult {
        SmallVector<std::pair<Value, int64_t>> values;
        for (auto [t, f] : llvm::zip(to, from)) {
          if (!t.getType().isIndex()) {
            hazards.alias(t, f);
            continue;
          }
          std::optional<int64_t> v = ev.eval(f);
          if (!v)
            return loop.emitOpError(
                "carries an index --dwsep-report cannot evaluate");
          values.push_back({t, *v});
        }
        for (auto [t, v] : values)
          ev.env[t] = v;
        return success();
      };
      if (failed(carry(loop.getRegionIterArgs(), loop.getInitArgs())))
        return failure();
      for (int64_t i = *lb; i < *ub; i += *step) {
        ev.env[loop.getInductionVar()] = i;
        if (failed(walk(*loop.getBody(), ev, traffic, coverage, hazards)) ||
            failed(carry(loop.getRegionIterArgs(), loop.getYieldedValues())))
          return failure();
      }
      if (failed(carry(loop.getResults(), loop.getRegionIterArgs())))
        return failure();
      continue;
    }
    // A branch (a tile loop's switch on the tile's class, the fetch of a
    // slice's weights at its first tile): the one taken under `ev`.
    Block *taken = nullptr;
    if (auto sw = dyn_cast<scf::IndexSwitchOp>(op)) {
      std::optional<int64_t> c = ev.eval(sw.getArg());
      if (!c)
        return sw.emitOpError("has a case --dwsep-report cannot evaluate");
      taken = &sw.getDefaultBlock();
      for (auto [i, value] : llvm::enumerate(sw.getCases()))
        if (value == *c)
          taken = &sw.getCaseBlock(i);
    } else if (auto branch = dyn_cast<scf::IfOp>(op)) {
      std::optional<int64_t> c = ev.eval(branch.getCondition());
      if (!c)
        return branch.emitOpError(
            "has a condition --dwsep-report cannot evaluate");
      taken = *c ? branch.thenBlock() : branch.elseBlock();
      if (!taken) // an scf.if without else, not taken
        continue;
    }
    if (taken) {
      if (failed(walk(*taken, ev, traffic, coverage, hazards)))
        return failure();
      for (auto [res, yielded] :
           llvm::zip(op.getResults(), taken->getTerminator()->getOperands()))
        hazards.alias(res, yielded);
      continue;
    }
    if (auto dma = dyn_cast<DmaStartOp>(op)) {
      auto dir = static_cast<Direction>(dma.getDirection());
      traffic.bytes[dir][dma.getWeights() ? 1 : 0] += dma.getNumBytes();
      ++traffic.transfers[dir];
      if (dir == L1toL2 && failed(coverage.record(dma, ev)))
        return failure();
      if (failed(hazards.dmaStart(dma, ev)))
        return failure();
      continue;
    }
    if (auto wait = dyn_cast<DmaWaitOp>(op)) {
      if (failed(hazards.wait(wait)))
        return failure();
      continue;
    }
    if (isa<DestinationStyleOpInterface>(op) && op.getDialect() &&
        isa<DwsepDialect>(op.getDialect())) {
      if (failed(hazards.compute(&op, ev)))
        return failure();
      continue;
    }
    for (Region &region : op.getRegions())
      for (Block &b : region)
        if (failed(walk(b, ev, traffic, coverage, hazards)))
          return failure();
  }
  return success();
}

struct ReportPass : public mlir::dwsep::impl::DwsepReportBase<ReportPass> {
  using DwsepReportBase::DwsepReportBase;
  void runOnOperation() override;
};

} // namespace

void ReportPass::runOnOperation() {
  ModuleOp module = getOperation();
  TargetAttr target = TargetAttr::lookup(module);
  if (format != "text" && format != "json") {
    module.emitError() << "dwsep-report: unknown format '" << format
                       << "', expected text or json";
    return signalPassFailure();
  }
  llvm::json::Array layers;
  std::string text;
  llvm::raw_string_ostream os(text);
  Traffic sum;
  int64_t sumCycles = 0;
  os << llvm::formatv("{0,-16} {1,9} {2,7} {3,9} {4,9} {5,9} {6,9} {7,9} "
                      "{8,9} {9,6} {10,10}\n",
                      "layer", "tile", "L1 B", "L3>L2 w", "L3>L2 a", "L2>L1 a",
                      "L2>L1 w", "L1>L2 a", "L2>L3 a", "xfers", "cycles");
  bool failedAny = false;
  // Transfers started outside any layer (prefetches by --dwsep-pipeline-dma)
  // are accounted to the layer that waits for them.
  DenseMap<Value, DmaStartOp> pending;
  module.walk([&](Operation *top) {
    if (auto dma = dyn_cast<DmaStartOp>(top)) {
      if (!top->getParentOfType<LayerOp>())
        pending[dma.getToken()] = dma;
      return;
    }
    auto layer = dyn_cast<LayerOp>(top);
    if (!layer)
      return;
    // A layer of channel groups sits in loops over the group (outermost
    // first): each iteration is an instance of the layer, checked on its
    // own; the line below sums them.
    SmallVector<scf::ForOp> loops;
    for (Operation *p = layer->getParentOp(); p && !isa<func::FuncOp>(p);
         p = p->getParentOp())
      if (auto loop = dyn_cast<scf::ForOp>(p))
        loops.insert(loops.begin(), loop);
    Traffic t;
    int64_t cycles = 0;
    // One instance under the loop values in `ev`.
    auto instance = [&](Evaluator &ev) -> LogicalResult {
      Coverage coverage;
      Hazards hazards;
      Traffic it;
      DenseMap<int, DmaStartOp> external;
      for (auto [token, dma] : pending) {
        external[hazards.inFlight.size()] = dma;
        hazards.tokenIds[token] = hazards.inFlight.size();
        hazards.inFlight.push_back({0, 0, false, true, dma});
      }
      if (failed(walk(layer.getBody().front(), ev, it, coverage, hazards)))
        return failure();
      // L3<->L2 transfers started inside the layer (bands, channel groups,
      // weights nobody prefetched) are exposed: the layer waits for them
      // before or after its tiles. Prefetched ones (started before the
      // layer) overlap the previous layer and cost nothing here.
      double l3Cycles = 0;
      for (Direction d : {L3toL2, L2toL3})
        l3Cycles += it.transfers[d] * target.getL3DmaLatency() +
                    double(it.bytes[d][0] + it.bytes[d][1]) /
                        target.getL3DmaBytesPerCycle();
      for (auto [id, dma] : external) {
        if (hazards.inFlight[id].active)
          continue;
        auto dir = static_cast<Direction>(dma.getDirection());
        it.bytes[dir][dma.getWeights() ? 1 : 0] += dma.getNumBytes();
        ++it.transfers[dir];
        pending.erase(dma.getToken());
      }
      for (auto [i, f] : llvm::enumerate(hazards.inFlight))
        if (f.active && !external.count(i))
          return f.op->emitOpError() << "starts a transfer that layer '"
                                     << layer.getName() << "' never waits for";
      for (auto &[buffer, counts] : coverage.written) {
        for (auto [i, c] : llvm::enumerate(counts))
          if (c != 1)
            return layer.emitOpError()
                   << "layer '" << layer.getName() << "' writes element " << i
                   << " of " << buffer.getType() << " " << int(c)
                   << " times; every output element must be "
                      "written exactly once";
      }
      if (TilePlanAttr plan = layer.getPlanAttr()) {
        cycles += plan.getTotalCycles() + int64_t(l3Cycles);
        // An instance from `input_kept_from` on (numbered in the innermost
        // loop around the layer) finds its whole input in L1.
        bool kept = false;
        if (std::optional<uint64_t> from = layer.getInputKeptFrom()) {
          int64_t index = 0;
          if (!loops.empty()) {
            scf::ForOp loop = loops.back();
            index = (*ev.eval(loop.getInductionVar()) -
                     *ev.eval(loop.getLowerBound())) /
                    *ev.eval(loop.getStep());
          }
          kept = index >= (int64_t)*from;
        }
        int64_t keptBytes = kept ? plan.getKeptActL2L1() : 0;
        int64_t keptTransfers = kept ? plan.getKeptTransfers() : 0;
        std::tuple<StringRef, int64_t, int64_t> checks[] = {
            {"act_l2_l1", plan.getActL2L1() - keptBytes, it.bytes[L2toL1][0]},
            {"weights_l2_l1", plan.getWeightsL2L1(), it.bytes[L2toL1][1]},
            {"act_l1_l2", plan.getActL1L2(), it.bytes[L1toL2][0]},
            {"transfers", plan.getTransfers() - keptTransfers,
             it.transfers[L2toL1] + it.transfers[L1toL2]}};
        for (auto [key, predicted, counted] : checks)
          if (predicted != counted)
            return layer.emitOpError()
                   << "layer '" << layer.getName() << "': the "
                   << "tile plan predicts " << key << " = " << predicted
                   << " but its DMA ops move " << counted;
      }
      t.add(it);
      return success();
    };
    Evaluator ev;
    int64_t instances = 0;
    std::function<LogicalResult(size_t)> enumerate =
        [&](size_t depth) -> LogicalResult {
      if (depth == loops.size()) {
        ++instances;
        return instance(ev);
      }
      scf::ForOp loop = loops[depth];
      auto lb = ev.eval(loop.getLowerBound()),
           ub = ev.eval(loop.getUpperBound()), step = ev.eval(loop.getStep());
      if (!lb || !ub || !step || *step <= 0)
        return loop.emitOpError("has bounds --dwsep-report cannot evaluate");
      for (int64_t i = *lb; i < *ub; i += *step) {
        ev.env[loop.getInductionVar()] = i;
        if (failed(enumerate(depth + 1)))
          return failure();
      }
      return success();
    };
    if (failed(enumerate(0))) {
      failedAny = true;
      return;
    }
    sum.add(t);
    sumCycles += cycles;
    std::string tile = "-";
    if (auto tileAttr = layer.getTile())
      tile = llvm::formatv(
                 "{0}x{1}{2}{3}{4}{5}", (*tileAttr)[0], (*tileAttr)[1],
                 tileAttr->size() > 2 ? "/" + std::to_string((*tileAttr)[2])
                                      : std::string(),
                 layer.getRowsOuter() ? "r" : "",
                 layer.getOneInputBuffer() ? "1" : "",
                 layer.getInputKeptFrom() ? "k" : "")
                 .str();
    int64_t transfers = 0;
    for (int d = 0; d < kNumDirections; ++d)
      transfers += t.transfers[d];
    os << llvm::formatv("{0,-16} {1,9} {2,7} {3,9} {4,9} {5,9} {6,9} {7,9} "
                        "{8,9} {9,6} {10,10}\n",
                        layer.getName(), tile, layer.getL1Bytes().value_or(0),
                        t.bytes[L3toL2][1], t.bytes[L3toL2][0],
                        t.bytes[L2toL1][0], t.bytes[L2toL1][1],
                        t.bytes[L1toL2][0], t.bytes[L2toL3][0], transfers,
                        cycles);
    llvm::json::Object bytes;
    for (int d = 0; d < kNumDirections; ++d)
      bytes[kDirectionNames[d]] = llvm::json::Object{
          {"act", t.bytes[d][0]}, {"weights", t.bytes[d][1]}};
    auto parent = layer->getParentOfType<func::FuncOp>();
    llvm::json::Object entry{
        {"name", layer.getName().str()},
        {"function", parent ? parent.getSymName().str() : ""},
        {"l1_bytes", layer.getL1Bytes().value_or(0)},
        {"bytes", std::move(bytes)},
        {"transfers", transfers},
        {"instances", instances},
        {"predicted_cycles", cycles}};
    if (auto tileAttr = layer.getTile())
      entry["tile"] = llvm::json::Array(*tileAttr);
    if (layer.getRowsOuter())
      entry["rows_outer"] = true;
    if (layer.getOneInputBuffer())
      entry["one_input_buffer"] = true;
    if (std::optional<uint64_t> from = layer.getInputKeptFrom())
      entry["input_kept_from"] = (int64_t)*from;
    // The kernel --dwsep-lower-kernels lowers for this layer: a fused block
    // with its variant (layouts and split), so that a test can check that
    // a forced variant is the one compiled.
    layer.walk([&](FusedOp f) {
      std::string text;
      llvm::raw_string_ostream(text) << f.getVariant();
      entry["variant"] = text;
      entry["variant_index"] = f.getVariant().getKnownIndex();
    });
    // What the model charged, before pricing (bench/calibrate.py fits the
    // target's kernel costs to measured cycles with it).
    if (TilePlanAttr plan = layer.getPlanAttr()) {
      // (Of all instances: the plan is one instance's.)
      llvm::json::Object w;
      for (unsigned k = 0; k < kNumCostClasses; ++k) {
        w[getCostName(costMac(CostClass(k)))] = instances * plan.getMacs()[k];
        w[getCostName(costOut(CostClass(k)))] = instances * plan.getOuts()[k];
      }
      w[getCostName(kCostFork)] = instances * plan.getForks();
      w[getCostName(kCostTile)] = instances * plan.getTiles();
      w["exposed_dma_cycles"] = instances * plan.getExposedDmaCycles();
      entry["work"] = std::move(w);
    }
    // The options --dwsep-select-variant weighed for this layer (or block),
    // each with its own predicted cycles and L2<->L1 bytes; `*` marks the
    // one it chose.
    if (auto choice = layer->getAttrOfType<ChoiceAttr>(ChoiceAttr::kAttrName)) {
      llvm::json::Array list;
      for (auto [i, c] : llvm::enumerate(choice.getCandidates())) {
        bool chosen = int64_t(i) == choice.getChosen();
        os << llvm::formatv("  {0} candidate {1,-18} {2,10} cycles {3,9} B\n",
                            chosen ? "*" : " ", c.getName(), c.getCycles(),
                            c.getBytes());
        list.push_back(llvm::json::Object{{"name", c.getName().str()},
                                          {"cycles", c.getCycles()},
                                          {"bytes", c.getBytes()},
                                          {"chosen", chosen}});
      }
      entry["candidates"] = std::move(list);
    }
    layers.push_back(std::move(entry));
  });
  for (auto [token, dma] : pending) {
    dma.emitOpError("starts a transfer that no layer waits for");
    failedAny = true;
  }
  if (failedAny)
    return signalPassFailure();

  int64_t l2 = 0, l3 = 0, l3Arena = 0;
  module.walk([&](func::FuncOp f) {
    if (auto a = f->getAttrOfType<IntegerAttr>("dwsep.l2_size"))
      l2 = std::max(l2, a.getInt());
    if (auto a = f->getAttrOfType<IntegerAttr>("dwsep.l3_size"))
      l3Arena = std::max(l3Arena, a.getInt());
  });
  if (auto a = module->getAttrOfType<IntegerAttr>("dwsep.l3_size"))
    l3 = a.getInt();
  // The L3 arena holds the image, then the activations streamed from L3.
  int64_t l3Activations = std::max<int64_t>(l3Arena - l3, 0);
  int64_t transfers = 0;
  for (int d = 0; d < kNumDirections; ++d)
    transfers += sum.transfers[d];
  os << llvm::formatv("{0,-16} {1,9} {2,7} {3,9} {4,9} {5,9} {6,9} {7,9} "
                      "{8,9} {9,6} {10,10}\n",
                      "total", "", "", sum.bytes[L3toL2][1],
                      sum.bytes[L3toL2][0], sum.bytes[L2toL1][0],
                      sum.bytes[L2toL1][1], sum.bytes[L1toL2][0],
                      sum.bytes[L2toL3][0], transfers, sumCycles);
  os << "L2 peak: " << l2 << " B, L3 image: " << l3 << " B";
  if (l3Activations)
    os << ", L3 activations: " << l3Activations << " B";
  os << "\n";

  std::string error;
  auto out = openOutputFile(outputFile, &error);
  if (!out) {
    module.emitError() << "dwsep-report: " << error;
    return signalPassFailure();
  }
  if (format == "json") {
    llvm::json::Object root{{"layers", std::move(layers)},
                            {"l2_peak", l2},
                            {"l3_activations", l3Activations},
                            {"l3_image", l3},
                            {"predicted_cycles", sumCycles}};
    // The kernel costs every prediction above was priced with.
    llvm::json::Object costs;
    TargetAttr target = TargetAttr::lookup(module);
    for (unsigned i = 0; i < kNumCosts; ++i)
      costs[getCostName(i)] = target.getCost(i);
    root["costs"] = std::move(costs);
    out->os() << llvm::formatv("{0:2}", llvm::json::Value(std::move(root)))
              << "\n";
  } else {
    out->os() << text;
  }
  out->keep();
  markAllAnalysesPreserved();
}
