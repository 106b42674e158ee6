// RUN: dwsep-opt %s --split-input-file --dwsep-tile=l1-budget=600 --dwsep-check-memory | FileCheck %s
// RUN: dwsep-opt %s --split-input-file --dwsep-tile=l1-budget=600 --dwsep-report -o /dev/null | FileCheck %s --check-prefix=REPORT
// RUN: dwsep-opt %s --split-input-file --dwsep-tile="l1-budget=600 double-buffer=false" --dwsep-report | FileCheck %s --check-prefix=SERIAL

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// A 3x3 stride-1 depthwise over 13 rows x 16 columns x 12 channels with a
// 600 B budget: one row of all channels needs 3 x 16 x 12 B of input, double
// buffered, so channels are split into slices, and rows into tiles with a
// halo: the first and last (which carry the border padding) peeled, the
// interior ones in an scf.for. Every tile keeps the layer's whole
// per-channel requantization and reads it from its slice's first channel
// (`channel_offset`), so equal slices are one run-time loop. (Six slices
// of two channels: the last starts at channel 10.)
// CHECK-LABEL: func.func @depthwise
// CHECK: dwsep.layer "dw" attributes {l1_bytes = {{[0-9]+}} : i64, plan = {{{.*}}}, tile = array<i64: {{[0-9]+}}, [[TC:[0-9]+]]>}
// First channel slice: its weights are fetched once.
// CHECK: memref.subview %{{.*}}[0, 0, 0] [3, 3, [[TC]]] [1, 1, 1]
// CHECK: dwsep.dma_start {{.*}} weights : memref<3x3x[[TC]]xi8, strided<[36, 12, 1]>, #dwsep.level<l2>> to memref<3x3x[[TC]]xi8, #dwsep.level<l1>>
// CHECK: dwsep.dma_start {{.*}} weights : memref<[[TC]]xi32, strided<[1]>, #dwsep.level<l2>> to memref<[[TC]]xi32, #dwsep.level<l1>>
// First row tile: padding on top only; channels 0.. of the whole requant.
// CHECK: dwsep.depthwise {{.*}} channel_offset %c0{{(_[0-9]+)?}} pad [1, 1, 0, 1] requant <mult = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], shift = [3], clamp = [-128, 127]>
// The slice loop: iteration s runs the rest of slice s and the first tile
// of slice s + 1; it carries the in-flight fetch and write-back tokens.
// CHECK: scf.for %[[S:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (!dwsep.token, !dwsep.token) {
// Interior tiles: a loop that carries the in-flight input and write-back
// tokens; each iteration first starts the fetch of the next tile into the
// other buffer, then waits for its own input, computes, waits for the
// previous write-back and starts its own.
// CHECK:   scf.for %[[IV:.*]] = {{.*}} iter_args(%[[IN:.*]] = %{{.*}}, %[[WB:.*]] = %{{.*}}) -> (!dwsep.token, !dwsep.token)
// CHECK:     arith.remui
// CHECK:     %[[NEXT:.*]] = dwsep.dma_start {{.*}} : memref<{{[0-9]+}}x16x[[TC]]xi8, strided<[192, 12, 1], offset: ?>, #dwsep.level<l2>> to memref<{{[0-9]+}}x16x[[TC]]xi8, #dwsep.level<l1>>
// CHECK:     dwsep.dma_wait %[[IN]]
// CHECK:     dwsep.depthwise {{.*}} channel_offset %{{.*}} pad [0, 1, 0, 1]
// CHECK:     %[[OUT:.*]] = dwsep.dma_start {{.*}} : memref<{{[0-9]+}}x16x[[TC]]xi8, #dwsep.level<l1>> to memref<{{[0-9]+}}x16x[[TC]]xi8, strided<[192, 12, 1], offset: ?>, #dwsep.level<l2>>
// CHECK:     dwsep.dma_wait %[[WB]]
// CHECK:     scf.yield %[[NEXT]], %[[OUT]]
// CHECK:   }
// The last tile of slice s prefetches slice s + 1's weights (at a run-time
// channel offset, into the other weight buffer) and first rows; it carries
// the bottom padding. Then slice s + 1's first tile.
// CHECK:   arith.muli %[[S]]
// CHECK:   dwsep.dma_start {{.*}} weights : memref<3x3x[[TC]]xi8, strided<[36, 12, 1], offset: ?>, #dwsep.level<l2>> to memref<3x3x[[TC]]xi8, #dwsep.level<l1>>
// CHECK:   dwsep.depthwise {{.*}} pad [0, 1, 1, 1]
// CHECK:   dwsep.depthwise {{.*}} pad [1, 1, 0, 1]
// CHECK:   scf.yield
// CHECK: }
// CHECK-NOT: dwsep.depthwise {{.*}}#dwsep.level<l2>
// The last slice's rest after the loop; the layer's last tile (bottom
// padding) drains both write-backs.
// CHECK: dwsep.depthwise {{.*}} channel_offset %c10{{(_[0-9]+)?}} pad [0, 1, 1, 1] requant <mult = [1, 2{{.*}}12], shift = [3], clamp = [-128, 127]>
// CHECK: %[[LAST:.*]] = dwsep.dma_start
// CHECK-NEXT: dwsep.dma_wait
// CHECK-NEXT: dwsep.dma_wait %[[LAST]]
// CHECK-NEXT: }
// Without double buffering every tile waits for its own transfers.
// SERIAL-LABEL: func.func @depthwise
// SERIAL: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} {
// SERIAL:   %[[T:.*]] = dwsep.dma_start
// SERIAL-NEXT: dwsep.dma_wait %[[T]]
// SERIAL:   dwsep.depthwise
// SERIAL:   %[[W:.*]] = dwsep.dma_start
// SERIAL-NEXT: dwsep.dma_wait %[[W]]
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
// CHECK-SAME: dwsep.scratch_offset =
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
// CHECK-LABEL: func.func @rows
// CHECK: memref.subview %arg4[0, 0] [3, 3] [1, 1] : memref<12x3xi16, #dwsep.level<l2>>
// CHECK: dwsep.dma_start %{{.*}}, %{{.*}} weights : memref<3x3xi16, strided<[3, 1]>, #dwsep.level<l2>> to memref<3x3xi16, #dwsep.level<l1>>
// CHECK: dwsep.depthwise ins({{.*}}) requant_rows(%{{.*}} : memref<3x3xi16, #dwsep.level<l1>>) outs
// CHECK: memref.subview %arg4[%{{.*}}, 0] [3, 3] [1, 1] : memref<12x3xi16, #dwsep.level<l2>>
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
