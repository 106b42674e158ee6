// RUN: dwsep-opt %s --split-input-file --dwsep-tile=l1-budget=600 --dwsep-check-memory | FileCheck %s
// RUN: dwsep-opt %s --split-input-file --dwsep-tile=l1-budget=600 --dwsep-report -o /dev/null | FileCheck %s --check-prefix=REPORT
// RUN: dwsep-opt %s --split-input-file --dwsep-tile="l1-budget=600 double-buffer=false" --dwsep-report | FileCheck %s --check-prefix=SERIAL
// RUN: dwsep-opt %s --split-input-file --dwsep-tile="l1-budget=400 loop-order=channels" --dwsep-report | FileCheck %s --check-prefix=REM

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// A 3x3 stride-1 depthwise over 13 rows x 16 columns x 12 channels with a
// 600 B budget: one row of all channels needs 3 x 16 x 12 B of input, double
// buffered, so channels are split into slices, and rows into tiles with a
// halo. Six slices of two channels, five row tiles each: 30 tiles, slice by
// slice, in one run-time loop of 31 iterations; iteration j starts the
// transfers of tile j and computes tile j - 1. Tiles come in three classes
// of static shapes (the first row tile, with the top padding; three
// interior ones; the last, one row with the bottom padding), and each
// class's fetch and compute are emitted once, in an scf.index_switch on the
// class of the tile (none before the loop). Every tile keeps the layer's
// whole per-channel requantization and reads it from its slice's first
// channel (`channel_offset`).
// CHECK-LABEL: func.func @depthwise
// CHECK: dwsep.layer "dw" attributes {l1_bytes = {{[0-9]+}} : i64, plan = #dwsep.tile_plan<{{.*}}>, tile = array<i64: 3, [[TC:[0-9]+]]>}
// CHECK-NOT: dwsep.dma_start
// CHECK: dwsep.dma_none
// The loop carries the slice and row tile of tiles j and j - 1, tile
// j - 1's class (6, no tile, at first), the fetch in flight (weights, bias,
// input) and the write-back in flight (none at first).
// CHECK: %[[DONE:.*]]:9 = scf.for %[[J:.*]] = %{{.*}} to %c31 step %{{.*}} iter_args(%[[S:.*]] = %{{.*}}, %[[T:.*]] = %{{.*}}, %[[PS:.*]] = %{{.*}}, %[[PT:.*]] = %{{.*}}, %[[PC:.*]] = %c6{{.*}}, %[[W:.*]] = %{{.*}}, %[[B:.*]] = %{{.*}}, %[[I:.*]] = %{{.*}}, %[[WB:.*]] = %{{.*}}) -> (index, index, index, index, index, !dwsep.token, !dwsep.token, !dwsep.token, !dwsep.token) {
// Tile j's class: run 1 from row tile 1, run 2 from row tile 4, 6 (no
// tile) past the last slice.
// CHECK:     %[[END:.*]] = arith.cmpi uge, %[[S]], %c6
// CHECK:     arith.cmpi uge, %[[T]]
// CHECK:     arith.cmpi uge, %[[T]]
// CHECK:     %[[CLS:.*]] = arith.select %[[END]]
// CHECK:     %[[F:.*]]:3 = scf.index_switch %[[CLS]] -> !dwsep.token, !dwsep.token, !dwsep.token
// A slice's first tile fetches its weights (at its first channel, into the
// weight buffer of its slice's parity) and its input.
// CHECK:   case 0 {
// CHECK:     dwsep.dma_start {{.*}} weights : memref<3x3x[[TC]]xi8, strided<[36, 12, 1], offset: ?>, #dwsep.level<l2>> to memref<3x3x[[TC]]xi8, #dwsep.level<l1>>
// CHECK:     dwsep.dma_start {{.*}} weights
// CHECK:     dwsep.dma_start {{.*}} : memref<4x16x[[TC]]xi8, strided<[192, 12, 1], offset: ?>, #dwsep.level<l2>> to memref<4x16x[[TC]]xi8, #dwsep.level<l1>>
// CHECK:     scf.yield
// The others only their input rows (5 with the halo, 2 for the last).
// CHECK:   case 1 {
// CHECK:     dwsep.dma_none
// CHECK:     dwsep.dma_none
// CHECK:     dwsep.dma_start {{.*}} : memref<5x16x[[TC]]xi8, strided<[192, 12, 1], offset: ?>, #dwsep.level<l2>> to memref<5x16x[[TC]]xi8, #dwsep.level<l1>>
// CHECK:   case 2 {
// CHECK:     dwsep.dma_start {{.*}} : memref<2x16x[[TC]]xi8, strided<[192, 12, 1], offset: ?>, #dwsep.level<l2>> to memref<2x16x[[TC]]xi8, #dwsep.level<l1>>
// CHECK:   default {
// CHECK:     dwsep.dma_none
// Then tile j - 1 waits for its own fetch, computes in the class its fetch
// had (none in iteration 0), waits for the previous write-back and starts
// its own.
// CHECK:   dwsep.dma_wait %[[W]], %[[B]], %[[I]]
// CHECK-NOT: arith.cmpi uge, %[[PT]]
// CHECK:   %[[OUT:.*]] = scf.index_switch %[[PC]]
// CHECK:   case 0 {
// CHECK:     dwsep.depthwise {{.*}} outs(%{{.*}} : memref<3x16x[[TC]]xi8, #dwsep.level<l1>>) channel_offset %{{.*}} pad [1, 1, 0, 1] requant <mult = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], shift = [3], clamp = [-128, 127]>
// CHECK:     dwsep.dma_start {{.*}} : memref<3x16x[[TC]]xi8, #dwsep.level<l1>> to memref<3x16x[[TC]]xi8, strided<[192, 12, 1], offset: ?>, #dwsep.level<l2>>
// CHECK:   case 1 {
// CHECK:     dwsep.depthwise {{.*}} pad [0, 1, 0, 1]
// CHECK:   case 2 {
// CHECK:     dwsep.depthwise {{.*}} outs(%{{.*}} : memref<1x16x[[TC]]xi8, #dwsep.level<l1>>) channel_offset %{{.*}} pad [0, 1, 1, 1]
// CHECK:   default {
// CHECK-NEXT: dwsep.dma_none
// CHECK-NOT: dwsep.depthwise
// CHECK:   dwsep.dma_wait %[[WB]]
// The next tile: the next row tile, or row tile 0 of the next slice.
// CHECK:   %[[T1:.*]] = arith.addi %[[T]]
// CHECK:   %[[WRAP:.*]] = arith.cmpi eq, %[[T1]], %c5
// CHECK:   %[[NT:.*]] = arith.select %[[WRAP]], %{{.*}}, %[[T1]]
// CHECK:   %[[S1:.*]] = arith.addi %[[S]]
// CHECK:   %[[NS:.*]] = arith.select %[[WRAP]], %[[S1]], %[[S]]
// CHECK:   scf.yield %[[NS]], %[[NT]], %[[S]], %[[T]], %[[CLS]], %[[F]]#0, %[[F]]#1, %[[F]]#2, %[[OUT]]
// CHECK: }
// The last write-back is drained after the loop.
// CHECK-NEXT: dwsep.dma_wait %[[DONE]]#8
// CHECK-NEXT: }
// Without double buffering every tile waits for its own transfers.
// SERIAL-LABEL: func.func @depthwise
// SERIAL: scf.for %{{.*}} = %{{.*}} to %c30 step %{{.*}} iter_args({{.*}}) -> (index, index) {
// SERIAL:   scf.index_switch
// SERIAL:   case 0 {
// SERIAL:     dwsep.dma_start {{.*}} weights
// SERIAL:     dwsep.dma_start {{.*}} weights
// SERIAL:     %[[T:.*]] = dwsep.dma_start
// SERIAL-NEXT: dwsep.dma_wait %{{.*}}, %{{.*}}, %[[T]]
// SERIAL:     dwsep.depthwise
// SERIAL:     %[[W:.*]] = dwsep.dma_start
// SERIAL-NEXT: dwsep.dma_wait %[[W]]
// SERIAL:   case 1 {
// SERIAL:     %[[T:.*]] = dwsep.dma_start
// SERIAL-NEXT: dwsep.dma_wait %[[T]]
// SERIAL-NOT: dwsep.dma_none
// SERIAL:     dwsep.depthwise
// REPORT: dw {{.*}}
func.func @depthwise(%l1: memref<38236xi8, #l1>, %x: memref<13x16x12xi8, #l2>, %w: memref<3x3x12xi8, #l2>,
                     %b: memref<12xi32, #l2>, %y: memref<13x16x12xi8, #l2>) {
  dwsep.layer "dw" {
    dwsep.depthwise ins(%x, %w, %b : memref<13x16x12xi8, #l2>, memref<3x3x12xi8, #l2>, memref<12xi32, #l2>)
      outs(%y : memref<13x16x12xi8, #l2>) pad [1, 1, 1, 1]
      requant <mult = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], shift = [3], clamp = [-128, 127]>
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// CHW pointwise: the tile of rows is a box [C, rows, W] of the CHW tensor.
// CHECK-LABEL: func.func @pointwise_chw
// CHECK: dwsep.layer "pw"
// CHECK: dwsep.dma_start {{.*}} : memref<8x{{[0-9]+}}x6xi8, strided<[54, 6, 1]{{.*}}>, #dwsep.level<l2>> to memref<8x{{[0-9]+}}x6xi8, #dwsep.level<l1>>
// CHECK: dwsep.pointwise {{.*}} layout <chw>
func.func @pointwise_chw(%l1: memref<38236xi8, #l1>, %x: memref<8x9x6xi8, #l2>, %w: memref<16x8xi8, #l2>,
                         %b: memref<16xi32, #l2>, %y: memref<16x9x6xi8, #l2>) {
  dwsep.layer "pw" {
    dwsep.pointwise ins(%x, %w, %b : memref<8x9x6xi8, #l2>, memref<16x8xi8, #l2>, memref<16xi32, #l2>)
      outs(%y : memref<16x9x6xi8, #l2>) layout <chw>
      requant <mult = [1], shift = [3], clamp = [-128, 127]>
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// A fused PW->DW kernel (variant 6): rows of the input with the halo, the
// pw weights' rows and the dw weights' channels of the slice; the scratch
// for the intermediate is placed after the buffers.
// CHECK-LABEL: func.func @fused
// CHECK: dwsep.layer "fused"
// CHECK: dwsep.fused {{.*}} variant <pw_dw, input = hwc, mid = chw, output = hwc, split = channels>
// CHECK-SAME: scratch_offset {{[0-9]+}}
func.func @fused(%l1: memref<38236xi8, #l1>, %x: memref<6x6x4xi8, #l2>, %dww: memref<3x3x8xi8, #l2>,
                 %dwb: memref<8xi32, #l2>, %pww: memref<8x4xi8, #l2>, %pwb: memref<8xi32, #l2>,
                 %y: memref<3x3x8xi8, #l2>) {
  dwsep.layer "fused" {
    dwsep.fused ins(%x : memref<6x6x4xi8, #l2>) dw(%dww, %dwb : memref<3x3x8xi8, #l2>, memref<8xi32, #l2>)
      pw(%pww, %pwb : memref<8x4xi8, #l2>, memref<8xi32, #l2>) outs(%y : memref<3x3x8xi8, #l2>)
      variant <pw_dw, input = hwc, mid = chw, output = hwc, split = channels> mid_type i8
      stride [2, 2] pad [1, 1, 0, 0]
      dw_requant <mult = [1], shift = [3], clamp = [-128, 127]> pw_requant <mult = [1], shift = [3], clamp = [-128, 127]>
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// Linear layers tile output features only.
// CHECK-LABEL: func.func @linear
// CHECK: dwsep.linear ins({{.*}} : memref<64xi8, #dwsep.level<l1>>, memref<{{[0-9]+}}x64xi8, #dwsep.level<l1>>
func.func @linear(%l1: memref<38236xi8, #l1>, %x: memref<64xi8, #l2>, %w: memref<24x64xi8, #l2>,
                  %b: memref<24xi32, #l2>, %y: memref<24xi8, #l2>) {
  dwsep.layer "fc" {
    dwsep.linear ins(%x, %w, %b : memref<64xi8, #l2>, memref<24x64xi8, #l2>, memref<24xi32, #l2>)
      outs(%y : memref<24xi8, #l2>) requant <mult = [1], shift = [3], clamp = [-128, 127]>
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// Requantization rows (--dwsep-requant-rows) are staged with the weights:
// each channel slice fetches its rows ([C, fields], sliced on dim 0 where
// the depthwise weights are sliced on their last dim) and its tile reads
// them in L1. The report counts them with the weights: 12 x 9 weight bytes
// + 12 x 4 bias bytes + 12 x 3 x 2 row bytes = 228.
// The rows are fetched in the tile loop at the slice's first channel.
// CHECK-LABEL: func.func @rows
// CHECK: memref.subview %arg4[%{{.*}}, 0] [3, 3] [1, 1] : memref<12x3xi16, #dwsep.level<l2>>
// CHECK: dwsep.dma_start %{{.*}}, %{{.*}} weights : memref<3x3xi16, strided<[3, 1], offset: ?>, #dwsep.level<l2>> to memref<3x3xi16, #dwsep.level<l1>>
// CHECK: dwsep.depthwise ins({{.*}}) requant_rows(%{{.*}} : memref<3x3xi16, #dwsep.level<l1>>) outs
// REPORT: dw 4x3 504 0 0 384 228 384
func.func @rows(%l1: memref<38236xi8, #l1>, %x: memref<4x8x12xi8, #l2>, %w: memref<3x3x12xi8, #l2>,
                %b: memref<12xi32, #l2>, %r: memref<12x3xi16, #l2>, %y: memref<4x8x12xi8, #l2>) {
  dwsep.layer "dw" {
    dwsep.depthwise ins(%x, %w, %b : memref<4x8x12xi8, #l2>, memref<3x3x12xi8, #l2>, memref<12xi32, #l2>)
      requant_rows(%r : memref<12x3xi16, #l2>)
      outs(%y : memref<4x8x12xi8, #l2>) pad [1, 1, 1, 1] requant <mult = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], shift = [3], clamp = [-128, 127], acc_bound = 100>
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// Ten output channels in slices of 4 (400 B budget): two equal slices and
// a short last one of 2 channels, each of 9 one-row tiles (pointwise: no
// halo, so one class of rows). The classes are (equal slice) and (short
// slice), one case each. Each slice's weights are fetched by its first
// tile: inside a class that holds more tiles, under an scf.if on the row
// tile. The report walks the taken branches: 27 tiles, 200 B of weights
// (each slice's once), every output element written once.
// (The report comes before the IR it reports on.)
// REM: pw 1x4 {{[0-9]+}} 0 0 2592 200 540 0 60
// REM-LABEL: func.func @pointwise_rem
// REM: scf.for {{.*}} to %c28 {{.*}} iter_args(%[[SLICE:[a-z0-9]+]] = %{{[a-z0-9_]+}}, %[[NROW:[a-z0-9]+]] = %{{[a-z0-9_]+}}, {{.*}}) -> (index, index, index, index, index, !dwsep.token, !dwsep.token, !dwsep.token, !dwsep.token) {
// REM:   arith.cmpi uge, %[[SLICE]], %c3
// REM:   arith.cmpi eq, %[[SLICE]], %c2
// REM:   scf.index_switch
// REM:   case 0 {
// REM:     %[[FIRST:.*]] = arith.cmpi eq, %[[NROW]]
// REM:     scf.if %[[FIRST]] -> (!dwsep.token, !dwsep.token) {
// REM:       dwsep.dma_start {{.*}} weights : memref<4x16xi8, strided<[16, 1], offset: ?>, #dwsep.level<l2>> to memref<4x16xi8, #dwsep.level<l1>>
// REM:       dwsep.dma_start {{.*}} weights
// REM:     } else {
// REM:       dwsep.dma_none
// REM:       dwsep.dma_none
// REM:     }
// REM:     dwsep.dma_start {{.*}} : memref<1x6x16xi8, strided<[96, 16, 1], offset: ?>, #dwsep.level<l2>> to memref<1x6x16xi8, #dwsep.level<l1>>
// The short slice's weights are at a static channel (8).
// REM:   case 1 {
// REM:     scf.if
// REM:       dwsep.dma_start {{.*}} weights : memref<2x16xi8, strided<[16, 1], offset: 128>, #dwsep.level<l2>> to memref<2x16xi8, #dwsep.level<l1>>
// REM:   default {
// REM:   scf.index_switch
// REM:   case 0 {
// REM:     dwsep.pointwise {{.*}} outs(%{{.*}} : memref<1x6x4xi8, #dwsep.level<l1>>)
// REM:   case 1 {
// REM:     dwsep.pointwise {{.*}} outs(%{{.*}} : memref<1x6x2xi8, #dwsep.level<l1>>)
func.func @pointwise_rem(%l1: memref<38236xi8, #l1>, %x: memref<9x6x16xi8, #l2>, %w: memref<10x16xi8, #l2>,
                         %b: memref<10xi32, #l2>, %y: memref<9x6x10xi8, #l2>) {
  dwsep.layer "pw" {
    dwsep.pointwise ins(%x, %w, %b : memref<9x6x16xi8, #l2>, memref<10x16xi8, #l2>, memref<10xi32, #l2>)
      outs(%y : memref<9x6x10xi8, #l2>)
      requant <mult = [1], shift = [3], clamp = [-128, 127]>
  }
  return
}
