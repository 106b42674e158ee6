// RUN: dwsep-opt %s --split-input-file --dwsep-to-llvm=header=%t.h --verify-diagnostics

// expected-error @+1 {{'func.func' op has dwsep.arguments but no dwsep.l1_size and dwsep.l2_size; run --dwsep-plan-memory}}
func.func @f() attributes {dwsep.arguments = []} {
  return
}

// -----

module attributes {dwsep.l3_size = 4 : i64} {
  // expected-error @+1 {{'memref.global' op lies outside the L3 image}}
  memref.global "private" constant @w : memref<8xi8> = dense<1> {dwsep.l3_offset = 0 : i64}
}

// -----

func.func @f(%x: memref<2x2x4xi8, #dwsep.level<l1>>, %y: memref<4x2x2xi8, #dwsep.level<l1>>) {
  // expected-error @+1 {{'dwsep.relayout' op is left after dwsep-to-llvm: run --dwsep-lower-kernels first}}
  dwsep.relayout ins(%x : memref<2x2x4xi8, #dwsep.level<l1>>) outs(%y : memref<4x2x2xi8, #dwsep.level<l1>>) from <hwc> to <chw>
  return
}

// -----

module attributes {dwsep.l3_size = 8 : i64} {
  // expected-error @+1 {{'memref.global' op is in the L3 image but has no dense value}}
  memref.global "private" @w : memref<8xi8> = uninitialized {dwsep.l3_offset = 0 : i64}
}

// -----

// Only work splits over the cores can be forked.
func.func @f(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{'scf.parallel' op is not a work split over the cores (1-D, from 0 with step 1, constant core count, no results); it cannot be forked}}
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    scf.reduce
  }
  return
}

// -----

// A work split is outlined next to its enclosing func.func.
%c0 = arith.constant 0 : index
%c1 = arith.constant 1 : index
%c8 = arith.constant 8 : index
// expected-error @+1 {{'scf.parallel' op is not inside a func.func; it cannot be outlined into a fork}}
scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
  scf.reduce
}

// -----

// The L3 attributes are hand-writable: they are checked against the target
// (GAP8: 8 MiB of L3) before the image is allocated.
// expected-error @+1 {{'builtin.module' op dwsep.l3_size = 1000000000000 is outside [0, 8388608] (the target's L3 size)}}
module attributes {dwsep.l3_size = 1000000000000 : i64} {
  memref.global "private" constant @w : memref<8xi8> = dense<1> {dwsep.l3_offset = 0 : i64}
}

// -----

// expected-error @+1 {{'builtin.module' op dwsep.l3_size = 2147483647 is outside [0, 8388608] (the target's L3 size)}}
module attributes {dwsep.l3_size = 2147483647 : i64} {
  memref.global "private" constant @w : memref<8xi8> = dense<1> {dwsep.l3_offset = 0 : i64}
}

// -----

// Within a target that has the L3, but far more than the globals need.
// expected-error @+1 {{'builtin.module' op dwsep.l3_size = 4096 B but the L3 globals it packs end at 8 B}}
module attributes {dwsep.l3_size = 4096 : i64} {
  memref.global "private" constant @w : memref<8xi8> = dense<1> {dwsep.l3_offset = 0 : i64}
}

// -----

// expected-error @+1 {{'builtin.module' op dwsep.l3_size = "big" is not a 64-bit integer}}
module attributes {dwsep.l3_size = "big"} {
}

// -----

module attributes {dwsep.l3_size = 8 : i64} {
  // expected-error @+1 {{'memref.global' op dwsep.l3_offset = 9223372036854775807 is outside [0, 8] (the module's dwsep.l3_size)}}
  memref.global "private" constant @w : memref<8xi8> = dense<1> {dwsep.l3_offset = 9223372036854775807 : i64}
}

// -----

module attributes {dwsep.l3_size = 8 : i64} {
  // expected-error @+1 {{'memref.global' op lies outside the L3 image: 'memref<8xi8>' at offset 4 does not fit in dwsep.l3_size = 8 B}}
  memref.global "private" constant @w : memref<8xi8> = dense<1> {dwsep.l3_offset = 4 : i64}
}

// -----

module attributes {dwsep.l3_size = 8 : i64} {
  // expected-error @+1 {{'memref.global' op is in the L3 image but its element type 'index' is not an integer or float of whole bytes}}
  memref.global "private" constant @w : memref<1xindex> = dense<1> {dwsep.l3_offset = 0 : i64}
}

// -----

// expected-error @+1 {{'memref.global' op has dwsep.l3_offset but the module has no dwsep.l3_size; run --dwsep-plan-memory}}
memref.global "private" constant @w : memref<8xi8> = dense<1> {dwsep.l3_offset = 0 : i64}

// -----

// The arena sizes of an entry point are bounded by the target's levels.
// expected-error @+1 {{'func.func' op dwsep.l1_size = 100000000 is outside [0, 65536] (the target's L1 size)}}
func.func @f() attributes {dwsep.arguments = [], dwsep.l1_size = 100000000 : i64, dwsep.l2_size = 8 : i64} {
  return
}

// -----

// expected-error @+1 {{'func.func' op dwsep.arguments entry #dwsep.argument<kind = input, level = l2, offset = 9223372036854775807, type = memref<4xi8>> does not lie in its L2 arena of 8 B}}
func.func @f() attributes {dwsep.arguments = [#dwsep.argument<kind = input, level = l2, offset = 9223372036854775807, type = memref<4xi8>>], dwsep.l1_size = 8 : i64, dwsep.l2_size = 8 : i64} {
  return
}

// -----

// expected-error @+1 {{'func.func' op dwsep.arguments entry #dwsep.argument<kind = output, level = l3, offset = 4, type = memref<2x4xi16>> does not lie in its L3 arena of 16 B}}
func.func @f() attributes {dwsep.arguments = [#dwsep.argument<kind = output, level = l3, offset = 4, type = memref<2x4xi16>>], dwsep.l1_size = 8 : i64, dwsep.l2_size = 8 : i64, dwsep.l3_size = 16 : i64} {
  return
}

// -----

// A dwsep attribute the lowering does not know where it is written would
// leave an output that needs the dwsep dialect: an error.
// expected-error @+1 {{'llvm.func' op still carries #dwsep.layout<hwc> after dwsep-to-llvm; the output would need the dwsep dialect}}
func.func @f() attributes {note = [#dwsep.layout<hwc>]} {
  return
}

// -----

// Entry points become C functions next to the runtime's and the harness's.
// expected-error @+1 {{'func.func' op is an entry point named 'main', which is not usable as a C function name (a C identifier, not a keyword, main or dwsep_*)}}
func.func @main() attributes {dwsep.arguments = [], dwsep.l1_size = 8 : i64, dwsep.l2_size = 8 : i64} {
  return
}

// -----

// expected-error @+1 {{'func.func' op is an entry point named 'my-net', which is not usable as a C function name (a C identifier, not a keyword, main or dwsep_*)}}
func.func @"my-net"() attributes {dwsep.arguments = [], dwsep.l1_size = 8 : i64, dwsep.l2_size = 8 : i64} {
  return
}
