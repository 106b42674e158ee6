// RUN: dwsep-opt %s --split-input-file --dwsep-lower-kernels=share=rows --canonicalize | FileCheck %s
// RUN: dwsep-opt %s --split-input-file --dwsep-lower-kernels --canonicalize | FileCheck %s --check-prefix=NONE
// RUN: dwsep-opt %s --split-input-file --dwsep-lower-kernels=share=all --canonicalize | FileCheck %s --check-prefix=ALL
// RUN: dwsep-opt %s --split-input-file --dwsep-lower-kernels=share=size --canonicalize | FileCheck %s --check-prefix=SIZE

// Kernels are created once per configuration, which includes the HWC
// activations' channel counts (load and store immediates). Two pointwise
// layers over the same 8 input channels whose outputs have 8 and 4
// channels would be two kernels that differ in that count alone; one kernel
// that takes it as its outC operand can serve both (share=rows or size):
// its name leaves the count out (`hu8hu`), and its asm stores step from
// pixel to pixel by a register (p.sw rs2, rs3(rs1!): opcode 43, funct3 6,
// funct7 0, the step in the rd field) that the core's buffer holds at word
// 12 (memref<13xi32>): after the 16 clips, a running pointer from the
// output's (addi), each pixel's 4 channels packed into a word (pv.packhi.b,
// pv.packlo.b: funct7 108, 112) and stored by it; the next block's output
// pointer is where the running pointer ends.
// CHECK-LABEL: func.func @two_widths
// CHECK: call @[[K:__dwsep_k_x_win_pw_hu8hu_w2b_ozuc0p8_sr]](
// CHECK: call @[[K]](
// CHECK-NOT: func.func private @__dwsep_k_x_win_pw_hu8hu8_
// CHECK-NOT: func.func private @__dwsep_k_x_win_pw_hu8hu4_
// CHECK: func.func private @[[K]](
// CHECK: [[BUF:%.*]] = memref.alloca() : memref<13xi32>
// CHECK: memref.store %{{.*}}, [[BUF]][%c12] : memref<13xi32>
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x1, $0, 244\0A{{.*}}.insn i 3, 2, $19, 48($31)\0A.insn i 3, 2, $24, 0($31)\0A.insn r 51, 0, 1, $0, $0, $23\0A.insn r 51, 0, 1, $4, $4, $23\0A{{.*}}.insn r 91, 2, 32, $0, $24, $25\0A{{.*}}.insn r 51, 2, 10, $0, $0, x9\0A{{.*}}.insn r 51, 2, 10, $15, $15, x9\0A.insn i 19, 0, $20, $18, 0\0A.insn r 87, 1, 108, $2, $3, $2\0A.insn r 87, 1, 112, $2, $1, $0\0A.insn r 43, 6, 0, $19, $20, $2\0A{{.*}}.insn r 87, 1, 112, $14, $13, $12\0A.insn r 43, 6, 0, $19, $20, $14\0A.insn i 19, 0, $16, $16, 24\0A.insn i 19, 0, $17, $17, -8\0A.insn i 19, 0, $18, $20, 0"
// With share=none (the default), two kernels with the counts as immediates.
// NONE-LABEL: func.func @two_widths
// NONE: call @__dwsep_k_x_win_pw_hu8hu8_w2b_ozuc0p8_sr(
// NONE: call @__dwsep_k_x_win_pw_hu8hu4_w2b_ozuc0p8_sr(
// NONE-NOT: .insn r 43, 4, 0,
#l1 = #dwsep.level<l1>
func.func @two_widths(%l1: memref<4096xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c1024 = arith.constant 1024 : index
  %c2048 = arith.constant 2048 : index
  %c3072 = arith.constant 3072 : index
  %x = memref.view %l1[%c0][] : memref<4096xi8, #l1> to memref<16x6x8xui8, #l1>
  %y = memref.view %l1[%c1024][] : memref<4096xi8, #l1> to memref<16x6x8xui8, #l1>
  %y4 = memref.view %l1[%c1024][] : memref<4096xi8, #l1> to memref<16x6x4xui8, #l1>
  %w = memref.view %l1[%c2048][] : memref<4096xi8, #l1> to memref<8x8xi8, #l1>
  %w4 = memref.view %l1[%c2048][] : memref<4096xi8, #l1> to memref<4x8xi8, #l1>
  %b = memref.view %l1[%c3072][] : memref<4096xi8, #l1> to memref<8xi32, #l1>
  %b4 = memref.view %l1[%c3072][] : memref<4096xi8, #l1> to memref<4xi32, #l1>
  dwsep.pointwise ins(%x, %w, %b : memref<16x6x8xui8, #l1>, memref<8x8xi8, #l1>, memref<8xi32, #l1>)
    outs(%y : memref<16x6x8xui8, #l1>) requant <mult = [3000], shift = [12], clamp = [0, 255], acc_bound = 5000>
  dwsep.pointwise ins(%x, %w4, %b4 : memref<16x6x8xui8, #l1>, memref<4x8xi8, #l1>, memref<4xi32, #l1>)
    outs(%y4 : memref<16x6x4xui8, #l1>) requant <mult = [3000], shift = [12], clamp = [0, 255], acc_bound = 5000>
  return
}

// -----

// A kernel no other differs from by that count alone keeps it as an
// immediate (its stores at pixel * 8 from the output pointer), unless
// share=all.
// SIZE-LABEL: func.func @one_width
// SIZE: call @__dwsep_k_x_win_pw_hu8hu8_w2b_ozuc0p8_sr(
// CHECK-LABEL: func.func @one_width
// CHECK: call @__dwsep_k_x_win_pw_hu8hu8_w2b_ozuc0p8_sr(
// CHECK-NOT: .insn r 43, {{[46]}}, 0,
// ALL-LABEL: func.func @one_width
// ALL: call @[[K:__dwsep_k_x_win_pw_hu8hu_w2b_ozuc0p8_sr]](
// ALL: func.func private @[[K]](
// ALL: .insn r 43, 6, 0,
#l1 = #dwsep.level<l1>
func.func @one_width(%l1: memref<4096xi8, #l1>) {
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

// A depthwise kernel's plane loop (test/Dialect/Dwsep/Transforms/
// lower-kernels-xpulpv2.mlir) with its output's channel count as an
// operand (share=all): the two byte stores of a pair post-incremented by
// the register $22 instead of the immediate 4, the same instruction count.
// ALL-LABEL: func.func private @__dwsep_k_x_win_dw_hs4w6hsw7_k3x3s1x1p2_w3b_ozuc1q_sc
// ALL: llvm.inline_asm has_side_effects ".insn i 123, 4, x1, $9, 64\0A{{.*}}.insn r 51, 6, 2, $6, $6, $20\0A.insn r 43, 4, 0, $22, $1, $5\0A.insn r 43, 4, 0, $22, $1, $6\0A{{.*}}.insn r 43, 4, 0, $22, $1, $5\0A.insn i 19, 0, $0, $0, 6"
// CHECK-LABEL: func.func private @__dwsep_k_x_win_dw_hs4w6hs4w7_k3x3s1x1p2_w3b_ozuc1q_sc
// CHECK: .insn s 43, 0, $5, 4($1)
#l1 = #dwsep.level<l1>
func.func @dw(%l1: memref<1024xi8, #l1>) {
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
  return
}

// -----

// Pointwise tiles of fewer rows than cores are split by channels: many
// forks of little work, whose set-up folds with a static count. They keep
// it (share=rows), even where two differ in it alone; share=size merges
// them too (the smallest code).
// CHECK-LABEL: func.func @split_by_channels
// CHECK: call @__dwsep_k_x_win_pw_hu8hu8_{{[a-z0-9_]*}}_scp(
// CHECK: call @__dwsep_k_x_win_pw_hu8hu4_{{[a-z0-9_]*}}_scp(
// SIZE-LABEL: func.func @split_by_channels
// SIZE: call @[[K:__dwsep_k_x_win_pw_hu8hu_[a-z0-9_]*_scp]](
// SIZE: call @[[K]](
// ALL-LABEL: func.func @split_by_channels
// ALL: call @[[K:__dwsep_k_x_win_pw_hu8hu_[a-z0-9_]*_scp]](
// ALL: call @[[K]](
#l1 = #dwsep.level<l1>
func.func @split_by_channels(%l1: memref<4096xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c1024 = arith.constant 1024 : index
  %c2048 = arith.constant 2048 : index
  %c3072 = arith.constant 3072 : index
  %x = memref.view %l1[%c0][] : memref<4096xi8, #l1> to memref<2x6x8xui8, #l1>
  %y = memref.view %l1[%c1024][] : memref<4096xi8, #l1> to memref<2x6x8xui8, #l1>
  %y4 = memref.view %l1[%c1024][] : memref<4096xi8, #l1> to memref<2x6x4xui8, #l1>
  %w = memref.view %l1[%c2048][] : memref<4096xi8, #l1> to memref<8x8xi8, #l1>
  %w4 = memref.view %l1[%c2048][] : memref<4096xi8, #l1> to memref<4x8xi8, #l1>
  %b = memref.view %l1[%c3072][] : memref<4096xi8, #l1> to memref<8xi32, #l1>
  %b4 = memref.view %l1[%c3072][] : memref<4096xi8, #l1> to memref<4xi32, #l1>
  dwsep.pointwise ins(%x, %w, %b : memref<2x6x8xui8, #l1>, memref<8x8xi8, #l1>, memref<8xi32, #l1>)
    outs(%y : memref<2x6x8xui8, #l1>) requant <mult = [3000], shift = [12], clamp = [0, 255], acc_bound = 5000>
  dwsep.pointwise ins(%x, %w4, %b4 : memref<2x6x8xui8, #l1>, memref<4x8xi8, #l1>, memref<4xi32, #l1>)
    outs(%y4 : memref<2x6x4xui8, #l1>) requant <mult = [3000], shift = [12], clamp = [0, 255], acc_bound = 5000>
  return
}

// -----

// Pointwise layers over 16 and 32 input channels with the same output: on
// XpulpV2 one kernel takes both counts as operands where it shares
// (`hux4`: a run-time multiple of 4, at least 16; share=rows, size, all).
// Its 4 x 4 block's dot loop walks the pixels and the weight rows with
// register post-increment loads (p.lw rd, rs2(rs1!): opcode 11, funct3 7,
// funct7 16) by the stride ($30, the count) and from the last row back by
// 4 - 3 * stride ($31); the pixels' words in two registers ($19, $20),
// pixel 2's loaded after pixel 0's dot products. The loop over the further
// steps takes its count, stride / 4 - 1 (srli: opcode 19, funct3 5; addi),
// in a weight word's register (lp.setup: opcode 123, funct3 4). After the
// stores the input pointer moves on by 3 rows (sub the walk back, add 4),
// the weights' back by the stride (sub: opcode 51, funct7 32). Over 8
// input channels (two steps of words: the walk's few extra instructions a
// block cost MobileNetV1 0.25@128's 8-channel layers 6-12% on GVSoC) the
// count stays configuration.
// CHECK-LABEL: func.func @input_widths
// CHECK: call @[[K:__dwsep_k_x_win_pw_hux4hu_w2b_ozuc0p8_sr]](%{{[^,]*}}, %c0, %c16, %c6, %c16,
// CHECK: call @[[K]](%{{[^,]*}}, %c0, %c16, %c6, %c32,
// CHECK: call @__dwsep_k_x_win_pw_hu8hu8_w2b_ozuc0p8_sr(
// CHECK: func.func private @[[K]](
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x1, $0, 246\0A.insn r 11, 7, 16, $19, $16, $30\0A.insn r 11, 7, 16, $21, $17, $30\0A.insn r 11, 7, 16, $22, $17, $30\0A.insn r 11, 7, 16, $23, $17, $30\0A.insn r 11, 7, 16, $24, $17, $31\0A.insn r 11, 7, 16, $20, $16, $30\0A.insn r 87, 1, 68, $0, $19, $21\0A{{.*}}.insn r 87, 1, 68, $3, $19, $24\0A.insn r 11, 7, 16, $19, $16, $30\0A.insn r 87, 1, 68, $4, $20, $21\0A{{.*}}.insn r 87, 1, 68, $7, $20, $24\0A.insn r 11, 7, 16, $20, $16, $31\0A{{.*}}.insn r 87, 1, 68, $15, $20, $24\0A.insn i 19, 5, $21, $30, 2\0A.insn i 19, 0, $21, $21, -1\0A.insn i 123, 4, x0, $21, 48\0A{{.*}}.insn r 87, 1, 84, $15, $20, $24\0A.insn i 3, 2, $21, 16($29)\0A{{.*}}.insn i 19, 0, $20, $18, 0\0A.insn r 87, 1, 108, $2, $3, $2\0A.insn r 87, 1, 112, $2, $1, $0\0A.insn r 43, 6, 0, $19, $20, $2\0A{{.*}}.insn r 43, 6, 0, $19, $20, $14\0A.insn r 51, 0, 32, $16, $16, $31\0A.insn i 19, 0, $16, $16, 4\0A.insn r 51, 0, 32, $17, $17, $30\0A.insn i 19, 0, $18, $20, 0", "=r,{{(=&r,)+}}=r,=r,=r,{{(=&r,)+}}0,16,17,18,r,r,r"
// The pair of pixels past the wide blocks: 2 x 4, the walks back of the
// pixels ($27: 4 - stride) and of the weight rows ($28: 4 - 3 * stride)
// apart, the loop count in a register ($29).
// CHECK: llvm.inline_asm has_side_effects ".insn i 123, 4, x0, $29, 28\0A.insn r 11, 7, 16, $10, $8, $26\0A{{.*}}.insn r 11, 7, 16, $15, $9, $28\0A.insn r 11, 7, 16, $11, $8, $27\0A.insn r 87, 1, 84, $0, $10, $12\0A
// With share=none, a kernel per count, none of them walking.
// NONE-LABEL: func.func @input_widths
// NONE: call @__dwsep_k_x_win_pw_hu16hu8_w2b_ozuc0p8_sr(
// NONE: call @__dwsep_k_x_win_pw_hu32hu8_w2b_ozuc0p8_sr(
// NONE: call @__dwsep_k_x_win_pw_hu8hu8_w2b_ozuc0p8_sr(
// NONE-NOT: .insn r 11, 7, 16,
#l1 = #dwsep.level<l1>
func.func @input_widths(%l1: memref<8192xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c4096 = arith.constant 4096 : index
  %c6144 = arith.constant 6144 : index
  %c7168 = arith.constant 7168 : index
  %x16 = memref.view %l1[%c0][] : memref<8192xi8, #l1> to memref<16x6x16xui8, #l1>
  %x32 = memref.view %l1[%c0][] : memref<8192xi8, #l1> to memref<16x6x32xui8, #l1>
  %x8 = memref.view %l1[%c0][] : memref<8192xi8, #l1> to memref<16x6x8xui8, #l1>
  %y = memref.view %l1[%c4096][] : memref<8192xi8, #l1> to memref<16x6x8xui8, #l1>
  %w16 = memref.view %l1[%c6144][] : memref<8192xi8, #l1> to memref<8x16xi8, #l1>
  %w32 = memref.view %l1[%c6144][] : memref<8192xi8, #l1> to memref<8x32xi8, #l1>
  %w8 = memref.view %l1[%c6144][] : memref<8192xi8, #l1> to memref<8x8xi8, #l1>
  %b = memref.view %l1[%c7168][] : memref<8192xi8, #l1> to memref<8xi32, #l1>
  dwsep.pointwise ins(%x16, %w16, %b : memref<16x6x16xui8, #l1>, memref<8x16xi8, #l1>, memref<8xi32, #l1>)
    outs(%y : memref<16x6x8xui8, #l1>) requant <mult = [3000], shift = [12], clamp = [0, 255], acc_bound = 5000>
  dwsep.pointwise ins(%x32, %w32, %b : memref<16x6x32xui8, #l1>, memref<8x32xi8, #l1>, memref<8xi32, #l1>)
    outs(%y : memref<16x6x8xui8, #l1>) requant <mult = [3000], shift = [12], clamp = [0, 255], acc_bound = 5000>
  dwsep.pointwise ins(%x8, %w8, %b : memref<16x6x8xui8, #l1>, memref<8x8xi8, #l1>, memref<8xi32, #l1>)
    outs(%y : memref<16x6x8xui8, #l1>) requant <mult = [3000], shift = [12], clamp = [0, 255], acc_bound = 5000>
  return
}
