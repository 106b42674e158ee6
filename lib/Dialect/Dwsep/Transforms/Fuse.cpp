//===- Fuse.cpp - Fuse depthwise/pointwise pairs ----------------*- C++ -*-===//
//
// Implements --dwsep-fuse (see Passes.td for the contract). Two small
// patterns, one per order, share the analysis of a pair (`analysePair`):
// whether it can be fused at all, with which variant, and what fusing it is
// predicted to save. Overlapping pairs (a depthwise op with a pointwise
// producer and a pointwise consumer) are resolved by letting a pair fuse only
// if no pair sharing one of its ops saves strictly more, which makes the
// result independent of the order in which the driver visits ops.
//
//===----------------------------------------------------------------------===//

#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h"
#include "dwsep/Target/Variants.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/FormatVariadic.h"

#define DEBUG_TYPE "dwsep-fuse"

namespace mlir::dwsep {
#define GEN_PASS_DEF_DWSEPFUSE
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h.inc"
} // namespace mlir::dwsep

using namespace mlir;
using namespace mlir::dwsep;

namespace {

enum class FusionMode { none, dwPw, pwDw, all, automatic };

struct Policy {
  FusionMode mode;
  TargetAttr target;
  int64_t budget;
  /// Plans of the target and budget above, searched once each.
  CostCache *costs;

  bool allows(FusionOrder order) const {
    switch (mode) {
    case FusionMode::none:
      return false;
    case FusionMode::dwPw:
      return order == FusionOrder::dw_pw;
    case FusionMode::pwDw:
      return order == FusionOrder::pw_dw;
    case FusionMode::all:
    case FusionMode::automatic:
      return true;
    }
    return false;
  }
};

/// A pair that may be fused: the variant to create and the predicted saving
/// (unfused minus best fused cycles, may be negative outside `auto`).
struct Candidate {
  VariantAttr variant;
  int64_t saving = 0;
  int64_t fusedCycles = 0, unfusedCycles = 0;
};

Layout layoutOf(Operation *op) {
  if (auto dw = dyn_cast<DepthwiseOp>(op))
    return dw.getLayout();
  return cast<PointwiseOp>(op).getLayout();
}

RequantAttr requantOf(Operation *op) {
  if (auto dw = dyn_cast<DepthwiseOp>(op))
    return dw.getRequant();
  return cast<PointwiseOp>(op).getRequant();
}

int32_t inputZpOf(Operation *op) {
  if (auto dw = dyn_cast<DepthwiseOp>(op))
    return dw.getInputZp();
  return cast<PointwiseOp>(op).getInputZp();
}

/// Whether `first` -> `second` (a depthwise and a pointwise op in either
/// order, `second` reading `first`'s result as its input) can and should be
/// fused under `policy`; if not, `why` says why.
std::optional<Candidate> analysePair(Operation *first, Operation *second,
                                     const Policy &policy, std::string &why) {
  FusionOrder order =
      isa<DepthwiseOp>(first) ? FusionOrder::dw_pw : FusionOrder::pw_dw;
  StringRef pairName = order == FusionOrder::dw_pw ? "DW->PW" : "PW->DW";
  auto fail = [&](const Twine &msg) -> std::optional<Candidate> {
    why = msg.str();
    return std::nullopt;
  };
  if (!policy.allows(order))
    return fail(Twine("fusion mode excludes ") + pairName + " pairs");
  auto dps1 = cast<DestinationStyleOpInterface>(first);
  auto dps2 = cast<DestinationStyleOpInterface>(second);
  if (!dps1.hasPureTensorSemantics() || !dps2.hasPureTensorSemantics())
    return fail("the ops are not on tensors (run --dwsep-fuse before "
                "bufferization)");
  Value mid = first->getResult(0);
  if (!mid.hasOneUse())
    return fail(llvm::formatv("the intermediate {0} has {1} uses; a fused "
                              "kernel never writes it to L2",
                              mid.getType(),
                              std::distance(mid.use_begin(), mid.use_end())));
  if (layoutOf(first) != layoutOf(second))
    return fail(llvm::formatv("the first op writes {0} but the second reads "
                              "{1}",
                              stringifyLayout(layoutOf(first)),
                              stringifyLayout(layoutOf(second))));
  int32_t zp = requantOf(first).getZp();
  if (inputZpOf(second) != zp)
    return fail(llvm::formatv("the second op's input_zp {0} differs from the "
                              "first op's requant zp {1}: the fused kernel "
                              "has one intermediate zero point",
                              inputZpOf(second), zp));

  Operation *dwOp = order == FusionOrder::dw_pw ? first : second;
  Operation *pwOp = order == FusionOrder::dw_pw ? second : first;
  LayerProblem dw = *getLayerProblem(dwOp), pw = *getLayerProblem(pwOp);
  Layout written = layoutOf(first);
  std::optional<LayerCost> bestAny, bestWritten;
  VariantAttr writtenVariant;
  std::string reasons;
  for (VariantAttr v : VariantAttr::getKnownVariants(first->getContext())) {
    if (v.getOrder() != order)
      continue;
    LayerProblem p = getFusedProblem(dw, pw, v);
    std::string reason;
    std::optional<LayerCost> cost;
    if (!isLegal(v, p, &reason))
      ;
    else if (!(cost = policy.costs->get(p)))
      reason = "no tile fits the L1 budget";
    bool matches = v.getInput() == written && v.getOutput() == written;
    if (!cost) {
      if (matches)
        reasons +=
            llvm::formatv("{0}variant {1}: {2}", reasons.empty() ? "" : "; ",
                          v.getKnownIndex(), reason);
      continue;
    }
    if (!bestAny || *cost < *bestAny)
      bestAny = cost;
    if (matches && (!bestWritten || *cost < *bestWritten)) {
      bestWritten = cost;
      writtenVariant = v;
    }
  }
  if (!bestWritten)
    return fail(llvm::formatv("no {0} variant with {1} input and output can "
                              "compute it ({2})",
                              pairName, stringifyLayout(written),
                              reasons.empty() ? "none is known" : reasons));

  // Unfused: each op in its best layout, with a relayout of the
  // intermediate between them if the layouts differ.
  std::optional<int64_t> unfused;
  const LayerProblem &p1 = order == FusionOrder::dw_pw ? dw : pw;
  const LayerProblem &p2 = order == FusionOrder::dw_pw ? pw : dw;
  for (Layout l1 : {Layout::hwc, Layout::chw})
    for (Layout l2 : {Layout::hwc, Layout::chw}) {
      auto c1 = policy.costs->get(withLayout(p1, l1));
      auto c2 = policy.costs->get(withLayout(p2, l2));
      if (!c1 || !c2)
        continue;
      int64_t cycles = c1->cycles + c2->cycles;
      if (l1 != l2) {
        auto r = policy.costs->get(
            getRelayoutProblem(p1.outH, p1.outW, p1.outC, l1, l2));
        if (!r)
          continue;
        cycles += r->cycles;
      }
      if (!unfused || cycles < *unfused)
        unfused = cycles;
    }
  Candidate c;
  c.variant = writtenVariant;
  c.fusedCycles = bestAny->cycles;
  // An unfused pair that does not fit at all makes fusion the only option.
  c.unfusedCycles = unfused ? *unfused : INT64_MAX / 2;
  c.saving = c.unfusedCycles - c.fusedCycles;
  if (policy.mode == FusionMode::automatic && c.saving <= 0)
    return fail(llvm::formatv("not profitable: the best fused variant is "
                              "predicted at {0} cycles, unfused at {1}",
                              c.fusedCycles, c.unfusedCycles));
  return c;
}

/// The pairs that overlap `first` -> `second`: the other pair each of the
/// two ops could belong to.
SmallVector<std::pair<Operation *, Operation *>>
competitors(Operation *first, Operation *second) {
  SmallVector<std::pair<Operation *, Operation *>> result;
  // The producer of `first` with `first` (opposite order) ...
  Operation *producer = first->getOperand(0).getDefiningOp();
  if (producer && isa<DepthwiseOp, PointwiseOp>(producer) &&
      isa<DepthwiseOp>(producer) != isa<DepthwiseOp>(first))
    result.push_back({producer, first});
  // ... and `second` with its consumers.
  for (Operation *user : second->getResult(0).getUsers())
    if (isa<DepthwiseOp, PointwiseOp>(user) &&
        isa<DepthwiseOp>(user) != isa<DepthwiseOp>(second) &&
        user->getOperand(0) == second->getResult(0))
      result.push_back({second, user});
  return result;
}

/// Full decision for one pair, including overlap: a pair is fused only if
/// no overlapping pair saves strictly more (on a tie, DW->PW wins).
std::optional<Candidate> decide(Operation *first, Operation *second,
                                const Policy &policy, std::string &why) {
  std::optional<Candidate> mine = analysePair(first, second, policy, why);
  if (!mine)
    return std::nullopt;
  bool dwFirst = isa<DepthwiseOp>(first);
  for (auto [a, b] : competitors(first, second)) {
    std::string ignored;
    std::optional<Candidate> other = analysePair(a, b, policy, ignored);
    if (!other)
      continue;
    if (other->saving > mine->saving ||
        (other->saving == mine->saving && !dwFirst)) {
      why = llvm::formatv("the overlapping pair {0} -> {1} is predicted to "
                          "save more ({2} vs {3} cycles)",
                          a->getName(), b->getName(), other->saving,
                          mine->saving);
      return std::nullopt;
    }
  }
  return mine;
}

LogicalResult fusePair(Operation *first, Operation *second,
                       const Policy &policy, PatternRewriter &rewriter) {
  std::string why;
  std::optional<Candidate> c = decide(first, second, policy, why);
  if (!c) {
    LLVM_DEBUG(llvm::dbgs() << "not fusing " << first->getName() << " -> "
                            << second->getName() << " at " << first->getLoc()
                            << ": " << why << "\n");
    return rewriter.notifyMatchFailure(second, why);
  }
  bool dwFirst = isa<DepthwiseOp>(first);
  auto dw = cast<DepthwiseOp>(dwFirst ? first : second);
  auto pw = cast<PointwiseOp>(dwFirst ? second : first);
  Type midElem =
      cast<ShapedType>(first->getResult(0).getType()).getElementType();
  auto fused = FusedOp::create(
      rewriter, rewriter.getFusedLoc({first->getLoc(), second->getLoc()}),
      second->getResult(0).getType(), first->getOperand(0), dw.getWeights(),
      dw.getBias(), pw.getWeights(), pw.getBias(),
      /*mid_requant_rows=*/Value(), /*requant_rows=*/Value(),
      cast<DestinationStyleOpInterface>(second).getDpsInitOperand(0)->get(),
      /*channel_offset=*/Value(), c->variant, TypeAttr::get(midElem),
      dw.getStrideAttr(), dw.getPadAttr(),
      dwFirst ? dw.getInputZpAttr() : pw.getInputZpAttr(), dw.getRequant(),
      pw.getRequant(), /*pw_zp_folded=*/nullptr, /*scratch_offset=*/nullptr,
      /*reuse_mid=*/nullptr);
  LLVM_DEBUG(llvm::dbgs() << "fused " << first->getName() << " -> "
                          << second->getName() << " as variant "
                          << c->variant.getKnownIndex() << " (saving "
                          << c->saving << " cycles)\n");
  rewriter.replaceOp(second, fused);
  rewriter.eraseOp(first);
  return success();
}

/// depthwise -> pointwise, anchored on the pointwise op.
struct FuseDwPw : public OpRewritePattern<PointwiseOp> {
  FuseDwPw(MLIRContext *ctx, const Policy &policy)
      : OpRewritePattern(ctx), policy(policy) {}
  LogicalResult matchAndRewrite(PointwiseOp pw,
                                PatternRewriter &rewriter) const override {
    auto dw = pw.getInput().getDefiningOp<DepthwiseOp>();
    if (!dw)
      return rewriter.notifyMatchFailure(pw, "input is not a depthwise op");
    return fusePair(dw, pw, policy, rewriter);
  }
  Policy policy;
};

/// pointwise -> depthwise, anchored on the depthwise op.
struct FusePwDw : public OpRewritePattern<DepthwiseOp> {
  FusePwDw(MLIRContext *ctx, const Policy &policy)
      : OpRewritePattern(ctx), policy(policy) {}
  LogicalResult matchAndRewrite(DepthwiseOp dw,
                                PatternRewriter &rewriter) const override {
    auto pw = dw.getInput().getDefiningOp<PointwiseOp>();
    if (!pw)
      return rewriter.notifyMatchFailure(dw, "input is not a pointwise op");
    return fusePair(pw, dw, policy, rewriter);
  }
  Policy policy;
};

/// Calls `fn(first, second)` for every depthwise/pointwise op `second` whose
/// input the other kind produces (`first`): the pairs that could fuse.
void forEachPair(func::FuncOp func,
                 function_ref<void(Operation *, Operation *)> fn) {
  func.walk([&](Operation *second) {
    if (!isa<DepthwiseOp, PointwiseOp>(second))
      return;
    Operation *first = second->getOperand(0).getDefiningOp();
    if (first && isa<DepthwiseOp, PointwiseOp>(first) &&
        isa<DepthwiseOp>(first) != isa<DepthwiseOp>(second))
      fn(first, second);
  });
}

struct FusePass : public mlir::dwsep::impl::DwsepFuseBase<FusePass> {
  using DwsepFuseBase::DwsepFuseBase;
  void runOnOperation() override;
};

} // namespace

void FusePass::runOnOperation() {
  func::FuncOp func = getOperation();
  std::optional<FusionMode> mode =
      llvm::StringSwitch<std::optional<FusionMode>>(fusion)
          .Case("none", FusionMode::none)
          .Case("dw-pw", FusionMode::dwPw)
          .Case("pw-dw", FusionMode::pwDw)
          .Case("all", FusionMode::all)
          .Case("auto", FusionMode::automatic)
          .Default(std::nullopt);
  if (!mode) {
    func.emitError() << "dwsep-fuse: unknown fusion mode '" << fusion
                     << "', expected none, dw-pw, pw-dw, all or auto";
    return signalPassFailure();
  }
  SmallVector<VariantAttr, 7> known =
      VariantAttr::getKnownVariants(&getContext());
  if (variant > known.size()) {
    func.emitError() << "dwsep-fuse: unknown variant " << unsigned(variant)
                     << ", expected 1.." << known.size() << " (0: none)";
    return signalPassFailure();
  }
  if ((*mode == FusionMode::all || *mode == FusionMode::automatic) &&
      variant > 0)
    mode = known[variant - 1].getOrder() == FusionOrder::dw_pw
               ? FusionMode::dwPw
               : FusionMode::pwDw;
  TargetAttr target = TargetAttr::lookup(func);
  CostCache costs(target, target.getL1Budget());
  Policy policy{*mode, target, target.getL1Budget(), &costs};
  if (*mode != FusionMode::none) {
    // The plans every adjacent pair needs, searched at once first.
    costs.record();
    forEachPair(func, [&](Operation *first, Operation *second) {
      std::string ignored;
      (void)analysePair(first, second, policy, ignored);
    });
    costs.searchRecorded(&getContext());
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseDwPw, FusePwDw>(&getContext(), policy);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
  }
  if (!remarks)
    return;
  // Explain every adjacent pair left unfused.
  forEachPair(func, [&](Operation *first, Operation *second) {
    std::string why;
    if (!decide(first, second, policy, why))
      second->emitRemark() << "not fused with the " << first->getName()
                           << " that produces its input: " << why;
  });
}
