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
#include "dwsep/Kernels/XpulpV2.h"
#include "dwsep/Target/TilePlan.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace mlir::dwsep;

/// Register blocking of the pointwise kernel: output pixels x output
/// channels computed together (PULP-NN's pointwise kernel is 4 x 2).
/// Rows take blocks of kWidePixelBlock pixels (XpulpV2), then one of
/// kPixelBlock; the (pixel block, channel block) units of a kernel split by
/// pixels are kPixelBlock wide.
constexpr int64_t kPixelBlock = 2;
constexpr int64_t kWidePixelBlock = 4;
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
    s += zpFolded ? "zf" : "z";
  s += "_" + rq.mangle();
  s += splitChannels ? (splitPixels ? "_scp" : "_sc") : "_sr";
  if (splitInputs)
    s += "k";
  if (stagedRows)
    s += "_l1rq";
  if (accumulate)
    s += "_acc";
  return s;
}

WindowConfig WindowConfig::withSizesAsOperands(bool xpulp) const {
  WindowConfig c = *this;
  if ((kind == depthwise || pointwise) && out.layout == Layout::hwc &&
      !out.flat)
    c.out.inner = 0;
  // The input's count is the distance of the pixels and of the weight rows:
  // the dot loops then walk the rows by register post-increment loads
  // (emitDotLoopStrided; as many instructions a step, three more a 4 x 4
  // block). Below 16 channels (two steps a block with 8) the walk's set-up
  // and pointer fix-ups cost MobileNetV1 0.25@128's first fused block and
  // pointwise_0 10-12% on GVSoC (the network +2.6% with share-kernels=size;
  // from 16 on +0.5%).
  if (pointwise && xpulp && in.layout == Layout::hwc && !in.flat &&
      weightRank == 2 && in.inner >= 16 && in.inner % 4 == 0) {
    c.in.inner = 0;
    c.in.words = true;
  }
  return c;
}

namespace {

struct WindowEmitter {
  WindowEmitter(KernelEmitter &e, const WindowConfig &k) : e(e), k(k) {}
  KernelEmitter &e;
  const WindowConfig &k;
  Act in, out;
  Value weights, bias; // views, or null
  /// Linear's accumulate form: the output as int32 words (else null).
  Value accOut;
  /// XpulpV2: the input and the weights as words of 4 input channels, or
  /// null (KernelEmitter::words).
  Value inWords, weightWords;
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

  /// lo <= v < hi (signed). (The compares one statement each: the order
  /// of a call's arguments is unspecified, and GCC and clang builds would
  /// print the IR differently.)
  Value within(Value v, Value lo, Value hi) {
    Value aboveLo =
        arith::CmpIOp::create(b(), e.loc, arith::CmpIPredicate::sge, v, lo);
    Value belowHi =
        arith::CmpIOp::create(b(), e.loc, arith::CmpIPredicate::slt, v, hi);
    return arith::AndIOp::create(b(), e.loc, aboveLo, belowHi);
  }

  /// The input position of tap (0, 0) of output pixel (oy, ox).
  std::pair<Value, Value> origin(Value oy, Value ox) {
    return {e.sub(e.mul(oy, e.idx(k.strideH)), padTop),
            e.sub(e.mul(ox, e.idx(k.strideW)), padLeft)};
  }

  /// The accumulator of one output element, taps clipped to the input.
  Value accumulate(Value oy, Value ox, Value oc, Value acc) {
    Value iy0, ix0; // (captured by lambdas: no structured binding)
    std::tie(iy0, ix0) = origin(oy, ox);
    // Taps inside the input: ky in [max(0, -iy0), min(kh, H - iy0)).
    auto range = [&](Value i0, int64_t kdim, Value size) {
      Value lo = e.maxS(e.idx(0), e.sub(e.idx(0), i0));
      Value hi = e.minS(e.idx(kdim), e.sub(size, i0));
      return std::make_pair(lo, e.maxS(lo, hi));
    };
    auto [kyLo, kyHi] = range(iy0, k.kh, in.h);
    Value kxLo, kxHi; // (lambdas capture them: no structured binding)
    std::tie(kxLo, kxHi) = range(ix0, k.kw, in.w);
    return e.forAcc(kyLo, kyHi, acc, [&](Value ky, Value acc1) {
      Value iy = e.add(iy0, ky);
      return e.forAcc(kxLo, kxHi, acc1, [&](Value kx, Value acc2) -> Value {
        Value ix = e.add(ix0, kx);
        auto mac = [&](Value ic, Value a, Value w) -> Value {
          Value x = e.load(in, iy, ix, ic);
          if (k.hasZp)
            x = e.sub(x, zp);
          return w ? e.mac(a, x, w) : e.add(a, x);
        };
        if (k.kind == WindowConfig::pool)
          return mac(oc, acc2, Value());
        if (k.kind == WindowConfig::depthwise)
          return mac(oc, acc2, weight(oc, ky, kx, Value()));
        if (weightWords) {
          // 4 input channels per pv.sdot; sum (x - zp) * w = sum x * w -
          // zp * sum w, the weights summed alongside by a dot product with
          // ones.
          Value ones = e.i32(0x01010101);
          bool flat = cast<MemRefType>(inWords.getType()).getRank() == 1;
          // A 1x1 window on XpulpV2 (a pointwise layer's channels past its
          // last block): one hardware loop of post-incremented loads.
          if (e.xpulp && !k.hasZp && !flat && k.kh == 1 && k.kw == 1) {
            int64_t c = k.in.inner;
            Value inAddr =
                e.toI32(e.address(in, e.address(inOff), iy, ix, e.idx(0)));
            Value wAddr = e.toI32(weightRow(oc));
            SmallVector<Value> accs;
            if (k.in.words) {
              // (One op a statement: the order of a call's arguments is
              // unspecified.)
              Value stride = inStride();
              Value steps = e.toI32(inWordCount());
              accs =
                  emitDotLoopStrided(b(), e.loc, ValueRange{acc2}, inAddr,
                                     wAddr, 1, 1, stride, steps, k.in.isSigned);
            } else {
              accs = emitDotLoop(b(), e.loc, ValueRange{acc2}, inAddr, wAddr, 1,
                                 1, 0, c, c / 4, k.in.isSigned);
            }
            if (!accs.empty())
              return accs.front();
          }
          SmallVector<Value> inits = {acc2};
          if (k.hasZp)
            inits.push_back(e.i32(0));
          auto loop = scf::ForOp::create(b(), e.loc, e.idx(0), inWordCount(),
                                         e.idx(1), inits);
          {
            OpBuilder::InsertionGuard guard(b());
            b().setInsertionPointToStart(loop.getBody());
            Value ic4 = loop.getInductionVar();
            SmallVector<Value> wi = k.weightRank == 4
                                        ? SmallVector<Value>{oc, ky, kx, ic4}
                                        : SmallVector<Value>{oc, ic4};
            Value w = memref::LoadOp::create(b(), e.loc, weightWords, wi);
            Value x =
                memref::LoadOp::create(b(), e.loc, inWords,
                                       flat ? SmallVector<Value>{ic4}
                                            : SmallVector<Value>{iy, ix, ic4});
            auto carried = loop.getRegionIterArgs();
            SmallVector<Value> next = {e.dot4(carried[0], x, w, k.in.isSigned)};
            if (k.hasZp)
              next.push_back(e.dot4(carried[1], w, ones, true));
            scf::YieldOp::create(b(), e.loc, next);
          }
          if (!k.hasZp)
            return loop.getResult(0);
          return e.sub(loop.getResult(0), e.mul(loop.getResult(1), zp));
        }
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

  /// The byte address of output channel `oc`'s weight row of a dense
  /// window with a 1x1 kernel (rows of the input's channel count).
  Value weightRow(Value oc) {
    return e.add(e.address(weightOff), e.mul(oc, in.c));
  }
  /// The input's words of 4 channels a pixel (index; inWords).
  Value inWordCount() {
    if (k.in.inner)
      return e.idx(k.in.inner / 4);
    return arith::DivUIOp::create(b(), e.loc, in.c, e.idx(4));
  }
  /// The distance in bytes of the input's pixels and of the weight rows
  /// (i32) where it is a run-time operand (k.in.words): the strided dot
  /// loops' (emitDotLoopStrided).
  Value inStride() { return e.toI32(in.c); }

  /// One output element with the channel's bias and requantization values.
  void pixel(Value oy, Value ox, Value oc, Value bias,
             const RequantArgs &args) {
    result(oy, ox, oc, args, accumulate(oy, ox, oc, bias));
  }
  /// Stores output (oy, ox, oc) of accumulator `acc`: requantized, or in
  /// linear's accumulate form the raw word (accOut).
  void result(Value oy, Value ox, Value oc, const RequantArgs &args,
              Value acc) {
    if (k.accumulate) {
      memref::StoreOp::create(b(), e.loc, acc, accOut, ValueRange{oc});
      return;
    }
    e.store(out, oy, ox, oc, e.requant(rq, bounds, args, acc));
  }
  void pixel(Value oy, Value ox, Value oc) {
    pixel(oy, ox, oc, biasOf(oc), e.requantArgs(rq, oc));
  }

  /// A depthwise channel's weights (as i32), optionally each row of them as
  /// the lanes of a word (lanes past kw zero), its requantization values,
  /// its bias and its bias with the zero point folded in (every tap read).
  struct Channel {
    /// rowWordsHi: the row words one lane up (the second pixel of a pair).
    SmallVector<Value> w, rowWords, rowWordsHi;
    RequantArgs args;
    Value bias, inner;
  };
  /// One depthwise channel's weights (single, and with `rowWords` as a
  /// word per window row; `rowWordsHi`: also one lane up), requantization
  /// values and bias. `wordsOnly`: the caller reads the words alone (the
  /// single weights may be left out).
  Channel depthwiseChannel(Value oc, bool rowWords, bool rowWordsHi = false,
                           bool wordsOnly = false);
  /// The 32-bit requantization's values for the depthwise asm loops.
  LowWordRequant lowWordRequant(const RequantArgs &args);
  /// The arguments for accumulators that start at zero (emitDotLoop
  /// without accumulators): the rounding term K = r + bias * mult, since
  /// r + (bias + dots) * mult == K + dots * mult modulo 2^32 and the plan
  /// checked that the sum fits an i32 (32-bit requantization only).
  RequantArgs biasInRounding(RequantArgs args, Value bias) {
    args.rPosHi = e.add(args.rPosHi, e.mul(bias, args.mult));
    return args;
  }
  /// A row's wide blocks as one asm loop (emitWideRowLoop, in `body`, given
  /// the block count as i32) where `cols` holds at least one block.
  void wideRowLoop(Value cols, function_ref<void(Value count)> body) {
    Value blocks =
        arith::DivUIOp::create(b(), e.loc, cols, e.idx(kWidePixelBlock));
    Value any = arith::CmpIOp::create(b(), e.loc, arith::CmpIPredicate::ugt,
                                      blocks, e.idx(0));
    e.ifThen(any, [&] { body(blocks); });
  }
  /// The run-time distance of an HWC output's pixels (its channel count,
  /// i32) for the asm stores, where the configuration leaves it out
  /// (k.out.inner 0); null otherwise.
  Value outStep() {
    if (k.out.layout != Layout::hwc || k.out.flat || k.out.inner)
      return Value();
    return e.toI32(out.c);
  }
  void emitDepthwise();
  bool emitDepthwiseBand();
  bool emitDepthwisePlane(int64_t inW, int64_t outW, int64_t bandW,
                          int64_t outStride, Value pad);
  void emitPointwise();
  void emitGeneric();
  void emitSplitInputs(int64_t features);
  bool emitIm2col();
  void emitFewChannels();
  /// Byte offsets in the arena of the input and the weights.
  Value inOff, weightOff, outOff;
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
// requantization values are loaded once into registers, and every pixel
// runs a fully unrolled window with the zero point folded into the bias
// (sum (x - zp) * w = sum x * w - zp * sum w modulo 2^32). Interior pixels
// (whose window lies inside the input) load every tap; border pixels test
// the rows (top and bottom border rows) or the columns (left and right
// border columns) of their taps at run time and read zp for a tap outside
// the input, so that padding costs no copy. Work is dealt to cores by
// channels, as PULP-NN does.
LowWordRequant WindowEmitter::lowWordRequant(const RequantArgs &args) {
  const RequantMode &mode = rq.mode;
  return {args.rPosHi,   args.mult,
          args.shift,    mode.zpFolded ? Value() : bounds.zp,
          mode.clipBits, mode.clipSigned,
          bounds.lo,     bounds.hi};
}

WindowEmitter::Channel WindowEmitter::depthwiseChannel(Value oc, bool rowWords,
                                                       bool rowWordsHi,
                                                       bool wordsOnly) {
  Channel ch;
  if (wordsOnly && e.xpulp && k.kw == 3 && k.weightRank == 3) {
    // The words straight from the [kh][3][C] weights (XpulpV2.h); the
    // single weights are not needed then.
    ch.rowWords = emitDepthwiseWeightRows(
        b(), e.loc, e.toI32(e.add(e.address(weightOff), oc)), e.toI32(out.c),
        k.kh);
    if (rowWordsHi)
      for (Value word : ch.rowWords)
        ch.rowWordsHi.push_back(
            arith::ShLIOp::create(b(), e.loc, word, e.i32(8)));
  }
  for (int64_t ky = 0; ky < k.kh && ch.rowWords.empty(); ++ky)
    for (int64_t kx = 0; kx < k.kw; ++kx)
      ch.w.push_back(weight(oc, e.idx(ky), e.idx(kx), Value()));
  if (rowWords && ch.rowWords.empty())
    for (int64_t ky = 0; ky < k.kh; ++ky) {
      Value word = e.i32(0);
      for (int64_t kx = 0; kx < k.kw; ++kx) {
        Value lane = arith::AndIOp::create(b(), e.loc, ch.w[ky * k.kw + kx],
                                           e.i32(0xFF));
        word = arith::OrIOp::create(
            b(), e.loc, word,
            arith::ShLIOp::create(b(), e.loc, lane, e.i32(8 * kx)));
      }
      ch.rowWords.push_back(word);
      if (rowWordsHi)
        ch.rowWordsHi.push_back(
            arith::ShLIOp::create(b(), e.loc, word, e.i32(8)));
    }
  ch.args = e.requantArgs(rq, oc);
  ch.bias = ch.inner = biasOf(oc);
  if (k.zpFolded) {
    // The bias holds the zero point's terms already.
  } else if (k.hasZp && rowWords && e.xpulp) {
    // zp * sum(w) as kh dot products of the packed rows (lane 3 zero)
    // with the zero point in every lane.
    Value zpWord = e.byteSplat(zp);
    Value sum = e.i32(0);
    for (Value word : ch.rowWords)
      sum = e.dot4(sum, zpWord, word, k.in.isSigned);
    ch.inner = e.sub(ch.bias, sum);
  } else if (k.hasZp) {
    Value sum = ch.w[0];
    for (size_t i = 1; i < ch.w.size(); ++i)
      sum = e.add(sum, ch.w[i]);
    ch.inner = e.sub(ch.bias, e.mul(sum, zp));
  }
  return ch;
}

// The band kernel's plane form: a core copies the input rows of up to
// `chunk` output rows of one channel into a plane on its stack (bandW bytes a
// row, padded with the zero point like the band), then computes those rows
// as two nested hardware loops (emitDepthwisePlaneLoop); the copy is two
// nested hardware loops too (emitPlaneCopy). No ring: a window row is a
// constant offset from the first, so a row costs no pointer arithmetic and
// no loop code outside the assembly, which on small images (8x8, 4x4) was
// most of a channel's time; a chunk boundary copies kh - strideH rows
// again. The plane takes the rows the scratch budget holds; returns false
// (nothing emitted) where fewer than 2 output rows fit.
bool WindowEmitter::emitDepthwisePlane(int64_t inW, int64_t outW, int64_t bandW,
                                       int64_t outStride, Value pad) {
  int64_t planeRows = e.scratchBytes / bandW;
  int64_t chunk = planeRows < k.kh ? 0 : (planeRows - k.kh) / k.strideH + 1;
  int64_t pixels = k.strideW == 1 ? 2 : 1;
  // A channel's input bytes are `srcStride` apart: the channels of an HWC
  // input, 1 in a CHW one (whose rows the copy takes a word at a time).
  int64_t srcStride = k.in.layout == Layout::hwc ? k.in.inner : 1;
  if (chunk < 2 || !planeCopyFits(inW, srcStride, bandW - inW) ||
      !depthwisePlaneLoopFits(k.kh, bandW, outW, k.strideH, k.strideW,
                              outStride))
    return false;
  int64_t padL = k.padLeft;
  // Stride 2 over a CHW input whose windows reach one column past its right
  // edge and none left of it (SAME on an even width, MobileNet's): where
  // the windows reach at most one row below the input and none above it
  // (checked at run time: the tile's rows), the input is read in place,
  // with no copy; the word past a row's end is the zero point
  // (emitDepthwisePlaneLoop's `lastColumn`), and the last output row, whose
  // window's third row is padding, takes the first two rows with that
  // row's zero-point terms added to its bias. The copy moved 4 input bytes
  // an output pixel, a fifth to a third of a stride-2 layer's instructions.
  const RequantMode &mode = rq.mode;
  bool inPlace =
      srcStride == 1 && k.kh == 3 && k.strideH == 2 && k.strideW == 2 &&
      padL == 0 && inW % 8 == 0 && inW == 2 * outW &&
      depthwisePlaneLoopFits(k.kh, inW, outW, k.strideH, k.strideW,
                             outStride) &&
      depthwisePlaneQuadsFit(k.kh, inW, outW, k.strideW,
                             !mode.zpFolded && bounds.zp, mode.clipBits != 0,
                             outStride == 0, /*lastColumn=*/true);
  Type i32 = b().getI32Type();
  // The zero point in every byte of a word.
  Value padWord = e.byteSplat(pad);
  int64_t words = planeRows * bandW / 4;
  e.splitRangeOverCores(out.c, [&](Value cLo, Value cHi) {
    auto plane =
        memref::AllocaOp::create(b(), e.loc, MemRefType::get({words}, i32));
    Value planeAddr =
        memref::ExtractAlignedPointerAsIndexOp::create(b(), e.loc, plane);
    auto padRows = [&](Value lo, Value hi) {
      e.loop(lo, hi, 1, [&](Value j) {
        Value w0 = e.mul(j, e.idx(bandW / 4));
        for (int64_t i = 0; i < bandW / 4; ++i)
          memref::StoreOp::create(b(), e.loc, padWord, plane,
                                  ValueRange{e.add(w0, e.idx(i))});
      });
    };
    auto throughPlane = [&]() {
      // Every byte of the rows the first chunk takes the zero point: the
      // padding columns stay so for every channel; the rows a chunk takes
      // from outside the input are set again per chunk (another chunk's copy
      // may have written them).
      padRows(e.idx(0),
              e.add(e.mul(e.sub(e.minS(e.idx(chunk), out.h), e.idx(1)),
                          e.idx(k.strideH)),
                    e.idx(k.kh)));
      // Chunks outside, channels inside: a chunk's rows and the plane rows it
      // takes from outside the input are the same for every channel.
      e.loop(e.idx(0), out.h, chunk, [&](Value oy0) {
        Value n = e.minS(e.idx(chunk), e.sub(out.h, oy0));
        // Plane row j is input row iy0 + j, for j in [0, need); those in
        // [jLo, jHi) are inside the input.
        Value iy0 = e.sub(e.mul(oy0, e.idx(k.strideH)), padTop);
        Value need =
            e.add(e.mul(e.sub(n, e.idx(1)), e.idx(k.strideH)), e.idx(k.kh));
        Value jLo = e.minS(e.maxS(e.sub(e.idx(0), iy0), e.idx(0)), need);
        Value jHi = e.maxS(e.minS(e.sub(in.h, iy0), need), jLo);
        padRows(e.idx(0), jLo);
        padRows(jHi, need);
        Value inside = arith::CmpIOp::create(
            b(), e.loc, arith::CmpIPredicate::slt, jLo, jHi);
        Value insideRows = e.toI32(e.sub(jHi, jLo));
        Value dst = e.toI32(
            e.add(planeAddr, e.add(e.mul(jLo, e.idx(bandW)), e.idx(padL))));
        Value rowsOut = e.toI32(n);
        e.loop(cLo, cHi, 1, [&](Value oc) {
          Channel ch = depthwiseChannel(oc, /*rowWords=*/true,
                                        /*rowWordsHi=*/pixels == 2,
                                        /*wordsOnly=*/true);
          ArrayRef<Value> rows = ch.rowWords, rowsHi = ch.rowWordsHi;
          LowWordRequant lw = lowWordRequant(ch.args);
          auto copy = scf::IfOp::create(b(), e.loc, inside, /*withElse=*/false);
          {
            OpBuilder::InsertionGuard guard(b());
            b().setInsertionPointToStart(copy.thenBlock());
            Value src =
                e.address(in, e.address(inOff), e.add(iy0, jLo), e.idx(0), oc);
            // (The plane's rows start at word boundaries: a stack array of
            // words, bandW a multiple of 4.)
            bool ok = emitPlaneCopy(b(), e.loc, e.toI32(src), dst, insideRows,
                                    inW, srcStride, bandW - inW, padL);
            assert(ok && "checked above");
            (void)ok;
          }
          Value outAddr = e.address(out, e.address(outOff), oy0, e.idx(0), oc);
          bool ok = emitDepthwisePlaneLoop(
              b(), e.loc, e.toI32(planeAddr), bandW, e.toI32(outAddr), rowsOut,
              outW, k.strideH, k.strideW, ch.inner, rows, rowsHi, lw, outStride,
              k.in.isSigned, outStride == 0 ? outStep() : Value());
          assert(ok && "checked above");
          (void)ok;
        });
      });
    };
    if (!inPlace) {
      throughPlane();
      return;
    }
    // The output rows from 0 whose windows lie inside the input.
    Value yHi = interior(e, padTop, k.strideH, k.kh, in.h, out.h).second;
    auto cmp = [&](arith::CmpIPredicate pred, Value x, Value y) {
      return arith::CmpIOp::create(b(), e.loc, pred, x, y);
    };
    auto eq = [&](Value x, Value y) {
      return cmp(arith::CmpIPredicate::eq, x, y);
    };
    Value lastRow = e.sub(out.h, e.idx(1));
    // No padding above; below, none or one window row of the last output
    // row.
    Value fits = arith::AndIOp::create(
        b(), e.loc, eq(padTop, e.idx(0)),
        arith::OrIOp::create(
            b(), e.loc, eq(yHi, out.h),
            arith::AndIOp::create(b(), e.loc, eq(yHi, lastRow),
                                  eq(in.h, e.add(e.mul(yHi, e.idx(k.strideH)),
                                                 e.idx(k.kh - 1))))));
    auto inPlaceRows = [&] {
      e.loop(cLo, cHi, 1, [&](Value oc) {
        Channel ch = depthwiseChannel(oc, /*rowWords=*/true,
                                      /*rowWordsHi=*/false,
                                      /*wordsOnly=*/true);
        LowWordRequant lw = lowWordRequant(ch.args);
        // Output rows [oy, oy + n) from input row 2 oy with the window rows
        // `rows`.
        auto rowsInPlace = [&](Value oy, Value n, ArrayRef<Value> rows,
                               Value inner) {
          Value src = e.address(in, e.address(inOff),
                                e.mul(oy, e.idx(k.strideH)), e.idx(0), oc);
          Value outAddr = e.address(out, e.address(outOff), oy, e.idx(0), oc);
          bool ok = emitDepthwisePlaneLoop(
              b(), e.loc, e.toI32(src), inW, e.toI32(outAddr), e.toI32(n), outW,
              k.strideH, k.strideW, inner, rows, /*rowsHi=*/{}, lw, outStride,
              k.in.isSigned, outStride == 0 ? outStep() : Value(), padWord);
          assert(ok && "checked above");
          (void)ok;
        };
        ArrayRef<Value> rows = ch.rowWords;
        e.ifThen(cmp(arith::CmpIPredicate::sgt, yHi, e.idx(0)),
                 [&] { rowsInPlace(e.idx(0), yHi, rows, ch.inner); });
        // The last row: its window's third row reads the zero point, whose
        // terms (pad . W) go into the bias.
        e.ifThen(cmp(arith::CmpIPredicate::slt, yHi, out.h), [&] {
          rowsInPlace(yHi, e.idx(1), rows.drop_back(),
                      e.dot4(ch.inner, padWord, rows.back(), k.in.isSigned));
        });
      });
    };
    e.ifThenElse(fits, inPlaceRows, throughPlane);
  });
  return true;
}

// Depthwise on XpulpV2 with an HWC input and a window 3 columns wide (every
// MobileNet's): PULP-NN's approach. Each core copies, per channel, the input
// rows its window needs into a band of kh rows on its stack, that channel
// alone and already padded (the columns left and right of the input, and
// rows above or below it, hold the zero point), so the band is a CHW image
// of one channel that every output pixel reads without a border test. The
// band is a ring: going down one output row copies only the rows that enter
// the window (stride rows). An output pixel then reads each window row as
// one (unaligned) word and accumulates it with one pv.sdot(u)sp.b against
// the row's weights packed into a word (lane 3 zero); with stride 1, two
// neighbouring pixels share those words (the second against the weights
// shifted one lane up), so a pixel costs kh / 2 loads and kh dot products
// instead of 3 * kh loads and multiply-accumulates. The zero point is
// folded into the bias: the band's padding reads zp. A CHW input (the
// paper's depthwise layout) takes the plane form, whose copy then moves a
// channel's rows a word at a time: 3 cycles for 4 bytes (an unaligned store
// takes two) where an HWC channel's bytes take 8. Returns false (nothing
// emitted) where it does not apply.
bool WindowEmitter::emitDepthwiseBand() {
  std::optional<int64_t> inW = getConstantIntValue(in.w),
                         outW = getConstantIntValue(out.w);
  // The pixels of a row as one hardware loop (XpulpV2.h) need the 32-bit
  // requantization, a window of at most 3 rows and a store step that fits
  // an immediate.
  const RequantMode &mode = rq.mode;
  // An HWC output's pixels are its channel count apart: the configuration's
  // (an immediate), or 0, a run-time step (the kernel's operand: one kernel
  // for every channel count).
  int64_t outStride = k.out.layout == Layout::hwc ? k.out.inner : 1;
  bool rowLoop = mode.lowWord && !mode.float32Bits && k.kh <= 3 &&
                 outStride >= 0 && outStride <= kMaxImmediateOffset;
  // Stride 2 pays the copy of two rows per output row without the shared
  // words: with a scalar copy and pixel loop it measured slower than the
  // p.mac kernel on GVSoC (MobileNetV1 0.25@128's stride-2 layers: +20-25%
  // cycles); with both as hardware loops it is faster.
  // A CHW input takes the plane form only (its rows copied as words);
  // where that does not apply, emitDepthwise's word-per-row window.
  bool chw = k.in.layout == Layout::chw;
  if (!e.xpulp || k.kw != 3 || k.kh > 5 || k.strideW > 2 ||
      (k.strideW == 2 && !rowLoop) || k.strideH >= k.kh || !inW || !outW ||
      *outW < 1 || (chw && !rowLoop))
    return false;
  int64_t padL = k.padLeft;
  // Band columns: the left padding, the input, the right padding the last
  // window reaches, and 3 bytes that the last word may read past it (its
  // lane 3 meets a zero weight).
  int64_t cols = std::max(padL + *inW, (*outW - 1) * k.strideW + k.kw) + 3;
  int64_t bandW = llvm::alignTo(cols, 4);
  Type i8 = b().getI8Type();
  Value pad = k.hasZp ? zp : e.i32(0);
  Value pad8 = arith::TruncIOp::create(b(), e.loc, i8, pad);
  if (rowLoop && emitDepthwisePlane(*inW, *outW, bandW, outStride, pad))
    return true;
  if (chw)
    return false;
  e.splitRangeOverCores(out.c, [&](Value cLo, Value cHi) {
    // At the top of the fork body: a static frame slot of each core.
    auto band = memref::AllocaOp::create(b(), e.loc,
                                         MemRefType::get({k.kh, bandW}, i8));
    Value bandAddr =
        memref::ExtractAlignedPointerAsIndexOp::create(b(), e.loc, band);
    // The padding columns, the same for every channel.
    for (int64_t r = 0; r < k.kh; ++r) {
      for (int64_t c = 0; c < padL; ++c)
        memref::StoreOp::create(b(), e.loc, pad8, band,
                                ValueRange{e.idx(r), e.idx(c)});
      e.loop(e.idx(padL + *inW), e.idx(bandW), 1, [&](Value c) {
        memref::StoreOp::create(b(), e.loc, pad8, band,
                                ValueRange{e.idx(r), c});
      });
    }
    Value kh = e.idx(k.kh);
    e.loop(cLo, cHi, 1, [&](Value oc) {
      // The channel's rows of weights as words, lanes 0-2 (and 1-3 for the
      // second pixel of a pair), its bias with the zero point folded in and
      // its requantization values.
      Channel ch = depthwiseChannel(oc, /*rowWords=*/true,
                                    /*rowWordsHi=*/true, /*wordsOnly=*/true);
      ArrayRef<Value> rows = ch.rowWords, rowsHi = ch.rowWordsHi;
      Value inner = ch.inner;
      const RequantArgs &args = ch.args;
      // Input row r lives in slot (r + padTop) mod kh. Carried down the
      // rows: `next`, the first row the band lacks, and `s0`, the slot of
      // the window's first row (no division: a slot plus less than kh
      // wraps with one compare).
      auto wrap = [&](Value v) -> Value {
        Value over =
            arith::CmpIOp::create(b(), e.loc, arith::CmpIPredicate::sge, v, kh);
        return arith::SelectOp::create(b(), e.loc, over, e.sub(v, kh), v);
      };
      Value first = e.sub(e.idx(0), padTop);
      auto rowsLoop = scf::ForOp::create(b(), e.loc, e.idx(0), out.h, e.idx(1),
                                         ValueRange{first, e.idx(0)});
      {
        OpBuilder::InsertionGuard guard(b());
        b().setInsertionPointToStart(rowsLoop.getBody());
        Value oy = rowsLoop.getInductionVar();
        Value next = rowsLoop.getRegionIterArgs()[0];
        Value s0 = rowsLoop.getRegionIterArgs()[1];
        Value iy0 = e.sub(e.mul(oy, e.idx(k.strideH)), padTop);
        Value end = e.add(iy0, kh);
        e.loop(e.maxS(next, iy0), end, 1, [&](Value r) {
          Value s = wrap(e.add(s0, e.sub(r, iy0)));
          Value inside = arith::CmpIOp::create(
              b(), e.loc, arith::CmpIPredicate::ult, r, in.h);
          auto copy = scf::IfOp::create(b(), e.loc, inside, /*withElse=*/true);
          OpBuilder::InsertionGuard guard(b());
          b().setInsertionPointToStart(copy.thenBlock());
          auto copy1 = [&](Value x) {
            Value v =
                arith::TruncIOp::create(b(), e.loc, i8, e.load(in, r, x, oc));
            memref::StoreOp::create(b(), e.loc, v, band,
                                    ValueRange{s, e.add(x, e.idx(padL))});
          };
          // A hardware loop of post-incremented loads and stores, two
          // bytes per iteration; else four bytes per iteration (the loop
          // costs as much as a byte).
          int64_t copied = *inW / 2 * 2;
          Value src = e.address(in, e.address(inOff), r, e.idx(0), oc);
          Value dst =
              e.add(bandAddr, e.add(e.mul(s, e.idx(bandW)), e.idx(padL)));
          if (!emitStridedByteCopy(b(), e.loc, e.toI32(src), e.toI32(dst),
                                   *inW / 2, k.in.inner)) {
            copied = *inW / 4 * 4;
            e.loop(e.idx(0), e.idx(copied), 4, [&](Value x) {
              for (int64_t j = 0; j < 4; ++j)
                copy1(e.add(x, e.idx(j)));
            });
          }
          for (int64_t x = copied; x < *inW; ++x)
            copy1(e.idx(x));
          b().setInsertionPointToStart(copy.elseBlock());
          e.loop(e.idx(0), e.idx(*inW), 1, [&](Value x) {
            memref::StoreOp::create(b(), e.loc, pad8, band,
                                    ValueRange{s, e.add(x, e.idx(padL))});
          });
        });
        // The address of each window row in the band.
        SmallVector<Value> at;
        for (int64_t ky = 0; ky < k.kh; ++ky)
          at.push_back(
              e.add(bandAddr, e.mul(wrap(e.add(s0, e.idx(ky))), e.idx(bandW))));
        auto word = [&](int64_t ky, Value col) {
          return emitLoadWord(b(), e.loc, e.toI32(e.add(at[ky], col)));
        };
        auto finish = [&](Value ox, Value acc) {
          e.store(out, oy, ox, oc, e.requant(rq, bounds, args, acc));
        };
        // With the 32-bit requantization, the row's pixels (pairs with
        // stride 1) are one hardware loop.
        int64_t pairs = *outW / 2, done = 0;
        if (rowLoop) {
          LowWordRequant lw = lowWordRequant(args);
          SmallVector<Value> rowAddrs;
          for (Value a : at)
            rowAddrs.push_back(e.toI32(a));
          Value outAddr = e.address(out, e.address(outOff), oy, e.idx(0), oc);
          if (k.strideW == 2) {
            bool ok = emitDepthwiseRowLoop(
                b(), e.loc, rowAddrs, e.toI32(outAddr), e.i32(*outW), inner,
                rows, {}, lw, outStride, /*inStep=*/2, k.in.isSigned,
                outStep());
            assert(ok && "checked by rowLoop");
            (void)ok;
            Value s1 = wrap(e.add(s0, e.idx(k.strideH)));
            scf::YieldOp::create(b(), e.loc, ValueRange{end, s1});
            return;
          }
          if (pairs >= 1 &&
              emitDepthwiseRowLoop(b(), e.loc, rowAddrs, e.toI32(outAddr),
                                   e.i32(pairs), inner, rows, rowsHi, lw,
                                   outStride, /*inStep=*/2, k.in.isSigned,
                                   outStep()))
            done = 2 * pairs;
        }
        e.loop(e.idx(done), e.idx(2 * pairs), 2, [&](Value ox) {
          Value acc0 = inner, acc1 = inner;
          for (int64_t ky = 0; ky < k.kh; ++ky) {
            Value x = word(ky, ox);
            acc0 = e.dot4(acc0, x, rows[ky], k.in.isSigned);
            acc1 = e.dot4(acc1, x, rowsHi[ky], k.in.isSigned);
          }
          finish(ox, acc0);
          finish(e.add(ox, e.idx(1)), acc1);
        });
        if (*outW % 2) {
          // The last pixel of an odd row alone.
          Value ox = e.idx(*outW - 1), acc = inner;
          for (int64_t ky = 0; ky < k.kh; ++ky)
            acc = e.dot4(acc, word(ky, ox), rows[ky], k.in.isSigned);
          finish(ox, acc);
        }
        Value s1 = wrap(e.add(s0, e.idx(k.strideH)));
        scf::YieldOp::create(b(), e.loc, ValueRange{end, s1});
      }
    });
  });
  return true;
}

void WindowEmitter::emitDepthwise() {
  if (emitDepthwiseBand())
    return;
  Value yLo, yHi, xLo, xHi; // (captured by lambdas: no structured binding)
  std::tie(yLo, yHi) = interior(e, padTop, k.strideH, k.kh, in.h, out.h);
  Value zero = e.idx(0);
  Value pad = k.hasZp ? zp : e.i32(0);
  // The column classes: with the widths in the configuration (the
  // pattern puts them there), every output column's taps are known here:
  // border columns get their own code with their static tap range, as the
  // interior; otherwise the border columns test their taps at run time.
  struct Cols {
    int64_t lo, hi, tapLo, tapHi; // columns [lo, hi) with taps [tapLo, tapHi)
  };
  SmallVector<Cols> staticCols;
  std::optional<int64_t> inW = getConstantIntValue(in.w),
                         outW = getConstantIntValue(out.w);
  if (inW && outW) {
    int64_t lo =
        std::min<int64_t>((k.padLeft + k.strideW - 1) / k.strideW, *outW);
    int64_t t = *inW + k.padLeft - k.kw;
    int64_t hi = std::min(std::max(t >= 0 ? t / k.strideW + 1 : 0, lo), *outW);
    auto single = [&](int64_t o) {
      int64_t i0 = o * k.strideW - k.padLeft;
      int64_t tapLo = std::max<int64_t>(0, -i0);
      int64_t tapHi = std::max(tapLo, std::min(k.kw, *inW - i0));
      staticCols.push_back({o, o + 1, tapLo, tapHi});
    };
    for (int64_t o = 0; o < lo; ++o)
      single(o);
    if (lo < hi)
      staticCols.push_back({lo, hi, 0, k.kw});
    for (int64_t o = hi; o < *outW; ++o)
      single(o);
  }
  std::tie(xLo, xHi) = interior(e, padLeft, k.strideW, k.kw, in.w, out.w);
  // A channel's weights (as i32), its requantization values, its bias and
  // its bias with the zero point folded in.
  // CHW on XpulpV2 with a window of 3 columns: an interior pixel reads
  // each row of its window as one (unaligned) word, whose fourth lane meets
  // a zero weight, and accumulates it with one pv.sdot(u)sp.b: kh loads and
  // kh dot products instead of 3 * kh of each. Not the last interior
  // column, whose word could reach one byte past the input's end (for the
  // others the fourth byte is in the row: the next column's window starts
  // at least one column on).
  bool simdRows =
      e.xpulp && k.in.layout == Layout::chw && k.kw == 3 && !staticCols.empty();
  Value inBase = simdRows ? e.address(inOff) : Value();
  auto channel = [&](Value oc) { return depthwiseChannel(oc, simdRows); };
  // One pixel over the taps [tapLo, tapHi) of each row; `checkRows` /
  // `checkCols`: its taps may fall outside the input in that dimension (a
  // tap outside reads zp).
  auto window = [&](Value oy, Value ox, Value oc, const Channel &ch,
                    bool checkRows, bool checkCols, int64_t tapLo,
                    int64_t tapHi) {
    Value iy0, ix0; // (captured by lambdas: no structured binding)
    std::tie(iy0, ix0) = origin(oy, ox);
    auto inside = [&](Value i, Value size) -> Value {
      return arith::CmpIOp::create(b(), e.loc, arith::CmpIPredicate::ult, i,
                                   size);
    };
    SmallVector<Value> iys, ixs, rowOk, colOk;
    for (int64_t ky = 0; ky < k.kh; ++ky) {
      iys.push_back(e.add(iy0, e.idx(ky)));
      rowOk.push_back(checkRows ? inside(iys.back(), in.h) : Value());
    }
    for (int64_t kx = 0; kx < k.kw; ++kx) {
      ixs.push_back(e.add(ix0, e.idx(kx)));
      colOk.push_back(checkCols ? inside(ixs.back(), in.w) : Value());
    }
    auto clampTo = [&](Value ok, Value i) -> Value {
      return ok ? arith::SelectOp::create(b(), e.loc, ok, i, zero).getResult()
                : i;
    };
    // The folded bias assumes every tap; a partial tap range subtracts zp
    // per tap instead, or, with the zero point folded at compile time, adds
    // the skipped taps' zp * w (a tap outside reads zp).
    bool partial = tapLo > 0 || tapHi < k.kw;
    bool subtractZp = partial && k.hasZp && !k.zpFolded;
    Value acc = partial && !k.zpFolded ? ch.bias : ch.inner;
    for (int64_t ky = 0; ky < k.kh; ++ky)
      for (int64_t kx = tapLo; kx < tapHi; ++kx) {
        Value ok = rowOk[ky];
        if (colOk[kx])
          ok = ok ? arith::AndIOp::create(b(), e.loc, ok, colOk[kx]).getResult()
                  : colOk[kx];
        Value x = e.load(in, clampTo(rowOk[ky], iys[ky]),
                         clampTo(colOk[kx], ixs[kx]), oc);
        if (ok)
          x = arith::SelectOp::create(b(), e.loc, ok, x, pad);
        if (subtractZp)
          x = e.sub(x, zp);
        acc = e.mac(acc, x, ch.w[ky * k.kw + kx]);
      }
    if (partial && k.hasZp && k.zpFolded)
      for (int64_t ky = 0; ky < k.kh; ++ky)
        for (int64_t kx = 0; kx < k.kw; ++kx)
          if (kx < tapLo || kx >= tapHi)
            acc = e.mac(acc, zp, ch.w[ky * k.kw + kx]);
    e.store(out, oy, ox, oc, e.requant(rq, bounds, ch.args, acc));
  };
  // An interior pixel as kh word loads and dot products (simdRows).
  auto rowsWindow = [&](Value oy, Value ox, Value oc, const Channel &ch) {
    Value iy0, ix0; // (captured by lambdas: no structured binding)
    std::tie(iy0, ix0) = origin(oy, ox);
    Value acc = ch.inner;
    for (int64_t ky = 0; ky < k.kh; ++ky) {
      Value at = e.address(in, inBase, e.add(iy0, e.idx(ky)), ix0, oc);
      acc = e.dot4(acc, emitLoadWord(b(), e.loc, e.toI32(at)), ch.rowWords[ky],
                   k.in.isSigned);
    }
    e.store(out, oy, ox, oc, e.requant(rq, bounds, ch.args, acc));
  };
  // One row's pixels: the static column classes, or interior columns and
  // run-time checked border columns.
  auto row = [&](Value oy, Value oc, const Channel &ch, bool checkRows) {
    if (!staticCols.empty()) {
      for (const Cols &c : staticCols) {
        if (simdRows && !checkRows && c.tapLo == 0 && c.tapHi == k.kw &&
            c.hi - c.lo > 1) {
          e.loop(e.idx(c.lo), e.idx(c.hi - 1), 1,
                 [&](Value ox) { rowsWindow(oy, ox, oc, ch); });
          window(oy, e.idx(c.hi - 1), oc, ch, false, false, 0, k.kw);
          continue;
        }
        if (c.hi - c.lo == 1) {
          window(oy, e.idx(c.lo), oc, ch, checkRows, false, c.tapLo, c.tapHi);
          continue;
        }
        e.loop(e.idx(c.lo), e.idx(c.hi), 1, [&](Value ox) {
          window(oy, ox, oc, ch, checkRows, false, c.tapLo, c.tapHi);
        });
      }
      return;
    }
    e.loop(xLo, xHi, 1, [&](Value ox) {
      window(oy, ox, oc, ch, checkRows, false, 0, k.kw);
    });
    // Border columns: [0, xLo) and [xHi, out.w).
    Value borderCols = e.add(xLo, e.sub(out.w, xHi));
    e.loop(zero, borderCols, 1, [&](Value j) {
      Value left =
          arith::CmpIOp::create(b(), e.loc, arith::CmpIPredicate::slt, j, xLo);
      Value ox = arith::SelectOp::create(b(), e.loc, left, j,
                                         e.add(e.sub(j, xLo), xHi));
      window(oy, ox, oc, ch, checkRows, true, 0, k.kw);
    });
  };
  // Interior rows and border rows are each their own loop over the core's
  // channels, so that a channel's weights and requantization values live
  // in registers only across one nest: one nest for both made LLVM spill
  // them in the interior loop.
  e.splitRangeOverCores(out.c, [&](Value cLo, Value cHi) {
    e.loop(cLo, cHi, 1, [&](Value oc) {
      Channel ch = channel(oc);
      e.loop(yLo, yHi, 1, [&](Value oy) { row(oy, oc, ch, false); });
    });
    // Border rows: [0, yLo) and [yHi, out.h) as one loop.
    Value borderRows = e.add(yLo, e.sub(out.h, yHi));
    e.loop(cLo, cHi, 1, [&](Value oc) {
      Channel ch = channel(oc);
      e.loop(zero, borderRows, 1, [&](Value j) {
        Value top = arith::CmpIOp::create(b(), e.loc, arith::CmpIPredicate::slt,
                                          j, yLo);
        Value oy = arith::SelectOp::create(b(), e.loc, top, j,
                                           e.add(e.sub(j, yLo), yHi));
        row(oy, oc, ch, true);
      });
    });
  });
}

// Pointwise: register-blocked (kWidePixelBlock, then kPixelBlock, pixels x
// kChannelBlock output channels share each loaded input and weight; PULP-NN
// has 4x2); column and channel remainders use the per-pixel kernel. The
// 4 x 4 block measured 5-12% fewer cycles than 2 x 4 on GVSoC (MobileNetV1
// 1.0@128's row-split layers, 64 KiB instruction cache to take code
// placement out); a kernel split by pixel pairs keeps 2 x 4 (4 x 4 made its
// 8x8 layers 2.5% slower there, the cores waiting longer at the end). The loop
// over channel blocks is outside the pixel loops, so that a block's biases and
// requantization values are loaded once for all its pixels. Split over
// cores by rows, or by channel blocks for a fused kernel split by channels.
void WindowEmitter::emitPointwise() {
  Value cols =
      arith::AndIOp::create(b(), e.loc, out.w, e.idx(~(kPixelBlock - 1)));
  // Wide blocks only as the XpulpV2 dot loop: on RV32IMC (a loop of
  // 32-bit multiply-adds) 16 accumulators spill (QEMU: +25% instructions
  // on MobileNetV1 0.25@128).
  int64_t wide = e.xpulp && weightWords ? kWidePixelBlock : kPixelBlock;
  Value wideCols = arith::AndIOp::create(b(), e.loc, out.w, e.idx(~(wide - 1)));
  Value chans =
      arith::AndIOp::create(b(), e.loc, out.c, e.idx(~(kChannelBlock - 1)));
  auto w = [&](Value oc, Value ic) {
    return weight(oc, e.idx(0), e.idx(0), ic);
  };
  struct ChannelBlock {
    SmallVector<Value> ocs, biases;
    SmallVector<RequantArgs> args;
    /// With the 32-bit requantization on XpulpV2: the arguments whose
    /// rounding term is K = r + bias * mult, for accumulators that start
    /// at zero (emitDotLoop without accumulators): r + (bias + dots) *
    /// mult == K + dots * mult modulo 2^32, and the plan checked that the
    /// sum fits an i32.
    SmallVector<RequantArgs> fromZeroArgs;
  };
  // Only for the wide blocks (kernels split by pixel pairs have none): for
  // the 2 x 4 block the peeled step and K measured slower on GVSoC
  // (1.0@224 +4.6%: those kernels grew and lost more to the cache).
  bool fromZero = e.xpulp && rq.mode.lowWord && !rq.mode.float32Bits &&
                  weightWords && !k.splitPixels;
  // With fromZero: a core's buffer of the channel block's requantization
  // values (storeRequantParams), which the wide block's asm loads; an
  // alloca at the top of each fork body.
  Value rqBuf;
  // A CHW output (a fused kernel's CHW intermediate or output): a block's
  // channels are a plane apart, a tile size known at run time; an HWC output
  // whose channel count is an operand (outStep): its pixels are that far
  // apart. The asm stores take the distance from the buffer (storeOutStep).
  bool chwOut = k.out.layout == Layout::chw && !k.out.flat;
  OutStep step = chwOut      ? OutStep::channels
                 : outStep() ? OutStep::pixels
                             : OutStep::none;
  // Outputs the asm requantization stores (HWC, or CHW with the step).
  bool asmOut = !k.out.flat && (k.out.layout == Layout::hwc || chwOut);
  auto allocRqBuf = [&] {
    if (!fromZero)
      return;
    rqBuf = memref::AllocaOp::create(
        b(), e.loc,
        MemRefType::get({kRequantParamWords + (step != OutStep::none ? 1 : 0)},
                        b().getI32Type()));
    if (chwOut) {
      Value c0 =
          e.address(out, e.address(outOff), e.idx(0), e.idx(0), e.idx(0));
      Value c1 =
          e.address(out, e.address(outOff), e.idx(0), e.idx(0), e.idx(1));
      storeOutStep(b(), e.loc, e.toI32(e.sub(c1, c0)), rqBuf);
    } else if (step == OutStep::pixels) {
      storeOutStep(b(), e.loc, outStep(), rqBuf);
    }
  };
  auto channelBlock = [&](Value oc0) {
    ChannelBlock cb;
    for (int64_t c = 0; c < kChannelBlock; ++c) {
      cb.ocs.push_back(e.add(oc0, e.idx(c)));
      cb.biases.push_back(biasOf(cb.ocs[c]));
      cb.args.push_back(e.requantArgs(rq, cb.ocs[c]));
    }
    // sum (x - zp) * w = sum x * w - zp * sum w modulo 2^32: with zp in the
    // biases, each input channel of a block saves a subtraction per pixel.
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
    if (fromZero) {
      SmallVector<LowWordRequant> lw;
      for (int64_t c = 0; c < kChannelBlock; ++c) {
        RequantArgs a = biasInRounding(cb.args[c], cb.biases[c]);
        cb.fromZeroArgs.push_back(a);
        lw.push_back(lowWordRequant(a));
      }
      if (rqBuf)
        storeRequantParams(b(), e.loc, lw, rqBuf);
    }
    return cb;
  };
  // One block: pixels (oy, ox + p) x channels cb.ocs[c].
  auto block = [&](Value oy, Value ox, const ChannelBlock &cb,
                   int64_t pixelBlock) {
    SmallVector<Value> pix, inits;
    for (int64_t p = 0; p < pixelBlock; ++p)
      pix.push_back(e.add(ox, e.idx(p)));
    for (int64_t p = 0; p < pixelBlock; ++p)
      llvm::append_range(inits, cb.biases);
    // The input channels: bytes, or (XpulpV2) words of 4 with one pv.sdot
    // per word, pixel and channel of the block.
    bool simd = weightWords != nullptr;
    if (simd && e.xpulp) {
      // One hardware loop over the input channels (XpulpV2.h); a wide
      // block's accumulators start at zero.
      bool wideZero = fromZero && pixelBlock == kWidePixelBlock;
      int64_t c = k.in.inner;
      Value inAddr = e.address(in, e.address(inOff), oy, ox, e.idx(0));
      Value wAddr = weightRow(cb.ocs[0]);
      ValueRange accsIn = wideZero ? ValueRange{} : ValueRange(inits);
      Value inAddr32 = e.toI32(inAddr);
      Value wAddr32 = e.toI32(wAddr);
      SmallVector<Value> accs;
      if (k.in.words) {
        // (A run-time channel count is at least 16: four steps or more.)
        Value stride = inStride();
        Value steps = e.toI32(inWordCount());
        accs = emitDotLoopStrided(b(), e.loc, accsIn, inAddr32, wAddr32,
                                  pixelBlock, kChannelBlock, stride, steps,
                                  k.in.isSigned);
      } else {
        accs = emitDotLoop(b(), e.loc, accsIn, inAddr32, wAddr32, pixelBlock,
                           kChannelBlock, c, c, c / 4, k.in.isSigned);
      }
      // A wide block's requantization and stores as asm, two channels at
      // a time (HWC output): LLVM kept its 16 accumulators on the stack.
      // (For the 2 x 4 block it measured no faster and made the kernel
      // larger; a larger kernel costs instruction-cache refills.)
      // (A pixel step: outStride unused, the channels' offsets.)
      int64_t outStride = chwOut ? 1 : k.out.inner;
      if (step == OutStep::pixels)
        outStride = 0;
      if (!accs.empty() && wideZero && rqBuf && asmOut &&
          (outStride > 0 || step == OutStep::pixels) &&
          (pixelBlock - 1) * outStride + (chwOut ? 0 : kChannelBlock - 1) <=
              kMaxImmediateOffset) {
        Value outAddr =
            e.toI32(e.address(out, e.address(outOff), oy, ox, cb.ocs[0]));
        SmallVector<LowWordRequant> q;
        for (const RequantArgs &a : cb.fromZeroArgs)
          q.push_back(lowWordRequant(a));
        Value params = e.toI32(
            memref::ExtractAlignedPointerAsIndexOp::create(b(), e.loc, rqBuf));
        bool ok = emitRequantStoresFrom(b(), e.loc, accs, pixelBlock, q, params,
                                        outAddr, outStride, step);
        assert(ok && "offsets checked above");
        (void)ok;
        return;
      }
      if (!accs.empty()) {
        ArrayRef<RequantArgs> args = wideZero ? cb.fromZeroArgs : cb.args;
        for (int64_t p = 0; p < pixelBlock; ++p)
          for (int64_t ch = 0; ch < kChannelBlock; ++ch)
            e.store(
                out, oy, pix[p], cb.ocs[ch],
                e.requant(rq, bounds, args[ch], accs[p * kChannelBlock + ch]));
        return;
      }
    }
    Value steps = simd ? inWordCount() : in.c;
    auto icLoop =
        scf::ForOp::create(b(), e.loc, e.idx(0), steps, e.idx(1), inits);
    {
      OpBuilder::InsertionGuard guard(b());
      b().setInsertionPointToStart(icLoop.getBody());
      Value ic = icLoop.getInductionVar();
      SmallVector<Value> xs, ws, next;
      for (int64_t p = 0; p < pixelBlock; ++p)
        xs.push_back(simd ? memref::LoadOp::create(b(), e.loc, inWords,
                                                   ValueRange{oy, pix[p], ic})
                                .getResult()
                          : e.load(in, oy, pix[p], ic));
      for (int64_t c = 0; c < kChannelBlock; ++c)
        ws.push_back(
            simd ? memref::LoadOp::create(
                       b(), e.loc, weightWords,
                       k.weightRank == 4
                           ? ValueRange{cb.ocs[c], e.idx(0), e.idx(0), ic}
                           : ValueRange{cb.ocs[c], ic})
                       .getResult()
                 : w(cb.ocs[c], ic));
      auto accs = icLoop.getRegionIterArgs();
      for (int64_t p = 0; p < pixelBlock; ++p)
        for (int64_t c = 0; c < kChannelBlock; ++c) {
          Value acc = accs[p * kChannelBlock + c];
          next.push_back(simd ? e.dot4(acc, xs[p], ws[c], k.in.isSigned)
                              : e.add(acc, e.mul(xs[p], ws[c])));
        }
      scf::YieldOp::create(b(), e.loc, next);
    }
    for (int64_t p = 0; p < pixelBlock; ++p)
      for (int64_t c = 0; c < kChannelBlock; ++c)
        e.store(out, oy, pix[p], cb.ocs[c],
                e.requant(rq, bounds, cb.args[c],
                          icLoop.getResult(p * kChannelBlock + c)));
  };
  auto scalarChannels = [&](Value oy, Value ox, Value lo, Value hi) {
    e.loop(lo, hi, 1, [&](Value oc) { pixel(oy, ox, oc); });
  };
  // A row's columns [0, cols) in blocks: wide ones, then at most one pair.
  // With the 32-bit requantization clipped to the output type and the zero
  // point folded, a row's wide blocks are one asm loop (emitWideRowLoop).
  int64_t inC = k.in.inner, outStride = chwOut ? 1 : k.out.inner;
  auto rowBlocks = [&](Value oy, const ChannelBlock &cb) {
    SmallVector<LowWordRequant> q;
    for (const RequantArgs &a : cb.fromZeroArgs)
      q.push_back(lowWordRequant(a));
    bool strided =
        k.in.words &&
        wideRowLoopStridedFits(kWidePixelBlock, kChannelBlock, outStride,
                               q.empty() ? LowWordRequant{} : q.front(), step);
    if (rqBuf && wide == kWidePixelBlock && !q.empty() && asmOut &&
        (strided || (inC > 0 && inC % 4 == 0 &&
                     wideRowLoopFits(kWidePixelBlock, kChannelBlock, inC, inC,
                                     inC / 4, outStride, q.front(), step)))) {
      wideRowLoop(wideCols, [&](Value blocks) {
        // One value a statement: the order of a call's arguments is
        // unspecified (GCC and clang would build the IR differently).
        Value inAddr =
            e.toI32(e.address(in, e.address(inOff), oy, e.idx(0), e.idx(0)));
        Value wAddr = e.toI32(weightRow(cb.ocs[0]));
        Value outAddr =
            e.toI32(e.address(out, e.address(outOff), oy, e.idx(0), cb.ocs[0]));
        Value params = e.toI32(
            memref::ExtractAlignedPointerAsIndexOp::create(b(), e.loc, rqBuf));
        Value count = e.toI32(blocks);
        bool ok = strided ? emitWideRowLoopStrided(
                                b(), e.loc, inAddr, wAddr, outAddr, params,
                                count, kWidePixelBlock, kChannelBlock,
                                inStride(), outStride, q, k.in.isSigned, step)
                          : emitWideRowLoop(b(), e.loc, inAddr, wAddr, outAddr,
                                            params, count, kWidePixelBlock,
                                            kChannelBlock, inC, inC, inC / 4,
                                            outStride, q, k.in.isSigned, step);
        assert(ok && "checked by wideRowLoopFits");
        (void)ok;
      });
    } else {
      e.loop(e.idx(0), wideCols, wide,
             [&](Value ox) { block(oy, ox, cb, wide); });
    }
    e.loop(wideCols, cols, kPixelBlock,
           [&](Value ox) { block(oy, ox, cb, kPixelBlock); });
  };
  if (!k.splitChannels) {
    // Each core: its rows, channel block by channel block.
    e.splitRangeOverCores(out.h, [&](Value lo, Value hi) {
      allocRqBuf();
      Value any =
          arith::CmpIOp::create(b(), e.loc, arith::CmpIPredicate::slt, lo, hi);
      e.ifThen(any, [&] {
        e.loop(e.idx(0), chans, kChannelBlock, [&](Value oc0) {
          ChannelBlock cb = channelBlock(oc0);
          e.loop(lo, hi, 1, [&](Value oy) { rowBlocks(oy, cb); });
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
  // Few rows: one fork, its phases each split over the cores. 0: the
  // channel blocks with all their pixels, or (splitPixels: fewer blocks than
  // cores) the (pixel pair, channel block) units, block outer, and then the
  // odd last column per (row, block); last: the channels past the last
  // block, per pixel. (Dealt by blocks alone, a 4x4 map's 13-channel tiles
  // ran on 3 cores; a 3-channel remainder tile ran on one.)
  Value blocks =
      arith::DivUIOp::create(b(), e.loc, chans, e.idx(kChannelBlock));
  Value restPixels =
      e.mul(e.mul(out.h, out.w),
            arith::MinUIOp::create(b(), e.loc, e.sub(out.c, chans), e.idx(1)));
  auto rest = [&](Value u) {
    Value oy = arith::DivUIOp::create(b(), e.loc, u, out.w);
    Value ox = arith::RemUIOp::create(b(), e.loc, u, out.w);
    scalarChannels(oy, ox, chans, out.c);
  };
  if (!k.splitPixels) {
    // (Ranges: the buffer's alloca at the top of the fork body, not in the
    // loop over a phase's units.)
    e.splitPhaseRangesOverCores(
        {blocks, restPixels}, [&](unsigned phase, Value lo, Value hi) {
          if (phase == 1)
            return e.loop(lo, hi, 1, rest);
          allocRqBuf();
          e.loop(lo, hi, 1, [&](Value u) {
            Value oc0 = e.mul(u, e.idx(kChannelBlock));
            ChannelBlock cb = channelBlock(oc0);
            e.loop(e.idx(0), out.h, 1, [&](Value oy) {
              rowBlocks(oy, cb);
              e.loop(cols, out.w, 1, [&](Value ox) {
                scalarChannels(oy, ox, oc0, e.add(oc0, e.idx(kChannelBlock)));
              });
            });
          });
        });
    return;
  }
  // A core's chunk of (block, pair) units: block by block (its biases and
  // requantization loaded once), the pairs walked by row and column without
  // a division per pair.
  Value pairsPerRow =
      arith::DivUIOp::create(b(), e.loc, cols, e.idx(kPixelBlock));
  Value pairs = e.mul(out.h, pairsPerRow);
  Value oddCols = e.sub(out.w, cols);
  auto divU = [&](Value x, Value y) {
    return arith::DivUIOp::create(b(), e.loc, x, y).getResult();
  };
  auto remU = [&](Value x, Value y) {
    return arith::RemUIOp::create(b(), e.loc, x, y).getResult();
  };
  e.splitPhaseRangesOverCores(
      {e.mul(pairs, blocks), e.mul(e.mul(out.h, oddCols), blocks), restPixels},
      [&](unsigned phase, Value lo, Value hi) {
        if (phase == 2)
          return e.loop(lo, hi, 1, rest);
        if (phase == 1)
          // (out.w - cols is at most kPixelBlock - 1 = 1 column.)
          return e.loop(lo, hi, 1, [&](Value u) {
            Value oc0 = e.mul(divU(u, out.h), e.idx(kChannelBlock));
            scalarChannels(remU(u, out.h), cols, oc0,
                           e.add(oc0, e.idx(kChannelBlock)));
          });
        Value any = arith::CmpIOp::create(b(), e.loc, arith::CmpIPredicate::ult,
                                          lo, hi);
        e.ifThen(any, [&] {
          Value bLo = divU(lo, pairs);
          Value bHi = divU(e.add(hi, e.sub(pairs, e.idx(1))), pairs);
          e.loop(bLo, bHi, 1, [&](Value blk) {
            Value first = e.mul(blk, pairs);
            Value pLo = arith::MaxUIOp::create(b(), e.loc, lo, first);
            Value pHi = e.minS(hi, e.add(first, pairs));
            Value pr0 = e.sub(pLo, first);
            ChannelBlock cb = channelBlock(e.mul(blk, e.idx(kChannelBlock)));
            // (oy, ox) of pair pr0, then stepped along the row.
            Value oy0 = divU(pr0, pairsPerRow);
            Value ox0 = e.mul(remU(pr0, pairsPerRow), e.idx(kPixelBlock));
            auto walk = scf::ForOp::create(b(), e.loc, pLo, pHi, e.idx(1),
                                           ValueRange{oy0, ox0});
            OpBuilder::InsertionGuard guard(b());
            b().setInsertionPointToStart(walk.getBody());
            Value oy = walk.getRegionIterArgs()[0];
            Value ox = walk.getRegionIterArgs()[1];
            block(oy, ox, cb, kPixelBlock);
            Value nx = e.add(ox, e.idx(kPixelBlock));
            Value wrap = arith::CmpIOp::create(
                b(), e.loc, arith::CmpIPredicate::uge, nx, cols);
            Value ny = arith::SelectOp::create(b(), e.loc, wrap,
                                               e.add(oy, e.idx(1)), oy);
            nx = arith::SelectOp::create(b(), e.loc, wrap, e.idx(0), nx);
            scf::YieldOp::create(b(), e.loc, ValueRange{ny, nx});
          });
        });
      });
}

// Every other window (a first layer's conv, avgpool, linear, a depthwise
// window too large to unroll): taps clipped at run time.
// A dense window over few input channels (a first layer's RGB) with
// XpulpV2: a tap's channels are one unaligned word of the input (the
// pixel's channels and bytes after them) and one word of the weights with
// the lanes past the channels cleared, so one pv.sdot does a tap. Border
// pixels test each tap and read a word of zero points outside the input.
void WindowEmitter::emitFewChannels() {
  Value yLo, yHi, xLo, xHi; // (captured by lambdas: no structured binding)
  std::tie(yLo, yHi) = interior(e, padTop, k.strideH, k.kh, in.h, out.h);
  std::tie(xLo, xHi) = interior(e, padLeft, k.strideW, k.kw, in.w, out.w);
  int64_t ch = k.staticInC;
  Value inBase = e.address(inOff), wBase = e.address(weightOff);
  Value mask = e.i32(ch >= 4 ? -1 : (int64_t(1) << (8 * ch)) - 1);
  Value ones = e.i32(0x01010101);
  // The zero point's byte in every lane.
  Value zpWord =
      k.hasZp ? e.mul(arith::AndIOp::create(b(), e.loc, zp, e.i32(0xFF)), ones)
              : e.i32(0);
  // With immediates, a row whose window leaves the input at the top or the
  // bottom (a border row) runs its interior columns like an interior row,
  // with one pointer per window row: a row outside the input points, and
  // stays, at a few words of zero-point bytes on the core's stack. Only the
  // left and right border columns test each tap then; the bottom border row
  // of a first layer on one core measured 66 K extra cycles otherwise.
  std::optional<int64_t> inW = getConstantIntValue(in.w);
  int64_t rowBytes = inW ? *inW * ch : 0;
  bool immediates =
      inW && (k.kh - 1) * rowBytes + (k.kw - 1) * ch <= kMaxImmediateOffset;
  e.splitRangeOverCores(out.h, [&](Value rLo, Value rHi) {
    Value zpAddr;
    if (immediates) {
      // At the top of the fork body: a static frame slot of each core.
      int64_t words = ((k.kw - 1) * ch + 4 + 3) / 4;
      auto zps = memref::AllocaOp::create(
          b(), e.loc, MemRefType::get({words}, b().getI32Type()));
      for (int64_t i = 0; i < words; ++i)
        memref::StoreOp::create(b(), e.loc, zpWord, zps, ValueRange{e.idx(i)});
      zpAddr = memref::ExtractAlignedPointerAsIndexOp::create(b(), e.loc, zps);
    }
    e.loop(rLo, rHi, 1, [&](Value oy) {
      Value rowIn = within(oy, yLo, yHi);
      // One loop over the output channels for the interior columns (when the
      // row is interior) and one for the border pixels: a channel's 9 weight
      // words live in registers across one nest only (both in one nest made
      // LLVM spill them in the interior loop).
      auto channels = [&](function_ref<void(Value, ArrayRef<Value>, Value,
                                            const RequantArgs &)>
                              body) {
        e.loop(e.idx(0), out.c, 1, [&](Value oc) {
          RequantArgs args = e.requantArgs(rq, oc);
          SmallVector<Value> w;
          Value inner = biasOf(oc);
          for (int64_t ky = 0; ky < k.kh; ++ky)
            for (int64_t kx = 0; kx < k.kw; ++kx) {
              Value at = e.add(
                  wBase,
                  e.mul(e.add(e.mul(e.add(e.mul(oc, e.idx(k.kh)), e.idx(ky)),
                                    e.idx(k.kw)),
                              e.idx(kx)),
                        e.idx(ch)));
              Value word = arith::AndIOp::create(
                  b(), e.loc, emitLoadWord(b(), e.loc, e.toI32(at)), mask);
              w.push_back(word);
              if (k.hasZp)
                inner =
                    e.sub(inner, e.mul(e.dot4(e.i32(0), word, ones, true), zp));
            }
          body(oc, w, inner, args);
        });
      };
      // The window's dot products, each window row's words loaded while the
      // previous row's are used: two rows live in registers (6 words for a
      // 3x3 window, not 9, which made LLVM spill the pixel loop's bound), and
      // no word is used right after its load (RI5CY's load-use stall).
      auto windowDot = [&](Value acc, ArrayRef<Value> w,
                           function_ref<Value(int64_t, int64_t)> tap) {
        SmallVector<Value> prev;
        for (int64_t ky = 0; ky <= k.kh; ++ky) {
          SmallVector<Value> row;
          for (int64_t kx = 0; ky < k.kh && kx < k.kw; ++kx)
            row.push_back(tap(ky, kx));
          for (auto [kx, x] : llvm::enumerate(prev))
            acc = e.dot4(acc, x, w[(ky - 1) * k.kw + kx], k.in.isSigned);
          prev = std::move(row);
        }
        return acc;
      };
      // A border pixel: a tap outside the input reads a word of zero-point
      // bytes (the folded bias counts zp for every tap), so that padding
      // costs a test per tap, not the generic kernel's loops.
      auto border = [&](Value ox, Value oc, ArrayRef<Value> w, Value inner,
                        const RequantArgs &args) {
        auto [iy0, ix0] = origin(oy, ox);
        Value acc = inner;
        for (int64_t ky = 0; ky < k.kh; ++ky)
          for (int64_t kx = 0; kx < k.kw; ++kx) {
            Value iy = e.add(iy0, e.idx(ky)), ix = e.add(ix0, e.idx(kx));
            Value ok = arith::AndIOp::create(
                b(), e.loc,
                arith::CmpIOp::create(b(), e.loc, arith::CmpIPredicate::ult, iy,
                                      in.h),
                arith::CmpIOp::create(b(), e.loc, arith::CmpIPredicate::ult, ix,
                                      in.w));
            Value at = arith::SelectOp::create(
                b(), e.loc, ok, e.address(in, inBase, iy, ix, e.idx(0)),
                inBase);
            Value x = arith::SelectOp::create(
                b(), e.loc, ok, emitLoadWord(b(), e.loc, e.toI32(at)), zpWord);
            acc = e.dot4(acc, x, w[ky * k.kw + kx], k.in.isSigned);
          }
        e.store(out, oy, ox, oc, e.requant(rq, bounds, args, acc));
      };
      // With the input width in the configuration, every tap is an immediate
      // offset from the window's first byte: one lw each, no address
      // arithmetic. All the loads come before the dot products (a load's
      // result used by the next instruction stalls RI5CY).
      e.ifThenElse(
          rowIn,
          [&] {
            channels([&](Value oc, ArrayRef<Value> w, Value inner,
                         const RequantArgs &args) {
              e.loop(xLo, xHi, 1, [&](Value ox) {
                Value iy0, ix0; // (captured: no structured binding)
                std::tie(iy0, ix0) = origin(oy, ox);
                Value origin0 =
                    immediates
                        ? e.toI32(e.address(in, inBase, iy0, ix0, e.idx(0)))
                        : Value();
                Value acc = windowDot(inner, w, [&](int64_t ky, int64_t kx) {
                  if (immediates)
                    return emitLoadWord(b(), e.loc, origin0,
                                        ky * rowBytes + kx * ch);
                  Value at = e.address(in, inBase, e.add(iy0, e.idx(ky)),
                                       e.add(ix0, e.idx(kx)), e.idx(0));
                  return emitLoadWord(b(), e.loc, e.toI32(at));
                });
                e.store(out, oy, ox, oc, e.requant(rq, bounds, args, acc));
              });
            });
          },
          [&] {
            if (immediates) {
              // Per window row: its first tap's address and the step per output
              // pixel, or the zero-point words and no step.
              auto [iy0, ix0] = origin(oy, xLo);
              SmallVector<Value> rowPtr, rowStep;
              for (int64_t ky = 0; ky < k.kh; ++ky) {
                Value iy = e.add(iy0, e.idx(ky));
                Value ok = arith::CmpIOp::create(
                    b(), e.loc, arith::CmpIPredicate::ult, iy, in.h);
                rowPtr.push_back(arith::SelectOp::create(
                    b(), e.loc, ok, e.address(in, inBase, iy, ix0, e.idx(0)),
                    zpAddr));
                rowStep.push_back(arith::SelectOp::create(
                    b(), e.loc, ok, e.idx(k.strideW * ch), e.idx(0)));
              }
              channels([&](Value oc, ArrayRef<Value> w, Value inner,
                           const RequantArgs &args) {
                e.loop(e.idx(0), e.sub(xHi, xLo), 1, [&](Value j) {
                  SmallVector<Value> rowAt;
                  for (int64_t ky = 0; ky < k.kh; ++ky)
                    rowAt.push_back(
                        e.toI32(e.add(rowPtr[ky], e.mul(j, rowStep[ky]))));
                  Value acc = windowDot(inner, w, [&](int64_t ky, int64_t kx) {
                    return emitLoadWord(b(), e.loc, rowAt[ky], kx * ch);
                  });
                  e.store(out, oy, e.add(xLo, j), oc,
                          e.requant(rq, bounds, args, acc));
                });
              });
            }
          });
      // The border pixels of the row: the columns left and right of the
      // interior ones, and without immediates all of a border row.
      Value x0 = immediates
                     ? xLo
                     : arith::SelectOp::create(b(), e.loc, rowIn, xLo, out.w);
      Value x1 = immediates
                     ? xHi
                     : arith::SelectOp::create(b(), e.loc, rowIn, xHi, out.w);
      Value left = e.sub(x0, e.idx(0)), count = e.add(left, e.sub(out.w, x1));
      channels([&](Value oc, ArrayRef<Value> w, Value inner,
                   const RequantArgs &args) {
        e.loop(e.idx(0), count, 1, [&](Value j) {
          Value isLeft = arith::CmpIOp::create(
              b(), e.loc, arith::CmpIPredicate::slt, j, left);
          Value ox = arith::SelectOp::create(b(), e.loc, isLeft, j,
                                             e.add(e.sub(j, left), x1));
          border(ox, oc, w, inner, args);
        });
      });
    });
  });
}

// A dense window over few input channels (a first layer's RGB) on XpulpV2
// with the 32-bit requantization, as a pointwise layer over its windows
// (im2col, as PULP-NN and DORY do it): each core, for its output rows,
// copies the windows of up to `chunk` pixels into records of Kp =
// alignTo(K, 4) bytes on its stack (K = kh * kw * channels, the taps from
// byte Kp - K on, the bytes before them zero), then computes 4 x 4 blocks of
// (pixels, output channels) as the pointwise kernel does (emitDotLoop over
// the records and the block's weight rows, accumulators from zero, the
// requantization as asm). A weight row is K bytes and is read from Kp - K
// bytes before it: those bytes (the previous row's last, or for the first
// row the end of the output tile, which TilePlan places before the weights)
// meet the records' zero bytes. A block's 4 weight rows are copied as
// words to Kp-byte rows on the stack first (K = 27 puts 3 of 4 rows at
// unaligned addresses, and an unaligned load takes two cycles: 3 of the 24
// cycles of a step), their zero-point sums taken on the way. The pixels
// past the last block of 4 and the channels past the last block take the
// same loop with fewer rows. Taps of a
// border pixel outside the input read the zero point, folded into the bias
// as in emitFewChannels. Returns false (nothing emitted) where it does not
// apply. For MobileNetV1's first layer the per-tap kernel (emitFewChannels)
// spends a third of its cycles on unaligned loads of 3-byte pixels.
bool WindowEmitter::emitIm2col() {
  const RequantMode &mode = rq.mode;
  std::optional<int64_t> inW = getConstantIntValue(in.w);
  int64_t ch = k.staticInC;
  int64_t K = k.kh * k.kw * ch, Kp = llvm::alignTo(K, 4), lead = Kp - K;
  int64_t windowRow = k.kw * ch, rowBytes = inW ? *inW * ch : 0;
  int64_t outStride = k.out.inner;
  // The stack holds a block's weight rows and requantization values and
  // `chunk` records.
  int64_t chunk =
      (e.scratchBytes - kChannelBlock * Kp - 4 * kRequantParamWords) / Kp /
      kWidePixelBlock * kWidePixelBlock;
  if (!e.xpulp || !mode.lowWord || mode.float32Bits || !inW || ch < 1 ||
      k.out.layout != Layout::hwc || k.out.flat || outStride < 1 ||
      (kWidePixelBlock - 1) * outStride + kChannelBlock - 1 >
          kMaxImmediateOffset ||
      Kp / 4 > kMaxLoopCountImm || chunk < kWidePixelBlock ||
      !im2colCopyFits(k.kh, rowBytes, windowRow, k.strideW * ch, Kp))
    return false;
  Value yLo, yHi, xLo, xHi; // (captured by lambdas: no structured binding)
  std::tie(yLo, yHi) = interior(e, padTop, k.strideH, k.kh, in.h, out.h);
  std::tie(xLo, xHi) = interior(e, padLeft, k.strideW, k.kw, in.w, out.w);
  Value inBase = e.address(inOff), wBase = e.address(weightOff),
        outBase = e.address(outOff);
  Type i8 = b().getI8Type();
  Value pad8 = arith::TruncIOp::create(b(), e.loc, i8, k.hasZp ? zp : e.i32(0));
  Value zero8 = arith::TruncIOp::create(b(), e.loc, i8, e.i32(0));
  Value chans =
      arith::AndIOp::create(b(), e.loc, out.c, e.idx(~(kChannelBlock - 1)));
  int64_t steps = Kp / 4;
  // Output channel oc's weight row, from the lead bytes before it.
  auto weightWord0 = [&](Value oc) {
    return e.toI32(e.sub(e.add(wBase, e.mul(oc, e.idx(K))), e.idx(lead)));
  };
  // Ones in the lanes of weight word t that are the row's (not the lead).
  auto onesFrom = [&](int64_t t) {
    return (int32_t)(t == 0 ? 0x01010101u << (8 * lead) : 0x01010101u);
  };
  // The bias with the zero point folded in: sum (x - zp) * w = sum x * w -
  // zp * sum w, the weights summed by dot products with ones.
  auto foldedBias = [&](Value oc) {
    Value bias = biasOf(oc);
    if (!k.hasZp)
      return bias;
    Value row = weightWord0(oc), sum = e.i32(0);
    for (int64_t t = 0; t < steps; ++t)
      sum = e.dot4(sum, emitLoadWord(b(), e.loc, row, 4 * t),
                   e.i32(onesFrom(t)), /*xSigned=*/true);
    return e.sub(bias, e.mul(sum, zp));
  };
  e.splitRangeOverCores(out.h, [&](Value rLo, Value rHi) {
    // At the top of the fork body: a static frame slot of each core.
    auto buf =
        memref::AllocaOp::create(b(), e.loc, MemRefType::get({chunk * Kp}, i8),
                                 b().getI64IntegerAttr(4));
    Value recBase =
        memref::ExtractAlignedPointerAsIndexOp::create(b(), e.loc, buf);
    auto wBuf = memref::AllocaOp::create(
        b(), e.loc, MemRefType::get({kChannelBlock * steps}, b().getI32Type()));
    Value wBufAddr = e.toI32(
        memref::ExtractAlignedPointerAsIndexOp::create(b(), e.loc, wBuf));
    auto rqBuf = memref::AllocaOp::create(
        b(), e.loc, MemRefType::get({kRequantParamWords}, b().getI32Type()));
    Value rqAddr = e.toI32(
        memref::ExtractAlignedPointerAsIndexOp::create(b(), e.loc, rqBuf));
    auto record = [&](Value q) { return e.add(recBase, e.mul(q, e.idx(Kp))); };
    // Each record's lead bytes stay zero (no copy writes them).
    e.loop(e.idx(0), e.idx(chunk), 1, [&](Value q) {
      for (int64_t l = 0; l < lead; ++l)
        memref::StoreOp::create(
            b(), e.loc, zero8, buf,
            ValueRange{e.add(e.mul(q, e.idx(Kp)), e.idx(l))});
    });
    e.loop(rLo, rHi, 1, [&](Value oy) {
      Value rowIn = within(oy, yLo, yHi);
      e.loop(e.idx(0), out.w, chunk, [&](Value x0) {
        Value n = e.minS(e.idx(chunk), e.sub(out.w, x0));
        Value x1 = e.add(x0, n);
        // The chunk's interior columns [a, c) (none in a border row); the
        // others test each tap.
        Value a = e.minS(e.maxS(xLo, x0), x1);
        Value c = arith::SelectOp::create(b(), e.loc, rowIn,
                                          e.maxS(e.minS(xHi, x1), a), a);
        // The border pixels, [x0, a) and [c, x1), as one loop (one copy
        // of the code).
        Value left = e.sub(a, x0), count = e.add(left, e.sub(x1, c));
        e.loop(e.idx(0), count, 1, [&](Value j) {
          Value isLeft = arith::CmpIOp::create(
              b(), e.loc, arith::CmpIPredicate::slt, j, left);
          Value ox = arith::SelectOp::create(b(), e.loc, isLeft, e.add(x0, j),
                                             e.add(c, e.sub(j, left)));
          Value iy0, ix0; // (captured: no structured binding)
          std::tie(iy0, ix0) = origin(oy, ox);
          Value rec = e.add(e.mul(e.sub(ox, x0), e.idx(Kp)), e.idx(lead));
          for (int64_t ky = 0; ky < k.kh; ++ky)
            for (int64_t kx = 0; kx < k.kw; ++kx) {
              Value iy = e.add(iy0, e.idx(ky)), ix = e.add(ix0, e.idx(kx));
              Value rowOk = arith::CmpIOp::create(
                  b(), e.loc, arith::CmpIPredicate::ult, iy, in.h);
              Value colOk = arith::CmpIOp::create(
                  b(), e.loc, arith::CmpIPredicate::ult, ix, in.w);
              Value ok = arith::AndIOp::create(b(), e.loc, rowOk, colOk);
              Value iyIn =
                  arith::SelectOp::create(b(), e.loc, ok, iy, e.idx(0));
              Value ixIn =
                  arith::SelectOp::create(b(), e.loc, ok, ix, e.idx(0));
              for (int64_t ic = 0; ic < ch; ++ic) {
                Value v = arith::TruncIOp::create(
                    b(), e.loc, i8, e.load(in, iyIn, ixIn, e.idx(ic)));
                v = arith::SelectOp::create(b(), e.loc, ok, v, pad8);
                memref::StoreOp::create(
                    b(), e.loc, v, buf,
                    ValueRange{e.add(rec, e.idx((ky * k.kw + kx) * ch + ic))});
              }
            }
        });
        Value any =
            arith::CmpIOp::create(b(), e.loc, arith::CmpIPredicate::slt, a, c);
        e.ifThen(any, [&] {
          Value iy0, ix0; // (captured: no structured binding)
          std::tie(iy0, ix0) = origin(oy, a);
          Value src = e.address(in, inBase, iy0, ix0, e.idx(0));
          Value dst = e.add(record(e.sub(a, x0)), e.idx(lead));
          // (One value a statement: argument order is unspecified.)
          Value src32 = e.toI32(src);
          Value dst32 = e.toI32(dst);
          Value count = e.toI32(e.sub(c, a));
          bool ok = emitIm2colCopy(b(), e.loc, src32, dst32, count, k.kh,
                                   rowBytes, windowRow, k.strideW * ch, Kp);
          assert(ok && "checked above");
          (void)ok;
        });
        // The records against the weight rows, 4 x 4 blocks, then the
        // pixels past the last block.
        Value n4 =
            arith::AndIOp::create(b(), e.loc, n, e.idx(~(kWidePixelBlock - 1)));
        e.loop(e.idx(0), chans, kChannelBlock, [&](Value oc0) {
          SmallVector<Value> biases;
          SmallVector<RequantArgs> args;
          SmallVector<LowWordRequant> lw;
          Value row0 = weightWord0(oc0);
          for (int64_t j = 0; j < kChannelBlock; ++j) {
            Value oc = e.add(oc0, e.idx(j));
            // Row j's words to the stack, summed for the zero point.
            Value sum = e.i32(0);
            for (int64_t t = 0; t < steps; ++t) {
              Value word = emitLoadWord(b(), e.loc, row0, j * K + 4 * t);
              memref::StoreOp::create(b(), e.loc, word, wBuf,
                                      ValueRange{e.idx(j * steps + t)});
              if (k.hasZp)
                sum = e.dot4(sum, word, e.i32(onesFrom(t)), /*xSigned=*/true);
            }
            biases.push_back(k.hasZp ? e.sub(biasOf(oc), e.mul(sum, zp))
                                     : biasOf(oc));
            args.push_back(e.requantArgs(rq, oc));
            lw.push_back(
                lowWordRequant(biasInRounding(args.back(), biases.back())));
          }
          storeRequantParams(b(), e.loc, lw, rqBuf);
          if (wideRowLoopFits(kWidePixelBlock, kChannelBlock, Kp, Kp, steps,
                              outStride, lw.front())) {
            // The chunk's blocks as one asm loop, as a pointwise row's.
            wideRowLoop(n4, [&](Value blocks) {
              // (One value a statement: argument order is unspecified.)
              Value inAddr = e.toI32(record(e.idx(0)));
              Value outAddr = e.toI32(e.address(out, outBase, oy, x0, oc0));
              Value count = e.toI32(blocks);
              bool ok =
                  emitWideRowLoop(b(), e.loc, inAddr, wBufAddr, outAddr, rqAddr,
                                  count, kWidePixelBlock, kChannelBlock, Kp, Kp,
                                  steps, outStride, lw, k.in.isSigned);
              assert(ok && "checked by wideRowLoopFits");
              (void)ok;
            });
          } else {
            e.loop(e.idx(0), n4, kWidePixelBlock, [&](Value p) {
              SmallVector<Value> accs = emitDotLoop(
                  b(), e.loc, ValueRange{}, e.toI32(record(p)), wBufAddr,
                  kWidePixelBlock, kChannelBlock, Kp, Kp, steps, k.in.isSigned);
              assert(!accs.empty() && "checked above");
              Value outAt =
                  e.toI32(e.address(out, outBase, oy, e.add(x0, p), oc0));
              bool ok = emitRequantStoresFrom(b(), e.loc, accs, kWidePixelBlock,
                                              lw, rqAddr, outAt, outStride);
              assert(ok && "offsets checked above");
              (void)ok;
            });
          }
          e.loop(n4, n, 1, [&](Value p) {
            SmallVector<Value> accs =
                emitDotLoop(b(), e.loc, biases, e.toI32(record(p)), wBufAddr, 1,
                            kChannelBlock, Kp, Kp, steps, k.in.isSigned);
            assert(!accs.empty() && "checked above");
            for (int64_t j = 0; j < kChannelBlock; ++j)
              e.store(out, oy, e.add(x0, p), e.add(oc0, e.idx(j)),
                      e.requant(rq, bounds, args[j], accs[j]));
          });
        });
        // The channels past the last block, one at a time.
        e.loop(chans, out.c, 1, [&](Value oc) {
          Value bias = foldedBias(oc);
          RequantArgs args = e.requantArgs(rq, oc);
          Value wRow = weightWord0(oc);
          e.loop(e.idx(0), n, 1, [&](Value p) {
            SmallVector<Value> accs =
                emitDotLoop(b(), e.loc, ValueRange{bias}, e.toI32(record(p)),
                            wRow, 1, 1, Kp, K, steps, k.in.isSigned);
            assert(!accs.empty() && "checked above");
            e.store(out, oy, e.add(x0, p), oc,
                    e.requant(rq, bounds, args, accs.front()));
          });
        });
      });
    });
  });
  return true;
}

void WindowEmitter::emitGeneric() {
  if (e.xpulp && k.kind == WindowConfig::dense && k.staticInC &&
      k.staticInC <= 4 && k.in.layout == Layout::hwc && k.weightRank == 4 &&
      !k.splitChannels) {
    if (emitIm2col())
      return;
    return emitFewChannels();
  }
  // A 1x1 window dealt by output channels (linear, and a pointwise over one
  // pixel) on XpulpV2, its zero point folded away: each pixel's channels in
  // blocks of 4, each block one hardware loop over the input words
  // (emitDotLoop); the remainder channels one at a time.
  int64_t c = k.in.inner;
  if (k.splitChannels && e.xpulp && weightWords && k.weightRank == 2 &&
      !k.hasZp && c % 4 == 0 && c / 4 <= kMaxLoopCountImm) {
    if (k.splitInputs)
      return emitSplitInputs(c);
    constexpr int64_t block = kChannelBlock;
    e.splitRangeOverCores(out.c, [&](Value cLo, Value cHi) {
      Value blocks =
          arith::DivUIOp::create(b(), e.loc, e.sub(cHi, cLo), e.idx(block));
      Value rest = e.add(cLo, e.mul(blocks, e.idx(block)));
      e.loop(e.idx(0), out.h, 1, [&](Value oy) {
        e.loop(e.idx(0), out.w, 1, [&](Value ox) {
          Value inAddr =
              e.toI32(e.address(in, e.address(inOff), oy, ox, e.idx(0)));
          auto channels = [&](Value oc0, int64_t n) {
            SmallVector<Value> inits;
            for (int64_t j = 0; j < n; ++j)
              inits.push_back(biasOf(e.add(oc0, e.idx(j))));
            Value wAddr = e.toI32(weightRow(oc0));
            SmallVector<Value> accs =
                emitDotLoop(b(), e.loc, inits, inAddr, wAddr, 1, n, 0, c, c / 4,
                            k.in.isSigned);
            for (int64_t j = 0; j < n; ++j) {
              Value oc = e.add(oc0, e.idx(j));
              result(oy, ox, oc,
                     k.accumulate ? RequantArgs() : e.requantArgs(rq, oc),
                     accs[j]);
            }
          };
          e.loop(e.idx(0), blocks, 1, [&](Value i) {
            channels(e.add(cLo, e.mul(i, e.idx(block))), block);
          });
          e.loop(rest, cHi, 1, [&](Value oc) { channels(oc, 1); });
        });
      });
    });
    return;
  }
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

/// The linear path dealt by input features (WindowConfig::splitInputs):
/// the `features` / 4 input words in contiguous chunks, one a core; each
/// core the dot products of every output channel over its chunk (blocks of
/// 4 channels, then one at a time; one hardware loop each with the chunk's
/// length as its count) into its row of partial sums, an array on core 0's
/// stack; after the fork core 0 adds the rows to the bias and stores the
/// results (requantized, or raw in the accumulate form).
void WindowEmitter::emitSplitInputs(int64_t features) {
  int64_t words = features / 4;
  int64_t chunk = (words + e.cores - 1) / e.cores;
  int64_t active = (words + chunk - 1) / chunk;
  constexpr int64_t maxC = kMaxSplitInputChannels;
  Type i32 = b().getI32Type();
  Value partials;
  {
    // At the top of the kernel: a fixed frame, which .stack_sizes counts.
    OpBuilder::InsertionGuard guard(b());
    auto fn = b().getInsertionBlock()->getParentOp();
    while (!isa<func::FuncOp>(fn))
      fn = fn->getParentOp();
    b().setInsertionPointToStart(&cast<func::FuncOp>(fn).getBody().front());
    partials = memref::AllocaOp::create(b(), e.loc,
                                        MemRefType::get({e.cores * maxC}, i32));
  }
  Value stride = e.toI32(in.c);
  e.loop(e.idx(0), out.h, 1, [&](Value oy) {
    e.loop(e.idx(0), out.w, 1, [&](Value ox) {
      Value inBase = e.address(in, e.address(inOff), oy, ox, e.idx(0));
      auto par = scf::ParallelOp::create(b(), e.loc, ValueRange{e.idx(0)},
                                         ValueRange{e.idx(active)},
                                         ValueRange{e.idx(1)});
      {
        OpBuilder::InsertionGuard guard(b());
        b().setInsertionPointToStart(par.getBody());
        Value core = par.getInductionVars()[0];
        Value lo = e.mul(core, e.idx(chunk));
        Value hi = e.minS(e.add(lo, e.idx(chunk)), e.idx(words));
        Value steps = e.toI32(e.sub(hi, lo));
        Value byteLo = e.mul(lo, e.idx(4));
        Value inAddr = e.toI32(e.add(inBase, byteLo));
        Value row = e.mul(core, e.idx(maxC));
        auto channels = [&](Value oc0, int64_t n) {
          SmallVector<Value> zeros(n, e.i32(0));
          Value wAddr = e.toI32(e.add(weightRow(oc0), byteLo));
          SmallVector<Value> accs =
              emitDotLoopStrided(b(), e.loc, zeros, inAddr, wAddr, 1, n, stride,
                                 steps, k.in.isSigned);
          assert(!accs.empty() && "a block of 4 fits an asm block");
          for (int64_t j = 0; j < n; ++j)
            memref::StoreOp::create(
                b(), e.loc, accs[j], partials,
                ValueRange{e.add(row, e.add(oc0, e.idx(j)))});
        };
        Value blocks =
            arith::DivUIOp::create(b(), e.loc, out.c, e.idx(kChannelBlock));
        e.loop(e.idx(0), blocks, 1, [&](Value i) {
          channels(e.mul(i, e.idx(kChannelBlock)), kChannelBlock);
        });
        e.loop(e.mul(blocks, e.idx(kChannelBlock)), out.c, 1,
               [&](Value oc) { channels(oc, 1); });
      }
      e.loop(e.idx(0), out.c, 1, [&](Value oc) {
        Value acc = biasOf(oc);
        for (int64_t r = 0; r < active; ++r)
          acc = e.add(acc, memref::LoadOp::create(
                               b(), e.loc, partials,
                               ValueRange{e.add(e.idx(r * maxC), oc)}));
        result(oy, ox, oc, k.accumulate ? RequantArgs() : e.requantArgs(rq, oc),
               acc);
      });
    });
  });
}

void mlir::dwsep::emitWindowKernel(KernelEmitter &e, const WindowConfig &k,
                                   const WindowOperands &o) {
  WindowEmitter w(e, k);
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
  if (k.accumulate)
    w.accOut = e.view(o.outOff, {outC}, e.b.getI32Type());
  if (k.kind == WindowConfig::dense && k.weightRank != 3)
    if ((w.inWords = e.words(w.in, k.in, o.inOff))) {
      Type i32 = e.b.getI32Type();
      Value ic4 = w.inWordCount();
      w.weightWords =
          k.weightRank == 2
              ? e.view(o.weightOff, {outC, ic4}, i32)
              : e.view(o.weightOff, {outC, e.idx(k.kh), e.idx(k.kw), ic4}, i32);
    }
  w.padTop = o.padTop;
  w.inOff = o.inOff;
  w.outOff = o.outOff;
  w.weightOff = o.weightOff;
  w.padLeft = e.idx(k.padLeft);
  w.zp = e.toI32(o.inputZp);
  w.rq = {k.rq, o.rqBase, o.rqChannel};
  if (k.stagedRows)
    w.rq.staged =
        e.view(o.rowsOff, {e.mul(outC, e.idx(RequantFields(k.rq).rowWords))},
               e.b.getIntegerType(k.rq.rows16 ? 16 : 32));
  if (!k.rq.isPerTensor())
    w.rq.rows = e.requantRows(w.rq);
  e.bindRequantWords(w.rq, o.rqWords);
  w.bounds = e.bounds(w.rq);
  if (k.kind == WindowConfig::depthwise && k.kh * k.kw <= kMaxUnrolledTaps)
    return w.emitDepthwise();
  if (k.pointwise)
    return w.emitPointwise();
  w.emitGeneric();
}
