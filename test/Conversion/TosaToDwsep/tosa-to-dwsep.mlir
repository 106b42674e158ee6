// RUN: dwsep-opt %s --split-input-file --dwsep-from-tosa=allow-partial=false | FileCheck %s

// Pointwise: 1x1 stride-1 unpadded conv2d; OHWI 4x1x1x2 weights become 4x2;
// per-tensor SINGLE_ROUND rescale, no clamp.
// CHECK-LABEL: func.func @pointwise(
// CHECK-SAME:    %[[X:.*]]: tensor<1x3x3x2xi8>) -> tensor<1x3x3x4xi8>
// CHECK-DAG:     %[[W:.*]] = arith.constant dense<{{\[}}[1, 2], [3, 4], [5, 6], [7, 8]]> : tensor<4x2xi8>
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<[1, 2, 3, 4]> : tensor<4xi32>
// CHECK-DAG:     %[[IN:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2], [3]] : tensor<1x3x3x2xi8> into tensor<3x3x2xi8>
// CHECK-DAG:     %[[E:.*]] = tensor.empty() : tensor<3x3x4xi8>
// CHECK:         %[[Y:.*]] = dwsep.pointwise ins(%[[IN]], %[[W]], %[[B]] : tensor<3x3x2xi8>, tensor<4x2xi8>, tensor<4xi32>) outs(%[[E]] : tensor<3x3x4xi8>)
// CHECK-SAME:      input_zp 5 requant <mult = [1073741824], shift = [36], zp = -2, clamp = [-128, 127]> -> tensor<3x3x4xi8>
// CHECK:         %[[OUT:.*]] = tensor.expand_shape %[[Y]] {{\[}}[0, 1], [2], [3]] output_shape [1, 3, 3, 4]
// CHECK:         return %[[OUT]]
// CHECK-NOT:     tosa.
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

// Dense conv: TOSA pad [top, bottom, left, right] = [1, 0, 1, 0] becomes
// dwsep [top, left, bottom, right] = [1, 1, 0, 0]; a single bias value is
// broadcast; a ReLU6-like clamp intersects the requant clamp.
// CHECK-LABEL: func.func @conv(
// CHECK:         %[[B:.*]] = arith.constant dense<7> : tensor<2xi32>
// CHECK:         dwsep.conv2d ins({{.*}} : tensor<6x6x3xi8>, tensor<2x3x3x3xi8>, tensor<2xi32>) outs({{.*}} : tensor<3x3x2xi8>)
// CHECK-SAME:      stride [2, 2] pad [1, 1, 0, 0] input_zp -1
// CHECK-SAME:      requant <mult = [1500000000, 1600000000], shift = [38, 40], zp = -128, clamp = [-128, 40], rounding = double_round>
// CHECK-NOT:     tosa.
func.func @conv(%x: tensor<1x6x6x3xi8>) -> tensor<1x3x3x2xi8> {
  %w = "tosa.const"() {values = dense<1> : tensor<2x3x3x3xi8>} : () -> tensor<2x3x3x3xi8>
  %b = "tosa.const"() {values = dense<7> : tensor<1xi32>} : () -> tensor<1xi32>
  %izp = "tosa.const"() {values = dense<-1> : tensor<1xi8>} : () -> tensor<1xi8>
  %wzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %0 = tosa.conv2d %x, %w, %b, %izp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>} : (tensor<1x6x6x3xi8>, tensor<2x3x3x3xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x3x3x2xi32>
  %m = "tosa.const"() {values = dense<[1500000000, 1600000000]> : tensor<2xi32>} : () -> tensor<2xi32>
  %s = "tosa.const"() {values = dense<[38, 40]> : tensor<2xi8>} : () -> tensor<2xi8>
  %rzp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<-128> : tensor<1xi8>} : () -> tensor<1xi8>
  %1 = tosa.rescale %0, %m, %s, %rzp, %ozp {scale32 = true, rounding_mode = DOUBLE_ROUND, per_channel = true, input_unsigned = false, output_unsigned = false} : (tensor<1x3x3x2xi32>, tensor<2xi32>, tensor<2xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x3x3x2xi8>
  %2 = tosa.clamp %1 {min_val = -128 : i8, max_val = 40 : i8} : (tensor<1x3x3x2xi8>) -> tensor<1x3x3x2xi8>
  return %2 : tensor<1x3x3x2xi8>
}

// -----

// Depthwise with non-constant weights and bias: the KhxKwxCx1 weights are
// collapsed, not folded.
// CHECK-LABEL: func.func @depthwise_dynamic_weights(
// CHECK-SAME:    %[[X:.*]]: tensor<1x4x4x2xi8>, %[[W:.*]]: tensor<3x3x2x1xi8>, %[[B:.*]]: tensor<2xi32>
// CHECK:         %[[W3:.*]] = tensor.collapse_shape %[[W]] {{\[}}[0], [1], [2, 3]] : tensor<3x3x2x1xi8> into tensor<3x3x2xi8>
// CHECK:         dwsep.depthwise ins(%{{.*}}, %[[W3]], %[[B]] : tensor<4x4x2xi8>, tensor<3x3x2xi8>, tensor<2xi32>) outs(%{{.*}} : tensor<2x2x2xi8>)
// CHECK-NOT:     pad
// CHECK-SAME:      requant <mult = [3, 5], shift = [4, 6], clamp = [0, 127]>
func.func @depthwise_dynamic_weights(%x: tensor<1x4x4x2xi8>, %w: tensor<3x3x2x1xi8>, %b: tensor<2xi32>) -> tensor<1x2x2x2xi8> {
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %0 = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xi8>, tensor<3x3x2x1xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x2x2xi32>
  %m = "tosa.const"() {values = dense<[3, 5]> : tensor<2xi32>} : () -> tensor<2xi32>
  %s = "tosa.const"() {values = dense<[4, 6]> : tensor<2xi8>} : () -> tensor<2xi8>
  %rzp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %1 = tosa.rescale %0, %m, %s, %rzp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = true, input_unsigned = false, output_unsigned = false} : (tensor<1x2x2x2xi32>, tensor<2xi32>, tensor<2xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x2x2x2xi8>
  %2 = tosa.clamp %1 {min_val = 0 : i8, max_val = 127 : i8} : (tensor<1x2x2x2xi8>) -> tensor<1x2x2x2xi8>
  return %2 : tensor<1x2x2x2xi8>
}

// -----

// Residual add: the two i8 -> i32 input rescales become lhs/rhs zero points
// and requants with an i32 clamp; the output rescale is the requant.
// CHECK-LABEL: func.func @residual_add(
// CHECK:         dwsep.add ins(%{{.*}}, %{{.*}} : tensor<2x2x4xi8>, tensor<2x2x4xi8>) outs(%{{.*}} : tensor<2x2x4xi8>) lhs_zp 3 rhs_zp -2
// CHECK-SAME:      lhs_requant <mult = [1073741824], shift = [10], clamp = [-2147483648, 2147483647]>
// CHECK-SAME:      rhs_requant <mult = [1073741824], shift = [11], clamp = [-2147483648, 2147483647]>
// CHECK-SAME:      requant <mult = [1073741824], shift = [50], zp = 1, clamp = [-128, 127]>
// CHECK-NOT:     tosa.
func.func @residual_add(%a: tensor<1x2x2x4xi8>, %b: tensor<1x2x2x4xi8>) -> tensor<1x2x2x4xi8> {
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s10 = "tosa.const"() {values = dense<10> : tensor<1xi8>} : () -> tensor<1xi8>
  %s11 = "tosa.const"() {values = dense<11> : tensor<1xi8>} : () -> tensor<1xi8>
  %s50 = "tosa.const"() {values = dense<50> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp3 = "tosa.const"() {values = dense<3> : tensor<1xi8>} : () -> tensor<1xi8>
  %zpm2 = "tosa.const"() {values = dense<-2> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp1 = "tosa.const"() {values = dense<1> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp0 = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %0 = tosa.rescale %a, %m, %s10, %zp3, %zp0 {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false} : (tensor<1x2x2x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x2x2x4xi32>
  %1 = tosa.rescale %b, %m, %s11, %zpm2, %zp0 {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false} : (tensor<1x2x2x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x2x2x4xi32>
  %2 = tosa.add %0, %1 : (tensor<1x2x2x4xi32>, tensor<1x2x2x4xi32>) -> tensor<1x2x2x4xi32>
  %3 = tosa.rescale %2, %m, %s50, %zp0, %zp1 {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false} : (tensor<1x2x2x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x2x2x4xi8>
  return %3 : tensor<1x2x2x4xi8>
}

// -----

// avg_pool2d: TOSA's reciprocal scale for a 2x3 window (n = 6, k = 3):
// mult = ((2^30 + 1) << 3) / 6 = 1431655766, shift = 33, half_up.
// CHECK-LABEL: func.func @avgpool(
// CHECK:         dwsep.avgpool ins(%{{.*}} : tensor<4x6x8xi8>) outs(%{{.*}} : tensor<2x2x8xi8>) kernel [2, 3] stride [2, 3] input_zp -4
// CHECK-SAME:      requant <mult = [1431655766], shift = [33], zp = 9, clamp = [9, 127]>
// CHECK-NOT:     tosa.
func.func @avgpool(%x: tensor<1x4x6x8xi8>) -> tensor<1x2x2x8xi8> {
  %izp = "tosa.const"() {values = dense<-4> : tensor<1xi8>} : () -> tensor<1xi8>
  %ozp = "tosa.const"() {values = dense<9> : tensor<1xi8>} : () -> tensor<1xi8>
  %0 = tosa.avg_pool2d %x, %izp, %ozp {acc_type = i32, kernel = array<i64: 2, 3>, stride = array<i64: 2, 3>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x6x8xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x2x8xi8>
  %1 = tosa.clamp %0 {min_val = 9 : i8, max_val = 127 : i8} : (tensor<1x2x2x8xi8>) -> tensor<1x2x2x8xi8>
  return %1 : tensor<1x2x2x8xi8>
}

// -----

// Fully connected: reshape -> matmul -> add bias -> rescale. B (1 x Cin x
// Cout) is transposed to Cout x Cin; the trailing reshape becomes a tensor
// reshape.
// CHECK-LABEL: func.func @fully_connected(
// CHECK-SAME:    %[[X:.*]]: tensor<1x1x1x3xi8>) -> tensor<1x2xi8>
// CHECK-DAG:     %[[IN:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1, 2, 3]] : tensor<1x1x1x3xi8> into tensor<3xi8>
// CHECK-DAG:     %[[W:.*]] = arith.constant dense<{{\[}}[1, 3, 5], [2, 4, 6]]> : tensor<2x3xi8>
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<[100, -100]> : tensor<2xi32>
// CHECK:         %[[Y:.*]] = dwsep.linear ins(%[[IN]], %[[W]], %[[B]] : tensor<3xi8>, tensor<2x3xi8>, tensor<2xi32>) outs(%{{.*}} : tensor<2xi8>) input_zp 1
// CHECK-SAME:      requant <mult = [1073741824], shift = [31], clamp = [-128, 127]>
// CHECK:         tensor.expand_shape %[[Y]] {{\[}}[0, 1]] output_shape [1, 2] : tensor<2xi8> into tensor<1x2xi8>
// CHECK-NOT:     tosa.
func.func @fully_connected(%x: tensor<1x1x1x3xi8>) -> tensor<1x2xi8> {
  %s0 = tosa.const_shape {values = dense<[1, 1, 3]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %0 = tosa.reshape %x, %s0 : (tensor<1x1x1x3xi8>, !tosa.shape<3>) -> tensor<1x1x3xi8>
  %w = "tosa.const"() {values = dense<[[[1, 2], [3, 4], [5, 6]]]> : tensor<1x3x2xi8>} : () -> tensor<1x3x2xi8>
  %azp = "tosa.const"() {values = dense<1> : tensor<1xi8>} : () -> tensor<1xi8>
  %bzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %1 = tosa.matmul %0, %w, %azp, %bzp : (tensor<1x1x3xi8>, tensor<1x3x2xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x2xi32>
  %b = "tosa.const"() {values = dense<[[[100, -100]]]> : tensor<1x1x2xi32>} : () -> tensor<1x1x2xi32>
  %2 = tosa.add %1, %b : (tensor<1x1x2xi32>, tensor<1x1x2xi32>) -> tensor<1x1x2xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %rzp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %3 = tosa.rescale %2, %m, %s, %rzp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false} : (tensor<1x1x2xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x1x2xi8>
  %s1 = tosa.const_shape {values = dense<[1, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %4 = tosa.reshape %3, %s1 : (tensor<1x1x2xi8>, !tosa.shape<2>) -> tensor<1x2xi8>
  return %4 : tensor<1x2xi8>
}

// -----

// Weight glue: a transpose of a constant (HWCF -> OHWI) is folded.
// CHECK-LABEL: func.func @transposed_weights(
// CHECK:         %[[W:.*]] = arith.constant dense<{{\[}}[1, 3], [2, 4]]> : tensor<2x2xi8>
// CHECK:         dwsep.pointwise ins(%{{.*}}, %[[W]], %{{.*}} : tensor<2x2x2xi8>, tensor<2x2xi8>, tensor<2xi32>)
// CHECK-NOT:     tosa.
func.func @transposed_weights(%x: tensor<1x2x2x2xi8>) -> tensor<1x2x2x2xi8> {
  %hwcf = "tosa.const"() {values = dense<[[[[1, 2], [3, 4]]]]> : tensor<1x1x2x2xi8>} : () -> tensor<1x1x2x2xi8>
  %w = tosa.transpose %hwcf {perms = array<i32: 3, 0, 1, 2>} : (tensor<1x1x2x2xi8>) -> tensor<2x1x1x2xi8>
  %b = "tosa.const"() {values = dense<0> : tensor<2xi32>} : () -> tensor<2xi32>
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %0 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x2xi8>, tensor<2x1x1x2xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x2x2xi32>
  %m = "tosa.const"() {values = dense<1> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<2> : tensor<1xi8>} : () -> tensor<1xi8>
  %rzp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %1 = tosa.rescale %0, %m, %s, %rzp, %zp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false} : (tensor<1x2x2x2xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x2x2x2xi8>
  return %1 : tensor<1x2x2x2xi8>
}
