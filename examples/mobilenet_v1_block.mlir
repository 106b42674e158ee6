// The head of a MobileNetV1 (alpha 0.25-style channel counts, 32x32 input) at
// the tensor level: the stem convolution, two depthwise-separable blocks
// (the second with stride 2), global average pooling and the classifier.
// uint8 activations, int8 weights, PULP-NN-style folded requantization
// (`clip((k * acc + l) >> d, 0, 255)`, ReLU in the clamp).
//
//   dwsep-opt examples/mobilenet_v1_block.mlir
module attributes {dwsep.target = #dwsep.target<"gap8">} {
  func.func @mobilenet_v1_head(
      %x: tensor<32x32x3xui8>,
      %w0: tensor<8x3x3x3xi8>, %b0: tensor<8xi32>,
      %w1: tensor<3x3x8xi8>, %b1: tensor<8xi32>,
      %w2: tensor<16x8xi8>, %b2: tensor<16xi32>,
      %w3: tensor<3x3x16xi8>, %b3: tensor<16xi32>,
      %w4: tensor<32x16xi8>, %b4: tensor<32xi32>,
      %w5: tensor<10x32xi8>, %b5: tensor<10xi32>) -> tensor<10xi8> {
    %e0 = tensor.empty() : tensor<16x16x8xui8>
    %a0 = dwsep.conv2d ins(%x, %w0, %b0 : tensor<32x32x3xui8>, tensor<8x3x3x3xi8>, tensor<8xi32>)
            outs(%e0 : tensor<16x16x8xui8>) stride [2, 2] pad [1, 1, 0, 0] input_zp 128
            requant <mult = [11], shift = [9], add = [256], clamp = [0, 255], rounding = floor>
            -> tensor<16x16x8xui8>
    %e1 = tensor.empty() : tensor<16x16x8xui8>
    %a1 = dwsep.depthwise ins(%a0, %w1, %b1 : tensor<16x16x8xui8>, tensor<3x3x8xi8>, tensor<8xi32>)
            outs(%e1 : tensor<16x16x8xui8>) pad [1, 1, 1, 1]
            requant <mult = [9, 10, 11, 12, 13, 14, 15, 16], shift = [10], clamp = [0, 255], rounding = floor>
            -> tensor<16x16x8xui8>
    %e2 = tensor.empty() : tensor<16x16x16xui8>
    %a2 = dwsep.pointwise ins(%a1, %w2, %b2 : tensor<16x16x8xui8>, tensor<16x8xi8>, tensor<16xi32>)
            outs(%e2 : tensor<16x16x16xui8>)
            requant <mult = [7], shift = [11], clamp = [0, 255], rounding = floor>
            -> tensor<16x16x16xui8>
    %e3 = tensor.empty() : tensor<8x8x16xui8>
    %a3 = dwsep.depthwise ins(%a2, %w3, %b3 : tensor<16x16x16xui8>, tensor<3x3x16xi8>, tensor<16xi32>)
            outs(%e3 : tensor<8x8x16xui8>) stride [2, 2] pad [1, 1, 0, 0]
            requant <mult = [5], shift = [9], clamp = [0, 255], rounding = floor>
            -> tensor<8x8x16xui8>
    %e4 = tensor.empty() : tensor<8x8x32xui8>
    %a4 = dwsep.pointwise ins(%a3, %w4, %b4 : tensor<8x8x16xui8>, tensor<32x16xi8>, tensor<32xi32>)
            outs(%e4 : tensor<8x8x32xui8>)
            requant <mult = [3], shift = [10], clamp = [0, 255], rounding = floor>
            -> tensor<8x8x32xui8>
    %e5 = tensor.empty() : tensor<1x1x32xui8>
    %a5 = dwsep.avgpool ins(%a4 : tensor<8x8x32xui8>) outs(%e5 : tensor<1x1x32xui8>)
            kernel [8, 8] stride [8, 8] requant <mult = [1], shift = [6], clamp = [0, 255]>
            -> tensor<1x1x32xui8>
    %e6 = tensor.empty() : tensor<10xi8>
    %y = dwsep.linear ins(%a5, %w5, %b5 : tensor<1x1x32xui8>, tensor<10x32xi8>, tensor<10xi32>)
           outs(%e6 : tensor<10xi8>) input_zp 0
           requant <mult = [1], shift = [7], zp = -3, clamp = [-128, 127]> -> tensor<10xi8>
    return %y : tensor<10xi8>
  }
}
