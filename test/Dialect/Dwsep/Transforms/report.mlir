// RUN: dwsep-opt %s --split-input-file --dwsep-tile=l1-budget=400 --dwsep-report -o /dev/null | FileCheck %s
// RUN: dwsep-opt %s --split-input-file --dwsep-tile=l1-budget=400 --dwsep-report=format=json -o /dev/null | FileCheck %s --check-prefix=JSON

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>
#l3 = #dwsep.level<l3>

// Bytes per level and direction, counted from the DMA ops (loop trip counts
// included), checked against the tile plan by the pass itself.
// CHECK: layer {{.*}} L3>L2 w   L3>L2 a   L2>L1 a   L2>L1 w   L1>L2 a
// 3x3 depthwise, 10x8x6: the halo makes L2->L1 > 480 B; every output byte is
// written once (480 B); the weights 54 + 24 B come from L3 once.
// CHECK-NEXT: dw {{.*}} 78 0 {{[0-9]+}} {{[0-9]+}} 480 0
// CHECK: total
// CHECK: L2 peak: 1024 B, L3 image: 80 B
// The kernel costs the predictions were priced with (the gap8 preset's),
// and per layer the work they were charged for: a depthwise in HWC only.
// JSON: "costs": {
// JSON: "depthwise_hwc_mac": {{[1-9][0-9]*}},
// JSON: "l2_peak": 1024
// JSON: "l1_l2": {
// JSON-NEXT: "act": 480,
// JSON: "l3_l2": {
// JSON-NEXT: "act": 0,
// JSON-NEXT: "weights": 78
// JSON: "name": "dw"
// JSON: "work": {
// JSON: "conv_hwc_mac": 0,
// JSON: "depthwise_hwc_mac": {{[1-9][0-9]*}},
// JSON-NEXT: "depthwise_hwc_out": {{[1-9][0-9]*}},
// JSON-NEXT: "exposed_dma_cycles": {{[0-9]+}},
// JSON-NEXT: "fork_cycles": {{[1-9][0-9]*}},
// JSON: "pointwise_hwc_mac": 0,
module attributes {dwsep.l3_size = 80 : i64} {
  func.func @f(%l1: memref<38236xi8, #l1>, %l2: memref<1024xi8, #l2>, %l3: memref<80xi8, #l3>) attributes {dwsep.l2_size = 1024 : i64} {
    %c0 = arith.constant 0 : index
    %c480 = arith.constant 480 : index
    %c960 = arith.constant 960 : index
    %c64 = arith.constant 64 : index
    %c992 = arith.constant 992 : index
    %x = memref.view %l2[%c0][] : memref<1024xi8, #l2> to memref<10x8x6xi8, #l2>
    %y = memref.view %l2[%c480][] : memref<1024xi8, #l2> to memref<10x8x6xi8, #l2>
    dwsep.layer "dw" {
      %w3 = memref.view %l3[%c0][] : memref<80xi8, #l3> to memref<3x3x6xi8, #l3>
      %w2 = memref.view %l2[%c960][] : memref<1024xi8, #l2> to memref<3x3x6xi8, #l2>
      %t0 = dwsep.dma_start %w3, %w2 weights : memref<3x3x6xi8, #l3> to memref<3x3x6xi8, #l2>
      %b3 = memref.view %l3[%c64][] : memref<80xi8, #l3> to memref<6xi32, #l3>
      %b2 = memref.view %l2[%c992][] : memref<1024xi8, #l2> to memref<6xi32, #l2>
      %t1 = dwsep.dma_start %b3, %b2 weights : memref<6xi32, #l3> to memref<6xi32, #l2>
      dwsep.dma_wait %t0, %t1
      dwsep.depthwise ins(%x, %w2, %b2 : memref<10x8x6xi8, #l2>, memref<3x3x6xi8, #l2>, memref<6xi32, #l2>)
        outs(%y : memref<10x8x6xi8, #l2>) pad [1, 1, 1, 1] requant <mult = [1], shift = [3], clamp = [-128, 127]>
    }
    return
  }
}
