// RUN: dwsep-opt %s --dwsep-from-tosa --verify-diagnostics | FileCheck %s

// allow-partial=true (the default): what converts is converted, the rest
// stays as valid TOSA with a warning, and the pass succeeds. The first
// pointwise converts; the dilated conv that consumes it does not (one
// warning, on the conv; its rescale is not reported again).

// CHECK-LABEL: func.func @partial(
// CHECK:         %[[Y:.*]] = dwsep.pointwise
// CHECK:         %[[Y4:.*]] = tensor.expand_shape %[[Y]]
// CHECK:         %[[C:.*]] = tosa.conv2d %[[Y4]]
// CHECK:         tosa.rescale %[[C]]
func.func @partial(%x: tensor<1x6x6x2xi8>, %w1: tensor<2x1x1x2xi8>, %w2: tensor<2x3x3x2xi8>, %b: tensor<2xi32>) -> tensor<1x2x2x2xi8> {
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %m = "tosa.const"() {values = dense<1> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<2> : tensor<1xi8>} : () -> tensor<1xi8>
  %rzp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %0 = tosa.conv2d %x, %w1, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x6x6x2xi8>, tensor<2x1x1x2xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x6x6x2xi32>
  %1 = tosa.rescale %0, %m, %s, %rzp, %zp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false} : (tensor<1x6x6x2xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x6x6x2xi8>
  // expected-warning @+1 {{'tosa.conv2d' op not converted to dwsep: dilation [2, 2] is not supported; dwsep convolutions need dilation [1, 1]}}
  %2 = tosa.conv2d %1, %w2, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x6x6x2xi8>, tensor<2x3x3x2xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x2x2xi32>
  %3 = tosa.rescale %2, %m, %s, %rzp, %zp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false} : (tensor<1x2x2x2xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x2x2x2xi8>
  return %3 : tensor<1x2x2x2xi8>
}
