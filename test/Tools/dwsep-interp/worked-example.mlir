// RUN: dwsep-interp %s --entry=half_up,floor,double_round | FileCheck %s

// docs/numerics.md section 7: x = [10, -3, 7], input_zp = 3,
// w = [[5, -2, 3], [-4, 6, 1]], bias = [100, -50] give acc = [159, -110].

// Case A (half_up, mult 3, shift 2, zp -5): [114, -87]; FNV-1a over the
// bytes 0x72 0xa9.
// CHECK:      half_up.result0: [114, -87]
// CHECK-NEXT: half_up.result0 fnv1a: 0xa454ecf4
func.func @half_up() -> tensor<1x1x2xi8> {
  %x = arith.constant dense<[[[10, -3, 7]]]> : tensor<1x1x3xi8>
  %w = arith.constant dense<[[5, -2, 3], [-4, 6, 1]]> : tensor<2x3xi8>
  %b = arith.constant dense<[100, -50]> : tensor<2xi32>
  %e = tensor.empty() : tensor<1x1x2xi8>
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<1x1x3xi8>, tensor<2x3xi8>, tensor<2xi32>)
         outs(%e : tensor<1x1x2xi8>) input_zp 3
         requant #dwsep.requant<mult = [3], shift = [2], zp = -5, clamp = [-128, 127]>
         -> tensor<1x1x2xi8>
  return %y : tensor<1x1x2xi8>
}

// Case B (floor): -82.5 rounds down to -83.
// CHECK:      floor.result0: [114, -88]
// CHECK-NEXT: floor.result0 fnv1a: 0xa554ee87
func.func @floor() -> tensor<1x1x2xi8> {
  %x = arith.constant dense<[[[10, -3, 7]]]> : tensor<1x1x3xi8>
  %w = arith.constant dense<[[5, -2, 3], [-4, 6, 1]]> : tensor<2x3xi8>
  %b = arith.constant dense<[100, -50]> : tensor<2xi32>
  %e = tensor.empty() : tensor<1x1x2xi8>
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<1x1x3xi8>, tensor<2x3xi8>, tensor<2xi32>)
         outs(%e : tensor<1x1x2xi8>) input_zp 3
         requant #dwsep.requant<mult = [3], shift = [2], zp = -5, clamp = [-128, 127], rounding = floor>
         -> tensor<1x1x2xi8>
  return %y : tensor<1x1x2xi8>
}

// Case D (double_round, shift 33) through dwsep.linear on a vector and a
// reshape of the result: [27, -18] (half_up would give 26 for channel 0).
// CHECK:      double_round.result0: [27, -18]
// CHECK-NEXT: double_round.result0 fnv1a: 0xe1b4b4fc
func.func @double_round() -> tensor<1x2xi8> {
  %x = arith.constant dense<[10, -3, 7]> : tensor<3xi8>
  %w = arith.constant dense<[[5, -2, 3], [-4, 6, 1]]> : tensor<2x3xi8>
  %b = arith.constant dense<[100, -50]> : tensor<2xi32>
  %e = tensor.empty() : tensor<2xi8>
  %y = dwsep.linear ins(%x, %w, %b : tensor<3xi8>, tensor<2x3xi8>, tensor<2xi32>)
         outs(%e : tensor<2xi8>) input_zp 3
         requant #dwsep.requant<mult = [1431655765], shift = [33], clamp = [-128, 127], rounding = double_round>
         -> tensor<2xi8>
  %r = tensor.expand_shape %y [[0, 1]] output_shape [1, 2] : tensor<2xi8> into tensor<1x2xi8>
  return %r : tensor<1x2xi8>
}
