// RUN: dwsep-opt %s --split-input-file --dwsep-set-target=xpulpv2=0 --dwsep-lower-kernels --canonicalize --cse | FileCheck %s

// The requantization is planned at compile time (RequantPlan in
// include/dwsep/Kernels/Requant.h; the numbers are docs/numerics.md section
// 4) and its values travel in the module's table global @__dwsep_rq: zp,
// clamp min, clamp max, then one row per channel (one for per tensor). The
// kernel's code depends only on the plan's mode, which is part of its name
// (its number: the mask of the fields that differ between channels and so
// live in the rows, the others stored once after the header; then s<b>/p<b>
// when the clamp is a type's whole range, signed or unsigned b bits: the
// bounds are then constants). A window kernel takes the header and the
// fields stored once as operands (after its other operands), so that it
// does not read them from L2 (the table's rows stay in the table).
//
// Per tensor, shift 38 >= 32, half_up, zp -5: the rounding term and zp are
// one i64 value, 2^37 - 5 * 2^38, whose low word is zero (its high word
// -288 is the row's third field); r is the high word of the 64-bit product
// plus that value (mulh + add on RV32) shifted right by 38 - 32 = 6 in i32,
// and the clamp to [-128, 127] is i32 with constant bounds. Nothing shifts,
// selects or clamps an i64.
// CHECK: memref.global "private" constant @__dwsep_rq : memref<6xi32> = dense<[-5, -128, 127, 1518500250, 6, -288]>
// CHECK-LABEL: func.func @per_tensor_high
// CHECK: call @[[K:__dwsep_k_win_pw_hs8hs8_w2b_hzuc0s8_scp]](%{{.*}}, %c0, %c4, %c4, %c8, %c128, %c4, %c4, %c8, %c256, %c320, %c0, %c0, %c0, %c0, %c0, %c-5, %c-128, %c127, %c1518500250, %c6, %c-288)
// CHECK: func.func private @[[K]](
// CHECK-NOT: memref.get_global @__dwsep_rq
// CHECK: scf.parallel
// CHECK: iter_args
// CHECK: arith.muli {{.*}} : i64
// CHECK: arith.shrsi {{.*}} : i32
// CHECK: arith.cmpi ule, %{{.*}}, %c255_i32 : i32
// CHECK-NOT: arith.shrsi {{.*}} : i64
// CHECK-NOT: arith.select {{.*}} : i64
// CHECK-NOT: arith.maxsi {{.*}} : i64

#l1 = #dwsep.level<l1>
func.func @per_tensor_high(%l1: memref<4096xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c128 = arith.constant 128 : index
  %c256 = arith.constant 256 : index
  %c320 = arith.constant 320 : index
  %x = memref.view %l1[%c0][] : memref<4096xi8, #l1> to memref<4x4x8xi8, #l1>
  %y = memref.view %l1[%c128][] : memref<4096xi8, #l1> to memref<4x4x8xi8, #l1>
  %w = memref.view %l1[%c256][] : memref<4096xi8, #l1> to memref<8x8xi8, #l1>
  %b = memref.view %l1[%c320][] : memref<4096xi8, #l1> to memref<8xi32, #l1>
  dwsep.pointwise ins(%x, %w, %b : memref<4x4x8xi8, #l1>, memref<8x8xi8, #l1>, memref<8xi32, #l1>)
    outs(%y : memref<4x4x8xi8, #l1>) requant <mult = [1518500250], shift = [38], zp = -5, clamp = [-128, 127]>
  return
}

// -----

// Per-channel shifts on both sides of 32: each channel is rescaled to a
// shift >= 32 (mult * 2^k still fits 32 bits: 100 * 2^24, 2^30, -5 * 2^2,
// 10^6) and the rest of its shift, [0, 8, 1, 1], is an i32 shift by a value
// from the table. Channel 0's rounding term 2^7 * 2^24 = 2^31 has a non-zero
// low word, so the rows carry high and low words (with zp * 2^s folded in):
// mode `hzlc15`, rows of 4 fields. A channel's row is loaded once, outside the
// pixel loops: row (first channel + c), the first channel being the kernel's
// last operand (0 here: no channel_offset), whose row is located once per
// call, before the cores fork.
// CHECK: memref.global "private" constant @__dwsep_rq : memref<19xi32> = dense<[3, -100, 100, 1677721600, 0, 3, -2147483648, 1073741824, 8, 896, 0, -20, 1, 7, 0, 1000000, 1, 7, 0]>
// CHECK-LABEL: func.func @per_channel_mixed
// CHECK: call @[[K:__dwsep_k_win_dw_cs6cs6_k3x3s1x1p1_w3b_hzlc15_sc]](
// CHECK: func.func private @[[K]](%{{.*}}, %[[C0:arg14]]: index, %arg15: index, %arg16: index, %arg17: index, %arg18: index)
// CHECK: %[[FIRST:.*]] = arith.muli %[[C0]], %c4 : index
// CHECK: scf.parallel
// CHECK: scf.for %[[C:.*]] = %{{.*}} to %{{.*}} step
// CHECK: %[[ROW:.*]] = arith.muli %[[C]], %c4 : index
// CHECK: memref.load
// CHECK: scf.for
// CHECK: arith.ori {{.*}} : i64
// CHECK: arith.shrsi {{.*}} : i32
// CHECK-NOT: arith.shrsi {{.*}} : i64

#l1 = #dwsep.level<l1>
func.func @per_channel_mixed(%l1: memref<4096xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c144 = arith.constant 144 : index
  %c288 = arith.constant 288 : index
  %c324 = arith.constant 324 : index
  %x = memref.view %l1[%c0][] : memref<4096xi8, #l1> to memref<4x6x6xi8, #l1>
  %y = memref.view %l1[%c144][] : memref<4096xi8, #l1> to memref<4x6x6xi8, #l1>
  %w = memref.view %l1[%c288][] : memref<4096xi8, #l1> to memref<3x3x4xi8, #l1>
  %b = memref.view %l1[%c324][] : memref<4096xi8, #l1> to memref<4xi32, #l1>
  dwsep.depthwise ins(%x, %w, %b : memref<4x6x6xi8, #l1>, memref<3x3x4xi8, #l1>, memref<4xi32, #l1>)
    outs(%y : memref<4x6x6xi8, #l1>) layout <chw> pad [1, 1, 1, 1]
    requant <mult = [100, 1073741824, -5, 1000000], shift = [8, 40, 31, 33], zp = 3, clamp = [-100, 100]>
  return
}

// -----

// double_round with shift 35 > 31: the rounding term 2^34 +- 2^30 depends
// on the sign of v = acc * m; with no addend it is picked by acc < 0 (mode
// `a`), the two values being swapped for the negative multiplier (channel
// 1's row); the shift, 3 for all, is stored once.
// CHECK: memref.global "private" constant @__dwsep_rq : memref<24xi32> = dense<[0, -128, 127, 3, 1073741824, 4, 1073741824, 3, -1073741824, -1073741824, 3, -1073741824, 4, 1073741824, 5, 4, 1073741824, 3, -1073741824, 7, 4, 1073741824, 3, -1073741824]>
// CHECK-LABEL: func.func @double_round
// CHECK: func.func private @__dwsep_k_win_conv_hsf16hsf4_k1x1s1x1p0_w2b_hzalc61s8_sc(
// CHECK: %[[ACC:.*]] = scf.for
// CHECK: %[[N:.*]] = arith.cmpi slt, %[[ACC]], %c0_i32 : i32
// CHECK: arith.select %[[N]], %{{.*}}, %{{.*}} : i32
// CHECK-NOT: arith.shrsi {{.*}} : i64

#l1 = #dwsep.level<l1>
func.func @double_round(%l1: memref<4096xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %c96 = arith.constant 96 : index
  %x = memref.view %l1[%c0][] : memref<4096xi8, #l1> to memref<16xi8, #l1>
  %y = memref.view %l1[%c16][] : memref<4096xi8, #l1> to memref<4xi8, #l1>
  %w = memref.view %l1[%c32][] : memref<4096xi8, #l1> to memref<4x16xi8, #l1>
  %b = memref.view %l1[%c96][] : memref<4096xi8, #l1> to memref<4xi32, #l1>
  dwsep.linear ins(%x, %w, %b : memref<16xi8, #l1>, memref<4x16xi8, #l1>, memref<4xi32, #l1>)
    outs(%y : memref<4xi8, #l1>) requant <mult = [1073741824, -1073741824, 5, 7], shift = [35], clamp = [-128, 127], rounding = double_round>
  return
}

// -----

// Shift 0 with multiplier 3 cannot be rescaled to a shift >= 32 (3 * 2^32
// does not fit 32 bits): the general formula (mode `g`), and since r may
// leave i32, zp and the clamp on the i64 value (mode `w`).
// CHECK: memref.global "private" constant @__dwsep_rq : memref<7xi32> = dense<[0, -128, 127, 3, 0, 0, 5]>
// CHECK-LABEL: func.func @general
// CHECK: func.func private @__dwsep_k_win_conv_hsf16hsf4_k1x1s1x1p0_w2b_gzulwc0s8_sc(
// CHECK: arith.muli {{.*}} : i64
// CHECK: arith.shrsi {{.*}} : i64
// CHECK: arith.maxsi {{.*}} : i64
// CHECK: arith.minsi {{.*}} : i64

#l1 = #dwsep.level<l1>
func.func @general(%l1: memref<4096xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %c96 = arith.constant 96 : index
  %x = memref.view %l1[%c0][] : memref<4096xi8, #l1> to memref<16xi8, #l1>
  %y = memref.view %l1[%c16][] : memref<4096xi8, #l1> to memref<4xi8, #l1>
  %w = memref.view %l1[%c32][] : memref<4096xi8, #l1> to memref<4x16xi8, #l1>
  %b = memref.view %l1[%c96][] : memref<4096xi8, #l1> to memref<4xi32, #l1>
  dwsep.linear ins(%x, %w, %b : memref<16xi8, #l1>, memref<4x16xi8, #l1>, memref<4xi32, #l1>)
    outs(%y : memref<4xi8, #l1>) requant <mult = [3], shift = [0], add = [5], clamp = [-128, 127]>
  return
}

// -----

// rounding = float32 (ONNX Runtime's, docs/numerics.md 4.4): the plan is the
// half-up one (mode suffix f8: the clamp [0, 255] reaches 252 from zp 3,
// and 2^8 >= 252 + 2) and the kernel tests whether the exact product lies
// within 2^(total shift + 9 - 22) of a half; only then it calls
// @__dwsep_rq_float32, created once for the module, which emulates the two
// float32 roundings and the rounding to even in integers. The table is the
// half-up plan's: the high word of the product, 2^35 + 3 * 2^36 (a half and
// zp) = 56 * 2^32, shifted by 36 - 32.
// CHECK: memref.global "private" constant @__dwsep_rq : memref<6xi32> = dense<[3, 0, 255, 1633136768, 4, 56]>
// CHECK-LABEL: func.func @float32
// CHECK: call @[[K:__dwsep_k_win_pw_hu8hu8_w2b_hzuc0p8f8_scp]](
// CHECK: func.func private @[[K]](
// CHECK: arith.muli {{.*}} : i64
// CHECK: %[[NEAR:.*]] = arith.cmpi ult, %{{.*}}, %{{.*}} : i64
// CHECK: scf.if %[[NEAR]] -> (i32) {
// CHECK: func.call @__dwsep_rq_float32(
// CHECK: } else {
// CHECK-NOT: func.func private @__dwsep_rq_float32
// CHECK: func.func private @__dwsep_rq_float32(%{{.*}}: i32, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i32, %{{.*}}: i32, %{{.*}}: i32) -> i32
// CHECK-COUNT-2: llvm.intr.ctlz
// CHECK-NOT: func.func private @__dwsep_rq_float32
#l1 = #dwsep.level<l1>
func.func @float32(%l1: memref<4096xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c128 = arith.constant 128 : index
  %c256 = arith.constant 256 : index
  %c320 = arith.constant 320 : index
  %c512 = arith.constant 512 : index
  %x = memref.view %l1[%c0][] : memref<4096xi8, #l1> to memref<4x4x8xui8, #l1>
  %y = memref.view %l1[%c128][] : memref<4096xi8, #l1> to memref<4x4x8xui8, #l1>
  %y2 = memref.view %l1[%c512][] : memref<4096xi8, #l1> to memref<4x4x8xui8, #l1>
  %w = memref.view %l1[%c256][] : memref<4096xi8, #l1> to memref<8x8xi8, #l1>
  %b = memref.view %l1[%c320][] : memref<4096xi8, #l1> to memref<8xi32, #l1>
  dwsep.pointwise ins(%x, %w, %b : memref<4x4x8xui8, #l1>, memref<8x8xi8, #l1>, memref<8xi32, #l1>)
    outs(%y : memref<4x4x8xui8, #l1>) requant <mult = [1633136768], shift = [36], zp = 3, clamp = [0, 255], rounding = float32>
  dwsep.pointwise ins(%y, %w, %b : memref<4x4x8xui8, #l1>, memref<8x8xi8, #l1>, memref<8xi32, #l1>)
    outs(%y2 : memref<4x4x8xui8, #l1>) requant <mult = [1633136768], shift = [36], zp = 3, clamp = [0, 255], rounding = float32>
  return
}

// -----

// Two slices of a layer's output channels (channel_offset 0 and 4 on the
// layer's 8-channel requantization) share one table, the layer's, and one
// kernel: the slice's first channel is the kernel's last operand, and the
// table rows are read from it (the multipliers, scaled to shift 33, are the
// per-channel field).
// CHECK: memref.global "private" constant @__dwsep_rq : memref<13xi32> = dense<[0, -128, 127, 1, 1, 2097152, 4194304, 6291456, 8388608, 10485760, 12582912, 14680064, 16777216]>
// CHECK-LABEL: func.func @sliced
// CHECK: call @[[K:__dwsep_k_win_pw_[a-z0-9_]+]](%{{.*}}, %c0, %c0, %c0, %c0, %c0, %c-128, %c127, %c1, %c1)
// CHECK: call @[[K]](%{{.*}}, %c0, %c0, %c4, %c0, %c0, %c-128, %c127, %c1, %c1)
// CHECK-NOT: call @
// CHECK: func.func private @[[K]](%{{.*}}, %[[C0:arg14]]: index, %arg15: index, %arg16: index, %arg17: index, %arg18: index, %arg19: index, %arg20: index)
// CHECK: %[[ROW0:.*]] = arith.addi %{{.*}}, %[[C0]] : index
// CHECK: %[[ROW:.*]] = arith.addi %[[ROW0]], %{{.*}} : index
// CHECK-NEXT: memref.load %{{.*}}[%[[ROW]]] : memref<13xi32>

#l1 = #dwsep.level<l1>
func.func @sliced(%l1: memref<4096xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c128 = arith.constant 128 : index
  %c256 = arith.constant 256 : index
  %c320 = arith.constant 320 : index
  %x = memref.view %l1[%c0][] : memref<4096xi8, #l1> to memref<4x4x8xi8, #l1>
  %y = memref.view %l1[%c128][] : memref<4096xi8, #l1> to memref<4x4x4xi8, #l1>
  %w = memref.view %l1[%c256][] : memref<4096xi8, #l1> to memref<4x8xi8, #l1>
  %b = memref.view %l1[%c320][] : memref<4096xi8, #l1> to memref<4xi32, #l1>
  dwsep.pointwise ins(%x, %w, %b : memref<4x4x8xi8, #l1>, memref<4x8xi8, #l1>, memref<4xi32, #l1>)
    outs(%y : memref<4x4x4xi8, #l1>) channel_offset %c0
    requant <mult = [1, 2, 3, 4, 5, 6, 7, 8], shift = [12], clamp = [-128, 127]>
  dwsep.pointwise ins(%x, %w, %b : memref<4x4x8xi8, #l1>, memref<4x8xi8, #l1>, memref<4xi32, #l1>)
    outs(%y : memref<4x4x4xi8, #l1>) channel_offset %c4
    requant <mult = [1, 2, 3, 4, 5, 6, 7, 8], shift = [12], clamp = [-128, 127]>
  return
}

// -----

// With the 32-bit plan (acc_bound) the rows hold the multipliers as they
// are; when every per-channel value fits 16 bits the rows are halfwords in
// @__dwsep_rq16 (mode letter q), the header's fourth word is their offset
// there, and the kernel sign-extends what it loads. channel_offset 4: the
// slice's rows start at the layer's channel 4.
// CHECK: memref.global "private" constant @__dwsep_rq : memref<6xi32> = dense<[0, -128, 127, 0, 10, 512]>
// CHECK: memref.global "private" constant @__dwsep_rq16 : memref<8xi16> = dense<[100, 200, 300, 400, 500, 600, 700, -800]>
// CHECK-LABEL: func.func @halfword_rows
// CHECK: call @[[K:__dwsep_k_win_pw_hs8hs4_w2b_ozc1s8q_scp]](%{{.*}}, %c0, %c0, %c4, %c0, %c0, %c-128, %c127, %c10, %c512)
// CHECK: func.func private @[[K]](%{{.*}}, %[[C0:arg14]]: index, %arg15: index, %arg16: index, %arg17: index, %arg18: index, %arg19: index, %arg20: index)
// CHECK: %[[T:.*]] = memref.get_global @__dwsep_rq : memref<6xi32>
// CHECK: %[[H:.*]] = memref.get_global @__dwsep_rq16 : memref<8xi16>
// CHECK: %[[OFF:.*]] = memref.load %[[T]][%{{.*}}] : memref<6xi32>
// CHECK: %[[ROW0:.*]] = arith.index_cast %[[OFF]] : i32 to index
// CHECK: memref.load %[[H]][%{{.*}}] : memref<8xi16>
// CHECK-NEXT: arith.extsi %{{.*}} : i16 to i32

#l1 = #dwsep.level<l1>
func.func @halfword_rows(%l1: memref<4096xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c128 = arith.constant 128 : index
  %c256 = arith.constant 256 : index
  %c320 = arith.constant 320 : index
  %x = memref.view %l1[%c0][] : memref<4096xi8, #l1> to memref<4x4x8xi8, #l1>
  %y = memref.view %l1[%c128][] : memref<4096xi8, #l1> to memref<4x4x4xi8, #l1>
  %w = memref.view %l1[%c256][] : memref<4096xi8, #l1> to memref<4x8xi8, #l1>
  %b = memref.view %l1[%c320][] : memref<4096xi8, #l1> to memref<4xi32, #l1>
  dwsep.pointwise ins(%x, %w, %b : memref<4x4x8xi8, #l1>, memref<4x8xi8, #l1>, memref<4xi32, #l1>)
    outs(%y : memref<4x4x4xi8, #l1>) channel_offset %c4
    requant <mult = [100, 200, 300, 400, 500, 600, 700, -800], shift = [10], clamp = [-128, 127], acc_bound = 100000>
  return
}

// -----

// The same slice with its rows staged in L1 (requant_rows, set by
// --dwsep-requant-rows and sliced by --dwsep-tile: the slice's 4 rows,
// channels 4-7): the table keeps the header and the uniform fields only
// (zp, clamp, the unused rows slot, shift, R), there is no halfword table,
// and the kernel (`_l1rq`) reads row c of the L1 view at byte 336 (its last
// operand) for its channel c, whatever the channel offset.
// CHECK: memref.global "private" constant @__dwsep_rq : memref<6xi32> = dense<[0, -128, 127, 0, 10, 512]>
// CHECK-NOT: __dwsep_rq16
// CHECK-LABEL: func.func @staged_rows
// CHECK: call @[[K:__dwsep_k_win_pw_hs8hs4_w2b_ozc1s8q_scp_l1rq]](%{{.*}}, %c0, %c0, %c4, %c336, %c0, %c-128, %c127, %c10, %c512)
// CHECK: func.func private @[[K]](%{{.*}}, %[[ROWS:arg15]]: index, %arg16: index, %arg17: index, %arg18: index, %arg19: index, %arg20: index)
// CHECK: %[[V:.*]] = memref.view %{{.*}}[%[[ROWS]]][] : memref<4096xi8, #dwsep.level<l1>> to memref<4xi16, #dwsep.level<l1>>
// CHECK: memref.load %{{.*}}[%[[C:.*]]] : memref<4xi32, #dwsep.level<l1>>
// CHECK-NEXT: memref.load %[[V]][%[[C]]] : memref<4xi16, #dwsep.level<l1>>
// CHECK-NEXT: arith.extsi %{{.*}} : i16 to i32
// CHECK-NOT: __dwsep_rq16

#l1 = #dwsep.level<l1>
func.func @staged_rows(%l1: memref<4096xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c128 = arith.constant 128 : index
  %c256 = arith.constant 256 : index
  %c320 = arith.constant 320 : index
  %c336 = arith.constant 336 : index
  %x = memref.view %l1[%c0][] : memref<4096xi8, #l1> to memref<4x4x8xi8, #l1>
  %y = memref.view %l1[%c128][] : memref<4096xi8, #l1> to memref<4x4x4xi8, #l1>
  %w = memref.view %l1[%c256][] : memref<4096xi8, #l1> to memref<4x8xi8, #l1>
  %b = memref.view %l1[%c320][] : memref<4096xi8, #l1> to memref<4xi32, #l1>
  %r = memref.view %l1[%c336][] : memref<4096xi8, #l1> to memref<4x1xi16, #l1>
  dwsep.pointwise ins(%x, %w, %b : memref<4x4x8xi8, #l1>, memref<4x8xi8, #l1>, memref<4xi32, #l1>)
    requant_rows(%r : memref<4x1xi16, #l1>)
    outs(%y : memref<4x4x4xi8, #l1>) channel_offset %c4
    requant <mult = [100, 200, 300, 400, 500, 600, 700, -800], shift = [10], clamp = [-128, 127], acc_bound = 100000>
  return
}

// -----

// A fused op's two requantizations are staged or not apart: here the
// intermediate's rows (mid_requant_rows, every intermediate channel of a
// DW->PW tile) are in L1 at byte 344 and the depthwise half's kernel
// (`_l1rq`) reads them from channel 0, while the output's stay in the
// halfword table, which the pointwise half reads from the tile's channel
// offset (2) on.
// CHECK: memref.global "private" constant @__dwsep_rq : memref<12xi32> = dense<[0, -128, 127, 0, 10, 512, 0, -128, 127, 0, 10, 512]>
// CHECK: memref.global "private" constant @__dwsep_rq16 : memref<4xi16> = dense<[5, 6, 7, 8]>
// CHECK-LABEL: func.func @fused_rows
// CHECK: call @__dwsep_k_win_dw_hs4w4hs4w4_k3x3s1x1p1_w3b_ozuc1s8q_sc_l1rq(%{{.*}}, %c0, %c0, %c0, %c344, %c0, %c-128, %c127, %c10, %c512)
// CHECK: call @__dwsep_k_win_pw_hs4hs2_w2b_ozuc1s8q_scp(%{{.*}}, %c6, %c2, %c0, %c0, %c-128, %c127, %c10, %c512)
#l1 = #dwsep.level<l1>
func.func @fused_rows(%l1: memref<4096xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c128 = arith.constant 128 : index
  %c256 = arith.constant 256 : index
  %c300 = arith.constant 300 : index
  %c320 = arith.constant 320 : index
  %c336 = arith.constant 336 : index
  %c344 = arith.constant 344 : index
  %c352 = arith.constant 352 : index
  %x = memref.view %l1[%c0][] : memref<4096xi8, #l1> to memref<4x4x4xi8, #l1>
  %y = memref.view %l1[%c128][] : memref<4096xi8, #l1> to memref<4x4x2xi8, #l1>
  %dw = memref.view %l1[%c256][] : memref<4096xi8, #l1> to memref<3x3x4xi8, #l1>
  %db = memref.view %l1[%c300][] : memref<4096xi8, #l1> to memref<4xi32, #l1>
  %pw = memref.view %l1[%c320][] : memref<4096xi8, #l1> to memref<2x4xi8, #l1>
  %pb = memref.view %l1[%c336][] : memref<4096xi8, #l1> to memref<2xi32, #l1>
  %m = memref.view %l1[%c344][] : memref<4096xi8, #l1> to memref<4x1xi16, #l1>
  dwsep.fused ins(%x : memref<4x4x4xi8, #l1>) dw(%dw, %db : memref<3x3x4xi8, #l1>, memref<4xi32, #l1>)
    pw(%pw, %pb : memref<2x4xi8, #l1>, memref<2xi32, #l1>) mid_requant_rows(%m : memref<4x1xi16, #l1>)
    outs(%y : memref<4x4x2xi8, #l1>) channel_offset %c2
    variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1]
    dw_requant <mult = [100, 200, 300, 400], shift = [10], clamp = [-128, 127], acc_bound = 100000>
    pw_requant <mult = [5, 6, 7, 8], shift = [10], clamp = [-128, 127], acc_bound = 100000>
    scratch_offset 1024
  return
}
