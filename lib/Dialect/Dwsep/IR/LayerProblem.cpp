//===- LayerProblem.cpp - Each compute op's problem ---------------*- C++
//-*-===//
//
// TileableOpInterface: every compute op reduced to the logical sizes the
// tiler and the cost model work on, one method per op (the upstream model
// of TilingInterfaceImpl.cpp: each op's knowledge in its own method). The
// formulas that use them are in lib/Target and docs/cost-model.md.
//
//===----------------------------------------------------------------------===//

#include "dwsep/Dialect/Dwsep/IR/LayerProblem.h"
#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::dwsep;

/// Bytes of bias per output channel (i32).
static constexpr int64_t kBias = 4;

StringRef mlir::dwsep::stringifyKernelKind(KernelKind kind) {
  switch (kind) {
  case KernelKind::conv2d:
    return "conv2d";
  case KernelKind::depthwise:
    return "depthwise";
  case KernelKind::pointwise:
    return "pointwise";
  case KernelKind::fused:
    return "fused";
  case KernelKind::add:
    return "add";
  case KernelKind::avgpool:
    return "avgpool";
  case KernelKind::linear:
    return "linear";
  case KernelKind::relayout:
    return "relayout";
  }
  return "unknown";
}

LayerProblem::RowWindow LayerProblem::inputRows(int64_t r0, int64_t n) const {
  int64_t first = r0 * strideH - padTop;
  int64_t end = (r0 + n - 1) * strideH - padTop + kh;
  RowWindow w;
  w.first = std::max<int64_t>(first, 0);
  w.count = std::min(end, inH) - w.first;
  w.padTop = w.first - first;
  w.padBottom = end - std::min(end, inH);
  return w;
}

llvm::SmallVector<int64_t, 40> LayerProblem::key() const {
  llvm::SmallVector<int64_t, 40> k = {static_cast<int64_t>(kind),
                                      inH,
                                      inW,
                                      inC,
                                      outH,
                                      outW,
                                      outC,
                                      kh,
                                      kw,
                                      strideH,
                                      strideW,
                                      padTop,
                                      padLeft,
                                      padBottom,
                                      padRight,
                                      numInputs,
                                      inputChannelsFollowOutput,
                                      splitsInputChannels,
                                      elemBytes,
                                      static_cast<int64_t>(inLayout),
                                      static_cast<int64_t>(outLayout),
                                      static_cast<int64_t>(midLayout),
                                      static_cast<int64_t>(order),
                                      static_cast<int64_t>(split),
                                      midC};
  for (const WeightTensor &w : weights)
    k.append({w.perChannel, w.fixed, w.channelDim, w.bias});
  return k;
}

LayerProblem mlir::dwsep::getFusedProblem(const LayerProblem &dw,
                                          const LayerProblem &pw,
                                          VariantAttr variant) {
  LayerProblem p;
  p.kind = KernelKind::fused;
  p.order = variant.getOrder();
  p.split = variant.getSplit();
  p.inLayout = variant.getInput();
  p.midLayout = variant.getMid();
  p.outLayout = variant.getOutput();
  p.kh = dw.kh, p.kw = dw.kw, p.strideH = dw.strideH, p.strideW = dw.strideW;
  p.padTop = dw.padTop, p.padLeft = dw.padLeft, p.padBottom = dw.padBottom,
  p.padRight = dw.padRight;
  p.elemBytes = dw.elemBytes;
  const LayerProblem &first = p.order == FusionOrder::dw_pw ? dw : pw;
  const LayerProblem &second = p.order == FusionOrder::dw_pw ? pw : dw;
  p.inH = first.inH, p.inW = first.inW, p.inC = first.inC;
  p.outH = second.outH, p.outW = second.outW, p.outC = second.outC;
  // Weights in FusedOp operand order: the depthwise half's (weights, then
  // its bias if it has one), then the pointwise half's. Each is per channel
  // of the op's output slice, except the depthwise half of a DW->PW
  // kernel, which needs every channel for every output slice.
  bool dwFirst = p.order == FusionOrder::dw_pw;
  p.midC = dwFirst ? p.inC : p.outC;
  for (const LayerProblem::WeightTensor &w : dw.weights)
    p.weights.push_back(
        dwFirst ? LayerProblem::WeightTensor{0, w.perChannel * p.inC} : w);
  llvm::append_range(p.weights, pw.weights);
  return p;
}

std::optional<LayerProblem> mlir::dwsep::getLayerProblem(Operation *op) {
  if (auto tileable = dyn_cast<TileableOpInterface>(op))
    return tileable.getLayerProblem();
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Per op
//===----------------------------------------------------------------------===//

static ActivationDims dimsOf(Value v, Layout layout) {
  return getActivationDims(v, layout);
}

static void setWindow(LayerProblem &p, int64_t kh, int64_t kw,
                      ArrayRef<int64_t> stride, ArrayRef<int64_t> pad) {
  p.kh = kh;
  p.kw = kw;
  p.strideH = stride[0];
  p.strideW = stride[1];
  if (!pad.empty()) {
    p.padTop = pad[0];
    p.padLeft = pad[1];
    p.padBottom = pad[2];
    p.padRight = pad[3];
  }
}

static void setDims(LayerProblem &p, Value in, Layout inLayout, Value out,
                    Layout outLayout) {
  ActivationDims i = dimsOf(in, inLayout), o = dimsOf(out, outLayout);
  p.inH = i.h, p.inW = i.w, p.inC = i.c;
  p.outH = o.h, p.outW = o.w, p.outC = o.c;
  p.inLayout = inLayout;
  p.outLayout = outLayout;
}

/// Bytes of one channel's row of a staged requantization rows operand.
static int64_t rowBytes(Value rows) {
  auto type = cast<ShapedType>(rows.getType());
  return type.getDimSize(1) * type.getElementTypeBitWidth() / 8;
}

/// A weights tensor, then the bias unless it is absent (zero: e.g. folded
/// into the requantization by --dwsep-fold-bias).
static SmallVector<LayerProblem::WeightTensor, 4>
weightsAndBias(LayerProblem::WeightTensor weights, Value bias) {
  SmallVector<LayerProblem::WeightTensor, 4> w = {weights};
  if (bias)
    w.push_back({kBias, 0, 0, /*bias=*/true});
  return w;
}

/// Staged requantization rows follow the bias: one row per output channel
/// (the ops with one requantization; FusedOp::getLayerProblem describes its
/// two).
static LayerProblem withRequantRows(Operation *op, LayerProblem p) {
  if (auto withRows = dyn_cast<RequantRowsOpInterface>(op))
    if (Value rows = withRows.getStagedRows(0))
      p.weights.push_back({rowBytes(rows), 0});
  return p;
}

LayerProblem Conv2DOp::getLayerProblem() {
  LayerProblem p;
  p.kind = KernelKind::conv2d;
  setDims(p, getInput(), getLayout(), getInit(), getLayout());
  auto w = cast<ShapedType>(getWeights().getType()).getShape();
  setWindow(p, w[1], w[2], getStride(), getPad());
  p.weights = weightsAndBias({w[1] * w[2] * w[3], 0}, getBias());
  return withRequantRows(*this, p);
}

LayerProblem DepthwiseOp::getLayerProblem() {
  LayerProblem p;
  p.kind = KernelKind::depthwise;
  setDims(p, getInput(), getLayout(), getInit(), getLayout());
  auto w = cast<ShapedType>(getWeights().getType()).getShape();
  setWindow(p, w[0], w[1], getStride(), getPad());
  p.inputChannelsFollowOutput = true;
  p.weights = weightsAndBias({w[0] * w[1], 0, 2}, getBias());
  return withRequantRows(*this, p);
}

LayerProblem PointwiseOp::getLayerProblem() {
  LayerProblem p;
  p.kind = KernelKind::pointwise;
  setDims(p, getInput(), getLayout(), getInit(), getLayout());
  p.weights = weightsAndBias({p.inC, 0}, getBias());
  return withRequantRows(*this, p);
}

std::pair<LayerProblem, LayerProblem> FusedOp::getHalves() {
  FusedOp o = *this;
  VariantAttr v = o.getVariant();
  ActivationDims in = dimsOf(o.getInput(), v.getInput());
  ActivationDims out = dimsOf(o.getInit(), v.getOutput());
  auto w = cast<ShapedType>(o.getDwWeights().getType()).getShape();
  LayerProblem dw, pw;
  dw.kind = KernelKind::depthwise;
  pw.kind = KernelKind::pointwise;
  setWindow(dw, w[0], w[1], o.getStride(), o.getPad());
  dw.inputChannelsFollowOutput = true;
  if (o.isDwFirst()) {
    dw.inH = in.h, dw.inW = in.w, dw.inC = in.c;
    dw.outH = pw.inH = pw.outH = out.h;
    dw.outW = pw.inW = pw.outW = out.w;
    dw.outC = pw.inC = in.c;
    pw.outC = out.c;
  } else {
    pw.inH = in.h, pw.inW = in.w, pw.inC = in.c;
    pw.outH = dw.inH = in.h, pw.outW = dw.inW = in.w;
    pw.outC = dw.inC = out.c;
    dw.outH = out.h, dw.outW = out.w, dw.outC = out.c;
  }
  // As getLayerProblem returns the unfused ops.
  dw.weights = weightsAndBias({w[0] * w[1], 0, 2}, o.getDwBias());
  pw.weights = weightsAndBias({pw.inC, 0}, o.getPwBias());
  dw.inLayout = dw.outLayout = pw.inLayout = pw.outLayout = v.getInput();
  return {dw, pw};
}

LayerProblem FusedOp::getLayerProblem() {
  // Described by its two halves, so that selection prices a pair in a
  // variant it is not written in with the same code.
  auto [dw, pw] = getHalves();
  LayerProblem p = getFusedProblem(dw, pw, getVariant());
  // The rows follow the biases, the intermediate's first. A DW->PW tile
  // computes every intermediate channel: it needs all of their rows, as it
  // needs all depthwise weights; a PW->DW tile's intermediate channels are
  // its output channels.
  if (Value rows = getMidRequantRows())
    p.weights.push_back(
        isDwFirst() ? LayerProblem::WeightTensor{0, rowBytes(rows) * p.midC}
                    : LayerProblem::WeightTensor{rowBytes(rows), 0});
  if (Value rows = getRequantRows())
    p.weights.push_back({rowBytes(rows), 0});
  return p;
}

LayerProblem AddOp::getLayerProblem() {
  LayerProblem p;
  p.kind = KernelKind::add;
  setDims(p, getLhs(), getLayout(), getInit(), getLayout());
  p.numInputs = 2;
  p.inputChannelsFollowOutput = true;
  return withRequantRows(*this, p);
}

LayerProblem AvgPoolOp::getLayerProblem() {
  LayerProblem p;
  p.kind = KernelKind::avgpool;
  setDims(p, getInput(), getLayout(), getInit(), getLayout());
  setWindow(p, getKernel()[0], getKernel()[1], getStride(), {});
  p.inputChannelsFollowOutput = true;
  return withRequantRows(*this, p);
}

LayerProblem LinearOp::getLayerProblem() {
  LayerProblem p;
  p.kind = KernelKind::linear;
  setDims(p, getInput(), Layout::hwc, getInit(), Layout::hwc);
  // Its features: an H x W x C input's H * W * C (a flattened map, which
  // --dwsep-tile reads as a vector).
  p.inH = p.inW = 1;
  p.inC = cast<ShapedType>(getInput().getType()).getNumElements();
  p.splitsInputChannels = true;
  p.weights = weightsAndBias({p.inC, 0}, getBias());
  return withRequantRows(*this, p);
}

LayerProblem RelayoutOp::getLayerProblem() {
  LayerProblem p;
  p.kind = KernelKind::relayout;
  setDims(p, getInput(), getFrom(), getInit(), getTo());
  p.inputChannelsFollowOutput = true;
  return withRequantRows(*this, p);
}

//===----------------------------------------------------------------------===//
// Row padding of a copy over some output rows
//===----------------------------------------------------------------------===//

/// `op`'s padding with the rows' top and bottom (left and right kept); an
/// op whose padding is absent (the default, none) keeps it absent.
template <typename OpTy>
static void setPaddingRows(OpTy op, int64_t top, int64_t bottom) {
  if (!op.getPadAttr())
    return;
  ArrayRef<int64_t> pad = op.getPad();
  op.setPad({top, pad[1], bottom, pad[3]});
}

void Conv2DOp::setRowPadding(int64_t top, int64_t bottom) {
  setPaddingRows(*this, top, bottom);
}
void DepthwiseOp::setRowPadding(int64_t top, int64_t bottom) {
  setPaddingRows(*this, top, bottom);
}
void FusedOp::setRowPadding(int64_t top, int64_t bottom) {
  setPaddingRows(*this, top, bottom);
}
// No padded window: a row copy's padding is nothing to set.
void PointwiseOp::setRowPadding(int64_t, int64_t) {}
void AddOp::setRowPadding(int64_t, int64_t) {}
void AvgPoolOp::setRowPadding(int64_t, int64_t) {}
void LinearOp::setRowPadding(int64_t, int64_t) {}
void RelayoutOp::setRowPadding(int64_t, int64_t) {}
