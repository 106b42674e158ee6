// RUN: dwsep-opt %s --split-input-file --dwsep-lower-kernels --canonicalize --cse | FileCheck %s

// The requantization is specialised at compile time (RequantPlan in
// LowerKernels.cpp; the numbers are docs/numerics.md section 4). Per tensor,
// shift 38 >= 32, half_up, zp -5: the rounding term and zp are one i64
// constant, 2^37 - 5 * 2^38 = -1236950581248, whose low word is zero; r is
// the high word of the 64-bit product plus that constant (mulh + add on RV32)
// shifted right by 38 - 32 = 6 in i32, and zp and the clamp are i32
// operations. The multiplier is loaded from a constant global, once, before
// the kernel's loops (a 64-bit constant multiplier would be hoisted by LLVM
// and then multiplied in 64 bits). Nothing shifts, selects or clamps an i64
// at run time.
// CHECK: memref.global "private" constant @[[M:__dwsep_rq_[0-9]+]] : memref<1xi32> = dense<1518500250>
// CHECK-LABEL: func.func @per_tensor_high
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : i64
// CHECK-DAG: %[[R:.*]] = arith.constant -1236950581248 : i64
// CHECK-DAG: %[[C6:.*]] = arith.constant 6 : i32
// CHECK: %[[G:.*]] = memref.get_global @[[M]]
// CHECK: %[[MV:.*]] = memref.load %[[G]]
// CHECK: scf.parallel
// CHECK-NOT: arith.shrsi {{.*}} : i64
// CHECK-NOT: arith.select {{.*}} : i64
// CHECK: iter_args
// CHECK: %[[M64:.*]] = arith.extui %[[MV]] : i32 to i64
// CHECK: %[[A:.*]] = arith.extsi %{{.*}} : i32 to i64
// CHECK: %[[P:.*]] = arith.muli %[[A]], %[[M64]] : i64
// CHECK: %[[S:.*]] = arith.addi %[[P]], %[[R]] : i64
// CHECK: %[[H:.*]] = arith.shrui %[[S]], %[[C32]] : i64
// CHECK: %[[H32:.*]] = arith.trunci %[[H]] : i64 to i32
// CHECK: %[[Y:.*]] = arith.shrsi %[[H32]], %[[C6]] : i32
// CHECK: arith.cmpi ule, %{{.*}}, %c255_i32 : i32
// CHECK: arith.cmpi slt, %[[Y]], %c-128_i32 : i32
// CHECK-NOT: arith.shrsi {{.*}} : i64
// CHECK-NOT: arith.select {{.*}} : i64
// CHECK-NOT: arith.maxsi {{.*}} : i64
// CHECK-NOT: arith.minsi {{.*}} : i64
func.func @per_tensor_high(%x: memref<4x4x8xi8>, %w: memref<8x8xi8>, %b: memref<8xi32>, %y: memref<4x4x8xi8>) {
  dwsep.pointwise ins(%x, %w, %b : memref<4x4x8xi8>, memref<8x8xi8>, memref<8xi32>)
    outs(%y : memref<4x4x8xi8>) requant <mult = [1518500250], shift = [38], zp = -5, clamp = [-128, 127]>
  return
}

// -----

// Per-channel shifts on both sides of 32: each channel is rescaled to a
// shift >= 32 (mult * 2^k still fits 32 bits: 100 * 2^24, 2^30, -5 * 2^2,
// 10^6) and the rest of its shift, [0, 8, 1, 1], is an i32 shift by a value
// from a table. Channel 0's rounding term 2^7 * 2^24 = 2^31 has a non-zero
// low word, so the constants are 64-bit (high and low words, with zp * 2^s
// folded in) and the add carries. The tables are loaded once per channel,
// outside the pixel loops.
// CHECK-DAG: memref.global "private" constant @[[M:__dwsep_rq_[0-9]+]] : memref<4xi32> = dense<[1677721600, 1073741824, -20, 1000000]>
// CHECK-DAG: memref.global "private" constant @[[SH:__dwsep_rq_[0-9]+]] : memref<4xi32> = dense<[0, 8, 1, 1]>
// CHECK-DAG: memref.global "private" constant @[[HI:__dwsep_rq_[0-9]+]] : memref<4xi32> = dense<[3, 896, 7, 7]>
// CHECK-DAG: memref.global "private" constant @[[LO:__dwsep_rq_[0-9]+]] : memref<4xi32> = dense<[-2147483648, 0, 0, 0]>
// CHECK-LABEL: func.func @per_channel_mixed
// CHECK: scf.parallel
// CHECK: scf.for %[[C:.*]] = %{{.*}} to %{{.*}} step
// CHECK: memref.get_global @[[M]]
// CHECK: %[[MV:.*]] = memref.load %{{.*}}[%[[C]]]
// CHECK: memref.get_global @[[SH]]
// CHECK: %[[SV:.*]] = memref.load %{{.*}}[%[[C]]]
// CHECK: memref.get_global @[[HI]]
// CHECK: memref.get_global @[[LO]]
// CHECK: %[[M64:.*]] = arith.extsi %[[MV]] : i32 to i64
// CHECK: arith.muli %{{.*}}, %[[M64]] : i64
// CHECK: arith.ori {{.*}} : i64
// CHECK: arith.trunci {{.*}} : i64 to i32
// CHECK: arith.shrsi %{{.*}}, %[[SV]] : i32
// CHECK: scf.for
// CHECK: arith.shrsi %{{.*}}, %[[SV]] : i32
// CHECK-NOT: arith.shrsi {{.*}} : i64
func.func @per_channel_mixed(%x: memref<4x6x6xi8>, %w: memref<3x3x4xi8>, %b: memref<4xi32>, %y: memref<4x6x6xi8>) {
  dwsep.depthwise ins(%x, %w, %b : memref<4x6x6xi8>, memref<3x3x4xi8>, memref<4xi32>)
    outs(%y : memref<4x6x6xi8>) layout <chw> pad [1, 1, 1, 1]
    requant <mult = [100, 1073741824, -5, 1000000], shift = [8, 40, 31, 33], zp = 3, clamp = [-100, 100]>
  return
}

// -----

// double_round with shift 35 > 31: the rounding term 2^34 +- 2^30 depends
// on the sign of v = acc * m; with no addend it is picked by acc < 0, the
// two constants being swapped for the negative multiplier (channel 1).
// CHECK-DAG: memref.global "private" constant @[[POS:__dwsep_rq_[0-9]+]] : memref<4xi32> = dense<[1073741824, -1073741824, 1073741824, 1073741824]>
// CHECK-DAG: memref.global "private" constant @[[NEG:__dwsep_rq_[0-9]+]] : memref<4xi32> = dense<[-1073741824, 1073741824, -1073741824, -1073741824]>
// CHECK-LABEL: func.func @double_round
// CHECK: memref.get_global @[[POS]]
// CHECK: %[[POSV:.*]] = memref.load
// CHECK: memref.get_global @[[NEG]]
// CHECK: %[[NEGV:.*]] = memref.load
// CHECK: %[[ACC:.*]] = scf.for
// CHECK: %[[N:.*]] = arith.cmpi slt, %[[ACC]], %c0_i32 : i32
// CHECK: arith.select %[[N]], %[[NEGV]], %[[POSV]] : i32
// CHECK: arith.shrsi %{{.*}}, %c3_i32 : i32
// CHECK-NOT: arith.shrsi {{.*}} : i64
func.func @double_round(%x: memref<16xi8>, %w: memref<4x16xi8>, %b: memref<4xi32>, %y: memref<4xi8>) {
  dwsep.linear ins(%x, %w, %b : memref<16xi8>, memref<4x16xi8>, memref<4xi32>)
    outs(%y : memref<4xi8>) requant <mult = [1073741824, -1073741824, 5, 7], shift = [35], clamp = [-128, 127], rounding = double_round>
  return
}

// -----

// Shift 0 with multiplier 3 cannot be rescaled to a shift >= 32 (3 * 2^32
// does not fit 32 bits): the general formula, the clamp on the i64 value.
// CHECK-LABEL: func.func @general
// CHECK: arith.muli {{.*}} : i64
// CHECK: arith.addi %{{.*}}, %c5_i64 : i64
// CHECK: arith.maxsi %{{.*}}, %c-128_i64 : i64
// CHECK: arith.minsi %{{.*}}, %c127_i64 : i64
func.func @general(%x: memref<16xi8>, %w: memref<4x16xi8>, %b: memref<4xi32>, %y: memref<4xi8>) {
  dwsep.linear ins(%x, %w, %b : memref<16xi8>, memref<4x16xi8>, memref<4xi32>)
    outs(%y : memref<4xi8>) requant <mult = [3], shift = [0], add = [5], clamp = [-128, 127]>
  return
}
