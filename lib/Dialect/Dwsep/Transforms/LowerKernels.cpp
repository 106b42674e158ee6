//===- LowerKernels.cpp - L1 compute ops to loops ---------------*- C++ -*-===//
//
// Implements --dwsep-lower-kernels (see Passes.td). The arithmetic is the one
// of docs/numerics.md; `emitRequant` mirrors mlir::dwsep::applyRequant.
//
//===----------------------------------------------------------------------===//

#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::dwsep {
#define GEN_PASS_DEF_DWSEPLOWERKERNELS
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h.inc"
} // namespace mlir::dwsep

using namespace mlir;
using namespace mlir::dwsep;

namespace {

/// An activation in L1, read and written through a signless i8 view.
struct Act {
  Value mem;
  Layout layout = Layout::hwc;
  bool isSigned = true;
  int64_t h = 1, w = 1, c = 1;
};

struct Emitter {
  OpBuilder &b;
  Location loc;
  ModuleOp module;
  int64_t cores;
  unsigned &globalCounter;

  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value i32(int64_t v) {
    return arith::ConstantIntOp::create(b, loc, b.getI32Type(), v);
  }
  Value i64(int64_t v) {
    return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
  }

  /// A signless i8 view of an 8-bit L1 activation (a view of the arena).
  FailureOr<Act> act(Operation *op, Value v, Layout layout) {
    auto type = cast<MemRefType>(v.getType());
    Act a;
    a.layout = layout;
    a.isSigned = !type.getElementType().isUnsignedInteger();
    ArrayRef<int64_t> s = type.getShape();
    if (s.size() == 1) {
      a.c = s[0];
    } else if (layout == Layout::hwc) {
      a.h = s[0], a.w = s[1], a.c = s[2];
    } else {
      a.c = s[0], a.h = s[1], a.w = s[2];
    }
    if (type.getElementType().isSignlessInteger(8)) {
      a.mem = v;
      return a;
    }
    auto view = v.getDefiningOp<memref::ViewOp>();
    if (!view)
      return op->emitOpError()
             << "operand " << type
             << " must be a view of the L1 arena (run --dwsep-tile first)";
    auto signless =
        MemRefType::get(type.getShape(), b.getI8Type(),
                        MemRefLayoutAttrInterface(), type.getMemorySpace());
    a.mem = memref::ViewOp::create(b, loc, signless, view.getSource(),
                                   view.getByteShift(), view.getSizes());
    return a;
  }

  SmallVector<Value, 3> indices(const Act &a, Value y, Value x, Value c) {
    auto rank = cast<MemRefType>(a.mem.getType()).getRank();
    if (rank == 1)
      return {c};
    if (a.layout == Layout::hwc)
      return {y, x, c};
    return {c, y, x};
  }

  Value load(const Act &a, Value y, Value x, Value c) {
    Value v = memref::LoadOp::create(b, loc, a.mem, indices(a, y, x, c));
    if (a.isSigned)
      return arith::ExtSIOp::create(b, loc, b.getI32Type(), v);
    return arith::ExtUIOp::create(b, loc, b.getI32Type(), v);
  }

  void store(const Act &a, Value y, Value x, Value c, Value v32) {
    Value v = arith::TruncIOp::create(b, loc, b.getI8Type(), v32);
    memref::StoreOp::create(b, loc, v, a.mem, indices(a, y, x, c));
  }

  /// Parameter `values[c]` as an i64: a constant when per tensor, else a
  /// load from a constant global.
  Value param(ArrayRef<int32_t> values, Value c, int64_t fallback = 0) {
    if (values.empty())
      return i64(fallback);
    if (values.size() == 1)
      return i64(values[0]);
    std::string name = "__dwsep_rq_" + std::to_string(globalCounter++);
    auto type = MemRefType::get({(int64_t)values.size()}, b.getI32Type());
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(module.getBody());
      auto data = DenseElementsAttr::get(
          RankedTensorType::get(type.getShape(), b.getI32Type()), values);
      memref::GlobalOp::create(b, loc, name, b.getStringAttr("private"), type,
                               data, /*constant=*/true,
                               /*alignment=*/IntegerAttr());
    }
    Value g = memref::GetGlobalOp::create(b, loc, type, name);
    Value v = memref::LoadOp::create(b, loc, g, ValueRange{c});
    return arith::ExtSIOp::create(b, loc, b.getI64Type(), v);
  }

  /// docs/numerics.md section 4, as applyRequant: returns the clamped value
  /// as i32.
  Value requant(RequantAttr rq, Value acc, Value c) {
    Value mult = param(rq.getMult(), c);
    Value shift = param(rq.getShift(), c);
    Value add = param(rq.getAdd(), c);
    Value v = arith::AddIOp::create(
        b, loc,
        arith::MulIOp::create(
            b, loc, arith::ExtSIOp::create(b, loc, b.getI64Type(), acc), mult),
        add);
    Value zero = i64(0), one = i64(1);
    Value round = zero;
    if (rq.getRounding() != Rounding::floor) {
      Value positive =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, shift, zero);
      Value half = arith::ShLIOp::create(
          b, loc, one, arith::SubIOp::create(b, loc, shift, one));
      round = arith::SelectOp::create(b, loc, positive, half, zero);
      if (rq.getRounding() == Rounding::double_round) {
        Value big = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt,
                                          shift, i64(31));
        Value nonneg =
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, v, zero);
        Value extra = arith::SelectOp::create(b, loc, nonneg, i64(1LL << 30),
                                              i64(-(1LL << 30)));
        round = arith::AddIOp::create(
            b, loc, round, arith::SelectOp::create(b, loc, big, extra, zero));
      }
    }
    Value r = arith::ShRSIOp::create(
        b, loc, arith::AddIOp::create(b, loc, v, round), shift);
    r = arith::AddIOp::create(b, loc, r, i64(rq.getZp()));
    r = arith::MaxSIOp::create(b, loc, r, i64(rq.getClampMin()));
    r = arith::MinSIOp::create(b, loc, r, i64(rq.getClampMax()));
    return arith::TruncIOp::create(b, loc, b.getI32Type(), r);
  }

  /// `scf.parallel` over the cores, each taking a contiguous chunk of
  /// `units`; `body(u)` is emitted inside `scf.for u in chunk`.
  void splitOverCores(int64_t units, function_ref<void(Value)> body) {
    int64_t chunk = (units + cores - 1) / cores;
    auto par = scf::ParallelOp::create(
        b, loc, ValueRange{idx(0)}, ValueRange{idx(cores)}, ValueRange{idx(1)});
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(par.getBody());
    Value core = par.getInductionVars()[0];
    Value lo = arith::MinSIOp::create(
        b, loc, arith::MulIOp::create(b, loc, core, idx(chunk)), idx(units));
    Value hi = arith::MinSIOp::create(
        b, loc, arith::AddIOp::create(b, loc, lo, idx(chunk)), idx(units));
    auto loop = scf::ForOp::create(b, loc, lo, hi, idx(1));
    b.setInsertionPointToStart(loop.getBody());
    body(loop.getInductionVar());
  }

  /// `for iv in [lo, hi)`, with `body` building the loop-carried i32 value.
  Value forAcc(Value lo, Value hi, Value init,
               function_ref<Value(Value, Value)> body) {
    auto loop = scf::ForOp::create(b, loc, lo, hi, idx(1), ValueRange{init});
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value next = body(loop.getInductionVar(), loop.getRegionIterArgs()[0]);
    scf::YieldOp::create(b, loc, next);
    return loop.getResult(0);
  }

  void forEach(int64_t n, function_ref<void(Value)> body) {
    auto loop = scf::ForOp::create(b, loc, idx(0), idx(n), idx(1));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    body(loop.getInductionVar());
  }
};

/// Register blocking of the pointwise kernel: output pixels x output
/// channels computed together (PULP-NN's pointwise kernel is 4 x 2).
constexpr int64_t kPixelBlock = 2;
constexpr int64_t kChannelBlock = 4;
/// Largest depthwise window unrolled for interior pixels (5 x 5).
constexpr int64_t kMaxUnrolledTaps = 25;

/// The window kernel: conv2d, depthwise, pointwise, avgpool and linear (and
/// each half of a fused op) are instances.
struct Window {
  enum Kind { dense, depthwise, pool } kind;
  Act in, out;
  Value weights, bias; // L1 memrefs (i8 / i32), or null
  int64_t kh = 1, kw = 1, strideH = 1, strideW = 1, padTop = 0, padLeft = 0;
  int32_t inputZp = 0;
  RequantAttr rq;
  bool splitChannels = false;
};

void emitWindow(Emitter &e, const Window &k) {
  OpBuilder &b = e.b;
  Location loc = e.loc;
  Value zp = e.i32(k.inputZp);
  // The accumulator of one output element, taps clipped to the input.
  auto accumulate = [&](Value oy, Value ox, Value oc, Value acc) -> Value {
    // Taps inside the input: ky in [max(0, -iy0), min(kh, H - iy0)).
    Value iy0 = arith::SubIOp::create(
        b, loc, arith::MulIOp::create(b, loc, oy, e.idx(k.strideH)),
        e.idx(k.padTop));
    Value ix0 = arith::SubIOp::create(
        b, loc, arith::MulIOp::create(b, loc, ox, e.idx(k.strideW)),
        e.idx(k.padLeft));
    auto range = [&](Value i0, int64_t kdim, int64_t size) {
      Value lo = arith::MaxSIOp::create(
          b, loc, e.idx(0), arith::SubIOp::create(b, loc, e.idx(0), i0));
      Value hi = arith::MinSIOp::create(
          b, loc, e.idx(kdim), arith::SubIOp::create(b, loc, e.idx(size), i0));
      return std::make_pair(lo,
                            arith::MaxSIOp::create(b, loc, lo, hi).getResult());
    };
    auto [kyLo, kyHi] = range(iy0, k.kh, k.in.h);
    auto [kxLo, kxHi] = range(ix0, k.kw, k.in.w);
    acc = e.forAcc(kyLo, kyHi, acc, [&](Value ky, Value acc1) {
      Value iy = arith::AddIOp::create(b, loc, iy0, ky);
      return e.forAcc(kxLo, kxHi, acc1, [&](Value kx, Value acc2) -> Value {
        Value ix = arith::AddIOp::create(b, loc, ix0, kx);
        auto mac = [&](Value ic, Value a, Value w) -> Value {
          Value x = arith::SubIOp::create(b, loc, e.load(k.in, iy, ix, ic), zp);
          if (!w)
            return arith::AddIOp::create(b, loc, a, x);
          Value w32 = arith::ExtSIOp::create(b, loc, b.getI32Type(), w);
          return arith::AddIOp::create(b, loc, a,
                                       arith::MulIOp::create(b, loc, x, w32));
        };
        if (k.kind == Window::pool)
          return mac(oc, acc2, Value());
        if (k.kind == Window::depthwise) {
          Value w =
              memref::LoadOp::create(b, loc, k.weights, ValueRange{ky, kx, oc});
          return mac(oc, acc2, w);
        }
        auto wType = cast<MemRefType>(k.weights.getType());
        return e.forAcc(e.idx(0), e.idx(k.in.c), acc2, [&](Value ic, Value a) {
          SmallVector<Value> wIdx = wType.getRank() == 4
                                        ? SmallVector<Value>{oc, ky, kx, ic}
                                        : SmallVector<Value>{oc, ic};
          Value w = memref::LoadOp::create(b, loc, k.weights, wIdx);
          return mac(ic, a, w);
        });
      });
    });
    return acc;
  };
  auto biasOf = [&](Value oc) -> Value {
    return k.bias ? memref::LoadOp::create(b, loc, k.bias, ValueRange{oc})
                        .getResult()
                  : e.i32(0);
  };
  auto pixel = [&](Value oy, Value ox, Value oc) {
    Value acc = accumulate(oy, ox, oc, biasOf(oc));
    e.store(k.out, oy, ox, oc, e.requant(k.rq, acc, oc));
  };

  // Depthwise: per channel, the kh x kw weights are loaded once into
  // registers and interior pixels (whose window lies inside the input) run
  // a fully unrolled window; border pixels take the clipped loops.
  if (k.kind == Window::depthwise && k.kh * k.kw <= kMaxUnrolledTaps) {
    auto interior = [](int64_t pad, int64_t stride, int64_t kdim, int64_t size,
                       int64_t out) {
      int64_t lo = (pad + stride - 1) / stride;
      int64_t hi =
          size + pad - kdim >= 0 ? (size + pad - kdim) / stride + 1 : 0;
      return std::make_pair(std::min(lo, out), std::min(std::max(hi, lo), out));
    };
    auto [yLo, yHi] = interior(k.padTop, k.strideH, k.kh, k.in.h, k.out.h);
    auto [xLo, xHi] = interior(k.padLeft, k.strideW, k.kw, k.in.w, k.out.w);
    auto body = [&](Value oc) {
      SmallVector<Value> w;
      for (int64_t ky = 0; ky < k.kh; ++ky)
        for (int64_t kx = 0; kx < k.kw; ++kx)
          w.push_back(arith::ExtSIOp::create(
              b, loc, b.getI32Type(),
              memref::LoadOp::create(b, loc, k.weights,
                                     ValueRange{e.idx(ky), e.idx(kx), oc})));
      Value bias = biasOf(oc);
      // The fully unrolled window of an interior pixel.
      auto unrolled = [&](Value oy, Value ox) {
        Value iy0 = arith::SubIOp::create(
            b, loc, arith::MulIOp::create(b, loc, oy, e.idx(k.strideH)),
            e.idx(k.padTop));
        Value ix0 = arith::SubIOp::create(
            b, loc, arith::MulIOp::create(b, loc, ox, e.idx(k.strideW)),
            e.idx(k.padLeft));
        Value acc = bias;
        for (int64_t ky = 0; ky < k.kh; ++ky)
          for (int64_t kx = 0; kx < k.kw; ++kx) {
            Value x =
                e.load(k.in, arith::AddIOp::create(b, loc, iy0, e.idx(ky)),
                       arith::AddIOp::create(b, loc, ix0, e.idx(kx)), oc);
            acc = arith::AddIOp::create(
                b, loc, acc,
                arith::MulIOp::create(b, loc,
                                      arith::SubIOp::create(b, loc, x, zp),
                                      w[ky * k.kw + kx]));
          }
        e.store(k.out, oy, ox, oc, e.requant(k.rq, acc, oc));
      };
      auto clipped = [&](Value oy, Value ox) {
        e.store(k.out, oy, ox, oc,
                e.requant(k.rq, accumulate(oy, ox, oc, bias), oc));
      };
      auto columns = [&](Value oy, int64_t lo, int64_t hi,
                         function_ref<void(Value, Value)> f) {
        if (lo >= hi)
          return;
        auto l = scf::ForOp::create(b, loc, e.idx(lo), e.idx(hi), e.idx(1));
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(l.getBody());
        f(oy, l.getInductionVar());
      };
      // Border rows clip every pixel; interior rows clip only the border
      // columns: no per-pixel test.
      auto rows = [&](int64_t lo, int64_t hi, bool interiorRows) {
        if (lo >= hi)
          return;
        auto l = scf::ForOp::create(b, loc, e.idx(lo), e.idx(hi), e.idx(1));
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(l.getBody());
        Value oy = l.getInductionVar();
        if (!interiorRows) {
          columns(oy, 0, k.out.w, clipped);
          return;
        }
        columns(oy, 0, xLo, clipped);
        columns(oy, xLo, xHi, unrolled);
        columns(oy, xHi, k.out.w, clipped);
      };
      rows(0, yLo, false);
      rows(yLo, yHi, true);
      rows(yHi, k.out.h, false);
    };
    // Depthwise work is always dealt to cores by channels, as PULP-NN does;
    // a fused kernel split by rows splits its pointwise half by rows.
    e.splitOverCores(k.out.c, body);
    return;
  }
  // Pointwise: register-blocked (kPixelBlock pixels x kChannelBlock output
  // channels share each loaded input and weight, as PULP-NN's 4x2 kernel);
  // column and channel remainders use the per-pixel kernel. Split over
  // cores by rows, or by channel blocks for a fused kernel split by
  // channels.
  bool pointwise = k.kind == Window::dense && k.kh == 1 && k.kw == 1 &&
                   k.strideH == 1 && k.strideW == 1 && k.padTop == 0 &&
                   k.padLeft == 0 && k.out.h * k.out.w > 1;
  if (pointwise) {
    int64_t cols = k.out.w / kPixelBlock * kPixelBlock;
    int64_t chans = k.out.c / kChannelBlock * kChannelBlock;
    auto wType = cast<MemRefType>(k.weights.getType());
    // One block: pixels (oy, ox + p) x channels oc0 + c.
    auto block = [&](Value oy, Value ox, Value oc0) {
      SmallVector<Value> pix, ocs, inits;
      for (int64_t p = 0; p < kPixelBlock; ++p)
        pix.push_back(arith::AddIOp::create(b, loc, ox, e.idx(p)));
      for (int64_t c = 0; c < kChannelBlock; ++c)
        ocs.push_back(arith::AddIOp::create(b, loc, oc0, e.idx(c)));
      for (int64_t p = 0; p < kPixelBlock; ++p)
        for (int64_t c = 0; c < kChannelBlock; ++c)
          inits.push_back(k.bias ? memref::LoadOp::create(b, loc, k.bias,
                                                          ValueRange{ocs[c]})
                                       .getResult()
                                 : e.i32(0));
      auto icLoop =
          scf::ForOp::create(b, loc, e.idx(0), e.idx(k.in.c), e.idx(1), inits);
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(icLoop.getBody());
        Value ic = icLoop.getInductionVar();
        SmallVector<Value> xs, ws, next;
        for (int64_t p = 0; p < kPixelBlock; ++p)
          xs.push_back(
              arith::SubIOp::create(b, loc, e.load(k.in, oy, pix[p], ic), zp));
        for (int64_t c = 0; c < kChannelBlock; ++c) {
          SmallVector<Value> idx =
              wType.getRank() == 4
                  ? SmallVector<Value>{ocs[c], e.idx(0), e.idx(0), ic}
                  : SmallVector<Value>{ocs[c], ic};
          ws.push_back(arith::ExtSIOp::create(
              b, loc, b.getI32Type(),
              memref::LoadOp::create(b, loc, k.weights, idx)));
        }
        auto accs = icLoop.getRegionIterArgs();
        for (int64_t p = 0; p < kPixelBlock; ++p)
          for (int64_t c = 0; c < kChannelBlock; ++c)
            next.push_back(arith::AddIOp::create(
                b, loc, accs[p * kChannelBlock + c],
                arith::MulIOp::create(b, loc, xs[p], ws[c])));
        scf::YieldOp::create(b, loc, next);
      }
      for (int64_t p = 0; p < kPixelBlock; ++p)
        for (int64_t c = 0; c < kChannelBlock; ++c)
          e.store(
              k.out, oy, pix[p], ocs[c],
              e.requant(k.rq, icLoop.getResult(p * kChannelBlock + c), ocs[c]));
    };
    auto loop = [&](int64_t lo, int64_t hi, int64_t step,
                    function_ref<void(Value)> body) {
      if (lo >= hi)
        return;
      auto l = scf::ForOp::create(b, loc, e.idx(lo), e.idx(hi), e.idx(step));
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(l.getBody());
      body(l.getInductionVar());
    };
    auto scalarChannels = [&](Value oy, Value ox, Value lo, int64_t n) {
      auto l = scf::ForOp::create(
          b, loc, lo, arith::AddIOp::create(b, loc, lo, e.idx(n)), e.idx(1));
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(l.getBody());
      pixel(oy, ox, l.getInductionVar());
    };
    if (!k.splitChannels) {
      e.splitOverCores(k.out.h, [&](Value oy) {
        loop(0, cols, kPixelBlock, [&](Value ox) {
          loop(0, chans, kChannelBlock, [&](Value oc) { block(oy, ox, oc); });
          for (int64_t p = 0; p < kPixelBlock; ++p)
            scalarChannels(oy, arith::AddIOp::create(b, loc, ox, e.idx(p)),
                           e.idx(chans), k.out.c - chans);
        });
        loop(cols, k.out.w, 1,
             [&](Value ox) { scalarChannels(oy, ox, e.idx(0), k.out.c); });
      });
      return;
    }
    if (chans > 0)
      e.splitOverCores(chans / kChannelBlock, [&](Value cb) {
        Value oc0 = arith::MulIOp::create(b, loc, cb, e.idx(kChannelBlock));
        loop(0, k.out.h, 1, [&](Value oy) {
          loop(0, cols, kPixelBlock, [&](Value ox) { block(oy, ox, oc0); });
          loop(cols, k.out.w, 1,
               [&](Value ox) { scalarChannels(oy, ox, oc0, kChannelBlock); });
        });
      });
    if (chans < k.out.c)
      e.splitOverCores(k.out.h, [&](Value oy) {
        loop(0, k.out.w, 1, [&](Value ox) {
          scalarChannels(oy, ox, e.idx(chans), k.out.c - chans);
        });
      });
    return;
  }
  if (k.splitChannels) {
    e.splitOverCores(k.out.c, [&](Value oc) {
      e.forEach(k.out.h, [&](Value oy) {
        e.forEach(k.out.w, [&](Value ox) { pixel(oy, ox, oc); });
      });
    });
  } else {
    e.splitOverCores(k.out.h, [&](Value oy) {
      e.forEach(k.out.w, [&](Value ox) {
        e.forEach(k.out.c, [&](Value oc) { pixel(oy, ox, oc); });
      });
    });
  }
}

/// Elementwise kernels (add, relayout), split by rows.
void emitElementwise(Emitter &e, const Act &out,
                     function_ref<Value(Value, Value, Value)> value) {
  e.splitOverCores(out.h, [&](Value y) {
    e.forEach(out.w, [&](Value x) {
      e.forEach(out.c, [&](Value c) { e.store(out, y, x, c, value(y, x, c)); });
    });
  });
}

struct LowerKernelsPass
    : public mlir::dwsep::impl::DwsepLowerKernelsBase<LowerKernelsPass> {
  void runOnOperation() override;
  LogicalResult lower(Operation *op, Emitter &e);
};

} // namespace

LogicalResult LowerKernelsPass::lower(Operation *op, Emitter &e) {
  auto windowOf = [&](Window::Kind kind, Value in, Value out, Layout inL,
                      Layout outL) -> FailureOr<Window> {
    Window k;
    k.kind = kind;
    FailureOr<Act> a = e.act(op, in, inL), o = e.act(op, out, outL);
    if (failed(a) || failed(o))
      return failure();
    k.in = *a;
    k.out = *o;
    return k;
  };
  auto setWindow = [](Window &k, ArrayRef<int64_t> wShape, bool hwcWeights,
                      ArrayRef<int64_t> stride, ArrayRef<int64_t> pad) {
    k.kh = hwcWeights ? wShape[0] : wShape[1];
    k.kw = hwcWeights ? wShape[1] : wShape[2];
    k.strideH = stride[0];
    k.strideW = stride[1];
    k.padTop = pad[0];
    k.padLeft = pad[1];
  };
  auto shape = [](Value v) { return cast<ShapedType>(v.getType()).getShape(); };

  // conv2d, depthwise, pointwise and linear: activations, weights, bias,
  // input zero point and requantization in the same places.
  auto weighted = [&](auto o, Window::Kind kind,
                      Layout layout) -> FailureOr<Window> {
    auto k = windowOf(kind, o.getInput(), o.getInit(), layout, layout);
    if (failed(k))
      return failure();
    k->weights = o.getWeights();
    k->bias = o.getBias();
    k->inputZp = o.getInputZp();
    k->rq = o.getRequant();
    return k;
  };
  FailureOr<Window> k = failure();
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    if (succeeded(k = weighted(conv, Window::dense, conv.getLayout())))
      setWindow(*k, shape(conv.getWeights()), false, conv.getStride(),
                conv.getPad());
  } else if (auto dw = dyn_cast<DepthwiseOp>(op)) {
    if (succeeded(k = weighted(dw, Window::depthwise, dw.getLayout()))) {
      setWindow(*k, shape(dw.getWeights()), true, dw.getStride(), dw.getPad());
      k->splitChannels = true;
    }
  } else if (auto pw = dyn_cast<PointwiseOp>(op)) {
    k = weighted(pw, Window::dense, pw.getLayout());
  } else if (auto lin = dyn_cast<LinearOp>(op)) {
    if (succeeded(k = weighted(lin, Window::dense, Layout::hwc)))
      k->splitChannels = true;
  }
  if (isa<Conv2DOp, DepthwiseOp, PointwiseOp, LinearOp>(op)) {
    if (failed(k))
      return failure();
    emitWindow(e, *k);
    return success();
  }
  if (auto pool = dyn_cast<AvgPoolOp>(op)) {
    auto k = windowOf(Window::pool, pool.getInput(), pool.getInit(),
                      pool.getLayout(), pool.getLayout());
    if (failed(k))
      return failure();
    k->kh = pool.getKernel()[0];
    k->kw = pool.getKernel()[1];
    k->strideH = pool.getStride()[0];
    k->strideW = pool.getStride()[1];
    k->inputZp = pool.getInputZp();
    k->rq = pool.getRequant();
    k->splitChannels = k->out.h < e.cores;
    emitWindow(e, *k);
    return success();
  }
  if (auto add = dyn_cast<AddOp>(op)) {
    FailureOr<Act> l = e.act(op, add.getLhs(), add.getLayout()),
                   r = e.act(op, add.getRhs(), add.getLayout()),
                   o = e.act(op, add.getInit(), add.getLayout());
    if (failed(l) || failed(r) || failed(o))
      return failure();
    emitElementwise(e, *o, [&](Value y, Value x, Value c) {
      Value tl =
          e.requant(add.getLhsRequant(),
                    arith::SubIOp::create(e.b, e.loc, e.load(*l, y, x, c),
                                          e.i32(add.getLhsZp())),
                    c);
      Value tr =
          e.requant(add.getRhsRequant(),
                    arith::SubIOp::create(e.b, e.loc, e.load(*r, y, x, c),
                                          e.i32(add.getRhsZp())),
                    c);
      return e.requant(add.getRequant(),
                       arith::AddIOp::create(e.b, e.loc, tl, tr), c);
    });
    return success();
  }
  if (auto rel = dyn_cast<RelayoutOp>(op)) {
    FailureOr<Act> in = e.act(op, rel.getInput(), rel.getFrom()),
                   out = e.act(op, rel.getInit(), rel.getTo());
    if (failed(in) || failed(out))
      return failure();
    emitElementwise(e, *out, [&](Value y, Value x, Value c) {
      return e.load(*in, y, x, c);
    });
    return success();
  }
  auto fused = cast<FusedOp>(op);
  VariantAttr v = fused.getVariant();
  // The intermediate: an L1 scratch buffer in the variant's mid layout.
  auto inView = fused.getInput().getDefiningOp<memref::ViewOp>();
  auto scratchAttr = op->getAttrOfType<IntegerAttr>("dwsep.scratch_offset");
  if (!inView || !scratchAttr)
    return op->emitOpError() << "needs its L1 tile plan (dwsep.scratch_offset "
                                "and an input in the L1 arena): run "
                                "--dwsep-tile first";
  SmallVector<int64_t, 3> midShape = fused.getMidShape();
  auto midType =
      MemRefType::get(midShape, e.b.getI8Type(), MemRefLayoutAttrInterface(),
                      cast<MemRefType>(inView.getType()).getMemorySpace());
  Value scratch =
      memref::ViewOp::create(e.b, e.loc, midType, inView.getSource(),
                             e.idx(scratchAttr.getInt()), ValueRange{});
  Act mid;
  mid.mem = scratch;
  mid.layout = v.getMid();
  mid.isSigned = !fused.getMidType().isUnsignedInteger();
  if (v.getMid() == Layout::hwc)
    mid.h = midShape[0], mid.w = midShape[1], mid.c = midShape[2];
  else
    mid.c = midShape[0], mid.h = midShape[1], mid.w = midShape[2];
  FailureOr<Act> in = e.act(op, fused.getInput(), v.getInput()),
                 out = e.act(op, fused.getInit(), v.getOutput());
  if (failed(in) || failed(out))
    return failure();
  bool channels = v.getSplit() == SplitKind::channels;
  Window dwK{
      Window::depthwise, {}, {}, fused.getDwWeights(), fused.getDwBias()};
  setWindow(dwK, shape(fused.getDwWeights()), true, fused.getStride(),
            fused.getPad());
  dwK.rq = fused.getDwRequant();
  dwK.splitChannels = channels || v.getOrder() == FusionOrder::dw_pw;
  Window pwK{Window::dense, {}, {}, fused.getPwWeights(), fused.getPwBias()};
  pwK.rq = fused.getPwRequant();
  pwK.splitChannels = channels;
  if (fused.isDwFirst()) {
    dwK.in = *in, dwK.out = mid, dwK.inputZp = fused.getInputZp();
    pwK.in = mid, pwK.out = *out, pwK.inputZp = fused.getDwRequant().getZp();
    emitWindow(e, dwK);
    emitWindow(e, pwK);
  } else {
    pwK.in = *in, pwK.out = mid, pwK.inputZp = fused.getInputZp();
    dwK.in = mid, dwK.out = *out, dwK.inputZp = fused.getPwRequant().getZp();
    emitWindow(e, pwK);
    emitWindow(e, dwK);
  }
  return success();
}

void LowerKernelsPass::runOnOperation() {
  ModuleOp module = getOperation();
  TargetAttr target = TargetAttr::lookup(module);
  SmallVector<Operation *> ops;
  module.walk([&](Operation *op) {
    if (isa<Conv2DOp, DepthwiseOp, PointwiseOp, FusedOp, AddOp, AvgPoolOp,
            LinearOp, RelayoutOp>(op))
      ops.push_back(op);
  });
  unsigned counter = 0;
  for (Operation *op : ops) {
    for (Value v : op->getOperands())
      if (!isa<MemRefType>(v.getType()))
        return (void)(op->emitOpError()
                          << "must be on memrefs (bufferize and tile first)",
                      signalPassFailure());
    OpBuilder b(op);
    Emitter e{b, op->getLoc(), module, target.getCores(), counter};
    if (failed(lower(op, e)))
      return signalPassFailure();
    op->erase();
  }
}
