// RUN: dwsep-opt %s --split-input-file --dwsep-set-target=xpulpv2=0 --dwsep-lower-kernels | FileCheck %s

#l1 = #dwsep.level<l1>

// One kernel per configuration: the two ui8 depthwise tiles differ in rows,
// top padding and buffer offsets, which are call operands (in offset, h, w,
// c, out offset, h, w, c, weights offset, bias offset, pad top, input zp,
// table offset, first channel), and share one function; the stride-2 tile is another
// configuration. Kernel names spell the configuration: window, layouts and
// signedness with the innermost size (and, for windows whose taps span
// rows, the input and output widths), weights rank, bias, requantization
// mode, split. ui8 is read through a signless view of the same bytes and
// zero-extended; depthwise work is split over the 8 cores by channels.
// Kernels take the L1 arena as it is (a static shape: the module's largest
// arena) and as a bare pointer (`llvm.bareptr`): one argument, not a
// memref descriptor's five.
// CHECK-LABEL: func.func @dw
// CHECK-SAME: (%[[A:.*]]: memref<1024xi8, #dwsep.level<l1>>)
// CHECK: call @[[K:__dwsep_k_win_dw_hu4w6hu4w6_k3x3s1x1p1_w3b_hzulc1p8_sc]](%[[A]], %c0{{.*}}, %c6{{.*}}, %c6{{.*}}, %c4{{.*}}, %c144{{.*}}, %c6{{.*}}, %c6{{.*}}, %c4{{.*}}, %c288{{.*}}, %c324{{.*}}, %c1{{.*}}, %c0{{.*}}, %c0{{.*}})
// CHECK: call @[[K]](%{{.*}}, %c400{{.*}}, %c5{{.*}}, %c6{{.*}}, %c4{{.*}}, %c600{{.*}}, %c4{{.*}}, %c6{{.*}}, %c4{{.*}}, %c288{{.*}}, %c324{{.*}}, %c0{{.*}}, %c0{{.*}}, %c0{{.*}})
// CHECK: call @[[K2:__dwsep_k_win_dw_hu4w6hu4w3_k3x3s2x2p1_w3b_hzulc1p8_sc]](
// CHECK-NOT: dwsep.depthwise
// CHECK: func.func private @[[K]](%{{.*}}: memref<1024xi8, #dwsep.level<l1>>, %{{.*}}: index{{.*}} attributes {llvm.bareptr}
// CHECK: memref.view %{{.*}}[%{{.*}}][%{{.*}}] : memref<1024xi8, #dwsep.level<l1>> to memref<?x6x4xi8, #dwsep.level<l1>>
// CHECK: scf.parallel (%{{.*}}) = (%{{.*}}) to (%c8{{.*}}) step
// CHECK: arith.extui {{.*}} : i8 to i32
// CHECK: func.func private @[[K2]](
// CHECK-NOT: func.func private
func.func @dw(%l1: memref<1024xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c144 = arith.constant 144 : index
  %c288 = arith.constant 288 : index
  %c324 = arith.constant 324 : index
  %c400 = arith.constant 400 : index
  %c600 = arith.constant 600 : index
  %c700 = arith.constant 700 : index
  %x = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<6x6x4xui8, #l1>
  %y = memref.view %l1[%c144][] : memref<1024xi8, #l1> to memref<6x6x4xui8, #l1>
  %w = memref.view %l1[%c288][] : memref<1024xi8, #l1> to memref<3x3x4xi8, #l1>
  %b = memref.view %l1[%c324][] : memref<1024xi8, #l1> to memref<4xi32, #l1>
  dwsep.depthwise ins(%x, %w, %b : memref<6x6x4xui8, #l1>, memref<3x3x4xi8, #l1>, memref<4xi32, #l1>)
    outs(%y : memref<6x6x4xui8, #l1>) pad [1, 1, 1, 1]
    requant <mult = [1, 2, 3, 4], shift = [3], clamp = [0, 255]>
  %x2 = memref.view %l1[%c400][] : memref<1024xi8, #l1> to memref<5x6x4xui8, #l1>
  %y2 = memref.view %l1[%c600][] : memref<1024xi8, #l1> to memref<4x6x4xui8, #l1>
  dwsep.depthwise ins(%x2, %w, %b : memref<5x6x4xui8, #l1>, memref<3x3x4xi8, #l1>, memref<4xi32, #l1>)
    outs(%y2 : memref<4x6x4xui8, #l1>) pad [0, 1, 1, 1]
    requant <mult = [1, 2, 3, 4], shift = [3], clamp = [0, 255]>
  %y3 = memref.view %l1[%c700][] : memref<1024xi8, #l1> to memref<3x3x4xui8, #l1>
  dwsep.depthwise ins(%x, %w, %b : memref<6x6x4xui8, #l1>, memref<3x3x4xi8, #l1>, memref<4xi32, #l1>)
    outs(%y3 : memref<3x3x4xui8, #l1>) stride [2, 2] pad [1, 1, 1, 1]
    requant <mult = [1, 2, 3, 4], shift = [3], clamp = [0, 255]>
  return
}

// -----

#l1 = #dwsep.level<l1>

// The pointwise kernel is register-blocked: 2 pixels x 4 channels share
// each loaded input and weight (8 accumulators carried by the channel loop);
// work split by rows (8 rows for 8 cores; with fewer rows the cores share
// pixel pairs and channel blocks, @pw_pairs).
// CHECK-LABEL: func.func private @__dwsep_k_win_pw_hs8hs8_w2b_hzuc0s8_sr
// CHECK: scf.for {{.*}} iter_args({{.*}}, {{.*}}, {{.*}}, {{.*}}, {{.*}}, {{.*}}, {{.*}}, {{.*}}) -> (i32, i32, i32, i32, i32, i32, i32, i32)
// CHECK-COUNT-8: arith.muli {{.*}} : i32
func.func @pw(%l1: memref<1024xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c128 = arith.constant 128 : index
  %c256 = arith.constant 256 : index
  %c320 = arith.constant 320 : index
  %x = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<8x2x8xi8, #l1>
  %y = memref.view %l1[%c128][] : memref<1024xi8, #l1> to memref<8x2x8xi8, #l1>
  %w = memref.view %l1[%c256][] : memref<1024xi8, #l1> to memref<8x8xi8, #l1>
  %b = memref.view %l1[%c320][] : memref<1024xi8, #l1> to memref<8xi32, #l1>
  dwsep.pointwise ins(%x, %w, %b : memref<8x2x8xi8, #l1>, memref<8x8xi8, #l1>, memref<8xi32, #l1>)
    outs(%y : memref<8x2x8xi8, #l1>) requant <mult = [1], shift = [3], clamp = [-128, 127]>
  return
}

// -----

#l1 = #dwsep.level<l1>

// A fused DW->PW tile is two kernel calls through the tile plan's L1
// scratch buffer (offset 900, the variant's mid layout): the depthwise
// half writes it, the pointwise half reads it with the depthwise
// requantization's zp as its input zero point (-3). They are the same
// kernels as unfused layers of the same configuration: the pointwise half
// is dealt as a pointwise layer's tile of 4 rows (fewer than the 8 cores)
// and one channel block is, by (pixel pair, block) units (`_scp`).
// CHECK-LABEL: func.func @fused
// CHECK: call @__dwsep_k_win_dw_hs4w4hs4w4_k3x3s1x1p1_w3b_gzulwc0s8_sc(%{{.*}}, %c0{{.*}}, %c4{{.*}}, %c4{{.*}}, %c4{{.*}}, %c900{{.*}}, %c4{{.*}}, %c4{{.*}}, %c4{{.*}}, %c128{{.*}}
// CHECK: call @__dwsep_k_win_pw_hs4hs4_w2bz_gzuc0s8_scp(%{{.*}}, %c900{{.*}}, %c4{{.*}}, %c4{{.*}}, %c4{{.*}}, %c64{{.*}}, %c4{{.*}}, %c4{{.*}}, %c4{{.*}}, %c192{{.*}}, %c208{{.*}}, %c0{{.*}}, %c-3{{.*}}
// CHECK-NOT: dwsep.fused
// With reuse_mid (a later slice of the same rows) only the pointwise half
// runs, on the intermediate the scratch already holds.
// CHECK-LABEL: func.func @fused_reuse_mid
// CHECK-NOT: call @__dwsep_k_win_dw
// CHECK: call @__dwsep_k_win_pw_hs4hs4_w2bz_gzuc0s8_scp(%{{.*}}, %c900{{.*}}
// CHECK-NOT: call
// CHECK: return
func.func @fused(%l1: memref<1024xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %c176 = arith.constant 176 : index
  %c192 = arith.constant 192 : index
  %c208 = arith.constant 208 : index
  %x = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<4x4x4xi8, #l1>
  %y = memref.view %l1[%c64][] : memref<1024xi8, #l1> to memref<4x4x4xi8, #l1>
  %dww = memref.view %l1[%c128][] : memref<1024xi8, #l1> to memref<3x3x4xi8, #l1>
  %dwb = memref.view %l1[%c176][] : memref<1024xi8, #l1> to memref<4xi32, #l1>
  %pww = memref.view %l1[%c192][] : memref<1024xi8, #l1> to memref<4x4xi8, #l1>
  %pwb = memref.view %l1[%c208][] : memref<1024xi8, #l1> to memref<4xi32, #l1>
  dwsep.fused ins(%x : memref<4x4x4xi8, #l1>) dw(%dww, %dwb : memref<3x3x4xi8, #l1>, memref<4xi32, #l1>)
    pw(%pww, %pwb : memref<4x4xi8, #l1>, memref<4xi32, #l1>) outs(%y : memref<4x4x4xi8, #l1>)
    variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1]
    dw_requant <mult = [1], shift = [0], zp = -3, clamp = [-128, 127]> pw_requant <mult = [1], shift = [0], clamp = [-128, 127]>
    scratch_offset 900
  return
}

func.func @fused_reuse_mid(%l1: memref<1024xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %c176 = arith.constant 176 : index
  %c192 = arith.constant 192 : index
  %c208 = arith.constant 208 : index
  %x = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<4x4x4xi8, #l1>
  %y = memref.view %l1[%c64][] : memref<1024xi8, #l1> to memref<4x4x4xi8, #l1>
  %dww = memref.view %l1[%c128][] : memref<1024xi8, #l1> to memref<3x3x4xi8, #l1>
  %dwb = memref.view %l1[%c176][] : memref<1024xi8, #l1> to memref<4xi32, #l1>
  %pww = memref.view %l1[%c192][] : memref<1024xi8, #l1> to memref<4x4xi8, #l1>
  %pwb = memref.view %l1[%c208][] : memref<1024xi8, #l1> to memref<4xi32, #l1>
  dwsep.fused ins(%x : memref<4x4x4xi8, #l1>) dw(%dww, %dwb : memref<3x3x4xi8, #l1>, memref<4xi32, #l1>)
    pw(%pww, %pwb : memref<4x4xi8, #l1>, memref<4xi32, #l1>) outs(%y : memref<4x4x4xi8, #l1>)
    variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1]
    dw_requant <mult = [1], shift = [0], zp = -3, clamp = [-128, 127]> pw_requant <mult = [1], shift = [0], clamp = [-128, 127]>
    scratch_offset 900 reuse_mid
  return
}

// -----

#l1 = #dwsep.level<l1>

// A pointwise tile of 1 row x 5 pixels x 9 channels on the 8 cores: fewer
// rows than cores, so it is dealt by channel blocks, and with 2 blocks
// (fewer than the cores) by (pixel pair, block) units too (`_scp`). One
// fork of three phases: each core's chunk of the 2 x 2 units, a block at a
// time, its pairs stepped along the row (no division per pair); the odd
// fifth column per (row, block); the ninth channel per pixel. A phase's
// chunks start at the core after the last one the earlier phases used:
// before the fork, each phase's offset is (offset + cores used) mod 8 (the
// cores used: ceil(units / max(chunk, 1)) with chunk = ceil(units / 8));
// in it, a core's place in phases 1 and 2 is (core + 8 - offset) mod 8 (a
// 1 x 7 x 8 tile of 1.0@224's pointwise_12 had put the odd column's units
// on cores 0 and 1 behind their pairs, and nothing on cores 6 and 7).
// CHECK-LABEL: func.func @pw_pairs
// CHECK: call @[[K:__dwsep_k_win_pw_hs8hs9_w2b_[a-z0-9]+_scp]](
// CHECK: func.func private @[[K]](
// CHECK: arith.maxui %{{.*}}, %c1
// CHECK: arith.remui %{{.*}}, %c8
// CHECK: arith.remui %{{.*}}, %c8
// CHECK: scf.parallel ([[CORE:%.*]]) =
// CHECK-NOT: scf.parallel
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[OY:.*]] = %{{.*}}, %[[OX:.*]] = %{{.*}}) -> (index, index)
// CHECK: arith.cmpi uge
// CHECK: arith.select
// CHECK: arith.select
// CHECK: scf.yield
// CHECK: arith.addi [[CORE]], %c8
// CHECK: arith.remui %{{.*}}, %c8
// CHECK: arith.addi [[CORE]], %c8
// CHECK: arith.remui %{{.*}}, %c8
// CHECK-NOT: scf.parallel
// CHECK: return
func.func @pw_pairs(%l1: memref<1024xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %c256 = arith.constant 256 : index
  %x = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<1x5x8xi8, #l1>
  %y = memref.view %l1[%c64][] : memref<1024xi8, #l1> to memref<1x5x9xi8, #l1>
  %w = memref.view %l1[%c128][] : memref<1024xi8, #l1> to memref<9x8xi8, #l1>
  %b = memref.view %l1[%c256][] : memref<1024xi8, #l1> to memref<9xi32, #l1>
  dwsep.pointwise ins(%x, %w, %b : memref<1x5x8xi8, #l1>, memref<9x8xi8, #l1>, memref<9xi32, #l1>)
    outs(%y : memref<1x5x9xi8, #l1>) requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}
