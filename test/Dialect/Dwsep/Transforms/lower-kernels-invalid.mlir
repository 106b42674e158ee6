// RUN: dwsep-opt %s --split-input-file --dwsep-lower-kernels --verify-diagnostics
// RUN: not dwsep-opt %s --split-input-file --dwsep-lower-kernels=share=sometimes 2>&1 | FileCheck %s --check-prefix=SHARE
// SHARE: error: dwsep-lower-kernels: share 'sometimes' is not none, rows, size or all

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

#l1 = #dwsep.level<l1>
func.func @f(%l1: memref<1024xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %c176 = arith.constant 176 : index
  %c192 = arith.constant 192 : index
  %c208 = arith.constant 208 : index
  %x = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<4x4x4xi8, #l1>
  %y = memref.view %l1[%c64][] : memref<1024xi8, #l1> to memref<4x4x4xi8, #l1>
  %dww = memref.view %l1[%c128][] : memref<1024xi8, #l1> to memref<3x3x4xi8, #l1>
  %dwb = memref.view %l1[%c176][] : memref<1024xi8, #l1> to memref<4xi32, #l1>
  %pww = memref.view %l1[%c192][] : memref<1024xi8, #l1> to memref<4x4xi8, #l1>
  %pwb = memref.view %l1[%c208][] : memref<1024xi8, #l1> to memref<4xi32, #l1>
  // expected-error @+1 {{'dwsep.fused' op needs its L1 tile plan (scratch_offset and an input in the L1 arena): run --dwsep-tile first}}
  dwsep.fused ins(%x : memref<4x4x4xi8, #l1>) dw(%dww, %dwb : memref<3x3x4xi8, #l1>, memref<4xi32, #l1>)
    pw(%pww, %pwb : memref<4x4xi8, #l1>, memref<4xi32, #l1>) outs(%y : memref<4x4x4xi8, #l1>)
    variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1]
    dw_requant <mult = [1], shift = [0], clamp = [-128, 127]> pw_requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}
