// RUN: dwsep-opt %s --dwsep-set-target="l2-size=11000 rows-outer-margin=0" --dwsep-fold-bias --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --buffer-results-to-out-params=modify-public-functions --dwsep-plan-memory --dwsep-tile="l1-budget=8000 loop-order=auto" --dwsep-report -o /dev/null | FileCheck %s
// RUN: dwsep-opt %s --dwsep-set-target="l2-size=11000 rows-outer-margin=0" --dwsep-fold-bias --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --buffer-results-to-out-params=modify-public-functions --dwsep-plan-memory --dwsep-tile="l1-budget=8000 loop-order=auto keep-inputs=false" --dwsep-report -o /dev/null | FileCheck %s --check-prefix=ONCE

// The tile search weighs a plan by all the runs of its layer. In an 11,000 B
// L2 the 100 x 64 weights are staged in channel groups: a loop over two
// groups of 34 channels, then a remainder group of 32. A plan with one row
// tile reads the whole 8x8x64 input (4,096 B) from L1 where the run before
// left it: the loop's second iteration and the remainder (`k`). Weighed by
// one run, as without keep-inputs, 3-row tiles are cheaper and every group
// reads the input again (3 x 4,096 B); weighed by the three runs, of which
// two keep the input, the whole-input plan is, for both the loop (runs 2,
// kept 1) and the remainder (runs 1, kept 1: searched once the loop's plan
// is known).
// CHECK: pointwise_0.ch0-1     8x12k    7168      4352         0      4096      4352
// CHECK: pointwise_0.ch2      8x12k    7168      2048         0         0      2048
// ONCE: pointwise_0.ch0-1      3x34    6880      4352         0      8192      4352
// ONCE: pointwise_0.ch2       3x32    6656      2048         0      4096      2048
func.func @pw(%x: tensor<8x8x64xi8>) -> tensor<8x8x100xi8> {
  %w = arith.constant dense<2> : tensor<100x64xi8>
  %b = arith.constant dense<7> : tensor<100xi32>
  %e = tensor.empty() : tensor<8x8x100xi8>
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<8x8x64xi8>, tensor<100x64xi8>, tensor<100xi32>)
         outs(%e : tensor<8x8x100xi8>) requant <mult = [3], shift = [2], clamp = [-128, 127]> -> tensor<8x8x100xi8>
  return %y : tensor<8x8x100xi8>
}
