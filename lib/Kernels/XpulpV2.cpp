//===- XpulpV2.cpp - GAP8's XpulpV2 instructions as inline assembly -------===//

#include "dwsep/Kernels/XpulpV2.h"

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
  if (body > kMaxLoopBodyInsns || count < 1 || count > 4095 ||
      (pixels - 1) * inStride > kMaxImmediateOffset ||
      (channels - 1) * wStride > kMaxImmediateOffset)
    return {};
  int64_t n = accs.size(); // pixels * channels
  // Operands: $0..$(n-1) accumulators, $n input pointer, $(n+1) weight
  // pointer, then pixels + channels early-clobbered words; the inputs are
  // tied to the first n + 2.
  int64_t in = n, w = n + 1, x0 = n + 2, w0 = x0 + pixels;
  auto reg = [](int64_t i) { return "$" + std::to_string(i); };
  auto itype = [](XpulpIType t) {
    return ".insn i " + std::to_string(t.opcode) + ", " +
           std::to_string(t.funct3) + ", ";
  };
  std::string text = itype(kLoopSetupImm) + "x0, x" + std::to_string(2 * body) +
                     ", " + std::to_string(count);
  // Each pointer's other rows first, then its own word with the increment.
  for (int64_t p = pixels - 1; p >= 1; --p)
    text += "\n" + itype(kLoadWord) + reg(x0 + p) + ", " +
            std::to_string(p * inStride) + "(" + reg(in) + ")";
  text += "\n" + itype(kLoadWordPostInc) + reg(x0) + ", 4(" + reg(in) + ")";
  for (int64_t c = channels - 1; c >= 1; --c)
    text += "\n" + itype(kLoadWord) + reg(w0 + c) + ", " +
            std::to_string(c * wStride) + "(" + reg(w) + ")";
  text += "\n" + itype(kLoadWordPostInc) + reg(w0) + ", 4(" + reg(w) + ")";
  const XpulpInsn &dot = xSigned ? kSdotspB : kSdotuspB;
  for (int64_t p = 0; p < pixels; ++p)
    for (int64_t c = 0; c < channels; ++c)
      text += "\n.insn r " + std::to_string(dot.opcode) + ", " +
              std::to_string(dot.funct3) + ", " + std::to_string(dot.funct7) +
              ", " + reg(p * channels + c) + ", " + reg(x0 + p) + ", " +
              reg(w0 + c);
  std::string constraints;
  for (int64_t i = 0; i < n + 2; ++i)
    constraints += "=r,";
  for (int64_t i = 0; i < pixels + channels; ++i)
    constraints += "=&r,";
  for (int64_t i = 0; i < n + 2; ++i)
    constraints += std::to_string(i) + (i + 1 < n + 2 ? "," : "");
  SmallVector<Value> operands(accs.begin(), accs.end());
  operands.append({inAddr, wAddr});
  Type i32 = b.getI32Type();
  auto structType = LLVM::LLVMStructType::getLiteral(
      b.getContext(), SmallVector<Type>(n + 2 + pixels + channels, i32));
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
