// RUN: dwsep-opt %s --split-input-file --dwsep-requant-rows -verify-diagnostics

// Rows already on an op must be its requantization's rows: the kernel
// computes with them, not with the attribute. Here the multipliers fit
// halfwords, so the rows are i16 (test requant-rows.mlir, @halfwords).
func.func @type(%x: tensor<2x2x2xui8>) -> tensor<2x2x4xui8> {
  %w = arith.constant dense<1> : tensor<4x2xi8>
  %b = arith.constant dense<0> : tensor<4xi32>
  %r = arith.constant dense<[[3], [5], [7], [9]]> : tensor<4x1xi32>
  %e = tensor.empty() : tensor<2x2x4xui8>
  // expected-error @+1 {{'dwsep.pointwise' op requant_rows are 'tensor<4x1xi32>' but its requantization's rows are 'tensor<4x1xi16>'}}
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<2x2x2xui8>, tensor<4x2xi8>, tensor<4xi32>) requant_rows(%r : tensor<4x1xi32>)
         outs(%e : tensor<2x2x4xui8>) requant <mult = [3, 5, 7, 9], shift = [10], clamp = [0, 255], acc_bound = 1000> -> tensor<2x2x4xui8>
  return %y : tensor<2x2x4xui8>
}

// -----

func.func @value(%x: tensor<2x2x2xui8>) -> tensor<2x2x4xui8> {
  %w = arith.constant dense<1> : tensor<4x2xi8>
  %b = arith.constant dense<0> : tensor<4xi32>
  %r = arith.constant dense<[[3], [5], [8], [9]]> : tensor<4x1xi16>
  %e = tensor.empty() : tensor<2x2x4xui8>
  // expected-error @+1 {{'dwsep.pointwise' op requant_rows row 2 field 0 is 8 but its requantization's is 7}}
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<2x2x2xui8>, tensor<4x2xi8>, tensor<4xi32>) requant_rows(%r : tensor<4x1xi16>)
         outs(%e : tensor<2x2x4xui8>) requant <mult = [3, 5, 7, 9], shift = [10], clamp = [0, 255], acc_bound = 1000> -> tensor<2x2x4xui8>
  return %y : tensor<2x2x4xui8>
}

// -----

// A fused op's intermediate rows, for a per-tensor requantization.
func.func @fused(%x: tensor<4x4x3xi8>) -> tensor<4x4x2xi8> {
  %dw = arith.constant dense<1> : tensor<3x3x3xi8>
  %db = arith.constant dense<0> : tensor<3xi32>
  %pw = arith.constant dense<1> : tensor<2x3xi8>
  %pb = arith.constant dense<0> : tensor<2xi32>
  %m = arith.constant dense<1> : tensor<3x1xi16>
  %e = tensor.empty() : tensor<4x4x2xi8>
  // expected-error @+1 {{'dwsep.fused' op mid_requant_rows are given but its requantization has no per-channel field}}
  %y = dwsep.fused ins(%x : tensor<4x4x3xi8>) dw(%dw, %db : tensor<3x3x3xi8>, tensor<3xi32>)
         pw(%pw, %pb : tensor<2x3xi8>, tensor<2xi32>) mid_requant_rows(%m : tensor<3x1xi16>) outs(%e : tensor<4x4x2xi8>)
         variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1]
         dw_requant <mult = [1], shift = [3], clamp = [-128, 127], acc_bound = 2000>
         pw_requant <mult = [3, 5], shift = [10], clamp = [-128, 127], acc_bound = 1000> -> tensor<4x4x2xi8>
  return %y : tensor<4x4x2xi8>
}
