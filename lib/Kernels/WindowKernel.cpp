//===- WindowKernel.cpp - The window kernel with run-time sizes -----------===//
//
// conv2d, depthwise, pointwise, avgpool and linear (and each half of a fused
// op) as one code generator: the window, strides, left padding, layouts,
// element types and requantization mode are the configuration; tile sizes,
// the tile's top padding, buffer offsets, the input zero point and the
// requantization table are run-time operands (Kernels.h).
//
//===----------------------------------------------------------------------===//

#include "dwsep/Kernels/Kernels.h"

using namespace mlir;
using namespace mlir::dwsep;

/// Register blocking of the pointwise kernel: output pixels x output
/// channels computed together (PULP-NN's pointwise kernel is 4 x 2).
constexpr int64_t kPixelBlock = 2;
constexpr int64_t kChannelBlock = 4;
/// Largest depthwise window unrolled for interior pixels (5 x 5).
constexpr int64_t kMaxUnrolledTaps = 25;

std::string WindowConfig::mangle() const {
  std::string s = kind == dense       ? (pointwise ? "pw" : "conv")
                  : kind == depthwise ? "dw"
                                      : "pool";
  s += "_" + in.mangle() + out.mangle();
  if (!pointwise)
    s += "_k" + std::to_string(kh) + "x" + std::to_string(kw) + "s" +
         std::to_string(strideH) + "x" + std::to_string(strideW) + "p" +
         std::to_string(padLeft);
  if (kind != pool)
    s += "_w" + std::to_string(weightRank);
  if (staticInC)
    s += "_ic" + std::to_string(staticInC);
  if (hasBias)
    s += "b";
  if (hasZp)
    s += "z";
  s += "_" + rq.mangle();
  s += splitChannels ? "_sc" : "_sr";
  return s;
}

namespace {

struct WindowEmitter {
  KernelEmitter &e;
  const WindowConfig &k;
  Act in, out;
  Value weights, bias; // views, or null
  Value padTop, padLeft, zp;
  RequantRef rq;
  RequantBounds bounds;

  OpBuilder &b() { return e.b; }

  Value weight(Value oc, Value ky, Value kx, Value ic) {
    SmallVector<Value> i;
    if (k.weightRank == 3)
      i = {ky, kx, oc};
    else if (k.weightRank == 4)
      i = {oc, ky, kx, ic};
    else
      i = {oc, ic};
    Value w = memref::LoadOp::create(b(), e.loc, weights, i);
    return arith::ExtSIOp::create(b(), e.loc, b().getI32Type(), w);
  }
  Value biasOf(Value oc) {
    return bias ? memref::LoadOp::create(b(), e.loc, bias, ValueRange{oc})
                      .getResult()
                : e.i32(0);
  }

  /// The input position of tap (0, 0) of output pixel (oy, ox).
  std::pair<Value, Value> origin(Value oy, Value ox) {
    return {e.sub(e.mul(oy, e.idx(k.strideH)), padTop),
            e.sub(e.mul(ox, e.idx(k.strideW)), padLeft)};
  }

  /// The accumulator of one output element, taps clipped to the input.
  Value accumulate(Value oy, Value ox, Value oc, Value acc) {
    auto [iy0, ix0] = origin(oy, ox);
    // Taps inside the input: ky in [max(0, -iy0), min(kh, H - iy0)).
    auto range = [&](Value i0, int64_t kdim, Value size) {
      Value lo = e.maxS(e.idx(0), e.sub(e.idx(0), i0));
      Value hi = e.minS(e.idx(kdim), e.sub(size, i0));
      return std::make_pair(lo, e.maxS(lo, hi));
    };
    auto [kyLo, kyHi] = range(iy0, k.kh, in.h);
    auto [kxLo, kxHi] = range(ix0, k.kw, in.w);
    return e.forAcc(kyLo, kyHi, acc, [&](Value ky, Value acc1) {
      Value iy = e.add(iy0, ky);
      return e.forAcc(kxLo, kxHi, acc1, [&](Value kx, Value acc2) -> Value {
        Value ix = e.add(ix0, kx);
        auto mac = [&](Value ic, Value a, Value w) -> Value {
          Value x = e.load(in, iy, ix, ic);
          if (k.hasZp)
            x = e.sub(x, zp);
          return e.add(a, w ? e.mul(x, w) : x);
        };
        if (k.kind == WindowConfig::pool)
          return mac(oc, acc2, Value());
        if (k.kind == WindowConfig::depthwise)
          return mac(oc, acc2, weight(oc, ky, kx, Value()));
        auto channel = [&](Value ic, Value a) {
          return mac(ic, a, weight(oc, ky, kx, ic));
        };
        if (k.staticInC) {
          for (int64_t ic = 0; ic < k.staticInC; ++ic)
            acc2 = channel(e.idx(ic), acc2);
          return acc2;
        }
        return e.forAcc(e.idx(0), in.c, acc2, channel);
      });
    });
  }

  /// One output element with the channel's bias and requantization values.
  void pixel(Value oy, Value ox, Value oc, Value bias,
             const RequantArgs &args) {
    Value acc = accumulate(oy, ox, oc, bias);
    e.store(out, oy, ox, oc, e.requant(rq, bounds, args, acc));
  }
  void pixel(Value oy, Value ox, Value oc) {
    pixel(oy, ox, oc, biasOf(oc), e.requantArgs(rq, oc));
  }

  void emitDepthwise();
  void emitPointwise();
  void emitGeneric();
};

} // namespace

/// [lo, hi) of the output coordinates whose window lies inside the input
/// (interior), clamped to [0, out).
static std::pair<Value, Value> interior(KernelEmitter &e, Value pad,
                                        int64_t stride, int64_t kdim,
                                        Value size, Value out) {
  Value lo =
      e.minS(arith::DivUIOp::create(e.b, e.loc, e.add(pad, e.idx(stride - 1)),
                                    e.idx(stride)),
             out);
  // (size + pad - kdim) / stride + 1 when size + pad >= kdim, else 0.
  Value t = e.sub(e.add(size, pad), e.idx(kdim));
  Value nonNeg =
      arith::CmpIOp::create(e.b, e.loc, arith::CmpIPredicate::sge, t, e.idx(0));
  Value hi = arith::SelectOp::create(
      e.b, e.loc, nonNeg,
      e.add(arith::DivUIOp::create(e.b, e.loc, e.maxS(t, e.idx(0)),
                                   e.idx(stride)),
            e.idx(1)),
      e.idx(0));
  hi = e.minS(e.maxS(hi, lo), out);
  return {lo, hi};
}

// Depthwise: per channel, the kh x kw weights, the bias and the
// requantization values are loaded once into registers, and every interior
// pixel (whose window lies inside the input) runs a fully unrolled window
// with the zero point folded into the bias. Border rows and columns clip
// their taps at run time. Work is dealt to cores by channels, as PULP-NN
// does.
void WindowEmitter::emitDepthwise() {
  auto [yLo, yHi] = interior(e, padTop, k.strideH, k.kh, in.h, out.h);
  auto [xLo, xHi] = interior(e, padLeft, k.strideW, k.kw, in.w, out.w);
  e.splitOverCores(out.c, [&](Value oc) {
    SmallVector<Value> w;
    for (int64_t ky = 0; ky < k.kh; ++ky)
      for (int64_t kx = 0; kx < k.kw; ++kx)
        w.push_back(weight(oc, e.idx(ky), e.idx(kx), Value()));
    Value bias = biasOf(oc);
    RequantArgs args = e.requantArgs(rq, oc);
    // sum (x - zp) * w = sum x * w - zp * sum w modulo 2^32.
    Value inner = bias;
    if (k.hasZp) {
      Value sum = w[0];
      for (size_t i = 1; i < w.size(); ++i)
        sum = e.add(sum, w[i]);
      inner = e.sub(bias, e.mul(sum, zp));
    }
    auto window = [&](Value oy, Value ox) {
      auto [iy0, ix0] = origin(oy, ox);
      Value acc = inner;
      for (int64_t ky = 0; ky < k.kh; ++ky)
        for (int64_t kx = 0; kx < k.kw; ++kx) {
          Value x =
              e.load(in, e.add(iy0, e.idx(ky)), e.add(ix0, e.idx(kx)), oc);
          acc = e.add(acc, e.mul(x, w[ky * k.kw + kx]));
        }
      e.store(out, oy, ox, oc, e.requant(rq, bounds, args, acc));
    };
    auto border = [&](Value oy, Value x0, Value x1) {
      e.loop(x0, x1, 1, [&](Value ox) { pixel(oy, ox, oc, bias, args); });
    };
    e.loop(e.idx(0), yLo, 1, [&](Value oy) { border(oy, e.idx(0), out.w); });
    e.loop(yLo, yHi, 1, [&](Value oy) {
      border(oy, e.idx(0), xLo);
      e.loop(xLo, xHi, 1, [&](Value ox) { window(oy, ox); });
      border(oy, xHi, out.w);
    });
    e.loop(yHi, out.h, 1, [&](Value oy) { border(oy, e.idx(0), out.w); });
  });
}

// Pointwise: register-blocked (kPixelBlock pixels x kChannelBlock output
// channels share each loaded input and weight, as PULP-NN's 4x2 kernel);
// column and channel remainders use the per-pixel kernel. The loop over
// channel blocks is outside the pixel loops, so that a block's biases and
// requantization values are loaded once for all its pixels. Split over
// cores by rows, or by channel blocks for a fused kernel split by channels.
void WindowEmitter::emitPointwise() {
  Value cols =
      arith::AndIOp::create(b(), e.loc, out.w, e.idx(~(kPixelBlock - 1)));
  Value chans =
      arith::AndIOp::create(b(), e.loc, out.c, e.idx(~(kChannelBlock - 1)));
  auto w = [&](Value oc, Value ic) {
    return weight(oc, e.idx(0), e.idx(0), ic);
  };
  struct ChannelBlock {
    SmallVector<Value> ocs, biases;
    SmallVector<RequantArgs> args;
  };
  auto channelBlock = [&](Value oc0) {
    ChannelBlock cb;
    for (int64_t c = 0; c < kChannelBlock; ++c) {
      cb.ocs.push_back(e.add(oc0, e.idx(c)));
      cb.biases.push_back(biasOf(cb.ocs[c]));
      cb.args.push_back(e.requantArgs(rq, cb.ocs[c]));
    }
    // sum (x - zp) * w = sum x * w - zp * sum w modulo 2^32: with zp in the
    // biases, each input channel of a block saves kPixelBlock subtractions.
    if (k.hasZp) {
      auto sums =
          scf::ForOp::create(b(), e.loc, e.idx(0), in.c, e.idx(1),
                             SmallVector<Value>(kChannelBlock, e.i32(0)));
      {
        OpBuilder::InsertionGuard guard(b());
        b().setInsertionPointToStart(sums.getBody());
        SmallVector<Value> next;
        for (int64_t c = 0; c < kChannelBlock; ++c)
          next.push_back(e.add(sums.getRegionIterArgs()[c],
                               w(cb.ocs[c], sums.getInductionVar())));
        scf::YieldOp::create(b(), e.loc, next);
      }
      for (int64_t c = 0; c < kChannelBlock; ++c)
        cb.biases[c] = e.sub(cb.biases[c], e.mul(sums.getResult(c), zp));
    }
    return cb;
  };
  // One block: pixels (oy, ox + p) x channels cb.ocs[c].
  auto block = [&](Value oy, Value ox, const ChannelBlock &cb) {
    SmallVector<Value> pix, inits;
    for (int64_t p = 0; p < kPixelBlock; ++p)
      pix.push_back(e.add(ox, e.idx(p)));
    for (int64_t p = 0; p < kPixelBlock; ++p)
      llvm::append_range(inits, cb.biases);
    auto icLoop =
        scf::ForOp::create(b(), e.loc, e.idx(0), in.c, e.idx(1), inits);
    {
      OpBuilder::InsertionGuard guard(b());
      b().setInsertionPointToStart(icLoop.getBody());
      Value ic = icLoop.getInductionVar();
      SmallVector<Value> xs, ws, next;
      for (int64_t p = 0; p < kPixelBlock; ++p)
        xs.push_back(e.load(in, oy, pix[p], ic));
      for (int64_t c = 0; c < kChannelBlock; ++c)
        ws.push_back(w(cb.ocs[c], ic));
      auto accs = icLoop.getRegionIterArgs();
      for (int64_t p = 0; p < kPixelBlock; ++p)
        for (int64_t c = 0; c < kChannelBlock; ++c)
          next.push_back(
              e.add(accs[p * kChannelBlock + c], e.mul(xs[p], ws[c])));
      scf::YieldOp::create(b(), e.loc, next);
    }
    for (int64_t p = 0; p < kPixelBlock; ++p)
      for (int64_t c = 0; c < kChannelBlock; ++c)
        e.store(out, oy, pix[p], cb.ocs[c],
                e.requant(rq, bounds, cb.args[c],
                          icLoop.getResult(p * kChannelBlock + c)));
  };
  auto scalarChannels = [&](Value oy, Value ox, Value lo, Value hi) {
    e.loop(lo, hi, 1, [&](Value oc) { pixel(oy, ox, oc); });
  };
  if (!k.splitChannels) {
    // Each core: its rows, channel block by channel block.
    e.splitRangeOverCores(out.h, [&](Value lo, Value hi) {
      Value any =
          arith::CmpIOp::create(b(), e.loc, arith::CmpIPredicate::slt, lo, hi);
      e.ifThen(any, [&] {
        e.loop(e.idx(0), chans, kChannelBlock, [&](Value oc0) {
          ChannelBlock cb = channelBlock(oc0);
          e.loop(lo, hi, 1, [&](Value oy) {
            e.loop(e.idx(0), cols, kPixelBlock,
                   [&](Value ox) { block(oy, ox, cb); });
          });
        });
        e.loop(lo, hi, 1, [&](Value oy) {
          e.loop(e.idx(0), cols, 1,
                 [&](Value ox) { scalarChannels(oy, ox, chans, out.c); });
          e.loop(cols, out.w, 1,
                 [&](Value ox) { scalarChannels(oy, ox, e.idx(0), out.c); });
        });
      });
    });
    return;
  }
  Value blocks =
      arith::DivUIOp::create(b(), e.loc, chans, e.idx(kChannelBlock));
  e.splitOverCores(blocks, [&](Value cbIndex) {
    Value oc0 = e.mul(cbIndex, e.idx(kChannelBlock));
    ChannelBlock cb = channelBlock(oc0);
    e.loop(e.idx(0), out.h, 1, [&](Value oy) {
      e.loop(e.idx(0), cols, kPixelBlock, [&](Value ox) { block(oy, ox, cb); });
      e.loop(cols, out.w, 1, [&](Value ox) {
        scalarChannels(oy, ox, oc0, e.add(oc0, e.idx(kChannelBlock)));
      });
    });
  });
  Value rest = arith::CmpIOp::create(b(), e.loc, arith::CmpIPredicate::slt,
                                     chans, out.c);
  e.ifThen(rest, [&] {
    e.splitOverCores(out.h, [&](Value oy) {
      e.loop(e.idx(0), out.w, 1,
             [&](Value ox) { scalarChannels(oy, ox, chans, out.c); });
    });
  });
}

// Every other window (a first layer's conv, avgpool, linear, a depthwise
// window too large to unroll): taps clipped at run time.
void WindowEmitter::emitGeneric() {
  if (k.splitChannels) {
    e.splitOverCores(out.c, [&](Value oc) {
      Value bias = biasOf(oc);
      RequantArgs args = e.requantArgs(rq, oc);
      e.loop(e.idx(0), out.h, 1, [&](Value oy) {
        e.loop(e.idx(0), out.w, 1,
               [&](Value ox) { pixel(oy, ox, oc, bias, args); });
      });
    });
    return;
  }
  // Channels outside the columns: a channel's bias and requantization
  // values are loaded once per row.
  e.splitOverCores(out.h, [&](Value oy) {
    e.loop(e.idx(0), out.c, 1, [&](Value oc) {
      Value bias = biasOf(oc);
      RequantArgs args = e.requantArgs(rq, oc);
      e.loop(e.idx(0), out.w, 1,
             [&](Value ox) { pixel(oy, ox, oc, bias, args); });
    });
  });
}

void mlir::dwsep::emitWindowKernel(KernelEmitter &e, const WindowConfig &k,
                                   const WindowOperands &o) {
  WindowEmitter w{e, k};
  w.in = e.act(k.in, o.inOff, o.inH, o.inW, o.inC);
  w.out = e.act(k.out, o.outOff, o.outH, o.outW, o.outC);
  Type i8 = e.b.getI8Type();
  // Static channel counts of the activations are the weights' too.
  Value inC = w.in.c, outC = w.out.c;
  if (k.weightRank == 2)
    w.weights = e.view(o.weightOff, {outC, inC}, i8);
  else if (k.weightRank == 3)
    w.weights = e.view(o.weightOff, {e.idx(k.kh), e.idx(k.kw), outC}, i8);
  else if (k.weightRank == 4)
    w.weights = e.view(o.weightOff, {outC, e.idx(k.kh), e.idx(k.kw), inC}, i8);
  if (k.hasBias)
    w.bias = e.view(o.biasOff, {outC}, e.b.getI32Type());
  w.padTop = o.padTop;
  w.padLeft = e.idx(k.padLeft);
  w.zp = e.toI32(o.inputZp);
  w.rq = {k.rq, o.rqBase};
  w.bounds = e.bounds(w.rq);
  if (k.kind == WindowConfig::depthwise && k.kh * k.kw <= kMaxUnrolledTaps)
    return w.emitDepthwise();
  if (k.pointwise)
    return w.emitPointwise();
  w.emitGeneric();
}
