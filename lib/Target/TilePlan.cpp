//===- TilePlan.cpp - L1 tile search and cost model -------------*- C++ -*-===//
//
// The formulas and constants are documented in docs/cost-model.md; keep the
// two in sync.
//
//===----------------------------------------------------------------------===//

#include "dwsep/Target/TilePlan.h"
#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Target/Variants.h"

#include <algorithm>
#include <set>

using namespace mlir;
using namespace mlir::dwsep;

//===----------------------------------------------------------------------===//
// Cost model
//===----------------------------------------------------------------------===//

namespace {
/// Output channels a pointwise/dense kernel computes at once (register
/// blocking in --dwsep-lower-kernels); a slice that is not a multiple costs
/// as if it were.
constexpr int64_t kChannelBlock = 4;
/// The pointwise channels past the last block take the per-pixel kernel,
/// priced at this many times a block's MACs and outputs (tileWork). A
/// constant of the kernels, not yet a #dwsep.target price: on GVSoC a 2 x
/// 19-channel tiling of 8x8x512 layers measured 1.48x its model when the
/// rest was priced as blocks.
constexpr int64_t kRestFactor = 2;

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t roundUp(int64_t a, int64_t b) { return ceilDiv(a, b) * b; }
CostClass classOf(KernelKind kind, Layout l) {
  bool chw = l == Layout::chw;
  switch (kind) {
  case KernelKind::conv2d:
    return chw ? CostClass::conv_chw : CostClass::conv_hwc;
  case KernelKind::pointwise:
    return chw ? CostClass::pointwise_chw : CostClass::pointwise_hwc;
  case KernelKind::depthwise:
    return chw ? CostClass::depthwise_chw : CostClass::depthwise_hwc;
  case KernelKind::linear:
    return CostClass::linear;
  case KernelKind::add:
    return CostClass::add;
  case KernelKind::avgpool:
    return chw ? CostClass::avgpool_chw : CostClass::avgpool_hwc;
  case KernelKind::relayout:
  case KernelKind::fused:
    break;
  }
  // A relayout by the layout it reads.
  return chw ? CostClass::relayout_chw : CostClass::relayout_hwc;
}

/// One work split over the cores as --dwsep-lower-kernels emits it:
/// `units` (rows, channels or channel blocks) dealt in contiguous chunks,
/// each unit `macs` MACs and `outs` outputs; the busiest core's share.
/// The busiest core's share of `units` of work (`macs` and `outs` each)
/// dealt in contiguous chunks over `cores`, inside a fork counted elsewhere.
void addShare(CostWork &w, CostClass c, int64_t units, int64_t cores,
              double macs, double outs) {
  int64_t share = ceilDiv(units, cores);
  w.macs[unsigned(c)] += share * macs;
  w.outs[unsigned(c)] += share * outs;
}

void addSplit(CostWork &w, CostClass c, int64_t units, int64_t cores,
              double macs, double outs) {
  if (units <= 0)
    return;
  addShare(w, c, units, cores, macs, outs);
  w.forks += 1;
}

/// The busiest core's work of one tile of `rows` output rows (reading
/// `inRows` input rows) and `channels` output channels on `cores` cores,
/// split as the lowering splits it. A depthwise unit's "outputs" count the
/// input pixels its channel reads too: the XpulpV2 kernels copy each
/// channel's input rows into a padded plane first (WindowKernel.cpp,
/// emitDepthwisePlane), so a stride-2 output costs the copy of 4 input
/// pixels where a stride-1 one costs 1 (priced alike, stride-2 layers
/// measured 1.4-1.6x their model).
CostWork tileWork(const LayerProblem &p, int64_t rows, int64_t inRows,
                  int64_t channels, int64_t cores, bool firstHalf = true,
                  bool secondHalf = true) {
  CostWork w;
  int64_t cb = roundUp(channels, kChannelBlock);
  int64_t taps = p.kh * p.kw;
  CostClass c = classOf(p.kind, p.inLayout);
  // A pointwise tile (or half): by channel blocks when the tile has fewer
  // rows than cores (and more than one pixel), else by rows.
  auto addPointwise = [&](CostClass pc) {
    if (pointwiseSplitsChannels(rows, p.outW, channels, cores)) {
      // One fork (WindowKernel.cpp, emitPointwise): the blocks, with all
      // their pixels, or (few blocks) (pixel pair, block) units and the odd
      // last column per (row, block); then the channels past the last block
      // per pixel.
      auto [macs, outs] = phaseShares(
          pointwisePhases(rows, p.outW, channels, p.inC, cores), cores);
      w.macs[unsigned(pc)] += macs;
      w.outs[unsigned(pc)] += outs;
      w.forks += 1;
      return;
    }
    addSplit(w, pc, rows, cores, double(p.outW) * cb * p.inC,
             double(p.outW) * channels);
  };
  // A 1x1 window over one pixel (linear, a pointwise over one pixel): by
  // output channels, or by input features with a reduction on core 0
  // (linearSplitsInputs), priced as one output a channel. Both are the
  // linear kernel (WindowKernel.cpp, emitGeneric).
  auto addLinear = [&] {
    CostClass lc = CostClass::linear;
    if (!linearSplitsInputs(channels, p.inC, cores))
      return addSplit(w, lc, channels, cores, double(p.inC), 1);
    addSplit(w, lc, ceilDiv(p.inC, 4), cores, 4.0 * channels, 0);
    w.outs[unsigned(lc)] += channels;
  };
  switch (p.kind) {
  case KernelKind::pointwise:
    if (rows * p.outW == 1)
      addLinear();
    else
      addPointwise(c);
    break;
  case KernelKind::conv2d:
    // By output rows; channel blocks of kChannelBlock.
    addSplit(w, c, rows, cores, double(p.outW) * cb * taps * p.inC,
             double(p.outW) * channels);
    break;
  case KernelKind::depthwise:
    addSplit(w, c, channels, cores, double(rows) * p.outW * taps,
             double(rows) * p.outW + double(inRows) * p.inW);
    break;
  case KernelKind::linear:
    addLinear();
    break;
  case KernelKind::avgpool:
    // By rows, by channels when the tile has fewer rows than cores.
    if (rows < cores)
      addSplit(w, c, channels, cores, double(rows) * p.outW * taps,
               double(rows) * p.outW);
    else
      addSplit(w, c, rows, cores, double(p.outW) * channels * taps,
               double(p.outW) * channels);
    break;
  case KernelKind::add:
  case KernelKind::relayout:
    addSplit(w, c, rows, cores, 0, double(p.outW) * channels);
    break;
  case KernelKind::fused: {
    // Two work splits per tile, one per half, each in the layout it reads:
    // the depthwise half reads the op's input for DW->PW and the
    // intermediate for PW->DW, the pointwise half the other one.
    bool dwFirst = p.order == FusionOrder::dw_pw;
    bool byChannels = p.split == SplitKind::channels;
    CostClass dwC =
        classOf(KernelKind::depthwise, dwFirst ? p.inLayout : p.midLayout);
    CostClass pwC =
        classOf(KernelKind::pointwise, dwFirst ? p.midLayout : p.inLayout);
    int64_t px = rows * p.outW;
    if (dwFirst) {
      // The depthwise half over every intermediate channel of the tile's
      // rows (for each output channel slice, unless the plan keeps the
      // intermediate: TilePlan::midResident), split by channels; the
      // pointwise half as a pointwise layer.
      if (firstHalf)
        addSplit(w, dwC, p.inC, cores, double(px) * taps,
                 double(px) + double(inRows) * p.inW);
      if (secondHalf)
        addPointwise(pwC);
      break;
    }
    // PW->DW: the pointwise half over the tile's input rows for the channel
    // slice, then the depthwise half; by rows or by (blocks of) channels.
    int64_t inPx = inRows * p.inW;
    if (byChannels) {
      addSplit(w, pwC, ceilDiv(channels, kChannelBlock), cores,
               double(inPx) * kChannelBlock * p.inC,
               double(inPx) * kChannelBlock);
      addSplit(w, dwC, channels, cores, double(px) * taps,
               double(px) + double(inPx));
    } else {
      addSplit(w, pwC, inRows, cores, double(p.inW) * cb * p.inC,
               double(p.inW) * channels);
      addSplit(w, dwC, rows, cores, double(p.outW) * channels * taps,
               double(p.outW + p.strideH * p.inW) * channels);
    }
    break;
  }
  }
  return w;
}
} // namespace

bool mlir::dwsep::pointwiseSplitsPixels(int64_t channels, int64_t cores) {
  return ceilDiv(channels, kChannelBlock) < cores;
}

std::pair<double, double> mlir::dwsep::phaseShares(ArrayRef<PhaseWork> phases,
                                                   int64_t cores) {
  SmallVector<double> macs(cores, 0.0), outs(cores, 0.0);
  int64_t offset = 0;
  for (const PhaseWork &ph : phases) {
    if (ph.units <= 0)
      continue;
    int64_t chunk = ceilDiv(ph.units, cores);
    int64_t used = ceilDiv(ph.units, chunk);
    for (int64_t i = 0; i < used; ++i) {
      int64_t n = std::min(chunk, ph.units - i * chunk);
      int64_t core = (offset + i) % cores;
      macs[core] += n * ph.macs;
      outs[core] += n * ph.outs;
    }
    offset = (offset + used) % cores;
  }
  int64_t busiest = 0;
  for (int64_t k = 1; k < cores; ++k)
    if (macs[k] > macs[busiest] ||
        (macs[k] == macs[busiest] && outs[k] > outs[busiest]))
      busiest = k;
  return {macs[busiest], outs[busiest]};
}

SmallVector<PhaseWork, 3>
mlir::dwsep::pointwisePhases(int64_t rows, int64_t cols, int64_t channels,
                             int64_t inC, int64_t cores) {
  // WindowKernel.cpp, emitPointwise: the blocks with all their pixels, or
  // (few blocks) (pixel pair, block) units and the odd last column per
  // (row, block); then the channels past the last block per pixel, which
  // take the per-pixel kernel: one pv.sdot and two loads per 4 MACs where
  // the 2x4 block has 8 and 6 per 32, and a requantization per output
  // (kRestFactor).
  int64_t blocks = channels / kChannelBlock, rest = channels % kChannelBlock;
  SmallVector<PhaseWork, 3> phases;
  double b = kChannelBlock;
  if (pointwiseSplitsPixels(channels, cores)) {
    phases.push_back({rows * (cols / 2) * blocks, 2 * b * inC, 2 * b});
    phases.push_back({rows * (cols % 2) * blocks, b * inC, b});
  } else {
    phases.push_back(
        {blocks, double(rows) * cols * b * inC, double(rows) * cols * b});
  }
  double r = double(kRestFactor) * rest;
  phases.push_back({rest ? rows * cols : 0, r * inC, r});
  return phases;
}

namespace {
/// Instructions of one step (one input word) of the dot loops over
/// `channels` output channels of one pixel (WindowKernel.cpp's linear path):
/// blocks of 4 (one input load, 4 weight loads, 4 dot products), then one
/// channel at a time (a load of each and a dot product).
int64_t dotStepInstructions(int64_t channels) {
  return channels / kChannelBlock * (1 + 2 * kChannelBlock) +
         channels % kChannelBlock * 3;
}
} // namespace

bool mlir::dwsep::linearSplitsInputs(int64_t channels, int64_t features,
                                     int64_t cores) {
  if (cores < 2 || channels > kMaxSplitInputChannels || features % 4)
    return false;
  int64_t words = features / 4;
  // The busiest core's instructions either way; the reduction (a load and
  // an add a core and channel, on core 0 after the fork) charged to the
  // split by features.
  int64_t byChannels = words * dotStepInstructions(ceilDiv(channels, cores));
  int64_t byFeatures = ceilDiv(words, cores) * dotStepInstructions(channels) +
                       2 * cores * channels;
  return byFeatures < byChannels;
}

bool mlir::dwsep::pointwiseSplitsChannels(int64_t rows, int64_t cols,
                                          int64_t channels, int64_t cores) {
  if (rows * cols <= 1 || rows >= cores)
    return false;
  // The busiest core's MACs either way (per input channel: inC 1), the
  // channels past the last block counted twice as tileWork prices them.
  double byRows =
      double(ceilDiv(rows, cores)) * cols * roundUp(channels, kChannelBlock);
  double byChannels =
      phaseShares(pointwisePhases(rows, cols, channels, 1, cores), cores).first;
  return byChannels < byRows;
}

double mlir::dwsep::CostWork::cycles(TargetAttr target) const {
  double c = forks * target.getCost(kCostFork);
  for (unsigned k = 0; k < kNumCostClasses; ++k)
    c += (macs[k] * target.getCost(costMac(CostClass(k))) +
          outs[k] * target.getCost(costOut(CostClass(k)))) /
         1000.0;
  return c;
}

void mlir::dwsep::CostWork::add(const CostWork &o, int64_t times) {
  for (unsigned k = 0; k < kNumCostClasses; ++k) {
    macs[k] += times * o.macs[k];
    outs[k] += times * o.outs[k];
  }
  forks += times * o.forks;
}

int64_t mlir::dwsep::getScratchBytes(const LayerProblem &p, TileShape tile) {
  if (p.kind != KernelKind::fused)
    return 0;
  // The lowering keeps the whole intermediate of the tile in L1: for DW->PW
  // the depthwise output rows of the tile, for PW->DW the pointwise output
  // of the tile's input rows (halo included) for its channel slice.
  if (p.order == FusionOrder::dw_pw)
    return tile.rows * p.outW * p.midC * p.elemBytes;
  int64_t inRows = std::min(p.inH, (tile.rows - 1) * p.strideH + p.kh);
  return inRows * p.inW * tile.channels * p.elemBytes;
}

/// Whether the tile loops may run either way (TileShape::rowsOuter):
/// several row tiles and channel slices of a layer whose tiles read every
/// input channel.
static bool bothOrdersApply(const LayerProblem &p, int64_t numRowTiles,
                            int64_t numChannelTiles) {
  return numRowTiles > 1 && numChannelTiles > 1 && !p.inputChannelsFollowOutput;
}

namespace {
/// A plan's cycle sums: total (with double buffering), compute, DMA, and
/// the DMA compute does not hide.
struct Totals {
  double total = 0, compute = 0, dma = 0, exposedDma = 0;
  /// `count` tiles of `work` (priced `tileCompute` cycles) moving
  /// `tileDma` cycles of transfers each, those of the next tile under this
  /// one's compute: each costs max(compute, DMA) + `overhead`.
  void addTiles(TilePlan &plan, const CostWork &work, int64_t count,
                double tileCompute, double tileDma, int64_t overhead) {
    plan.work.add(work, count);
    plan.tiles += count;
    dma += count * tileDma;
    compute += count * tileCompute;
    exposedDma += count * std::max(0.0, tileDma - tileCompute);
    total += count * (std::max(tileCompute, tileDma) + overhead);
  }
};
} // namespace

TilePlan mlir::dwsep::evaluateTile(const LayerProblem &p, TileShape tile,
                                   TargetAttr target) {
  TilePlan plan;
  plan.tile = tile;
  int64_t th = tile.rows, tc = tile.channels;
  plan.numRowTiles = ceilDiv(p.outH, th);
  plan.numChannelTiles = ceilDiv(p.outC, tc);
  int64_t nR = plan.numRowTiles, nC = plan.numChannelTiles;
  int64_t remC = p.outC - (nC - 1) * tc;
  bool manyTiles = nR * nC > 1;
  int64_t inChannels = p.inputChannelsFollowOutput ? tc : p.inC;
  plan.residentInput = nR == 1 && nC > 1 && !p.inputChannelsFollowOutput;
  plan.rowsOuter = tile.rowsOuter && bothOrdersApply(p, nR, nC);
  plan.tile.rowsOuter = plan.rowsOuter;
  plan.oneInputBuffer = tile.oneInputBuffer && plan.rowsOuter;
  plan.tile.oneInputBuffer = plan.oneInputBuffer;
  plan.midResident = p.intermediateServesAllSlices() && nC > 1 &&
                     (plan.rowsOuter || plan.residentInput);

  // --- L1 layout ----------------------------------------------------------
  int64_t maxInRows = 0;
  for (int64_t r = 0; r < nR; ++r)
    maxInRows = std::max(
        maxInRows, p.inputRows(r * th, std::min(th, p.outH - r * th)).count);
  int64_t inBytes = alignTo(maxInRows * p.inW * inChannels * p.elemBytes);
  int64_t outBytes = alignTo(th * p.outW * tc * p.elemBytes);
  int64_t off = 0;
  for (int64_t i = 0; i < p.numInputs; ++i)
    for (int b = 0; b < 2; ++b) {
      plan.inputOffset[i][b] = off;
      if (b == 0 || (manyTiles && !plan.residentInput && !plan.oneInputBuffer))
        off += inBytes;
      else
        plan.inputOffset[i][b] = plan.inputOffset[i][0];
    }
  for (int b = 0; b < 2; ++b) {
    plan.outputOffset[b] = b == 0 || manyTiles ? off : plan.outputOffset[0];
    if (b == 0 || manyTiles)
      off += outBytes;
  }
  for (int b = 0; b < 2; ++b) {
    plan.weightOffset[b].clear();
    for (const LayerProblem::WeightTensor &w : p.weights) {
      int64_t bytes = alignTo(w.fixed + w.perChannel * tc);
      if (b == 1 && nC == 1) {
        plan.weightOffset[1].push_back(
            plan.weightOffset[0][plan.weightOffset[1].size()]);
        continue;
      }
      plan.weightOffset[b].push_back(off);
      off += bytes;
    }
  }
  plan.scratchBytes = alignTo(getScratchBytes(p, tile));
  plan.scratchOffset = off;
  off += plan.scratchBytes;
  plan.l1Bytes = off;

  // --- Traffic and cycles ---------------------------------------------------
  double bw = target.getL2DmaBytesPerCycle();
  int64_t latency = target.getL2DmaLatency();
  int64_t cores = target.getCores();
  Totals sums;
  double &total = sums.total, &compute = sums.compute, &dma = sums.dma,
         &exposedDma = sums.exposedDma;
  int64_t tileOverhead = target.getCost(kCostTile);
  // A slice's weights; with the intermediate kept (midResident) without
  // the whole (fixed) tensors, which only the row tile's first slice
  // fetches (below).
  auto weightBytes = [&](int64_t channels, bool withFixed = true) {
    int64_t bytes = 0;
    for (const LayerProblem::WeightTensor &w : p.weights)
      bytes += (withFixed ? w.fixed : 0) + w.perChannel * channels;
    return bytes;
  };
  int64_t numFixed = 0;
  if (plan.midResident)
    for (const LayerProblem::WeightTensor &w : p.weights)
      numFixed += w.fixed != 0;
  int64_t numW = p.weights.size() - numFixed;
  for (int64_t cls = 0; cls < 2; ++cls) {
    // Channel tile classes: the nC - 1 full ones and the last one.
    int64_t count = cls == 0 ? nC - 1 : 1;
    int64_t ch = cls == 0 ? tc : remC;
    if (count == 0)
      continue;
    int64_t inCh = p.inputChannelsFollowOutput ? ch : p.inC;
    int64_t wBytes = weightBytes(ch, /*withFixed=*/!plan.midResident);
    // Row tiles outer: every row tile fetches every slice's weights.
    int64_t wFetches = plan.rowsOuter ? nR : 1;
    plan.weightsL2ToL1 += wFetches * count * wBytes;
    plan.transfers += wFetches * count * numW;
    double wCycles = numW * latency + wBytes / bw;
    dma += wFetches * count * wCycles;
    // A row tile's work depends on its rows and input rows only, which
    // the interior row tiles share: computed once per run of equal ones
    // (the search evaluates every row count, so this loop is most of a
    // compile's cost-model time), and accumulated per row tile as before.
    int64_t workRows = -1, workInRows = -1;
    CostWork work, first;
    double tileCompute = 0, extra = 0;
    // Weights of the next channel tile are fetched during the previous
    // tile; only the first tile's are exposed.
    for (int64_t r = 0; r < nR; ++r) {
      int64_t rows = std::min(th, p.outH - r * th);
      LayerProblem::RowWindow win = p.inputRows(r * th, rows);
      int64_t in = p.numInputs * win.count * p.inW * inCh * p.elemBytes;
      int64_t out = rows * p.outW * ch * p.elemBytes;
      plan.actL1ToL2 += count * out;
      plan.transfers += count;
      // A resident input is fetched once (below, with the first tile);
      // then a tile's transfers are its write-back and the next channel
      // tile's weights.
      double tileDma = latency + out / bw;
      if (plan.residentInput) {
        tileDma += wCycles;
      } else if (plan.rowsOuter) {
        // Each tile's slice of the weights, and the row tile's input,
        // fetched once (below): during the slices of the row tile before,
        // or, in one buffer, after them.
        tileDma += wCycles;
        if (!plan.oneInputBuffer)
          tileDma += (p.numInputs * latency + in / bw) / nC;
      } else {
        plan.actL2ToL1 += count * in;
        plan.transfers += count * p.numInputs;
        tileDma += p.numInputs * latency + in / bw;
      }
      // With the intermediate resident, the depthwise half runs in the
      // row tile's first slice only (a full one: class 0).
      if (rows != workRows || win.count != workInRows) {
        workRows = rows;
        workInRows = win.count;
        work = tileWork(p, rows, win.count, ch, cores,
                        /*firstHalf=*/!plan.midResident);
        tileCompute = work.cycles(target);
        if (plan.midResident && cls == 0) {
          first = tileWork(p, rows, win.count, ch, cores,
                           /*firstHalf=*/true, /*secondHalf=*/false);
          extra = first.cycles(target);
        }
      }
      sums.addTiles(plan, work, count, tileCompute, tileDma, tileOverhead);
      if (plan.midResident && cls == 0) {
        plan.work.add(first);
        compute += extra;
        exposedDma += std::max(0.0, tileDma - tileCompute - extra) -
                      std::max(0.0, tileDma - tileCompute);
        total += std::max(tileCompute + extra, tileDma) -
                 std::max(tileCompute, tileDma);
      }
    }
  }
  // The whole weights of a plan that keeps the intermediate: with the
  // first slice of each row tile (row tiles outer) or of the layer.
  if (plan.midResident) {
    int64_t fixedBytes = weightBytes(0) - weightBytes(0, false);
    int64_t fetches = plan.rowsOuter ? nR : 1;
    plan.weightsL2ToL1 += fetches * fixedBytes;
    plan.transfers += fetches * numFixed;
    dma += fetches * (numFixed * latency + fixedBytes / bw);
  }
  // Row tiles outer: each row tile's input once. In one buffer, the
  // fetches after the first (exposed below) wait for the row tile before
  // to end, and nothing hides them.
  if (plan.rowsOuter)
    for (int64_t r = 0; r < nR; ++r) {
      LayerProblem::RowWindow win =
          p.inputRows(r * th, std::min(th, p.outH - r * th));
      int64_t in = p.numInputs * win.count * p.inW * p.inC * p.elemBytes;
      double cycles = p.numInputs * latency + in / bw;
      plan.actL2ToL1 += in;
      plan.transfers += p.numInputs;
      dma += cycles;
      if (plan.oneInputBuffer && r > 0) {
        total += cycles;
        exposedDma += cycles;
      }
    }
  // Exposed transfers: the first tile's input and weights, the last output.
  double beforeExposed = total;
  {
    int64_t rows = std::min(th, p.outH);
    LayerProblem::RowWindow win = p.inputRows(0, rows);
    int64_t in = p.numInputs * win.count * p.inW * inChannels * p.elemBytes;
    if (plan.residentInput) {
      plan.actL2ToL1 += in;
      plan.transfers += p.numInputs;
      dma += p.numInputs * latency + in / bw;
    }
    double inputCycles = p.numInputs * latency + in / bw;
    total += inputCycles;
    total += (numW + numFixed) * latency + weightBytes(tc) / bw;
    total += latency + rows * p.outW * tc * p.elemBytes / bw;
    // With one row tile that reads every input channel, the first tile's
    // input is the whole input.
    if (nR == 1 && !p.inputChannelsFollowOutput) {
      plan.wholeInputBytes = in;
      plan.wholeInputTransfers = p.numInputs;
      plan.wholeInputCycles = int64_t(inputCycles);
    }
  }
  exposedDma += total - beforeExposed;
  plan.exposedDmaCycles = int64_t(exposedDma);
  plan.computeCycles = int64_t(compute);
  plan.dmaCycles = int64_t(dma);
  plan.totalCycles = int64_t(total);
  return plan;
}

TilePlan mlir::dwsep::evaluateKTile(const LayerProblem &p, int64_t channels,
                                    int64_t inputChannels, TargetAttr target) {
  TilePlan plan;
  int64_t tc = channels, kt = inputChannels;
  plan.tile = {1, tc, false, false};
  plan.inputChannels = kt;
  plan.numRowTiles = 1;
  plan.numChannelTiles = ceilDiv(p.outC, tc);
  plan.numInputTiles = ceilDiv(p.inC, kt);
  int64_t nC = plan.numChannelTiles, nK = plan.numInputTiles;
  int64_t remC = p.outC - (nC - 1) * tc, remK = p.inC - (nK - 1) * kt;

  // --- L1 layout: the accumulators, then two buffers of each kind --------
  // (weight tensor 0 is the [outC x inC] matrix; the bias has no buffer of
  // its own, it is fetched into the accumulators).
  int64_t off = 0;
  plan.accOffset = off;
  off += alignTo(4 * p.outC);
  for (int b = 0; b < 2; ++b) {
    plan.inputOffset[0][b] = off;
    off += alignTo(kt * p.elemBytes);
  }
  for (int b = 0; b < 2; ++b) {
    plan.outputOffset[b] = off;
    off += alignTo(tc * p.elemBytes);
  }
  for (int b = 0; b < 2; ++b) {
    plan.weightOffset[b].clear();
    for (auto [w, t] : llvm::enumerate(p.weights)) {
      if (t.bias) {
        plan.weightOffset[b].push_back(plan.accOffset);
        continue;
      }
      plan.weightOffset[b].push_back(off);
      off += alignTo(w == 0 ? tc * kt : t.perChannel * tc);
    }
  }
  plan.l1Bytes = off;

  // --- Traffic and cycles ---------------------------------------------------
  // Tile (k, s) fetches the matrix's [channels x input channels] block, the
  // K slice's input when s == 0, and for the last K slice the channel
  // slice's requantization rows; the last K slice's tiles write their
  // outputs back. Tile t + 1's transfers run under tile t's compute.
  double bw = target.getL2DmaBytesPerCycle();
  int64_t latency = target.getL2DmaLatency();
  int64_t cores = target.getCores();
  int64_t tileOverhead = target.getCost(kCostTile);
  int64_t biasBytes = 0, rowsPerChannel = 0, numRows = 0;
  for (auto [w, t] : llvm::enumerate(p.weights)) {
    if (t.bias)
      biasBytes = 4 * p.outC;
    else if (w != 0)
      rowsPerChannel += t.perChannel, ++numRows;
  }
  Totals sums;
  double &total = sums.total, &compute = sums.compute, &dma = sums.dma,
         &exposedDma = sums.exposedDma;
  if (biasBytes) {
    plan.weightsL2ToL1 += biasBytes;
    plan.transfers += 1;
    double cycles = latency + biasBytes / bw;
    dma += cycles;
    total += cycles;
    exposedDma += cycles;
  }
  double firstFetch = 0;
  for (int64_t kc = 0; kc < 2; ++kc) {
    // K slice classes: the nK - 1 full ones, then the last one.
    int64_t kCount = kc == 0 ? nK - 1 : 1, ki = kc == 0 ? kt : remK;
    if (kCount == 0)
      continue;
    for (int64_t cc = 0; cc < 2; ++cc) {
      int64_t cCount = cc == 0 ? nC - 1 : 1, ch = cc == 0 ? tc : remC;
      if (cCount == 0)
        continue;
      int64_t count = kCount * cCount;
      bool lastK = kc == 1;
      int64_t wBytes = ch * ki;
      double tileDma = latency + wBytes / bw;
      plan.weightsL2ToL1 += count * wBytes;
      plan.transfers += count;
      // The K slice's input, with its first channel slice (class 0 when
      // there are several).
      if (cc == 0 || nC == 1) {
        int64_t in = ki * p.elemBytes;
        plan.actL2ToL1 += kCount * in;
        plan.transfers += kCount;
        tileDma += (latency + in / bw) / double(cc == 0 ? nC - 1 : 1);
      }
      if (lastK) {
        int64_t rows = rowsPerChannel * ch, out = ch * p.elemBytes;
        plan.weightsL2ToL1 += count * rows;
        plan.actL1ToL2 += count * out;
        plan.transfers += count * (numRows + 1);
        tileDma += numRows * latency + rows / bw + latency + out / bw;
      }
      LayerProblem slice = p;
      slice.inC = ki;
      CostWork work = tileWork(slice, 1, 1, ch, cores);
      sums.addTiles(plan, work, count, work.cycles(target), tileDma,
                    tileOverhead);
      if (kc == (nK > 1 ? 0 : 1) && cc == (nC > 1 ? 0 : 1))
        firstFetch = latency + wBytes / bw + latency + ki * p.elemBytes / bw;
    }
  }
  // Exposed: the first tile's fetch and the last output's write-back.
  double exposed = firstFetch + latency + remC * p.elemBytes / bw;
  total += exposed;
  exposedDma += exposed;
  plan.exposedDmaCycles = int64_t(exposedDma);
  plan.computeCycles = int64_t(compute);
  plan.dmaCycles = int64_t(dma);
  plan.totalCycles = int64_t(total);
  return plan;
}

int64_t TilePlan::objective(TargetAttr target) const {
  return totalCycles + bytes() * target.getCost(kCostByte) / 1000;
}

int64_t TilePlan::objective(TargetAttr target, int64_t runs,
                            int64_t keptRuns) const {
  // The whole input is the first tile's, whose fetch the total exposes.
  int64_t kept =
      wholeInputCycles + wholeInputBytes * target.getCost(kCostByte) / 1000;
  return runs * objective(target) - keptRuns * kept;
}

std::optional<TilePlan> mlir::dwsep::searchTile(const LayerProblem &p,
                                                TargetAttr target,
                                                int64_t l1Budget,
                                                int64_t *smallestBytes,
                                                const SearchOptions &options) {
  LoopOrder order = options.order;
  // Channel candidates: every distinct tile count up to kMaxChannelTiles,
  // each as the smallest even split and rounded up to the channel block
  // (DORY's multiple-of-4 preference), plus all channels.
  std::set<int64_t> channels = {p.outC};
  for (int64_t n = 1; n <= std::min(p.outC, kMaxChannelTiles); ++n) {
    int64_t c = ceilDiv(p.outC, n);
    channels.insert(c);
    channels.insert(std::min(p.outC, roundUp(c, kChannelBlock)));
  }
  // The best plan, the best with the row tiles outer (which
  // LoopOrder::rowsOuter takes wherever one fits) and the best that
  // LoopOrder::channelsOuter allows (which LoopOrder::any takes unless the
  // best beats it by the margin).
  std::optional<TilePlan> best, bestRowsOuter, bestChannels;
  auto key = [&](const TilePlan &t) {
    return std::make_tuple(t.objective(target, options.runs, options.keptRuns),
                           t.totalCycles, t.transfers, -t.l1Bytes, -t.tile.rows,
                           t.rowsOuter, t.oneInputBuffer);
  };
  int64_t smallest = INT64_MAX;
  for (int64_t c : channels) {
    if (ceilDiv(p.outC, c) > kMaxChannelTiles)
      continue;
    for (int64_t r = 1; r <= p.outH; ++r) {
      // Whether the row-tiles-outer plan with two input buffers fits: then
      // the one with one buffer moves the same bytes in more cycles.
      bool twoBuffersFit = false;
      for (auto [rowsOuter, oneBuffer] :
           {std::pair(false, false), std::pair(true, false),
            std::pair(true, true)}) {
        // Both orders apply to some shapes only; there `order` may rule one
        // of them out.
        // A fused DW->PW op takes the row tiles outer under channelsOuter
        // too: there they keep its intermediate (midResident), which slices
        // outer would compute again for every slice.
        bool both = bothOrdersApply(p, ceilDiv(p.outH, r), ceilDiv(p.outC, c));
        bool channelsAllow =
            !both || !rowsOuter || p.intermediateServesAllSlices();
        if (both ? (order == LoopOrder::rowsOuter && !rowsOuter) ||
                       (order == LoopOrder::channelsOuter && !channelsAllow)
                 : rowsOuter)
          continue;
        if (oneBuffer && (twoBuffersFit || !options.oneInputBuffer))
          continue;
        TilePlan plan = evaluateTile(p, {r, c, rowsOuter, oneBuffer}, target);
        smallest = std::min(smallest, plan.l1Bytes);
        if (plan.l1Bytes > l1Budget)
          continue;
        twoBuffersFit |= rowsOuter;
        if (!best || key(plan) < key(*best))
          best = plan;
        if (channelsAllow && (!bestChannels || key(plan) < key(*bestChannels)))
          bestChannels = plan;
        if (plan.rowsOuter &&
            (!bestRowsOuter || key(plan) < key(*bestRowsOuter)))
          bestRowsOuter = plan;
      }
    }
  }
  // K-tiled plans (tiles of every distinct K slice count up to
  // kMaxInputTiles, each slice a multiple of 4 input channels but the last,
  // for the 4-lane dot loops) where no tile over every input channel fits,
  // or where the best one has fewer output channels than there are cores
  // (the kernel deals a tile's channels to the cores: the others idle).
  // Not otherwise: the model prices a linear layer's tiles poorly, and the
  // MobileNet classifier's (1024 -> 1000, 18 channels a tile) measured 8%
  // slower K-tiled on GVSoC (docs/cost-model.md).
  if (p.splitsInputChannels &&
      (!best || best->tile.channels < std::min(p.outC, target.getCores()))) {
    std::set<int64_t> slices;
    for (int64_t n = 2; n <= std::min(ceilDiv(p.inC, 4), kMaxInputTiles); ++n)
      slices.insert(roundUp(ceilDiv(p.inC, n), 4));
    for (int64_t c : channels) {
      if (ceilDiv(p.outC, c) > kMaxChannelTiles)
        continue;
      for (int64_t kt : slices) {
        if (kt >= p.inC)
          continue;
        TilePlan plan = evaluateKTile(p, c, kt, target);
        smallest = std::min(smallest, plan.l1Bytes);
        if (plan.l1Bytes <= l1Budget && (!best || key(plan) < key(*best)))
          best = plan;
      }
    }
    if (smallestBytes)
      *smallestBytes = smallest;
    return best;
  }
  if (smallestBytes)
    *smallestBytes = smallest;
  if (order == LoopOrder::rowsOuter && bestRowsOuter)
    return bestRowsOuter;
  // LoopOrder::any: a plan the slices-outer order does not allow must beat
  // the best it allows by the margin (the model's error on such near ties
  // is larger than their difference).
  if (order == LoopOrder::any && best && bestChannels &&
      options.rowsOuterMarginPercent > 0) {
    int64_t rows = best->objective(target, options.runs, options.keptRuns);
    int64_t channels =
        bestChannels->objective(target, options.runs, options.keptRuns);
    if (rows * 100 > channels * (100 - options.rowsOuterMarginPercent))
      return bestChannels;
  }
  return best;
}
