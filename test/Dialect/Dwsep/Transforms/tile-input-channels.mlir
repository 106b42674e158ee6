// RUN: dwsep-opt %s --split-input-file --dwsep-tile=l1-budget=600 --dwsep-check-memory | FileCheck %s
// RUN: dwsep-opt %s --split-input-file --dwsep-tile=l1-budget=600 --dwsep-report -o /dev/null | FileCheck %s --check-prefix=REPORT
// RUN: dwsep-opt %s --split-input-file --dwsep-tile="l1-budget=600 double-buffer=false" --dwsep-check-memory --dwsep-report -o /dev/null | FileCheck %s --check-prefix=REPORT

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// A linear layer whose smallest tile over all 1001 input features (one
// output channel's 1001 weight bytes, twice, and the input) does not fit
// 600 B: input-feature (K) tiling. Tile [1, 5, 40]: 26 K slices (the last
// of 1 feature) outer, 2 channel slices inner. The 10 int32 accumulators
// sit at L1 offset 0 and get the bias first; the K slices before the last
// are the accumulate form (i32 outs = bias = the slice's accumulators, the
// identity requantization); the last K slice requantizes them with its
// staged rows at its first channel and writes its 5 outputs back.
// Traffic: the input once (1001 B), weights 10 x 1001 + bias 40 + rows 40
// = 10090 B, outputs 10 B; 83 transfers = 1 bias + 26 inputs + 52 blocks
// + 2 rows + 2 outputs. --dwsep-report checks that the DMA ops in the IR
// move exactly this and write each output once.
// CHECK-LABEL: func.func @linear_k
// CHECK: dwsep.layer "fc" attributes {l1_bytes = 576 : i64, {{.*}}tile = array<i64: 1, 5, 40>}
// CHECK: %[[ALL:.*]] = memref.view %arg0[%{{.*}}][] : memref<38236xi8, #dwsep.level<l1>> to memref<10xi32, #dwsep.level<l1>>
// CHECK: dwsep.dma_start %arg3, %[[ALL]] weights : memref<10xi32, #dwsep.level<l2>> to memref<10xi32, #dwsep.level<l1>>
// CHECK: scf.for
// CHECK: scf.index_switch
// CHECK: case 2 {
// CHECK: memref.subview %arg2[%{{.*}}, %{{.*}}] [5, 40] [1, 1] : memref<10x1001xi8, #dwsep.level<l2>> to memref<5x40xi8, strided<[1001, 1], offset: ?>
// CHECK: scf.if
// CHECK: memref.subview %arg1[0, 0, %{{.*}}] [1, 1, 40] [1, 1, 1]
// CHECK: case 4 {
// CHECK: memref.subview %arg2[%{{.*}}, %{{.*}}] [5, 1] [1, 1]
// CHECK: memref.subview %arg4[%{{.*}}, 0] [5, 2] [1, 1] : memref<10x2xi16, #dwsep.level<l2>>
// CHECK: dwsep.dma_wait
// CHECK: scf.index_switch
// CHECK: case 2 {
// CHECK: %[[ACC:.*]] = memref.view %arg0[%{{.*}}][] : memref<38236xi8, #dwsep.level<l1>> to memref<5xi32, #dwsep.level<l1>>
// CHECK: dwsep.linear ins(%{{.*}}, %{{.*}}, %[[ACC]] : memref<1x1x40xi8, #dwsep.level<l1>>, memref<5x40xi8, #dwsep.level<l1>>, memref<5xi32, #dwsep.level<l1>>) outs(%[[ACC]] : memref<5xi32, #dwsep.level<l1>>) requant <mult = [1], shift = [0], clamp = [-2147483648, 2147483647]>
// CHECK: case 4 {
// CHECK: %[[ACC4:.*]] = memref.view %arg0[%{{.*}}][] : memref<38236xi8, #dwsep.level<l1>> to memref<5xi32, #dwsep.level<l1>>
// CHECK: %[[OUT:.*]] = memref.view %arg0[%{{.*}}][] : memref<38236xi8, #dwsep.level<l1>> to memref<5xi8, #dwsep.level<l1>>
// CHECK: dwsep.linear ins(%{{.*}}, %{{.*}}, %[[ACC4]] : memref<1x1x1xi8, #dwsep.level<l1>>, memref<5x1xi8, #dwsep.level<l1>>, memref<5xi32, #dwsep.level<l1>>) requant_rows(%{{.*}} : memref<5x2xi16, #dwsep.level<l1>>) outs(%[[OUT]] : memref<5xi8, #dwsep.level<l1>>) channel_offset %{{.*}} requant <mult = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
// CHECK: dwsep.dma_start %[[OUT]], %{{.*}} : memref<5xi8, #dwsep.level<l1>> to memref<5xi8, strided<[1], offset: ?>, #dwsep.level<l2>>
// REPORT: fc 1x5/40 576 0 0 1001 10090 10 0 83
func.func @linear_k(%l1: memref<38236xi8, #l1>, %x: memref<1x1x1001xi8, #l2>, %w: memref<10x1001xi8, #l2>,
                    %b: memref<10xi32, #l2>, %r: memref<10x2xi16, #l2>, %y: memref<10xi8, #l2>) {
  dwsep.layer "fc" {
    dwsep.linear ins(%x, %w, %b : memref<1x1x1001xi8, #l2>, memref<10x1001xi8, #l2>, memref<10xi32, #l2>)
      requant_rows(%r : memref<10x2xi16, #l2>)
      outs(%y : memref<10xi8, #l2>) requant <mult = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], shift = [3], clamp = [-128, 127], acc_bound = 100000>
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// Without a bias (folded into requantization rows by --dwsep-fold-bias):
// nothing is fetched into the accumulators, and the first K slice is the
// accumulate form without a bias operand (its sums start at zero); the
// later ones read the accumulators as bias. One channel slice of 3: every
// K slice's first tile fetches its input, with no scf.if.
// CHECK-LABEL: func.func @linear_no_bias
// CHECK: tile = array<i64: 1, 3, {{[0-9]+}}>
// CHECK-NOT: dwsep.dma_start %{{.*}} weights : memref<3xi32
// CHECK: scf.for
// CHECK-NOT: scf.if
// CHECK: dwsep.dma_wait
// CHECK: case 0 {
// CHECK: %[[ACC0:.*]] = memref.view {{.*}} to memref<3xi32, #dwsep.level<l1>>
// CHECK: dwsep.linear ins(%{{.*}}, %{{.*}} : memref<{{[0-9]+}}xi8, #dwsep.level<l1>>, memref<3x{{[0-9]+}}xi8, #dwsep.level<l1>>) outs(%[[ACC0]] : memref<3xi32, #dwsep.level<l1>>) requant <mult = [1], shift = [0], clamp = [-2147483648, 2147483647]>
// CHECK: case 2 {
// CHECK: %[[ACC1:.*]] = memref.view {{.*}} to memref<3xi32, #dwsep.level<l1>>
// CHECK: dwsep.linear ins(%{{.*}}, %{{.*}}, %[[ACC1]] : {{.*}}) outs(%[[ACC1]] : memref<3xi32, #dwsep.level<l1>>)
// CHECK: case 4 {
// CHECK: dwsep.linear ins({{.*}}) outs(%{{.*}} : memref<3xi8, #dwsep.level<l1>>) requant <mult = [5], shift = [9], clamp = [-128, 127]>
// REPORT: fc {{.*}} 1200 3600 3 0
func.func @linear_no_bias(%l1: memref<38236xi8, #l1>, %x: memref<1200xi8, #l2>, %w: memref<3x1200xi8, #l2>,
                          %y: memref<3xi8, #l2>) {
  dwsep.layer "fc" {
    dwsep.linear ins(%x, %w : memref<1200xi8, #l2>, memref<3x1200xi8, #l2>)
      outs(%y : memref<3xi8, #l2>) requant <mult = [5], shift = [9], clamp = [-128, 127]>
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// All 180 input features fit, but only with 1 or 2 of the 16 output
// channels a tile, and the kernel deals a tile's channels to the 8 cores:
// K tiling is searched too and wins (8 channels, 7 K slices of 28 and the
// rest 12). 24 transfers = 1 bias + 7 inputs + 14 blocks + 2 outputs.
// CHECK-LABEL: func.func @linear_idle_cores
// CHECK: tile = array<i64: 1, 8, 28>
// REPORT: fc 1x8/28 584 0 0 180 2944 16 0 24
func.func @linear_idle_cores(%l1: memref<38236xi8, #l1>, %x: memref<180xi8, #l2>, %w: memref<16x180xi8, #l2>,
                             %b: memref<16xi32, #l2>, %y: memref<16xi8, #l2>) {
  dwsep.layer "fc" {
    dwsep.linear ins(%x, %w, %b : memref<180xi8, #l2>, memref<16x180xi8, #l2>, memref<16xi32, #l2>)
      outs(%y : memref<16xi8, #l2>) requant <mult = [1], shift = [3], clamp = [-128, 127]>
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// A flattened 5 x 6 x 40 map (1200 features in HWC order) read by a linear
// layer: the tiles slice the collapsed L2 map like a vector.
// CHECK-LABEL: func.func @linear_map
// CHECK: %[[FLAT:.*]] = memref.collapse_shape %arg1 {{\[\[}}0, 1, 2]] : memref<5x6x40xi8, #dwsep.level<l2>> into memref<1200xi8, #dwsep.level<l2>>
// CHECK: memref.subview %[[FLAT]][%{{.*}}] [{{[0-9]+}}] [1] : memref<1200xi8, #dwsep.level<l2>>
// REPORT: fc {{.*}} 1200 3600 3 0
func.func @linear_map(%l1: memref<38236xi8, #l1>, %x: memref<5x6x40xi8, #l2>, %w: memref<3x1200xi8, #l2>,
                      %y: memref<3xi8, #l2>) {
  dwsep.layer "fc" {
    dwsep.linear ins(%x, %w : memref<5x6x40xi8, #l2>, memref<3x1200xi8, #l2>)
      outs(%y : memref<3xi8, #l2>) requant <mult = [5], shift = [9], clamp = [-128, 127]>
  }
  return
}
