// The interpreter reads a depthwise op's zp_folded: the fold of the input
// zero point into its bias (--dwsep-fold-zero-points) changes no output,
// padding (which still reads input_zp) included.
// RUN: dwsep-opt %s --dwsep-fold-zero-points -o %t.mlir
// RUN: FileCheck %s --check-prefix=FOLDED < %t.mlir
// RUN: dwsep-interp %s --entry=* --seed=5 > %t.before
// RUN: dwsep-interp %t.mlir --entry=* --seed=5 > %t.after
// RUN: diff %t.before %t.after
// RUN: FileCheck %s < %t.after

// FOLDED: dwsep.depthwise {{.*}} layout <chw> {{.*}} input_zp -7 zp_folded requant
// FOLDED: dwsep.depthwise {{.*}} stride [2, 2] {{.*}} input_zp 100 zp_folded requant
// CHECK: result0:
// CHECK: result0:
#rq = #dwsep.requant<mult = [3, 5, 7], shift = [5], zp = -9, clamp = [-128, 127]>
#rq2 = #dwsep.requant<mult = [9], shift = [7], zp = 12, clamp = [0, 255]>
func.func @chw(%x: tensor<3x5x6xi8>) -> tensor<3x5x6xi8> {
  %w = arith.constant dense<[[[1, -2, 3], [4, 5, -6], [7, 8, 9]], [[-1, 2, 3], [4, -5, 6], [7, -8, 9]], [[1, 2, -3], [-4, 5, 6], [7, 8, -9]]]> : tensor<3x3x3xi8>
  %b = arith.constant dense<[10, -20, 30]> : tensor<3xi32>
  %e = tensor.empty() : tensor<3x5x6xi8>
  %y = dwsep.depthwise ins(%x, %w, %b : tensor<3x5x6xi8>, tensor<3x3x3xi8>, tensor<3xi32>)
         outs(%e : tensor<3x5x6xi8>) layout <chw> pad [1, 1, 1, 1] input_zp -7 requant #rq -> tensor<3x5x6xi8>
  return %y : tensor<3x5x6xi8>
}
func.func @hwc_s2(%x: tensor<7x7x2xui8>) -> tensor<4x4x2xui8> {
  %w = arith.constant dense<[[[127, -128], [3, 4], [5, 6]], [[7, 8], [9, -10], [11, 12]], [[13, 14], [-15, 16], [17, 18]]]> : tensor<3x3x2xi8>
  %e = tensor.empty() : tensor<4x4x2xui8>
  %y = dwsep.depthwise ins(%x, %w : tensor<7x7x2xui8>, tensor<3x3x2xi8>)
         outs(%e : tensor<4x4x2xui8>) stride [2, 2] pad [1, 1, 1, 1] input_zp 100 requant #rq2 -> tensor<4x4x2xui8>
  return %y : tensor<4x4x2xui8>
}
