// RUN: dwsep-opt %s --dwsep-to-llvm | FileCheck %s

// Transfers become runtime calls. The boxes tiles, bands and staged weight
// groups are made of (rows of bytes contiguous at the level nearer the
// cores and evenly strided at the farther one, known from the static shapes
// and strides) call dwsep_rt_dma_rows(near, far, len, rows, far stride,
// direction, weights): 7 register arguments, which the runtime turns into
// one DMA command. Any other box calls the general dwsep_rt_dma_start(dst,
// src, elem, n0..2, dst strides, src strides, direction, weights).

// CHECK-DAG: %[[C0:.*]] = llvm.mlir.constant(0 : index) : i32
// CHECK-DAG: %[[C1:.*]] = llvm.mlir.constant(1 : index) : i32
// CHECK-DAG: %[[C2:.*]] = llvm.mlir.constant(2 : index) : i32
// CHECK-DAG: %[[C3:.*]] = llvm.mlir.constant(3 : index) : i32
// CHECK-DAG: %[[C4:.*]] = llvm.mlir.constant(4 : index) : i32
// CHECK-DAG: %[[C8:.*]] = llvm.mlir.constant(8 : index) : i32
// CHECK-DAG: %[[C16:.*]] = llvm.mlir.constant(16 : index) : i32
// CHECK-DAG: %[[C64:.*]] = llvm.mlir.constant(64 : index) : i32
// CHECK-DAG: %[[C9:.*]] = llvm.mlir.constant(9 : index) : i32
// CHECK-DAG: %[[C128:.*]] = llvm.mlir.constant(128 : index) : i32
// CHECK-DAG: %[[C512:.*]] = llvm.mlir.constant(512 : index) : i32
// CHECK-DAG: %[[C2112:.*]] = llvm.mlir.constant(2112 : index) : i32
// CHECK-DAG: %[[C4096:.*]] = llvm.mlir.constant(4096 : index) : i32
// A whole tile, L2 -> L1: whole rows on both sides merge, 4 rows of 128
// bytes, 128 apart (the runtime makes it one 1-D command).
// CHECK: llvm.call @dwsep_rt_dma_rows(%{{.*}}, %{{.*}}, %[[C128]], %[[C4]], %[[C128]], %[[C1]], %[[C0]])
// A channel slice written back, L1 -> L2: 16 rows of 16 bytes, 64 apart in
// L2 (one 2-D command); the L1 address comes first.
// CHECK: llvm.call @dwsep_rt_dma_rows(%[[L1:.*]], %[[L2:.*]], %[[C16]], %[[C16]], %[[C64]], %[[C2]], %[[C0]])
// Biases: one row of 64 bytes.
// CHECK: llvm.call @dwsep_rt_dma_rows(%{{.*}}, %{{.*}}, %[[C64]], %[[C1]], %[[C64]], %[[C1]], %[[C1]])
// Every other byte of the input: not rows of bytes.
// CHECK: llvm.call @dwsep_rt_dma_start(
// L3 -> L2 weights: one row of 64 bytes, the L2 address first.
// CHECK: llvm.call @dwsep_rt_dma_rows(%{{.*}}, %{{.*}}, %[[C64]], %[[C1]], %[[C64]], %[[C0]], %[[C1]])
// A band written back, L2 -> L3: 2 rows of 512 bytes, 512 apart in L3 (it
// is contiguous there too).
// CHECK: llvm.call @dwsep_rt_dma_rows(%{{.*}}, %{{.*}}, %[[C512]], %[[C2]], %[[C512]], %[[C3]], %[[C0]])
// A channel group of depthwise weights staged from L3 ([3][3][16] of a
// [3][3][64] tensor): 9 rows of 16 bytes, 64 apart in L3.
// CHECK: llvm.call @dwsep_rt_dma_rows(%{{.*}}, %{{.*}}, %[[C16]], %[[C9]], %[[C64]], %[[C0]], %[[C1]])
// A CHW tile of 8 channels x 33 full rows of 64 bytes of a 64-channel
// 64 x 64 map, L2 -> L1: a channel's rows are one run of 2112 bytes, the
// channels 4096 apart (it took dwsep_rt_dma_start, ~180 instructions a
// call, before).
// CHECK: llvm.call @dwsep_rt_dma_rows(%{{.*}}, %{{.*}}, %[[C2112]], %[[C8]], %[[C4096]], %[[C1]], %[[C0]])
// The eight waits: four ids a call.
// CHECK: llvm.call @dwsep_rt_dma_wait4(%[[T0:.*]], %[[T1:.*]], %[[T2:.*]], %[[T3:.*]]) : (i32, i32, i32, i32) -> ()
// CHECK-NEXT: llvm.call @dwsep_rt_dma_wait4(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (i32, i32, i32, i32) -> ()
#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>
#l3 = #dwsep.level<l3>
func.func @dma(%a1: memref<4x8x16xi8, #l1>, %a2: memref<4x8x16xi8, #l2>,
               %c1: memref<2x8x16xi8, #l1>, %c2: memref<2x8x64xi8, #l2>,
               %b1: memref<16xi32, #l1>, %b2: memref<16xi32, #l2>,
               %e1: memref<4x8x8xi8, #l1>, %w3: memref<16xi32, #l3>,
               %band3: memref<8x8x64xi8, #l3>, %dw3: memref<3x3x64xi8, #l3>,
               %dw2: memref<3x3x16xi8, #l2>,
               %chw2: memref<64x64x64xi8, #l2>, %chw1: memref<8x33x64xi8, #l1>) {
  %t0 = dwsep.dma_start %a2, %a1 : memref<4x8x16xi8, #l2> to memref<4x8x16xi8, #l1>
  %s = memref.subview %c2[0, 0, 16] [2, 8, 16] [1, 1, 1] : memref<2x8x64xi8, #l2> to memref<2x8x16xi8, strided<[512, 64, 1], offset: 16>, #l2>
  %t1 = dwsep.dma_start %c1, %s : memref<2x8x16xi8, #l1> to memref<2x8x16xi8, strided<[512, 64, 1], offset: 16>, #l2>
  %t2 = dwsep.dma_start %b2, %b1 weights : memref<16xi32, #l2> to memref<16xi32, #l1>
  %e = memref.subview %a2[0, 0, 0] [4, 8, 8] [1, 1, 2] : memref<4x8x16xi8, #l2> to memref<4x8x8xi8, strided<[128, 16, 2]>, #l2>
  %t3 = dwsep.dma_start %e, %e1 : memref<4x8x8xi8, strided<[128, 16, 2]>, #l2> to memref<4x8x8xi8, #l1>
  %t4 = dwsep.dma_start %w3, %b2 weights : memref<16xi32, #l3> to memref<16xi32, #l2>
  %band = memref.subview %band3[2, 0, 0] [2, 8, 64] [1, 1, 1] : memref<8x8x64xi8, #l3> to memref<2x8x64xi8, strided<[512, 64, 1], offset: 1024>, #l3>
  %t5 = dwsep.dma_start %c2, %band : memref<2x8x64xi8, #l2> to memref<2x8x64xi8, strided<[512, 64, 1], offset: 1024>, #l3>
  %g = memref.subview %dw3[0, 0, 16] [3, 3, 16] [1, 1, 1] : memref<3x3x64xi8, #l3> to memref<3x3x16xi8, strided<[192, 64, 1], offset: 16>, #l3>
  %t6 = dwsep.dma_start %g, %dw2 weights : memref<3x3x16xi8, strided<[192, 64, 1], offset: 16>, #l3> to memref<3x3x16xi8, #l2>
  %h = memref.subview %chw2[8, 31, 0] [8, 33, 64] [1, 1, 1] : memref<64x64x64xi8, #l2> to memref<8x33x64xi8, strided<[4096, 64, 1], offset: 34752>, #l2>
  %t7 = dwsep.dma_start %h, %chw1 : memref<8x33x64xi8, strided<[4096, 64, 1], offset: 34752>, #l2> to memref<8x33x64xi8, #l1>
  dwsep.dma_wait %t0, %t1, %t2, %t3, %t4, %t5, %t6, %t7
  return
}

// The token of no transfer is DWSEP_RT_DMA_NONE (-1), for which the
// runtime's wait returns at once; here it flows through a branch, as the
// tile loops' fetches of a slice's weights do.
// CHECK-LABEL: llvm.func @none
// CHECK: %[[NONE:.*]] = llvm.mlir.constant(-1 : i32) : i32
// CHECK: llvm.br ^[[JOIN:.*]](%[[NONE]] : i32)
// CHECK: ^[[JOIN]](%[[T:.*]]: i32):
// CHECK: llvm.call @dwsep_rt_dma_wait(%[[T]])
func.func @none(%first: i1, %b1: memref<16xi32, #l1>, %b2: memref<16xi32, #l2>) {
  %t = scf.if %first -> !dwsep.token {
    %f = dwsep.dma_start %b2, %b1 weights : memref<16xi32, #l2> to memref<16xi32, #l1>
    scf.yield %f : !dwsep.token
  } else {
    %n = dwsep.dma_none
    scf.yield %n : !dwsep.token
  }
  dwsep.dma_wait %t
  return
}
