// RUN: dwsep-opt %s --dwsep-pipeline-dma | FileCheck %s

// Layers streamed from L3 (--dwsep-plan-memory's bands): the next layer's
// input band may start early only if the previous layer does not write the
// L3 bytes it reads, even when their L2 bytes are disjoint.
// CHECK-LABEL: func.func @bands
// CHECK: %[[FREE:.*]] = dwsep.dma_start %{{.*}}, %{{.*}} : memref<64xi8, #dwsep.level<l3>> to memref<64xi8, #dwsep.level<l2>>
// CHECK: dwsep.layer "a.band0"
// CHECK: dwsep.layer "b.band0"
// CHECK-NEXT: arith.constant 0
// CHECK-NEXT: memref.view
// CHECK-NEXT: arith.constant 128
// CHECK-NEXT: memref.view
// CHECK-NEXT: %[[RAW:.*]] = dwsep.dma_start
// CHECK: dwsep.dma_wait %[[RAW]], %[[FREE]]
func.func @bands(%l2: memref<512xi8, #dwsep.level<l2>>, %l3: memref<512xi8, #dwsep.level<l3>>) {
  dwsep.layer "a.band0" {
    %c0 = arith.constant 0 : index
    %src = memref.view %l2[%c0][] : memref<512xi8, #dwsep.level<l2>> to memref<64xi8, #dwsep.level<l2>>
    %dst = memref.view %l3[%c0][] : memref<512xi8, #dwsep.level<l3>> to memref<64xi8, #dwsep.level<l3>>
    %t = dwsep.dma_start %src, %dst : memref<64xi8, #dwsep.level<l2>> to memref<64xi8, #dwsep.level<l3>>
    dwsep.dma_wait %t
  }
  dwsep.layer "b.band0" {
    %c0 = arith.constant 0 : index
    %src = memref.view %l3[%c0][] : memref<512xi8, #dwsep.level<l3>> to memref<64xi8, #dwsep.level<l3>>
    %c128 = arith.constant 128 : index
    %dst = memref.view %l2[%c128][] : memref<512xi8, #dwsep.level<l2>> to memref<64xi8, #dwsep.level<l2>>
    %t0 = dwsep.dma_start %src, %dst : memref<64xi8, #dwsep.level<l3>> to memref<64xi8, #dwsep.level<l2>>
    %c64 = arith.constant 64 : index
    %src2 = memref.view %l3[%c64][] : memref<512xi8, #dwsep.level<l3>> to memref<64xi8, #dwsep.level<l3>>
    %c256 = arith.constant 256 : index
    %dst2 = memref.view %l2[%c256][] : memref<512xi8, #dwsep.level<l2>> to memref<64xi8, #dwsep.level<l2>>
    %t1 = dwsep.dma_start %src2, %dst2 : memref<64xi8, #dwsep.level<l3>> to memref<64xi8, #dwsep.level<l2>>
    dwsep.dma_wait %t0, %t1
  }
  return
}
