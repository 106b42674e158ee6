// RUN: dwsep-opt %s --split-input-file --dwsep-fold-zero-points | FileCheck %s

#rq = #dwsep.requant<mult = [1], shift = [4], zp = 7, clamp = [0, 255]>

// Pointwise: bias[o] - zp * sum_i w[o][i]; input_zp 0. Weights sums 3, -1,
// 0 and 1; the last wraps: -2147483648 - 5 * 1.
// CHECK-LABEL: func.func @pointwise
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[\[}}1, 2], [3, -4], [0, 0], [1, 0]]> : tensor<4x2xi8>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[-5, 25, 30, 2147483643]> : tensor<4xi32>
// CHECK-NOT: arith.constant
// CHECK: dwsep.pointwise ins(%{{.*}}, %[[W]], %[[B]] : {{.*}}) outs({{.*}}) requant
func.func @pointwise(%x: tensor<2x2x2xui8>) -> tensor<2x2x4xui8> {
  %w = arith.constant dense<[[1, 2], [3, -4], [0, 0], [1, 0]]> : tensor<4x2xi8>
  %b = arith.constant dense<[10, 20, 30, -2147483648]> : tensor<4xi32>
  %e = tensor.empty() : tensor<2x2x4xui8>
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<2x2x2xui8>, tensor<4x2xi8>, tensor<4xi32>)
         outs(%e : tensor<2x2x4xui8>) input_zp 5 requant #rq -> tensor<2x2x4xui8>
  return %y : tensor<2x2x4xui8>
}

// -----

#rq = #dwsep.requant<mult = [1], shift = [4], clamp = [-128, 127]>

// Linear, with a negative zero point and a splat bias shared with another
// op: the other op keeps the original.
// CHECK-LABEL: func.func @linear
// CHECK-DAG: %[[B0:.*]] = arith.constant dense<1> : tensor<2xi32>
// CHECK-DAG: %[[B1:.*]] = arith.constant dense<[385, -127]> : tensor<2xi32>
// CHECK: dwsep.linear ins(%{{.*}}, %{{.*}}, %[[B1]] : {{.*}}) outs({{.*}}) requant
// CHECK: dwsep.linear ins(%{{.*}}, %{{.*}}, %[[B0]] : {{.*}}) outs({{.*}}) input_zp -128 requant
func.func @linear(%x: tensor<1x1x3xi8>, %w2: tensor<2x3xi8>) -> (tensor<2xi8>, tensor<2xi8>) {
  %w = arith.constant dense<[[1, 1, 1], [0, -1, 0]]> : tensor<2x3xi8>
  %b = arith.constant dense<1> : tensor<2xi32>
  %e = tensor.empty() : tensor<2xi8>
  %y = dwsep.linear ins(%x, %w, %b : tensor<1x1x3xi8>, tensor<2x3xi8>, tensor<2xi32>)
         outs(%e : tensor<2xi8>) input_zp -128 requant #rq -> tensor<2xi8>
  // Weights that are no constant: nothing to fold.
  %z = dwsep.linear ins(%x, %w2, %b : tensor<1x1x3xi8>, tensor<2x3xi8>, tensor<2xi32>)
         outs(%e : tensor<2xi8>) input_zp -128 requant #rq -> tensor<2xi8>
  return %y, %z : tensor<2xi8>, tensor<2xi8>
}

// -----

#rq = #dwsep.requant<mult = [1], shift = [4], zp = 7, clamp = [0, 255]>

// Depthwise: weights [kh, kw, C], each channel's taps summed (channel 0:
// 1 + 3 + 5 = 9, channel 1: -2 + 0 + 7 = 5): bias [10 - 2 * 9, 20 - 2 * 5].
// Its zero point still pads: input_zp stays, zp_folded records the fold.
// Without a bias the fold adds one (3 * 3 * 1 taps: -3 * 9); a folded op is
// not folded again.
// CHECK-LABEL: func.func @depthwise
// CHECK: %[[B:.*]] = arith.constant dense<[-8, 10]> : tensor<2xi32>
// CHECK: dwsep.depthwise ins(%{{.*}}, %{{.*}}, %[[B]] : {{.*}}) outs({{.*}}) pad [0, 1, 0, 1] input_zp 2 zp_folded requant
// CHECK: %[[B1:.*]] = arith.constant dense<-27> : tensor<2xi32>
// CHECK: dwsep.depthwise ins(%{{.*}}, %{{.*}}, %[[B1]] : {{.*}}) outs({{.*}}) pad [1, 1, 1, 1] input_zp 3 zp_folded requant
// CHECK: %[[BF:.*]] = arith.constant dense<[-8, 10]> : tensor<2xi32>
// CHECK: dwsep.depthwise ins(%{{.*}}, %{{.*}}, %[[BF]] : {{.*}}) outs({{.*}}) pad [0, 1, 0, 1] input_zp 2 zp_folded requant
func.func @depthwise(%x: tensor<4x4x2xui8>) -> (tensor<4x4x2xui8>, tensor<4x4x2xui8>, tensor<4x4x2xui8>) {
  %w = arith.constant dense<[[[1, -2], [3, 0], [5, 7]]]> : tensor<1x3x2xi8>
  %b = arith.constant dense<[10, 20]> : tensor<2xi32>
  %e = tensor.empty() : tensor<4x4x2xui8>
  %y = dwsep.depthwise ins(%x, %w, %b : tensor<4x4x2xui8>, tensor<1x3x2xi8>, tensor<2xi32>)
         outs(%e : tensor<4x4x2xui8>) pad [0, 1, 0, 1] input_zp 2 requant #rq -> tensor<4x4x2xui8>
  %w1 = arith.constant dense<1> : tensor<3x3x2xi8>
  %z = dwsep.depthwise ins(%x, %w1 : tensor<4x4x2xui8>, tensor<3x3x2xi8>)
         outs(%e : tensor<4x4x2xui8>) pad [1, 1, 1, 1] input_zp 3 requant #rq -> tensor<4x4x2xui8>
  %bf = arith.constant dense<[-8, 10]> : tensor<2xi32>
  %f = dwsep.depthwise ins(%x, %w, %bf : tensor<4x4x2xui8>, tensor<1x3x2xi8>, tensor<2xi32>)
         outs(%e : tensor<4x4x2xui8>) pad [0, 1, 0, 1] input_zp 2 zp_folded requant #rq -> tensor<4x4x2xui8>
  return %y, %z, %f : tensor<4x4x2xui8>, tensor<4x4x2xui8>, tensor<4x4x2xui8>
}

// -----

#rq = #dwsep.requant<mult = [1], shift = [4], zp = 7, clamp = [0, 255]>

// PW->DW: input_zp is the pointwise half's alone, folded into its bias (sums
// 2 and -2: 4 - 3 * 2, 4 + 3 * 2). DW->PW: the pointwise half's zero point
// is the intermediate's, dw_requant's zp 7 (4 - 7 * 2, 4 + 7 * 2), marked
// pw_zp_folded; input_zp pads the depthwise half and stays.
// CHECK-LABEL: func.func @fused
// CHECK-DAG: %[[B:.*]] = arith.constant dense<4> : tensor<2xi32>
// CHECK-DAG: %[[PWB:.*]] = arith.constant dense<[-2, 10]> : tensor<2xi32>
// CHECK: dwsep.fused ins({{.*}}) dw(%{{.*}}, %[[B]] : {{.*}}) pw(%{{.*}}, %[[PWB]] : {{.*}}) outs({{.*}}) variant <pw_dw, {{.*}}> mid_type ui8 pad [1, 1, 1, 1] dw_requant
// CHECK: %[[PWB2:.*]] = arith.constant dense<[-10, 18]> : tensor<2xi32>
// CHECK: dwsep.fused ins({{.*}}) dw(%{{.*}}, %[[B]] : {{.*}}) pw(%{{.*}}, %[[PWB2]] : {{.*}}) outs({{.*}}) variant <dw_pw, {{.*}}> mid_type ui8 pad [1, 1, 1, 1] input_zp 3 pw_zp_folded dw_requant
func.func @fused(%x: tensor<4x4x2xui8>) -> (tensor<4x4x2xui8>, tensor<4x4x2xui8>) {
  %dw = arith.constant dense<1> : tensor<3x3x2xi8>
  %pw = arith.constant dense<[[1, 1], [-1, -1]]> : tensor<2x2xi8>
  %b = arith.constant dense<4> : tensor<2xi32>
  %e = tensor.empty() : tensor<4x4x2xui8>
  %y = dwsep.fused ins(%x : tensor<4x4x2xui8>) dw(%dw, %b : tensor<3x3x2xi8>, tensor<2xi32>)
         pw(%pw, %b : tensor<2x2xi8>, tensor<2xi32>) outs(%e : tensor<4x4x2xui8>)
         variant <pw_dw, input = hwc, mid = hwc, output = hwc, split = rows>
         mid_type ui8 pad [1, 1, 1, 1] input_zp 3 dw_requant #rq pw_requant #rq -> tensor<4x4x2xui8>
  %z = dwsep.fused ins(%x : tensor<4x4x2xui8>) dw(%dw, %b : tensor<3x3x2xi8>, tensor<2xi32>)
         pw(%pw, %b : tensor<2x2xi8>, tensor<2xi32>) outs(%e : tensor<4x4x2xui8>)
         variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows>
         mid_type ui8 pad [1, 1, 1, 1] input_zp 3 dw_requant #rq pw_requant #rq -> tensor<4x4x2xui8>
  return %y, %z : tensor<4x4x2xui8>, tensor<4x4x2xui8>
}
