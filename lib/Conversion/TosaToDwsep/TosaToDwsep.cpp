//===- TosaToDwsep.cpp - Import TOSA int8 networks into dwsep ---*- C++ -*-===//
//
// Implements --dwsep-from-tosa. The importer works on the data-flow graph
// rather than on single ops, because a dwsep op is a TOSA *chain*: the int32
// producer (conv2d, depthwise_conv2d, matmul [+ bias add], add of two input
// rescales), the rescale to 8 bits and an optional clamp become one op whose
// #dwsep.requant carries the rescale exactly (docs/numerics.md, section 8.1).
// The anchors are the 8-bit results: every tosa.rescale with an 8-bit output
// and every tosa.avg_pool2d. Each anchor either converts as a whole or is left
// untouched with a recorded reason, so a partially convertible function stays
// valid; the reasons are reported at the end (docs/import.md).
//
//===----------------------------------------------------------------------===//

#include "dwsep/Conversion/ImportUtils.h"
#include "dwsep/Conversion/Passes.h"
#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <limits>
#include <variant>

namespace mlir::dwsep {
#define GEN_PASS_DEF_DWSEPFROMTOSA
#include "dwsep/Conversion/Passes.h.inc"
} // namespace mlir::dwsep

using namespace mlir;
using namespace mlir::dwsep;
using namespace mlir::dwsep::import;

namespace {

constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();

/// A "this op cannot be converted, because ..." result.
struct Rejection {
  Operation *op;
  std::string reason;
};

template <typename T> using Result = std::variant<T, Rejection>;

static Rejection reject(Operation *op, const Twine &reason) {
  return Rejection{op, reason.str()};
}

static std::string str(ArrayRef<int64_t> values) {
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(values, os);
  os << "]";
  return s;
}

static RankedTensorType getStaticType(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && t.hasStaticShape() ? t : RankedTensorType();
}

static bool isI8(Type t) {
  return t.isSignlessInteger(8) || t.isSignedInteger(8);
}

/// Checks that `v` is a static NHWC int8 activation with batch 1.
static std::optional<Rejection> checkActivation(Operation *op, Value v,
                                                StringRef what) {
  RankedTensorType t = getStaticType(v);
  if (!t)
    return reject(op, Twine(what) + " must have a static shape, got " +
                          llvm::formatv("{0}", v.getType()).str());
  if (!isI8(t.getElementType()))
    return reject(op, Twine(what) + " element type " +
                          llvm::formatv("{0}", t.getElementType()).str() +
                          " is not supported; dwsep imports int8 activations");
  if (t.getRank() == 4 && t.getDimSize(0) != 1)
    return reject(op, Twine(what) + " batch is " + Twine(t.getDimSize(0)) +
                          " but dwsep supports batch 1 only");
  return std::nullopt;
}

/// The rescale-derived part of a requantization.
struct RescaleParams {
  SmallVector<int32_t> mult, shift;
  int64_t inputZp = 0, outputZp = 0;
  Rounding rounding = Rounding::half_up;
};

/// Reads the parameters of `op` for `channels` output channels.
static Result<RescaleParams> readRescale(tosa::RescaleOp op, int64_t channels) {
  RescaleParams p;
  if (op.getInputUnsigned() || op.getOutputUnsigned())
    return reject(op, "unsigned rescales (input_unsigned/output_unsigned = "
                      "true) are not supported; dwsep keeps TOSA's signless "
                      "int8 tensors signed");
  switch (op.getRoundingMode()) {
  case tosa::RoundingMode::SINGLE_ROUND:
    p.rounding = Rounding::half_up;
    break;
  case tosa::RoundingMode::DOUBLE_ROUND:
    // apply_scale_16 never double-rounds; TOSA rejects DOUBLE_ROUND without
    // scale32, but be exact anyway.
    p.rounding = op.getScale32() ? Rounding::double_round : Rounding::half_up;
    break;
  default:
    return reject(op, "rounding_mode " +
                          stringifyRoundingMode(op.getRoundingMode()) +
                          " has no exact dwsep equivalent (SINGLE_ROUND and "
                          "DOUBLE_ROUND are supported)");
  }
  std::optional<ConstData> mult = foldConstant(op.getMultiplier());
  std::optional<ConstData> shift = foldConstant(op.getShift());
  std::optional<int64_t> izp = foldScalar(op.getInputZp());
  std::optional<int64_t> ozp = foldScalar(op.getOutputZp());
  if (!mult || !shift)
    return reject(op, "multiplier and shift must be constants");
  if (!izp || !ozp)
    return reject(op, "input_zp and output_zp must be constants");
  p.inputZp = *izp;
  p.outputZp = *ozp;
  int64_t expected = op.getPerChannel() ? channels : 1;
  if (mult->numElements() != expected || shift->numElements() != expected)
    return reject(op, "has " + Twine(mult->numElements()) +
                          " multipliers and " + Twine(shift->numElements()) +
                          " shifts but " + Twine(expected) +
                          " are needed for " +
                          (op.getPerChannel() ? "per-channel" : "per-tensor") +
                          " scaling of " + Twine(channels) + " channels");
  for (int64_t s : shift->values)
    if (s < 0 || s > kMaxShift)
      return reject(op, "shift " + Twine(s) + " is outside [0, " +
                            Twine(kMaxShift) + "]");
  for (int64_t m : mult->values)
    p.mult.push_back((int32_t)m);
  for (int64_t s : shift->values)
    p.shift.push_back((int32_t)s);
  return p;
}

struct Importer {
  Diagnoser &diag;
  OpBuilder b;

  Importer(Diagnoser &diag, MLIRContext *ctx) : diag(diag), b(ctx) {}

  void record(const Rejection &r, ArrayRef<Operation *> dependents) {
    diag.reject(r.op, r.reason);
    for (Operation *d : dependents)
      if (d && d != r.op)
        diag.markDependent(d);
  }

  /// The requantization that ends an int32 chain: `rescale` (of `what`,
  /// whose input zero point must be 0) and the clamp folded after it.
  struct RequantTail {
    RescaleParams params;
    int64_t lo, hi;
    Value last; // the chain's 8-bit result: the clamp's, else the rescale's
  };
  Result<RequantTail> readRequantTail(tosa::RescaleOp rescale, int64_t channels,
                                      StringRef what) {
    Result<RescaleParams> params = readRescale(rescale, channels);
    if (auto *r = std::get_if<Rejection>(&params))
      return *r;
    RescaleParams &p = std::get<RescaleParams>(params);
    if (p.inputZp != 0)
      return reject(rescale, "input_zp is " + Twine(p.inputZp) +
                                 " but a rescale of " + what + " needs 0");
    tosa::ClampOp clamp;
    auto range = foldClamp(rescale.getOutput(), clamp);
    if (auto *r = std::get_if<Rejection>(&range))
      return *r;
    auto [lo, hi] = std::get<std::pair<int64_t, int64_t>>(range);
    return RequantTail{p, lo, hi,
                       clamp ? clamp.getOutput() : rescale.getOutput()};
  }

  /// The 8-bit clamp range of an anchor `v`: the element type's range,
  /// intersected with a tosa.clamp that is `v`'s only user (which is then
  /// folded: returned in `clampOp`).
  Result<std::pair<int64_t, int64_t>> foldClamp(Value v,
                                                tosa::ClampOp &clampOp) {
    auto [lo, hi] = getActRange(cast<ShapedType>(v.getType()).getElementType());
    clampOp = {};
    if (!v.hasOneUse())
      return std::make_pair(lo, hi);
    auto clamp = dyn_cast<tosa::ClampOp>(*v.getUsers().begin());
    if (!clamp)
      return std::make_pair(lo, hi);
    auto minAttr = dyn_cast<IntegerAttr>(clamp.getMinValAttr());
    auto maxAttr = dyn_cast<IntegerAttr>(clamp.getMaxValAttr());
    if (!minAttr || !maxAttr)
      return std::make_pair(lo, hi);
    int64_t cmin = std::max(lo, minAttr.getValue().getSExtValue());
    int64_t cmax = std::min(hi, maxAttr.getValue().getSExtValue());
    if (cmin > cmax)
      return reject(clamp, "clamp [" + Twine(minAttr.getInt()) + ", " +
                               Twine(maxAttr.getInt()) +
                               "] does not intersect the range [" + Twine(lo) +
                               ", " + Twine(hi) + "] of its input");
    clampOp = clamp;
    return std::make_pair(cmin, cmax);
  }

  RequantAttr makeRequant(const RescaleParams &p, int64_t lo, int64_t hi) {
    return RequantAttr::get(b.getContext(), p.mult, p.shift, {},
                            (int32_t)p.outputZp, (int32_t)lo, (int32_t)hi,
                            p.rounding, /*accBound=*/0);
  }

  /// Bias of `channels` values from a constant of 1 or `channels` elements
  /// (TOSA broadcasts a single bias), or the value itself if it is already a
  /// rank-1 tensor of the right size.
  Result<Value> getBias(Operation *op, Value bias, int64_t channels) {
    if (std::optional<ConstData> d = foldConstant(bias)) {
      if (d->numElements() != 1 && d->numElements() != channels)
        return reject(op, "bias has " + Twine(d->numElements()) +
                              " values but the output has " + Twine(channels) +
                              " channels");
      SmallVector<int64_t> vals(channels, d->values[0]);
      if (d->numElements() == channels)
        vals = d->values;
      return makeConstant(b, op->getLoc(), {channels}, b.getI32Type(), vals);
    }
    RankedTensorType t = getStaticType(bias);
    if (t && t.getNumElements() == channels && t.getElementType().isInteger(32))
      return reshapeTo(b, op->getLoc(), bias, {channels});
    return reject(op, "bias must be a constant or an i32 tensor of " +
                          Twine(channels) +
                          " values (a broadcast non-constant bias is not "
                          "supported)");
  }

  /// Weights reshaped to `shape` (a constant if they fold, a reshape
  /// otherwise).
  Value getWeights(Operation *op, Value w, ArrayRef<int64_t> shape) {
    if (std::optional<ConstData> d = foldConstant(w))
      return makeConstant(b, op->getLoc(), shape, b.getIntegerType(8),
                          d->values);
    return reshapeTo(b, op->getLoc(), w, shape);
  }

  /// Replaces the 8-bit NHWC result `old` by `hwc` (rank 3 or 1, the new op's
  /// result) and erases the now-dead chain.
  void replace(Value old, Value result) {
    Value back = reshapeTo(b, result.getLoc(), result,
                           cast<ShapedType>(old.getType()).getShape());
    old.replaceAllUsesWith(back);
  }

  /// Conv chain: producer conv2d/depthwise_conv2d -> rescale -> [clamp].
  template <typename ConvOp>
  std::optional<Rejection> convertConv(ConvOp conv, tosa::RescaleOp rescale) {
    constexpr bool isDepthwise =
        std::is_same_v<ConvOp, tosa::DepthwiseConv2DOp>;
    Operation *op = conv;
    if (auto r = checkActivation(op, conv.getInput(), "input"))
      return r;
    RankedTensorType outT = getStaticType(conv.getOutput());
    RankedTensorType wT = getStaticType(conv.getWeight());
    if (!outT || !wT)
      return reject(op, "output and weights must have static shapes");
    if (!conv.getOutput().hasOneUse())
      return reject(op, "its int32 result has other users than the rescale; "
                        "dwsep has no int32 activations");
    if (!wT.getElementType().isInteger(8))
      return reject(op, "weight element type " +
                            llvm::formatv("{0}", wT.getElementType()).str() +
                            " is not supported; dwsep weights are int8");
    ArrayRef<int64_t> dil = conv.getDilation();
    if (dil[0] != 1 || dil[1] != 1)
      return reject(op, "dilation " + str(dil) +
                            " is not supported; dwsep convolutions need "
                            "dilation [1, 1]");
    std::optional<int64_t> izp = foldScalar(conv.getInputZp());
    std::optional<int64_t> wzp = foldScalar(conv.getWeightZp());
    if (!izp || !wzp)
      return reject(op, "input_zp and weight_zp must be constants");
    if (*wzp != 0)
      return reject(op, "weight_zp is " + Twine(*wzp) +
                            " but dwsep weights have zero point 0");
    if (*izp < -128 || *izp > 127)
      return reject(op, "input_zp " + Twine(*izp) +
                            " is outside the int8 range [-128, 127]");
    auto inShape = cast<ShapedType>(conv.getInput().getType()).getShape();
    int64_t kh, kw, cout = outT.getDimSize(3);
    if constexpr (isDepthwise) {
      kh = wT.getDimSize(0);
      kw = wT.getDimSize(1);
      if (wT.getDimSize(3) != 1)
        return reject(op, "channel multiplier is " + Twine(wT.getDimSize(3)) +
                              " but dwsep.depthwise supports 1 only");
    } else {
      kh = wT.getDimSize(1);
      kw = wT.getDimSize(2);
    }
    // TOSA pads [top, bottom, left, right]; dwsep [top, left, bottom, right].
    ArrayRef<int64_t> tp = conv.getPad();
    SmallVector<int64_t> pad = {tp[0], tp[2], tp[1], tp[3]};
    ArrayRef<int64_t> stride = conv.getStride();
    if (tp[0] >= kh || tp[1] >= kh || tp[2] >= kw || tp[3] >= kw)
      return reject(op, "padding " + str(tp) +
                            " (top, bottom, left, right) must be smaller than "
                            "the kernel " +
                            Twine(kh) + "x" + Twine(kw) + " in dwsep");
    int64_t ho = (inShape[1] + pad[0] + pad[2] - kh) / stride[0] + 1;
    int64_t wo = (inShape[2] + pad[1] + pad[3] - kw) / stride[1] + 1;
    if (outT.getDimSize(1) != ho || outT.getDimSize(2) != wo)
      return reject(op, "output is " + Twine(outT.getDimSize(1)) + "x" +
                            Twine(outT.getDimSize(2)) +
                            " but dwsep's output size rule gives " + Twine(ho) +
                            "x" + Twine(wo));

    Result<RequantTail> tail =
        readRequantTail(rescale, cout, "a convolution's int32 accumulator");
    if (auto *r = std::get_if<Rejection>(&tail))
      return *r;
    auto [p, lo, hi, last] = std::get<RequantTail>(tail);
    auto lastT = cast<RankedTensorType>(last.getType());

    b.setInsertionPoint(last.getDefiningOp());
    Location loc = rescale.getLoc();
    Result<Value> bias = getBias(op, conv.getBias(), cout);
    if (auto *r = std::get_if<Rejection>(&bias))
      return *r;
    Value input = reshapeTo(b, loc, conv.getInput(), inShape.drop_front());
    SmallVector<int64_t> outShape(lastT.getShape().drop_front());
    Value init =
        tensor::EmptyOp::create(b, loc, outShape, lastT.getElementType());
    auto resultT = cast<RankedTensorType>(init.getType());
    RequantAttr rq = makeRequant(p, lo, hi);
    IntegerAttr zpAttr = b.getI32IntegerAttr(*izp);
    auto layout = LayoutAttr::get(b.getContext(), Layout::hwc);
    Value result;
    if constexpr (isDepthwise) {
      Value w = getWeights(op, conv.getWeight(), {kh, kw, cout});
      result =
          DepthwiseOp::create(b, loc, resultT, input, w, std::get<Value>(bias),
                              /*requant_rows=*/Value(), init,
                              /*channel_offset=*/Value(), layout,
                              b.getDenseI64ArrayAttr(stride),
                              b.getDenseI64ArrayAttr(pad), zpAttr, rq,
                              /*zp_folded=*/nullptr)
              .getResult();
    } else {
      int64_t cin = wT.getDimSize(3);
      bool pointwise = kh == 1 && kw == 1 && stride[0] == 1 && stride[1] == 1 &&
                       llvm::all_of(pad, [](int64_t x) { return x == 0; });
      if (pointwise) {
        Value w = getWeights(op, conv.getWeight(), {cout, cin});
        result = PointwiseOp::create(
                     b, loc, resultT, input, w, std::get<Value>(bias),
                     /*requant_rows=*/Value(), init, /*channel_offset=*/Value(),
                     layout, zpAttr, rq)
                     .getResult();
      } else {
        Value w = getWeights(op, conv.getWeight(), {cout, kh, kw, cin});
        result =
            Conv2DOp::create(b, loc, resultT, input, w, std::get<Value>(bias),
                             /*requant_rows=*/Value(), init,
                             /*channel_offset=*/Value(), layout,
                             b.getDenseI64ArrayAttr(stride),
                             b.getDenseI64ArrayAttr(pad), zpAttr, rq)
                .getResult();
      }
    }
    replace(last, result);
    return std::nullopt;
  }

  /// Fully connected: [reshape] -> matmul -> [add bias] -> rescale -> [clamp].
  std::optional<Rejection> convertMatmul(tosa::MatMulOp mm, Operation *biasAdd,
                                         tosa::RescaleOp rescale) {
    Operation *op = mm;
    RankedTensorType aT = getStaticType(mm.getA());
    RankedTensorType bT = getStaticType(mm.getB());
    RankedTensorType outT = getStaticType(mm.getOutput());
    if (!aT || !bT || !outT)
      return reject(op, "operands must have static shapes");
    if (!isI8(aT.getElementType()) || !bT.getElementType().isInteger(8))
      return reject(op, "operands must be int8, got " +
                            llvm::formatv("{0} and {1}", aT.getElementType(),
                                          bT.getElementType())
                                .str());
    if (aT.getDimSize(0) != 1)
      return reject(op, "batch is " + Twine(aT.getDimSize(0)) +
                            " but dwsep supports batch 1 only");
    if (aT.getDimSize(1) != 1)
      return reject(op, "has " + Twine(aT.getDimSize(1)) +
                            " rows but dwsep.linear computes one row (M = 1)");
    if (!mm.getOutput().hasOneUse())
      return reject(op, "its int32 result has other users than the "
                        "rescale/bias add; dwsep has no int32 activations");
    int64_t cin = aT.getDimSize(2), cout = bT.getDimSize(2);
    std::optional<int64_t> azp = foldScalar(mm.getAZp());
    std::optional<int64_t> bzp = foldScalar(mm.getBZp());
    if (!azp || !bzp)
      return reject(op, "a_zp and b_zp must be constants");
    if (*bzp != 0)
      return reject(op, "b_zp (the weights' zero point) is " + Twine(*bzp) +
                            " but dwsep weights have zero point 0");
    if (*azp < -128 || *azp > 127)
      return reject(op, "a_zp " + Twine(*azp) +
                            " is outside the int8 range [-128, 127]");
    std::optional<ConstData> wd = foldConstant(mm.getB());
    if (!wd)
      return reject(op, "weights (operand b) must be a constant; dwsep.linear "
                        "needs them transposed to Cout x Cin");
    // b is 1 x Cin x Cout; dwsep wants Cout x Cin.
    SmallVector<int64_t> wt(cout * cin);
    for (int64_t i = 0; i < cin; ++i)
      for (int64_t o = 0; o < cout; ++o)
        wt[o * cin + i] = wd->values[i * cout + o];
    SmallVector<int64_t> biasVals(cout, 0);
    if (biasAdd) {
      Value other = biasAdd->getOperand(0) == mm.getOutput()
                        ? biasAdd->getOperand(1)
                        : biasAdd->getOperand(0);
      std::optional<ConstData> bd = foldConstant(other);
      if (!bd || (bd->numElements() != 1 && bd->numElements() != cout))
        return reject(biasAdd, "bias of a matmul must be a constant of 1 or " +
                                   Twine(cout) + " values");
      if (!biasAdd->getResult(0).hasOneUse())
        return reject(biasAdd, "its int32 result has other users than the "
                               "rescale; dwsep has no int32 activations");
      for (int64_t o = 0; o < cout; ++o)
        biasVals[o] = bd->values[bd->numElements() == 1 ? 0 : o];
    }
    Result<RequantTail> tail =
        readRequantTail(rescale, cout, "an int32 accumulator");
    if (auto *r = std::get_if<Rejection>(&tail))
      return *r;
    auto [p, lo, hi, last] = std::get<RequantTail>(tail);
    auto lastT = cast<RankedTensorType>(last.getType());
    if (lastT.getNumElements() != cout)
      return reject(rescale, "output has " + Twine(lastT.getNumElements()) +
                                 " elements but the matmul has " + Twine(cout) +
                                 " columns");

    b.setInsertionPoint(last.getDefiningOp());
    Location loc = rescale.getLoc();
    Value input = reshapeTo(b, loc, mm.getA(), {cin});
    Value w = makeConstant(b, loc, {cout, cin}, b.getIntegerType(8), wt);
    Value bias = makeConstant(b, loc, {cout}, b.getI32Type(), biasVals);
    Value init = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{cout},
                                         lastT.getElementType());
    Value result =
        LinearOp::create(b, loc, init.getType(), input, w, bias,
                         /*requant_rows=*/Value(), init,
                         /*channel_offset=*/Value(), b.getI32IntegerAttr(*azp),
                         makeRequant(p, lo, hi))
            .getResult();
    replace(last, result);
    return std::nullopt;
  }

  /// Residual add: rescale(i8 -> i32) x2 -> add -> rescale -> [clamp].
  std::optional<Rejection> convertAdd(tosa::AddOp add,
                                      tosa::RescaleOp rescale) {
    Operation *op = add;
    RankedTensorType outT = getStaticType(add.getOutput());
    if (!outT)
      return reject(op, "must have static shapes");
    if (!add.getOutput().hasOneUse())
      return reject(op, "its int32 result has other users than the rescale; "
                        "dwsep has no int32 activations");
    tosa::RescaleOp in[2];
    for (int i = 0; i < 2; ++i) {
      in[i] = add->getOperand(i).getDefiningOp<tosa::RescaleOp>();
      if (!in[i] || !isI8(getElementTypeOrSelf(in[i].getInput().getType())))
        return reject(op, "operand " + Twine(i) +
                              " is not a tosa.rescale of an int8 activation "
                              "(dwsep.add needs the rescale-add-rescale "
                              "pattern)");
      if (getStaticType(in[i].getInput()) !=
          getStaticType(in[i].getOutput())
              .clone(getElementTypeOrSelf(in[i].getInput())))
        return reject(op, "operand " + Twine(i) +
                              " is broadcast; dwsep.add needs operands of "
                              "the output's shape");
      if (auto r = checkActivation(in[i], in[i].getInput(), "input"))
        return r;
    }
    if (outT.getRank() != 4 || getStaticType(in[0].getOutput()) != outT ||
        getStaticType(in[1].getOutput()) != outT)
      return reject(op, "operands and result must be NHWC tensors of the same "
                        "shape (no broadcasting)");
    int64_t c = outT.getDimSize(3);
    RescaleParams p[2];
    for (int i = 0; i < 2; ++i) {
      Result<RescaleParams> r = readRescale(in[i], c);
      if (auto *rej = std::get_if<Rejection>(&r))
        return *rej;
      p[i] = std::get<RescaleParams>(r);
      if (p[i].inputZp < -128 || p[i].inputZp > 127)
        return reject(in[i], "input_zp " + Twine(p[i].inputZp) +
                                 " is outside the int8 range [-128, 127]");
    }
    Result<RequantTail> tail = readRequantTail(rescale, c, "an int32 sum");
    if (auto *rej = std::get_if<Rejection>(&tail))
      return *rej;
    auto [po, lo, hi, last] = std::get<RequantTail>(tail);
    auto lastT = cast<RankedTensorType>(last.getType());

    b.setInsertionPoint(last.getDefiningOp());
    Location loc = rescale.getLoc();
    SmallVector<int64_t> shape(lastT.getShape().drop_front());
    Value lhs = reshapeTo(b, loc, in[0].getInput(), shape);
    Value rhs = reshapeTo(b, loc, in[1].getInput(), shape);
    Value init = tensor::EmptyOp::create(b, loc, shape, lastT.getElementType());
    Value result = AddOp::create(b, loc, init.getType(), lhs, rhs, init,
                                 /*channel_offset=*/Value(),
                                 LayoutAttr::get(b.getContext(), Layout::hwc),
                                 b.getI32IntegerAttr(p[0].inputZp),
                                 b.getI32IntegerAttr(p[1].inputZp),
                                 makeRequant(p[0], kInt32Min, kInt32Max),
                                 makeRequant(p[1], kInt32Min, kInt32Max),
                                 makeRequant(po, lo, hi))
                       .getResult();
    replace(last, result);
    return std::nullopt;
  }

  /// tosa.avg_pool2d (int8, unpadded) -> [clamp]. The division by the window
  /// size is TOSA's reciprocal scale, computed exactly as upstream's
  /// TosaToLinalg does (and the TOSA specification): with
  /// k = ceil(log2(count)), mult = ((2^30 + 1) << k) / count, shift = 30 + k,
  /// single rounding.
  std::optional<Rejection> convertAvgPool(tosa::AvgPool2dOp pool) {
    Operation *op = pool;
    if (auto r = checkActivation(op, pool.getInput(), "input"))
      return r;
    RankedTensorType outT = getStaticType(pool.getOutput());
    if (!outT || !isI8(outT.getElementType()))
      return reject(op, "output must be a static int8 tensor");
    if (!pool.getAccType().isInteger(32))
      return reject(op, "acc_type must be i32");
    ArrayRef<int64_t> pad = pool.getPad();
    if (llvm::any_of(pad, [](int64_t p) { return p != 0; }))
      return reject(op, "padding " + str(pad) +
                            " is not supported: dwsep.avgpool has no padding "
                            "and TOSA divides padded windows by a "
                            "position-dependent count");
    std::optional<int64_t> izp = foldScalar(pool.getInputZp());
    std::optional<int64_t> ozp = foldScalar(pool.getOutputZp());
    if (!izp || !ozp)
      return reject(op, "input_zp and output_zp must be constants");
    if (*izp < -128 || *izp > 127)
      return reject(op, "input_zp " + Twine(*izp) +
                            " is outside the int8 range [-128, 127]");
    ArrayRef<int64_t> kernel = pool.getKernel(), stride = pool.getStride();
    auto inShape = cast<ShapedType>(pool.getInput().getType()).getShape();
    if (kernel[0] > inShape[1] || kernel[1] > inShape[2])
      return reject(op, "kernel " + str(kernel) + " is larger than the input");
    int64_t ho = (inShape[1] - kernel[0]) / stride[0] + 1;
    int64_t wo = (inShape[2] - kernel[1]) / stride[1] + 1;
    if (outT.getDimSize(1) != ho || outT.getDimSize(2) != wo)
      return reject(op, "output is " + Twine(outT.getDimSize(1)) + "x" +
                            Twine(outT.getDimSize(2)) +
                            " but dwsep's output size rule gives " + Twine(ho) +
                            "x" + Twine(wo));
    int64_t count = kernel[0] * kernel[1];
    if (count > kInt32Max)
      return reject(op, "window of " + Twine(count) + " elements is too large");
    uint32_t k = count == 1 ? 0 : 32 - llvm::countl_zero((uint32_t)(count - 1));
    uint64_t mult = (((uint64_t)1 << 30) + 1) << k;
    mult /= (uint64_t)count;
    RescaleParams p;
    p.mult = {(int32_t)(uint32_t)mult};
    p.shift = {(int32_t)(30 + k)};
    p.outputZp = *ozp;
    p.rounding = Rounding::half_up;
    if (30 + k > kMaxShift)
      return reject(op, "window of " + Twine(count) +
                            " elements needs a shift above " +
                            Twine(kMaxShift));
    tosa::ClampOp clamp;
    auto range = foldClamp(pool.getOutput(), clamp);
    if (auto *r = std::get_if<Rejection>(&range))
      return *r;
    auto [lo, hi] = std::get<std::pair<int64_t, int64_t>>(range);
    Value last = clamp ? clamp.getOutput() : pool.getOutput();
    auto lastT = cast<RankedTensorType>(last.getType());

    b.setInsertionPoint(last.getDefiningOp());
    Location loc = pool.getLoc();
    Value input = reshapeTo(b, loc, pool.getInput(), inShape.drop_front());
    SmallVector<int64_t> outShape(lastT.getShape().drop_front());
    Value init =
        tensor::EmptyOp::create(b, loc, outShape, lastT.getElementType());
    Value result =
        AvgPoolOp::create(
            b, loc, init.getType(), input, init, /*channel_offset=*/Value(),
            b.getDenseI64ArrayAttr(kernel), b.getDenseI64ArrayAttr(stride),
            LayoutAttr::get(b.getContext(), Layout::hwc),
            b.getI32IntegerAttr(*izp), makeRequant(p, lo, hi))
            .getResult();
    replace(last, result);
    return std::nullopt;
  }

  /// Dispatches an 8-bit rescale to the chain that produces its input.
  void convertRescale(tosa::RescaleOp rescale) {
    auto outT = dyn_cast<ShapedType>(rescale.getOutput().getType());
    if (!outT || !isI8(outT.getElementType()))
      return; // i8 -> i32 rescales are handled as part of their consumer.
    Operation *producer = rescale.getInput().getDefiningOp();
    std::optional<Rejection> r;
    SmallVector<Operation *> chain = {rescale};
    if (isa_and_nonnull<tosa::Conv2DOp, tosa::DepthwiseConv2DOp,
                        tosa::MatMulOp>(producer))
      chain.push_back(producer);
    if (auto conv = dyn_cast_or_null<tosa::Conv2DOp>(producer))
      r = convertConv(conv, rescale);
    else if (auto dw = dyn_cast_or_null<tosa::DepthwiseConv2DOp>(producer))
      r = convertConv(dw, rescale);
    else if (auto mm = dyn_cast_or_null<tosa::MatMulOp>(producer))
      r = convertMatmul(mm, nullptr, rescale);
    else if (auto add = dyn_cast_or_null<tosa::AddOp>(producer)) {
      auto lhsMm = add.getInput1().getDefiningOp<tosa::MatMulOp>();
      auto rhsMm = add.getInput2().getDefiningOp<tosa::MatMulOp>();
      if (lhsMm || rhsMm) {
        r = convertMatmul(lhsMm ? lhsMm : rhsMm, add, rescale);
        chain.push_back(lhsMm ? lhsMm : rhsMm);
      } else {
        r = convertAdd(add, rescale);
        for (Value v : add->getOperands())
          chain.push_back(v.getDefiningOp());
      }
      chain.push_back(producer);
    } else {
      r = reject(rescale, "its input is not produced by a supported int32 "
                          "chain (conv2d, depthwise_conv2d, matmul [+ bias "
                          "add], add of two input rescales)");
    }
    if (r) {
      for (Operation *user : rescale.getOutput().getUsers())
        if (isa<tosa::ClampOp>(user))
          chain.push_back(user);
      record(*r, chain);
    }
  }

  void convertPool(tosa::AvgPool2dOp pool) {
    if (std::optional<Rejection> r = convertAvgPool(pool)) {
      SmallVector<Operation *> chain;
      for (Operation *user : pool.getOutput().getUsers())
        if (isa<tosa::ClampOp>(user))
          chain.push_back(user);
      record(*r, chain);
    }
  }

  /// Static tosa.reshape of an activation left over (e.g. the final
  /// flattening) becomes tensor reshapes; tosa.const used only outside TOSA
  /// becomes arith.constant.
  void convertGlue(Operation *root) {
    SmallVector<Operation *> ops;
    root->walk([&](Operation *op) {
      if (isa<tosa::ReshapeOp, tosa::ConstOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      if (auto reshape = dyn_cast<tosa::ReshapeOp>(op)) {
        RankedTensorType in = getStaticType(reshape.getInput1());
        RankedTensorType out = getStaticType(reshape.getOutput());
        if (!in || !out) {
          diag.reject(op, "dynamic reshapes are not supported");
          continue;
        }
        if (reshape.getOutput().use_empty())
          continue;
        b.setInsertionPoint(op);
        Value v =
            reshapeTo(b, op->getLoc(), reshape.getInput1(), out.getShape());
        reshape.getOutput().replaceAllUsesWith(v);
        continue;
      }
      auto cst = cast<tosa::ConstOp>(op);
      if (cst->use_empty() || llvm::any_of(cst->getUsers(), [](Operation *u) {
            return isa<tosa::TosaDialect>(u->getDialect());
          }))
        continue;
      b.setInsertionPoint(op);
      Value v = arith::ConstantOp::create(b, op->getLoc(), cst.getValues());
      cst.getOutput().replaceAllUsesWith(v);
    }
  }
};

struct DwsepFromTosaPass
    : public mlir::dwsep::impl::DwsepFromTosaBase<DwsepFromTosaPass> {
  using Base::Base;

  void runOnOperation() override {
    Operation *root = getOperation();
    Diagnoser diag;
    Importer importer(diag, &getContext());
    SmallVector<Operation *> anchors;
    root->walk([&](Operation *op) {
      if (isa<tosa::RescaleOp, tosa::AvgPool2dOp>(op))
        anchors.push_back(op);
    });
    for (Operation *op : anchors) {
      if (auto rescale = dyn_cast<tosa::RescaleOp>(op))
        importer.convertRescale(rescale);
      else
        importer.convertPool(cast<tosa::AvgPool2dOp>(op));
    }
    eraseDeadOps(root, &diag);
    importer.convertGlue(root);
    eraseDeadOps(root, &diag);
    // Constants are reported through their consumers.
    auto ignore = [](Operation *op) { return isa<tosa::ConstOp>(op); };
    auto fallback = [](Operation *op) -> std::string {
      if (auto rescale = dyn_cast<tosa::RescaleOp>(op))
        return "a rescale to " +
               llvm::formatv("{0}", getElementTypeOrSelf(rescale.getOutput()))
                   .str() +
               " is only supported as an input of the rescale-add-rescale "
               "pattern of dwsep.add";
      if (isa<tosa::TransposeOp>(op))
        return "a transpose of an activation has no dwsep equivalent (only "
               "transposes of constants are folded)";
      if (isa<tosa::ClampOp>(op))
        return "a clamp is only supported right after an 8-bit rescale or "
               "avg_pool2d, where it folds into the requantization";
      return "it has no dwsep equivalent";
    };
    unsigned n = diag.report(root, {"tosa"}, ignore, !allowPartial, fallback);
    if (n && !allowPartial)
      signalPassFailure();
  }
};

} // namespace
