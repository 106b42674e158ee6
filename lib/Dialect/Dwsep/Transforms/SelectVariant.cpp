//===- SelectVariant.cpp - Choose variants and layouts ----------*- C++ -*-===//
//
// Implements --dwsep-select-variant (see Passes.td for the contract). Three
// steps per function: list every op's options with their modelled cost
// (the target library prices them exactly as --dwsep-tile will tile them),
// run a dynamic program over the ops in program order whose state is the
// layout of every activation still to be read, and rewrite the IR to the
// cheapest path: layouts (permuted shapes), variants, unfused blocks and the
// relayouts between them.
//
//===----------------------------------------------------------------------===//

#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h"
#include "dwsep/Target/Variants.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/FormatVariadic.h"

#define DEBUG_TYPE "dwsep-select-variant"

namespace mlir::dwsep {
#define GEN_PASS_DEF_DWSEPSELECTVARIANT
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h.inc"
} // namespace mlir::dwsep

using namespace mlir;
using namespace mlir::dwsep;

namespace {

/// Activations tracked by the program: at most this many may be live (read
/// later) at once; beyond it the function keeps its layouts.
constexpr unsigned kMaxLiveActivations = 16;

constexpr Layout kLayouts[] = {Layout::hwc, Layout::chw};

struct Dims {
  int64_t h, w, c;
};

Dims logicalDims(ArrayRef<int64_t> shape, Layout layout) {
  return layout == Layout::hwc ? Dims{shape[0], shape[1], shape[2]}
                               : Dims{shape[1], shape[2], shape[0]};
}

SmallVector<int64_t, 3> physicalShape(Dims d, Layout layout) {
  if (layout == Layout::hwc)
    return {d.h, d.w, d.c};
  return {d.c, d.h, d.w};
}

/// One way to run an op (or a fused block).
struct Option {
  enum Kind { inLayout, variant, unfused } kind;
  Layout layout = Layout::hwc; // inLayout: the op's layout
  VariantAttr variantAttr;     // variant
  Layout first = Layout::hwc;  // unfused: layouts of the two halves
  Layout second = Layout::hwc;
  /// Layout required of each activation operand (by operand number) and
  /// produced for the result; nullopt where layouts do not apply.
  SmallVector<std::pair<unsigned, Layout>, 2> inputs;
  std::optional<Layout> output;
  LayerCost cost;
  std::string name;
};

/// Activation operands of a compute op (operand numbers): the inputs that
/// carry an H x W x C activation.
SmallVector<unsigned, 2> activationOperands(Operation *op) {
  if (isa<AddOp>(op))
    return {0, 1};
  return {0};
}

/// The `layout` of an op that reads and writes one layout.
std::optional<Layout> getOpLayout(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::optional<Layout>>(op)
      .Case<Conv2DOp, DepthwiseOp, PointwiseOp, AddOp, AvgPoolOp>(
          [](auto o) { return o.getLayout(); })
      .Default([](Operation *) { return std::nullopt; });
}

void setOpLayout(Operation *op, Layout l) {
  llvm::TypeSwitch<Operation *>(op)
      .Case<Conv2DOp, DepthwiseOp, PointwiseOp, AddOp, AvgPoolOp>(
          [&](auto o) { o.setLayout(l); });
}

/// The layouts `op` is written with: for its input and its output.
std::pair<Layout, Layout> writtenLayouts(Operation *op) {
  if (auto f = dyn_cast<FusedOp>(op))
    return {f.getVariant().getInput(), f.getVariant().getOutput()};
  if (auto r = dyn_cast<RelayoutOp>(op))
    return {r.getFrom(), r.getTo()};
  if (isa<LinearOp>(op))
    return {Layout::hwc, Layout::hwc};
  Layout l = *getOpLayout(op);
  return {l, l};
}

bool isRank3Tensor(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && t.getRank() == 3;
}

struct FunctionSelector {
  func::FuncOp func;
  TargetAttr target;
  int64_t budget;
  /// Plans of the target and budget above, searched once each.
  CostCache *costs;
  std::optional<unsigned> forced; // 1..7
  bool forceUnfused;

  SmallVector<Operation *> ops;
  SmallVector<SmallVector<Option>> options;
  /// Every tracked activation: its logical sizes and written layout.
  DenseMap<Value, Dims> dims;
  DenseMap<Value, Layout> written;
  /// Activations read by something other than a compute op's activation
  /// operand (returns): they must end in their written layout.
  SetVector<Value> external;

  LogicalResult run();
  void collect();
  SmallVector<Option> listOptions(Operation *op);
  std::optional<int64_t> relayoutCycles(Value v, Layout from, Layout to);
  void rewrite(ArrayRef<unsigned> choice);
};

std::optional<int64_t> FunctionSelector::relayoutCycles(Value v, Layout from,
                                                        Layout to) {
  if (from == to)
    return 0;
  Dims d = dims.lookup(v);
  auto c = costs->get(getRelayoutProblem(d.h, d.w, d.c, from, to));
  if (!c)
    return std::nullopt;
  return c->cycles;
}

SmallVector<Option> FunctionSelector::listOptions(Operation *op) {
  SmallVector<Option> result;
  auto [inL, outL] = writtenLayouts(op);
  auto tracked = [&](unsigned operand) {
    return isRank3Tensor(op->getOperand(operand));
  };
  auto outTracked = isRank3Tensor(op->getResult(0));

  if (auto fused = dyn_cast<FusedOp>(op)) {
    auto [dw, pw] = fused.getHalves();
    std::string why;
    bool forcedFound = false;
    for (VariantAttr v : VariantAttr::getKnownVariants(op->getContext())) {
      if (forceUnfused || v.getOrder() != fused.getVariant().getOrder())
        continue;
      if (forced && v.getKnownIndex() != *forced)
        continue;
      LayerProblem p = getFusedProblem(dw, pw, v);
      std::string reason;
      std::optional<LayerCost> cost;
      if (isLegal(v, p, &reason) && !(cost = costs->get(p)))
        reason = "no tile fits the L1 budget";
      if (!cost) {
        why = reason;
        continue;
      }
      Option o{Option::variant};
      o.variantAttr = v;
      o.inputs = {{0u, v.getInput()}};
      o.output = v.getOutput();
      o.cost = *cost;
      o.name = llvm::formatv("variant {0}", v.getKnownIndex());
      result.push_back(o);
      forcedFound = true;
    }
    if (forced && !forcedFound) {
      VariantAttr v =
          VariantAttr::getKnownVariants(op->getContext())[*forced - 1];
      op->emitRemark() << "variant " << *forced << " cannot compute this "
                       << "block ("
                       << (v.getOrder() != fused.getVariant().getOrder()
                               ? std::string("its order is ") +
                                     stringifyFusionOrder(v.getOrder()).str()
                               : why)
                       << "); the cost model chooses instead";
      std::optional<unsigned> saved = forced;
      forced.reset();
      result = listOptions(op);
      forced = saved;
      return result;
    }
    if (forced)
      return result;
    bool dwFirst = fused.isDwFirst();
    const LayerProblem &p1 = dwFirst ? dw : pw, &p2 = dwFirst ? pw : dw;
    for (Layout l1 : kLayouts)
      for (Layout l2 : kLayouts) {
        auto c1 = costs->get(withLayout(p1, l1));
        auto c2 = costs->get(withLayout(p2, l2));
        if (!c1 || !c2)
          continue;
        LayerCost cost = *c1;
        cost += *c2;
        if (l1 != l2) {
          auto r =
              costs->get(getRelayoutProblem(p1.outH, p1.outW, p1.outC, l1, l2));
          if (!r)
            continue;
          cost += *r;
        }
        Option o{Option::unfused};
        o.first = l1;
        o.second = l2;
        o.inputs = {{0u, l1}};
        o.output = l2;
        o.cost = cost;
        o.name = llvm::formatv("unfused {0}/{1}", stringifyLayout(l1),
                               stringifyLayout(l2));
        result.push_back(o);
      }
    return result;
  }

  // Ops that read and write one layout, and the ones whose layout is fixed.
  bool free = isa<Conv2DOp, DepthwiseOp, PointwiseOp, AddOp, AvgPoolOp>(op);
  LayerProblem base = *getLayerProblem(op);
  for (Layout l : kLayouts) {
    if (!free && l != inL)
      continue;
    Option o{Option::inLayout};
    o.layout = l;
    for (unsigned k : activationOperands(op))
      if (tracked(k))
        o.inputs.push_back({k, free ? l : inL});
    if (outTracked)
      o.output = free ? l : outL;
    std::optional<LayerCost> cost =
        costs->get(free ? withLayout(base, l) : base);
    if (!cost)
      continue;
    o.cost = *cost;
    o.name = stringifyLayout(l).str();
    result.push_back(o);
  }
  if (result.empty()) {
    // Nothing fits: keep the op as written; --dwsep-tile reports it.
    Option o{Option::inLayout};
    o.layout = inL;
    for (unsigned k : activationOperands(op))
      if (tracked(k))
        o.inputs.push_back({k, inL});
    if (outTracked)
      o.output = outL;
    o.name = "as written (no tile fits)";
    result.push_back(o);
  }
  return result;
}

void FunctionSelector::collect() {
  DenseSet<Operation *> opSet(ops.begin(), ops.end());
  for (Operation *op : ops) {
    auto [inL, outL] = writtenLayouts(op);
    for (unsigned k : activationOperands(op)) {
      Value v = op->getOperand(k);
      if (isRank3Tensor(v) && !written.count(v)) {
        written[v] = inL;
        dims[v] = logicalDims(cast<ShapedType>(v.getType()).getShape(), inL);
      }
    }
    Value r = op->getResult(0);
    if (isRank3Tensor(r)) {
      written[r] = outL;
      dims[r] = logicalDims(cast<ShapedType>(r.getType()).getShape(), outL);
    }
  }
  for (auto &[v, layout] : written)
    for (OpOperand &use : v.getUses()) {
      Operation *user = use.getOwner();
      if (!opSet.contains(user) ||
          !llvm::is_contained(activationOperands(user), use.getOperandNumber()))
        external.insert(v);
    }
}

LogicalResult FunctionSelector::run() {
  if (!func.getBody().hasOneBlock())
    return success();
  // Everything below reads results and tensor types: check first that the
  // compute ops are on tensors (a memref-level op has no result).
  for (Operation &op : func.getBody().front()) {
    if (!getLayerProblem(&op))
      continue;
    if (!cast<DestinationStyleOpInterface>(op).hasPureTensorSemantics() ||
        op.getNumResults() != 1)
      return op.emitOpError()
             << "is not on tensors; run --dwsep-select-variant before "
                "bufferization";
    ops.push_back(&op);
  }
  if (ops.empty())
    return success();
  collect();
  // The plans the options need, searched at once first.
  costs->record();
  for (Operation *op : ops)
    (void)listOptions(op);
  costs->searchRecorded(func.getContext());
  for (Operation *op : ops)
    options.push_back(listOptions(op));

  // Live activations before op i: results of earlier ops read at or after
  // op i, or read outside (returns). Function arguments keep their layout
  // and are not part of the state.
  size_t n = ops.size();
  DenseMap<Operation *, unsigned> index;
  for (auto [i, op] : llvm::enumerate(ops))
    index[op] = i;
  DenseMap<Value, unsigned> lastUse;
  for (auto [i, op] : llvm::enumerate(ops))
    for (unsigned k : activationOperands(op))
      lastUse[op->getOperand(k)] = i;
  SmallVector<SmallVector<Value>> live(n + 1);
  for (size_t i = 1; i <= n; ++i) {
    for (Value v : live[i - 1])
      if (external.contains(v) || lastUse.lookup(v) >= i)
        live[i].push_back(v);
    Value r = ops[i - 1]->getResult(0);
    if (written.count(r) && (external.contains(r) || lastUse.count(r)))
      live[i].push_back(r);
    if (live[i].size() > kMaxLiveActivations) {
      func.emitWarning() << "dwsep-select-variant: more than "
                         << kMaxLiveActivations
                         << " activations are live at once; layouts are "
                            "kept as written";
      return success();
    }
  }
  auto bitOf = [&](size_t i, Value v) -> int {
    auto it = llvm::find(live[i], v);
    return it == live[i].end() ? -1 : int(it - live[i].begin());
  };
  auto layoutIn = [&](size_t i, uint32_t state, Value v) {
    int bit = bitOf(i, v);
    if (bit < 0)
      return written.lookup(v); // a function argument
    return (state >> bit) & 1 ? Layout::chw : Layout::hwc;
  };

  struct Entry {
    LayerCost cost;
    uint32_t prev;
    unsigned option;
  };
  SmallVector<DenseMap<uint32_t, Entry>> dp(n + 1);
  dp[0][0] = {LayerCost(), 0, 0};
  for (size_t i = 0; i < n; ++i) {
    Operation *op = ops[i];
    for (auto &[state, entry] : dp[i]) {
      for (auto [oi, opt] : llvm::enumerate(options[i])) {
        LayerCost cost = entry.cost;
        cost += opt.cost;
        bool feasible = true;
        for (auto [k, want] : opt.inputs) {
          Value v = op->getOperand(k);
          auto r = relayoutCycles(v, layoutIn(i, state, v), want);
          if (!r) {
            feasible = false;
            break;
          }
          cost.cycles += *r;
        }
        if (!feasible)
          continue;
        uint32_t next = 0;
        for (auto [bit, v] : llvm::enumerate(live[i + 1])) {
          Layout l =
              v == op->getResult(0) ? *opt.output : layoutIn(i, state, v);
          if (l == Layout::chw)
            next |= 1u << bit;
        }
        auto it = dp[i + 1].find(next);
        if (it == dp[i + 1].end() || cost < it->second.cost)
          dp[i + 1][next] = {cost, state, unsigned(oi)};
      }
    }
  }
  // Activations read outside end in their written layout.
  std::optional<std::pair<uint32_t, LayerCost>> best;
  for (auto &[state, entry] : dp[n]) {
    LayerCost cost = entry.cost;
    bool feasible = true;
    for (Value v : external) {
      auto r = relayoutCycles(v, layoutIn(n, state, v), written.lookup(v));
      if (!r) {
        feasible = false;
        break;
      }
      cost.cycles += *r;
    }
    if (feasible && (!best || cost < best->second))
      best = {state, cost};
  }
  if (!best)
    return func.emitError() << "dwsep-select-variant: no assignment of "
                               "layouts fits the L1 budget of "
                            << budget << " B";
  SmallVector<unsigned> choice(n);
  uint32_t state = best->first;
  for (size_t i = n; i > 0; --i) {
    const Entry &e = dp[i].lookup(state);
    choice[i - 1] = e.option;
    state = e.prev;
  }
  LLVM_DEBUG(llvm::dbgs() << "predicted total for @" << func.getSymName()
                          << ": " << best->second.cycles << " cycles, "
                          << best->second.bytes << " B\n");
  func->setAttr("dwsep.predicted_cycles",
                Builder(func).getI64IntegerAttr(best->second.cycles));
  rewrite(choice);
  return success();
}

void FunctionSelector::rewrite(ArrayRef<unsigned> choice) {
  OpBuilder b(func.getContext());
  DenseMap<Value, SmallVector<std::pair<Layout, Value>, 2>> versions;
  // `v` (an original activation) in layout `want`, relayouting it at the
  // builder's insertion point if no version in that layout exists yet.
  auto get = [&](Value v, Layout want) -> Value {
    if (!written.count(v))
      return v;
    auto &vs = versions[v];
    if (vs.empty())
      vs.push_back({written.lookup(v), v});
    for (auto [l, val] : vs)
      if (l == want)
        return val;
    auto [from, src] = vs.front();
    auto elem = cast<ShapedType>(v.getType()).getElementType();
    auto type =
        RankedTensorType::get(physicalShape(dims.lookup(v), want), elem);
    Value empty =
        tensor::EmptyOp::create(b, src.getLoc(), type.getShape(), elem);
    Value r = RelayoutOp::create(b, src.getLoc(), type, src, empty, from, want)
                  .getResult();
    vs.push_back({want, r});
    return r;
  };
  auto emptyLike = [&](Location loc, Dims d, Layout l, Type elem) -> Value {
    return tensor::EmptyOp::create(b, loc, physicalShape(d, l), elem);
  };
  // Re-targets the destination of `op` to `shape` (a fresh tensor.empty if
  // the shape changes; a destination's contents are never read).
  auto retarget = [&](Operation *op, Dims d, Layout l) {
    OpOperand *init =
        cast<DestinationStyleOpInterface>(op).getDpsInitOperand(0);
    auto type = cast<RankedTensorType>(init->get().getType());
    SmallVector<int64_t, 3> shape = physicalShape(d, l);
    if (type.getShape() != ArrayRef<int64_t>(shape))
      init->set(emptyLike(op->getLoc(), d, l, type.getElementType()));
    op->getResult(0).setType(init->get().getType());
  };

  SmallVector<Operation *> replaced;
  MLIRContext *ctx = func.getContext();
  for (auto [i, op] : llvm::enumerate(ops)) {
    const Option &opt = options[i][choice[i]];
    b.setInsertionPoint(op);
    Value result = op->getResult(0);
    Operation *recordOn = op;
    if (opt.kind != Option::unfused) {
      for (auto [k, want] : opt.inputs)
        op->setOperand(k, get(op->getOperand(k), want));
      if (opt.kind == Option::variant)
        cast<FusedOp>(op).setVariantAttr(opt.variantAttr);
      else if (getOpLayout(op))
        setOpLayout(op, opt.layout);
      if (opt.output)
        retarget(op, dims.lookup(result), *opt.output);
      if (written.count(result))
        versions[result] = {{*opt.output, result}};
    } else {
      // Split the block into its two halves.
      auto fused = cast<FusedOp>(op);
      Location loc = op->getLoc();
      Value in = get(fused.getInput(), opt.first);
      Dims inD = dims.lookup(fused.getInput());
      Dims outD = dims.lookup(result);
      bool dwFirst = fused.isDwFirst();
      Dims midD =
          dwFirst ? Dims{outD.h, outD.w, inD.c} : Dims{inD.h, inD.w, outD.c};
      Type midElem = fused.getMidType();
      Value midInit = emptyLike(loc, midD, opt.first, midElem);
      auto midType = cast<RankedTensorType>(midInit.getType());
      auto outElem = cast<ShapedType>(result.getType()).getElementType();
      Value outInit = emptyLike(loc, outD, opt.second, outElem);
      auto firstLayout = LayoutAttr::get(ctx, opt.first);
      auto secondLayout = LayoutAttr::get(ctx, opt.second);
      auto midZp = b.getI32IntegerAttr(fused.getFirstRequant().getZp());
      Operation *first;
      if (dwFirst)
        first = DepthwiseOp::create(
            b, loc, midType, in, fused.getDwWeights(), fused.getDwBias(),
            /*requant_rows=*/Value(), midInit, /*channel_offset=*/Value(),
            firstLayout, fused.getStrideAttr(), fused.getPadAttr(),
            fused.getInputZpAttr(), fused.getDwRequant(),
            /*zp_folded=*/nullptr);
      else
        first = PointwiseOp::create(
            b, loc, midType, in, fused.getPwWeights(), fused.getPwBias(),
            /*requant_rows=*/Value(), midInit, /*channel_offset=*/Value(),
            firstLayout, fused.getInputZpAttr(), fused.getPwRequant());
      Value mid = first->getResult(0);
      if (opt.first != opt.second) {
        auto type =
            RankedTensorType::get(physicalShape(midD, opt.second), midElem);
        Value empty = emptyLike(loc, midD, opt.second, midElem);
        mid =
            RelayoutOp::create(b, loc, type, mid, empty, opt.first, opt.second)
                .getResult();
      }
      Operation *second;
      if (dwFirst)
        second = PointwiseOp::create(b, loc, outInit.getType(), mid,
                                     fused.getPwWeights(), fused.getPwBias(),
                                     /*requant_rows=*/Value(), outInit,
                                     /*channel_offset=*/Value(), secondLayout,
                                     midZp, fused.getPwRequant());
      else
        second = DepthwiseOp::create(
            b, loc, outInit.getType(), mid, fused.getDwWeights(),
            fused.getDwBias(), /*requant_rows=*/Value(), outInit,
            /*channel_offset=*/Value(), secondLayout, fused.getStrideAttr(),
            fused.getPadAttr(), midZp, fused.getDwRequant(),
            /*zp_folded=*/nullptr);
      versions[result] = {{opt.second, second->getResult(0)}};
      // Compute consumers are re-pointed when they are processed (through
      // `get`); anything else below.
      replaced.push_back(op);
      recordOn = first;
    }

    // Explain the choice: every option with its own cost.
    SmallVector<CandidateAttr> candidates;
    for (const auto &o : options[i])
      candidates.push_back(
          CandidateAttr::get(ctx, o.name, o.cost.cycles, o.cost.bytes));
    recordOn->setAttr(ChoiceAttr::kAttrName,
                      ChoiceAttr::get(ctx, choice[i], candidates));
  }

  // Uses outside the compute ops (returns) read the written layout; uses by
  // compute ops of a replaced block's result were re-pointed above.
  DenseSet<Operation *> opSet(ops.begin(), ops.end());
  for (Value v : external)
    for (OpOperand &use : llvm::make_early_inc_range(v.getUses())) {
      Operation *user = use.getOwner();
      if (opSet.contains(user) &&
          llvm::is_contained(activationOperands(user), use.getOperandNumber()))
        continue;
      b.setInsertionPoint(user);
      use.set(get(v, written.lookup(v)));
    }
  for (Operation *op : llvm::reverse(replaced)) {
    // Consumers were given the new halves through `get`.
    op->getResult(0).replaceAllUsesWith(
        versions[op->getResult(0)].front().second);
    op->erase();
  }
  // Destinations the rewrite made obsolete.
  func.walk([](tensor::EmptyOp e) {
    if (e->use_empty())
      e->erase();
  });
}

struct SelectVariantPass
    : public mlir::dwsep::impl::DwsepSelectVariantBase<SelectVariantPass> {
  using DwsepSelectVariantBase::DwsepSelectVariantBase;
  void runOnOperation() override;
};

} // namespace

void SelectVariantPass::runOnOperation() {
  ModuleOp module = getOperation();
  std::optional<unsigned> forced;
  bool forceUnfused = variant == "unfused";
  if (!variant.empty() && !forceUnfused) {
    unsigned n = 0;
    size_t known = VariantAttr::getKnownVariants(&getContext()).size();
    if (!llvm::to_integer(variant, n) || n < 1 || n > known) {
      module.emitError() << "dwsep-select-variant: unknown variant '" << variant
                         << "', expected 1.." << known << " or unfused";
      return signalPassFailure();
    }
    forced = n;
  }
  TargetAttr target = TargetAttr::lookup(module);
  CostCache costs(target, target.getL1Budget());
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal())
      continue;
    // Named fields: clang rejects the aggregate initialisation of the
    // members left out (explicit default constructors).
    FunctionSelector s;
    s.func = func;
    s.target = target;
    s.budget = target.getL1Budget();
    s.costs = &costs;
    s.forced = forced;
    s.forceUnfused = forceUnfused;
    if (failed(s.run()))
      return signalPassFailure();
  }
}
