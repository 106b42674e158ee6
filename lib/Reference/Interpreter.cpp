//===- Interpreter.cpp - Reference interpreter of dwsep ops -----*- C++ -*-===//
//
// Every dwsep op is evaluated by the C reference (dwsep_ref), never by a
// second implementation in C++: the interpreter only moves bytes between
// MLIR values and dwsep_act_t descriptors, so it cannot disagree with the
// oracle on arithmetic.
//
//===----------------------------------------------------------------------===//

#include "dwsep/Reference/Interpreter.h"
#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"

#include "dwsep_ref.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::dwsep;
using namespace mlir::dwsep::ref;

//===----------------------------------------------------------------------===//
// Buffer
//===----------------------------------------------------------------------===//

static unsigned byteWidth(Type t) {
  return std::max(1u, (t.getIntOrFloatBitWidth() + 7) / 8);
}

std::vector<uint8_t> Buffer::toBytes() const {
  unsigned n = byteWidth(elementType);
  std::vector<uint8_t> bytes;
  bytes.reserve(data.size() * n);
  for (int64_t v : data)
    for (unsigned i = 0; i < n; ++i)
      bytes.push_back((uint8_t)(((uint64_t)v >> (8 * i)) & 0xff));
  return bytes;
}

uint32_t Buffer::checksum() const {
  std::vector<uint8_t> bytes = toBytes();
  return dwsep_checksum(bytes.data(), (uint32_t)bytes.size());
}

std::string Buffer::formatValues() const {
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(data, os);
  os << "]";
  return s;
}

/// Interprets the low `width` bits of `bits` as an element of `t`.
static int64_t extend(uint64_t bits, Type t) {
  unsigned width = t.getIntOrFloatBitWidth();
  if (width < 64)
    bits &= (uint64_t(1) << width) - 1;
  if (t.isUnsignedInteger() || width >= 64)
    return (int64_t)bits;
  uint64_t sign = uint64_t(1) << (width - 1);
  return (int64_t)((bits ^ sign) - sign);
}

Buffer ref::generate(RankedTensorType type, uint32_t &state) {
  Buffer b;
  b.shape.assign(type.getShape().begin(), type.getShape().end());
  b.elementType = type.getElementType();
  unsigned width = b.elementType.getIntOrFloatBitWidth();
  b.data.resize(type.getNumElements());
  for (int64_t &v : b.data) {
    state = state * 1664525u + 1013904223u;
    v = width == 8 ? extend(state >> 24, b.elementType)
                   : extend(state, b.elementType);
  }
  return b;
}

FailureOr<SmallVector<Buffer>> ref::generateArguments(func::FuncOp func,
                                                      uint32_t seed) {
  SmallVector<Buffer> args;
  uint32_t state = seed;
  for (BlockArgument arg : func.getArguments()) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || !type.hasStaticShape() || !type.getElementType().isInteger() ||
        type.getElementType().getIntOrFloatBitWidth() > 32)
      return func.emitError() << "argument " << arg.getArgNumber()
                              << " has type " << arg.getType()
                              << "; dwsep-interp generates static integer "
                                 "tensors of at most 32 bits only";
    args.push_back(generate(type, state));
  }
  return args;
}

//===----------------------------------------------------------------------===//
// Op evaluation
//===----------------------------------------------------------------------===//

namespace {
/// Owns the C descriptors of one op call.
struct Requant {
  std::vector<int32_t> mult, shift, add;
  dwsep_requant_t rq;
  explicit Requant(RequantAttr a)
      : mult(a.getMult().begin(), a.getMult().end()),
        shift(a.getShift().begin(), a.getShift().end()),
        add(a.getAdd().begin(), a.getAdd().end()) {
    rq.mult = mult.data();
    rq.n_mult = (int32_t)mult.size();
    rq.shift = shift.data();
    rq.n_shift = (int32_t)shift.size();
    rq.add = add.empty() ? nullptr : add.data();
    rq.n_add = (int32_t)add.size();
    rq.zp = a.getZp();
    rq.clamp_min = a.getClampMin();
    rq.clamp_max = a.getClampMax();
    switch (a.getRounding()) {
    case Rounding::floor:
      rq.rounding = DWSEP_ROUND_FLOOR;
      break;
    case Rounding::half_up:
      rq.rounding = DWSEP_ROUND_HALF_UP;
      break;
    case Rounding::double_round:
      rq.rounding = DWSEP_ROUND_DOUBLE;
      break;
    case Rounding::float32:
      rq.rounding = DWSEP_ROUND_FLOAT32;
      break;
    }
  }
};

/// An activation: bytes plus the descriptor pointing at them.
struct Act {
  std::vector<uint8_t> bytes;
  dwsep_act_t act;
  Act(std::vector<uint8_t> data, ArrayRef<int64_t> shape, Layout layout,
      Type elem)
      : bytes(std::move(data)) {
    act.data = bytes.data();
    if (shape.size() == 1) {
      act.h = act.w = 1;
      act.c = (int32_t)shape[0];
    } else if (layout == Layout::hwc) {
      act.h = (int32_t)shape[0];
      act.w = (int32_t)shape[1];
      act.c = (int32_t)shape[2];
    } else {
      act.c = (int32_t)shape[0];
      act.h = (int32_t)shape[1];
      act.w = (int32_t)shape[2];
    }
    act.layout = layout == Layout::hwc ? DWSEP_LAYOUT_HWC : DWSEP_LAYOUT_CHW;
    act.is_signed = !elem.isUnsignedInteger();
  }
};

class Evaluator {
public:
  LogicalResult run(func::FuncOp func, ArrayRef<Buffer> args,
                    SmallVectorImpl<Buffer> &results);

private:
  llvm::DenseMap<Value, Buffer> values;

  const Buffer &get(Value v) { return values.find(v)->second; }
  std::vector<int8_t> weights(Value v) {
    std::vector<int8_t> w;
    for (int64_t x : get(v).data)
      w.push_back((int8_t)(uint8_t)(x & 0xff));
    return w;
  }
  /// The bias of `channels` output channels; an absent one is zero.
  std::vector<int32_t> bias(Value v, int64_t channels) {
    if (!v)
      return std::vector<int32_t>(channels, 0);
    std::vector<int32_t> b;
    for (int64_t x : get(v).data)
      b.push_back((int32_t)x);
    return b;
  }
  /// Undoes --dwsep-fold-zero-points for the C reference, which takes the
  /// bias unfolded: adds zp * (the sum of each output channel's weights)
  /// back, wrapping. `channelLast`: weights [.., C] (depthwise), else [O, I].
  static void unfoldZeroPoint(std::vector<int32_t> &bias,
                              const std::vector<int8_t> &w, int32_t zp,
                              bool channelLast) {
    size_t outs = bias.size(), taps = w.size() / outs;
    for (size_t i = 0; i < w.size(); ++i) {
      size_t o = channelLast ? i % outs : i / taps;
      bias[o] =
          int32_t(uint32_t(bias[o]) + uint32_t(zp) * uint32_t(int32_t(w[i])));
    }
  }
  Act act(Value v, Layout layout) {
    const Buffer &b = get(v);
    return Act(b.toBytes(), b.shape, layout, b.elementType);
  }
  /// An output activation of `init`'s type, zero-filled.
  Act outAct(Value init, Layout layout) {
    auto t = cast<RankedTensorType>(init.getType());
    return Act(std::vector<uint8_t>(t.getNumElements(), 0), t.getShape(),
               layout, t.getElementType());
  }
  void setResult(Operation *op, const std::vector<uint8_t> &bytes) {
    auto t = cast<RankedTensorType>(op->getResult(0).getType());
    Buffer b;
    b.shape.assign(t.getShape().begin(), t.getShape().end());
    b.elementType = t.getElementType();
    for (uint8_t x : bytes)
      b.data.push_back(extend(x, b.elementType));
    values[op->getResult(0)] = std::move(b);
  }

  LogicalResult eval(Operation *op);
};
} // namespace

static std::array<int32_t, 2> i32x2(ArrayRef<int64_t> v) {
  return {(int32_t)v[0], (int32_t)v[1]};
}
static std::array<int32_t, 4> i32x4(ArrayRef<int64_t> v) {
  return {(int32_t)v[0], (int32_t)v[1], (int32_t)v[2], (int32_t)v[3]};
}

LogicalResult Evaluator::eval(Operation *op) {
  // Every dwsep op must be on tensors here.
  if (isa<DwsepDialect>(op->getDialect()) &&
      (op->getNumResults() != 1 ||
       !isa<RankedTensorType>(op->getResult(0).getType())))
    return op->emitError() << "dwsep-interp evaluates dwsep ops on tensors "
                              "only (bufferized ops have no result)";
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](Conv2DOp o) {
        Act in = act(o.getInput(), o.getLayout());
        Act out = outAct(o.getInit(), o.getLayout());
        Requant rq(o.getRequant());
        auto w = weights(o.getWeights());
        auto b = bias(o.getBias(),
                      cast<ShapedType>(o.getWeights().getType()).getDimSize(0));
        auto wt = cast<ShapedType>(o.getWeights().getType());
        auto stride = i32x2(o.getStride());
        auto pad = i32x4(o.getPad());
        dwsep_ref_conv2d(&in.act, w.data(), b.data(), &out.act,
                         (int32_t)wt.getDimSize(1), (int32_t)wt.getDimSize(2),
                         stride.data(), pad.data(), o.getInputZp(), &rq.rq);
        setResult(op, out.bytes);
        return success();
      })
      .Case([&](DepthwiseOp o) {
        Act in = act(o.getInput(), o.getLayout());
        Act out = outAct(o.getInit(), o.getLayout());
        Requant rq(o.getRequant());
        auto w = weights(o.getWeights());
        auto b = bias(o.getBias(),
                      cast<ShapedType>(o.getWeights().getType()).getDimSize(2));
        auto wt = cast<ShapedType>(o.getWeights().getType());
        if (o.getZpFolded())
          unfoldZeroPoint(b, w, o.getInputZp(), /*channelLast=*/true);
        auto stride = i32x2(o.getStride());
        auto pad = i32x4(o.getPad());
        dwsep_ref_depthwise(&in.act, w.data(), b.data(), &out.act,
                            (int32_t)wt.getDimSize(0),
                            (int32_t)wt.getDimSize(1), stride.data(),
                            pad.data(), o.getInputZp(), &rq.rq);
        setResult(op, out.bytes);
        return success();
      })
      .Case([&](PointwiseOp o) {
        Act in = act(o.getInput(), o.getLayout());
        Act out = outAct(o.getInit(), o.getLayout());
        Requant rq(o.getRequant());
        auto w = weights(o.getWeights());
        auto b = bias(o.getBias(),
                      cast<ShapedType>(o.getWeights().getType()).getDimSize(0));
        dwsep_ref_pointwise(&in.act, w.data(), b.data(), &out.act,
                            o.getInputZp(), &rq.rq);
        setResult(op, out.bytes);
        return success();
      })
      .Case([&](FusedOp o) {
        VariantAttr v = o.getVariant();
        Act in = act(o.getInput(), v.getInput());
        Act out = outAct(o.getInit(), v.getOutput());
        SmallVector<int64_t, 3> midShape = o.getMidShape();
        int64_t midSize = midShape[0] * midShape[1] * midShape[2];
        Act mid(std::vector<uint8_t>(midSize, 0), midShape, v.getMid(),
                o.getMidType());
        Requant dwRq(o.getDwRequant()), pwRq(o.getPwRequant());
        auto dww = weights(o.getDwWeights());
        auto dwb =
            bias(o.getDwBias(),
                 cast<ShapedType>(o.getDwWeights().getType()).getDimSize(2));
        auto pww = weights(o.getPwWeights());
        auto pwb =
            bias(o.getPwBias(),
                 cast<ShapedType>(o.getPwWeights().getType()).getDimSize(0));
        if (o.getPwZpFolded())
          unfoldZeroPoint(pwb, pww, o.getDwRequant().getZp(),
                          /*channelLast=*/false);
        auto wt = cast<ShapedType>(o.getDwWeights().getType());
        auto stride = i32x2(o.getStride());
        auto pad = i32x4(o.getPad());
        dwsep_ref_fused(o.isDwFirst() ? 0 : 1, &in.act, dww.data(), dwb.data(),
                        pww.data(), pwb.data(), &mid.act, &out.act,
                        (int32_t)wt.getDimSize(0), (int32_t)wt.getDimSize(1),
                        stride.data(), pad.data(), o.getInputZp(), &dwRq.rq,
                        &pwRq.rq);
        setResult(op, out.bytes);
        return success();
      })
      .Case([&](AddOp o) {
        Act lhs = act(o.getLhs(), o.getLayout());
        Act rhs = act(o.getRhs(), o.getLayout());
        Act out = outAct(o.getInit(), o.getLayout());
        Requant l(o.getLhsRequant()), r(o.getRhsRequant()), rq(o.getRequant());
        dwsep_ref_add(&lhs.act, &rhs.act, &out.act, o.getLhsZp(), o.getRhsZp(),
                      &l.rq, &r.rq, &rq.rq);
        setResult(op, out.bytes);
        return success();
      })
      .Case([&](AvgPoolOp o) {
        Act in = act(o.getInput(), o.getLayout());
        Act out = outAct(o.getInit(), o.getLayout());
        Requant rq(o.getRequant());
        auto stride = i32x2(o.getStride());
        dwsep_ref_avgpool(&in.act, &out.act, (int32_t)o.getKernel()[0],
                          (int32_t)o.getKernel()[1], stride.data(),
                          o.getInputZp(), &rq.rq);
        setResult(op, out.bytes);
        return success();
      })
      .Case([&](LinearOp o) {
        const Buffer &in = get(o.getInput());
        std::vector<uint8_t> inBytes = in.toBytes();
        auto outT = cast<RankedTensorType>(o.getInit().getType());
        std::vector<uint8_t> out(outT.getNumElements(), 0);
        Requant rq(o.getRequant());
        auto w = weights(o.getWeights());
        auto b = bias(o.getBias(),
                      cast<ShapedType>(o.getWeights().getType()).getDimSize(0));
        dwsep_ref_linear(inBytes.data(), !in.elementType.isUnsignedInteger(),
                         (int32_t)inBytes.size(), w.data(), b.data(),
                         out.data(), !outT.getElementType().isUnsignedInteger(),
                         (int32_t)out.size(), o.getInputZp(), &rq.rq);
        setResult(op, out);
        return success();
      })
      .Case([&](RelayoutOp o) {
        Act in = act(o.getInput(), o.getFrom());
        Act out = outAct(o.getInit(), o.getTo());
        dwsep_ref_relayout(&in.act, &out.act);
        setResult(op, out.bytes);
        return success();
      })
      .Case<arith::ConstantOp, tosa::ConstOp>(
          [&](Operation *) -> LogicalResult {
            Attribute attr;
            if (auto c = dyn_cast<arith::ConstantOp>(op))
              attr = c.getValue();
            else
              attr = cast<tosa::ConstOp>(op).getValues();
            auto dense = dyn_cast<DenseIntElementsAttr>(attr);
            if (!dense || !dense.getType().hasStaticShape())
              return op->emitError()
                     << "dwsep-interp evaluates dense integer tensor constants "
                        "only, got "
                     << attr;
            Buffer b;
            b.shape.assign(dense.getType().getShape().begin(),
                           dense.getType().getShape().end());
            b.elementType = dense.getElementType();
            for (const APInt &v : dense.getValues<APInt>())
              b.data.push_back(extend(v.getZExtValue(), b.elementType));
            values[op->getResult(0)] = std::move(b);
            return success();
          })
      .Case([&](tensor::EmptyOp o) -> LogicalResult {
        auto t = o.getType();
        if (!t.hasStaticShape())
          return op->emitError()
                 << "dwsep-interp needs static shapes, got " << t;
        Buffer b;
        b.shape.assign(t.getShape().begin(), t.getShape().end());
        b.elementType = t.getElementType();
        b.data.assign(t.getNumElements(), 0);
        values[o.getResult()] = std::move(b);
        return success();
      })
      .Case<tensor::CollapseShapeOp, tensor::ExpandShapeOp>([&](Operation *) {
        // Row-major reshapes: same elements, new shape.
        Buffer b = get(op->getOperand(0));
        auto t = cast<RankedTensorType>(op->getResult(0).getType());
        b.shape.assign(t.getShape().begin(), t.getShape().end());
        values[op->getResult(0)] = std::move(b);
        return success();
      })
      .Default([&](Operation *) -> LogicalResult {
        return op->emitError()
               << "dwsep-interp cannot evaluate this op (it evaluates dwsep "
                  "ops on tensors, arith.constant, tensor.empty, "
                  "tensor.collapse_shape/expand_shape and func.return)";
      });
}

LogicalResult Evaluator::run(func::FuncOp func, ArrayRef<Buffer> args,
                             SmallVectorImpl<Buffer> &results) {
  if (func.isExternal())
    return func.emitError() << "dwsep-interp needs a function with a body";
  if (!func.getBody().hasOneBlock())
    return func.emitError() << "dwsep-interp evaluates single-block "
                               "functions only";
  if (args.size() != func.getNumArguments())
    return func.emitError() << "expects " << func.getNumArguments()
                            << " arguments, got " << args.size();
  for (auto [arg, buf] : llvm::zip(func.getArguments(), args))
    values[arg] = buf;
  for (Operation &op : func.getBody().front()) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      for (Value v : ret.getOperands())
        results.push_back(get(v));
      return success();
    }
    for (Value operand : op.getOperands())
      if (!values.count(operand))
        return op.emitError()
               << "uses a value that dwsep-interp has not computed";
    if (failed(eval(&op)))
      return failure();
  }
  return func.emitError() << "has no func.return";
}

FailureOr<SmallVector<Buffer>> ref::evaluate(func::FuncOp func,
                                             ArrayRef<Buffer> args) {
  Evaluator e;
  SmallVector<Buffer> results;
  if (failed(e.run(func, args, results)))
    return failure();
  return results;
}
