// RUN: dwsep-opt %s --dwsep-set-target="byte-price=5000 rows-outer-margin=0" --dwsep-tile="l1-budget=1600 loop-order=auto" --dwsep-report | FileCheck %s
// RUN: dwsep-opt %s --dwsep-set-target=byte-price=5000 --dwsep-tile="l1-budget=1600 loop-order=channels" --dwsep-report -o /dev/null | FileCheck %s --check-prefix=SLICES

// Row tiles outer with the row tile's input in one L1 buffer. A pointwise
// layer of 8 rows of 8 x 32 input channels and 32 output channels, in a
// 1,600 B budget at 5 cycles a byte. Slices outer (loop-order=channels), a
// 1-row tile of 11 channels reads the whole input 3 times (6,144 B). Row
// tiles outer with two input buffers, a row tile has at most 2 rows (2 x
// 512 B of input), so every slice's weights come 4 times; with one buffer
// (`r1`), 4 rows: the input once (2,048 B) and the weights twice (2 x
// 1,152 B), the second row tile's input fetched after the first row tile's
// last slice, exposed.
// SLICES: pw                    1x11    1480         0         0      6144      1152      2048         0     54
// CHECK: pw                   4x4r1    1568         0         0      2048      2304      2048         0     50
// CHECK: dwsep.layer "pw" attributes {{{.*}}one_input_buffer, {{.*}}rows_outer, tile = array<i64: 4, 4>}
// One loop over the 16 tiles and one more iteration: rows outer (2),
// slices inner (8).
// CHECK: scf.for %[[J:[a-z0-9]+]] = %{{.*}} to %c17 step %{{.*}} iter_args(%[[ROW:[a-z0-9]+]] = %{{[a-z0-9_]+}}, %[[SLICE:[a-z0-9]+]] = %{{[a-z0-9_]+}}, {{.*}})
// CHECK: %[[PAST:.*]] = arith.cmpi uge, %[[ROW]], %c2
// CHECK: %[[CLASS:.*]] = arith.select %[[PAST]]
// Tile j's weights first (two tokens: weights and bias), before the wait
// for the transfers in flight ...
// CHECK: scf.index_switch %[[CLASS]] -> !dwsep.token, !dwsep.token
// CHECK: dwsep.dma_start {{.*}} weights : memref<4x32xi8
// CHECK: dwsep.dma_start {{.*}} weights : memref<4xi32
// CHECK-NOT: dwsep.dma_start
// CHECK: dwsep.dma_wait
// ... then tile j - 1 computes from the one input buffer at L1 offset 0 ...
// CHECK: scf.index_switch
// CHECK: memref.view %{{.*}}[%c0{{.*}}][] : memref<44116xi8, #dwsep.level<l1>> to memref<4x8x32xi8, #dwsep.level<l1>>
// CHECK: dwsep.pointwise
// CHECK: dwsep.dma_start {{.*}} : memref<4x8x4xi8, #dwsep.level<l1>> to memref<4x8x4xi8
// ... and only then, for a row tile's first slice, tile j's input, into
// the same buffer.
// CHECK: scf.index_switch %[[CLASS]] -> !dwsep.token
// CHECK: %[[FIRST:.*]] = arith.cmpi eq, %[[SLICE]], %c0
// CHECK: scf.if %[[FIRST]] -> (!dwsep.token) {
// CHECK: memref.view %{{.*}}[%c0{{.*}}][] : memref<44116xi8, #dwsep.level<l1>> to memref<4x8x32xi8, #dwsep.level<l1>>
// CHECK: dwsep.dma_start {{.*}} : memref<4x8x32xi8, strided<[256, 32, 1], offset: ?>, #dwsep.level<l2>> to memref<4x8x32xi8, #dwsep.level<l1>>
// CHECK: } else {
// CHECK: dwsep.dma_none

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>
func.func @pw(%l1: memref<44116xi8, #l1>, %x: memref<8x8x32xi8, #l2>, %w: memref<32x32xi8, #l2>,
              %b: memref<32xi32, #l2>, %y: memref<8x8x32xi8, #l2>) {
  dwsep.layer "pw" {
    dwsep.pointwise ins(%x, %w, %b : memref<8x8x32xi8, #l2>, memref<32x32xi8, #l2>, memref<32xi32, #l2>)
      outs(%y : memref<8x8x32xi8, #l2>)
      requant <mult = [1], shift = [3], clamp = [-128, 127]>
  }
  return
}
