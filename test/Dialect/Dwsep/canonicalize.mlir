// dwsep.pointwise's canonical form (DwsepOps.cpp, PointwiseOnePixelToLinear):
// over a 1 x 1 HWC map it is dwsep.linear with the same operands and
// attributes; over more than one pixel, or in CHW, it stays a pointwise.
// The pipeline runs that pattern alone (its label).
// RUN: dwsep-opt %s --canonicalize | FileCheck %s
// RUN: dwsep-opt %s --canonicalize="enable-patterns=dwsep-pointwise-one-pixel" | FileCheck %s
// RUN: dwsep-opt %s --canonicalize="disable-patterns=dwsep-pointwise-one-pixel" | FileCheck %s --check-prefix=OFF

// CHECK-LABEL: func.func @one_pixel
// CHECK: %[[Y:.*]] = dwsep.linear ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<1x1x40xui8>, tensor<7x40xi8>, tensor<7xi32>) outs(%{{.*}} : tensor<1x1x7xui8>) input_zp 131 requant <mult = [5, 6, 7, 8, 9, 10, 11], shift = [9], zp = 3, clamp = [0, 255], rounding = floor> -> tensor<1x1x7xui8>
// CHECK-NOT: dwsep.pointwise
// CHECK: return %[[Y]]
// OFF-LABEL: func.func @one_pixel
// OFF: dwsep.pointwise
func.func @one_pixel(%x: tensor<1x1x40xui8>) -> tensor<1x1x7xui8> {
  %w = arith.constant dense<3> : tensor<7x40xi8>
  %b = arith.constant dense<-9> : tensor<7xi32>
  %e = tensor.empty() : tensor<1x1x7xui8>
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<1x1x40xui8>, tensor<7x40xi8>, tensor<7xi32>)
         outs(%e : tensor<1x1x7xui8>) input_zp 131
         requant <mult = [5, 6, 7, 8, 9, 10, 11], shift = [9], zp = 3, clamp = [0, 255], rounding = floor> -> tensor<1x1x7xui8>
  return %y : tensor<1x1x7xui8>
}

// Without a bias, on buffers (the op's memref form, as after bufferization).
// CHECK-LABEL: func.func @one_pixel_memref
// CHECK: dwsep.linear ins(%{{.*}}, %{{.*}} : memref<1x1x16xi8>, memref<4x16xi8>) outs(%{{.*}} : memref<1x1x4xi8>) requant <mult = [1], shift = [4], clamp = [-128, 127]>
// CHECK-NOT: dwsep.pointwise
func.func @one_pixel_memref(%x: memref<1x1x16xi8>, %w: memref<4x16xi8>, %y: memref<1x1x4xi8>) {
  dwsep.pointwise ins(%x, %w : memref<1x1x16xi8>, memref<4x16xi8>)
    outs(%y : memref<1x1x4xi8>) requant <mult = [1], shift = [4], clamp = [-128, 127]>
  return
}

// CHECK-LABEL: func.func @two_pixels
// CHECK: dwsep.pointwise
// CHECK-NOT: dwsep.linear
func.func @two_pixels(%x: tensor<1x2x8xi8>) -> tensor<1x2x4xi8> {
  %w = arith.constant dense<1> : tensor<4x8xi8>
  %e = tensor.empty() : tensor<1x2x4xi8>
  %y = dwsep.pointwise ins(%x, %w : tensor<1x2x8xi8>, tensor<4x8xi8>)
         outs(%e : tensor<1x2x4xi8>) requant <mult = [1], shift = [2], clamp = [-128, 127]> -> tensor<1x2x4xi8>
  return %y : tensor<1x2x4xi8>
}

// A CHW one pixel (8 x 1 x 1): the linear op reads HWC shapes.
// CHECK-LABEL: func.func @one_pixel_chw
// CHECK: dwsep.pointwise
// CHECK-NOT: dwsep.linear
func.func @one_pixel_chw(%x: tensor<8x1x1xi8>) -> tensor<4x1x1xi8> {
  %w = arith.constant dense<1> : tensor<4x8xi8>
  %e = tensor.empty() : tensor<4x1x1xi8>
  %y = dwsep.pointwise ins(%x, %w : tensor<8x1x1xi8>, tensor<4x8xi8>)
         outs(%e : tensor<4x1x1xi8>) layout <chw> requant <mult = [1], shift = [2], clamp = [-128, 127]> -> tensor<4x1x1xi8>
  return %y : tensor<4x1x1xi8>
}
