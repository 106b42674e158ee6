// RUN: dwsep-opt %s --split-input-file --dwsep-plan-memory --verify-diagnostics

// A 64 B L2 cannot stage even one row band of the first relayout (64 B of
// input rows and 64 B of output rows) once everything lives in L3.
module attributes {dwsep.target = #dwsep.target<"gap8", l2_size = 64>} {
  func.func @f(%x: memref<16x16x4xi8>, %y: memref<16x16x4xi8>) {
    %e = memref.alloc() : memref<4x16x16xi8>
    // expected-error @+1 {{'dwsep.relayout' op cannot be streamed through L2: a band of one output row needs 128 B of L2 staging but only 64 B of the target's 64 B of L2 are free during this layer}}
    dwsep.relayout ins(%x : memref<16x16x4xi8>) outs(%e : memref<4x16x16xi8>) from <hwc> to <chw>
    dwsep.relayout ins(%e : memref<4x16x16xi8>) outs(%y : memref<16x16x4xi8>) from <chw> to <hwc>
    return
  }
}

// -----

// Depthwise weights are staged whole (only conv2d, pointwise and linear
// weights are split into output-channel groups): these exceed L2.
module attributes {dwsep.target = #dwsep.target<"gap8", l2_size = 1024>} {
  memref.global "private" constant @w : memref<5x5x64xi8> = dense<1>
  memref.global "private" constant @b : memref<64xi32> = dense<1>
  func.func @f(%x: memref<4x4x64xi8>, %y: memref<4x4x64xi8>) {
    %w = memref.get_global @w : memref<5x5x64xi8>
    %b = memref.get_global @b : memref<64xi32>
    // expected-error @+1 {{'dwsep.depthwise' op does not fit in L2: its weight staging buffer 'memref<5x5x64xi8>' (1600 B) is staged whole and, with the other buffers live then, needs 1856 B of L2 but the target has 1024 B}}
    dwsep.depthwise ins(%x, %w, %b : memref<4x4x64xi8>, memref<5x5x64xi8>, memref<64xi32>)
      outs(%y : memref<4x4x64xi8>) pad [2, 2, 2, 2] requant <mult = [1], shift = [0], clamp = [-128, 127]>
    return
  }
}

// -----

// The activations streamed from L3 must fit in L3 beside the image.
// expected-error @+1 {{the L3 weight image needs 0 B and the activations streamed from L3 need 2048 B more, but the target's L3 has 1500 B}}
module attributes {dwsep.target = #dwsep.target<"gap8", l2_size = 1024, l3_size = 1500>} {
  func.func @f(%x: memref<16x16x4xi8>, %y: memref<16x16x4xi8>) {
    %e = memref.alloc() : memref<4x16x16xi8>
    dwsep.relayout ins(%x : memref<16x16x4xi8>) outs(%e : memref<4x16x16xi8>) from <hwc> to <chw>
    dwsep.relayout ins(%e : memref<4x16x16xi8>) outs(%y : memref<16x16x4xi8>) from <chw> to <hwc>
    return
  }
}

// -----

module attributes {dwsep.target = #dwsep.target<"gap8", l3_size = 8>} {
  memref.global "private" constant @w : memref<4x4xi8> = dense<1>
  memref.global "private" constant @b : memref<4xi32> = dense<1>
  // expected-error @-3 {{the L3 weight image needs 32 B but the target's L3 has 8 B}}
  func.func @f(%x: memref<2x2x4xi8>, %y: memref<2x2x4xi8>) {
    %w = memref.get_global @w : memref<4x4xi8>
    %b = memref.get_global @b : memref<4xi32>
    dwsep.pointwise ins(%x, %w, %b : memref<2x2x4xi8>, memref<4x4xi8>, memref<4xi32>)
      outs(%y : memref<2x2x4xi8>) requant <mult = [1], shift = [0], clamp = [-128, 127]>
    return
  }
}

// -----

memref.global "private" @w : memref<4x4xi8> = dense<1>
func.func @f(%x: memref<2x2x4xi8>, %b: memref<4xi32>, %y: memref<2x2x4xi8>) {
  // expected-error @+1 {{'memref.get_global' op feeds dwsep.pointwise but is not a constant global; weights must be constants to be placed in the L3 image}}
  %w = memref.get_global @w : memref<4x4xi8>
  dwsep.pointwise ins(%x, %w, %b : memref<2x2x4xi8>, memref<4x4xi8>, memref<4xi32>)
    outs(%y : memref<2x2x4xi8>) requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

// expected-error @+1 {{dwsep-plan-memory expects results passed as output arguments (run buffer-results-to-out-params with hoist-static-allocs)}}
func.func @f(%x: memref<2x2x4xi8>) -> memref<4x2x2xi8> {
  %e = memref.alloc() : memref<4x2x2xi8>
  dwsep.relayout ins(%x : memref<2x2x4xi8>) outs(%e : memref<4x2x2xi8>) from <hwc> to <chw>
  return %e : memref<4x2x2xi8>
}

// -----

// expected-error @+1 {{dwsep-plan-memory expects a single-block function (no control flow between layers)}}
func.func @f(%x: memref<2x2x4xi8>, %y: memref<4x2x2xi8>) {
  dwsep.relayout ins(%x : memref<2x2x4xi8>) outs(%y : memref<4x2x2xi8>) from <hwc> to <chw>
  cf.br ^bb1
^bb1:
  return
}

// -----

func.func @f(%x: memref<2x2x4xi8>, %y: memref<4x2x2xi8>, %z: memref<4x2x2xi8>) {
  dwsep.relayout ins(%x : memref<2x2x4xi8>) outs(%y : memref<4x2x2xi8>) from <hwc> to <chw>
  // expected-error @+1 {{'memref.copy' op uses a buffer in a way dwsep-plan-memory cannot plan (only dwsep ops, reshapes and dealloc may use activations)}}
  memref.copy %y, %z : memref<4x2x2xi8> to memref<4x2x2xi8>
  return
}

// -----

// expected-error @+1 {{dwsep-plan-memory needs static, contiguous buffers, got 'memref<?x2x4xi8>'}}
func.func @f(%x: memref<?x2x4xi8>, %y: memref<4x2x2xi8>) {
  %c = memref.cast %x : memref<?x2x4xi8> to memref<2x2x4xi8>
  dwsep.relayout ins(%c : memref<2x2x4xi8>) outs(%y : memref<4x2x2xi8>) from <hwc> to <chw>
  return
}
