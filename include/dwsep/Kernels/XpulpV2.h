//===- XpulpV2.h - GAP8's XpulpV2 instructions for the kernels --*- C++ -*-===//
//
// The one place that knows the encodings of the GAP8 (RI5CY) extension
// instructions the kernels use. They come from GVSoC's ISA table
// (gvsoc/gvsoc/models/cpu/iss/isa_gen/isa_riscv_gen.py in gap_sdk, subsets
// `pulpv2` and `pulp_common`), not from LLVM: LLVM 22's CORE-V extensions
// (+xcvsimd, +xcvmac, ...) are CV32E40P's encodings (cv.sdotsp.b is major
// opcode 0x7b, custom-3), while GAP8's pv.sdotsp.b is major opcode 0x57.
// The kernels emit them as `llvm.inline_asm` with `.insn r`, which any
// RV32 assembler accepts.
//
//===----------------------------------------------------------------------===//

#ifndef DWSEP_KERNELS_XPULPV2_H
#define DWSEP_KERNELS_XPULPV2_H

#include "mlir/IR/Builders.h"

namespace mlir::dwsep {

/// An R-type XpulpV2 instruction: `.insn r opcode, funct3, funct7, rd, rs1,
/// rs2`. `accumulates`: rd is also an input (rd += f(rs1, rs2)).
struct XpulpInsn {
  const char *name;
  unsigned opcode, funct3, funct7;
  bool accumulates;
};

/// rd += sum over the 4 byte lanes of rs1[i] * rs2[i], both signed.
/// (isa_riscv_gen.py: '101110- ----- ----- 001 ----- 1010111'.)
constexpr XpulpInsn kSdotspB = {"pv.sdotsp.b", 0x57, 1, 0x5C, true};
/// The same with rs1's lanes unsigned, rs2's signed ('101010- ... 001').
constexpr XpulpInsn kSdotuspB = {"pv.sdotusp.b", 0x57, 1, 0x54, true};
/// rd = the same dot products, not accumulated ('100110- ... 001' and
/// '100010- ... 001').
constexpr XpulpInsn kDotspB = {"pv.dotsp.b", 0x57, 1, 0x4C, false};
constexpr XpulpInsn kDotuspB = {"pv.dotusp.b", 0x57, 1, 0x44, false};
/// rd += rs1 * rs2 (32-bit; '0100001 ----- ----- 000 ----- 0110011').
constexpr XpulpInsn kMac = {"p.mac", 0x33, 0, 0x21, true};
/// rd = rs1 * rs2, the low word (RV32M mul, '0000001 ... 000 ...
/// 0110011').
constexpr XpulpInsn kMul = {"mul", 0x33, 0, 0x01, false};
/// rd = (rd + rs1) >>> (rs2 & 31), arithmetic (p.addN's register form,
/// format RRRR2: '0100000 ----- ----- 010 ----- 1011011').
constexpr XpulpInsn kAddN = {"p.addN", 0x5B, 2, 0x20, true};
/// Signed minimum and maximum of two registers ('0000010 ... 100/110
/// ... 0110011').
constexpr XpulpInsn kMinS = {"p.min", 0x33, 4, 0x02, false};
constexpr XpulpInsn kMaxS = {"p.max", 0x33, 6, 0x02, false};

/// Clip to [-2^(imm-1), 2^(imm-1) - 1] (p.clipi, '0001010 ... 001 ...
/// 0110011') and to [0, 2^(imm-1) - 1] (p.clipui, '... 010 ...'); the
/// immediate is the rs2 field.
constexpr XpulpInsn kClipI = {"p.clipi", 0x33, 1, 0x0A, false};
constexpr XpulpInsn kClipUI = {"p.clipui", 0x33, 2, 0x0A, false};

/// Byte packing: pv.packhi.b rd = rs1[7:0] << 24 | rs2[7:0] << 16 |
/// rd[15:0] ('110110- ----- ----- 001 ----- 1010111') and pv.packlo.b rd =
/// rs1[7:0] << 8 | rs2[7:0] | rd[31:16] ('111000- ... 001'): both keep the
/// other half of rd (format RRRR), so two of them pack four bytes into one
/// of their registers.
constexpr XpulpInsn kPackHiB = {"pv.packhi.b", 0x57, 1, 0x6C, true};
constexpr XpulpInsn kPackLoB = {"pv.packlo.b", 0x57, 1, 0x70, true};

/// Emits `insn` on i32 values: `acc` is rd's input for an accumulating
/// instruction. Returns rd.
Value emitXpulp(OpBuilder &b, Location loc, const XpulpInsn &insn, Value rs1,
                Value rs2, Value acc = Value());
/// The largest offset of a load or store immediate (RISC-V I/S-type: 12 bits,
/// signed).
constexpr int64_t kMaxImmediateOffset = 2047;

/// A 32-bit load from byte address `addr` + `offset` (i32; the offset an
/// immediate in [-2048, kMaxImmediateOffset]) that may be unaligned (GAP8 loads
/// unaligned words in hardware; an LLVM load would need alignment 4).
Value emitLoadWord(OpBuilder &b, Location loc, Value addr, int64_t offset = 0);

/// I-type encodings (opcode, funct3) of GVSoC's isa_riscv_gen.py: lw (kept
/// 4 bytes long, never compressed), p.lw rd, imm(rs1!) (post-increment),
/// and lp.setupi L, count, end (hardware loop L with an immediate count
/// in imm and the offset of the body's last instruction, in halfwords, in
/// the rs1 field; format HL1).
struct XpulpIType {
  unsigned opcode, funct3;
};
constexpr XpulpIType kLoadWord = {0x03, 2};
constexpr XpulpIType kLoadWordPostInc = {0x0B, 2};
constexpr XpulpIType kLoopSetupImm = {0x7B, 5};
/// lp.setup L, rs1, uimm: a hardware loop whose count is in rs1.
constexpr XpulpIType kLoopSetup = {0x7B, 4};
/// lp.starti L, uimm / lp.endi L, uimm (the loop's first / last
/// instruction at this instruction's address + 2 * uimm) and lp.counti L,
/// uimm (format HL0, rs1 x0): a loop set up by three instructions, for
/// bodies longer than lp.setupi's 5-bit end offset reaches.
constexpr XpulpIType kLoopStartImm = {0x7B, 0};
constexpr XpulpIType kLoopEndImm = {0x7B, 1};
constexpr XpulpIType kLoopCountImm = {0x7B, 3};
/// p.lbu rd, imm(rs1!): load a byte, zero-extended, then rs1 += imm.
constexpr XpulpIType kLoadByteUPostInc = {0x0B, 4};
/// p.sb rs2, imm(rs1!) (an S-type: the opcode and funct3).
constexpr XpulpIType kStoreBytePostInc = {0x2B, 0};
/// p.sb rs2, rs3(rs1!): store rs2's low byte at rs1, then rs1 += rs3 (the
/// register post-increment, format SRPOST: rs3 in the rd field;
/// '0000000 ----- ----- 100 ----- 0101011' in pulp_common, which GAP8's
/// pulpv2 includes). As an R-type: `.insn r 0x2B, 4, 0, rs3, rs1, rs2`.
constexpr XpulpInsn kStoreByteRegPostInc = {"p.sb", 0x2B, 4, 0x00, false};
/// p.lw rd, rs2(rs1!): load the word at rs1, then rs1 += rs2 (the register
/// post-increment, format LRPOST: '0010000 ----- ----- 111 ----- 0001011'
/// in pulp_common). As an R-type: `.insn r 0x0B, 7, 0x10, rd, rs1, rs2`.
constexpr XpulpInsn kLoadWordRegPostInc = {"p.lw", 0x0B, 7, 0x10, false};
/// p.lbu rd, rs2(rs1!): as kLoadWordRegPostInc, a byte zero-extended
/// ('0100000 ----- ----- 111 ----- 0001011').
constexpr XpulpInsn kLoadByteURegPostInc = {"p.lbu", 0x0B, 7, 0x20, false};
/// p.sw rs2, imm(rs1!) (post-increment).
constexpr XpulpIType kStoreWordPostInc = {0x2B, 2};
/// p.sw rs2, rs3(rs1!), as kStoreByteRegPostInc ('0000000 ----- ----- 110
/// ----- 0101011').
constexpr XpulpInsn kStoreWordRegPostInc = {"p.sw", 0x2B, 6, 0x00, false};
/// sb rs2, imm(rs1) (RV32I S-type).
constexpr XpulpIType kStoreByte = {0x23, 0};
/// lbu rd, imm(rs1) and sw rs2, imm(rs1) (RV32I).
constexpr XpulpIType kLoadByteU = {0x03, 4};
constexpr XpulpIType kStoreWord = {0x23, 2};
/// Standard RV32I instructions spelled as `.insn` so that the assembler
/// cannot compress them (a hardware loop's end offset counts 4-byte
/// instructions): addi (rd = rs1 + 0 is a move), add, sra.
constexpr XpulpIType kAddI = {0x13, 0};
constexpr XpulpInsn kAdd = {"add", 0x33, 0, 0x00, false};
constexpr XpulpInsn kSra = {"sra", 0x33, 5, 0x20, false};
constexpr XpulpInsn kSub = {"sub", 0x33, 0, 0x20, false};
/// srli rd, rs1, shamt (the shift amount the immediate; funct7 0).
constexpr XpulpIType kSrlI = {0x13, 5};
/// lp.setupi's end offset has 5 bits: a body of at most 15 instructions;
/// its count is a 12-bit unsigned immediate. Longer bodies (up to
/// kMaxLongLoopBodyInsns) take lp.counti, lp.starti and lp.endi.
constexpr int64_t kMaxLoopBodyInsns = 15;
constexpr int64_t kMaxLongLoopBodyInsns = 2047;
/// The registers one inline-asm block can have at most: RV32's 31 GPRs but
/// sp, gp and tp (LLVM reserves them; ra and s0 it hands out).
constexpr int64_t kAsmRegisters = 28;
constexpr int64_t kMaxLoopCountImm = 4095;

/// A register block of dot products as one hardware loop: `count` times,
/// `pixels` input words (at `inAddr + p * inStride`, inAddr advancing by 4)
/// and `channels` weight words (at `wAddr + c * wStride`, wAddr advancing
/// by 4) are loaded, then accs[p * channels + c] += one pv.sdot(usp).b of
/// them. lp.setupi, lw and p.lw with post-increment: no loop counter, no
/// pointer increments. Rows whose offsets do not fit a load immediate from
/// the first (wide layers: 4 weight rows of 1024 channels) get pointers of
/// their own, each advanced by its own post-increment load: the body keeps
/// one load per row. Without `accs` the accumulators start at zero: the
/// first step is peeled with pv.dot(usp).b (no accumulator to set up or
/// tie) and the loop runs count - 1 times. Bodies longer than lp.setupi
/// reaches (a 4 x 4 block: 24 instructions) take lp.counti, lp.starti and
/// lp.endi. Returns the new accumulators, or nothing when the block does
/// not fit the encodings (body or count too large).
SmallVector<Value> emitDotLoop(OpBuilder &b, Location loc, ValueRange accs,
                               Value inAddr, Value wAddr, int64_t pixels,
                               int64_t channels, int64_t inStride,
                               int64_t wStride, int64_t count, bool xSigned);

/// emitDotLoop for rows a run-time distance apart: the input pixels' and
/// the weight channels' both `stride` bytes (i32; a pointwise kernel whose
/// input channel count is an operand, so that one kernel serves every
/// count), `steps` (i32: >= 1, >= 2 without `accs`) words each. Each
/// pointer walks its rows with register post-increment loads (p.lw rd,
/// rs2(rs1!)): `stride` from a row to the next, and from the last back to
/// the first row's next word by 4 - (rows - 1) * stride (a register). The
/// pixels' words take two registers, each pixel's loaded while the one
/// before it is multiplied: as many instructions a step as emitDotLoop and
/// no load-use stall but a single 1 x 1 step's. The hardware loop takes
/// its count from a register (lp.setup). Returns the new accumulators, or
/// nothing when the block takes more registers than an asm block has.
SmallVector<Value> emitDotLoopStrided(OpBuilder &b, Location loc,
                                      ValueRange accs, Value inAddr,
                                      Value wAddr, int64_t pixels,
                                      int64_t channels, Value stride,
                                      Value steps, bool xSigned);

/// The 32-bit requantization (RequantPlan::lowWord) as the depthwise pair
/// loop applies it: clip((acc * mult + r) >> shift + zp), all i32 values;
/// zp null when it is folded into r; the clip to a type's range (clipBits,
/// one p.clip) or to [lo, hi] (p.min, p.max).
struct LowWordRequant {
  Value r, mult, shift, zp;
  unsigned clipBits = 0;
  bool clipSigned = false;
  Value lo, hi;
};

/// A register block's requantization values in memory, for
/// emitRequantStoresFrom: channel c's K (the rounding term) at word c, its
/// multiplier at word kRequantParamChannels + c, its shift at word
/// 2 * kRequantParamChannels + c; for an output whose channels or pixels
/// are a run-time distance apart (OutStep), that distance in bytes at word
/// kRequantParamStep (storeOutStep), after the values: such a buffer has
/// kRequantParamWords + 1 words.
constexpr int64_t kRequantParamChannels = 4;
constexpr int64_t kRequantParamWords = 3 * kRequantParamChannels;
constexpr int64_t kRequantParamStep = kRequantParamWords;
/// Stores `step` (i32) at word kRequantParamStep of `buf`.
void storeOutStep(OpBuilder &b, Location loc, Value step, Value buf);
/// Which distance of a register block's outputs is a run-time value (the
/// parameter buffer's word kRequantParamStep) rather than an immediate:
/// none; the channels' (a CHW output, whose planes are a tile size apart);
/// the pixels' (an HWC output whose channel count is a kernel operand, so
/// that one kernel serves every output width).
enum class OutStep { none, channels, pixels };
/// Stores the values of `rq` (at most kRequantParamChannels) into `buf`, a
/// memref<kRequantParamWords x i32>.
void storeRequantParams(OpBuilder &b, Location loc, ArrayRef<LowWordRequant> rq,
                        Value buf);
/// The 32-bit requantization and byte stores of a register block, as one
/// inline-asm block: accs[p * channels + c] (channels = rq.size()) becomes
/// clip((acc * mult + r) >> shift (+ zp)) of channel c, stored at byte
/// outAddr + p * pixelStride + c; four instructions an output (mul, p.addN,
/// p.clip, sb), or with four channels and no channel step three and three
/// quarters (a pixel's four bytes packed by pv.packhi.b and pv.packlo.b
/// into one register and stored by one sw or p.sw). The asm loads each
/// channel's r, mult and shift from `params` (i32 address of
/// storeRequantParams' buffer; a value all channels share, the same SSA value,
/// loaded once), so that it needs only the accumulators, the two pointers and
/// three scratch registers (zp and the clamp bounds as operands where they
/// apply): LLVM keeps a 4 x 4 block's 16 accumulators in registers from the dot
/// loop to their stores. (With the values as operands, two channels a call, it
/// spilled half of them and reloaded the values: ~30 loads and stores a block;
/// 64 KiB-cache GVSoC, MobileNetV1 1.0@128's pointwise_0 -4.5%.) With
/// OutStep::channels channel c is stored at outAddr + c * step + p *
/// pixelStride instead, the step loaded from the buffer's word
/// kRequantParamStep and a running pointer advanced by one add a channel; with
/// OutStep::pixels at outAddr plus p * step + c (pixelStride unused), a
/// running pointer set to outAddr plus c for each channel and advanced by the
/// stores (p.sb's register post-increment; packed: p.sw from a running
/// pointer set to outAddr). Returns false, with nothing emitted, where an
/// offset does not fit a store immediate.
bool emitRequantStoresFrom(OpBuilder &b, Location loc, ValueRange accs,
                           int64_t pixels, ArrayRef<LowWordRequant> rq,
                           Value params, Value outAddr, int64_t pixelStride,
                           OutStep step = OutStep::none);

/// A row of register blocks as one inline-asm block: `blocks` (i32, >= 1)
/// times, emitDotLoop's block without accumulators (`pixels` input rows
/// `inStride` bytes apart from `inAddr`, `channels` weight rows `wStride`
/// apart from `wAddr`, `steps` words each; the first step peeled, the rest
/// hardware loop 0) and emitRequantStoresFrom's requantization and stores
/// (values from `params`, outputs `outStride` bytes a pixel from
/// `outAddr`), then the next block: `pixels` pixels on (input and output),
/// the weight rows again. Hardware loop 1 over the blocks, three `addi` a
/// block for the pointers: the LLVM code between two blocks' asm (the block
/// loop's pointer arithmetic, spills and reloads around the asm: ~18
/// instructions of MobileNetV1's pointwise_0's ~280 a block) is gone. It
/// takes 28 registers (every GPR but zero, sp, gp, tp) for a 4 x 4 block:
/// only the clip to a type's range and a folded zero point
/// (wideRowLoopFits). `step`: a run-time distance, as in
/// emitRequantStoresFrom (the step and the running pointer in two of the
/// input words' registers, free by then; outStride unused with
/// OutStep::pixels, where the next block's output pointer is the running
/// pointer's). Returns false, with nothing emitted, where it does not
/// apply.
bool wideRowLoopFits(int64_t pixels, int64_t channels, int64_t inStride,
                     int64_t wStride, int64_t steps, int64_t outStride,
                     const LowWordRequant &q0, OutStep step = OutStep::none);
bool emitWideRowLoop(OpBuilder &b, Location loc, Value inAddr, Value wAddr,
                     Value outAddr, Value params, Value blocks, int64_t pixels,
                     int64_t channels, int64_t inStride, int64_t wStride,
                     int64_t steps, int64_t outStride,
                     ArrayRef<LowWordRequant> rq, bool xSigned,
                     OutStep step = OutStep::none);

/// emitWideRowLoop for an input whose pixels and weight rows are the
/// run-time `stride` (i32, a multiple of 4 and at least 8: two steps) bytes
/// apart (emitDotLoopStrided's walk): a block's first step peeled, the count of
/// the others (stride / 4 - 1) computed into a weight word's register for
/// lp.setup, then the requantization and stores, then the pointers back
/// (three instructions more a block than emitWideRowLoop). `pixels` ==
/// `channels` (one register for the walk back of both), 28 registers for a
/// 4 x 4 block. Returns false, with nothing emitted, where it does not
/// apply (wideRowLoopStridedFits).
bool wideRowLoopStridedFits(int64_t pixels, int64_t channels, int64_t outStride,
                            const LowWordRequant &q0,
                            OutStep step = OutStep::none);
bool emitWideRowLoopStrided(OpBuilder &b, Location loc, Value inAddr,
                            Value wAddr, Value outAddr, Value params,
                            Value blocks, int64_t pixels, int64_t channels,
                            Value stride, int64_t outStride,
                            ArrayRef<LowWordRequant> rq, bool xSigned,
                            OutStep step = OutStep::none);

/// The pixels of one output row of the depthwise band kernel
/// (WindowKernel.cpp) as one hardware loop with the count (>= 1) in a
/// register. An iteration reads one unaligned word per window row
/// (`rowAddrs`, i32, each advancing by `inStep`) and computes, from `inner`,
/// one pixel against `rows` or, with `rowsHi` (stride 1: the second pixel of
/// a pair shares the words), two; then each pixel's requantization and byte
/// store at `outAddr` (advancing by `outStride`, or with `outStride` 0 by
/// the run-time `outStep` (i32): an HWC output's channel count, so that one
/// kernel serves every channel count). Returns false, with nothing emitted,
/// where it does not apply (kh > 3, a step outside an immediate).
bool emitDepthwiseRowLoop(OpBuilder &b, Location loc, ArrayRef<Value> rowAddrs,
                          Value outAddr, Value count, Value inner,
                          ArrayRef<Value> rows, ArrayRef<Value> rowsHi,
                          const LowWordRequant &rq, int64_t outStride,
                          int64_t inStep, bool xSigned,
                          Value outStep = Value());

/// The output rows of the depthwise plane kernel (WindowKernel.cpp) as two
/// nested hardware loops: `plane` (i32) is the channel's padded input, rows
/// `rowBytes` apart, a window row's word at a load immediate from the first;
/// `outRows` (i32, >= 1) rows of `outW` pixels, `strideH` plane rows down
/// from one to the next. An inner iteration is a pair of pixels sharing
/// their words (strideW 1, `rowsHi` the weights one lane up; an odd row's
/// last pixel after the loop) or, with strideW 2, four pixels from aligned
/// words where a row has at least 4 (the remainder after the loop; the
/// window words carried from one iteration to the next) and else one
/// pixel, computed and stored
/// as emitDepthwiseRowLoop does, at `outAddr` advancing by `outStride`
/// (or `outStep`, as there; output rows are contiguous). Returns false, with
/// nothing emitted, where it does not apply (kh > 3, an offset outside an
/// immediate): depthwisePlaneLoopFits.
///
/// With `lastColumn` (i32), the input may be read in place, unpadded on
/// the right: the fourth pixel of a row's last quad takes that word (the
/// zero point in lane 0) for its window's third column, the one past the
/// row, instead of the row's next word. It needs the four-pixel form with
/// no remainder (depthwisePlaneQuadsFit, `lastColumn` true); otherwise
/// nothing is emitted and false returned.
bool depthwisePlaneLoopFits(int64_t kh, int64_t rowBytes, int64_t outW,
                            int64_t strideH, int64_t strideW,
                            int64_t outStride);
/// Whether the four-pixel form applies: stride 2, rows of at least 4
/// pixels (a multiple of 4 with `lastColumn`), offsets within an
/// immediate, and the registers of an asm block, which depend on the
/// requantization (an output zero point `zp`, clamp bounds without `clip`),
/// a run-time output step and the last column's word.
bool depthwisePlaneQuadsFit(int64_t kh, int64_t rowBytes, int64_t outW,
                            int64_t strideW, bool zp, bool clip, bool outStep,
                            bool lastColumn);
bool emitDepthwisePlaneLoop(OpBuilder &b, Location loc, Value plane,
                            int64_t rowBytes, Value outAddr, Value outRows,
                            int64_t outW, int64_t strideH, int64_t strideW,
                            Value inner, ArrayRef<Value> rows,
                            ArrayRef<Value> rowsHi, const LowWordRequant &rq,
                            int64_t outStride, bool xSigned,
                            Value outStep = Value(),
                            Value lastColumn = Value());

/// The weight words of one depthwise channel whose window is 3 columns
/// wide: row ky's three weights in lanes 0..2 and 0 in lane 3, for ky in
/// [0, kh); `addr` (i32) is tap (0, 0)'s byte and the taps follow `stride`
/// (i32) bytes apart in row-major order (the [kh][3][C] weights of a
/// channel slice: stride C). One asm block of register post-increment byte
/// loads and two packs a word, 5 instructions a row and no load-use stall
/// (LLVM's code took 9-10: an address add a byte, then shifts and ors).
SmallVector<Value> emitDepthwiseWeightRows(OpBuilder &b, Location loc,
                                           Value addr, Value stride,
                                           int64_t kh);

/// Copies `rows` (i32, >= 1) rows of `width` bytes, each byte `srcStride`
/// after the last at `src` (consecutive rows continue at the same stride:
/// one channel of an HWC image, its bytes packed four to a stored word from
/// the first word boundary of `dst`, which lies `dstAlign` bytes past one;
/// or with srcStride 1 a CHW image, copied by words, which may be
/// unaligned), to `dst`, leaving `dstRowSkip` bytes after each row: two
/// nested hardware loops of post-incremented loads and stores. Returns
/// false, with nothing emitted, where it does not apply: planeCopyFits.
bool planeCopyFits(int64_t width, int64_t srcStride, int64_t dstRowSkip);
bool emitPlaneCopy(OpBuilder &b, Location loc, Value src, Value dst, Value rows,
                   int64_t width, int64_t srcStride, int64_t dstRowSkip,
                   int64_t dstAlign);

/// Copies `2 * pairs` bytes from `src` (i32 address, advancing by
/// `srcStride`) to consecutive bytes at `dst` as one hardware loop (two
/// post-incremented loads, then two stores: no load-use stall). Returns
/// false, with nothing emitted, where it does not apply.
bool emitStridedByteCopy(OpBuilder &b, Location loc, Value src, Value dst,
                         int64_t pairs, int64_t srcStride);

/// The windows of `count` (i32, >= 1) output pixels of a dense HWC window
/// as consecutive records (im2col): window row ky of a pixel, the
/// `windowRowBytes` bytes at `src` + ky * `rowBytes`, goes to its record at
/// `dst` + ky * windowRowBytes; then `src` advances by `srcStep` (a pixel's
/// stride) and `dst` by `recordBytes`. One hardware loop with the count in
/// a register; a window row moves as unaligned words and its last bytes,
/// three loads before three stores (no load-use stall). Returns false,
/// with nothing emitted, where it does not apply: im2colCopyFits.
bool im2colCopyFits(int64_t kh, int64_t rowBytes, int64_t windowRowBytes,
                    int64_t srcStep, int64_t recordBytes);
bool emitIm2colCopy(OpBuilder &b, Location loc, Value src, Value dst,
                    Value count, int64_t kh, int64_t rowBytes,
                    int64_t windowRowBytes, int64_t srcStep,
                    int64_t recordBytes);

/// Emits `insn` whose rs2 field is the immediate `imm` (0-31).
Value emitXpulpImm(OpBuilder &b, Location loc, const XpulpInsn &insn, Value rs1,
                   unsigned imm);

} // namespace mlir::dwsep

#endif // DWSEP_KERNELS_XPULPV2_H
