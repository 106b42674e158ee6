// RUN: dwsep-opt %s --split-input-file --dwsep-lower-kernels --verify-diagnostics

func.func @f(%x: memref<2x2x4xui8>, %y: memref<4x2x2xui8>) {
  // expected-error @+2 {{'dwsep.relayout' op operand 'memref<2x2x4xui8>' must be a view of the L1 arena (run --dwsep-tile first)}}
  // expected-error @+1 {{'dwsep.relayout' op operand 'memref<4x2x2xui8>' must be a view of the L1 arena (run --dwsep-tile first)}}
  dwsep.relayout ins(%x : memref<2x2x4xui8>) outs(%y : memref<4x2x2xui8>) from <hwc> to <chw>
  return
}

// -----

func.func @f(%x: tensor<2x2x4xi8>, %y: tensor<4x2x2xi8>) {
  // expected-error @+1 {{'dwsep.relayout' op must be on memrefs (bufferize and tile first)}}
  %r = dwsep.relayout ins(%x : tensor<2x2x4xi8>) outs(%y : tensor<4x2x2xi8>) from <hwc> to <chw> -> tensor<4x2x2xi8>
  return
}

// -----

func.func @f(%x: memref<4x4x4xi8>, %dww: memref<3x3x4xi8>, %dwb: memref<4xi32>, %pww: memref<4x4xi8>,
             %pwb: memref<4xi32>, %y: memref<4x4x4xi8>) {
  // expected-error @+1 {{'dwsep.fused' op needs its L1 tile plan (dwsep.scratch_offset and an input in the L1 arena): run --dwsep-tile first}}
  dwsep.fused ins(%x : memref<4x4x4xi8>) dw(%dww, %dwb : memref<3x3x4xi8>, memref<4xi32>)
    pw(%pww, %pwb : memref<4x4xi8>, memref<4xi32>) outs(%y : memref<4x4x4xi8>)
    variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1]
    dw_requant <mult = [1], shift = [0], clamp = [-128, 127]> pw_requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}
