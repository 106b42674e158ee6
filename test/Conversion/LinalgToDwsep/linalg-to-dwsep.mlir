// The input is TOSA lowered by upstream (tosa-to-linalg-named,tosa-to-linalg),
// so the patterns are exactly the structure upstream emits.
// RUN: mlir-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg,tosa-to-tensor))" \
// RUN:   | dwsep-opt --split-input-file --dwsep-from-linalg=allow-partial=false | FileCheck %s

// Depthwise (hwcm_q, m = 1, behind a tensor.pad with the input zero point
// and a bias-add generic) + per-channel DOUBLE_ROUND rescale + clamp.
// CHECK-LABEL: func.func @depthwise(
// CHECK:         dwsep.depthwise ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<4x4x2xi8>, tensor<3x3x2xi8>, tensor<2xi32>) outs(%{{.*}} : tensor<4x4x2xi8>) pad [1, 1, 1, 1] input_zp -3
// CHECK-SAME:      requant <mult = [1073741824, 1500000000], shift = [33, 35], zp = -128, clamp = [-128, 100], rounding = double_round>
// CHECK-NOT:     linalg.
func.func @depthwise(%x: tensor<1x4x4x2xi8>) -> tensor<1x4x4x2xi8> {
  %w = "tosa.const"() {values = dense<[[[[1], [2]], [[3], [4]], [[5], [6]]], [[[1], [2]], [[3], [4]], [[5], [6]]], [[[1], [2]], [[3], [4]], [[5], [6]]]]> : tensor<3x3x2x1xi8>} : () -> tensor<3x3x2x1xi8>
  %b = "tosa.const"() {values = dense<[10, -10]> : tensor<2xi32>} : () -> tensor<2xi32>
  %izp = "tosa.const"() {values = dense<-3> : tensor<1xi8>} : () -> tensor<1xi8>
  %wzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %0 = tosa.depthwise_conv2d %x, %w, %b, %izp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xi8>, tensor<3x3x2x1xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x2xi32>
  %m = "tosa.const"() {values = dense<[1073741824, 1500000000]> : tensor<2xi32>} : () -> tensor<2xi32>
  %s = "tosa.const"() {values = dense<[33, 35]> : tensor<2xi8>} : () -> tensor<2xi8>
  %rzp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<-128> : tensor<1xi8>} : () -> tensor<1xi8>
  %1 = tosa.rescale %0, %m, %s, %rzp, %ozp {scale32 = true, rounding_mode = DOUBLE_ROUND, per_channel = true, input_unsigned = false, output_unsigned = false} : (tensor<1x4x4x2xi32>, tensor<2xi32>, tensor<2xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x4x4x2xi8>
  %2 = tosa.clamp %1 {min_val = -128 : i8, max_val = 100 : i8} : (tensor<1x4x4x2xi8>) -> tensor<1x4x4x2xi8>
  return %2 : tensor<1x4x4x2xi8>
}

// -----

// conv_2d_nhwc_fhwc_q 1x1 (init: broadcast bias) -> pointwise.
// CHECK-LABEL: func.func @pointwise(
// CHECK-DAG:     %[[W:.*]] = arith.constant dense<{{\[}}[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<[1, 2, 3, 4]> : tensor<4xi32>
// CHECK:         dwsep.pointwise ins(%{{.*}}, %[[W]], %[[B]] : tensor<3x3x2xi8>, tensor<4x2xi8>, tensor<4xi32>) outs(%{{.*}} : tensor<3x3x4xi8>) input_zp 5
// CHECK-SAME:      requant <mult = [1073741824], shift = [36], zp = -2, clamp = [-128, 127]>
func.func @pointwise(%x: tensor<1x3x3x2xi8>) -> tensor<1x3x3x4xi8> {
  %w = "tosa.const"() {values = dense<[[[[1, 2]]], [[[3, 4]]], [[[5, 6]]], [[[7, 8]]]]> : tensor<4x1x1x2xi8>} : () -> tensor<4x1x1x2xi8>
  %b = "tosa.const"() {values = dense<[1, 2, 3, 4]> : tensor<4xi32>} : () -> tensor<4xi32>
  %izp = "tosa.const"() {values = dense<5> : tensor<1xi8>} : () -> tensor<1xi8>
  %wzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %0 = tosa.conv2d %x, %w, %b, %izp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x3x3x2xi8>, tensor<4x1x1x2xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x3x3x4xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<36> : tensor<1xi8>} : () -> tensor<1xi8>
  %rzp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<-2> : tensor<1xi8>} : () -> tensor<1xi8>
  %1 = tosa.rescale %0, %m, %s, %rzp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false} : (tensor<1x3x3x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x3x3x4xi8>
  return %1 : tensor<1x3x3x4xi8>
}

// -----

// quantized_batch_matmul + bias add -> linear (B transposed to Cout x Cin).
// CHECK-LABEL: func.func @fully_connected(
// CHECK:         dwsep.linear ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<3xi8>, tensor<2x3xi8>, tensor<2xi32>) outs(%{{.*}} : tensor<2xi8>) input_zp 1
// CHECK-SAME:      requant <mult = [1073741824], shift = [31], clamp = [-128, 127]>
func.func @fully_connected(%x: tensor<1x1x3xi8>) -> tensor<1x1x2xi8> {
  %w = "tosa.const"() {values = dense<[[[1, 2], [3, 4], [5, 6]]]> : tensor<1x3x2xi8>} : () -> tensor<1x3x2xi8>
  %azp = "tosa.const"() {values = dense<1> : tensor<1xi8>} : () -> tensor<1xi8>
  %bzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %1 = tosa.matmul %x, %w, %azp, %bzp : (tensor<1x1x3xi8>, tensor<1x3x2xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x2xi32>
  %b = "tosa.const"() {values = dense<[[[100, -100]]]> : tensor<1x1x2xi32>} : () -> tensor<1x1x2xi32>
  %2 = tosa.add %1, %b : (tensor<1x1x2xi32>, tensor<1x1x2xi32>) -> tensor<1x1x2xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %rzp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %3 = tosa.rescale %2, %m, %s, %rzp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false} : (tensor<1x1x2xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x1x2xi8>
  return %3 : tensor<1x1x2xi8>
}
