//===- LinalgToDwsep.cpp - Import quantized linalg into dwsep ---*- C++ -*-===//
//
// Implements --dwsep-from-linalg. The anchors are the named int8
// convolutions and matmuls; each is converted together with the ops around
// it that upstream's TOSA -> linalg lowering emits:
//
//   [tensor.pad with the input zero point] -> conv (init: linalg.fill 0, or a
//   broadcasting linalg.generic of the bias) [-> tensor.collapse_shape of the
//   hwcm multiplier] [-> bias-add linalg.generic] -> requantizing
//   linalg.generic (subi izp, tosa.apply_scale, addi ozp, maxsi/minsi,
//   trunci) [-> clamping linalg.generic]
//
// into one dwsep op whose #dwsep.requant carries the apply_scale parameters
// exactly. A chain that does not match is left untouched with a diagnostic
// on its named op.
//
//===----------------------------------------------------------------------===//

#include "dwsep/Conversion/ImportUtils.h"
#include "dwsep/Conversion/Passes.h"
#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"

#include <limits>

namespace mlir::dwsep {
#define GEN_PASS_DEF_DWSEPFROMLINALG
#include "dwsep/Conversion/Passes.h.inc"
} // namespace mlir::dwsep

using namespace mlir;
using namespace mlir::dwsep;
using namespace mlir::dwsep::import;

namespace {

enum class Kind {
  ConvFhwc,
  ConvHwcf,
  DwHwc,
  DwHwcm,
  Matmul,
  BatchMatmul,
  Unsupported,
  None
};

struct KindInfo {
  Kind kind;
  bool quantized;
};

static KindInfo classify(Operation *op) {
  StringRef name = op->getName().getStringRef();
  bool q = name.ends_with("_q");
  StringRef base = q ? name.drop_back(2) : name;
  Kind k = llvm::StringSwitch<Kind>(base)
               .Case("linalg.conv_2d_nhwc_fhwc", Kind::ConvFhwc)
               .Case("linalg.conv_2d_nhwc_hwcf", Kind::ConvHwcf)
               .Case("linalg.depthwise_conv_2d_nhwc_hwc", Kind::DwHwc)
               .Case("linalg.depthwise_conv_2d_nhwc_hwcm", Kind::DwHwcm)
               .Case("linalg.matmul", Kind::Matmul)
               .Case("linalg.batch_matmul", Kind::BatchMatmul)
               .Case("linalg.quantized_batch_matmul", Kind::BatchMatmul)
               .Case("linalg.quantized_matmul", Kind::Matmul)
               .Default(Kind::None);
  if (name.starts_with("linalg.quantized_")) {
    q = true;
  } else if (k == Kind::None && (name.starts_with("linalg.conv_") ||
                                 name.starts_with("linalg.depthwise_conv_") ||
                                 name.starts_with("linalg.pooling_"))) {
    k = Kind::Unsupported;
  }
  if ((k == Kind::Matmul || k == Kind::BatchMatmul) && name.ends_with("_q"))
    k = Kind::None;
  return {k, q};
}

/// Scalar or per-channel constant parameter of the requant body.
struct Param {
  SmallVector<int64_t> values; // 1 or per channel
};

/// A failure with the reason (the op is the anchor).
using Reason = std::optional<std::string>;

struct RequantMatch {
  linalg::GenericOp generic;
  Value acc; // the i32 input
  int64_t inputZp = 0, outputZp = 0, lo = 0, hi = 0;
  Param mult, shift;
  Rounding rounding = Rounding::half_up;
};

/// `v` (used inside `g`'s body) as a constant: an arith.constant, a value
/// defined outside, or a block argument of an input that folds to a rank-1
/// constant (per channel) or a scalar.
static std::optional<Param> getParam(linalg::GenericOp g, Value v) {
  APInt c;
  if (matchPattern(v, m_ConstantInt(&c)))
    return Param{{c.getSExtValue()}};
  auto arg = dyn_cast<BlockArgument>(v);
  if (!arg || arg.getOwner() != g.getBody() ||
      arg.getArgNumber() >= (unsigned)g.getNumDpsInputs())
    return std::nullopt;
  std::optional<ConstData> d =
      foldConstant(g.getDpsInputOperand(arg.getArgNumber())->get());
  if (!d || d->shape.size() > 1)
    return std::nullopt;
  return Param{d->values};
}

static std::optional<int64_t> getScalar(linalg::GenericOp g, Value v) {
  std::optional<Param> p = getParam(g, v);
  if (!p || p->values.size() != 1)
    return std::nullopt;
  return p->values[0];
}

static bool isElementwise(linalg::GenericOp g) {
  return g.getNumLoops() == g.getNumParallelLoops() &&
         g.getNumDpsInits() == 1 &&
         g.getIndexingMapsArray().back().isIdentity();
}

/// Matches the body upstream emits for tosa.rescale (i32 -> i8).
static FailureOr<RequantMatch> matchRequant(linalg::GenericOp g) {
  if (!isElementwise(g) || g.getNumDpsInputs() < 1 ||
      !g.getIndexingMapsArray()[0].isIdentity())
    return failure();
  Block *body = g.getBody();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  if (yield.getNumOperands() != 1)
    return failure();
  auto trunc = yield.getOperand(0).getDefiningOp<arith::TruncIOp>();
  if (!trunc || !trunc.getType().isInteger(8))
    return failure();
  RequantMatch m;
  m.generic = g;
  // minsi(hi, maxsi(lo, x)) in either operand order.
  auto minOp = trunc.getIn().getDefiningOp<arith::MinSIOp>();
  if (!minOp)
    return failure();
  auto pickConst = [&](Value a, Value b,
                       Value &other) -> std::optional<int64_t> {
    if (auto c = getScalar(g, a)) {
      other = b;
      return c;
    }
    if (auto c = getScalar(g, b)) {
      other = a;
      return c;
    }
    return std::nullopt;
  };
  Value inner;
  auto hi = pickConst(minOp.getLhs(), minOp.getRhs(), inner);
  auto maxOp = inner ? inner.getDefiningOp<arith::MaxSIOp>() : nullptr;
  if (!hi || !maxOp)
    return failure();
  auto lo = pickConst(maxOp.getLhs(), maxOp.getRhs(), inner);
  auto addOp = inner ? inner.getDefiningOp<arith::AddIOp>() : nullptr;
  if (!lo || !addOp)
    return failure();
  auto ozp = pickConst(addOp.getLhs(), addOp.getRhs(), inner);
  auto scale = inner ? inner.getDefiningOp<tosa::ApplyScaleOp>() : nullptr;
  if (!ozp || !scale)
    return failure();
  m.lo = *lo;
  m.hi = *hi;
  m.outputZp = *ozp;
  std::optional<Param> mult = getParam(g, scale.getMultiplier());
  std::optional<Param> shift = getParam(g, scale.getShift());
  if (!mult || !shift)
    return failure();
  m.mult = *mult;
  m.shift = *shift;
  switch (scale.getRoundingMode()) {
  case tosa::RoundingMode::SINGLE_ROUND:
    m.rounding = Rounding::half_up;
    break;
  case tosa::RoundingMode::DOUBLE_ROUND:
    m.rounding = Rounding::double_round;
    break;
  default:
    return failure();
  }
  Value x = scale.getValue();
  if (auto sub = x.getDefiningOp<arith::SubIOp>()) {
    std::optional<int64_t> izp = getScalar(g, sub.getRhs());
    if (!izp)
      return failure();
    m.inputZp = *izp;
    x = sub.getLhs();
  }
  auto arg = dyn_cast<BlockArgument>(x);
  if (!arg || arg.getOwner() != body || arg.getArgNumber() != 0 ||
      !arg.getType().isInteger(32))
    return failure();
  m.acc = g.getDpsInputOperand(0)->get();
  return m;
}

/// An i8 -> i8 clamping generic: yield minsi(hi, maxsi(lo, in)).
static std::optional<std::pair<int64_t, int64_t>>
matchClamp(linalg::GenericOp g) {
  if (!isElementwise(g) || g.getNumDpsInputs() != 1 ||
      !g.getIndexingMapsArray()[0].isIdentity())
    return std::nullopt;
  Block *body = g.getBody();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  auto minOp = yield.getOperand(0).getDefiningOp<arith::MinSIOp>();
  if (!minOp)
    return std::nullopt;
  APInt hi, lo;
  Value inner;
  if (matchPattern(minOp.getLhs(), m_ConstantInt(&hi)))
    inner = minOp.getRhs();
  else if (matchPattern(minOp.getRhs(), m_ConstantInt(&hi)))
    inner = minOp.getLhs();
  auto maxOp = inner ? inner.getDefiningOp<arith::MaxSIOp>() : nullptr;
  if (!maxOp)
    return std::nullopt;
  if (matchPattern(maxOp.getLhs(), m_ConstantInt(&lo)))
    inner = maxOp.getRhs();
  else if (matchPattern(maxOp.getRhs(), m_ConstantInt(&lo)))
    inner = maxOp.getLhs();
  else
    return std::nullopt;
  if (inner != body->getArgument(0))
    return std::nullopt;
  return std::make_pair(lo.getSExtValue(), hi.getSExtValue());
}

/// Bias from a conv init: linalg.fill of a constant, or a generic that
/// broadcasts a rank-1 constant (yield %in).
static std::optional<SmallVector<int64_t>> biasFromInit(Value init,
                                                        int64_t cout) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>()) {
    APInt c;
    if (!matchPattern(fill.getInputs()[0], m_ConstantInt(&c)))
      return std::nullopt;
    return SmallVector<int64_t>(cout, c.getSExtValue());
  }
  auto g = init.getDefiningOp<linalg::GenericOp>();
  if (!g || g.getNumDpsInputs() != 1)
    return std::nullopt;
  auto yield = cast<linalg::YieldOp>(g.getBody()->getTerminator());
  if (yield.getOperand(0) != g.getBody()->getArgument(0))
    return std::nullopt;
  std::optional<ConstData> d = foldConstant(g.getDpsInputOperand(0)->get());
  if (!d || d->numElements() != cout)
    return std::nullopt;
  return d->values;
}

struct Converter {
  Diagnoser &diag;
  OpBuilder b;
  Converter(Diagnoser &diag, MLIRContext *ctx) : diag(diag), b(ctx) {}

  Reason convert(Operation *op, KindInfo info) {
    if (info.kind == Kind::Unsupported) {
      if (op->getName().getStringRef().starts_with("linalg.pooling_"))
        return std::string("pooling is imported from TOSA only "
                           "(--dwsep-from-tosa), where the division of "
                           "avg_pool2d is known; the linalg form spreads it "
                           "over a separate generic");
      return std::string("only the nhwc_fhwc / nhwc_hwcf convolutions and "
                         "nhwc_hwc / nhwc_hwcm depthwise convolutions map to "
                         "dwsep");
    }
    auto outT = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!outT || !outT.hasStaticShape() || !outT.getElementType().isInteger(32))
      return std::string("result must be a static i32 tensor");
    Value input = op->getOperand(0), weights = op->getOperand(1);
    auto inT = dyn_cast<RankedTensorType>(input.getType());
    auto wT = dyn_cast<RankedTensorType>(weights.getType());
    if (!inT || !wT || !inT.hasStaticShape() || !wT.hasStaticShape())
      return std::string("operands must have static shapes");
    if (!inT.getElementType().isInteger(8) || !wT.getElementType().isInteger(8))
      return "operands must be int8, got " + llvm::formatv("{0} and {1}",
                                                           inT.getElementType(),
                                                           wT.getElementType())
                                                 .str();
    int64_t izp = 0;
    if (info.quantized) {
      APInt a, w;
      if (!matchPattern(op->getOperand(2), m_ConstantInt(&a)) ||
          !matchPattern(op->getOperand(3), m_ConstantInt(&w)))
        return std::string("zero points must be constants");
      if (!w.isZero())
        return "weight zero point is " + std::to_string(w.getSExtValue()) +
               " but dwsep weights have zero point 0";
      izp = a.getSExtValue();
    }
    if (izp < -128 || izp > 127)
      return "input zero point " + std::to_string(izp) +
             " is outside the int8 range [-128, 127]";
    Value init = cast<DestinationStyleOpInterface>(op).getDpsInits()[0];

    // Follow the i32 result to the requantizing generic.
    Value acc = op->getResult(0);
    SmallVector<int64_t> extraBias;
    for (int step = 0; step < 3; ++step) {
      if (!acc.hasOneUse())
        return std::string("its i32 result has more than one user; dwsep has "
                           "no i32 activations");
      Operation *user = *acc.getUsers().begin();
      if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(user)) {
        acc = collapse.getResult();
        continue;
      }
      auto g = dyn_cast<linalg::GenericOp>(user);
      if (!g)
        break;
      if (succeeded(matchRequant(g)))
        break;
      // Bias add: addi of a rank-1 constant and the accumulator.
      Block *body = g.getBody();
      auto yield = cast<linalg::YieldOp>(body->getTerminator());
      auto add = yield.getOperand(0).getDefiningOp<arith::AddIOp>();
      if (!add || g.getNumDpsInputs() != 2 || !extraBias.empty())
        break;
      unsigned accIdx = g.getDpsInputOperand(0)->get() == acc ? 0 : 1;
      std::optional<ConstData> bias =
          foldConstant(g.getDpsInputOperand(1 - accIdx)->get());
      if (!bias || bias->numElements() != bias->shape.back())
        return std::string("the bias of its bias-add linalg.generic must be "
                           "a constant vector");
      extraBias = bias->values;
      acc = g.getResult(0);
    }
    linalg::GenericOp rqOp;
    if (acc.hasOneUse())
      rqOp = dyn_cast<linalg::GenericOp>(*acc.getUsers().begin());
    FailureOr<RequantMatch> rq =
        rqOp ? matchRequant(rqOp) : FailureOr<RequantMatch>(failure());
    if (failed(rq))
      return std::string(
          "its i32 result is not requantized by a recognized linalg.generic "
          "(subi input_zp, tosa.apply_scale, addi output_zp, maxsi/minsi, "
          "trunci to i8, as tosa-to-linalg emits for tosa.rescale)");
    if (rq->inputZp != 0)
      return "the requantization subtracts " + std::to_string(rq->inputZp) +
             " from the accumulator; dwsep needs 0";

    int64_t cout = outT.getShape().back();
    Kind k = info.kind;
    if (k == Kind::DwHwcm)
      cout = outT.getDimSize(3) * outT.getDimSize(4);
    for (Param *p : {&rq->mult, &rq->shift})
      if (p->values.size() != 1 && (int64_t)p->values.size() != cout)
        return "requantization has " + std::to_string(p->values.size()) +
               " per-channel values for " + std::to_string(cout) + " channels";
    for (int64_t s : rq->shift.values)
      if (s < 0 || s > kMaxShift)
        return "shift " + std::to_string(s) + " is outside [0, 62]";
    // Clamp: the requant's, intersected with the i8 range and a following
    // clamping generic.
    int64_t lo = std::max<int64_t>(rq->lo, -128),
            hi = std::min<int64_t>(rq->hi, 127);
    Value last = rqOp.getResult(0);
    if (last.hasOneUse())
      if (auto cg = dyn_cast<linalg::GenericOp>(*last.getUsers().begin()))
        if (auto c = matchClamp(cg)) {
          lo = std::max(lo, c->first);
          hi = std::min(hi, c->second);
          last = cg.getResult(0);
        }
    if (lo > hi)
      return "the clamp range [" + std::to_string(lo) + ", " +
             std::to_string(hi) + "] is empty";
    auto lastT = cast<RankedTensorType>(last.getType());
    if (!lastT.getElementType().isInteger(8))
      return std::string("the requantized result must be i8");

    std::optional<SmallVector<int64_t>> bias = biasFromInit(init, cout);
    if (!bias)
      return std::string("its init must be a linalg.fill of a constant or a "
                         "linalg.generic broadcasting a constant bias");
    if (!extraBias.empty()) {
      if ((int64_t)extraBias.size() != cout)
        return std::string("bias size does not match the channel count");
      for (int64_t c = 0; c < cout; ++c)
        (*bias)[c] =
            (int32_t)(uint32_t)((uint64_t)(*bias)[c] + (uint64_t)extraBias[c]);
    }

    // Padding: a tensor.pad of the input with the input zero point.
    SmallVector<int64_t> pad = {0, 0, 0, 0};
    if (auto padOp = input.getDefiningOp<tensor::PadOp>()) {
      Value padValue = padOp.getConstantPaddingValue();
      APInt pv;
      if (padValue && matchPattern(padValue, m_ConstantInt(&pv)) &&
          pv.getSExtValue() == izp && padOp.hasZeroLowPad() == false) {
        ArrayRef<int64_t> low = padOp.getStaticLow(),
                          high = padOp.getStaticHigh();
        if (low.size() == 4 && low[0] == 0 && high[0] == 0 && low[3] == 0 &&
            high[3] == 0 && !llvm::is_contained(low, ShapedType::kDynamic) &&
            !llvm::is_contained(high, ShapedType::kDynamic)) {
          pad = {low[1], low[2], high[1], high[2]};
          input = padOp.getSource();
          inT = cast<RankedTensorType>(input.getType());
        }
      }
    }

    Location loc = op->getLoc();
    b.setInsertionPoint(last.getDefiningOp());
    RequantAttr requant = RequantAttr::get(
        b.getContext(),
        SmallVector<int32_t>(rq->mult.values.begin(), rq->mult.values.end()),
        SmallVector<int32_t>(rq->shift.values.begin(), rq->shift.values.end()),
        {}, (int32_t)rq->outputZp, (int32_t)lo, (int32_t)hi, rq->rounding,
        /*accBound=*/0);
    Value biasV = makeConstant(b, loc, {cout}, b.getI32Type(), *bias);
    IntegerAttr zpAttr = b.getI32IntegerAttr(izp);
    auto layout = LayoutAttr::get(b.getContext(), Layout::hwc);
    Type i8 = b.getIntegerType(8);
    Value result;

    if (k == Kind::Matmul || k == Kind::BatchMatmul) {
      int64_t rank = inT.getRank();
      if (k == Kind::BatchMatmul && inT.getDimSize(0) != 1)
        return "batch is " + std::to_string(inT.getDimSize(0)) +
               " but dwsep supports batch 1 only";
      if (inT.getDimSize(rank - 2) != 1)
        return "has " + std::to_string(inT.getDimSize(rank - 2)) +
               " rows but dwsep.linear computes one row (M = 1)";
      std::optional<ConstData> w = foldConstant(weights);
      if (!w)
        return std::string("weights (operand B) must be a constant; "
                           "dwsep.linear needs them transposed to Cout x Cin");
      int64_t cin = wT.getDimSize(wT.getRank() - 2);
      SmallVector<int64_t> wt(cout * cin);
      for (int64_t i = 0; i < cin; ++i)
        for (int64_t o = 0; o < cout; ++o)
          wt[o * cin + i] = w->values[i * cout + o];
      Value in = reshapeTo(b, loc, input, {cin});
      Value wv = makeConstant(b, loc, {cout, cin}, i8, wt);
      Value e = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{cout},
                                        lastT.getElementType());
      result = LinearOp::create(b, loc, e.getType(), in, wv, biasV,
                                /*requant_rows=*/Value(), e,
                                /*channel_offset=*/Value(), zpAttr, requant)
                   .getResult();
    } else {
      if (inT.getRank() != 4 || inT.getDimSize(0) != 1)
        return "batch is " + std::to_string(inT.getDimSize(0)) +
               " but dwsep supports batch 1 only";
      auto strides = op->getAttrOfType<DenseIntElementsAttr>("strides");
      auto dilations = op->getAttrOfType<DenseIntElementsAttr>("dilations");
      SmallVector<int64_t> stride = {1, 1}, dil = {1, 1};
      if (strides)
        stride = llvm::to_vector(strides.getValues<int64_t>());
      if (dilations)
        dil = llvm::to_vector(dilations.getValues<int64_t>());
      if (dil[0] != 1 || dil[1] != 1)
        return "dilation [" + std::to_string(dil[0]) + ", " +
               std::to_string(dil[1]) +
               "] is not supported; dwsep convolutions need dilation [1, 1]";
      int64_t kh, kw;
      if (k == Kind::ConvFhwc) {
        kh = wT.getDimSize(1);
        kw = wT.getDimSize(2);
      } else {
        kh = wT.getDimSize(0);
        kw = wT.getDimSize(1);
      }
      if (k == Kind::DwHwcm && wT.getDimSize(3) != 1)
        return "channel multiplier is " + std::to_string(wT.getDimSize(3)) +
               " but dwsep.depthwise supports 1 only";
      if (pad[0] >= kh || pad[2] >= kh || pad[1] >= kw || pad[3] >= kw)
        return std::string("padding must be smaller than the kernel in dwsep");
      int64_t ho = (inT.getDimSize(1) + pad[0] + pad[2] - kh) / stride[0] + 1;
      int64_t wo = (inT.getDimSize(2) + pad[1] + pad[3] - kw) / stride[1] + 1;
      if (ho != outT.getDimSize(1) || wo != outT.getDimSize(2))
        return std::string("output size does not follow dwsep's rule");
      SmallVector<int64_t> inShape(inT.getShape().drop_front());
      SmallVector<int64_t> outShape = {ho, wo, cout};
      Value in = reshapeTo(b, loc, input, inShape);
      Value e =
          tensor::EmptyOp::create(b, loc, outShape, lastT.getElementType());
      auto resultT = e.getType();
      int64_t cin = inT.getDimSize(3);
      if (k == Kind::DwHwc || k == Kind::DwHwcm) {
        Value wv;
        if (auto d = foldConstant(weights))
          wv = makeConstant(b, loc, {kh, kw, cout}, i8, d->values);
        else
          wv = reshapeTo(b, loc, weights, {kh, kw, cout});
        result =
            DepthwiseOp::create(b, loc, resultT, in, wv, biasV,
                                /*requant_rows=*/Value(), e,
                                /*channel_offset=*/Value(), layout,
                                b.getDenseI64ArrayAttr(stride),
                                b.getDenseI64ArrayAttr(pad), zpAttr, requant,
                                /*zp_folded=*/nullptr)
                .getResult();
      } else {
        // OHWI weights: fhwc as is, hwcf transposed (constants only).
        SmallVector<int64_t> ohwi;
        std::optional<ConstData> d = foldConstant(weights);
        if (k == Kind::ConvHwcf) {
          if (!d)
            return std::string("hwcf weights must be a constant (dwsep needs "
                               "them transposed to OHWI)");
          ohwi.resize(d->values.size());
          for (int64_t y = 0; y < kh; ++y)
            for (int64_t x = 0; x < kw; ++x)
              for (int64_t i = 0; i < cin; ++i)
                for (int64_t o = 0; o < cout; ++o)
                  ohwi[((o * kh + y) * kw + x) * cin + i] =
                      d->values[((y * kw + x) * cin + i) * cout + o];
        } else if (d) {
          ohwi = d->values;
        }
        bool pointwise = kh == 1 && kw == 1 && stride[0] == 1 &&
                         stride[1] == 1 &&
                         llvm::all_of(pad, [](int64_t p) { return p == 0; });
        SmallVector<int64_t> wShape =
            pointwise ? SmallVector<int64_t>{cout, cin}
                      : SmallVector<int64_t>{cout, kh, kw, cin};
        Value wv = !ohwi.empty() ? makeConstant(b, loc, wShape, i8, ohwi)
                                 : reshapeTo(b, loc, weights, wShape);
        if (pointwise)
          result = PointwiseOp::create(b, loc, resultT, in, wv, biasV,
                                       /*requant_rows=*/Value(), e,
                                       /*channel_offset=*/Value(), layout,
                                       zpAttr, requant)
                       .getResult();
        else
          result =
              Conv2DOp::create(b, loc, resultT, in, wv, biasV,
                               /*requant_rows=*/Value(), e,
                               /*channel_offset=*/Value(), layout,
                               b.getDenseI64ArrayAttr(stride),
                               b.getDenseI64ArrayAttr(pad), zpAttr, requant)
                  .getResult();
      }
    }
    Value back = reshapeTo(b, loc, result, lastT.getShape());
    last.replaceAllUsesWith(back);
    return std::nullopt;
  }
};

struct DwsepFromLinalgPass
    : public mlir::dwsep::impl::DwsepFromLinalgBase<DwsepFromLinalgPass> {
  using Base::Base;

  void runOnOperation() override {
    Operation *root = getOperation();
    Diagnoser diag;
    Converter converter(diag, &getContext());
    SmallVector<std::pair<Operation *, KindInfo>> anchors;
    root->walk([&](Operation *op) {
      KindInfo info = classify(op);
      if (info.kind != Kind::None)
        anchors.push_back({op, info});
    });
    for (auto [op, info] : anchors)
      if (Reason r = converter.convert(op, info))
        diag.reject(op, *r);
    eraseDeadOps(root, &diag);
    // Only the named ops are reported: other linalg ops (generics, fills)
    // are legitimate leftovers of a rejected chain or unrelated code.
    auto ignore = [](Operation *op) { return classify(op).kind == Kind::None; };
    auto fallback = [](Operation *) -> std::string {
      return "it has no dwsep equivalent";
    };
    unsigned n = diag.report(root, {"linalg"}, ignore, !allowPartial, fallback);
    if (n && !allowPartial)
      signalPassFailure();
  }
};

} // namespace
