// RUN: dwsep-opt %s --split-input-file --dwsep-select-variant --verify-diagnostics
// RUN: dwsep-opt %s --split-input-file --dwsep-gap8-pipeline --verify-diagnostics

// Selection rewrites tensors: a compute op on memrefs (which has no result)
// is an error, not a crash.
func.func @relayout(%y: memref<2x2x4xui8>, %x: memref<4x2x2xui8>) {
  // expected-error @+1 {{'dwsep.relayout' op is not on tensors; run --dwsep-select-variant before bufferization}}
  dwsep.relayout ins(%y : memref<2x2x4xui8>) outs(%x : memref<4x2x2xui8>) from <hwc> to <chw>
  return
}

// -----

#rq = #dwsep.requant<mult = [1], shift = [4], clamp = [0, 255]>

// The same after a tensor op in the same function.
func.func @mixed(%x: tensor<4x4x8xui8>, %w: tensor<8x8xi8>, %b: tensor<8xi32>,
                 %m: memref<4x4x8xui8>, %n: memref<8x4x4xui8>) -> tensor<4x4x8xui8> {
  %e = tensor.empty() : tensor<4x4x8xui8>
  %a = dwsep.pointwise ins(%x, %w, %b : tensor<4x4x8xui8>, tensor<8x8xi8>, tensor<8xi32>)
         outs(%e : tensor<4x4x8xui8>) requant #rq -> tensor<4x4x8xui8>
  // expected-error @+1 {{'dwsep.relayout' op is not on tensors; run --dwsep-select-variant before bufferization}}
  dwsep.relayout ins(%m : memref<4x4x8xui8>) outs(%n : memref<8x4x4xui8>) from <hwc> to <chw>
  return %a : tensor<4x4x8xui8>
}
