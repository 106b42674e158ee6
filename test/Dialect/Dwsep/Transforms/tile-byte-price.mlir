// RUN: dwsep-opt %s --dwsep-set-target=byte-price=0 --dwsep-tile="l1-budget=20000 loop-order=channels" | FileCheck %s --check-prefix=LATENCY
// RUN: dwsep-opt %s --dwsep-set-target=byte-price=1000 --dwsep-tile="l1-budget=20000 loop-order=channels" | FileCheck %s --check-prefix=TRAFFIC

// The target's byte_price (milli-cycles per byte moved between L2 and L1)
// is added to the modelled cycles the tile search minimises. A pointwise
// layer over an 8x8x256 input (16 KiB) with 256 output channels (64 KiB of
// weights) in a 20000 B budget, slices outer where both orders apply
// (loop-order=channels): by latency alone the search takes 2-row
// tiles of 20 channels, channel slices outer, and every one of the 13
// slices fetches the whole input again (13 x 16 KiB). At 1 cycle a byte it
// keeps the input in L1 (one row tile of all 8 rows, fetched once, by tile
// 0, one buffer) and streams the weights 4 channels a tile: 7% more
// modelled cycles, 196608 B less input traffic.
// LATENCY: dwsep.layer "pw" attributes {l1_bytes = {{[0-9]+}} : i64, plan = #dwsep.tile_plan<act_l2_l1 = 212992, weights_l2_l1 = 66560, act_l1_l2 = 16384, {{.*}}>, tile = array<i64: 2, 20>}
// LATENCY: scf.for
// LATENCY: dwsep.dma_start {{.*}} : memref<2x8x256xi8, strided<[2048, 256, 1], offset: ?>, #dwsep.level<l2>> to memref<2x8x256xi8, #dwsep.level<l1>>

// TRAFFIC: dwsep.layer "pw" attributes {l1_bytes = {{[0-9]+}} : i64, plan = #dwsep.tile_plan<act_l2_l1 = 16384, weights_l2_l1 = 66560, act_l1_l2 = 16384, {{.*}}>, tile = array<i64: 8, 4>}
// TRAFFIC: scf.for %[[J:.*]] = %{{.*}} to %c65
// TRAFFIC: %[[FIRST:.*]] = arith.cmpi eq, %[[J]], %c0
// TRAFFIC: scf.if %[[FIRST]]
// TRAFFIC: dwsep.dma_start {{.*}} : memref<8x8x256xi8, strided<[2048, 256, 1], offset: ?>, #dwsep.level<l2>> to memref<8x8x256xi8, #dwsep.level<l1>>
// TRAFFIC-NOT: dwsep.dma_start {{.*}} to memref<8x8x256xi8, #dwsep.level<l1>>
// TRAFFIC: dwsep.pointwise
// TRAFFIC-NOT: dwsep.dma_start {{.*}} to memref<8x8x256xi8, #dwsep.level<l1>>
// TRAFFIC: return

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>
func.func @pw(%l1: memref<38236xi8, #l1>, %x: memref<8x8x256xi8, #l2>, %w: memref<256x256xi8, #l2>,
              %b: memref<256xi32, #l2>, %y: memref<8x8x256xi8, #l2>) {
  dwsep.layer "pw" {
    dwsep.pointwise ins(%x, %w, %b : memref<8x8x256xi8, #l2>, memref<256x256xi8, #l2>, memref<256xi32, #l2>)
      outs(%y : memref<8x8x256xi8, #l2>)
      requant <mult = [1], shift = [3], clamp = [-128, 127]>
  }
  return
}
