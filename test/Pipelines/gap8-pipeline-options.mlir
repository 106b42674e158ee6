// The pipeline's target options rewrite the module's #dwsep.target before
// anything reads it: cores=4 forks every kernel on 4 cores and sizes the L1
// budget for 4 stacks; chip=gap9 plans with GAP9's L1.
// RUN: dwsep-opt %s --dwsep-gap8-pipeline="cores=4" | FileCheck %s --check-prefix=CORES
// RUN: dwsep-opt %s --dwsep-gap8-pipeline="chip=gap9" | FileCheck %s --check-prefix=GAP9
// CORES: llvm.func @pw(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i32, %{{.*}}: i32, %{{.*}}: i32,
// CORES: %[[N:.*]] = llvm.mlir.constant(4 : i32) : i32
// CORES: llvm.call @dwsep_rt_fork(%{{.*}}, %{{.*}}, %[[N]])
// GAP9: %[[N:.*]] = llvm.mlir.constant(9 : i32) : i32
// GAP9: llvm.call @dwsep_rt_fork(%{{.*}}, %{{.*}}, %[[N]])

// With the bias kept (fold-bias=false), l2-size=600 leaves the weights
// (192 B) more than a quarter of L2: they are staged in two groups of 8
// channels, one layer in a loop over the group; the report sums its two
// instances. The second finds the input (one row tile) in L1 where the
// first left it (`k`); with keep-inputs=false each fetches it.
// RUN: dwsep-opt %s --dwsep-gap8-pipeline="fold-bias=false l2-size=600 report=-" -o /dev/null | FileCheck %s --check-prefix=GROUPS
// RUN: dwsep-opt %s --dwsep-gap8-pipeline="fold-bias=false l2-size=600 keep-inputs=false report=-" -o /dev/null | FileCheck %s --check-prefix=REFETCH
// RUN: dwsep-opt %s --dwsep-gap8-pipeline="fold-bias=false report=-" -o /dev/null | FileCheck %s --check-prefix=WHOLE
// GROUPS: pointwise_0.ch0-1 4x8k 352 192 0 128 192 256 0 11
// GROUPS: L2 peak: 480 B
// REFETCH: pointwise_0.ch0-1 4x8 352 192 0 256 192 256 0 12
// WHOLE: pointwise_0 4x16 576 192 0 128 192 256 0 6
// The row tiles outer in a 300 B budget: one input buffer lets a row tile
// take 6 channels instead of 4 (`r1`); one-input-buffer=false keeps two.
// RUN: dwsep-opt %s --dwsep-gap8-pipeline="loop-order=rows l1-budget=300 report=-" -o /dev/null | FileCheck %s --check-prefix=ONEBUF
// RUN: dwsep-opt %s --dwsep-gap8-pipeline="loop-order=rows l1-budget=300 one-input-buffer=false report=-" -o /dev/null | FileCheck %s --check-prefix=TWOBUF
// ONEBUF: pointwise_0 2x6r1 256 128 0 128 256 256 0 15
// TWOBUF: pointwise_0 2x4r 256 128 0 128 256 256 0 19
// By default the bias is folded into the requantization (the addend 7 * 3,
// one value for all channels): 128 B of weights, two transfers less.
// RUN: dwsep-opt %s --dwsep-gap8-pipeline="report=-" -o /dev/null | FileCheck %s --check-prefix=FOLDED
// FOLDED: pointwise_0 4x16 512 128 0 128 128 256 0 4
func.func @pw(%x: tensor<4x4x8xi8>) -> tensor<4x4x16xi8> {
  %w = arith.constant dense<2> : tensor<16x8xi8>
  %b = arith.constant dense<7> : tensor<16xi32>
  %e = tensor.empty() : tensor<4x4x16xi8>
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<4x4x8xi8>, tensor<16x8xi8>, tensor<16xi32>)
         outs(%e : tensor<4x4x16xi8>) requant <mult = [3], shift = [2], clamp = [-128, 127]> -> tensor<4x4x16xi8>
  return %y : tensor<4x4x16xi8>
}
