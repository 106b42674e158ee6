// RUN: dwsep-opt %s --split-input-file --dwsep-lower-kernels | FileCheck %s

#l1 = #dwsep.level<l1>

// A ui8 depthwise on L1 views: read through signless views of the same
// bytes, zero-extended; work split over the 8 cores by channels. The
// requantization (shift 3) is rescaled at compile time to a shift of 32:
// the per-channel multipliers times 2^29 become a constant global, loaded
// once per channel before the pixel loops, and each output takes the high
// word of the 64-bit product (see lower-kernels-requant.mlir).
// CHECK: memref.global "private" constant @__dwsep_rq_0 : memref<4xi32> = dense<[536870912, 1073741824, 1610612736, -2147483648]>
// CHECK-LABEL: func.func @dw
// CHECK: memref.view %{{.*}}[%{{.*}}][] : memref<1024xi8, #dwsep.level<l1>> to memref<6x6x4xi8, #dwsep.level<l1>>
// CHECK: scf.parallel (%{{.*}}) = (%{{.*}}) to (%c8{{.*}}) step
// CHECK: %[[G:.*]] = memref.get_global @__dwsep_rq_0
// CHECK: %[[M:.*]] = memref.load %[[G]]
// CHECK: scf.for
// CHECK: arith.extui {{.*}} : i8 to i32
// CHECK: %[[M64:.*]] = arith.extui %[[M]] : i32 to i64
// CHECK: arith.muli %{{.*}}, %[[M64]] : i64
// CHECK: arith.shrsi %{{.*}}, %c32_i64{{.*}} : i64
// CHECK: arith.trunci {{.*}} : i64 to i32
// CHECK-NOT: dwsep.depthwise
func.func @dw(%l1: memref<1024xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c144 = arith.constant 144 : index
  %c288 = arith.constant 288 : index
  %c324 = arith.constant 324 : index
  %x = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<6x6x4xui8, #l1>
  %y = memref.view %l1[%c144][] : memref<1024xi8, #l1> to memref<6x6x4xui8, #l1>
  %w = memref.view %l1[%c288][] : memref<1024xi8, #l1> to memref<3x3x4xi8, #l1>
  %b = memref.view %l1[%c324][] : memref<1024xi8, #l1> to memref<4xi32, #l1>
  dwsep.depthwise ins(%x, %w, %b : memref<6x6x4xui8, #l1>, memref<3x3x4xi8, #l1>, memref<4xi32, #l1>)
    outs(%y : memref<6x6x4xui8, #l1>) pad [1, 1, 1, 1]
    requant <mult = [1, 2, 3, 4], shift = [3], clamp = [0, 255]>
  return
}

// -----

// The pointwise kernel is register-blocked: 2 pixels x 4 channels share
// each loaded input and weight (8 accumulators carried by the channel loop).
// CHECK-LABEL: func.func @pw
// CHECK: scf.for {{.*}} iter_args({{.*}}, {{.*}}, {{.*}}, {{.*}}, {{.*}}, {{.*}}, {{.*}}, {{.*}}) -> (i32, i32, i32, i32, i32, i32, i32, i32)
// CHECK-COUNT-8: arith.muli {{.*}} : i32
func.func @pw(%x: memref<4x4x8xi8>, %w: memref<8x8xi8>, %b: memref<8xi32>, %y: memref<4x4x8xi8>) {
  dwsep.pointwise ins(%x, %w, %b : memref<4x4x8xi8>, memref<8x8xi8>, memref<8xi32>)
    outs(%y : memref<4x4x8xi8>) requant <mult = [1], shift = [3], clamp = [-128, 127]>
  return
}
