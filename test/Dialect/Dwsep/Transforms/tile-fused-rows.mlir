// RUN: dwsep-opt %s --dwsep-tile="l1-budget=1500 one-input-buffer=false" --dwsep-check-memory | FileCheck %s
// RUN: dwsep-opt %s --dwsep-tile="l1-budget=1500 one-input-buffer=false" --dwsep-report -o /dev/null | FileCheck %s --check-prefix=REPORT

// A fused DW->PW op's two requantization rows operands
// (--dwsep-requant-rows) are staged as its LayerProblem describes them:
// the intermediate's rows (one per input channel) whole, as the depthwise
// weights, since every tile computes every intermediate channel; the
// output's rows sliced with the output channel tile, as the pointwise bias.
// Three-channel slices of the 16 outputs (and a remainder slice of one):
// the report counts 108 + 48 dw weights and bias, 192 + 64 pw weights and
// bias, 12 x 2 mid rows and 16 x 2 output rows = 468 weight bytes.
// (With two input buffers: one would let the row tiles outer take 8
// channels, tile-one-input-buffer.mlir.)
// CHECK-LABEL: func.func @fused_rows
// CHECK-DAG: dwsep.dma_start %{{.*}}, %{{.*}} weights : memref<12x1xi16, strided<[1, 1]>, #dwsep.level<l2>> to memref<12x1xi16, #dwsep.level<l1>>
// CHECK-DAG: dwsep.dma_start %{{.*}}, %{{.*}} weights : memref<3x1xi16, strided<[1, 1], offset: ?>, #dwsep.level<l2>> to memref<3x1xi16, #dwsep.level<l1>>
// CHECK-DAG: dwsep.dma_start %{{.*}}, %{{.*}} weights : memref<1x1xi16, strided<[1, 1], offset: 15>, #dwsep.level<l2>> to memref<1x1xi16, #dwsep.level<l1>>
// CHECK: dwsep.fused {{.*}} mid_requant_rows(%{{.*}} : memref<12x1xi16, #dwsep.level<l1>>) requant_rows(%{{.*}} : memref<3x1xi16, #dwsep.level<l1>>) outs
// CHECK: dwsep.fused {{.*}} mid_requant_rows(%{{.*}} : memref<12x1xi16, #dwsep.level<l1>>) requant_rows(%{{.*}} : memref<1x1xi16, #dwsep.level<l1>>) outs
// REPORT: f 4x3 1432 0 0 384 468 512
#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>
func.func @fused_rows(%l1: memref<38236xi8, #l1>, %x: memref<4x8x12xi8, #l2>, %dw: memref<3x3x12xi8, #l2>,
                %db: memref<12xi32, #l2>, %pw: memref<16x12xi8, #l2>, %pb: memref<16xi32, #l2>,
                %m: memref<12x1xi16, #l2>, %r: memref<16x1xi16, #l2>, %y: memref<4x8x16xi8, #l2>) {
  dwsep.layer "f" {
    dwsep.fused ins(%x : memref<4x8x12xi8, #l2>) dw(%dw, %db : memref<3x3x12xi8, #l2>, memref<12xi32, #l2>)
      pw(%pw, %pb : memref<16x12xi8, #l2>, memref<16xi32, #l2>)
      mid_requant_rows(%m : memref<12x1xi16, #l2>) requant_rows(%r : memref<16x1xi16, #l2>)
      outs(%y : memref<4x8x16xi8, #l2>)
      variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1]
      dw_requant <mult = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], shift = [3], clamp = [-128, 127], acc_bound = 100>
      pw_requant <mult = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], shift = [10], clamp = [-128, 127], acc_bound = 1000>
  }
  return
}
