//===- XpulpV2.cpp - GAP8's XpulpV2 instructions as inline assembly -------===//

#include "dwsep/Kernels/XpulpV2.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

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

SmallVector<Value> mlir::dwsep::emitDotLoop(OpBuilder &b, Location loc,
                                            ValueRange accs, Value inAddr,
                                            Value wAddr, int64_t pixels,
                                            int64_t channels, int64_t inStride,
                                            int64_t wStride, int64_t count,
                                            bool xSigned) {
  int64_t body = pixels + channels + pixels * channels;
  if (body > kMaxLoopBodyInsns || count < 1 || count > 4095 || pixels < 1 ||
      channels < 1 || inStride < 0 || wStride < 0)
    return {};
  // Rows (input pixels, weight channels) are reached from a pointer by a
  // load immediate: as many rows per pointer as their offsets allow, and
  // one more pointer (advanced by its own post-increment load, so no extra
  // instruction in the body) for each further group.
  auto perPointer = [](int64_t rows, int64_t stride) {
    return stride == 0 ? rows
                       : std::min(rows, kMaxImmediateOffset / stride + 1);
  };
  int64_t inRows = perPointer(pixels, inStride),
          wRows = perPointer(channels, wStride);
  int64_t inPtrs = (pixels + inRows - 1) / inRows,
          wPtrs = (channels + wRows - 1) / wRows;
  int64_t n = accs.size(); // pixels * channels
  // Operands: $0..$(n-1) accumulators, the input pointers, the weight
  // pointers, then pixels + channels early-clobbered words; the inputs are
  // tied to the first n + inPtrs + wPtrs.
  int64_t tied = n + inPtrs + wPtrs;
  int64_t in = n, w = n + inPtrs, x0 = tied, w0 = x0 + pixels;
  auto reg = [](int64_t i) { return "$" + std::to_string(i); };
  auto itype = [](XpulpIType t) {
    return ".insn i " + std::to_string(t.opcode) + ", " +
           std::to_string(t.funct3) + ", ";
  };
  std::string text = itype(kLoopSetupImm) + "x0, x" + std::to_string(2 * body) +
                     ", " + std::to_string(count);
  // Per pointer: its other rows first, then its own word with the
  // increment.
  auto loads = [&](int64_t rows, int64_t perPtr, int64_t stride,
                   int64_t firstPtr, int64_t firstWord) {
    for (int64_t p0 = 0; p0 < rows; p0 += perPtr) {
      int64_t ptr = firstPtr + p0 / perPtr;
      for (int64_t r = std::min(rows, p0 + perPtr) - 1; r > p0; --r)
        text += "\n" + itype(kLoadWord) + reg(firstWord + r) + ", " +
                std::to_string((r - p0) * stride) + "(" + reg(ptr) + ")";
      text += "\n" + itype(kLoadWordPostInc) + reg(firstWord + p0) + ", 4(" +
              reg(ptr) + ")";
    }
  };
  loads(pixels, inRows, inStride, in, x0);
  loads(channels, wRows, wStride, w, w0);
  const XpulpInsn &dot = xSigned ? kSdotspB : kSdotuspB;
  for (int64_t p = 0; p < pixels; ++p)
    for (int64_t c = 0; c < channels; ++c)
      text += "\n.insn r " + std::to_string(dot.opcode) + ", " +
              std::to_string(dot.funct3) + ", " + std::to_string(dot.funct7) +
              ", " + reg(p * channels + c) + ", " + reg(x0 + p) + ", " +
              reg(w0 + c);
  std::string constraints;
  for (int64_t i = 0; i < tied; ++i)
    constraints += "=r,";
  for (int64_t i = 0; i < pixels + channels; ++i)
    constraints += "=&r,";
  for (int64_t i = 0; i < tied; ++i)
    constraints += std::to_string(i) + (i + 1 < tied ? "," : "");
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
  pointers(inAddr, inPtrs, inRows * inStride);
  pointers(wAddr, wPtrs, wRows * wStride);
  auto structType = LLVM::LLVMStructType::getLiteral(
      b.getContext(), SmallVector<Type>(tied + pixels + channels, i32));
  // Volatile: it reads memory the compiler does not see it read.
  auto op = LLVM::InlineAsmOp::create(
      b, loc, structType, operands, b.getStringAttr(text),
      b.getStringAttr(constraints), /*has_side_effects=*/b.getUnitAttr(),
      /*is_align_stack=*/UnitAttr(), LLVM::TailCallKindAttr(),
      LLVM::AsmDialectAttr(), ArrayAttr());
  SmallVector<Value> out;
  for (int64_t i = 0; i < n; ++i)
    out.push_back(
        LLVM::ExtractValueOp::create(b, loc, op.getResult(0), i).getResult());
  return out;
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
};

/// A volatile inline-asm block (it reads and writes memory the compiler
/// does not see) whose first `tied` outputs are tied to its first inputs,
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
  Type i32 = b.getI32Type();
  auto structType = LLVM::LLVMStructType::getLiteral(
      b.getContext(), SmallVector<Type>(tied + scratch, i32));
  auto op = LLVM::InlineAsmOp::create(
      b, loc, structType, inputs, b.getStringAttr(text),
      b.getStringAttr(constraints), /*has_side_effects=*/b.getUnitAttr(),
      /*is_align_stack=*/UnitAttr(), LLVM::TailCallKindAttr(),
      LLVM::AsmDialectAttr(), ArrayAttr());
  SmallVector<Value> out;
  for (int64_t i = 0; i < tied + scratch; ++i)
    out.push_back(
        LLVM::ExtractValueOp::create(b, loc, op.getResult(0), i).getResult());
  return out;
}
} // namespace

bool mlir::dwsep::emitDepthwiseRowLoop(
    OpBuilder &b, Location loc, ArrayRef<Value> rowAddrs, Value outAddr,
    Value count, Value inner, ArrayRef<Value> rows, ArrayRef<Value> rowsHi,
    const LowWordRequant &rq, int64_t outStride, int64_t inStep, bool xSigned) {
  int64_t kh = rowAddrs.size();
  int64_t pixels = rowsHi.empty() ? 1 : 2;
  if (kh < 1 || kh > 3 || outStride < 1 || outStride > kMaxImmediateOffset ||
      inStep < 1 || inStep > kMaxImmediateOffset)
    return false;
  // Outputs: the row and output pointers (tied), then kh words and one
  // accumulator per pixel (scratch). Inputs: the pointers, then the count,
  // inner, the weight words and the requantization values.
  int64_t ptrs = kh + 1, scratch = kh + pixels;
  int64_t x0 = ptrs, acc0 = ptrs + kh;
  SmallVector<Value> inputs(rowAddrs.begin(), rowAddrs.end());
  inputs.push_back(outAddr);
  int64_t next = ptrs + scratch + ptrs; // first untied input
  auto add = [&](Value v) {
    inputs.push_back(v);
    return next++;
  };
  // The bias and the rounding term as one per-channel value:
  // r + (inner + dots) * m == (r + inner * m) + dots * m (mod 2^32), so the
  // first row's dot products need not accumulate and the requantization
  // is mul, p.addN (add, then shift) and the clip.
  Value k = arith::AddIOp::create(
      b, loc, rq.r, arith::MulIOp::create(b, loc, inner, rq.mult));
  int64_t cnt = add(count), kr = add(k);
  SmallVector<int64_t> w[2];
  for (Value v : rows)
    w[0].push_back(add(v));
  for (Value v : rowsHi)
    w[1].push_back(add(v));
  int64_t m = add(rq.mult), s = add(rq.shift);
  int64_t zp = rq.zp ? add(rq.zp) : -1;
  int64_t lo = -1, hi = -1;
  if (!rq.clipBits)
    lo = add(rq.lo), hi = add(rq.hi);
  auto reg = AsmText::reg;

  AsmText body;
  for (int64_t ky = 0; ky < kh; ++ky)
    body.load(kLoadWordPostInc, reg(x0 + ky), reg(ky), inStep);
  const XpulpInsn &first = xSigned ? kDotspB : kDotuspB;
  const XpulpInsn &dot = xSigned ? kSdotspB : kSdotuspB;
  for (int64_t ky = 0; ky < kh; ++ky)
    for (int64_t p = 0; p < pixels; ++p)
      body.r(ky == 0 ? first : dot, reg(acc0 + p), reg(x0 + ky),
             reg(w[p][ky]));
  // Each accumulator's requantization in place.
  for (int64_t p = 0; p < pixels; ++p) {
    std::string t = reg(acc0 + p);
    body.r(kMul, t, t, reg(m));
    body.r(kAddN, t, reg(kr), reg(s));
    if (zp >= 0)
      body.r(kAdd, t, t, reg(zp));
    if (rq.clipBits) {
      body.r(rq.clipSigned ? kClipI : kClipUI, t, t,
             "x" +
                 std::to_string(rq.clipSigned ? rq.clipBits : rq.clipBits + 1));
    } else {
      body.r(kMinS, t, t, reg(hi));
      body.r(kMaxS, t, t, reg(lo));
    }
  }
  for (int64_t p = 0; p < pixels; ++p)
    body.store(kStoreBytePostInc, reg(acc0 + p), reg(kh), outStride);

  AsmText text;
  text.i(kLoopSetup, "x0", reg(cnt), 2 * body.insns);
  text.text += "\n" + body.text;
  emitAsm(b, loc, text.text, ptrs, scratch, inputs);
  return true;
}

bool mlir::dwsep::emitStridedByteCopy(OpBuilder &b, Location loc, Value src,
                                      Value dst, int64_t pairs,
                                      int64_t srcStride) {
  if (pairs < 1 || pairs > 4095 || srcStride < 1 ||
      srcStride > kMaxImmediateOffset)
    return false;
  auto reg = AsmText::reg;
  // Outputs: src, dst (tied), two bytes (scratch).
  AsmText body;
  body.load(kLoadByteUPostInc, reg(2), reg(0), srcStride);
  body.load(kLoadByteUPostInc, reg(3), reg(0), srcStride);
  body.store(kStoreBytePostInc, reg(2), reg(1), 1);
  body.store(kStoreBytePostInc, reg(3), reg(1), 1);
  std::string text = ".insn i " + std::to_string(kLoopSetupImm.opcode) + ", " +
                     std::to_string(kLoopSetupImm.funct3) + ", x0, x" +
                     std::to_string(2 * body.insns) + ", " +
                     std::to_string(pairs) + "\n" + body.text;
  emitAsm(b, loc, text, 2, 2, ValueRange{src, dst});
  return true;
}
