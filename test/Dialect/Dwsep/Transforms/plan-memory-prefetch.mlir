// RUN: dwsep-opt %s --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --buffer-results-to-out-params=modify-public-functions --dwsep-plan-memory | FileCheck %s

// With prefetch-weights (the default) the second layer's weight staging
// is live during the first layer too, and it was placed above the 10 KB
// output, which lives only during the second layer. The first layer's
// activations moved to L3 and the staging still stood above the 8 KB L2
// where nothing else was live: planning gave up ("does not fit in L2: its
// weight staging buffer ... needs 10720 B", MobileNetV1 1.0@224's first
// pointwise layer). The activation that pushes it up moves to L3 instead:
// the output is streamed in bands.
// CHECK-LABEL: func.func @pushed
// CHECK-SAME: #dwsep.argument<kind = output, level = l3, offset = {{[0-9]+}}, type = memref<16x16x40xi8>>
// CHECK: dwsep.layer "pointwise_1.band0"
module attributes {dwsep.target = #dwsep.target<"gap8", l2_size = 8192>} {
func.func @pushed(%x: tensor<16x16x8xi8>) -> tensor<16x16x40xi8> {
  %w = arith.constant dense<1> : tensor<8x8xi8>
  %b = arith.constant dense<0> : tensor<8xi32>
  %e = tensor.empty() : tensor<16x16x8xi8>
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<16x16x8xi8>, tensor<8x8xi8>, tensor<8xi32>)
         outs(%e : tensor<16x16x8xi8>) requant <mult = [1], shift = [4], clamp = [-128, 127]> -> tensor<16x16x8xi8>
  %w2 = arith.constant dense<1> : tensor<40x8xi8>
  %b2 = arith.constant dense<0> : tensor<40xi32>
  %e2 = tensor.empty() : tensor<16x16x40xi8>
  %z = dwsep.pointwise ins(%y, %w2, %b2 : tensor<16x16x8xi8>, tensor<40x8xi8>, tensor<40xi32>)
         outs(%e2 : tensor<16x16x40xi8>) requant <mult = [1], shift = [4], clamp = [-128, 127]> -> tensor<16x16x40xi8>
  return %z : tensor<16x16x40xi8>
}
}
