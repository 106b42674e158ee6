// The interpreter reads pw_zp_folded: the fold of the intermediate's zero
// point into the pointwise bias (--dwsep-fold-zero-points) changes no output.
// RUN: dwsep-opt %s --dwsep-fold-zero-points -o %t.mlir
// RUN: FileCheck %s --check-prefix=FOLDED < %t.mlir
// RUN: dwsep-interp %s --entry=dw_pw --seed=3 > %t.before
// RUN: dwsep-interp %t.mlir --entry=dw_pw --seed=3 > %t.after
// RUN: diff %t.before %t.after
// RUN: FileCheck %s < %t.after

// FOLDED: dwsep.fused {{.*}} pw_zp_folded dw_requant
// CHECK: result0:
#dwrq = #dwsep.requant<mult = [3, 5, 7], shift = [4], zp = -9, clamp = [-128, 127]>
#pwrq = #dwsep.requant<mult = [11], shift = [6], zp = 4, clamp = [-128, 127]>
func.func @dw_pw(%x: tensor<5x5x3xi8>) -> tensor<5x5x2xi8> {
  %dw = arith.constant dense<[[[1, -2, 3], [4, 5, -6], [7, 8, 9]], [[-1, 2, 3], [4, -5, 6], [7, -8, 9]], [[1, 2, -3], [-4, 5, 6], [7, 8, -9]]]> : tensor<3x3x3xi8>
  %dwb = arith.constant dense<[10, -20, 30]> : tensor<3xi32>
  %pw = arith.constant dense<[[5, -7, 9], [-11, 13, 127]]> : tensor<2x3xi8>
  %pwb = arith.constant dense<[100, -200]> : tensor<2xi32>
  %e = tensor.empty() : tensor<5x5x2xi8>
  %y = dwsep.fused ins(%x : tensor<5x5x3xi8>) dw(%dw, %dwb : tensor<3x3x3xi8>, tensor<3xi32>)
         pw(%pw, %pwb : tensor<2x3xi8>, tensor<2xi32>) outs(%e : tensor<5x5x2xi8>)
         variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows>
         mid_type i8 pad [1, 1, 1, 1] input_zp 2 dw_requant #dwrq pw_requant #pwrq -> tensor<5x5x2xi8>
  return %y : tensor<5x5x2xi8>
}
