//===- XpulpV2.cpp - GAP8's XpulpV2 instructions as inline assembly -------===//

#include "dwsep/Kernels/XpulpV2.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/ADT/Sequence.h"

#include <string>

using namespace mlir;
using namespace mlir::dwsep;

Value mlir::dwsep::emitXpulp(OpBuilder &b, Location loc, const XpulpInsn &insn,
                             Value rs1, Value rs2, Value acc) {
  std::string text = ".insn r " + std::to_string(insn.opcode) + ", " +
                     std::to_string(insn.funct3) + ", " +
                     std::to_string(insn.funct7) + ", $0, $1, $2";
  SmallVector<Value> operands = {rs1, rs2};
  // rd is an output; an accumulating instruction ties it to its input.
  std::string constraints = "=r,r,r";
  if (insn.accumulates) {
    operands.push_back(acc);
    constraints += ",0";
  }
  return LLVM::InlineAsmOp::create(
             b, loc, b.getI32Type(), operands, b.getStringAttr(text),
             b.getStringAttr(constraints), /*has_side_effects=*/UnitAttr(),
             /*is_align_stack=*/UnitAttr(), LLVM::TailCallKindAttr(),
             LLVM::AsmDialectAttr(), /*operand_attrs=*/ArrayAttr())
      .getResult(0);
}

Value mlir::dwsep::emitXpulpImm(OpBuilder &b, Location loc,
                                const XpulpInsn &insn, Value rs1,
                                unsigned imm) {
  // `.insn r` takes registers only: x<imm> puts imm in the rs2 field.
  std::string text = ".insn r " + std::to_string(insn.opcode) + ", " +
                     std::to_string(insn.funct3) + ", " +
                     std::to_string(insn.funct7) + ", $0, $1, x" +
                     std::to_string(imm);
  return LLVM::InlineAsmOp::create(
             b, loc, b.getI32Type(), ValueRange{rs1}, b.getStringAttr(text),
             b.getStringAttr("=r,r"), UnitAttr(), UnitAttr(),
             LLVM::TailCallKindAttr(), LLVM::AsmDialectAttr(), ArrayAttr())
      .getResult(0);
}

Value mlir::dwsep::emitLoadWord(OpBuilder &b, Location loc, Value addr,
                                int64_t offset) {
  assert(offset >= -kMaxImmediateOffset - 1 && offset <= kMaxImmediateOffset &&
         "lw immediate out of range");
  // Not volatile: the kernel's inputs do not change while it runs.
  return LLVM::InlineAsmOp::create(
             b, loc, b.getI32Type(), ValueRange{addr},
             b.getStringAttr("lw $0, " + std::to_string(offset) + "($1)"),
             b.getStringAttr("=r,r"), UnitAttr(), UnitAttr(),
             LLVM::TailCallKindAttr(), LLVM::AsmDialectAttr(), ArrayAttr())
      .getResult(0);
}

namespace {
/// Builds the text of an inline-asm block of `.insn` lines.
struct AsmText {
  std::string text;
  int64_t insns = 0;
  static std::string reg(int64_t i) { return "$" + std::to_string(i); }
  void line(const std::string &l) {
    text += (text.empty() ? "" : "\n") + l;
    ++insns;
  }
  void r(const XpulpInsn &i, const std::string &rd, const std::string &rs1,
         const std::string &rs2) {
    line(".insn r " + std::to_string(i.opcode) + ", " +
         std::to_string(i.funct3) + ", " + std::to_string(i.funct7) + ", " +
         rd + ", " + rs1 + ", " + rs2);
  }
  void i(XpulpIType t, const std::string &rd, const std::string &rs1,
         int64_t imm) {
    line(".insn i " + std::to_string(t.opcode) + ", " +
         std::to_string(t.funct3) + ", " + rd + ", " + rs1 + ", " +
         std::to_string(imm));
  }
  /// A load: `rd, imm(rs1)`.
  void load(XpulpIType t, const std::string &rd, const std::string &rs1,
            int64_t imm) {
    line(".insn i " + std::to_string(t.opcode) + ", " +
         std::to_string(t.funct3) + ", " + rd + ", " + std::to_string(imm) +
         "(" + rs1 + ")");
  }
  void store(XpulpIType t, const std::string &rs2, const std::string &rs1,
             int64_t imm) {
    line(".insn s " + std::to_string(t.opcode) + ", " +
         std::to_string(t.funct3) + ", " + rs2 + ", " + std::to_string(imm) +
         "(" + rs1 + ")");
  }
  /// A loop count (lp.setupi, lp.counti: a 12-bit unsigned field) as
  /// `.insn i` takes the field (signed): counts from 2048 on as their
  /// two's complement (the same bits).
  static int64_t countField(int64_t count) {
    return count >= 2048 ? count - 4096 : count;
  }
  /// lp.setupi: hardware loop `loop` over the next `body` instructions,
  /// `count` times (the end offset, in halfwords, in the rs1 field).
  void loopImm(int64_t loop, int64_t body, int64_t count) {
    line(".insn i " + std::to_string(kLoopSetupImm.opcode) + ", " +
         std::to_string(kLoopSetupImm.funct3) + ", x" + std::to_string(loop) +
         ", x" + std::to_string(2 * body) + ", " +
         std::to_string(countField(count)));
  }
  /// Appends another block's lines.
  void append(const AsmText &other) {
    if (other.text.empty())
      return;
    text += (text.empty() ? "" : "\n") + other.text;
    insns += other.insns;
  }
  /// `n` bytes from $0 (advancing by `srcStride`) to $1 (advancing by 1)
  /// through $2, $3, ...: the loads first, no load-use stall.
  static AsmText copyBytes(int64_t srcStride, int64_t n) {
    AsmText t;
    for (int64_t i = 0; i < n; ++i)
      t.load(kLoadByteUPostInc, reg(2 + i), reg(0), srcStride);
    for (int64_t i = 0; i < n; ++i)
      t.store(kStoreBytePostInc, reg(2 + i), reg(1), 1);
    return t;
  }
};

/// The 32-bit requantization of the accumulators in asm operands `accs`,
/// which share the multiplier m, K and the shift s (operand numbers): acc
/// * m, p.addN (K added, then the shift), + zp when zp >= 0, then the clip
/// (p.clipi / p.clipui to `clipBits`, or p.min / p.max with operands hi
/// and lo when clipBits is 0). Step by step over the accumulators (every
/// mul, then every p.addN, ...): a mul's result is ready a cycle late
/// (GVSoC's RI5CY: latency 2), so a p.addN right after its mul waited a
/// cycle an output.
void requantSteps(AsmText &t, ArrayRef<int64_t> accs, int64_t m, int64_t k,
                  int64_t s, int64_t zp, int64_t clipBits, bool clipSigned,
                  int64_t lo, int64_t hi) {
  auto reg = AsmText::reg;
  auto each = [&](auto f) {
    for (int64_t acc : accs)
      f(reg(acc));
  };
  each([&](const std::string &a) { t.r(kMul, a, a, reg(m)); });
  each([&](const std::string &a) { t.r(kAddN, a, reg(k), reg(s)); });
  if (zp >= 0)
    each([&](const std::string &a) { t.r(kAdd, a, a, reg(zp)); });
  if (clipBits) {
    std::string bits =
        "x" + std::to_string(clipSigned ? clipBits : clipBits + 1);
    each([&](const std::string &a) {
      t.r(clipSigned ? kClipI : kClipUI, a, a, bits);
    });
  } else {
    each([&](const std::string &a) { t.r(kMinS, a, a, reg(hi)); });
    each([&](const std::string &a) { t.r(kMaxS, a, a, reg(lo)); });
  }
}

/// A volatile inline-asm block (it reads and writes memory the compiler
/// does not see) with `outputs` i32 results and the given constraints;
/// returns its struct result.
Value emitVolatileAsm(OpBuilder &b, Location loc, const std::string &text,
                      const std::string &constraints, int64_t outputs,
                      ValueRange inputs) {
  auto structType = LLVM::LLVMStructType::getLiteral(
      b.getContext(), SmallVector<Type>(outputs, b.getI32Type()));
  return LLVM::InlineAsmOp::create(
             b, loc, structType, inputs, b.getStringAttr(text),
             b.getStringAttr(constraints), /*has_side_effects=*/b.getUnitAttr(),
             /*is_align_stack=*/UnitAttr(), LLVM::TailCallKindAttr(),
             LLVM::AsmDialectAttr(), ArrayAttr())
      .getResult(0);
}

/// The first `n` outputs of an asm block's struct result.
SmallVector<Value> asmOutputs(OpBuilder &b, Location loc, Value result,
                              int64_t n) {
  SmallVector<Value> out;
  for (int64_t i = 0; i < n; ++i)
    out.push_back(LLVM::ExtractValueOp::create(b, loc, result, i).getResult());
  return out;
}

/// emitVolatileAsm whose first `tied` outputs are tied to its first inputs,
/// the next `scratch` outputs early-clobbered; returns its outputs.
SmallVector<Value> emitAsm(OpBuilder &b, Location loc, const std::string &text,
                           int64_t tied, int64_t scratch, ValueRange inputs) {
  std::string constraints;
  for (int64_t i = 0; i < tied; ++i)
    constraints += "=r,";
  for (int64_t i = 0; i < scratch; ++i)
    constraints += "=&r,";
  for (int64_t i = 0; i < (int64_t)inputs.size(); ++i)
    constraints += (i < tied ? std::to_string(i) : std::string("r")) +
                   (i + 1 < (int64_t)inputs.size() ? "," : "");
  return asmOutputs(
      b, loc,
      emitVolatileAsm(b, loc, text, constraints, tied + scratch, inputs),
      tied + scratch);
}
} // namespace

namespace {
/// The constraints of a dot loop's asm (emitDotLoop, emitDotLoopStrided):
/// `n` accumulators (early-clobbered when they start at zero, `fromZero`,
/// else tied to the first inputs), `ptrs` pointers (tied), `words`
/// early-clobbered words; then the inputs: the tied ones, `untied` more.
std::string dotLoopConstraints(int64_t n, bool fromZero, int64_t ptrs,
                               int64_t words, int64_t untied) {
  std::string c;
  for (int64_t i = 0; i < n; ++i)
    c += fromZero ? "=&r," : "=r,";
  for (int64_t i = 0; i < ptrs; ++i)
    c += "=r,";
  for (int64_t i = 0; i < words; ++i)
    c += "=&r,";
  int64_t firstTied = fromZero ? n : 0, tied = n + ptrs;
  for (int64_t i = firstTied; i < tied; ++i)
    c += std::to_string(i) + (i + 1 < tied ? "," : "");
  for (int64_t i = 0; i < untied; ++i)
    c += ",r";
  return c;
}
} // namespace

namespace {
/// The registers of a block of dot products (emitDotLoop, emitWideRowLoop):
/// the accumulator of pixel p and channel c at acc + p * channels + c; the
/// input rows (pixels, `inStride` bytes apart) and the weight rows
/// (channels, `wStride` apart) reached from pointers at in.. and w.., as
/// many rows per pointer as the load immediates reach (inRows, wRows);
/// each step's words at x0.. and w0...
struct DotBlock {
  int64_t pixels, channels, inStride, wStride, inRows, wRows;
  int64_t acc, in, w, x0, w0;

  static int64_t perPointer(int64_t rows, int64_t stride) {
    return stride == 0 ? rows
                       : std::min(rows, kMaxImmediateOffset / stride + 1);
  }
  int64_t inPtrs() const { return (pixels + inRows - 1) / inRows; }
  int64_t wPtrs() const { return (channels + wRows - 1) / wRows; }
  int64_t stepInsns() const { return pixels + channels + pixels * channels; }

  /// One step: the loads (per pointer its other rows first, then its own
  /// word with the post-increment by 4), then the dot products. RI5CY
  /// stalls an instruction that uses the word loaded just before it (one
  /// cycle: 7% of the pointwise loop, GVSoC's load-use counter). The last
  /// load is the last weight group's post-increment word: the dot products
  /// that use other weight rows go first, so that one is used no earlier
  /// than `pixels * (channels - 1)` instructions later.
  void step(AsmText &t, const XpulpInsn &dot) const {
    auto reg = AsmText::reg;
    int64_t lastLoaded = -1;
    auto loads = [&](int64_t rows, int64_t perPtr, int64_t stride,
                     int64_t firstPtr, int64_t firstWord) {
      for (int64_t p0 = 0; p0 < rows; p0 += perPtr) {
        int64_t ptr = firstPtr + p0 / perPtr;
        for (int64_t r = std::min(rows, p0 + perPtr) - 1; r > p0; --r)
          t.load(kLoadWord, reg(firstWord + r), reg(ptr), (r - p0) * stride);
        t.load(kLoadWordPostInc, reg(firstWord + p0), reg(ptr), 4);
        lastLoaded = firstWord + p0;
      }
    };
    loads(pixels, inRows, inStride, in, x0);
    loads(channels, wRows, wStride, w, w0);
    int64_t lastW = lastLoaded - w0;
    auto emitDot = [&](int64_t p, int64_t c) {
      t.r(dot, reg(acc + p * channels + c), reg(x0 + p), reg(w0 + c));
    };
    for (int64_t p = 0; p < pixels; ++p)
      for (int64_t c = 0; c < channels; ++c)
        if (c != lastW)
          emitDot(p, c);
    for (int64_t p = 0; p < pixels; ++p)
      emitDot(p, lastW);
  }

  /// The hardware loop 0 over `count` further steps: lp.setupi for a short
  /// body, else lp.counti, lp.starti and lp.endi.
  void loop(AsmText &t, const XpulpInsn &dot, int64_t count) const {
    int64_t body = stepInsns();
    if (body <= kMaxLoopBodyInsns) {
      t.loopImm(0, body, count);
    } else {
      t.i(kLoopCountImm, "x0", "x0", AsmText::countField(count));
      t.i(kLoopStartImm, "x0", "x0", 4);
      t.i(kLoopEndImm, "x0", "x0", 2 * body);
    }
    step(t, dot);
  }
};
} // namespace

SmallVector<Value> mlir::dwsep::emitDotLoop(OpBuilder &b, Location loc,
                                            ValueRange accs, Value inAddr,
                                            Value wAddr, int64_t pixels,
                                            int64_t channels, int64_t inStride,
                                            int64_t wStride, int64_t count,
                                            bool xSigned) {
  int64_t body = pixels + channels + pixels * channels;
  // Without accumulators the first step is peeled (pv.dot, not pv.sdot)
  // and the loop runs count - 1 times.
  bool fromZero = accs.empty();
  int64_t loopCount = fromZero ? count - 1 : count;
  if (body > kMaxLongLoopBodyInsns || count < 1 || count > kMaxLoopCountImm ||
      pixels < 1 || channels < 1 || inStride < 0 || wStride < 0 ||
      (!fromZero && (int64_t)accs.size() != pixels * channels))
    return {};
  // Rows (input pixels, weight channels) are reached from a pointer by a
  // load immediate: as many rows per pointer as their offsets allow, and
  // one more pointer (advanced by its own post-increment load, so no extra
  // instruction in the body) for each further group.
  // Operands: $0..$(n-1) accumulators, the input pointers, the weight
  // pointers, then pixels + channels early-clobbered words. The inputs are
  // the pointers (and the accumulators first, unless fromZero), tied to
  // their outputs.
  int64_t n = pixels * channels;
  DotBlock d{pixels,
             channels,
             inStride,
             wStride,
             DotBlock::perPointer(pixels, inStride),
             DotBlock::perPointer(channels, wStride),
             /*acc=*/0,
             /*in=*/n,
             /*w=*/0,
             /*x0=*/0,
             /*w0=*/0};
  int64_t inPtrs = d.inPtrs(), wPtrs = d.wPtrs(), ptrs = inPtrs + wPtrs;
  d.w = n + inPtrs;
  d.x0 = n + ptrs;
  d.w0 = d.x0 + pixels;
  AsmText t;
  if (fromZero)
    d.step(t, xSigned ? kDotspB : kDotuspB);
  if (loopCount > 0)
    d.loop(t, xSigned ? kSdotspB : kSdotuspB, loopCount);
  const std::string &text = t.text;
  std::string constraints =
      dotLoopConstraints(n, fromZero, ptrs, pixels + channels, 0);
  SmallVector<Value> operands(accs.begin(), accs.end());
  Type i32 = b.getI32Type();
  auto pointers = [&](Value base, int64_t ptrs, int64_t step) {
    for (int64_t q = 0; q < ptrs; ++q)
      operands.push_back(
          q == 0 ? base
                 : arith::AddIOp::create(
                       b, loc, base,
                       arith::ConstantIntOp::create(b, loc, i32, q * step)));
  };
  pointers(inAddr, inPtrs, d.inRows * inStride);
  pointers(wAddr, wPtrs, d.wRows * wStride);
  // Volatile: it reads memory the compiler does not see it read.
  Value result = emitVolatileAsm(b, loc, text, constraints,
                                 n + ptrs + pixels + channels, operands);
  return asmOutputs(b, loc, result, n);
}

namespace {
/// The registers of a block of dot products whose rows are a run-time
/// `stride` apart (emitDotLoopStrided, emitWideRowLoopStrided): the
/// accumulator of pixel p and channel c at acc + p * channels + c; the
/// input and weight pointers at in and w, each walking its rows (register
/// post-increment loads by `stride`, and by inBack / wBack from the last
/// row to the first row's next word: 4 - (rows - 1) * stride; -1 for a
/// single row, which steps by the immediate 4); the pixels' words in
/// xRegs() registers from x0 (pixel p's at x0 + p % 2), the weights' at
/// w0...
struct WalkBlock {
  int64_t pixels, channels;
  int64_t acc = 0, in = 0, w = 0, x0 = 0, w0 = 0, stride = 0, inBack = -1,
          wBack = -1;

  int64_t xRegs() const { return std::min<int64_t>(pixels, 2); }
  int64_t stepInsns() const { return pixels + channels + pixels * channels; }

  /// One step: pixel 0's word, the weight words, pixel 1's word; then each
  /// pixel's dot products, after which its register takes the pixel two
  /// on (used a pixel's dot products later: no load-use stall).
  void step(AsmText &t, const XpulpInsn &dot) const {
    auto reg = AsmText::reg;
    auto load = [&](int64_t rd, int64_t ptr, int64_t row, int64_t rows,
                    int64_t back) {
      if (rows == 1)
        t.load(kLoadWordPostInc, reg(rd), reg(ptr), 4);
      else
        t.r(kLoadWordRegPostInc, reg(rd), reg(ptr),
            reg(row + 1 < rows ? stride : back));
    };
    auto x = [&](int64_t p) { return x0 + p % 2; };
    load(x(0), in, 0, pixels, inBack);
    for (int64_t c = 0; c < channels; ++c)
      load(w0 + c, w, c, channels, wBack);
    if (pixels > 1)
      load(x(1), in, 1, pixels, inBack);
    for (int64_t p = 0; p < pixels; ++p) {
      for (int64_t c = 0; c < channels; ++c)
        t.r(dot, reg(acc + p * channels + c), reg(x(p)), reg(w0 + c));
      if (p + 2 < pixels)
        load(x(p), in, p + 2, pixels, inBack);
    }
  }

  /// Hardware loop 0 over steps, its count in register `count`.
  void loop(AsmText &t, const XpulpInsn &dot, int64_t count) const {
    t.i(kLoopSetup, "x0", AsmText::reg(count), 2 * stepInsns());
    step(t, dot);
  }
};

/// 4 - (rows - 1) * stride (i32): a walk's step from its last row back to
/// the first row's next word.
Value walkBack(OpBuilder &b, Location loc, Value stride, int64_t rows) {
  Type i32 = b.getI32Type();
  Value four = arith::ConstantIntOp::create(b, loc, i32, 4);
  Value n = arith::ConstantIntOp::create(b, loc, i32, rows - 1);
  Value span = arith::MulIOp::create(b, loc, stride, n);
  return arith::SubIOp::create(b, loc, four, span);
}
} // namespace

SmallVector<Value> mlir::dwsep::emitDotLoopStrided(
    OpBuilder &b, Location loc, ValueRange accs, Value inAddr, Value wAddr,
    int64_t pixels, int64_t channels, Value stride, Value steps, bool xSigned) {
  bool fromZero = accs.empty();
  int64_t n = pixels * channels;
  int64_t xRegs = std::min<int64_t>(pixels, 2);
  // The untied inputs: the stride, the walk-back steps, the count.
  int64_t untied = 2 + (pixels > 1) + (channels > 1 && channels != pixels);
  if (pixels < 1 || channels < 1 || (!fromZero && (int64_t)accs.size() != n) ||
      n + 2 + xRegs + channels + untied > kAsmRegisters)
    return {};
  // Outputs: $0..$(n-1) the accumulators, the two pointers (tied), the
  // words (early-clobbered). Inputs: the accumulators (tied, unless
  // fromZero), the pointers (tied), the stride, the walk-back steps, the
  // loop count.
  WalkBlock d{pixels, channels};
  d.in = n;
  d.w = n + 1;
  d.x0 = n + 2;
  d.w0 = d.x0 + d.xRegs();
  int64_t outputs = d.w0 + channels;
  SmallVector<Value> operands(accs.begin(), accs.end());
  operands.push_back(inAddr);
  operands.push_back(wAddr);
  int64_t next = outputs + (int64_t)operands.size();
  auto input = [&](Value v) {
    operands.push_back(v);
    return next++;
  };
  d.stride = input(stride);
  if (pixels > 1)
    d.inBack = input(walkBack(b, loc, stride, pixels));
  if (channels > 1)
    d.wBack = channels == pixels ? d.inBack
                                 : input(walkBack(b, loc, stride, channels));
  Value count = steps;
  if (fromZero) {
    Value one = arith::ConstantIntOp::create(b, loc, b.getI32Type(), 1);
    count = arith::SubIOp::create(b, loc, steps, one);
  }
  int64_t cnt = input(count);
  AsmText t;
  if (fromZero)
    d.step(t, xSigned ? kDotspB : kDotuspB);
  d.loop(t, xSigned ? kSdotspB : kSdotuspB, cnt);
  std::string constraints =
      dotLoopConstraints(n, fromZero, 2, outputs - d.x0, cnt - d.stride + 1);
  // Volatile: it reads memory the compiler does not see it read.
  Value result =
      emitVolatileAsm(b, loc, t.text, constraints, outputs, operands);
  return asmOutputs(b, loc, result, n);
}

namespace {
/// The operands of a depthwise pixel block shared by the row loop and the
/// plane loop: the registers (asm operand numbers) of the window rows'
/// words, the accumulators, the weight words, the requantization values and
/// the output pointer.
struct DepthwiseRegs {
  int64_t x0, acc0, out;
  /// The register of the run-time output step (-1: the immediate
  /// outStride).
  int64_t step = -1;
  SmallVector<int64_t> w[2];
  int64_t k, m, s, zp = -1, lo = -1, hi = -1;
};

/// Adds the inputs a depthwise pixel block reads (after `next` operands)
/// and returns their registers: K = r + inner * m per channel (r + (inner +
/// dots) * m == K + dots * m mod 2^32, so the first row's dot products need
/// not accumulate and the requantization is mul, p.addN and the clip), the
/// weight words, m, the shift, the zero point and the clamp bounds.
DepthwiseRegs addDepthwiseInputs(OpBuilder &b, Location loc,
                                 SmallVector<Value> &inputs, int64_t &next,
                                 Value inner, ArrayRef<Value> rows,
                                 ArrayRef<Value> rowsHi,
                                 const LowWordRequant &rq) {
  auto add = [&](Value v) {
    inputs.push_back(v);
    return next++;
  };
  DepthwiseRegs r{};
  r.k = add(arith::AddIOp::create(
      b, loc, rq.r, arith::MulIOp::create(b, loc, inner, rq.mult)));
  for (Value v : rows)
    r.w[0].push_back(add(v));
  for (Value v : rowsHi)
    r.w[1].push_back(add(v));
  r.m = add(rq.mult);
  r.s = add(rq.shift);
  if (rq.zp)
    r.zp = add(rq.zp);
  if (!rq.clipBits) {
    r.lo = add(rq.lo);
    r.hi = add(rq.hi);
  }
  return r;
}

void emitDepthwiseOutputs(AsmText &body, const DepthwiseRegs &r, int64_t pixels,
                          const LowWordRequant &rq, int64_t outStride);

/// The plane kernels' window rows: the words `at` bytes past $0 in rows
/// `rowBytes` apart into the registers from x, the lower rows at load
/// immediates first and row 0 last; with `advance`, row 0's load is at $0
/// itself (`at` 0) and post-increments $0 by it.
void loadWindowRows(AsmText &t, int64_t x, int64_t kh, int64_t rowBytes,
                    int64_t at, int64_t advance) {
  auto reg = AsmText::reg;
  for (int64_t ky = kh - 1; ky > 0; --ky)
    t.load(kLoadWord, reg(x + ky), reg(0), ky * rowBytes + at);
  if (advance)
    t.load(kLoadWordPostInc, reg(x), reg(0), advance);
  else
    t.load(kLoadWord, reg(x), reg(0), at);
}

/// The dot products of `pixels` pixels (the kh row words already loaded
/// into x0..), the first row's not accumulated, then each pixel's
/// requantization and its post-incremented byte store.
void emitDepthwisePixels(AsmText &body, const DepthwiseRegs &r, int64_t kh,
                         int64_t pixels, const LowWordRequant &rq,
                         int64_t outStride, bool xSigned, int64_t firstRow) {
  auto reg = AsmText::reg;
  const XpulpInsn &first = xSigned ? kDotspB : kDotuspB;
  const XpulpInsn &dot = xSigned ? kSdotspB : kSdotuspB;
  for (int64_t i = 0; i < kh; ++i) {
    // Rows from firstRow on (the one loaded first), wrapping.
    int64_t ky = (firstRow + i) % kh;
    for (int64_t p = 0; p < pixels; ++p)
      body.r(i == 0 ? first : dot, reg(r.acc0 + p), reg(r.x0 + ky),
             reg(r.w[p][ky]));
  }
  emitDepthwiseOutputs(body, r, pixels, rq, outStride);
}

/// Each of the `pixels` accumulators from r.acc0 on requantized
/// (requantSteps) and stored (post-incremented).
void emitDepthwiseOutputs(AsmText &body, const DepthwiseRegs &r, int64_t pixels,
                          const LowWordRequant &rq, int64_t outStride) {
  auto reg = AsmText::reg;
  requantSteps(body, llvm::to_vector(llvm::seq(r.acc0, r.acc0 + pixels)), r.m,
               r.k, r.s, r.zp, rq.clipBits, rq.clipSigned, r.lo, r.hi);
  for (int64_t p = 0; p < pixels; ++p) {
    if (r.step >= 0)
      body.r(kStoreByteRegPostInc, reg(r.step), reg(r.out), reg(r.acc0 + p));
    else
      body.store(kStoreBytePostInc, reg(r.acc0 + p), reg(r.out), outStride);
  }
}
} // namespace

void mlir::dwsep::storeOutStep(OpBuilder &b, Location loc, Value step,
                               Value buf) {
  memref::StoreOp::create(
      b, loc, step, buf,
      ValueRange{arith::ConstantIndexOp::create(b, loc, kRequantParamStep)
                     .getResult()});
}

void mlir::dwsep::storeRequantParams(OpBuilder &b, Location loc,
                                     ArrayRef<LowWordRequant> rq, Value buf) {
  auto store = [&](Value v, int64_t word) {
    memref::StoreOp::create(
        b, loc, v, buf,
        ValueRange{arith::ConstantIndexOp::create(b, loc, word).getResult()});
  };
  for (auto [c, q] : llvm::enumerate(rq)) {
    store(q.r, c);
    store(q.mult, kRequantParamChannels + c);
    store(q.shift, 2 * kRequantParamChannels + c);
  }
}

namespace {
/// The registers of a block's requantization from a parameter buffer
/// (emitRequantStoresFrom, emitWideRowLoop): the accumulators at acc + p *
/// channels + c, three scratch registers (m, k, s), zp and the clamp bounds
/// (-1: not used), the output and parameter pointers; with a run-time
/// step (OutStep) two more scratch registers, the step and the running
/// pointer (-1: outputs at immediate offsets).
struct RequantBlock {
  int64_t pixels, channels, acc, m, k, s, zp, lo, hi, out, prm;
  int64_t step = -1, cur = -1;
  /// With a step: the pixels' (OutStep::pixels), else the channels'.
  bool stepPixels = false;

  /// Whether a pixel's outputs are packed into one word and stored by one
  /// sw (four channels, adjacent in the output: no channel step): two
  /// pv.pack*.b and a store for four outputs instead of four sb, so three
  /// instructions and three quarters an output rather than four. The
  /// address may be unaligned (a tile or channel count not a multiple of
  /// 4); GAP8's cores store such a word in two accesses.
  bool packs() const { return channels == 4 && (step < 0 || stepPixels); }

  /// Per channel: its K (and a multiplier or shift that differs by channel;
  /// one shared by all, the same SSA value, once before), loaded two
  /// instructions or more before their first use; then its outputs'
  /// requantization (requantSteps), then per output sb at p *
  /// pixelStride + c (or, with a
  /// channel step, at p * pixelStride from the channel's pointer: out,
  /// then one add of the step a channel; with a pixel step, p.sb with the
  /// step as register post-increment from the channel's pointer out + c,
  /// which ends at out + c + pixels * step). Where packs(), the stores
  /// come after the last channel's clips: per pixel, its four outputs
  /// packed into the third channel's register and stored by sw at p *
  /// pixelStride (or, with a pixel step, by p.sw from the running pointer
  /// out, which ends at out + pixels * step).
  void emit(AsmText &text, ArrayRef<LowWordRequant> rq,
            int64_t pixelStride) const {
    auto reg = AsmText::reg;
    const LowWordRequant &q0 = rq.front();
    bool sameMult =
        llvm::all_of(rq, [&](auto &q) { return q.mult == q0.mult; });
    bool sameShift =
        llvm::all_of(rq, [&](auto &q) { return q.shift == q0.shift; });
    auto word = [&](int64_t reg0, int64_t w) {
      text.load(kLoadWord, reg(reg0), reg(prm), 4 * w);
    };
    if (sameMult)
      word(m, kRequantParamChannels);
    if (sameShift)
      word(s, 2 * kRequantParamChannels);
    if (step >= 0)
      word(step, kRequantParamStep);
    bool pack = packs();
    for (int64_t c = 0; c < channels; ++c) {
      if (!sameMult)
        word(m, kRequantParamChannels + c);
      word(k, c);
      if (!sameShift)
        word(s, 2 * kRequantParamChannels + c);
      if (step >= 0 && stepPixels && !pack)
        text.i(kAddI, reg(cur), reg(out), c);
      else if (step >= 0 && !stepPixels && c > 0)
        text.r(kAdd, reg(cur), reg(c == 1 ? out : cur), reg(step));
      SmallVector<int64_t> accs;
      for (int64_t p = 0; p < pixels; ++p)
        accs.push_back(acc + p * channels + c);
      requantSteps(text, accs, m, k, s, zp, q0.clipBits, q0.clipSigned, lo, hi);
      if (pack)
        continue;
      for (int64_t p = 0; p < pixels; ++p) {
        std::string t = reg(acc + p * channels + c);
        if (step >= 0 && stepPixels)
          text.r(kStoreByteRegPostInc, reg(step), reg(cur), t);
        else if (step >= 0)
          text.store(kStoreByte, t, reg(c == 0 ? out : cur), p * pixelStride);
        else
          text.store(kStoreByte, t, reg(out), p * pixelStride + c);
      }
    }
    if (!pack)
      return;
    if (step >= 0)
      text.i(kAddI, reg(cur), reg(out), 0);
    for (int64_t p = 0; p < pixels; ++p) {
      auto at = [&](int64_t c) { return reg(acc + p * channels + c); };
      text.r(kPackHiB, at(2), at(3), at(2));
      text.r(kPackLoB, at(2), at(1), at(0));
      if (step >= 0)
        text.r(kStoreWordRegPostInc, reg(step), reg(cur), at(2));
      else
        text.store(kStoreWord, at(2), reg(out), p * pixelStride);
    }
  }
};
} // namespace

bool mlir::dwsep::emitRequantStoresFrom(OpBuilder &b, Location loc,
                                        ValueRange accs, int64_t pixels,
                                        ArrayRef<LowWordRequant> rq,
                                        Value params, Value outAddr,
                                        int64_t pixelStride, OutStep step) {
  int64_t channels = rq.size(), n = accs.size();
  if (step == OutStep::pixels)
    pixelStride = 0;
  if (channels < 1 || channels > kRequantParamChannels || pixels < 1 ||
      n != pixels * channels || pixelStride < 0 ||
      (pixels - 1) * pixelStride +
              (step == OutStep::channels ? 0 : channels - 1) >
          kMaxImmediateOffset)
    return false;
  const LowWordRequant &q0 = rq.front();
  // Outputs: the accumulators ($0..), tied to the first inputs; scratch:
  // the multiplier, K, the shift (and the channel step and pointer).
  // Inputs after the accumulators: the output and parameter addresses,
  // then zp and the clamp bounds as needed.
  int64_t scratch = step != OutStep::none ? 5 : 3, in = n + scratch;
  RequantBlock r{pixels, channels, 0,  n,      n + 1,     n + 2,
                 -1,     -1,       -1, in + n, in + n + 1};
  if (step != OutStep::none) {
    r.step = n + 3;
    r.cur = n + 4;
    r.stepPixels = step == OutStep::pixels;
  }
  int64_t next = r.prm + 1;
  SmallVector<Value> inputs(accs.begin(), accs.end());
  inputs.push_back(outAddr);
  inputs.push_back(params);
  if (q0.zp) {
    inputs.push_back(q0.zp);
    r.zp = next++;
  }
  if (!q0.clipBits) {
    inputs.push_back(q0.lo);
    r.lo = next++;
    inputs.push_back(q0.hi);
    r.hi = next++;
  }
  AsmText text;
  r.emit(text, rq, pixelStride);
  // Volatile (emitAsm): it reads and writes memory the compiler does not
  // see.
  emitAsm(b, loc, text.text, n, scratch, inputs);
  return true;
}

namespace {
/// The end of a wide row loop (emitWideRowLoop, emitWideRowLoopStrided):
/// after a block's `body`, the output pointer on to the next block's; the
/// block loop (hardware loop 1, its count in $0) around it. Returns the asm
/// text and its constraints: the accumulators ($0 tied to the count, the
/// others early-clobbered), the input (`in`), weight (`w`) and output
/// (r.out) pointers, tied, `scratch` early-clobbered words; then the
/// inputs: the count and the pointers tied, `untied` more.
std::pair<std::string, std::string>
wideRowLoopAsm(AsmText &body, const RequantBlock &r, int64_t outStride,
               int64_t in, int64_t w, int64_t scratch, int64_t untied) {
  auto reg = AsmText::reg;
  int64_t n = r.pixels * r.channels;
  if (r.stepPixels) // the last channel's pointer: out + c + pixels * step
    body.i(kAddI, reg(r.out), reg(r.cur), r.packs() ? 0 : -(r.channels - 1));
  else
    body.i(kAddI, reg(r.out), reg(r.out), r.pixels * outStride);
  AsmText text;
  text.i(kLoopSetup, "x1", reg(0), 2 * body.insns);
  text.append(body);
  std::string constraints = "=r,";
  for (int64_t i = 1; i < n; ++i)
    constraints += "=&r,";
  constraints += "=r,=r,=r,";
  for (int64_t i = 0; i < scratch; ++i)
    constraints += "=&r,";
  constraints += "0," + std::to_string(in) + "," + std::to_string(w) + "," +
                 std::to_string(r.out);
  for (int64_t i = 0; i < untied; ++i)
    constraints += ",r";
  return {text.text, constraints};
}
} // namespace

bool mlir::dwsep::wideRowLoopFits(int64_t pixels, int64_t channels,
                                  int64_t inStride, int64_t wStride,
                                  int64_t steps, int64_t outStride,
                                  const LowWordRequant &q0, OutStep step) {
  int64_t n = pixels * channels;
  // (A pixel step: the output offsets are the channels', the pointer's
  // advance the running pointer's.)
  if (step == OutStep::pixels)
    outStride = 1;
  // The accumulators, the words, the input, weight, output and parameter
  // pointers.
  return pixels >= 1 && channels >= 3 && channels <= kRequantParamChannels &&
         n + pixels + channels + 4 <= kAsmRegisters && steps >= 1 &&
         steps <= kMaxLoopCountImm + 1 && inStride >= 0 && wStride >= 0 &&
         (pixels - 1) * inStride <= kMaxImmediateOffset &&
         (channels - 1) * wStride <= kMaxImmediateOffset &&
         pixels * inStride - 4 * steps <= kMaxImmediateOffset &&
         pixels * inStride - 4 * steps >= -kMaxImmediateOffset - 1 &&
         4 * steps <= kMaxImmediateOffset + 1 && outStride >= 1 &&
         pixels * outStride <= kMaxImmediateOffset &&
         (pixels - 1) * outStride +
                 (step == OutStep::channels ? 0 : channels - 1) <=
             kMaxImmediateOffset &&
         (step == OutStep::none || pixels >= 2) && q0.clipBits && !q0.zp;
}

bool mlir::dwsep::emitWideRowLoop(
    OpBuilder &b, Location loc, Value inAddr, Value wAddr, Value outAddr,
    Value params, Value blocks, int64_t pixels, int64_t channels,
    int64_t inStride, int64_t wStride, int64_t steps, int64_t outStride,
    ArrayRef<LowWordRequant> rq, bool xSigned, OutStep step) {
  if ((int64_t)rq.size() != channels ||
      !wideRowLoopFits(pixels, channels, inStride, wStride, steps, outStride,
                       rq.front(), step))
    return false;
  int64_t n = pixels * channels;
  // Outputs: the accumulators ($0, tied to the block count: lp.setup reads
  // it before the first dot product writes it; the others early-clobbered),
  // the input, weight and output pointers (tied), the words
  // (early-clobbered; after a block's dot products, the requantization's
  // scratch). Inputs: the count, the three pointers, the parameters.
  int64_t in = n, w = n + 1, out = n + 2, x0 = n + 3, w0 = x0 + pixels;
  int64_t outputs = w0 + channels, prm = outputs + 4;
  DotBlock d{pixels,    channels, inStride, wStride, pixels, channels,
             /*acc=*/0, in,       w,        x0,      w0};
  RequantBlock r{pixels, channels, 0, w0, w0 + 1, w0 + 2, -1, -1, -1, out, prm};
  if (step != OutStep::none) {
    // Two of the input words' registers (wideRowLoopFits: pixels >= 2).
    r.step = x0;
    r.cur = x0 + 1;
    r.stepPixels = step == OutStep::pixels;
  }
  auto reg = AsmText::reg;
  AsmText body;
  d.step(body, xSigned ? kDotspB : kDotuspB);
  if (steps > 1)
    d.loop(body, xSigned ? kSdotspB : kSdotuspB, steps - 1);
  r.emit(body, rq, outStride);
  body.i(kAddI, reg(in), reg(in), pixels * inStride - 4 * steps);
  body.i(kAddI, reg(w), reg(w), -4 * steps);
  auto [text, constraints] =
      wideRowLoopAsm(body, r, outStride, in, w, pixels + channels, 1);
  emitVolatileAsm(b, loc, text, constraints, outputs,
                  ValueRange{blocks, inAddr, wAddr, outAddr, params});
  return true;
}

bool mlir::dwsep::wideRowLoopStridedFits(int64_t pixels, int64_t channels,
                                         int64_t outStride,
                                         const LowWordRequant &q0,
                                         OutStep step) {
  int64_t n = pixels * channels;
  if (step == OutStep::pixels)
    outStride = 1;
  // The accumulators, the input, weight and output pointers, two pixel
  // words, the weight words; the parameter pointer, the stride and the
  // walk back.
  return pixels == channels && pixels >= 2 &&
         channels <= kRequantParamChannels &&
         n + 3 + 2 + channels + 3 <= kAsmRegisters && outStride >= 1 &&
         pixels * outStride <= kMaxImmediateOffset &&
         (pixels - 1) * outStride +
                 (step == OutStep::channels ? 0 : channels - 1) <=
             kMaxImmediateOffset &&
         q0.clipBits && !q0.zp;
}

bool mlir::dwsep::emitWideRowLoopStrided(
    OpBuilder &b, Location loc, Value inAddr, Value wAddr, Value outAddr,
    Value params, Value blocks, int64_t pixels, int64_t channels, Value stride,
    int64_t outStride, ArrayRef<LowWordRequant> rq, bool xSigned,
    OutStep step) {
  if ((int64_t)rq.size() != channels ||
      !wideRowLoopStridedFits(pixels, channels, outStride, rq.front(), step))
    return false;
  int64_t n = pixels * channels;
  // Outputs: the accumulators ($0 tied to the block count, as in
  // emitWideRowLoop), the input, weight and output pointers (tied), two
  // pixel words and the weight words (early-clobbered; the
  // requantization's scratch and the inner loop's count after the dot
  // products). Inputs: the count, the three pointers, the parameters, the
  // stride, the walk back.
  WalkBlock d{pixels, channels};
  d.in = n;
  d.w = n + 1;
  int64_t out = n + 2;
  d.x0 = n + 3;
  d.w0 = d.x0 + 2;
  int64_t outputs = d.w0 + channels, prm = outputs + 4;
  d.stride = prm + 1;
  d.inBack = d.wBack = prm + 2;
  RequantBlock r{pixels, channels, 0,  d.w0, d.w0 + 1, d.w0 + 2,
                 -1,     -1,       -1, out,  prm};
  if (step != OutStep::none) {
    r.step = d.x0;
    r.cur = d.x0 + 1;
    r.stepPixels = step == OutStep::pixels;
  }
  auto reg = AsmText::reg;
  AsmText body;
  d.step(body, xSigned ? kDotspB : kDotuspB);
  // The other steps: stride / 4 - 1 (>= 1).
  body.i(kSrlI, reg(d.w0), reg(d.stride), 2);
  body.i(kAddI, reg(d.w0), reg(d.w0), -1);
  d.loop(body, xSigned ? kSdotspB : kSdotuspB, d.w0);
  r.emit(body, rq, outStride);
  // The input advanced by stride (a row): on by (pixels - 1) * stride =
  // 4 - back; the weights back by stride.
  body.r(kSub, reg(d.in), reg(d.in), reg(d.inBack));
  body.i(kAddI, reg(d.in), reg(d.in), 4);
  body.r(kSub, reg(d.w), reg(d.w), reg(d.stride));
  auto [text, constraints] =
      wideRowLoopAsm(body, r, outStride, d.in, d.w, outputs - d.x0, 3);
  Value back = walkBack(b, loc, stride, pixels);
  emitVolatileAsm(
      b, loc, text, constraints, outputs,
      ValueRange{blocks, inAddr, wAddr, outAddr, params, stride, back});
  return true;
}

bool mlir::dwsep::emitDepthwiseRowLoop(
    OpBuilder &b, Location loc, ArrayRef<Value> rowAddrs, Value outAddr,
    Value count, Value inner, ArrayRef<Value> rows, ArrayRef<Value> rowsHi,
    const LowWordRequant &rq, int64_t outStride, int64_t inStep, bool xSigned,
    Value outStep) {
  int64_t kh = rowAddrs.size();
  int64_t pixels = rowsHi.empty() ? 1 : 2;
  if (kh < 1 || kh > 3 || (outStride == 0) != bool(outStep) || outStride < 0 ||
      outStride > kMaxImmediateOffset || inStep < 1 ||
      inStep > kMaxImmediateOffset)
    return false;
  // Outputs: the row and output pointers (tied), then kh words and one
  // accumulator per pixel (scratch). Inputs: the pointers, then the count
  // and the block's values.
  int64_t ptrs = kh + 1, scratch = kh + pixels;
  SmallVector<Value> inputs(rowAddrs.begin(), rowAddrs.end());
  inputs.push_back(outAddr);
  inputs.push_back(count);
  int64_t cnt = ptrs + scratch + ptrs, next = cnt + 1;
  DepthwiseRegs r =
      addDepthwiseInputs(b, loc, inputs, next, inner, rows, rowsHi, rq);
  r.x0 = ptrs;
  r.acc0 = ptrs + kh;
  r.out = kh;
  if (outStep) {
    inputs.push_back(outStep);
    r.step = next++;
  }
  auto reg = AsmText::reg;

  AsmText body;
  for (int64_t ky = 0; ky < kh; ++ky)
    body.load(kLoadWordPostInc, reg(r.x0 + ky), reg(ky), inStep);
  emitDepthwisePixels(body, r, kh, pixels, rq, outStride, xSigned,
                      /*firstRow=*/0);

  AsmText text;
  text.i(kLoopSetup, "x0", reg(cnt), 2 * body.insns);
  text.append(body);
  emitAsm(b, loc, text.text, ptrs, scratch, inputs);
  return true;
}

bool mlir::dwsep::depthwisePlaneLoopFits(int64_t kh, int64_t rowBytes,
                                         int64_t outW, int64_t strideH,
                                         int64_t strideW, int64_t outStride) {
  int64_t pixels = strideW == 1 ? 2 : 1;
  // (outStride 0: a run-time step.)
  return kh >= 1 && kh <= 3 && strideW >= 1 && strideW <= 2 && outW >= pixels &&
         outStride >= 0 && outStride <= kMaxImmediateOffset && rowBytes >= 1 &&
         (kh - 1) * rowBytes <= kMaxImmediateOffset &&
         strideH * rowBytes <= kMaxImmediateOffset;
}

bool mlir::dwsep::depthwisePlaneQuadsFit(int64_t kh, int64_t rowBytes,
                                         int64_t outW, int64_t strideW, bool zp,
                                         bool clip, bool outStep,
                                         bool lastColumn) {
  // Outputs: the plane and output pointers (tied), the A and B words and
  // two accumulators (scratch). Inputs: the pointers, the row count, the
  // iterations a row, K, the weight words W, W << 16, m, the shift, the
  // zero point and the clamp bounds where used, W >> 16, the output step,
  // the last column's word.
  int64_t scratch = 2 * kh + 2;
  int64_t registers = 2 + scratch + 2 + 1 + 3 * kh + 2 + (zp ? 1 : 0) +
                      (clip ? 0 : 2) + (outStep ? 1 : 0) + (lastColumn ? 1 : 0);
  return strideW == 2 && outW >= 4 && kh >= 1 && kh <= 3 &&
         (kh - 1) * rowBytes + 8 <= kMaxImmediateOffset &&
         registers <= kAsmRegisters && (!lastColumn || outW % 4 == 0);
}

namespace {
/// emitDepthwisePlaneLoop's form for stride 2 and rows of at least 4
/// pixels: 4 pixels an iteration from aligned words only. With the plane
/// pointer at the window of pixel ox (ox % 4 == 0: plane column c = 2 ox, a
/// multiple of 4 since plane rows start at word boundaries), a window row
/// spans words A (columns c..c+3), B (c+4..) and C (c+8..): pixel ox is
/// A . W, pixel ox+1 (columns c+2..c+4) A . (W << 16) + B . (W >> 16),
/// pixel ox+2 B . W, pixel ox+3 B . (W << 16) + C . (W >> 16), and C is the
/// next iteration's A: per window row 2 aligned loads and 6 dot products
/// for 4 pixels, where one pixel an iteration loads 4 words, half of them
/// unaligned (two accesses each), for 3 dot products. The C words go into
/// A's registers once the first two pixels have read them (no moves). The
/// last outW % 4 pixels of a row follow the loop. Returns false (nothing
/// emitted) where it does not apply (stride 1, narrower rows, an offset
/// beyond a load immediate, more registers than an asm block has).
/// (The last quad of a row with `lastColumn`: its fourth pixel's third
/// column is the word given, not the one past the row; outW % 4 == 0.)
bool emitDepthwisePlaneQuads(OpBuilder &b, Location loc, Value plane,
                             int64_t rowBytes, Value outAddr, Value outRows,
                             int64_t outW, int64_t strideH, int64_t strideW,
                             Value inner, ArrayRef<Value> rows,
                             const LowWordRequant &rq, int64_t outStride,
                             bool xSigned, Value outStep, Value lastColumn) {
  int64_t kh = rows.size();
  int64_t scratch = 2 * kh + 2;
  if (!depthwisePlaneQuadsFit(kh, rowBytes, outW, strideW, bool(rq.zp),
                              rq.clipBits != 0, bool(outStep),
                              bool(lastColumn)))
    return false;
  int64_t quads = outW / 4, rest = outW % 4;
  // With `lastColumn` the row's last quad follows the loop.
  int64_t looped = lastColumn ? quads - 1 : quads;
  auto i32 = [&](int64_t v) {
    return arith::ConstantIntOp::create(b, loc, b.getI32Type(), v).getResult();
  };
  SmallVector<Value> hi, lo;
  for (Value w : rows) {
    hi.push_back(arith::ShLIOp::create(b, loc, w, i32(16)));
    lo.push_back(arith::ShRUIOp::create(b, loc, w, i32(16)));
  }
  // The pointer runs 8 bytes ahead, at C: a post-incremented load reads
  // at the pointer before it moves.
  SmallVector<Value> inputs = {arith::AddIOp::create(b, loc, plane, i32(8)),
                               outAddr, outRows, i32(looped)};
  int64_t rowsReg = 2 + scratch + 2, itReg = rowsReg + 1, next = itReg + 1;
  DepthwiseRegs r =
      addDepthwiseInputs(b, loc, inputs, next, inner, rows, hi, rq);
  SmallVector<int64_t> wLo;
  for (Value v : lo) {
    inputs.push_back(v);
    wLo.push_back(next++);
  }
  if (outStep) {
    inputs.push_back(outStep);
    r.step = next++;
  }
  int64_t lastReg = -1;
  if (lastColumn) {
    inputs.push_back(lastColumn);
    lastReg = next++;
  }
  int64_t a0 = 2, b0 = 2 + kh;
  r.acc0 = 2 + 2 * kh;
  r.out = 1;
  auto reg = AsmText::reg;
  const XpulpInsn &first = xSigned ? kDotspB : kDotuspB;
  const XpulpInsn &dot = xSigned ? kSdotspB : kSdotuspB;
  // Accumulator `acc` (0 or 1) over the (word, weight) registers.
  auto dots = [&](AsmText &t, int64_t acc,
                  ArrayRef<std::pair<int64_t, int64_t>> terms) {
    for (auto [i, term] : llvm::enumerate(terms))
      t.r(i == 0 ? first : dot, reg(r.acc0 + acc), reg(term.first),
          reg(term.second));
  };
  auto loads = [&](AsmText &t, int64_t x, int64_t at, int64_t advance) {
    loadWindowRows(t, x, kh, rowBytes, at, advance);
  };
  // word . W, and word0 . (W << 16) + word1 . (W >> 16), the first row's
  // terms last (loaded last).
  auto whole = [&](int64_t x) {
    SmallVector<std::pair<int64_t, int64_t>> t;
    for (int64_t ky = kh - 1; ky >= 0; --ky)
      t.push_back({x + ky, r.w[0][ky]});
    return t;
  };
  // (`yRows` false: y is one register for every row, the last quad's
  // `lastColumn` instead of C.)
  auto split = [&](int64_t x, int64_t y, bool yRows = true) {
    SmallVector<std::pair<int64_t, int64_t>> t;
    for (int64_t ky = kh - 1; ky >= 0; --ky) {
      t.push_back({x + ky, r.w[1][ky]});
      t.push_back({yRows ? y + ky : y, wLo[ky]});
    }
    return t;
  };
  auto quadBody = [&](AsmText &t, bool last) {
    loads(t, b0, -4, 0);
    dots(t, 0, whole(a0));
    dots(t, 1, split(a0, b0));
    // (The last quad's C words are not read: the pointer stays at C.)
    if (!last)
      loads(t, a0, 0, 8);
    emitDepthwiseOutputs(t, r, 2, rq, outStride);
    dots(t, 0, whole(b0));
    dots(t, 1, last ? split(b0, lastReg, false) : split(b0, a0));
    emitDepthwiseOutputs(t, r, 2, rq, outStride);
  };
  AsmText rowStart, quad, lastQuad, tail;
  loads(rowStart, a0, -8, 0);
  quadBody(quad, false);
  if (lastColumn)
    quadBody(lastQuad, true);
  if (rest >= 1) {
    dots(tail, 0, whole(a0));
    emitDepthwiseOutputs(tail, r, 1, rq, outStride);
  }
  if (rest >= 2) {
    loads(tail, b0, -4, 0);
    dots(tail, 0, split(a0, b0));
    emitDepthwiseOutputs(tail, r, 1, rq, outStride);
  }
  if (rest >= 3) {
    dots(tail, 0, whole(b0));
    emitDepthwiseOutputs(tail, r, 1, rq, outStride);
  }
  tail.i(kAddI, reg(0), reg(0),
         strideH * rowBytes - 8 * (lastColumn ? quads - 1 : quads));
  int64_t outer = rowStart.insns + (looped ? 1 + quad.insns : 0) +
                  lastQuad.insns + tail.insns;
  AsmText text;
  text.i(kLoopSetup, "x1", reg(rowsReg), 2 * outer);
  text.append(rowStart);
  if (looped) {
    text.i(kLoopSetup, "x0", reg(itReg), 2 * quad.insns);
    text.append(quad);
  }
  text.append(lastQuad);
  text.append(tail);
  emitAsm(b, loc, text.text, 2, scratch, inputs);
  return true;
}
} // namespace

bool mlir::dwsep::emitDepthwisePlaneLoop(
    OpBuilder &b, Location loc, Value plane, int64_t rowBytes, Value outAddr,
    Value outRows, int64_t outW, int64_t strideH, int64_t strideW, Value inner,
    ArrayRef<Value> rows, ArrayRef<Value> rowsHi, const LowWordRequant &rq,
    int64_t outStride, bool xSigned, Value outStep, Value lastColumn) {
  int64_t kh = rows.size();
  int64_t pixels = strideW == 1 ? 2 : 1;
  int64_t iterations = outW / pixels, tail = outW % pixels;
  if ((int64_t)rowsHi.size() != (pixels == 2 ? kh : 0) ||
      (outStride == 0) != bool(outStep) ||
      !depthwisePlaneLoopFits(kh, rowBytes, outW, strideH, strideW, outStride))
    return false;
  if (emitDepthwisePlaneQuads(b, loc, plane, rowBytes, outAddr, outRows, outW,
                              strideH, strideW, inner, rows, rq, outStride,
                              xSigned, outStep, lastColumn))
    return true;
  if (lastColumn)
    return false;
  // Outputs: the plane pointer and the output pointer (tied), then kh words
  // and the accumulators (scratch). Inputs: the pointers, the row count, the
  // iterations a row, then the block's values.
  int64_t scratch = kh + pixels;
  SmallVector<Value> inputs = {
      plane, outAddr, outRows,
      arith::ConstantIntOp::create(b, loc, b.getI32Type(), iterations)};
  int64_t rowsReg = 2 + scratch + 2, itReg = rowsReg + 1, next = itReg + 1;
  DepthwiseRegs r =
      addDepthwiseInputs(b, loc, inputs, next, inner, rows, rowsHi, rq);
  r.x0 = 2;
  r.acc0 = 2 + kh;
  r.out = 1;
  if (outStep) {
    inputs.push_back(outStep);
    r.step = next++;
  }
  auto reg = AsmText::reg;
  // The window rows of the pixel(s) at the plane pointer: the lower rows at
  // immediate offsets, then the first with the post-increment (2 columns:
  // a pair with stride 1, a pixel with stride 2) or without it (the last
  // pixel of an odd row).
  auto loads = [&](AsmText &t, bool advance) {
    loadWindowRows(t, r.x0, kh, rowBytes, 0, advance ? 2 : 0);
  };
  AsmText inner1;
  loads(inner1, true);
  emitDepthwisePixels(inner1, r, kh, pixels, rq, outStride, xSigned,
                      /*firstRow=*/kh - 1);
  // After a row: its odd last pixel, then the pointer to the next row's
  // first window (it advanced 2 columns an iteration).
  AsmText after;
  if (tail) {
    DepthwiseRegs one = r;
    loads(after, false);
    emitDepthwisePixels(after, one, kh, 1, rq, outStride, xSigned,
                        /*firstRow=*/kh - 1);
  }
  after.i(kAddI, reg(0), reg(0), strideH * rowBytes - 2 * iterations);
  int64_t outer = 1 + inner1.insns + after.insns;
  AsmText text;
  text.i(kLoopSetup, "x1", reg(rowsReg), 2 * outer);
  text.i(kLoopSetup, "x0", reg(itReg), 2 * inner1.insns);
  text.append(inner1);
  text.append(after);
  emitAsm(b, loc, text.text, 2, scratch, inputs);
  return true;
}

SmallVector<Value>
mlir::dwsep::emitDepthwiseWeightRows(OpBuilder &b, Location loc, Value addr,
                                     Value stride, int64_t kh) {
  // Outputs: the pointer (tied), then the kh words and two bytes' scratch
  // (early-clobbered). Inputs: the pointer, the stride. Row ky loads its
  // lane 0 into its word, lanes 1 and 2 into the scratch, then packs them
  // (pv.packlo.b: lanes 1 and 0; pv.packhi.b: 0 and lane 2), each operand
  // loaded at least two instructions before.
  auto reg = AsmText::reg;
  int64_t words = 1, t1 = words + kh, t2 = t1 + 1, strideReg = t2 + 2;
  AsmText text;
  for (int64_t ky = 0; ky < kh; ++ky) {
    text.r(kLoadByteURegPostInc, reg(words + ky), reg(0), reg(strideReg));
    text.r(kLoadByteURegPostInc, reg(t1), reg(0), reg(strideReg));
    text.r(kLoadByteURegPostInc, reg(t2), reg(0), reg(strideReg));
    text.r(kPackLoB, reg(words + ky), reg(t1), reg(words + ky));
    text.r(kPackHiB, reg(words + ky), "x0", reg(t2));
  }
  SmallVector<Value> out =
      emitAsm(b, loc, text.text, 1, kh + 2, ValueRange{addr, stride});
  return SmallVector<Value>(out.begin() + 1, out.begin() + 1 + kh);
}

bool mlir::dwsep::planeCopyFits(int64_t width, int64_t srcStride,
                                int64_t dstRowSkip) {
  return width >= 1 && width / 2 <= kMaxLoopCountImm && srcStride >= 1 &&
         srcStride <= kMaxImmediateOffset && dstRowSkip >= 0 &&
         dstRowSkip <= kMaxImmediateOffset;
}

bool mlir::dwsep::emitPlaneCopy(OpBuilder &b, Location loc, Value src,
                                Value dst, Value rows, int64_t width,
                                int64_t srcStride, int64_t dstRowSkip,
                                int64_t dstAlign) {
  if (!planeCopyFits(width, srcStride, dstRowSkip))
    return false;
  auto reg = AsmText::reg;
  AsmText text;
  if (srcStride != 1) {
    // An HWC channel: its bytes `srcStride` apart. Outputs: src, dst
    // (tied), four bytes (scratch); input: the row count ($8). A row's
    // first bytes up to a word boundary of dst go one at a time, then four
    // an iteration packed into one word (4 p.lbu, pv.packlo.b, pv.packhi.b,
    // p.sw: 7 instructions for 4 bytes instead of 8, and one store), then
    // the rest one at a time. (Rows whose pitch is not a multiple of 4
    // would store some words unaligned: correct, in two accesses each.)
    int64_t head = std::min(width, (4 - dstAlign % 4) % 4);
    int64_t quads = (width - head) / 4, tail = (width - head) % 4;
    AsmText before = AsmText::copyBytes(srcStride, head), quad,
            after = AsmText::copyBytes(srcStride, tail);
    for (int64_t i = 0; i < 4; ++i)
      quad.load(kLoadByteUPostInc, reg(2 + i), reg(0), srcStride);
    quad.r(kPackLoB, reg(2), reg(3), reg(2));
    quad.r(kPackHiB, reg(2), reg(5), reg(4));
    quad.store(kStoreWordPostInc, reg(2), reg(1), 4);
    after.i(kAddI, reg(1), reg(1), dstRowSkip);
    // (One quad a row goes without its loop.)
    int64_t outer =
        before.insns + after.insns + (quads > 1) + (quads ? quad.insns : 0);
    text.i(kLoopSetup, "x1", reg(8), 2 * outer);
    text.append(before);
    if (quads > 1)
      text.loopImm(0, quad.insns, quads);
    if (quads)
      text.append(quad);
    text.append(after);
    emitAsm(b, loc, text.text, 2, 4, ValueRange{src, dst, rows});
    return true;
  }
  // A CHW channel: contiguous rows. Outputs: src, dst (tied), two words
  // (scratch); input: the row count ($6). Two words an iteration (both
  // loads first: no load-use stall), then a word and bytes.
  int64_t pairs = width / 8, rest = width % 8;
  AsmText pair;
  pair.load(kLoadWordPostInc, reg(2), reg(0), 4);
  pair.load(kLoadWordPostInc, reg(3), reg(0), 4);
  pair.store(kStoreWordPostInc, reg(2), reg(1), 4);
  pair.store(kStoreWordPostInc, reg(3), reg(1), 4);
  AsmText after;
  if (rest >= 4) {
    after.load(kLoadWordPostInc, reg(2), reg(0), 4);
    after.store(kStoreWordPostInc, reg(2), reg(1), 4);
    rest -= 4;
  }
  for (int64_t i = 0; i < rest; ++i) {
    after.load(kLoadByteUPostInc, reg(2), reg(0), 1);
    after.store(kStoreBytePostInc, reg(2), reg(1), 1);
  }
  after.i(kAddI, reg(1), reg(1), dstRowSkip);
  int64_t outer = after.insns + (pairs ? 1 + pair.insns : 0);
  text.i(kLoopSetup, "x1", reg(6), 2 * outer);
  if (pairs) {
    text.loopImm(0, pair.insns, pairs);
    text.append(pair);
  }
  text.append(after);
  emitAsm(b, loc, text.text, 2, 2, ValueRange{src, dst, rows});
  return true;
}

bool mlir::dwsep::im2colCopyFits(int64_t kh, int64_t rowBytes,
                                 int64_t windowRowBytes, int64_t srcStep,
                                 int64_t recordBytes) {
  return kh >= 1 && rowBytes >= 0 && windowRowBytes >= 1 &&
         (kh - 1) * rowBytes + windowRowBytes <= kMaxImmediateOffset &&
         kh * windowRowBytes <= recordBytes &&
         recordBytes <= kMaxImmediateOffset && srcStep >= 0 &&
         srcStep <= kMaxImmediateOffset;
}

bool mlir::dwsep::emitIm2colCopy(OpBuilder &b, Location loc, Value src,
                                 Value dst, Value count, int64_t kh,
                                 int64_t rowBytes, int64_t windowRowBytes,
                                 int64_t srcStep, int64_t recordBytes) {
  if (!im2colCopyFits(kh, rowBytes, windowRowBytes, srcStep, recordBytes))
    return false;
  auto reg = AsmText::reg;
  // Outputs: src, dst (tied), three words (scratch); inputs: src, dst, the
  // count ($7).
  struct Item {
    int64_t from, to;
    bool word;
  };
  SmallVector<Item> items;
  for (int64_t ky = 0; ky < kh; ++ky)
    for (int64_t i = 0; i < windowRowBytes;) {
      bool word = windowRowBytes - i >= 4;
      items.push_back({ky * rowBytes + i, ky * windowRowBytes + i, word});
      i += word ? 4 : 1;
    }
  AsmText body;
  for (size_t i0 = 0; i0 < items.size(); i0 += 3) {
    size_t n = std::min<size_t>(3, items.size() - i0);
    for (size_t j = 0; j < n; ++j)
      body.load(items[i0 + j].word ? kLoadWord : kLoadByteU, reg(2 + j), reg(0),
                items[i0 + j].from);
    for (size_t j = 0; j < n; ++j)
      body.store(items[i0 + j].word ? kStoreWord : kStoreByte, reg(2 + j),
                 reg(1), items[i0 + j].to);
  }
  body.i(kAddI, reg(0), reg(0), srcStep);
  body.i(kAddI, reg(1), reg(1), recordBytes);
  AsmText text;
  text.i(kLoopSetup, "x0", reg(7), 2 * body.insns);
  text.append(body);
  emitAsm(b, loc, text.text, 2, 3, ValueRange{src, dst, count});
  return true;
}

bool mlir::dwsep::emitStridedByteCopy(OpBuilder &b, Location loc, Value src,
                                      Value dst, int64_t pairs,
                                      int64_t srcStride) {
  if (pairs < 1 || pairs > kMaxLoopCountImm || srcStride < 1 ||
      srcStride > kMaxImmediateOffset)
    return false;
  // Outputs: src, dst (tied), two bytes (scratch).
  AsmText pair = AsmText::copyBytes(srcStride, 2);
  AsmText text;
  text.loopImm(0, pair.insns, pairs);
  text.append(pair);
  emitAsm(b, loc, text.text, 2, 2, ValueRange{src, dst});
  return true;
}
