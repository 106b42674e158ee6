// RUN: dwsep-opt %s --split-input-file --dwsep-from-linalg=allow-partial=false --verify-diagnostics

func.func @no_requant(%x: tensor<1x5x5x2xi8>, %w: tensor<3x3x2xi8>) -> tensor<1x3x3x2xi32> {
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x3x3x2xi32>
  %f = linalg.fill ins(%c0 : i32) outs(%e : tensor<1x3x3x2xi32>) -> tensor<1x3x3x2xi32>
  // expected-error @+1 {{'linalg.depthwise_conv_2d_nhwc_hwc' op not converted to dwsep: its i32 result is not requantized by a recognized linalg.generic}}
  %acc = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x5x5x2xi8>, tensor<3x3x2xi8>) outs(%f : tensor<1x3x3x2xi32>) -> tensor<1x3x3x2xi32>
  return %acc : tensor<1x3x3x2xi32>
}

// -----

func.func @pooling(%x: tensor<1x4x4x2xi8>) -> tensor<1x2x2x2xi32> {
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x2x2x2xi32>
  %f = linalg.fill ins(%c0 : i32) outs(%e : tensor<1x2x2x2xi32>) -> tensor<1x2x2x2xi32>
  %k = tensor.empty() : tensor<2x2xi32>
  // expected-error @+1 {{'linalg.pooling_nhwc_sum' op not converted to dwsep: pooling is imported from TOSA only}}
  %p = linalg.pooling_nhwc_sum {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%x, %k : tensor<1x4x4x2xi8>, tensor<2x2xi32>) outs(%f : tensor<1x2x2x2xi32>) -> tensor<1x2x2x2xi32>
  return %p : tensor<1x2x2x2xi32>
}

// -----

func.func @conv_nchw(%x: tensor<1x2x4x4xi8>, %w: tensor<2x2x3x3xi8>) -> tensor<1x2x2x2xi32> {
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x2x2x2xi32>
  %f = linalg.fill ins(%c0 : i32) outs(%e : tensor<1x2x2x2xi32>) -> tensor<1x2x2x2xi32>
  // expected-error @+1 {{'linalg.conv_2d_nchw_fchw' op not converted to dwsep: only the nhwc_fhwc / nhwc_hwcf convolutions and nhwc_hwc / nhwc_hwcm depthwise convolutions map to dwsep}}
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x2x4x4xi8>, tensor<2x2x3x3xi8>) outs(%f : tensor<1x2x2x2xi32>) -> tensor<1x2x2x2xi32>
  return %c : tensor<1x2x2x2xi32>
}
