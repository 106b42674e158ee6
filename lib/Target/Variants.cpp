//===- Variants.cpp - Legality and cost of fused kernel variants -*- C++
//-*-===//
//
// The legality rules of the fused kernels, in one place (Variants.h). They
// are documented in docs/cost-model.md; keep the two in sync.
//
//===----------------------------------------------------------------------===//

#include "dwsep/Target/Variants.h"

#include "mlir/IR/Threading.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::dwsep;

LayerProblem mlir::dwsep::withLayout(LayerProblem p, Layout layout) {
  p.inLayout = p.outLayout = layout;
  return p;
}

LayerProblem mlir::dwsep::getRelayoutProblem(int64_t h, int64_t w, int64_t c,
                                             Layout from, Layout to) {
  LayerProblem p;
  p.kind = KernelKind::relayout;
  p.inH = p.outH = h;
  p.inW = p.outW = w;
  p.inC = p.outC = c;
  p.inLayout = from;
  p.outLayout = to;
  p.inputChannelsFollowOutput = true;
  return p;
}

bool mlir::dwsep::isLegal(VariantAttr v, const LayerProblem &p,
                          std::string *reason) {
  auto fail = [&](const Twine &why) {
    if (reason)
      *reason = why.str();
    return false;
  };
  // The structural rule lives with the attribute (its verifier); capture
  // its message instead of duplicating it.
  MLIRContext *ctx = v.getContext();
  std::string structural;
  {
    ScopedDiagnosticHandler handler(ctx, [&](Diagnostic &d) {
      structural = d.str();
      return success();
    });
    if (failed(VariantAttr::verify(
            [&] { return mlir::emitError(UnknownLoc::get(ctx)); }, v.getOrder(),
            v.getInput(), v.getMid(), v.getOutput(), v.getSplit())))
      return fail(structural);
  }
  if (v.getKnownIndex() == 0)
    return fail("no kernel implements this combination: the fused kernels "
                "are the seven of VariantAttr::getKnownVariants()");
  if (p.kind != KernelKind::fused || p.order != v.getOrder())
    return fail("the problem is not a fused pair in the variant's order");
  if (p.padTop >= p.kh || p.padBottom >= p.kh || p.padLeft >= p.kw ||
      p.padRight >= p.kw)
    return fail(llvm::formatv("padding [{0}, {1}, {2}, {3}] reaches a whole "
                              "{4}x{5} window: a fused kernel computes the "
                              "intermediate for real input rows only",
                              p.padTop, p.padLeft, p.padBottom, p.padRight,
                              p.kh, p.kw)
                    .str());
  if (v.getOrder() == FusionOrder::pw_dw && v.getSplit() == SplitKind::rows &&
      p.strideH > p.kh)
    return fail(llvm::formatv("stride {0} exceeds the kernel height {1}: the "
                              "sliding window of a row variant keeps "
                              "kh - stride halo rows and cannot skip rows",
                              p.strideH, p.kh)
                    .str());
  return true;
}

std::optional<LayerCost> mlir::dwsep::getBestCost(const LayerProblem &p,
                                                  TargetAttr target,
                                                  int64_t l1Budget) {
  // The loop order --dwsep-tile takes by default (LoopOrder::any behind
  // the target's rows_outer_margin), so that selection prices what is
  // tiled. (With the tiler's loop-order=channels or rows, this price is
  // the default order's.)
  SearchOptions options;
  options.rowsOuterMarginPercent = target.getCost(kCostRowsOuterMargin);
  std::optional<TilePlan> plan =
      searchTile(p, target, l1Budget, nullptr, options);
  if (!plan)
    return std::nullopt;
  LayerCost c;
  c.cycles = plan->objective(target);
  c.bytes = plan->bytes();
  c.tile = plan->tile;
  c.l1Bytes = plan->l1Bytes;
  return c;
}

std::optional<LayerCost> mlir::dwsep::CostCache::get(const LayerProblem &p) {
  auto key = p.key();
  if (recording) {
    auto it = costs.find(key);
    if (it != costs.end())
      return it->second;
    recorded.try_emplace(std::move(key), p);
    return LayerCost();
  }
  auto [it, inserted] = costs.try_emplace(std::move(key));
  if (inserted)
    it->second = getBestCost(p, target, l1Budget);
  return it->second;
}

void mlir::dwsep::CostCache::searchRecorded(MLIRContext *ctx) {
  recording = false;
  SmallVector<const LayerProblem *> problems;
  for (auto &[key, p] : recorded)
    problems.push_back(&p);
  SmallVector<std::optional<LayerCost>> found(problems.size());
  parallelFor(ctx, 0, problems.size(), [&](size_t i) {
    found[i] = getBestCost(*problems[i], target, l1Budget);
  });
  for (auto [i, entry] : llvm::enumerate(recorded))
    costs.try_emplace(entry.first, found[i]);
  recorded.clear();
}
