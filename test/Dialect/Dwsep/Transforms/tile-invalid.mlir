// RUN: dwsep-opt %s --split-input-file --dwsep-tile --verify-diagnostics
// RUN: not dwsep-opt %s --split-input-file --dwsep-tile=loop-order=diagonal 2>&1 | FileCheck %s --check-prefix=ORDER
// ORDER: error: dwsep-tile: loop-order 'diagonal' is not auto, channels or rows

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// expected-error @+1 {{dwsep-tile needs the L1 arena argument that --dwsep-plan-memory adds}}
func.func @f(%x: memref<2x2x4xi8, #l2>, %y: memref<4x2x2xi8, #l2>) {
  dwsep.layer "r" {
    dwsep.relayout ins(%x : memref<2x2x4xi8, #l2>) outs(%y : memref<4x2x2xi8, #l2>) from <hwc> to <chw>
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

func.func @f(%l1: memref<44116xi8, #l1>, %x: memref<2x2x4xi8>, %y: memref<4x2x2xi8, #l2>) {
  dwsep.layer "r" {
    // expected-error @+1 {{'dwsep.relayout' op operand of type 'memref<2x2x4xi8>' is not in L2; run --dwsep-plan-memory before --dwsep-tile}}
    dwsep.relayout ins(%x : memref<2x2x4xi8>) outs(%y : memref<4x2x2xi8, #l2>) from <hwc> to <chw>
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// A 1x1 pointwise whose single output pixel row needs all 4096 input
// channels of 200 columns cannot fit a 38 KB budget.
func.func @f(%l1: memref<44116xi8, #l1>, %x: memref<1x200x4096xi8, #l2>, %w: memref<4x4096xi8, #l2>,
             %b: memref<4xi32, #l2>, %y: memref<1x200x4xi8, #l2>) {
  dwsep.layer "pw" {
    // expected-error @+1 {{'dwsep.pointwise' op cannot be tiled for L1: the smallest tile (1 row x 1 channel group) needs 827800 B but the L1 budget is 44116 B}}
    dwsep.pointwise ins(%x, %w, %b : memref<1x200x4096xi8, #l2>, memref<4x4096xi8, #l2>, memref<4xi32, #l2>)
      outs(%y : memref<1x200x4xi8, #l2>) requant <mult = [1], shift = [3], clamp = [-128, 127]>
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// The same over one pixel (a classifier written as a 1x1 convolution) run
// through the passes by hand: the note names the canonical form that the
// GAP8 pipeline takes, the linear layer, whose input channels are sliced
// (test/Pipelines/gap8-pipeline-one-pixel.mlir).
func.func @f(%l1: memref<44116xi8, #l1>, %x: memref<1x1x50176xi8, #l2>, %w: memref<4x50176xi8, #l2>,
             %b: memref<4xi32, #l2>, %y: memref<1x1x4xi8, #l2>) {
  dwsep.layer "pw" {
    // expected-error @+2 {{'dwsep.pointwise' op cannot be tiled for L1: the smallest tile (1 row x 1 channel group) needs}}
    // expected-note @+1 {{over a 1 x 1 map its canonical form is dwsep.linear (--canonicalize="enable-patterns=dwsep-pointwise-one-pixel" before --dwsep-tile), whose input channels can be sliced}}
    dwsep.pointwise ins(%x, %w, %b : memref<1x1x50176xi8, #l2>, memref<4x50176xi8, #l2>, memref<4xi32, #l2>)
      outs(%y : memref<1x1x4xi8, #l2>) requant <mult = [1], shift = [3], clamp = [-128, 127]>
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// expected-error @+1 {{l1-budget 44116 B exceeds the L1 arena of 1000 B}}
func.func @f(%l1: memref<1000xi8, #l1>, %x: memref<2x2x4xi8, #l2>, %y: memref<4x2x2xi8, #l2>) {
  dwsep.layer "r" {
    dwsep.relayout ins(%x : memref<2x2x4xi8, #l2>) outs(%y : memref<4x2x2xi8, #l2>) from <hwc> to <chw>
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// A linear layer of 50000 features may tile them, but every output channel's
// int32 accumulator stays in L1: 12000 of them (48000 B) do not fit.
func.func @f(%l1: memref<44116xi8, #l1>, %x: memref<50000xi8, #l2>, %w: memref<12000x50000xi8, #l2>,
             %y: memref<12000xi8, #l2>) {
  dwsep.layer "fc" {
    // expected-error @+1 {{'dwsep.linear' op cannot be tiled for L1: the smallest tile (1 row x 1 channel group, or a slice of the input channels with every output channel's int32 accumulator in L1) needs 48424 B but the L1 budget is 44116 B}}
    dwsep.linear ins(%x, %w : memref<50000xi8, #l2>, memref<12000x50000xi8, #l2>)
      outs(%y : memref<12000xi8, #l2>) requant <mult = [1], shift = [3], clamp = [-128, 127]>
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// A linear layer reads a flattened map as one vector: its L2 buffer must be
// contiguous (here its rows are 48 bytes apart, not 24).
func.func @f(%l1: memref<44116xi8, #l1>, %x: memref<2x3x8xi8, strided<[48, 8, 1]>, #l2>, %w: memref<4x48xi8, #l2>,
             %y: memref<4xi8, #l2>) {
  dwsep.layer "fc" {
    // expected-error @+1 {{'dwsep.linear' op reads a flattened map from 'memref<2x3x8xi8, strided<[48, 8, 1]>, #dwsep.level<l2>>', which is not contiguous in L2}}
    dwsep.linear ins(%x, %w : memref<2x3x8xi8, strided<[48, 8, 1]>, #l2>, memref<4x48xi8, #l2>)
      outs(%y : memref<4xi8, #l2>) requant <mult = [1], shift = [3], clamp = [-128, 127]>
  }
  return
}
