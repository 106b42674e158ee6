// RUN: dwsep-opt %s --dwsep-tile="l1-budget=3000 one-input-buffer=false" --dwsep-report | FileCheck %s --check-prefix=ROWS
// RUN: dwsep-opt %s --dwsep-tile=l1-budget=4000 --dwsep-report | FileCheck %s --check-prefix=RES

// A fused DW->PW op's tile computes the depthwise half for every
// intermediate channel of its rows, whatever output channels it computes;
// where the tiles of one row tile follow each other, the later ones reuse
// that intermediate in the L1 scratch (reuse_mid) instead of computing it
// again. 8x8x16 -> 32 channels.
//
// In 3000 B: 2-row tiles of 16 channels (4 row tiles, 2 slices), row tiles
// outer, which the default loop order (slices outer) allows for a fused
// DW->PW op for this reason. The plan charges the depthwise half once per
// row tile: 4 of its 12 forks (8 tiles' pointwise halves, 4 depthwise).
// (With two input buffers: one would take 4-row tiles of 12 channels.)
// ROWS: dwsep.layer "fused" attributes {{{.*}}plan = #dwsep.tile_plan<{{.*}}forks = 12, tiles = 8, {{.*}}>, rows_outer, tile = array<i64: 2, 16>}
// One loop over the 8 tiles (4 row tiles outer, 2 slices inner) and one
// more iteration; iteration j computes tile j - 1, whose slice it carries
// (the fourth index).
// ROWS: scf.for %{{.*}} = %{{.*}} to %c9 step %{{.*}} iter_args(%{{[a-z0-9]+}} = %{{[a-z0-9_]+}}, %{{[a-z0-9]+}} = %{{[a-z0-9_]+}}, %{{[a-z0-9]+}} = %{{[a-z0-9_]+}}, %[[SLICE:[a-z0-9]+]] = %{{[a-z0-9_]+}}, {{.*}})
// ROWS: %[[FIRST:.*]] = arith.cmpi eq, %[[SLICE]], %{{.*}} : index
// ROWS-NEXT: scf.if %[[FIRST]] {
// ROWS-NEXT: dwsep.fused {{.*}} scratch_offset {{[0-9]+}}{{$}}
// ROWS-NEXT: } else {
// ROWS-NEXT: dwsep.fused {{.*}} scratch_offset {{[0-9]+}} reuse_mid{{$}}
// ROWS-NEXT: }
//
// In 4000 B: one row tile of all 8 rows, whose input stays in L1 while 4
// slices of 8 channels stream their weights (slices outer): slice 0
// computes the intermediate, slices 1-3 reuse it.
// RES: dwsep.layer "fused" attributes {{{.*}}plan = #dwsep.tile_plan<{{.*}}forks = 5, tiles = 4, {{.*}}>, tile = array<i64: 8, 8>}
// RES: scf.for %{{.*}} = %{{.*}} to %c5 step %{{.*}} iter_args(%{{[a-z0-9]+}} = %{{[a-z0-9_]+}}, %{{[a-z0-9]+}} = %{{[a-z0-9_]+}}, %[[SLICE:[a-z0-9]+]] = %{{[a-z0-9_]+}}, {{.*}})
// RES: %[[FIRST:.*]] = arith.cmpi eq, %[[SLICE]], %{{.*}} : index
// RES-NEXT: scf.if %[[FIRST]] {
// RES-NEXT: dwsep.fused {{.*}} scratch_offset {{[0-9]+}}{{$}}
// RES-NEXT: } else {
// RES-NEXT: dwsep.fused {{.*}} scratch_offset {{[0-9]+}} reuse_mid{{$}}
// RES-NEXT: }

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>
func.func @fused(%l1: memref<38236xi8, #l1>, %x: memref<8x8x16xi8, #l2>, %dww: memref<3x3x16xi8, #l2>,
                 %dwb: memref<16xi32, #l2>, %pww: memref<32x16xi8, #l2>, %pwb: memref<32xi32, #l2>,
                 %y: memref<8x8x32xi8, #l2>) {
  dwsep.layer "fused" {
    dwsep.fused ins(%x : memref<8x8x16xi8, #l2>) dw(%dww, %dwb : memref<3x3x16xi8, #l2>, memref<16xi32, #l2>)
      pw(%pww, %pwb : memref<32x16xi8, #l2>, memref<32xi32, #l2>) outs(%y : memref<8x8x32xi8, #l2>)
      variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8
      pad [1, 1, 1, 1]
      dw_requant <mult = [1], shift = [3], clamp = [-128, 127]> pw_requant <mult = [1], shift = [3], clamp = [-128, 127]>
  }
  return
}
