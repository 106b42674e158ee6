//===- DwsepOps.cpp - dwsep operations --------------------------*- C++ -*-===//
//
// Verifiers of the compute ops. Every message names the operand or attribute
// at fault and both sides of a mismatch, in the op's own terms (H, W, C of the
// activation in its layout), because these are the errors users see first.
//
//===----------------------------------------------------------------------===//

#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Support/DenseInts.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

#include <limits>

using namespace mlir;
using namespace mlir::dwsep;

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

namespace {

/// Value range of an activation element type (i8 is signed, ui8 unsigned).
struct ElemRange {
  int64_t lo, hi;
};
} // namespace

ActivationDims mlir::dwsep::getActivationDims(Value v, Layout layout) {
  ArrayRef<int64_t> s = cast<ShapedType>(v.getType()).getShape();
  if (s.size() == 1)
    return {1, 1, s[0]};
  return layout == Layout::hwc ? ActivationDims{s[0], s[1], s[2]}
                               : ActivationDims{s[1], s[2], s[0]};
}

void mlir::dwsep::getPhysicalBox(Builder &b, const ActivationBox &box,
                                 Layout layout, int64_t rank,
                                 SmallVectorImpl<OpFoldResult> &offsets,
                                 SmallVectorImpl<int64_t> &sizes) {
  OpFoldResult col = b.getIndexAttr(box.col), chan = box.chan;
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

Value mlir::dwsep::createSubview(OpBuilder &b, Location loc, Value source,
                                 ArrayRef<OpFoldResult> offsets,
                                 ArrayRef<int64_t> sizes) {
  SmallVector<OpFoldResult> sz, strides;
  for (int64_t s : sizes) {
    sz.push_back(b.getIndexAttr(s));
    strides.push_back(b.getIndexAttr(1));
  }
  return memref::SubViewOp::create(b, loc, source, offsets, sz, strides);
}

using ActDims = ActivationDims;
static ActDims getDims(Value v, Layout layout) {
  return getActivationDims(v, layout);
}

static ElemRange getRange(Type elem) {
  if (elem.isUnsignedInteger(8))
    return {0, 255};
  return {-128, 127};
}

static Type getElem(Value v) {
  return cast<ShapedType>(v.getType()).getElementType();
}

static int64_t getDim(Value v, unsigned i) {
  return cast<ShapedType>(v.getType()).getDimSize(i);
}

/// Every shaped operand must be static, have one of `ranks`, and all operands
/// must be tensors or all memrefs.
static LogicalResult verifyShapes(Operation *op,
                                  ArrayRef<std::pair<StringRef, Value>> values,
                                  ArrayRef<ArrayRef<int64_t>> ranks) {
  std::optional<bool> tensors;
  for (auto [idx, entry] : llvm::enumerate(values)) {
    auto [name, v] = entry;
    if (!v)
      continue; // an optional operand that is absent (a bias)
    auto type = cast<ShapedType>(v.getType());
    if (!type.hasStaticShape())
      return op->emitOpError()
             << name << " must have a static shape, got " << type;
    if (!llvm::is_contained(ranks[idx], type.getRank())) {
      InFlightDiagnostic d = op->emitOpError() << name << " must have rank ";
      llvm::interleave(ranks[idx], d, " or ");
      return d << ", got " << type;
    }
    bool isTensor = isa<RankedTensorType>(type);
    if (tensors && *tensors != isTensor)
      return op->emitOpError()
             << "operands must be all tensors or all memrefs, but " << name
             << " is " << (isTensor ? "a tensor" : "a memref");
    tensors = isTensor;
  }
  return success();
}

static LogicalResult verifyZeroPoint(Operation *op, StringRef name, int32_t zp,
                                     Value v) {
  ElemRange r = getRange(getElem(v));
  if (zp < r.lo || zp > r.hi)
    return op->emitOpError() << name << " " << zp << " is outside the range ["
                             << r.lo << ", " << r.hi << "] of " << getElem(v);
  return success();
}

/// `rq` must describe `channels` channels, or with a channel offset `o`
/// (ChannelSliceOpInterface) channels [o, o + channels) of a layer's; when it
/// produces 8-bit values of `out`'s element type, its clamp must lie within
/// that type's range.
static LogicalResult verifyRequant(Operation *op, StringRef name,
                                   RequantAttr rq, int64_t channels,
                                   std::optional<Type> outElem,
                                   Value channelOffset = Value()) {
  if (channelOffset && rq.getNumChannels() > 1) {
    int64_t n = rq.getNumChannels();
    APInt o;
    if (matchPattern(channelOffset, m_ConstantInt(&o))) {
      if (o.isNegative() || o.getSExtValue() + channels > n)
        return op->emitOpError()
               << name << " has " << n << " per-channel values but channels ["
               << o.getSExtValue() << ", " << o.getSExtValue() + channels
               << ") of it are used (channel_offset " << o.getSExtValue()
               << ", " << channels << " output channels)";
    } else if (n < channels) {
      return op->emitOpError()
             << name << " has " << n
             << " per-channel values, fewer than the output's " << channels
             << " channels";
    }
  } else if (!rq.isCompatibleWith(channels)) {
    return op->emitOpError() << name << " has " << rq.getNumChannels()
                             << " per-channel values but the output has "
                             << channels << " channels";
  }
  if (!outElem)
    return success();
  ElemRange r = getRange(*outElem);
  if (rq.getClampMin() < r.lo || rq.getClampMax() > r.hi)
    return op->emitOpError()
           << name << " clamp [" << rq.getClampMin() << ", " << rq.getClampMax()
           << "] exceeds the range [" << r.lo << ", " << r.hi << "] of "
           << *outElem << ", the type it produces";
  return success();
}

static LogicalResult expectEq(Operation *op, int64_t actual, int64_t expected,
                              const Twine &what, const Twine &why) {
  if (actual == expected)
    return success();
  return op->emitOpError() << what << " is " << actual << " but " << why
                           << " is " << expected;
}

/// An optional bias (absent: zero, e.g. folded into the requantization by
/// --dwsep-fold-bias) has one value per channel.
static LogicalResult expectBias(Operation *op, Value bias, int64_t expected,
                                const Twine &what, const Twine &why) {
  if (!bias)
    return success();
  return expectEq(op, getDim(bias, 0), expected, what, why);
}

/// The rows operand of a RequantRowsOpInterface op (if any): one static row
/// of requantization fields per output channel.
static LogicalResult
verifyRequantRows(Operation *op, Value rows, int64_t channels,
                  StringRef name = "requant_rows",
                  StringRef whose = "the output channel count") {
  if (!rows)
    return success();
  auto type = cast<ShapedType>(rows.getType());
  if (type.getRank() != 2 || !type.hasStaticShape() || type.getDimSize(1) < 1)
    return op->emitOpError() << name
                             << " must be a static [channels, fields] array "
                                "with fields >= 1, got "
                             << rows.getType();
  return expectEq(op, type.getDimSize(0), channels,
                  (name + " rows (dim 0)").str(), whose);
}

/// Checks stride/padding and returns the output size of a sliding window of
/// `k` over `in` (one spatial dimension).
static FailureOr<int64_t> windowOutput(Operation *op, StringRef dim, int64_t in,
                                       int64_t k, int64_t stride, int64_t padLo,
                                       int64_t padHi) {
  if (k < 1)
    return op->emitOpError() << "kernel " << dim << " must be >= 1, got " << k;
  if (stride < 1)
    return op->emitOpError()
           << "stride " << dim << " must be >= 1, got " << stride;
  if (padLo < 0 || padHi < 0 || padLo >= k || padHi >= k)
    return op->emitOpError()
           << "padding of " << dim << " [" << padLo << ", " << padHi
           << "] must be in [0, kernel - 1 = " << k - 1 << "]";
  if (in + padLo + padHi < k)
    return op->emitOpError() << "kernel " << dim << " " << k
                             << " is larger than the padded input " << in
                             << " + " << padLo << " + " << padHi;
  return (in + padLo + padHi - k) / stride + 1;
}

/// Verifies a KxK window op (conv2d, depthwise, avgpool, the depthwise half
/// of a fused op): stride/pad arrays and the output size.
static LogicalResult verifyWindow(Operation *op, ActDims in, ActDims out,
                                  int64_t kh, int64_t kw,
                                  ArrayRef<int64_t> stride,
                                  ArrayRef<int64_t> pad, StringRef outName) {
  if (stride.size() != 2)
    return op->emitOpError()
           << "stride must have 2 values [h, w], got " << stride.size();
  if (pad.size() != 4)
    return op->emitOpError()
           << "pad must have 4 values [top, left, bottom, right], got "
           << pad.size();
  FailureOr<int64_t> oh =
      windowOutput(op, "height", in.h, kh, stride[0], pad[0], pad[2]);
  if (failed(oh))
    return failure();
  FailureOr<int64_t> ow =
      windowOutput(op, "width", in.w, kw, stride[1], pad[1], pad[3]);
  if (failed(ow))
    return failure();
  if (out.h != *oh || out.w != *ow)
    return op->emitOpError()
           << outName << " is " << out.h << "x" << out.w
           << " (HxW) but the input " << in.h << "x" << in.w << ", kernel "
           << kh << "x" << kw << ", stride [" << stride[0] << ", " << stride[1]
           << "] and pad [" << pad[0] << ", " << pad[1] << ", " << pad[2]
           << ", " << pad[3] << "] give " << *oh << "x" << *ow;
  return success();
}

/// Memory effects of a destination-passing-style compute op on memrefs: it
/// reads every input and (over)writes the destination.
static void getDpsEffects(
    DestinationStyleOpInterface op,
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isa<MemRefType>(operand.get().getType()))
      continue;
    if (op.isDpsInit(&operand))
      effects.emplace_back(MemoryEffects::Write::get(), &operand,
                           SideEffects::DefaultResource::get());
    else
      effects.emplace_back(MemoryEffects::Read::get(), &operand,
                           SideEffects::DefaultResource::get());
  }
}

#define DWSEP_DPS_EFFECTS(OP)                                                  \
  void OP::getEffects(                                                         \
      SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>      \
          &effects) {                                                          \
    getDpsEffects(*this, effects);                                             \
  }
DWSEP_DPS_EFFECTS(Conv2DOp)
DWSEP_DPS_EFFECTS(DepthwiseOp)
DWSEP_DPS_EFFECTS(PointwiseOp)
DWSEP_DPS_EFFECTS(FusedOp)
DWSEP_DPS_EFFECTS(AddOp)
DWSEP_DPS_EFFECTS(AvgPoolOp)
DWSEP_DPS_EFFECTS(LinearOp)
DWSEP_DPS_EFFECTS(RelayoutOp)
#undef DWSEP_DPS_EFFECTS

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::verify() {
  Operation *op = getOperation();
  if (failed(verifyShapes(op,
                          {{"input", getInput()},
                           {"weights", getWeights()},
                           {"bias", getBias()},
                           {"init", getInit()}},
                          {{3}, {4}, {1}, {3}})))
    return failure();
  ActDims in = getDims(getInput(), getLayout());
  ActDims out = getDims(getInit(), getLayout());
  int64_t cout = getDim(getWeights(), 0), kh = getDim(getWeights(), 1),
          kw = getDim(getWeights(), 2), cin = getDim(getWeights(), 3);
  if (failed(expectEq(op, cin, in.c, "weights input channels (dim 3)",
                      "the input's channel count")) ||
      failed(expectEq(op, cout, out.c, "weights output channels (dim 0)",
                      "the init's channel count")) ||
      failed(expectBias(op, getBias(), cout, "bias size",
                        "the output channel count")) ||
      failed(
          verifyWindow(op, in, out, kh, kw, getStride(), getPad(), "init")) ||
      failed(verifyZeroPoint(op, "input_zp", getInputZp(), getInput())))
    return failure();
  if (failed(verifyRequantRows(op, getRequantRows(), cout)))
    return failure();
  return verifyRequant(op, "requant", getRequant(), cout, getElem(getInit()),
                       getChannelOffset());
}

//===----------------------------------------------------------------------===//
// DepthwiseOp
//===----------------------------------------------------------------------===//

LogicalResult DepthwiseOp::verify() {
  Operation *op = getOperation();
  if (failed(verifyShapes(op,
                          {{"input", getInput()},
                           {"weights", getWeights()},
                           {"bias", getBias()},
                           {"init", getInit()}},
                          {{3}, {3}, {1}, {3}})))
    return failure();
  ActDims in = getDims(getInput(), getLayout());
  ActDims out = getDims(getInit(), getLayout());
  int64_t kh = getDim(getWeights(), 0), kw = getDim(getWeights(), 1),
          c = getDim(getWeights(), 2);
  if (failed(expectEq(op, c, in.c, "weights channels (dim 2)",
                      "the input's channel count")) ||
      failed(expectEq(op, out.c, in.c, "init channels",
                      "the input's channel count (channel multiplier 1)")) ||
      failed(expectBias(op, getBias(), c, "bias size", "the channel count")) ||
      failed(
          verifyWindow(op, in, out, kh, kw, getStride(), getPad(), "init")) ||
      failed(verifyZeroPoint(op, "input_zp", getInputZp(), getInput())))
    return failure();
  if (failed(verifyRequantRows(op, getRequantRows(), c)))
    return failure();
  return verifyRequant(op, "requant", getRequant(), c, getElem(getInit()),
                       getChannelOffset());
}

//===----------------------------------------------------------------------===//
// PointwiseOp
//===----------------------------------------------------------------------===//

LogicalResult PointwiseOp::verify() {
  Operation *op = getOperation();
  if (failed(verifyShapes(op,
                          {{"input", getInput()},
                           {"weights", getWeights()},
                           {"bias", getBias()},
                           {"init", getInit()}},
                          {{3}, {2}, {1}, {3}})))
    return failure();
  ActDims in = getDims(getInput(), getLayout());
  ActDims out = getDims(getInit(), getLayout());
  int64_t cout = getDim(getWeights(), 0), cin = getDim(getWeights(), 1);
  if (failed(expectEq(op, cin, in.c, "weights input channels (dim 1)",
                      "the input's channel count")) ||
      failed(expectEq(op, cout, out.c, "weights output channels (dim 0)",
                      "the init's channel count")) ||
      failed(expectBias(op, getBias(), cout, "bias size",
                        "the output channel count")) ||
      failed(expectEq(op, out.h, in.h, "init height", "the input height")) ||
      failed(expectEq(op, out.w, in.w, "init width", "the input width")) ||
      failed(verifyZeroPoint(op, "input_zp", getInputZp(), getInput())))
    return failure();
  if (failed(verifyRequantRows(op, getRequantRows(), cout)))
    return failure();
  return verifyRequant(op, "requant", getRequant(), cout, getElem(getInit()),
                       getChannelOffset());
}

namespace {
/// dwsep.pointwise over a 1 x 1 HWC map -> dwsep.linear over its channels:
/// the same operands and attributes (both ops read `1 x 1 x Cin` and write
/// `1 x 1 x Cout` with the same formula), so the rewrite needs no
/// computation. A CHW pointwise (`Cin x 1 x 1`) is left alone: the linear
/// op reads HWC shapes.
struct PointwiseOnePixelToLinear : OpRewritePattern<PointwiseOp> {
  PointwiseOnePixelToLinear(MLIRContext *ctx)
      : OpRewritePattern(ctx, /*benefit=*/1) {
    setDebugName(kPointwiseOnePixelPattern);
  }
  LogicalResult matchAndRewrite(PointwiseOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getLayout() != Layout::hwc)
      return rewriter.notifyMatchFailure(op, "not HWC");
    ActDims in = getDims(op.getInput(), op.getLayout());
    if (in.h != 1 || in.w != 1)
      return rewriter.notifyMatchFailure(op, "more than one pixel");
    auto linear = LinearOp::create(
        rewriter, op.getLoc(), op->getResultTypes(), op.getInput(),
        op.getWeights(), op.getBias(), op.getRequantRows(), op.getInit(),
        op.getChannelOffset(), op.getInputZpAttr(), op.getRequant());
    rewriter.replaceOp(op, linear);
    return success();
  }
};
} // namespace

void PointwiseOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *ctx) {
  results.add<PointwiseOnePixelToLinear>(ctx);
}

//===----------------------------------------------------------------------===//
// FusedOp
//===----------------------------------------------------------------------===//

SmallVector<int64_t, 3> FusedOp::getMidShape() {
  VariantAttr v = getVariant();
  ActDims in = getDims(getInput(), v.getInput());
  ActDims mid;
  if (isDwFirst()) {
    ActDims out = getDims(getInit(), v.getOutput());
    mid = {out.h, out.w, in.c};
  } else {
    mid = {in.h, in.w, getDim(getPwWeights(), 0)};
  }
  if (v.getMid() == Layout::hwc)
    return {mid.h, mid.w, mid.c};
  return {mid.c, mid.h, mid.w};
}

LogicalResult FusedOp::verify() {
  Operation *op = getOperation();
  if (failed(verifyShapes(op,
                          {{"input", getInput()},
                           {"dw weights", getDwWeights()},
                           {"dw bias", getDwBias()},
                           {"pw weights", getPwWeights()},
                           {"pw bias", getPwBias()},
                           {"init", getInit()}},
                          {{3}, {3}, {1}, {2}, {1}, {3}})))
    return failure();
  VariantAttr v = getVariant();
  ActDims in = getDims(getInput(), v.getInput());
  ActDims out = getDims(getInit(), v.getOutput());
  int64_t kh = getDim(getDwWeights(), 0), kw = getDim(getDwWeights(), 1),
          dwC = getDim(getDwWeights(), 2);
  int64_t pwOut = getDim(getPwWeights(), 0), pwIn = getDim(getPwWeights(), 1);
  Type midElem = getMidType();
  if (failed(expectBias(op, getDwBias(), dwC, "dw bias size",
                        "the dw weights' channel count")) ||
      failed(expectBias(op, getPwBias(), pwOut, "pw bias size",
                        "the pw weights' output channel count")) ||
      failed(verifyZeroPoint(op, "input_zp", getInputZp(), getInput())))
    return failure();

  if (getPwZpFolded() && !isDwFirst())
    return emitOpError() << "pw_zp_folded applies to a DW->PW op (whose "
                            "pointwise half reads the intermediate); this "
                            "one is PW->DW";
  if (getReuseMid() && !isDwFirst())
    return emitOpError() << "reuse_mid applies to a DW->PW op (whose "
                            "intermediate, every channel of the tile's rows, "
                            "serves every output channel slice); this one is "
                            "PW->DW";
  // The intermediate's zero point is the first half's requant zp; it is the
  // second half's input zero point and must be representable in mid_type.
  RequantAttr first = getFirstRequant();
  ElemRange midRange = getRange(midElem);
  if (first.getZp() < midRange.lo || first.getZp() > midRange.hi)
    return emitOpError() << (isDwFirst() ? "dw_requant" : "pw_requant")
                         << " zp " << first.getZp()
                         << " (the intermediate's zero point) is outside the "
                            "range ["
                         << midRange.lo << ", " << midRange.hi
                         << "] of mid_type " << midElem;

  if (isDwFirst()) {
    // input -(dw)-> mid (Ho x Wo x Cin) -(pw)-> output (Ho x Wo x Cout).
    if (failed(expectEq(op, dwC, in.c, "dw weights channels (dim 2)",
                        "the input's channel count")) ||
        failed(expectEq(op, pwIn, in.c, "pw weights input channels (dim 1)",
                        "the depthwise output's channel count")) ||
        failed(expectEq(op, pwOut, out.c, "pw weights output channels (dim 0)",
                        "the init's channel count")) ||
        failed(
            verifyWindow(op, in, out, kh, kw, getStride(), getPad(), "init")) ||
        failed(verifyRequant(op, "dw_requant", getDwRequant(), dwC, midElem)) ||
        failed(verifyRequant(op, "pw_requant", getPwRequant(), pwOut,
                             getElem(getInit()), getChannelOffset())) ||
        failed(verifyRequantRows(op, getMidRequantRows(), dwC,
                                 "mid_requant_rows",
                                 "the intermediate's channel count")) ||
        failed(verifyRequantRows(op, getRequantRows(), pwOut)))
      return failure();
    return success();
  }
  // input -(pw)-> mid (Hi x Wi x Cmid) -(dw)-> output (Ho x Wo x Cmid).
  ActDims mid{in.h, in.w, pwOut};
  if (failed(expectEq(op, pwIn, in.c, "pw weights input channels (dim 1)",
                      "the input's channel count")) ||
      failed(expectEq(op, dwC, pwOut, "dw weights channels (dim 2)",
                      "the pointwise output's channel count")) ||
      failed(expectEq(op, out.c, pwOut, "init channels",
                      "the pointwise output's channel count")) ||
      failed(
          verifyWindow(op, mid, out, kh, kw, getStride(), getPad(), "init")) ||
      failed(verifyRequant(op, "pw_requant", getPwRequant(), pwOut, midElem,
                           getChannelOffset())) ||
      failed(verifyRequant(op, "dw_requant", getDwRequant(), dwC,
                           getElem(getInit()), getChannelOffset())) ||
      failed(verifyRequantRows(op, getMidRequantRows(), pwOut,
                               "mid_requant_rows",
                               "the intermediate's channel count")) ||
      failed(verifyRequantRows(op, getRequantRows(), dwC)))
    return failure();
  return success();
}

unsigned FusedOp::getNumStagedRequants() { return 2; }

RequantAttr FusedOp::getStagedRequant(unsigned i) {
  return i == 0 ? getFirstRequant() : getSecondRequant();
}

MutableOperandRange FusedOp::getStagedRowsMutable(unsigned i) {
  return i == 0 ? getMidRequantRowsMutable() : getRequantRowsMutable();
}

StringRef FusedOp::getStagedRowsName(unsigned i) {
  return i == 0 ? "mid_requant_rows" : "requant_rows";
}

//===----------------------------------------------------------------------===//
// AddOp
//===----------------------------------------------------------------------===//

LogicalResult AddOp::verify() {
  Operation *op = getOperation();
  if (failed(verifyShapes(
          op, {{"lhs", getLhs()}, {"rhs", getRhs()}, {"init", getInit()}},
          {{3}, {3}, {3}})))
    return failure();
  auto lhsShape = cast<ShapedType>(getLhs().getType()).getShape();
  for (auto [name, v] :
       {std::pair<StringRef, Value>{"rhs", getRhs()}, {"init", getInit()}}) {
    auto shape = cast<ShapedType>(v.getType()).getShape();
    if (shape != lhsShape)
      return emitOpError() << name << " shape " << v.getType()
                           << " differs from the lhs shape "
                           << getLhs().getType();
  }
  int64_t c = getDims(getInit(), getLayout()).c;
  if (failed(verifyZeroPoint(op, "lhs_zp", getLhsZp(), getLhs())) ||
      failed(verifyZeroPoint(op, "rhs_zp", getRhsZp(), getRhs())) ||
      failed(verifyRequant(op, "lhs_requant", getLhsRequant(), c, std::nullopt,
                           getChannelOffset())) ||
      failed(verifyRequant(op, "rhs_requant", getRhsRequant(), c, std::nullopt,
                           getChannelOffset())))
    return failure();
  return verifyRequant(op, "requant", getRequant(), c, getElem(getInit()),
                       getChannelOffset());
}

//===----------------------------------------------------------------------===//
// AvgPoolOp
//===----------------------------------------------------------------------===//

LogicalResult AvgPoolOp::verify() {
  Operation *op = getOperation();
  if (failed(verifyShapes(op, {{"input", getInput()}, {"init", getInit()}},
                          {{3}, {3}})))
    return failure();
  if (getKernel().size() != 2)
    return emitOpError() << "kernel must have 2 values [h, w], got "
                         << getKernel().size();
  ActDims in = getDims(getInput(), getLayout());
  ActDims out = getDims(getInit(), getLayout());
  int64_t noPad[4] = {0, 0, 0, 0};
  if (failed(expectEq(op, out.c, in.c, "init channels",
                      "the input's channel count")) ||
      failed(verifyWindow(op, in, out, getKernel()[0], getKernel()[1],
                          getStride(), noPad, "init")) ||
      failed(verifyZeroPoint(op, "input_zp", getInputZp(), getInput())))
    return failure();
  return verifyRequant(op, "requant", getRequant(), in.c, getElem(getInit()),
                       getChannelOffset());
}

//===----------------------------------------------------------------------===//
// LinearOp
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::verify() {
  Operation *op = getOperation();
  if (failed(verifyShapes(op,
                          {{"input", getInput()},
                           {"weights", getWeights()},
                           {"bias", getBias()},
                           {"init", getInit()}},
                          {{1, 3}, {2}, {1}, {1, 3}})))
    return failure();
  auto initType = cast<ShapedType>(getInit().getType());
  if (initType.getRank() == 3 &&
      (initType.getDimSize(0) != 1 || initType.getDimSize(1) != 1))
    return emitOpError() << "init of rank 3 must be 1x1xC, got " << initType;
  // An H x W x C input is its H * W * C features in HWC order (a flattened
  // feature map).
  int64_t cin = cast<ShapedType>(getInput().getType()).getNumElements();
  int64_t cout = cast<ShapedType>(getInit().getType()).getShape().back();
  if (failed(expectEq(op, getDim(getWeights(), 1), cin,
                      "weights input features (dim 1)",
                      "the input's feature count")) ||
      failed(expectEq(op, getDim(getWeights(), 0), cout,
                      "weights output features (dim 0)",
                      "the init's feature count")) ||
      failed(expectBias(op, getBias(), cout, "bias size",
                        "the output feature count")) ||
      failed(verifyZeroPoint(op, "input_zp", getInputZp(), getInput())))
    return failure();
  if (isAccumulateForm())
    return verifyAccumulateForm();
  if (failed(verifyRequantRows(op, getRequantRows(), cout)))
    return failure();
  return verifyRequant(op, "requant", getRequant(), cout, getElem(getInit()),
                       getChannelOffset());
}

RequantAttr LinearOp::getAccumulateRequant(MLIRContext *ctx) {
  return RequantAttr::get(
      ctx, {1}, {0}, {}, /*zp=*/0, std::numeric_limits<int32_t>::min(),
      std::numeric_limits<int32_t>::max(), Rounding::half_up, /*accBound=*/0);
}

void LinearOp::setAccumulateForm() {
  getRequantRowsMutable().clear();
  getChannelOffsetMutable().clear();
  setRequantAttr(getAccumulateRequant(getContext()));
}

LogicalResult LinearOp::readInputAsVector(OpBuilder &b) {
  auto type = cast<MemRefType>(getInput().getType());
  if (type.getRank() != 3 || type.getNumElements() == type.getDimSize(2))
    return success();
  SmallVector<ReassociationIndices> all = {{0, 1, 2}};
  if (!memref::CollapseShapeOp::isGuaranteedCollapsible(type, all))
    return emitOpError() << "reads a flattened map from " << type
                         << ", which is not contiguous in L2";
  getInputMutable().assign(
      memref::CollapseShapeOp::create(b, getLoc(), getInput(), all));
  return success();
}

/// The accumulate form (an i32 init): what --dwsep-tile makes of the
/// input-feature slices of a linear layer before the last one. Its
/// accumulators live in L1 only, carry the slices before in the bias
/// operand (the init itself) and are not requantized.
LogicalResult LinearOp::verifyAccumulateForm() {
  if (getMemoryLevel(getInit().getType()) != MemoryLevel::l1)
    return emitOpError() << "accumulates into an i32 init only in L1 (the "
                            "input-feature slices --dwsep-tile makes), got "
                         << getInit().getType();
  if (getBias() && getBias() != getInit())
    return emitOpError() << "accumulate form: the bias must be the i32 init "
                            "itself (the accumulators of the slices before)";
  if (getRequantRows() || getChannelOffset())
    return emitOpError() << "accumulate form: no requantization, so no "
                            "requant_rows or channel_offset";
  if (getRequant() != getAccumulateRequant(getContext()))
    return emitOpError() << "accumulate form: requant must be the identity "
                         << getAccumulateRequant(getContext()) << ", got "
                         << getRequant();
  return success();
}

//===----------------------------------------------------------------------===//
// RelayoutOp
//===----------------------------------------------------------------------===//

LogicalResult RelayoutOp::verify() {
  Operation *op = getOperation();
  if (failed(verifyShapes(op, {{"input", getInput()}, {"init", getInit()}},
                          {{3}, {3}})))
    return failure();
  if (getFrom() == getTo())
    return emitOpError() << "converts " << stringifyLayout(getFrom())
                         << " to itself; from and to must differ";
  if (getElem(getInput()) != getElem(getInit()))
    return emitOpError() << "element type " << getElem(getInit())
                         << " of init differs from the input's "
                         << getElem(getInput());
  ActDims in = getDims(getInput(), getFrom());
  ActDims out = getDims(getInit(), getTo());
  if (in.h != out.h || in.w != out.w || in.c != out.c)
    return emitOpError() << "init " << getInit().getType() << " is H=" << out.h
                         << " W=" << out.w << " C=" << out.c << " in "
                         << stringifyLayout(getTo()) << " but the input "
                         << getInput().getType() << " is H=" << in.h
                         << " W=" << in.w << " C=" << in.c << " in "
                         << stringifyLayout(getFrom());
  return success();
}

Value mlir::dwsep::createPingPongOffset(OpBuilder &b, Location loc,
                                        int64_t off0, int64_t off1, int64_t k0,
                                        Value shift) {
  auto cst = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  if (off0 == off1)
    return cst(off0);
  std::optional<int64_t> constant =
      shift ? getConstantIntValue(shift) : std::optional<int64_t>(0);
  if (constant)
    return cst((k0 + *constant) % 2 ? off1 : off0);
  Value number = k0 % 2 ? arith::AddIOp::create(b, loc, shift, cst(1)) : shift;
  Value parity = arith::RemUIOp::create(b, loc, number, cst(2));
  return arith::AddIOp::create(
      b, loc, cst(off0),
      arith::MulIOp::create(b, loc, parity, cst(off1 - off0)));
}

Value mlir::dwsep::createDma(OpBuilder &b, Location loc, Value source,
                             Value target, bool weights) {
  auto collapse = [&](Value v) -> Value {
    auto type = cast<MemRefType>(v.getType());
    if (type.getRank() <= 3)
      return v;
    ReassociationIndices rest;
    for (int64_t d = 1; d < type.getRank(); ++d)
      rest.push_back(d);
    return memref::CollapseShapeOp::create(
        b, loc, v, ArrayRef<ReassociationIndices>{{0}, rest});
  };
  return DmaStartOp::create(b, loc, collapse(source), collapse(target), weights)
      .getToken();
}

//===----------------------------------------------------------------------===//
// LayerOp
//===----------------------------------------------------------------------===//

void LayerOp::build(OpBuilder &builder, OperationState &state, StringRef name) {
  state.addAttribute(getNameAttrName(state.name), builder.getStringAttr(name));
  Region *body = state.addRegion();
  body->push_back(new Block);
}

LogicalResult LayerOp::verify() {
  // A layer is a step of an entry point: lowering announces it to the
  // runtime before the function's top-level op that holds it, and
  // --dwsep-report accounts each transfer to one layer.
  if (!(*this)->getParentOfType<FunctionOpInterface>())
    return emitOpError() << "must be inside a function";
  if (Operation *outer = (*this)->getParentOfType<LayerOp>())
    return emitOpError() << "is nested in the layer "
                         << cast<LayerOp>(outer).getNameAttr()
                         << "; layers do not nest";
  if (std::optional<ArrayRef<int64_t>> tile = getTile())
    if (tile->size() < 2 || tile->size() > 3 ||
        llvm::any_of(*tile, [](int64_t v) { return v < 1; }))
      return emitOpError() << "tile must be [rows, channels] or [rows, "
                              "channels, input channels], each >= 1";
  if (std::optional<uint64_t> l1 = getL1Bytes(); l1 && (int64_t)*l1 < 0)
    return emitOpError() << "l1_bytes must not be negative";
  if (getOneInputBuffer() && !getRowsOuter())
    return emitOpError() << "one_input_buffer needs rows_outer: only row "
                            "tiles outer keep a row tile's input across slices";
  if (std::optional<uint64_t> from = getInputKeptFrom()) {
    TilePlanAttr plan = getPlanAttr();
    if ((int64_t)*from < 0 || !plan || plan.getKeptTransfers() == 0)
      return emitOpError()
             << "input_kept_from = " << (int64_t)*from
             << " needs a value >= 0 and a tile plan whose kept_act_l2_l1 "
                "and kept_transfers say what a kept input saves";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// DmaStartOp
//===----------------------------------------------------------------------===//

std::optional<MemoryLevel> mlir::dwsep::getMemoryLevel(Type type) {
  auto memref = dyn_cast<BaseMemRefType>(type);
  if (!memref)
    return std::nullopt;
  if (auto level = dyn_cast_or_null<MemoryLevelAttr>(memref.getMemorySpace()))
    return level.getValue();
  return std::nullopt;
}

MemoryLevel DmaStartOp::getSourceLevel() {
  return *getMemoryLevel(getSource().getType());
}
MemoryLevel DmaStartOp::getTargetLevel() {
  return *getMemoryLevel(getTarget().getType());
}

unsigned DmaStartOp::getDirection() {
  if (getSourceLevel() == MemoryLevel::l3)
    return 0;
  if (getTargetLevel() == MemoryLevel::l3)
    return 3;
  return getSourceLevel() == MemoryLevel::l2 ? 1 : 2;
}

int64_t DmaStartOp::getNumBytes() {
  auto type = cast<MemRefType>(getSource().getType());
  return type.getNumElements() * type.getElementTypeBitWidth() / 8;
}

LogicalResult DmaStartOp::verify() {
  auto src = cast<MemRefType>(getSource().getType());
  auto dst = cast<MemRefType>(getTarget().getType());
  if (src.getShape() != dst.getShape() ||
      src.getElementType() != dst.getElementType())
    return emitOpError() << "source " << src << " and target " << dst
                         << " must have the same shape and element type";
  if (src.getRank() < 1 || src.getRank() > 3)
    return emitOpError() << "transfers are 1-D to 3-D, got rank "
                         << src.getRank();
  if (!src.getElementType().isIntOrFloat() ||
      src.getElementTypeBitWidth() % 8 != 0)
    return emitOpError() << "element type " << src.getElementType()
                         << " is not a whole number of bytes";
  std::optional<MemoryLevel> from = getMemoryLevel(src),
                             to = getMemoryLevel(dst);
  if (!from || !to)
    return emitOpError() << (from ? "target" : "source")
                         << " must be in a #dwsep.level memory space, got "
                         << (from ? dst : src);
  int step = std::abs(static_cast<int>(*from) - static_cast<int>(*to));
  if (step != 1)
    return emitOpError() << "cannot copy " << stringifyMemoryLevel(*from)
                         << " -> " << stringifyMemoryLevel(*to)
                         << ": DMA connects L3<->L2 and L2<->L1 only";
  return success();
}

//===----------------------------------------------------------------------===//
// ZeroPointFoldingOpInterface
//===----------------------------------------------------------------------===//

int32_t PointwiseOp::getFoldableZeroPoint() { return getInputZp(); }
Value PointwiseOp::getFoldableWeights() { return getWeights(); }
MutableOperandRange PointwiseOp::getFoldableBiasMutable() {
  return getBiasMutable();
}
void PointwiseOp::setZeroPointFolded() { setInputZp(0); }

// Depthwise: the weights [kh, kw, C], channel last; the zero point still
// pads (a padding tap reads input_zp, whose product the fold takes back).
int32_t DepthwiseOp::getFoldableZeroPoint() {
  return getZpFolded() ? 0 : getInputZp();
}
Value DepthwiseOp::getFoldableWeights() { return getWeights(); }
unsigned DepthwiseOp::getFoldableChannelDim() { return 2; }
MutableOperandRange DepthwiseOp::getFoldableBiasMutable() {
  return getBiasMutable();
}
void DepthwiseOp::setZeroPointFolded() { setZpFolded(true); }

int32_t LinearOp::getFoldableZeroPoint() { return getInputZp(); }
Value LinearOp::getFoldableWeights() { return getWeights(); }
MutableOperandRange LinearOp::getFoldableBiasMutable() {
  return getBiasMutable();
}
void LinearOp::setZeroPointFolded() { setInputZp(0); }

// The pointwise half: PW->DW reads the op's input (input_zp, which pads
// nothing there: the depthwise half pads with the intermediate's zp); DW->PW
// reads the intermediate, whose zero point is dw_requant's and is marked
// folded by pw_zp_folded (input_zp pads the depthwise half and stays).
int32_t FusedOp::getFoldableZeroPoint() {
  if (!isDwFirst())
    return getInputZp();
  return getPwZpFolded() ? 0 : getDwRequant().getZp();
}
Value FusedOp::getFoldableWeights() { return getPwWeights(); }
MutableOperandRange FusedOp::getFoldableBiasMutable() {
  return getPwBiasMutable();
}
void FusedOp::setZeroPointFolded() {
  if (isDwFirst())
    setPwZpFolded(true);
  else
    setInputZp(0);
}

// AccumulatorBoundOpInterface
//===----------------------------------------------------------------------===//

/// max |x - zp| over the values of activation element type `elem`.
static int64_t inputReach(Type elem, int64_t zp) {
  bool isUnsigned = elem.isUnsignedInteger();
  int64_t lo = isUnsigned ? 0 : -128, hi = isUnsigned ? 255 : 127;
  return std::max(std::abs(lo - zp), std::abs(hi - zp));
}
/// The same over the values a requantization can produce (its clamp).
static int64_t clampReach(RequantAttr rq, int64_t zp) {
  return std::max(std::abs(int64_t(rq.getClampMin()) - zp),
                  std::abs(int64_t(rq.getClampMax()) - zp));
}
static Type elementOf(Value v) {
  return cast<ShapedType>(v.getType()).getElementType();
}

/// The one requantization of conv2d, depthwise, pointwise and linear:
/// padding reads the input zero point (it contributes 0); the weights'
/// output channels are `channelDim`.
/// The inputs enter the dot products less the zero point that is not
/// folded into the bias (a folded depthwise reads its inputs as they are).
template <typename OpTy>
static SmallVector<AccumulatorSource, 2> singleSource(OpTy op,
                                                      unsigned channelDim) {
  int32_t zp = op.getInputZp();
  if (auto folding = dyn_cast<ZeroPointFoldingOpInterface>(op.getOperation()))
    zp = folding.getFoldableZeroPoint();
  return {{op.getRequant(), op.getWeights(), op.getBias(), channelDim,
           inputReach(elementOf(op.getInput()), zp)}};
}
template <typename OpTy> static void setSingleBound(OpTy op, int64_t bound) {
  op.setRequantAttr(op.getRequant().withAccBound(bound));
}
template <typename OpTy>
static void foldSingleBias(OpTy op, RequantAttr requant) {
  op.setRequantAttr(requant);
  op.getBiasMutable().clear();
}

// One requantization of the dot products with `weights`, whose output
// channel is dimension CHANNEL_DIM.
#define DWSEP_SINGLE_ACCUMULATOR(OP, CHANNEL_DIM)                              \
  SmallVector<AccumulatorSource, 2> OP::getAccumulatorSources() {              \
    return singleSource(*this, CHANNEL_DIM);                                   \
  }                                                                            \
  void OP::setAccumulatorBound(unsigned, int64_t bound) {                      \
    setSingleBound(*this, bound);                                              \
  }                                                                            \
  void OP::foldBias(unsigned, RequantAttr requant) {                           \
    foldSingleBias(*this, requant);                                            \
  }
// Weights [O, kh, kw, I], [kh, kw, C], [O, I], [O, I].
DWSEP_SINGLE_ACCUMULATOR(Conv2DOp, 0)
DWSEP_SINGLE_ACCUMULATOR(DepthwiseOp, 2)
DWSEP_SINGLE_ACCUMULATOR(PointwiseOp, 0)
DWSEP_SINGLE_ACCUMULATOR(LinearOp, 0)
#undef DWSEP_SINGLE_ACCUMULATOR
// Source 0 is the first half (it reads the op's input), source 1 the
// second (it reads the intermediate, the first requantization's clamp
// range around its zp; 0 for a DW->PW pointwise half whose bias holds the
// fold).
SmallVector<AccumulatorSource, 2> FusedOp::getAccumulatorSources() {
  RequantAttr first = getFirstRequant();
  int64_t midZp = isDwFirst() && getPwZpFolded() ? 0 : first.getZp();
  AccumulatorSource dw{getDwRequant(), getDwWeights(), getDwBias(), 2, 0};
  AccumulatorSource pw{getPwRequant(), getPwWeights(), getPwBias(), 0, 0};
  AccumulatorSource &a = isDwFirst() ? dw : pw, &b = isDwFirst() ? pw : dw;
  a.maxInput = inputReach(elementOf(getInput()), int32_t(getInputZp()));
  b.maxInput = clampReach(first, midZp);
  return {a, b};
}
void FusedOp::setAccumulatorBound(unsigned index, int64_t bound) {
  if ((index == 0) == isDwFirst())
    setDwRequantAttr(getDwRequant().withAccBound(bound));
  else
    setPwRequantAttr(getPwRequant().withAccBound(bound));
}
void FusedOp::foldBias(unsigned index, RequantAttr requant) {
  if ((index == 0) == isDwFirst()) {
    setDwRequantAttr(requant);
    getDwBiasMutable().clear();
  } else {
    setPwRequantAttr(requant);
    getPwBiasMutable().clear();
  }
}

std::optional<SmallVector<int64_t>>
mlir::dwsep::getDotProductReach(const AccumulatorSource &s) {
  DenseIntElementsAttr w;
  if (!matchPattern(s.weights, m_Constant(&w)))
    return std::nullopt;
  auto wType = cast<ShapedType>(s.weights.getType());
  if (s.channelDim != 0 && s.channelDim + 1 != (unsigned)wType.getRank())
    return std::nullopt;
  int64_t channels = wType.getDimSize(s.channelDim);
  if (channels <= 0)
    return std::nullopt;
  int64_t perChannel = wType.getNumElements() / channels;
  SmallVector<int64_t> reach(channels, 0);
  // Element i is in channel i / perChannel (channel first) or i % channels
  // (channel last).
  int64_t at = 0, c = 0;
  forEachSExtValue(w, [&](int64_t v) {
    reach[c] += std::abs(v);
    if (s.channelDim == 0) {
      if (++at == perChannel) {
        at = 0;
        ++c;
      }
    } else if (++c == channels) {
      c = 0;
    }
  });
  // At most 2^23 * 2^8 * 2^8: no overflow in int64.
  for (int64_t &r : reach)
    r *= s.maxInput;
  return reach;
}

#include "dwsep/Dialect/Dwsep/IR/DwsepInterfaces.cpp.inc"

#define GET_OP_CLASSES
#include "dwsep/Dialect/Dwsep/IR/DwsepOps.cpp.inc"
