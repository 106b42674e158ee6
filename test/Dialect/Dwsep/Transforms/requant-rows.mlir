// RUN: dwsep-opt %s --split-input-file --dwsep-requant-rows --dwsep-requant-rows | FileCheck %s

// The per-channel fields of a requantization become a [channels, fields]
// constant operand (include/dwsep/Kernels/Requant.h). With acc_bound the
// plan is the 32-bit one (`acc * mult + R`, R = 2^9 the same for all
// channels): the multipliers are the only per-channel field and fit
// halfwords. Running the pass twice adds nothing.
// CHECK-LABEL: func.func @halfwords
// CHECK: %[[R:.*]] = arith.constant dense<{{\[\[}}3], [5], [7], [9]]> : tensor<4x1xi16>
// CHECK-NOT: arith.constant
// CHECK: dwsep.pointwise ins({{.*}}) requant_rows(%[[R]] : tensor<4x1xi16>) outs
func.func @halfwords(%x: tensor<2x2x2xui8>) -> tensor<2x2x4xui8> {
  %w = arith.constant dense<1> : tensor<4x2xi8>
  %b = arith.constant dense<0> : tensor<4xi32>
  %e = tensor.empty() : tensor<2x2x4xui8>
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<2x2x2xui8>, tensor<4x2xi8>, tensor<4xi32>)
         outs(%e : tensor<2x2x4xui8>) requant <mult = [3, 5, 7, 9], shift = [10], clamp = [0, 255], acc_bound = 1000> -> tensor<2x2x4xui8>
  return %y : tensor<2x2x4xui8>
}

// -----

// Without acc_bound the plan takes the high word of a 64-bit product: the
// multipliers scaled by 2^23 (shift 10 + 23 = 33) need words.
// CHECK-LABEL: func.func @words
// CHECK: arith.constant dense<{{\[\[}}25165824], [41943040], [58720256], [75497472]]> : tensor<4x1xi32>
func.func @words(%x: tensor<2x2x2xui8>) -> tensor<2x2x4xui8> {
  %w = arith.constant dense<1> : tensor<4x2xi8>
  %b = arith.constant dense<0> : tensor<4xi32>
  %e = tensor.empty() : tensor<2x2x4xui8>
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<2x2x2xui8>, tensor<4x2xi8>, tensor<4xi32>)
         outs(%e : tensor<2x2x4xui8>) requant <mult = [3, 5, 7, 9], shift = [10], clamp = [0, 255]> -> tensor<2x2x4xui8>
  return %y : tensor<2x2x4xui8>
}

// -----

// Depthwise, per-channel multipliers and shifts: rows of mult, shift and
// the rounding term R = 2^(shift - 1).
// CHECK-LABEL: func.func @depthwise
// CHECK: %[[R:.*]] = arith.constant dense<{{\[\[}}1, 3, 4], [2, 4, 8]]> : tensor<2x3xi16>
// CHECK: dwsep.depthwise ins({{.*}}) requant_rows(%[[R]] : tensor<2x3xi16>) outs
func.func @depthwise(%x: tensor<4x4x2xi8>) -> tensor<4x4x2xi8> {
  %w = arith.constant dense<1> : tensor<3x3x2xi8>
  %b = arith.constant dense<0> : tensor<2xi32>
  %e = tensor.empty() : tensor<4x4x2xi8>
  %y = dwsep.depthwise ins(%x, %w, %b : tensor<4x4x2xi8>, tensor<3x3x2xi8>, tensor<2xi32>)
         outs(%e : tensor<4x4x2xi8>) pad [1, 1, 1, 1] requant <mult = [1, 2], shift = [3, 4], clamp = [-128, 127], acc_bound = 2000> -> tensor<4x4x2xi8>
  return %y : tensor<4x4x2xi8>
}

// -----

// A fused op has two requantizations, each with its rows: the
// intermediate's (dw_requant of a DW->PW op, one row per intermediate
// channel) in mid_requant_rows, the output's in requant_rows. A
// per-tensor one gets none.
// CHECK-LABEL: func.func @fused
// CHECK-DAG: %[[M:.*]] = arith.constant dense<{{\[\[}}1, 3, 4], [2, 4, 8], [1, 3, 4]]> : tensor<3x3xi16>
// CHECK-DAG: %[[O:.*]] = arith.constant dense<{{\[\[}}3], [5]]> : tensor<2x1xi16>
// CHECK: dwsep.fused {{.*}} mid_requant_rows(%[[M]] : tensor<3x3xi16>) requant_rows(%[[O]] : tensor<2x1xi16>) outs
// CHECK-LABEL: func.func @fused_per_tensor
// CHECK-NOT: requant_rows
func.func @fused(%x: tensor<4x4x3xi8>) -> tensor<4x4x2xi8> {
  %dw = arith.constant dense<1> : tensor<3x3x3xi8>
  %db = arith.constant dense<0> : tensor<3xi32>
  %pw = arith.constant dense<1> : tensor<2x3xi8>
  %pb = arith.constant dense<0> : tensor<2xi32>
  %e = tensor.empty() : tensor<4x4x2xi8>
  %y = dwsep.fused ins(%x : tensor<4x4x3xi8>) dw(%dw, %db : tensor<3x3x3xi8>, tensor<3xi32>)
         pw(%pw, %pb : tensor<2x3xi8>, tensor<2xi32>) outs(%e : tensor<4x4x2xi8>)
         variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1]
         dw_requant <mult = [1, 2, 1], shift = [3, 4, 3], clamp = [-128, 127], acc_bound = 2000>
         pw_requant <mult = [3, 5], shift = [10], clamp = [-128, 127], acc_bound = 1000> -> tensor<4x4x2xi8>
  return %y : tensor<4x4x2xi8>
}
func.func @fused_per_tensor(%x: tensor<4x4x3xi8>) -> tensor<4x4x2xi8> {
  %dw = arith.constant dense<1> : tensor<3x3x3xi8>
  %db = arith.constant dense<0> : tensor<3xi32>
  %pw = arith.constant dense<1> : tensor<2x3xi8>
  %pb = arith.constant dense<0> : tensor<2xi32>
  %e = tensor.empty() : tensor<4x4x2xi8>
  %y = dwsep.fused ins(%x : tensor<4x4x3xi8>) dw(%dw, %db : tensor<3x3x3xi8>, tensor<3xi32>)
         pw(%pw, %pb : tensor<2x3xi8>, tensor<2xi32>) outs(%e : tensor<4x4x2xi8>)
         variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1]
         dw_requant <mult = [1], shift = [3], clamp = [-128, 127], acc_bound = 2000>
         pw_requant <mult = [3], shift = [10], clamp = [-128, 127], acc_bound = 1000> -> tensor<4x4x2xi8>
  return %y : tensor<4x4x2xi8>
}

// -----

// Left alone: a per-tensor requantization (no per-channel field), a slice
// of a layer's channels (its rows would be a slice of the layer's), and
// ops on memrefs (the rows would have to be placed already).
// CHECK-LABEL: func.func @untouched
// CHECK-NOT: requant_rows
func.func @untouched(%x: tensor<2x2x2xui8>, %m: memref<2x2x2xui8>, %mw: memref<4x2xi8>, %mb: memref<4xi32>, %mo: memref<2x2x4xui8>) -> (tensor<2x2x4xui8>, tensor<2x2x2xui8>) {
  %w = arith.constant dense<1> : tensor<4x2xi8>
  %b = arith.constant dense<0> : tensor<4xi32>
  %e = tensor.empty() : tensor<2x2x4xui8>
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<2x2x2xui8>, tensor<4x2xi8>, tensor<4xi32>)
         outs(%e : tensor<2x2x4xui8>) requant <mult = [3], shift = [10], clamp = [0, 255]> -> tensor<2x2x4xui8>
  %c2 = arith.constant 2 : index
  %w2 = arith.constant dense<1> : tensor<2x2xi8>
  %b2 = arith.constant dense<0> : tensor<2xi32>
  %e2 = tensor.empty() : tensor<2x2x2xui8>
  %z = dwsep.pointwise ins(%x, %w2, %b2 : tensor<2x2x2xui8>, tensor<2x2xi8>, tensor<2xi32>)
         outs(%e2 : tensor<2x2x2xui8>) channel_offset %c2 requant <mult = [3, 5, 7, 9], shift = [10], clamp = [0, 255]> -> tensor<2x2x2xui8>
  dwsep.pointwise ins(%m, %mw, %mb : memref<2x2x2xui8>, memref<4x2xi8>, memref<4xi32>)
    outs(%mo : memref<2x2x4xui8>) requant <mult = [3, 5, 7, 9], shift = [10], clamp = [0, 255]>
  return %y, %z : tensor<2x2x4xui8>, tensor<2x2x2xui8>
}
