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

Value mlir::dwsep::emitLoadWord(OpBuilder &b, Location loc, Value addr) {
  // Not volatile: the kernel's inputs do not change while it runs.
  return LLVM::InlineAsmOp::create(b, loc, b.getI32Type(), ValueRange{addr},
                                   b.getStringAttr("lw $0, 0($1)"),
                                   b.getStringAttr("=r,r"), UnitAttr(),
                                   UnitAttr(), LLVM::TailCallKindAttr(),
                                   LLVM::AsmDialectAttr(), ArrayAttr())
      .getResult(0);
}
