// RUN: dwsep-interp %s --entry=depthwise_pad,avgpool_add,relayout_chw | FileCheck %s

// 3x3 depthwise, pad 1, on a 2x2x1 input of ones with input_zp 1, i.e. all
// taps are 0 except the bias; a non-zero input_zp must make padded taps 0,
// not (0 - 1) * w. out = bias = 5 everywhere (mult 1, shift 0).
// CHECK: depthwise_pad.result0: [5, 5, 5, 5]
func.func @depthwise_pad() -> tensor<2x2x1xi8> {
  %x = arith.constant dense<1> : tensor<2x2x1xi8>
  %w = arith.constant dense<7> : tensor<3x3x1xi8>
  %b = arith.constant dense<5> : tensor<1xi32>
  %e = tensor.empty() : tensor<2x2x1xi8>
  %y = dwsep.depthwise ins(%x, %w, %b : tensor<2x2x1xi8>, tensor<3x3x1xi8>, tensor<1xi32>)
         outs(%e : tensor<2x2x1xi8>) pad [1, 1, 1, 1] input_zp 1
         requant #dwsep.requant<mult = [1], shift = [0], clamp = [-128, 127]> -> tensor<2x2x1xi8>
  return %y : tensor<2x2x1xi8>
}

// 2x2 average of [1, 2, 3, 6] = 12 / 4 = 3 (mult 1, shift 2, half_up), then
// add it to itself: 3 + 3 = 6, ui8 output with zp 10: 16.
// CHECK: avgpool_add.result0: [16]
func.func @avgpool_add() -> tensor<1x1x1xui8> {
  %x = arith.constant dense<[[[1], [2]], [[3], [6]]]> : tensor<2x2x1xi8>
  %e = tensor.empty() : tensor<1x1x1xi8>
  %p = dwsep.avgpool ins(%x : tensor<2x2x1xi8>) outs(%e : tensor<1x1x1xi8>) kernel [2, 2]
         requant #dwsep.requant<mult = [1], shift = [2], clamp = [-128, 127]> -> tensor<1x1x1xi8>
  %e2 = tensor.empty() : tensor<1x1x1xui8>
  %s = dwsep.add ins(%p, %p : tensor<1x1x1xi8>, tensor<1x1x1xi8>) outs(%e2 : tensor<1x1x1xui8>)
         lhs_requant #dwsep.requant<mult = [1], shift = [0], clamp = [-2147483648, 2147483647]>
         rhs_requant #dwsep.requant<mult = [1], shift = [0], clamp = [-2147483648, 2147483647]>
         requant #dwsep.requant<mult = [1], shift = [0], zp = 10, clamp = [0, 255]> -> tensor<1x1x1xui8>
  return %s : tensor<1x1x1xui8>
}

// hwc 1x2x3 [[a b c] [d e f]] as chw 3x1x2: [[a d]] [[b e]] [[c f]].
// Values print flat, in row-major order of the result's shape.
// CHECK: relayout_chw.result0: [1, 4, 2, 5, 3, 6]
func.func @relayout_chw() -> tensor<3x1x2xi8> {
  %x = arith.constant dense<[[[1, 2, 3], [4, 5, 6]]]> : tensor<1x2x3xi8>
  %e = tensor.empty() : tensor<3x1x2xi8>
  %y = dwsep.relayout ins(%x : tensor<1x2x3xi8>) outs(%e : tensor<3x1x2xi8>) from <hwc> to <chw> -> tensor<3x1x2xi8>
  return %y : tensor<3x1x2xi8>
}
