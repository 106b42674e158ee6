// RUN: dwsep-opt %s --split-input-file --dwsep-lower-kernels --canonicalize | FileCheck %s
// RUN: dwsep-opt %s --split-input-file --dwsep-lower-kernels --dwsep-to-llvm="object=%t.o" && llvm-objdump -d %t.o | FileCheck %s --check-prefix=OBJ

#l1 = #dwsep.level<l1>

// The gap8 preset has XpulpV2 (xpulpv2 = 1): the pointwise kernel reads 4
// input channels per word, for the input and the weights, and accumulates
// each of its 2 x 4 register block with one pv.sdotusp.b (ui8 activations
// times i8 weights; GAP8's encoding, major opcode 0x57 = 87, funct3 1,
// funct7 0x54 = 84, from include/dwsep/Kernels/XpulpV2.h) per word. The
// loop over the input words is one hardware loop: lp.setupi (opcode 0x7B =
// 123, funct3 5) with the count 8 / 4 = 2 and its 14-instruction body's
// end 28 halfwords on; the second pixel's word (8 bytes on) and the weight
// rows 1-3 (8, 16, 24 bytes on) with a 4-byte lw (opcode 3), the first
// ones with p.lw and post-increment (opcode 0x0B = 11). The dot products
// of weight row 0, the word loaded last, come last: RI5CY stalls an
// instruction that uses the word loaded just before it. The clamp to
// [0, 255] is one p.clipui with immediate 9 (opcode 0x33 = 51, funct3 2,
// funct7 10, the immediate in the rs2 field). With 4 rows for 8 cores the
// cores share (pixel pair, channel block) units (`_scp`).
// The kernel's name says it is the XpulpV2 code (x_).
// CHECK-LABEL: func.func private @__dwsep_k_x_win_pw_hu8hu8_w2bz_hzuc0p8_scp
// CHECK: memref.view {{.*}} to memref<?x?x2xi32, #dwsep.level<l1>>
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 5, x0, x28, 2\0A.insn i 3, 2, $11, 8($8)\0A.insn i 11, 2, $10, 4($8)\0A.insn i 3, 2, $15, 24($9)\0A.insn i 3, 2, $14, 16($9)\0A.insn i 3, 2, $13, 8($9)\0A.insn i 11, 2, $12, 4($9)\0A.insn r 87, 1, 84, $1, $10, $13\0A.insn r 87, 1, 84, $2, $10, $14\0A.insn r 87, 1, 84, $3, $10, $15\0A.insn r 87, 1, 84, $5, $11, $13\0A.insn r 87, 1, 84, $6, $11, $14\0A.insn r 87, 1, 84, $7, $11, $15\0A.insn r 87, 1, 84, $0, $10, $12\0A.insn r 87, 1, 84, $4, $11, $12", "=r,=r,=r,=r,=r,=r,=r,=r,=r,=r,=&r,=&r,=&r,=&r,=&r,=&r,0,1,2,3,4,5,6,7,8,9"
// CHECK: llvm.inline_asm ".insn r 51, 2, 10, $0, $1, x9", "=r,r"
func.func @pw(%l1: memref<1024xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c128 = arith.constant 128 : index
  %c256 = arith.constant 256 : index
  %c320 = arith.constant 320 : index
  %x = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<4x4x8xui8, #l1>
  %y = memref.view %l1[%c128][] : memref<1024xi8, #l1> to memref<4x4x8xui8, #l1>
  %w = memref.view %l1[%c256][] : memref<1024xi8, #l1> to memref<8x8xi8, #l1>
  %b = memref.view %l1[%c320][] : memref<1024xi8, #l1> to memref<8xi32, #l1>
  dwsep.pointwise ins(%x, %w, %b : memref<4x4x8xui8, #l1>, memref<8x8xi8, #l1>, memref<8xi32, #l1>)
    outs(%y : memref<4x4x8xui8, #l1>) input_zp 3 requant <mult = [1], shift = [3], clamp = [0, 255]>
  return
}

// -----

#l1 = #dwsep.level<l1>

// The depthwise kernel with stride 2: its taps are p.mac (rd += rs1 * rs2:
// opcode 51, funct3 0, funct7 0x21 = 33); a clamp that is not a
// type's whole range is p.min and p.max with the table's bounds (funct7 2,
// funct3 4 and 6).
// CHECK-LABEL: func.func private @__dwsep_k_x_win_dw_hs4w6hs4w3_k3x3s2x2p1_w3b_
// CHECK-NOT: memref.alloca
// CHECK-COUNT-9: llvm.inline_asm ".insn r 51, 0, 33, $0, $1, $2", "=r,r,r,0"
// CHECK: llvm.inline_asm ".insn r 51, 4, 2, $0, $1, $2", "=r,r,r"
// CHECK: llvm.inline_asm ".insn r 51, 6, 2, $0, $1, $2", "=r,r,r"
func.func @dw(%l1: memref<1024xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c144 = arith.constant 144 : index
  %c288 = arith.constant 288 : index
  %c324 = arith.constant 324 : index
  %x = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<6x6x4xi8, #l1>
  %y = memref.view %l1[%c144][] : memref<1024xi8, #l1> to memref<3x3x4xi8, #l1>
  %w = memref.view %l1[%c288][] : memref<1024xi8, #l1> to memref<3x3x4xi8, #l1>
  %b = memref.view %l1[%c324][] : memref<1024xi8, #l1> to memref<4xi32, #l1>
  dwsep.depthwise ins(%x, %w, %b : memref<6x6x4xi8, #l1>, memref<3x3x4xi8, #l1>, memref<4xi32, #l1>)
    outs(%y : memref<3x3x4xi8, #l1>) stride [2, 2] pad [1, 1, 1, 1]
    requant <mult = [1, 2, 3, 4], shift = [3], clamp = [-100, 100]>
  return
}

// -----

#l1 = #dwsep.level<l1>

// Stride 1, HWC, 3 columns: the band kernel. Each core has a band of 3 rows
// of one channel on its stack, 12 bytes wide (1 + 6 + 1 columns, 3 bytes of
// slack, rounded to words); the padding columns hold the zero point (0
// here), written once; an input row is copied by one hardware loop
// (lp.setupi: opcode 123, funct3 5; 3 iterations, a body of 4 instructions)
// of post-incremented byte loads 4 bytes apart (p.lbu: opcode 11, funct3 4;
// the input's channel count) and byte stores (p.sb: opcode 43, funct3 0),
// two bytes per iteration; the
// weights of a row are packed into a word (lanes 0-2) and shifted one lane
// up for the second pixel of a pair. A pair reads 3 unaligned words and
// does 6 pv.sdotsp.b (signed activations: funct7 0x5C = 92); the 6 columns
// are 3 pairs, no single pixel.
// CHECK-LABEL: func.func private @__dwsep_k_x_win_dw_hs4w6hs4w6_k3x3s1x1p1_w3b_
// CHECK: scf.parallel
// CHECK: memref.alloca() : memref<3x12xi8>
// CHECK: arith.shli %{{.*}}, %c8_i32 : i32
// CHECK: scf.for {{.*}} iter_args
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 5, x0, x8, 3\0A.insn i 11, 4, $2, 4($0)\0A.insn i 11, 4, $3, 4($0)\0A.insn s 43, 0, $2, 1($1)\0A.insn s 43, 0, $3, 1($1)", "=r,=r,=&r,=&r,0,1"
// CHECK: scf.for %{{.*}} = %c0 to %c6 step %c2
// CHECK: llvm.inline_asm "lw $0, 0($1)", "=r,r"
// CHECK-NEXT: llvm.inline_asm ".insn r 87, 1, 92, $0, $1, $2", "=r,r,r,0"
// CHECK-NEXT: llvm.inline_asm ".insn r 87, 1, 92, $0, $1, $2", "=r,r,r,0"
// CHECK: llvm.inline_asm "lw $0, 0($1)", "=r,r"
// CHECK-NEXT: llvm.inline_asm ".insn r 87, 1, 92, $0, $1, $2", "=r,r,r,0"
// CHECK-NEXT: llvm.inline_asm ".insn r 87, 1, 92, $0, $1, $2", "=r,r,r,0"
// CHECK: llvm.inline_asm "lw $0, 0($1)", "=r,r"
// CHECK-NEXT: llvm.inline_asm ".insn r 87, 1, 92, $0, $1, $2", "=r,r,r,0"
// CHECK-NEXT: llvm.inline_asm ".insn r 87, 1, 92, $0, $1, $2", "=r,r,r,0"
// CHECK-NOT: llvm.inline_asm "lw
// CHECK: return
func.func @dw_band(%l1: memref<1024xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c144 = arith.constant 144 : index
  %c288 = arith.constant 288 : index
  %c324 = arith.constant 324 : index
  %x = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<6x6x4xi8, #l1>
  %y = memref.view %l1[%c144][] : memref<1024xi8, #l1> to memref<6x6x4xi8, #l1>
  %w = memref.view %l1[%c288][] : memref<1024xi8, #l1> to memref<3x3x4xi8, #l1>
  %b = memref.view %l1[%c324][] : memref<1024xi8, #l1> to memref<4xi32, #l1>
  dwsep.depthwise ins(%x, %w, %b : memref<6x6x4xi8, #l1>, memref<3x3x4xi8, #l1>, memref<4xi32, #l1>)
    outs(%y : memref<6x6x4xi8, #l1>) pad [1, 1, 1, 1]
    requant <mult = [1, 2, 3, 4], shift = [3], clamp = [-100, 100]>
  return
}

// -----

#l1 = #dwsep.level<l1>

// The band kernel with the 32-bit requantization (acc_bound: mode o) in
// its plane form: the gap8 preset's worker stacks (2560 B, half of it a
// kernel's scratch) hold a plane of 106 rows of 12 bytes (1 + 6 + 2
// columns, 3 more that the last word may read), 318 words: every output row
// of this 6-row tile is one chunk. Per channel, the input rows are copied
// by a hardware loop (lp.setup loop 1 over the rows, count in $8): the 2
// bytes up to the plane row's first word boundary (2 padding columns
// before them) by post-incremented p.lbu with the channel stride 4 and
// p.sb, then the other 4 packed into one word (4 p.lbu, pv.packlo.b funct7
// 112, pv.packhi.b 108, one p.sw; a row of more words loops over them with
// lp.setupi), then 6 bytes skipped to the next plane row; the output rows
// are two nested hardware loops: loop 1
// over the rows ($9), loop 0 over the 3 pairs of a row ($10), whose body
// reads the window rows 2 and 1 at the load immediates 24 and 12 and row 0
// with p.lw +2, starts each accumulator with the non-accumulating
// pv.dotsp.b (funct7 76) of row 2 (loaded first), adds rows 0 and 1 with
// pv.sdotsp.b (92), then, each step for both pixels (a mul's result is a
// cycle late), acc * m (mul: funct7 1), p.addN (opcode 91, funct3 2,
// funct7 32: add $11 = r + bias * m, then shift by $19) and the clip,
// p.min / p.max (funct7 2) to [-100, 100] or p.clipi to 8 bits (funct3 1,
// funct7 10) to [-128, 127], and two post-incremented byte
// stores 4 bytes apart (HWC, 4 channels). After the pairs, the 7th
// column's pixel (loads without the increment), then the pointer moves to
// the next row's first window: 12 - 2 x 3 = 6 bytes on. First, per
// channel, its weights as 3 words (lanes 0-2 a window row's weights, lane 3
// zero): 9 p.lbu with the register post-increment ($7, the channel count
// 4, which the taps of [3][3][4] weights are apart; opcode 11, funct3 7,
// funct7 32), a row's first byte into its word $1-$3 and the other two
// into $4 and $5, then pv.packlo.b (lanes 1 and 0) and pv.packhi.b with x0
// (lanes 3 and 2).
// CHECK-LABEL: func.func private @__dwsep_k_x_win_dw_hs4w6hs4w7_k3x3s1x1p2_w3b_ozuc1q_sc
// CHECK: memref.alloca() : memref<318xi32>
// CHECK: llvm.inline_asm has_side_effects ".insn r 11, 7, 32, $1, $0, $7\0A.insn r 11, 7, 32, $4, $0, $7\0A.insn r 11, 7, 32, $5, $0, $7\0A.insn r 87, 1, 112, $1, $4, $1\0A.insn r 87, 1, 108, $1, x0, $5\0A.insn r 11, 7, 32, $2, $0, $7\0A.insn r 11, 7, 32, $4, $0, $7\0A.insn r 11, 7, 32, $5, $0, $7\0A.insn r 87, 1, 112, $2, $4, $2\0A.insn r 87, 1, 108, $2, x0, $5\0A.insn r 11, 7, 32, $3, $0, $7\0A.insn r 11, 7, 32, $4, $0, $7\0A.insn r 11, 7, 32, $5, $0, $7\0A.insn r 87, 1, 112, $3, $4, $3\0A.insn r 87, 1, 108, $3, x0, $5", "=r,=&r,=&r,=&r,=&r,=&r,0,r"
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x1, $8, 24\0A.insn i 11, 4, $2, 4($0)\0A.insn i 11, 4, $3, 4($0)\0A.insn s 43, 0, $2, 1($1)\0A.insn s 43, 0, $3, 1($1)\0A.insn i 11, 4, $2, 4($0)\0A.insn i 11, 4, $3, 4($0)\0A.insn i 11, 4, $4, 4($0)\0A.insn i 11, 4, $5, 4($0)\0A.insn r 87, 1, 112, $2, $3, $2\0A.insn r 87, 1, 108, $2, $5, $4\0A.insn s 43, 2, $2, 4($1)\0A.insn i 19, 0, $1, $1, 6", "=r,=r,=&r,=&r,=&r,=&r,0,1,r"
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x1, $9, 64\0A.insn i 123, 4, x0, $10, 38\0A.insn i 3, 2, $4, 24($0)\0A.insn i 3, 2, $3, 12($0)\0A.insn i 11, 2, $2, 2($0)\0A.insn r 87, 1, 76, $5, $4, $14\0A.insn r 87, 1, 76, $6, $4, $17\0A.insn r 87, 1, 92, $5, $2, $12\0A.insn r 87, 1, 92, $6, $2, $15\0A.insn r 87, 1, 92, $5, $3, $13\0A.insn r 87, 1, 92, $6, $3, $16\0A.insn r 51, 0, 1, $5, $5, $18\0A.insn r 51, 0, 1, $6, $6, $18\0A.insn r 91, 2, 32, $5, $11, $19\0A.insn r 91, 2, 32, $6, $11, $19\0A.insn r 51, 4, 2, $5, $5, $21\0A.insn r 51, 4, 2, $6, $6, $21\0A.insn r 51, 6, 2, $5, $5, $20\0A.insn r 51, 6, 2, $6, $6, $20\0A.insn s 43, 0, $5, 4($1)\0A.insn s 43, 0, $6, 4($1)\0A.insn i 3, 2, $4, 24($0)\0A.insn i 3, 2, $3, 12($0)\0A.insn i 3, 2, $2, 0($0)\0A.insn r 87, 1, 76, $5, $4, $14\0A.insn r 87, 1, 92, $5, $2, $12\0A.insn r 87, 1, 92, $5, $3, $13\0A.insn r 51, 0, 1, $5, $5, $18\0A.insn r 91, 2, 32, $5, $11, $19\0A.insn r 51, 4, 2, $5, $5, $21\0A.insn r 51, 6, 2, $5, $5, $20\0A.insn s 43, 0, $5, 4($1)\0A.insn i 19, 0, $0, $0, 6", "=r,=r,=&r,=&r,=&r,=&r,=&r,0,1,r,r,r,r,r,r,r,r,r,r,r,r,r" %{{.*}}, %{{.*}}, %{{.*}}, %c3_i32,
// CHECK-NOT: llvm.inline_asm "lw
// CHECK-LABEL: func.func private @__dwsep_k_x_win_dw_hs4w6hs4w7_k3x3s1x1p2_w3b_ozuc1s8q_sc
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x1, $9, 58\0A.insn i 123, 4, x0, $10, 34\0A{{.*}}\0A.insn r 91, 2, 32, $5, $11, $19\0A.insn r 91, 2, 32, $6, $11, $19\0A.insn r 51, 1, 10, $5, $5, x8\0A.insn r 51, 1, 10, $6, $6, x8\0A.insn s 43, 0, $5, 4($1)\0A.insn s 43, 0, $6, 4($1)\0A{{.*}}\0A.insn i 19, 0, $0, $0, 6"
func.func @dw_band_o(%l1: memref<1024xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c144 = arith.constant 144 : index
  %c288 = arith.constant 288 : index
  %c324 = arith.constant 324 : index
  %x = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<6x6x4xi8, #l1>
  %y = memref.view %l1[%c144][] : memref<1024xi8, #l1> to memref<6x7x4xi8, #l1>
  %w = memref.view %l1[%c288][] : memref<1024xi8, #l1> to memref<3x3x4xi8, #l1>
  %b = memref.view %l1[%c324][] : memref<1024xi8, #l1> to memref<4xi32, #l1>
  dwsep.depthwise ins(%x, %w, %b : memref<6x6x4xi8, #l1>, memref<3x3x4xi8, #l1>, memref<4xi32, #l1>)
    outs(%y : memref<6x7x4xi8, #l1>) pad [1, 2, 1, 1]
    requant <mult = [1, 2, 3, 4], shift = [3], clamp = [-100, 100], acc_bound = 5000>
  dwsep.depthwise ins(%x, %w, %b : memref<6x6x4xi8, #l1>, memref<3x3x4xi8, #l1>, memref<4xi32, #l1>)
    outs(%y : memref<6x7x4xi8, #l1>) pad [1, 2, 1, 1]
    requant <mult = [1, 2, 3, 4], shift = [3], clamp = [-128, 127], acc_bound = 5000>
  return
}

// -----

#l1 = #dwsep.level<l1>

// Stride 2 with the 32-bit requantization takes the plane too: the copy
// (of an 8-column row after 1 padding column: 3 bytes, one packed word, 1
// byte, 4 bytes skipped to the next 12-byte plane row) and the output
// rows' nested loops, 4 pixels an iteration from aligned words (rows of 4
// pixels: one iteration, no tail). The pointer runs 8 bytes ahead of the
// window of the iteration's first pixel; per output row, the A words (the
// window's columns 0-3) of rows 2, 1, 0 at 2 x 12 - 8, 12 - 8 and -8; per
// iteration, the B words (columns 4-7) at 20, 8, -4; pixel 0 as A . W
// (pv.dotusp.b of row 2, then 2 pv.sdotusp.b: unsigned input, funct7 68,
// 84; weights $15-$17), pixel 1 as A . (W << 16) + B . (W >> 16) ($18-$20
// and $23-$25, row 2's pair first); then the C words (columns 8-11) into
// A's registers (row 0 with p.lw +8, the next iteration's A); the two
// pixels' muls, then their p.addN and p.clipui to [0, 255] (funct3 2, x9), byte
// stores; pixels 2 (B . W) and 3 (B . (W << 16) + C . (W >> 16)) the same
// way. The next output row's windows are 2 plane rows down: 2 x 12 - 8 =
// 16 bytes on.
// CHECK-LABEL: func.func private @__dwsep_k_x_win_dw_hu4w8hu4w4_k3x3s2x2p1_w3bz_ozuc1p8q_sc
// CHECK: memref.alloca() : memref<318xi32>
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x1, $8, 32\0A.insn i 11, 4, $2, 4($0)\0A.insn i 11, 4, $3, 4($0)\0A.insn i 11, 4, $4, 4($0)\0A.insn s 43, 0, $2, 1($1)\0A.insn s 43, 0, $3, 1($1)\0A.insn s 43, 0, $4, 1($1)\0A.insn i 11, 4, $2, 4($0)\0A.insn i 11, 4, $3, 4($0)\0A.insn i 11, 4, $4, 4($0)\0A.insn i 11, 4, $5, 4($0)\0A.insn r 87, 1, 112, $2, $3, $2\0A.insn r 87, 1, 108, $2, $5, $4\0A.insn s 43, 2, $2, 4($1)\0A.insn i 11, 4, $2, 4($0)\0A.insn s 43, 0, $2, 1($1)\0A.insn i 19, 0, $1, $1, 4", "=r,=r,=&r,=&r,=&r,=&r,0,1,r"
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x1, $12, 90\0A.insn i 3, 2, $4, 16($0)\0A.insn i 3, 2, $3, 4($0)\0A.insn i 3, 2, $2, -8($0)\0A.insn i 123, 4, x0, $13, 80\0A.insn i 3, 2, $7, 20($0)\0A.insn i 3, 2, $6, 8($0)\0A.insn i 3, 2, $5, -4($0)\0A.insn r 87, 1, 68, $8, $4, $17\0A.insn r 87, 1, 84, $8, $3, $16\0A.insn r 87, 1, 84, $8, $2, $15\0A.insn r 87, 1, 68, $9, $4, $20\0A.insn r 87, 1, 84, $9, $7, $25\0A.insn r 87, 1, 84, $9, $3, $19\0A.insn r 87, 1, 84, $9, $6, $24\0A.insn r 87, 1, 84, $9, $2, $18\0A.insn r 87, 1, 84, $9, $5, $23\0A.insn i 3, 2, $4, 24($0)\0A.insn i 3, 2, $3, 12($0)\0A.insn i 11, 2, $2, 8($0)\0A.insn r 51, 0, 1, $8, $8, $21\0A.insn r 51, 0, 1, $9, $9, $21\0A.insn r 91, 2, 32, $8, $14, $22\0A.insn r 91, 2, 32, $9, $14, $22\0A.insn r 51, 2, 10, $8, $8, x9\0A.insn r 51, 2, 10, $9, $9, x9\0A.insn s 43, 0, $8, 4($1)\0A.insn s 43, 0, $9, 4($1)\0A.insn r 87, 1, 68, $8, $7, $17\0A.insn r 87, 1, 84, $8, $6, $16\0A.insn r 87, 1, 84, $8, $5, $15\0A.insn r 87, 1, 68, $9, $7, $20\0A.insn r 87, 1, 84, $9, $4, $25\0A.insn r 87, 1, 84, $9, $6, $19\0A.insn r 87, 1, 84, $9, $3, $24\0A.insn r 87, 1, 84, $9, $5, $18\0A.insn r 87, 1, 84, $9, $2, $23\0A.insn r 51, 0, 1, $8, $8, $21\0A.insn r 51, 0, 1, $9, $9, $21\0A.insn r 91, 2, 32, $8, $14, $22\0A.insn r 91, 2, 32, $9, $14, $22\0A.insn r 51, 2, 10, $8, $8, x9\0A.insn r 51, 2, 10, $9, $9, x9\0A.insn s 43, 0, $8, 4($1)\0A.insn s 43, 0, $9, 4($1)\0A.insn i 19, 0, $0, $0, 16", "=r,=r,=&r,=&r,=&r,=&r,=&r,=&r,=&r,=&r,0,1,r,r,r,r,r,r,r,r,r,r,r,r,r,r"
// CHECK-NOT: llvm.inline_asm "lw
// CHECK: return
func.func @dw_band_s2(%l1: memref<1024xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c160 = arith.constant 160 : index
  %c288 = arith.constant 288 : index
  %c324 = arith.constant 324 : index
  %x = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<5x8x4xui8, #l1>
  %y = memref.view %l1[%c160][] : memref<1024xi8, #l1> to memref<2x4x4xui8, #l1>
  %w = memref.view %l1[%c288][] : memref<1024xi8, #l1> to memref<3x3x4xi8, #l1>
  %b = memref.view %l1[%c324][] : memref<1024xi8, #l1> to memref<4xi32, #l1>
  dwsep.depthwise ins(%x, %w, %b : memref<5x8x4xui8, #l1>, memref<3x3x4xi8, #l1>, memref<4xi32, #l1>)
    outs(%y : memref<2x4x4xui8, #l1>) stride [2, 2] pad [0, 1, 0, 0] input_zp 3
    requant <mult = [1, 2, 3, 4], shift = [3], zp = 5, clamp = [0, 255], acc_bound = 5000>
  return
}

// -----

#l1 = #dwsep.level<l1>

// A 16-column row of an HWC channel after 1 padding column: the copy takes
// 3 bytes to the plane row's word boundary, then 3 packed words in a
// hardware loop (lp.setupi loop 0, 7 instructions, count 3), then 1 byte.
// CHECK-LABEL: func.func private @__dwsep_k_x_win_dw_hu4w16hu4w8_k3x3s2x2p1_w3bz_ozuc1p8q_sc
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x1, $8, 34\0A.insn i 11, 4, $2, 4($0)\0A.insn i 11, 4, $3, 4($0)\0A.insn i 11, 4, $4, 4($0)\0A.insn s 43, 0, $2, 1($1)\0A.insn s 43, 0, $3, 1($1)\0A.insn s 43, 0, $4, 1($1)\0A.insn i 123, 5, x0, x14, 3\0A.insn i 11, 4, $2, 4($0)\0A.insn i 11, 4, $3, 4($0)\0A.insn i 11, 4, $4, 4($0)\0A.insn i 11, 4, $5, 4($0)\0A.insn r 87, 1, 112, $2, $3, $2\0A.insn r 87, 1, 108, $2, $5, $4\0A.insn s 43, 2, $2, 4($1)\0A.insn i 11, 4, $2, 4($0)\0A.insn s 43, 0, $2, 1($1)\0A.insn i 19, 0, $1, $1, 4", "=r,=r,=&r,=&r,=&r,=&r,0,1,r"
func.func @dw_band_s2_wide(%l1: memref<1024xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c320 = arith.constant 320 : index
  %c384 = arith.constant 384 : index
  %c420 = arith.constant 420 : index
  %x = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<5x16x4xui8, #l1>
  %y = memref.view %l1[%c320][] : memref<1024xi8, #l1> to memref<2x8x4xui8, #l1>
  %w = memref.view %l1[%c384][] : memref<1024xi8, #l1> to memref<3x3x4xi8, #l1>
  %b = memref.view %l1[%c420][] : memref<1024xi8, #l1> to memref<4xi32, #l1>
  dwsep.depthwise ins(%x, %w, %b : memref<5x16x4xui8, #l1>, memref<3x3x4xi8, #l1>, memref<4xi32, #l1>)
    outs(%y : memref<2x8x4xui8, #l1>) stride [2, 2] pad [0, 1, 0, 0] input_zp 3
    requant <mult = [1, 2, 3, 4], shift = [3], zp = 5, clamp = [0, 255], acc_bound = 5000>
  return
}

// -----

#l1 = #dwsep.level<l1>

// A fused PW->DW tile with a CHW intermediate (variant 6, split by
// channels) with the 32-bit requantization: the pointwise half writes the
// intermediate (offset 1024) with the row loop, each channel a plane apart;
// that distance is a tile size known at run time, so the kernel stores it
// once at word 12 of the requantization buffer (13 words) and the asm
// loads it ($19, free after the dot products) and advances a pointer ($20)
// by it for channels 1-3 (one add each: rs1 the output pointer $18, then
// $20), storing pixel p at p($20); the output pointer moves 4 pixels (4
// bytes) a block. The depthwise half reads the CHW intermediate through
// the plane form: its rows copied two words an iteration.
// CHECK-LABEL: func.func @fused_chw_mid
// CHECK: call @__dwsep_k_x_win_pw_hu8cu8_w2b_ozuc0p8_sc(%arg0, %c0, %c4, %c8, %c8, %c1024,
// CHECK: call @__dwsep_k_x_win_dw_cu8hu8w8_k3x3s1x1p1_w3bz_ozuc0p8_sc(%arg0, %c1024,
// CHECK-LABEL: func.func private @__dwsep_k_x_win_pw_hu8cu8_w2b_ozuc0p8_sc
// CHECK: [[BUF:%.*]] = memref.alloca() : memref<13xi32>
// CHECK: memref.store %{{.*}}, [[BUF]][%c12] : memref<13xi32>
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x1, $0, 256\0A{{.*}}.insn r 87, 1, 84, $12, $22, $23\0A.insn i 3, 2, $23, 16($31)\0A.insn i 3, 2, $25, 32($31)\0A.insn i 3, 2, $19, 48($31)\0A.insn i 3, 2, $24, 0($31)\0A.insn r 51, 0, 1, $0, $0, $23\0A.insn r 51, 0, 1, $4, $4, $23\0A{{.*}}.insn r 91, 2, 32, $0, $24, $25\0A{{.*}}.insn r 51, 2, 10, $12, $12, x9\0A.insn s 35, 0, $0, 0($18)\0A{{.*}}.insn s 35, 0, $12, 3($18)\0A.insn i 3, 2, $24, 4($31)\0A.insn r 51, 0, 0, $20, $18, $19\0A{{.*}}.insn s 35, 0, $1, 0($20)\0A{{.*}}.insn i 3, 2, $24, 8($31)\0A.insn r 51, 0, 0, $20, $20, $19\0A{{.*}}.insn s 35, 0, $15, 3($20)\0A.insn i 19, 0, $16, $16, 24\0A.insn i 19, 0, $17, $17, -8\0A.insn i 19, 0, $18, $18, 4"
// CHECK-LABEL: func.func private @__dwsep_k_x_win_dw_cu8hu8w8_k3x3s1x1p1_w3bz_ozuc0p8_sc
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x1, $6, 12\0A.insn i 123, 5, x0, x8, 1\0A.insn i 11, 2, $2, 4($0)\0A.insn i 11, 2, $3, 4($0)\0A.insn s 43, 2, $2, 4($1)\0A.insn s 43, 2, $3, 4($1)\0A.insn i 19, 0, $1, $1, 8"
func.func @fused_chw_mid(%l1: memref<4096xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c256 = arith.constant 256 : index
  %c512 = arith.constant 512 : index
  %c576 = arith.constant 576 : index
  %c608 = arith.constant 608 : index
  %c680 = arith.constant 680 : index
  %x = memref.view %l1[%c0][] : memref<4096xi8, #l1> to memref<4x8x8xui8, #l1>
  %y = memref.view %l1[%c256][] : memref<4096xi8, #l1> to memref<4x8x8xui8, #l1>
  %pww = memref.view %l1[%c512][] : memref<4096xi8, #l1> to memref<8x8xi8, #l1>
  %pwb = memref.view %l1[%c576][] : memref<4096xi8, #l1> to memref<8xi32, #l1>
  %dww = memref.view %l1[%c608][] : memref<4096xi8, #l1> to memref<3x3x8xi8, #l1>
  %dwb = memref.view %l1[%c680][] : memref<4096xi8, #l1> to memref<8xi32, #l1>
  dwsep.fused ins(%x : memref<4x8x8xui8, #l1>) dw(%dww, %dwb : memref<3x3x8xi8, #l1>, memref<8xi32, #l1>)
    pw(%pww, %pwb : memref<8x8xi8, #l1>, memref<8xi32, #l1>) outs(%y : memref<4x8x8xui8, #l1>)
    variant <pw_dw, input = hwc, mid = chw, output = hwc, split = channels> mid_type ui8 pad [1, 1, 1, 1]
    dw_requant <mult = [3], shift = [9], zp = 7, clamp = [0, 255], acc_bound = 5000>
    pw_requant <mult = [5], shift = [8], zp = 9, clamp = [0, 255], acc_bound = 5000>
    scratch_offset 1024
  return
}

// -----

// Where the plane holds fewer than 2 output rows (worker stacks of 1024 B,
// 512 B of scratch; a 130-column input makes 136-byte rows, 3 of them) the
// band stays a ring of kh rows on the stack: an output row copies the row
// entering the window (one hardware loop, 65 pairs) and its 65 pixel pairs
// are one hardware loop over 3 post-incremented row pointers (the row loop
// of emitDepthwiseRowLoop, 17 instructions a pair).
// CHECK-LABEL: func.func private @__dwsep_k_x_win_dw_hs4w130hs4w130_k3x3s1x1p1_w3b_ozuc1s8q_sc
// CHECK: memref.alloca() : memref<3x136xi8>
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 5, x0, x8, 65\0A
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x0, $13, 34\0A.insn i 11, 2, $4, 2($0)\0A.insn i 11, 2, $5, 2($1)\0A.insn i 11, 2, $6, 2($2)\0A.insn r 87, 1, 76, $7, $4, $15\0A
// CHECK-SAME: %c65_i32
module attributes {dwsep.target = #dwsep.target<"gap8", stack_worker = 1024>} {
func.func @dw_ring(%l1: memref<4096xi8, #dwsep.level<l1>>) {
  %c0 = arith.constant 0 : index
  %c1040 = arith.constant 1040 : index
  %c2080 = arith.constant 2080 : index
  %c2116 = arith.constant 2116 : index
  %x = memref.view %l1[%c0][] : memref<4096xi8, #dwsep.level<l1>> to memref<2x130x4xi8, #dwsep.level<l1>>
  %y = memref.view %l1[%c1040][] : memref<4096xi8, #dwsep.level<l1>> to memref<2x130x4xi8, #dwsep.level<l1>>
  %w = memref.view %l1[%c2080][] : memref<4096xi8, #dwsep.level<l1>> to memref<3x3x4xi8, #dwsep.level<l1>>
  %b = memref.view %l1[%c2116][] : memref<4096xi8, #dwsep.level<l1>> to memref<4xi32, #dwsep.level<l1>>
  dwsep.depthwise ins(%x, %w, %b : memref<2x130x4xi8, #dwsep.level<l1>>, memref<3x3x4xi8, #dwsep.level<l1>>, memref<4xi32, #dwsep.level<l1>>)
    outs(%y : memref<2x130x4xi8, #dwsep.level<l1>>) pad [1, 1, 1, 1]
    requant <mult = [1, 2, 3, 4], shift = [3], clamp = [-128, 127], acc_bound = 5000>
  return
}
}

// -----

#l1 = #dwsep.level<l1>

// A CHW depthwise 3x3: an interior pixel reads each of its 3 window rows as
// one unaligned word (lw) and accumulates it with one pv.sdotusp.b against
// the row's weights packed into a word (lanes 0-2, lane 3 zero: shifts by 8
// and 16); the last interior column and the borders keep p.mac per tap.
// CHECK-LABEL: func.func private @__dwsep_k_x_win_dw_cu8cu8_k3x3s1x1p1_w3bz_
// CHECK: arith.shli %{{.*}}, %c8_i32 : i32
// CHECK: arith.shli %{{.*}}, %c16_i32 : i32
// CHECK: scf.for
// CHECK-COUNT-3: llvm.inline_asm ".insn r 87, 1, 84, $0, $1, $2", "=r,r,r,0"
// CHECK: llvm.inline_asm ".insn r 51, 0, 33, $0, $1, $2", "=r,r,r,0"
func.func @dw_chw(%l1: memref<1024xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c256 = arith.constant 256 : index
  %c512 = arith.constant 512 : index
  %c560 = arith.constant 560 : index
  %x = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<4x8x8xui8, #l1>
  %y = memref.view %l1[%c256][] : memref<1024xi8, #l1> to memref<4x8x8xui8, #l1>
  %w = memref.view %l1[%c512][] : memref<1024xi8, #l1> to memref<3x3x4xi8, #l1>
  %b = memref.view %l1[%c560][] : memref<1024xi8, #l1> to memref<4xi32, #l1>
  dwsep.depthwise ins(%x, %w, %b : memref<4x8x8xui8, #l1>, memref<3x3x4xi8, #l1>, memref<4xi32, #l1>)
    outs(%y : memref<4x8x8xui8, #l1>) layout <chw> stride [1, 1] pad [1, 1, 1, 1] input_zp 5
    requant <mult = [1], shift = [3], clamp = [0, 255]>
  return
}

// -----

#l1 = #dwsep.level<l1>

// A CHW depthwise with the 32-bit requantization takes the plane form of
// the band kernel: a channel's rows are contiguous, so the copy moves them
// a word at a time (plane rows of 20 bytes: 1 + 13 + 3 columns and 3 the
// last word may read): loop 1 over the rows ($6), loop 0 once over two
// words of the 13-byte row (p.lw +4 twice, then p.sw +4 twice: funct3 2),
// then a word and a byte, 7 bytes skipped to the next plane row; the
// output rows are the HWC kernel's loops with the store step 1 (CHW
// output) and the window rows 20 bytes apart. Per channel, before the
// copy: the weight rows (p.lbu, packed), then zp * sum w as three
// pv.sdotusp.b of the rows with the zero point in every lane (funct7 84).
// CHECK-LABEL: func.func private @__dwsep_k_x_win_dw_cu13cu13_k3x3s1x1p1_w3bz_ozuc1p8q_sc
// CHECK: memref.alloca() : memref<320xi32>
// CHECK: llvm.inline_asm has_side_effects ".insn r 11, 7, 32, $1, $0, $7
// CHECK-COUNT-3: llvm.inline_asm ".insn r 87, 1, 84, $0, $1, $2"
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x1, $6, 20\0A.insn i 123, 5, x0, x8, 1\0A.insn i 11, 2, $2, 4($0)\0A.insn i 11, 2, $3, 4($0)\0A.insn s 43, 2, $2, 4($1)\0A.insn s 43, 2, $3, 4($1)\0A.insn i 11, 2, $2, 4($0)\0A.insn s 43, 2, $2, 4($1)\0A.insn i 11, 4, $2, 1($0)\0A.insn s 43, 0, $2, 1($1)\0A.insn i 19, 0, $1, $1, 7", "=r,=r,=&r,=&r,0,1,r"
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x1, $9, 58\0A.insn i 123, 4, x0, $10, 34\0A.insn i 3, 2, $4, 40($0)\0A.insn i 3, 2, $3, 20($0)\0A.insn i 11, 2, $2, 2($0)\0A{{.*}}.insn s 43, 0, $5, 1($1)\0A.insn s 43, 0, $6, 1($1)\0A
// CHECK-NOT: llvm.inline_asm "lw
// CHECK: return
func.func @dw_chw_plane(%l1: memref<1024xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c312 = arith.constant 312 : index
  %c624 = arith.constant 624 : index
  %c660 = arith.constant 660 : index
  %x = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<4x6x13xui8, #l1>
  %y = memref.view %l1[%c312][] : memref<1024xi8, #l1> to memref<4x6x13xui8, #l1>
  %w = memref.view %l1[%c624][] : memref<1024xi8, #l1> to memref<3x3x4xi8, #l1>
  %b = memref.view %l1[%c660][] : memref<1024xi8, #l1> to memref<4xi32, #l1>
  dwsep.depthwise ins(%x, %w, %b : memref<4x6x13xui8, #l1>, memref<3x3x4xi8, #l1>, memref<4xi32, #l1>)
    outs(%y : memref<4x6x13xui8, #l1>) layout <chw> stride [1, 1] pad [1, 1, 1, 1] input_zp 3
    requant <mult = [1, 2, 3, 4], shift = [3], zp = 5, clamp = [0, 255], acc_bound = 5000>
  return
}

// -----

#l1 = #dwsep.level<l1>

// The same layer with its zero point folded into the bias at compile time
// (zp_folded, --dwsep-fold-zero-points): a kernel of its own ("zf"), whose
// channels take the bias as it is: no dot products of the zero point
// between the weight rows and the copy; the copy still pads with zp.
// CHECK-LABEL: func.func private @__dwsep_k_x_win_dw_cu13cu13_k3x3s1x1p1_w3bzf_ozuc1p8q_sc
// CHECK: memref.alloca() : memref<320xi32>
// CHECK: llvm.inline_asm has_side_effects ".insn r 11, 7, 32, $1, $0, $7
// CHECK-NOT: ".insn r 87, 1, 84, $0, $1, $2"
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x1, $6, 20\0A
// CHECK: return
func.func @dw_chw_plane_zp_folded(%l1: memref<1024xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c312 = arith.constant 312 : index
  %c624 = arith.constant 624 : index
  %c660 = arith.constant 660 : index
  %x = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<4x6x13xui8, #l1>
  %y = memref.view %l1[%c312][] : memref<1024xi8, #l1> to memref<4x6x13xui8, #l1>
  %w = memref.view %l1[%c624][] : memref<1024xi8, #l1> to memref<3x3x4xi8, #l1>
  %b = memref.view %l1[%c660][] : memref<1024xi8, #l1> to memref<4xi32, #l1>
  dwsep.depthwise ins(%x, %w, %b : memref<4x6x13xui8, #l1>, memref<3x3x4xi8, #l1>, memref<4xi32, #l1>)
    outs(%y : memref<4x6x13xui8, #l1>) layout <chw> stride [1, 1] pad [1, 1, 1, 1] input_zp 3 zp_folded
    requant <mult = [1, 2, 3, 4], shift = [3], zp = 5, clamp = [0, 255], acc_bound = 5000>
  return
}

// -----

#l1 = #dwsep.level<l1>

// A linear layer (16 input channels, 6 outputs, no zero point): the output
// channels in blocks of 4, each one hardware loop of 16 / 4 = 4 words with
// 1 + 4 loads (weight rows 16 bytes apart) and 4 pv.sdotsp.b (signed input:
// funct7 0x5C = 92), row 0's (loaded last) last; the remainder channels
// one at a time (count 4, one load of each and one dot product).
// CHECK-LABEL: func.func private @__dwsep_k_x_win_conv_hsf16hsf6_k1x1s1x1p0_w2b_
// CHECK: scf.parallel
// CHECK: scf.for
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 5, x0, x18, 4\0A.insn i 11, 2, $6, 4($4)\0A.insn i 3, 2, $10, 48($5)\0A.insn i 3, 2, $9, 32($5)\0A.insn i 3, 2, $8, 16($5)\0A.insn i 11, 2, $7, 4($5)\0A.insn r 87, 1, 92, $1, $6, $8\0A.insn r 87, 1, 92, $2, $6, $9\0A.insn r 87, 1, 92, $3, $6, $10\0A.insn r 87, 1, 92, $0, $6, $7"
// CHECK: scf.for
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 5, x0, x6, 4\0A.insn i 11, 2, $3, 4($1)\0A.insn i 11, 2, $4, 4($2)\0A.insn r 87, 1, 92, $0, $3, $4"
func.func @linear(%l1: memref<1024xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %c128 = arith.constant 128 : index
  %x = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<16xi8, #l1>
  %y = memref.view %l1[%c16][] : memref<1024xi8, #l1> to memref<6xi8, #l1>
  %w = memref.view %l1[%c32][] : memref<1024xi8, #l1> to memref<6x16xi8, #l1>
  %b = memref.view %l1[%c128][] : memref<1024xi8, #l1> to memref<6xi32, #l1>
  dwsep.linear ins(%x, %w, %b : memref<16xi8, #l1>, memref<6x16xi8, #l1>, memref<6xi32, #l1>)
    outs(%y : memref<6xi8, #l1>) requant <mult = [1], shift = [3], clamp = [-128, 127]>
  return
}

// -----

#l1 = #dwsep.level<l1>

// Linear's accumulate form (an input-feature slice of a K-tiled layer): the
// same dot loops, the bias read from the i32 accumulators and each raw sum
// stored back with one sw (no requantization: no multiply, shift or clip),
// in a kernel of its own (_acc).
// CHECK-LABEL: func.func private @__dwsep_k_x_win_conv_hsf16hsf6_k1x1s1x1p0_w2b_{{.*}}_acc(
// CHECK: scf.parallel
// CHECK: memref.load %{{.*}} : memref<6xi32
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 5, x0, x18, 4
// CHECK-NOT: arith.shrsi
// CHECK-NOT: arith.muli
// CHECK: memref.store %{{.*}} : memref<6xi32
// CHECK: memref.store %{{.*}} : memref<6xi32
// CHECK: memref.store %{{.*}} : memref<6xi32
// CHECK: memref.store %{{.*}} : memref<6xi32
// CHECK-NOT: arith.shrsi
// CHECK: scf.reduce
func.func @linear_acc(%l1: memref<1024xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c128 = arith.constant 128 : index
  %c32 = arith.constant 32 : index
  %x = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<16xi8, #l1>
  %w = memref.view %l1[%c32][] : memref<1024xi8, #l1> to memref<6x16xi8, #l1>
  %acc = memref.view %l1[%c128][] : memref<1024xi8, #l1> to memref<6xi32, #l1>
  dwsep.linear ins(%x, %w, %acc : memref<16xi8, #l1>, memref<6x16xi8, #l1>, memref<6xi32, #l1>)
    outs(%acc : memref<6xi32, #l1>) requant <mult = [1], shift = [0], clamp = [-2147483648, 2147483647]>
  return
}

// -----

#l1 = #dwsep.level<l1>

// A linear layer of 6 output channels and 1024 features on 8 cores
// (linearSplitsInputs): the 256 input words dealt to the cores, 32 each;
// every core computes all 6 channels over its words (a block of 4, then 2
// channels one at a time; hardware loops counted by a register, lp.setup)
// into its row of partial sums on core 0's stack (8 rows of 16 words);
// after the fork core 0 adds the 8 rows to the bias and requantizes.
// CHECK-LABEL: func.func private @__dwsep_k_x_win_conv_hsf1024hsf6_{{.*}}_sck(
// CHECK: %[[P:.*]] = memref.alloca() : memref<128xi32>
// CHECK: scf.parallel (%{{.*}}) = (%c0) to (%c8) step (%c1) {
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x0,
// CHECK-COUNT-4: memref.store %{{.*}}, %[[P]][%{{.*}}] : memref<128xi32>
// CHECK: scf.for %{{.*}} = %c4 to %c6 step %c1 {
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x0,
// CHECK: memref.store %{{.*}}, %[[P]][%{{.*}}] : memref<128xi32>
// CHECK: scf.reduce
// CHECK: scf.for %[[OC:.*]] = %c0 to %c6 step %c1 {
// CHECK: memref.load %{{.*}}[%[[OC]]] : memref<6xi32
// CHECK-COUNT-8: memref.load %[[P]]
// CHECK: memref.store %{{.*}} : memref<6xi8
func.func @linear_split_inputs(%l1: memref<8192xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c1024 = arith.constant 1024 : index
  %c1032 = arith.constant 1032 : index
  %c1056 = arith.constant 1056 : index
  %x = memref.view %l1[%c0][] : memref<8192xi8, #l1> to memref<1024xi8, #l1>
  %y = memref.view %l1[%c1024][] : memref<8192xi8, #l1> to memref<6xi8, #l1>
  %b = memref.view %l1[%c1032][] : memref<8192xi8, #l1> to memref<6xi32, #l1>
  %w = memref.view %l1[%c1056][] : memref<8192xi8, #l1> to memref<6x1024xi8, #l1>
  dwsep.linear ins(%x, %w, %b : memref<1024xi8, #l1>, memref<6x1024xi8, #l1>, memref<6xi32, #l1>)
    outs(%y : memref<6xi8, #l1>) requant <mult = [3], shift = [9], clamp = [-128, 127]>
  return
}

// -----

#l1 = #dwsep.level<l1>

// A pointwise layer over one pixel (a classifier after global pooling, CHW
// here) is the linear kernel, input and output as vectors: 40 channels,
// dealt to the cores by output channels (blocks of 4 channels, one hardware
// loop each).
// CHECK-LABEL: func.func private @__dwsep_k_x_win_conv_hsf64hsf40_k1x1s1x1p0_w2b_{{.*}}_sc(
// CHECK-NOT: memref.alloca
// CHECK: scf.parallel (%{{.*}}) = (%c0) to (%c8) step (%c1) {
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 5, x0,
func.func @pointwise_one_pixel(%l1: memref<8192xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %c512 = arith.constant 512 : index
  %x = memref.view %l1[%c0][] : memref<8192xi8, #l1> to memref<64x1x1xi8, #l1>
  %y = memref.view %l1[%c64][] : memref<8192xi8, #l1> to memref<40x1x1xi8, #l1>
  %b = memref.view %l1[%c128][] : memref<8192xi8, #l1> to memref<40xi32, #l1>
  %w = memref.view %l1[%c512][] : memref<8192xi8, #l1> to memref<40x64xi8, #l1>
  dwsep.pointwise ins(%x, %w, %b : memref<64x1x1xi8, #l1>, memref<40x64xi8, #l1>, memref<40xi32, #l1>)
    outs(%y : memref<40x1x1xi8, #l1>) layout <chw> requant <mult = [3], shift = [9], clamp = [-128, 127]>
  return
}

// -----

#l1 = #dwsep.level<l1>

// A hardware loop of 10000 / 4 = 2500 steps: lp.setupi's count is a 12-bit
// unsigned field, which `.insn i` takes signed, so 2500 is written as
// 2500 - 4096 = -1596 (the same bits; 2048 and more did not assemble). (One
// core: on 8 the features would be dealt to the cores, linear_split_inputs.)
// CHECK-LABEL: func.func private @__dwsep_k_x_win_conv_hsf10000hsf1_
// CHECK-SAME: _sc(
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 5, x0, x{{[0-9]+}}, -1596
module attributes {dwsep.target = #dwsep.target<"gap8", cores = 1>} {
func.func @linear_long(%l1: memref<16384xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c10000 = arith.constant 10000 : index
  %c10004 = arith.constant 10004 : index
  %c10008 = arith.constant 10008 : index
  %x = memref.view %l1[%c0][] : memref<16384xi8, #l1> to memref<10000xi8, #l1>
  %y = memref.view %l1[%c10000][] : memref<16384xi8, #l1> to memref<1xi8, #l1>
  %b = memref.view %l1[%c10004][] : memref<16384xi8, #l1> to memref<1xi32, #l1>
  %w = memref.view %l1[%c10008][] : memref<16384xi8, #l1> to memref<1x10000xi8, #l1>
  dwsep.linear ins(%x, %w, %b : memref<10000xi8, #l1>, memref<1x10000xi8, #l1>, memref<1xi32, #l1>)
    outs(%y : memref<1xi8, #l1>) requant <mult = [1], shift = [3], clamp = [-128, 127]>
  return
}
}

// -----

#l1 = #dwsep.level<l1>

// A first layer's conv (3 input channels): an interior pixel's tap is one
// unaligned word of the input (lw; GAP8 loads unaligned words) and one word
// of the weights with lane 3 cleared (mask 0xFFFFFF), one pv.sdotusp.b. The
// input is 8 pixels wide: each tap is an immediate offset from the window's
// first byte (rows 24 bytes apart, pixels 3); a window row's 3 words are
// loaded while the previous row's are used (no load-use stall, 6 words
// live). The last row's interior pixels (pad bottom: their third window row
// is outside) run the same loop with one pointer per window row: the row
// outside points at the zero-point words on the core's stack (an alloca of 3
// words holding the run-time zp's byte times 0x01010101) and does not
// advance. Only the border columns (pad right) test each tap and read the
// zero-point word outside the input, in a loop of their own.
// CHECK-LABEL: func.func private @__dwsep_k_x_win_conv_hu3w8hu8_k3x3s2x2p0_w4_ic3bz_
// CHECK: [[ZPW:%.*]] = arith.muli %{{.*}}, %c16843009_i32 : i32
// CHECK: [[ZPS:%.*]] = memref.alloca() : memref<3xi32>
// CHECK-COUNT-3: memref.store [[ZPW]], [[ZPS]]
// CHECK: [[ZPA:%.*]] = memref.extract_aligned_pointer_as_index [[ZPS]]
// CHECK: scf.if
// CHECK: arith.andi %{{.*}}, %c16777215_i32 : i32
// CHECK: scf.for
// CHECK: llvm.inline_asm "lw $0, 0($1)", "=r,r" [[O:%.*]] :
// CHECK-NEXT: llvm.inline_asm "lw $0, 3($1)", "=r,r" [[O]] :
// CHECK-NEXT: llvm.inline_asm "lw $0, 6($1)", "=r,r" [[O]] :
// CHECK-NEXT: llvm.inline_asm "lw $0, 24($1)", "=r,r" [[O]] :
// CHECK-NEXT: llvm.inline_asm "lw $0, 27($1)", "=r,r" [[O]] :
// CHECK-NEXT: llvm.inline_asm "lw $0, 30($1)", "=r,r" [[O]] :
// CHECK-COUNT-3: llvm.inline_asm ".insn r 87, 1, 84, $0, $1, $2", "=r,r,r,0"
// CHECK-NEXT: llvm.inline_asm "lw $0, 48($1)", "=r,r" [[O]] :
// CHECK-NEXT: llvm.inline_asm "lw $0, 51($1)", "=r,r" [[O]] :
// CHECK-NEXT: llvm.inline_asm "lw $0, 54($1)", "=r,r" [[O]] :
// CHECK-COUNT-6: llvm.inline_asm ".insn r 87, 1, 84, $0, $1, $2", "=r,r,r,0"
// CHECK: } else {
// CHECK-COUNT-3: arith.select %{{.*}}, %{{.*}}, [[ZPA]] : index
// CHECK: scf.for
// CHECK: scf.for
// CHECK: llvm.inline_asm "lw $0, 0($1)", "=r,r" [[R0:%.*]] :
// CHECK-NEXT: llvm.inline_asm "lw $0, 3($1)", "=r,r" [[R0]] :
// CHECK-NEXT: llvm.inline_asm "lw $0, 6($1)", "=r,r" [[R0]] :
// CHECK-NEXT: llvm.inline_asm "lw $0, 0($1)", "=r,r" [[R1:%.*]] :
// CHECK: scf.for
// CHECK-COUNT-9: arith.select %{{.*}}, %{{.*}}, [[ZPW]] : i32
// The object (of the last split, this one; %t.o is written per split)
// carries GAP8's instruction words, which LLVM does not know: pv.sdotusp.b,
// funct7 0x54 (top byte 0xa8/0xa9), opcode 0x57.
// OBJ: {{a[89][0-9a-f]+[5d]7[[:space:]]+}}<unknown>
func.func @conv(%l1: memref<1024xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c256 = arith.constant 256 : index
  %c512 = arith.constant 512 : index
  %c800 = arith.constant 800 : index
  %x = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<8x8x3xui8, #l1>
  %y = memref.view %l1[%c256][] : memref<1024xi8, #l1> to memref<4x4x8xui8, #l1>
  %w = memref.view %l1[%c512][] : memref<1024xi8, #l1> to memref<8x3x3x3xi8, #l1>
  %b = memref.view %l1[%c800][] : memref<1024xi8, #l1> to memref<8xi32, #l1>
  dwsep.conv2d ins(%x, %w, %b : memref<8x8x3xui8, #l1>, memref<8x3x3x3xi8, #l1>, memref<8xi32, #l1>)
    outs(%y : memref<4x4x8xui8, #l1>) stride [2, 2] pad [0, 0, 1, 1] input_zp 5
    requant <mult = [1], shift = [3], clamp = [0, 255]>
  return
}

// -----

#l1 = #dwsep.level<l1>

// The same first-layer conv with the 32-bit requantization (acc_bound: mode
// o) runs as a pointwise layer over its windows (im2col): K = 3 x 3 x 3 = 27
// bytes a window, in records of 28 on the core's stack (40 of them: half the
// gap8 preset's worker stack, 1280 B, less a block's 4 weight rows of 28 B
// and its 12 words of requantization values),
// the taps from byte 1 on and byte 0 zero (set once per fork). A border
// pixel (pad right and bottom) tests each of its 27 taps and writes the
// zero point's byte (5) for one outside the input; the interior pixels of a
// row are one hardware loop (lp.setup, opcode 123 funct3 4, count in $7):
// per window row (30 bytes apart: 10 pixels of 3 channels) two unaligned
// words and a byte (lw, lw, lbu: all three loads before the stores, no
// load-use stall) to 9 bytes of the record, then the window 6 bytes on
// (stride 2) and the record 28 bytes on. A block's 4 weight rows are read
// from 1 byte before each (27 bytes apart: words at 0, 4, .., 24, then 27,
// ...) and stored aligned, each word summed for the zero point with ones in
// the lanes that are the row's (0x01010100 = 16843008 for the first). The 4 x
// 4 blocks of a chunk are the pointwise kernel's row loop (emitWideRowLoop:
// lp.setup x1 on the block count; the dot loop over 7 words, records and
// weight rows 28 bytes apart, the first step peeled, lp.counti 6; the
// requantization from the core's buffer ($31), pixels 6 bytes apart, each
// pixel's 4 channels packed into a word and stored by one sw, at 6, 12, 18
// unaligned, which GAP8 stores in two accesses; then
// the records 3 x 28 = 84 bytes on, the weight rows back by 28, the output
// 4 pixels (24 bytes) on). The 5th pixel of the row runs
// the same loop for one record with the bias in the accumulators (lp.setupi
// count 7), and channels 4 and 5 one at a time.
// CHECK-LABEL: func.func private @__dwsep_k_x_win_conv_hu3w10hu6_k3x3s2x2p0_w4_ic3bz_ozuc0p8_sr
// CHECK: [[ZP8:%.*]] = arith.trunci %{{.*}} : i32 to i8
// CHECK: [[REC:%.*]] = memref.alloca() {alignment = 4 : i64} : memref<1120xi8>
// CHECK: [[WB:%.*]] = memref.alloca() : memref<28xi32>
// CHECK: scf.for %{{.*}} = %c0 to %c40 step %c1 {
// CHECK: memref.store %c0_i8, [[REC]]
// CHECK: scf.for
// CHECK-COUNT-27: arith.select %{{.*}}, %{{.*}}, [[ZP8]] : i8
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x0, $7, 40\0A.insn i 3, 2, $2, 0($0)\0A.insn i 3, 2, $3, 4($0)\0A.insn i 3, 4, $4, 8($0)\0A.insn s 35, 2, $2, 0($1)\0A.insn s 35, 2, $3, 4($1)\0A.insn s 35, 0, $4, 8($1)\0A.insn i 3, 2, $2, 30($0)\0A{{.*}}.insn s 35, 0, $4, 17($1)\0A.insn i 3, 2, $2, 60($0)\0A{{.*}}.insn s 35, 0, $4, 26($1)\0A.insn i 19, 0, $0, $0, 6\0A.insn i 19, 0, $1, $1, 28", "=r,=r,=&r,=&r,=&r,0,1,r"
// CHECK: [[W0:%.*]] = llvm.inline_asm "lw $0, 0($1)", "=r,r" [[ROW:%.*]] :
// CHECK-NEXT: memref.store [[W0]], [[WB]][%c0]
// CHECK-NEXT: llvm.inline_asm ".insn r 87, 1, 92, $0, $1, $2", "=r,r,r,0" [[W0]], %c16843008_i32, %c0_i32
// CHECK: llvm.inline_asm "lw $0, 24($1)", "=r,r" [[ROW]] :
// CHECK: llvm.inline_asm "lw $0, 27($1)", "=r,r" [[ROW]] :
// CHECK-NEXT: memref.store %{{.*}}, [[WB]][%c7]
// CHECK: llvm.inline_asm "lw $0, 105($1)", "=r,r" [[ROW]] :
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x1, $0, 240\0A.insn i 3, 2, $22, 84($16)\0A.insn i 3, 2, $21, 56($16)\0A.insn i 3, 2, $20, 28($16)\0A.insn i 11, 2, $19, 4($16)\0A.insn i 3, 2, $26, 84($17)\0A.insn i 3, 2, $25, 56($17)\0A.insn i 3, 2, $24, 28($17)\0A.insn i 11, 2, $23, 4($17)\0A{{.*}}.insn i 123, 3, x0, x0, 6\0A.insn i 123, 0, x0, x0, 4\0A.insn i 123, 1, x0, x0, 48\0A{{.*}}.insn i 3, 2, $23, 16($31)\0A.insn i 3, 2, $25, 32($31)\0A.insn i 3, 2, $24, 0($31)\0A.insn r 51, 0, 1, $0, $0, $23\0A.insn r 51, 0, 1, $4, $4, $23\0A{{.*}}.insn r 91, 2, 32, $0, $24, $25\0A{{.*}}.insn r 51, 2, 10, $0, $0, x9\0A{{.*}}.insn r 87, 1, 108, $2, $3, $2\0A.insn r 87, 1, 112, $2, $1, $0\0A.insn s 35, 2, $2, 0($18)\0A{{.*}}.insn s 35, 2, $6, 6($18)\0A{{.*}}.insn r 87, 1, 108, $14, $15, $14\0A.insn r 87, 1, 112, $14, $13, $12\0A.insn s 35, 2, $14, 18($18)\0A.insn i 19, 0, $16, $16, 84\0A.insn i 19, 0, $17, $17, -28\0A.insn i 19, 0, $18, $18, 24"
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 5, x0, x18, 7\0A{{.*}}", "=r,=r,=r,=r,=r,=r,=&r,=&r,=&r,=&r,=&r,0,1,2,3,4,5"
// CHECK: scf.for %{{.*}} = %c4 to %c6 step %c1 {
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 5, x0, x6, 7\0A{{.*}}", "=r,=r,=r,=&r,=&r,0,1,2"
func.func @conv_im2col(%l1: memref<1024xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c256 = arith.constant 256 : index
  %c512 = arith.constant 512 : index
  %c800 = arith.constant 800 : index
  %x = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<8x10x3xui8, #l1>
  %y = memref.view %l1[%c256][] : memref<1024xi8, #l1> to memref<4x5x6xui8, #l1>
  %w = memref.view %l1[%c512][] : memref<1024xi8, #l1> to memref<6x3x3x3xi8, #l1>
  %b = memref.view %l1[%c800][] : memref<1024xi8, #l1> to memref<6xi32, #l1>
  dwsep.conv2d ins(%x, %w, %b : memref<8x10x3xui8, #l1>, memref<6x3x3x3xi8, #l1>, memref<6xi32, #l1>)
    outs(%y : memref<4x5x6xui8, #l1>) stride [2, 2] pad [0, 0, 1, 1] input_zp 5
    requant <mult = [3000], shift = [12], clamp = [0, 255], acc_bound = 70000>
  return
}

// -----

#l1 = #dwsep.level<l1>

// A wide pointwise (1024 input channels, as MobileNetV1's last layers): a
// block's weight rows lie 1024 bytes apart, so rows 2 and 3 (2048 and 3072
// bytes on) are out of reach of a load immediate from row 0. They get a
// second pointer, 2048 bytes on, advanced by its own post-increment load:
// the hardware loop keeps its 14 instructions (count 1024 / 4 = 256). That
// load (row 2's word) is the last, so row 2's dot products come last. The
// channels past the last block (2 of 6) and the odd column are one hardware
// loop per output element: one p.lw of the input and of the weight row, one
// pv.sdotusp.b.
// CHECK-LABEL: func.func private @__dwsep_k_x_win_pw_hu1024hu6_w2b_
// CHECK: %[[W2:.*]] = arith.addi %[[W:.*]], %c2048_i32 : i32
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 5, x0, x28, 256\0A.insn i 3, 2, $12, 1024($8)\0A.insn i 11, 2, $11, 4($8)\0A.insn i 3, 2, $14, 1024($9)\0A.insn i 11, 2, $13, 4($9)\0A.insn i 3, 2, $16, 1024($10)\0A.insn i 11, 2, $15, 4($10)\0A.insn r 87, 1, 84, $0, $11, $13\0A.insn r 87, 1, 84, $1, $11, $14\0A.insn r 87, 1, 84, $3, $11, $16\0A.insn r 87, 1, 84, $4, $12, $13\0A.insn r 87, 1, 84, $5, $12, $14\0A.insn r 87, 1, 84, $7, $12, $16\0A.insn r 87, 1, 84, $2, $11, $15\0A.insn r 87, 1, 84, $6, $12, $15", "=r,=r,=r,=r,=r,=r,=r,=r,=r,=r,=r,=&r,=&r,=&r,=&r,=&r,=&r,0,1,2,3,4,5,6,7,8,9,10" {{.*}}, %[[W]], %[[W2]]
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 5, x0, x6, 256\0A.insn i 11, 2, $3, 4($1)\0A.insn i 11, 2, $4, 4($2)\0A.insn r 87, 1, 84, $0, $3, $4"
// CHECK-NOT: scf.for {{.*}} to %c256
func.func @pw_wide(%l1: memref<16384xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c4096 = arith.constant 4096 : index
  %c8192 = arith.constant 8192 : index
  %c15360 = arith.constant 15360 : index
  %x = memref.view %l1[%c0][] : memref<16384xi8, #l1> to memref<1x3x1024xui8, #l1>
  %y = memref.view %l1[%c4096][] : memref<16384xi8, #l1> to memref<1x3x6xui8, #l1>
  %w = memref.view %l1[%c8192][] : memref<16384xi8, #l1> to memref<6x1024xi8, #l1>
  %b = memref.view %l1[%c15360][] : memref<16384xi8, #l1> to memref<6xi32, #l1>
  dwsep.pointwise ins(%x, %w, %b : memref<1x3x1024xui8, #l1>, memref<6x1024xi8, #l1>, memref<6xi32, #l1>)
    outs(%y : memref<1x3x6xui8, #l1>) requant <mult = [1], shift = [3], clamp = [0, 255]>
  return
}

// -----

#l1 = #dwsep.level<l1>

// A pointwise split by rows takes each row's pixels four at a time (16
// accumulators: the body loads 4 input and 4 weight words for 16 dot
// products), then the last pair (6 columns = 4 + 2). With the 32-bit
// requantization the accumulators start at zero: the first step is peeled
// as pv.dotusp.b (funct7 68) and the bias is in K = R + bias * mult. The
// wide body (24 instructions) is longer than lp.setupi reaches: the loop is
// set up by lp.counti (count 8 / 4 - 1 = 1), lp.starti (the body starts 4
// halfwords on) and lp.endi (its last instruction 48 halfwords on).
// CHECK-LABEL: func.func private @__dwsep_k_x_win_pw_hu8hu8_w2b_ozuc0p8_sr
// CHECK: [[BUF:%.*]] = memref.alloca() : memref<12xi32>
// CHECK: [[BM:%.*]] = arith.muli %{{.*}}, [[M:%.*]] : i32
// CHECK-NEXT: [[K:%.*]] = arith.addi [[R:%.*]], [[BM]] : i32
// A channel block's values go to the core's buffer once (storeRequantParams:
// K of channel c at word c, the multiplier at 4 + c, the shift at 8 + c).
// CHECK: memref.store [[K]], [[BUF]][%c0] : memref<12xi32>
// CHECK-NEXT: memref.store [[M]], [[BUF]][%c4] : memref<12xi32>
// CHECK-NEXT: memref.store [[S:%.*]], [[BUF]][%c8] : memref<12xi32>
// A row's wide blocks (6 / 4 = 1 here) are one asm block (emitWideRowLoop):
// hardware loop 1 over the blocks, its count in $0 (the first accumulator,
// tied to the count input $27: lp.setup, opcode 123 funct3 4, reads it
// before the peeled step writes it; the outer body ends 240 halfwords on),
// the block's dot loop (input $16, weights $17, words $19-$26), then the
// requantization, its values from the buffer ($31; multiplier and shift,
// one SSA value for every channel, once into the words' registers $23 and
// $25, each channel's K into $24 before its 4 outputs), p.clipu, then per
// pixel its 4 outputs packed into one word (pv.packhi.b, funct7 108, into
// the third channel's register, then pv.packlo.b, funct7 112) and stored
// by sw at pixel * 8 from the output pointer ($18); then the input 4 * 8 -
// 8 = 24 bytes on, the weights back by 8, the output 4 pixels (32 bytes)
// on. 28 registers: every GPR but zero, sp, gp and tp.
// CHECK: [[P:%.*]] = memref.extract_aligned_pointer_as_index [[BUF]]
// CHECK-NEXT: [[P32:%.*]] = arith.index_cast [[P]] : index to i32
// CHECK-NEXT: [[N:%.*]] = arith.index_cast %{{.*}} : index to i32
// CHECK-NEXT: llvm.inline_asm has_side_effects ".insn i 123, 4, x1, $0, 240\0A.insn i 3, 2, $22, 24($16)\0A.insn i 3, 2, $21, 16($16)\0A.insn i 3, 2, $20, 8($16)\0A.insn i 11, 2, $19, 4($16)\0A.insn i 3, 2, $26, 24($17)\0A.insn i 3, 2, $25, 16($17)\0A.insn i 3, 2, $24, 8($17)\0A.insn i 11, 2, $23, 4($17)\0A.insn r 87, 1, 68, $1, $19, $24\0A{{.*}}.insn r 87, 1, 68, $12, $22, $23\0A.insn i 123, 3, x0, x0, 1\0A.insn i 123, 0, x0, x0, 4\0A.insn i 123, 1, x0, x0, 48\0A.insn i 3, 2, $22, 24($16)\0A{{.*}}.insn r 87, 1, 84, $12, $22, $23\0A.insn i 3, 2, $23, 16($31)\0A.insn i 3, 2, $25, 32($31)\0A.insn i 3, 2, $24, 0($31)\0A.insn r 51, 0, 1, $0, $0, $23\0A.insn r 51, 0, 1, $4, $4, $23\0A{{.*}}.insn r 91, 2, 32, $0, $24, $25\0A{{.*}}.insn r 51, 2, 10, $0, $0, x9\0A{{.*}}.insn i 3, 2, $24, 4($31)\0A{{.*}}.insn r 87, 1, 108, $2, $3, $2\0A.insn r 87, 1, 112, $2, $1, $0\0A.insn s 35, 2, $2, 0($18)\0A{{.*}}.insn r 87, 1, 108, $14, $15, $14\0A.insn r 87, 1, 112, $14, $13, $12\0A.insn s 35, 2, $14, 24($18)\0A.insn i 19, 0, $16, $16, 24\0A.insn i 19, 0, $17, $17, -8\0A.insn i 19, 0, $18, $18, 32", "=r,=&r,=&r,=&r,=&r,=&r,=&r,=&r,=&r,=&r,=&r,=&r,=&r,=&r,=&r,=&r,=r,=r,=r,=&r,=&r,=&r,=&r,=&r,=&r,=&r,=&r,0,16,17,18,r" [[N]], %{{.*}}, %{{.*}}, %{{.*}}, [[P32]] :
// The pair (and every block of a kernel split by pixel pairs) keeps the
// bias in its accumulators (tied inputs, lp.setupi with the whole count 2)
// and LLVM's requantization with R ([[R]]): for it the peeled step, K and
// the asm measured slower on GVSoC.
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c2 {
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 5, x0, x28, 2\0A.insn i 3, 2, $11, 8($8)\0A{{.*}}.insn r 87, 1, 84, $4, $11, $12", "=r,=r,=r,=r,=r,=r,=r,=r,=r,=r,=&r,=&r,=&r,=&r,=&r,=&r,0,1,2,3,4,5,6,7,8,9"
// CHECK: arith.muli %{{.*}}, [[M]] : i32
// CHECK-NEXT: llvm.inline_asm ".insn r 91, 2, 32, $0, $1, $2", "=r,r,r,0" [[R]],
func.func @pw_rows(%l1: memref<4096xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c1024 = arith.constant 1024 : index
  %c2048 = arith.constant 2048 : index
  %c3072 = arith.constant 3072 : index
  %x = memref.view %l1[%c0][] : memref<4096xi8, #l1> to memref<16x6x8xui8, #l1>
  %y = memref.view %l1[%c1024][] : memref<4096xi8, #l1> to memref<16x6x8xui8, #l1>
  %w = memref.view %l1[%c2048][] : memref<4096xi8, #l1> to memref<8x8xi8, #l1>
  %b = memref.view %l1[%c3072][] : memref<4096xi8, #l1> to memref<8xi32, #l1>
  dwsep.pointwise ins(%x, %w, %b : memref<16x6x8xui8, #l1>, memref<8x8xi8, #l1>, memref<8xi32, #l1>)
    outs(%y : memref<16x6x8xui8, #l1>) requant <mult = [3000], shift = [12], clamp = [0, 255], acc_bound = 5000>
  return
}

// -----

#l1 = #dwsep.level<l1>

// The same layer clamped to [3, 200] (not a type's range: p.min, p.max) and
// with a multiplier per channel keeps a wide block per asm (the row loop has
// no register left for the bounds): the dot loop, then one asm call that
// requantizes and stores the 16 outputs, its values from the core's buffer
// ($36): the shift, shared, once; per channel its multiplier (words 4 + c)
// and K (word c) into $16 and $17; p.min with the upper bound ($38), p.max
// with the lower ($37); each pixel's four outputs packed and stored by one
// sw.
// CHECK-LABEL: func.func private @__dwsep_k_x_win_pw_hu8hu8_w2b_ozuc1q_sr
// CHECK-NOT: .insn i 123, 4, x1,
// CHECK: llvm.inline_asm has_side_effects ".insn i 3, 2, $18, 32($36)\0A.insn i 3, 2, $16, 16($36)\0A.insn i 3, 2, $17, 0($36)\0A.insn r 51, 0, 1, $0, $0, $16\0A.insn r 51, 0, 1, $4, $4, $16\0A{{.*}}.insn r 91, 2, 32, $0, $17, $18\0A{{.*}}.insn r 51, 4, 2, $0, $0, $38\0A{{.*}}.insn r 51, 6, 2, $0, $0, $37\0A{{.*}}.insn i 3, 2, $16, 20($36)\0A.insn i 3, 2, $17, 4($36)\0A{{.*}}.insn i 3, 2, $16, 28($36)\0A.insn i 3, 2, $17, 12($36)\0A{{.*}}.insn r 87, 1, 108, $2, $3, $2\0A.insn r 87, 1, 112, $2, $1, $0\0A.insn s 35, 2, $2, 0($35)\0A{{.*}}.insn s 35, 2, $14, 24($35)", "=r,=r,=r,=r,=r,=r,=r,=r,=r,=r,=r,=r,=r,=r,=r,=r,=&r,=&r,=&r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,r,r,r,r"
func.func @pw_rows_clamp(%l1: memref<4096xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c1024 = arith.constant 1024 : index
  %c2048 = arith.constant 2048 : index
  %c3072 = arith.constant 3072 : index
  %x = memref.view %l1[%c0][] : memref<4096xi8, #l1> to memref<16x6x8xui8, #l1>
  %y = memref.view %l1[%c1024][] : memref<4096xi8, #l1> to memref<16x6x8xui8, #l1>
  %w = memref.view %l1[%c2048][] : memref<4096xi8, #l1> to memref<8x8xi8, #l1>
  %b = memref.view %l1[%c3072][] : memref<4096xi8, #l1> to memref<8xi32, #l1>
  dwsep.pointwise ins(%x, %w, %b : memref<16x6x8xui8, #l1>, memref<8x8xi8, #l1>, memref<8xi32, #l1>)
    outs(%y : memref<16x6x8xui8, #l1>) requant <mult = [3000, 2000, 3000, 1000, 3000, 3000, 3000, 3000], shift = [12], clamp = [3, 200], acc_bound = 5000>
  return
}

// -----

#l1 = #dwsep.level<l1>

// With acc_bound (--dwsep-bound-accumulators), acc * mult + R fits an i32
// for every accumulator (5000 * 3000 + 2^11 < 2^31): the requantization is
// the product of the accumulator and the multiplier, p.addN (R added, then
// the shift: opcode 91, funct3 2, funct7 32) and the clip; no 64-bit
// product (mulhsu). The mode is `o` in the kernel name.
// Without it (the same layer, next function) the plan is the high word of a
// 64-bit product (`h`).
// CHECK-LABEL: func.func private @__dwsep_k_x_win_pw_hu8hu8_w2b_ozuc0p8_scp
// CHECK: scf.for
// CHECK: [[P:%.*]] = arith.muli %{{.*}}, %{{.*}} : i32
// CHECK-NEXT: [[S:%.*]] = llvm.inline_asm ".insn r 91, 2, 32, $0, $1, $2", "=r,r,r,0" %{{.*}}, %{{.*}}, [[P]]
// CHECK-NEXT: llvm.inline_asm ".insn r 51, 2, 10, $0, $1, x9", "=r,r" [[S]]
// CHECK-NOT: i64
// CHECK-LABEL: func.func private @__dwsep_k_x_win_pw_hu8hu8_w2b_hzulc0p8_scp
// CHECK: arith.muli %{{.*}}, %{{.*}} : i64
// A zero point that r + zp would take out of the i32 range (found by
// random_layers.py --requant-edge) keeps the 64-bit plan (`w`: zp and
// clamp in i64), acc_bound or not.
// CHECK-LABEL: func.func private @__dwsep_k_x_win_pw_hu8hu8_w2b_hulwc0p8_scp
func.func @pw_bounded(%l1: memref<1024xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c128 = arith.constant 128 : index
  %c256 = arith.constant 256 : index
  %c320 = arith.constant 320 : index
  %x = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<4x4x8xui8, #l1>
  %y = memref.view %l1[%c128][] : memref<1024xi8, #l1> to memref<4x4x8xui8, #l1>
  %w = memref.view %l1[%c256][] : memref<1024xi8, #l1> to memref<8x8xi8, #l1>
  %b = memref.view %l1[%c320][] : memref<1024xi8, #l1> to memref<8xi32, #l1>
  dwsep.pointwise ins(%x, %w, %b : memref<4x4x8xui8, #l1>, memref<8x8xi8, #l1>, memref<8xi32, #l1>)
    outs(%y : memref<4x4x8xui8, #l1>) requant <mult = [3000], shift = [12], clamp = [0, 255], acc_bound = 5000>
  dwsep.pointwise ins(%x, %w, %b : memref<4x4x8xui8, #l1>, memref<8x8xi8, #l1>, memref<8xi32, #l1>)
    outs(%y : memref<4x4x8xui8, #l1>) requant <mult = [3000], shift = [12], clamp = [0, 255]>
  dwsep.pointwise ins(%x, %w, %b : memref<4x4x8xui8, #l1>, memref<8x8xi8, #l1>, memref<8xi32, #l1>)
    outs(%y : memref<4x4x8xui8, #l1>) requant <mult = [3000], shift = [12], zp = 2147483647, clamp = [0, 255], acc_bound = 5000>
  return
}

// -----

#l1 = #dwsep.level<l1>

// A CHW depthwise with stride 2 and SAME padding on a width of 16 (one
// column past the right edge, none left): where the tile's rows allow it
// (no padding above, at most one window row below the input: scf.if, the
// plane form in the else), a channel's input is read in place. The rows
// inside: the window rows 16 bytes apart (2 x 16 - 8, 16 - 8, -8: the
// input's own rows, not the plane's 20), 1 looped quad (loop 0, count $13)
// and the last quad, whose fourth pixel takes its third column from $26
// (the zero point in every byte) instead of the word past the row and
// reads no C words, so the next row is 2 x 16 - 8 bytes on. The last
// output row: the zero point's terms of the third window row (the pad word
// %[[PAD]] . that row's weights) added to the bias, then the first two
// window rows in place.
// CHECK-LABEL: func.func private @__dwsep_k_x_win_dw_cu16cu8_k3x3s2x2p0_w3bz_ozuc1p8q_sc
// CHECK: %[[PAD:.*]] = arith.muli %{{.*}}, %c16843009_i32 : i32
// CHECK: scf.if
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x1, $12, 164\0A.insn i 3, 2, $4, 24($0)\0A.insn i 3, 2, $3, 8($0)\0A.insn i 3, 2, $2, -8($0)\0A.insn i 123, 4, x0, $13, 80\0A{{.*}}.insn r 87, 1, 84, $9, $26, $25\0A{{.*}}.insn r 87, 1, 84, $9, $26, $24\0A{{.*}}.insn r 87, 1, 84, $9, $26, $23\0A{{.*}}.insn i 19, 0, $0, $0, 24"
// CHECK: scf.if
// CHECK-NEXT: llvm.inline_asm ".insn r 87, 1, 84, $0, $1, $2", "=r,r,r,0" %[[PAD]],
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x1, $10, 132\0A.insn i 3, 2, $3, 8($0)\0A.insn i 3, 2, $2, -8($0)\0A.insn i 123, 4, x0, $11, 64\0A{{.*}}.insn i 19, 0, $0, $0, 24"
// CHECK: } else {
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x1, $6, 12\0A.insn i 123, 5, x0, x8, 2\0A
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x1, $12, 90\0A.insn i 3, 2, $4, 32($0)\0A.insn i 3, 2, $3, 12($0)\0A.insn i 3, 2, $2, -8($0)\0A
// CHECK: return
func.func @dw_chw_s2_in_place(%l1: memref<1024xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c512 = arith.constant 512 : index
  %c640 = arith.constant 640 : index
  %c676 = arith.constant 676 : index
  %x = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<4x8x16xui8, #l1>
  %y = memref.view %l1[%c512][] : memref<1024xi8, #l1> to memref<4x4x8xui8, #l1>
  %w = memref.view %l1[%c640][] : memref<1024xi8, #l1> to memref<3x3x4xi8, #l1>
  %b = memref.view %l1[%c676][] : memref<1024xi8, #l1> to memref<4xi32, #l1>
  dwsep.depthwise ins(%x, %w, %b : memref<4x8x16xui8, #l1>, memref<3x3x4xi8, #l1>, memref<4xi32, #l1>)
    outs(%y : memref<4x4x8xui8, #l1>) layout <chw> stride [2, 2] pad [0, 0, 1, 1] input_zp 3
    requant <mult = [1, 2, 3, 4], shift = [3], zp = 5, clamp = [0, 255], acc_bound = 5000>
  return
}
