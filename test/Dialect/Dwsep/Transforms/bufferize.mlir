// RUN: dwsep-opt %s --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" | FileCheck %s

// Every dwsep op bufferizes through the same interface model: the init
// becomes the written buffer, and since the op overwrites all of it, no
// copy of the tensor.empty is made.
// CHECK-LABEL: func @block
// CHECK-SAME: (%[[X:.*]]: memref<8x8x4xi8>, %[[W:.*]]: memref<3x3x4xi8>, %[[B:.*]]: memref<4xi32>, %[[PW:.*]]: memref<6x4xi8>, %[[PB:.*]]: memref<6xi32>) -> memref<8x8x6xi8>
// CHECK-NOT: memref.copy
// CHECK: %[[A:.*]] = memref.alloc() {{.*}} : memref<4x8x8xi8>
// CHECK: dwsep.relayout ins(%[[X]] : memref<8x8x4xi8>) outs(%[[A]] : memref<4x8x8xi8>) from <hwc> to <chw>
// CHECK: %[[D:.*]] = memref.alloc() {{.*}} : memref<4x8x8xi8>
// CHECK: dwsep.depthwise ins(%[[A]], %[[W]], %[[B]] : {{.*}}) outs(%[[D]] : memref<4x8x8xi8>) layout <chw>
// CHECK: dwsep.relayout
// CHECK: dwsep.pointwise
// CHECK: dwsep.add
// CHECK-NOT: memref.copy
// CHECK: return
func.func @block(%x: tensor<8x8x4xi8>, %w: tensor<3x3x4xi8>, %b: tensor<4xi32>,
                 %pw: tensor<6x4xi8>, %pb: tensor<6xi32>) -> tensor<8x8x6xi8> {
  %e0 = tensor.empty() : tensor<4x8x8xi8>
  %a = dwsep.relayout ins(%x : tensor<8x8x4xi8>) outs(%e0 : tensor<4x8x8xi8>) from <hwc> to <chw> -> tensor<4x8x8xi8>
  %e1 = tensor.empty() : tensor<4x8x8xi8>
  %d = dwsep.depthwise ins(%a, %w, %b : tensor<4x8x8xi8>, tensor<3x3x4xi8>, tensor<4xi32>)
         outs(%e1 : tensor<4x8x8xi8>) layout <chw> pad [1, 1, 1, 1]
         requant <mult = [1], shift = [2], clamp = [-128, 127]> -> tensor<4x8x8xi8>
  %e2 = tensor.empty() : tensor<8x8x4xi8>
  %h = dwsep.relayout ins(%d : tensor<4x8x8xi8>) outs(%e2 : tensor<8x8x4xi8>) from <chw> to <hwc> -> tensor<8x8x4xi8>
  %e3 = tensor.empty() : tensor<8x8x6xi8>
  %p = dwsep.pointwise ins(%h, %pw, %pb : tensor<8x8x4xi8>, tensor<6x4xi8>, tensor<6xi32>)
         outs(%e3 : tensor<8x8x6xi8>) requant <mult = [1], shift = [2], clamp = [-128, 127]> -> tensor<8x8x6xi8>
  %e4 = tensor.empty() : tensor<8x8x6xi8>
  %s = dwsep.add ins(%p, %p : tensor<8x8x6xi8>, tensor<8x8x6xi8>) outs(%e4 : tensor<8x8x6xi8>)
         lhs_requant <mult = [1], shift = [0], clamp = [-2147483648, 2147483647]>
         rhs_requant <mult = [1], shift = [0], clamp = [-2147483648, 2147483647]>
         requant <mult = [1], shift = [1], clamp = [-128, 127]> -> tensor<8x8x6xi8>
  return %s : tensor<8x8x6xi8>
}
