// Hand-written linalg forms that upstream's TOSA lowering does not emit:
// non-quantized i8 named ops and the hwcf filter layout.
// RUN: dwsep-opt %s --split-input-file --dwsep-from-linalg=allow-partial=false | FileCheck %s

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// HWCF 1x1x2x3 weights [[1, 2, 3], [4, 5, 6]] become OHWI 3x2 [[1, 4], [2, 5], [3, 6]].
// CHECK-LABEL: func.func @hwcf(
// CHECK:         %[[W:.*]] = arith.constant dense<{{\[}}[1, 4], [2, 5], [3, 6]]> : tensor<3x2xi8>
// CHECK:         dwsep.pointwise ins(%{{.*}}, %[[W]], %{{.*}} : tensor<2x2x2xi8>, tensor<3x2xi8>, tensor<3xi32>)
// CHECK-SAME:      requant <mult = [3], shift = [1], zp = 4, clamp = [0, 127]>
func.func @hwcf(%x: tensor<1x2x2x2xi8>) -> tensor<1x2x2x3xi8> {
  %w = arith.constant dense<[[[[1, 2, 3], [4, 5, 6]]]]> : tensor<1x1x2x3xi8>
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x2x2x3xi32>
  %f = linalg.fill ins(%c0 : i32) outs(%e : tensor<1x2x2x3xi32>) -> tensor<1x2x2x3xi32>
  %acc = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x2x2x2xi8>, tensor<1x1x2x3xi8>) outs(%f : tensor<1x2x2x3xi32>) -> tensor<1x2x2x3xi32>
  %e8 = tensor.empty() : tensor<1x2x2x3xi8>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%acc : tensor<1x2x2x3xi32>) outs(%e8 : tensor<1x2x2x3xi8>) {
  ^bb0(%in: i32, %out: i8):
    %m = arith.constant 3 : i32
    %s = arith.constant 1 : i8
    %zp = arith.constant 4 : i32
    %lo = arith.constant 0 : i32
    %hi = arith.constant 127 : i32
    %0 = tosa.apply_scale %in, %m, %s {rounding_mode = SINGLE_ROUND} : (i32, i32, i8) -> i32
    %1 = arith.addi %0, %zp : i32
    %2 = arith.maxsi %lo, %1 : i32
    %3 = arith.minsi %hi, %2 : i32
    %4 = arith.trunci %3 : i32 to i8
    linalg.yield %4 : i8
  } -> tensor<1x2x2x3xi8>
  return %r : tensor<1x2x2x3xi8>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// depthwise_conv_2d_nhwc_hwc (non-quantized), stride 2.
// CHECK-LABEL: func.func @depthwise_hwc(
// CHECK:         dwsep.depthwise ins(%{{.*}} : tensor<5x5x2xi8>, tensor<3x3x2xi8>, tensor<2xi32>) outs(%{{.*}} : tensor<2x2x2xi8>) stride [2, 2]
// CHECK-SAME:      requant <mult = [3], shift = [1], clamp = [-128, 127]>
func.func @depthwise_hwc(%x: tensor<1x5x5x2xi8>, %w: tensor<3x3x2xi8>) -> tensor<1x2x2x2xi8> {
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x2x2x2xi32>
  %f = linalg.fill ins(%c0 : i32) outs(%e : tensor<1x2x2x2xi32>) -> tensor<1x2x2x2xi32>
  %acc = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x5x5x2xi8>, tensor<3x3x2xi8>) outs(%f : tensor<1x2x2x2xi32>) -> tensor<1x2x2x2xi32>
  %e8 = tensor.empty() : tensor<1x2x2x2xi8>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%acc : tensor<1x2x2x2xi32>) outs(%e8 : tensor<1x2x2x2xi8>) {
  ^bb0(%in: i32, %out: i8):
    %m = arith.constant 3 : i32
    %s = arith.constant 1 : i8
    %zp = arith.constant 0 : i32
    %lo = arith.constant -128 : i32
    %hi = arith.constant 127 : i32
    %0 = tosa.apply_scale %in, %m, %s {rounding_mode = SINGLE_ROUND} : (i32, i32, i8) -> i32
    %1 = arith.addi %0, %zp : i32
    %2 = arith.maxsi %lo, %1 : i32
    %3 = arith.minsi %hi, %2 : i32
    %4 = arith.trunci %3 : i32 to i8
    linalg.yield %4 : i8
  } -> tensor<1x2x2x2xi8>
  return %r : tensor<1x2x2x2xi8>
}
