// RUN: dwsep-opt %s --split-input-file --dwsep-bound-accumulators | FileCheck %s

// acc_bound = max over the channels c of |bias[c]| + R * sum |w[c]|, R the
// farthest input value from the zero point. Pointwise on ui8 with zp 0
// (R = 255), weights [O, I]: channel 0: 10 + 255 * 6 = 1540, channel 1:
// 20 + 255 * 15 = 3845.
// CHECK-LABEL: func.func @pointwise
// CHECK: requant <mult = [1], shift = [4], clamp = [0, 255], acc_bound = 3845>
func.func @pointwise(%x: tensor<2x2x3xui8>) -> tensor<2x2x2xui8> {
  %w = arith.constant dense<[[1, -2, 3], [4, 5, -6]]> : tensor<2x3xi8>
  %b = arith.constant dense<[10, -20]> : tensor<2xi32>
  %e = tensor.empty() : tensor<2x2x2xui8>
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<2x2x3xui8>, tensor<2x3xi8>, tensor<2xi32>)
         outs(%e : tensor<2x2x2xui8>) requant <mult = [1], shift = [4], clamp = [0, 255]> -> tensor<2x2x2xui8>
  return %y : tensor<2x2x2xui8>
}

// -----

// Depthwise weights are [kh, kw, C]: a channel's taps are every C-th
// weight. i8 with zp -3: R = |127 + 3| = 130. Channel 0: 130 * (1 + 2) =
// 390; channel 1: 5 + 130 * (1 + 3) = 525.
// CHECK-LABEL: func.func @depthwise
// CHECK: acc_bound = 525>
func.func @depthwise(%x: tensor<4x4x2xi8>) -> tensor<4x3x2xi8> {
  %w = arith.constant dense<[[[1, -1], [2, 3]]]> : tensor<1x2x2xi8>
  %b = arith.constant dense<[0, 5]> : tensor<2xi32>
  %e = tensor.empty() : tensor<4x3x2xi8>
  %y = dwsep.depthwise ins(%x, %w, %b : tensor<4x4x2xi8>, tensor<1x2x2xi8>, tensor<2xi32>)
         outs(%e : tensor<4x3x2xi8>) input_zp -3
         requant <mult = [1], shift = [4], clamp = [-128, 127]> -> tensor<4x3x2xi8>
  return %y : tensor<4x3x2xi8>
}

// -----

// A depthwise with its zero point folded into the bias (zp_folded) sums its
// inputs as they are: R = 128 for i8 (padding reads input_zp, an i8 too).
// Channel 0: 128 * 3 = 384; channel 1: 5 + 128 * 4 = 517.
// CHECK-LABEL: func.func @depthwise_zp_folded
// CHECK: acc_bound = 517>
func.func @depthwise_zp_folded(%x: tensor<4x4x2xi8>) -> tensor<4x3x2xi8> {
  %w = arith.constant dense<[[[1, -1], [2, 3]]]> : tensor<1x2x2xi8>
  %b = arith.constant dense<[0, 5]> : tensor<2xi32>
  %e = tensor.empty() : tensor<4x3x2xi8>
  %y = dwsep.depthwise ins(%x, %w, %b : tensor<4x4x2xi8>, tensor<1x2x2xi8>, tensor<2xi32>)
         outs(%e : tensor<4x3x2xi8>) input_zp -3 zp_folded
         requant <mult = [1], shift = [4], clamp = [-128, 127]> -> tensor<4x3x2xi8>
  return %y : tensor<4x3x2xi8>
}

// -----

// Conv weights [O, kh, kw, I]; ui8 with zp 128: R = 128.
// 100 + 128 * 14 = 1892.
// CHECK-LABEL: func.func @conv
// CHECK: acc_bound = 1892>
func.func @conv(%x: tensor<3x3x2xui8>) -> tensor<3x3x1xui8> {
  %w = arith.constant dense<[[[[7, -7]]]]> : tensor<1x1x1x2xi8>
  %b = arith.constant dense<[100]> : tensor<1xi32>
  %e = tensor.empty() : tensor<3x3x1xui8>
  %y = dwsep.conv2d ins(%x, %w, %b : tensor<3x3x2xui8>, tensor<1x1x1x2xi8>, tensor<1xi32>)
         outs(%e : tensor<3x3x1xui8>) input_zp 128
         requant <mult = [1], shift = [4], clamp = [0, 255]> -> tensor<3x3x1xui8>
  return %y : tensor<3x3x1xui8>
}

// -----

// No bound: weights that are no constant, and a bound past 2^31 - 1
// (255 * 127 * 70000 > 2^31).
// CHECK-LABEL: func.func @none
// CHECK-NOT: acc_bound
func.func @none(%x: tensor<1x1x70000xui8>, %w: tensor<2x70000xi8>) -> (tensor<1x1x2xui8>, tensor<1x1x2xui8>) {
  %big = arith.constant dense<127> : tensor<2x70000xi8>
  %b = arith.constant dense<0> : tensor<2xi32>
  %e = tensor.empty() : tensor<1x1x2xui8>
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<1x1x70000xui8>, tensor<2x70000xi8>, tensor<2xi32>)
         outs(%e : tensor<1x1x2xui8>) requant <mult = [1], shift = [4], clamp = [0, 255]> -> tensor<1x1x2xui8>
  %z = dwsep.pointwise ins(%x, %big, %b : tensor<1x1x70000xui8>, tensor<2x70000xi8>, tensor<2xi32>)
         outs(%e : tensor<1x1x2xui8>) requant <mult = [1], shift = [4], clamp = [0, 255]> -> tensor<1x1x2xui8>
  return %y, %z : tensor<1x1x2xui8>, tensor<1x1x2xui8>
}

// -----

// Fused: the first half reads the input, the second the intermediate, whose
// values are the first requantization's clamp range around its zp.
// PW->DW: pw half on ui8 zp 3 (R = 252): 1 + 252 * 5 = 1261; dw half on
// the intermediate [10, 200] around pw_requant's zp 7 (R = 193), weights
// [1, 1, 2] = [2, -9]: 1 + 193 * 9 = 1738.
// DW->PW with pw_zp_folded: dw half on ui8 zp 3: 1 + 252 * 9 = 2269; pw half
// on the intermediate [0, 50] with its zp folded away (R = 50), weights
// [[1, -4], [2, 3]]: 1 + 50 * 5 = 251.
// CHECK-LABEL: func.func @fused
// CHECK: variant <pw_dw, {{.*}}> {{.*}} dw_requant <mult = [1], shift = [4], zp = 7, clamp = [10, 200], acc_bound = 1738> pw_requant <mult = [1], shift = [4], zp = 7, clamp = [10, 200], acc_bound = 1261>
// CHECK: variant <dw_pw, {{.*}}> {{.*}} pw_zp_folded dw_requant <mult = [1], shift = [4], zp = 7, clamp = [0, 50], acc_bound = 2269> pw_requant <mult = [1], shift = [4], zp = 7, clamp = [0, 50], acc_bound = 251>
func.func @fused(%x: tensor<4x4x2xui8>) -> (tensor<4x4x2xui8>, tensor<4x4x2xui8>) {
  %dw = arith.constant dense<[[[2, -9]]]> : tensor<1x1x2xi8>
  %pw = arith.constant dense<[[1, -4], [2, 3]]> : tensor<2x2xi8>
  %b = arith.constant dense<1> : tensor<2xi32>
  %e = tensor.empty() : tensor<4x4x2xui8>
  %y = dwsep.fused ins(%x : tensor<4x4x2xui8>) dw(%dw, %b : tensor<1x1x2xi8>, tensor<2xi32>)
         pw(%pw, %b : tensor<2x2xi8>, tensor<2xi32>) outs(%e : tensor<4x4x2xui8>)
         variant <pw_dw, input = hwc, mid = hwc, output = hwc, split = rows>
         mid_type ui8 input_zp 3
         dw_requant <mult = [1], shift = [4], zp = 7, clamp = [10, 200]>
         pw_requant <mult = [1], shift = [4], zp = 7, clamp = [10, 200]> -> tensor<4x4x2xui8>
  %z = dwsep.fused ins(%x : tensor<4x4x2xui8>) dw(%dw, %b : tensor<1x1x2xi8>, tensor<2xi32>)
         pw(%pw, %b : tensor<2x2xi8>, tensor<2xi32>) outs(%e : tensor<4x4x2xui8>)
         variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows>
         mid_type ui8 input_zp 3 pw_zp_folded
         dw_requant <mult = [1], shift = [4], zp = 7, clamp = [0, 50]>
         pw_requant <mult = [1], shift = [4], zp = 7, clamp = [0, 50]> -> tensor<4x4x2xui8>
  return %y, %z : tensor<4x4x2xui8>, tensor<4x4x2xui8>
}
