// RUN: dwsep-opt %s --split-input-file --dwsep-to-llvm=header=%t.h --verify-diagnostics

// expected-error @+1 {{'func.func' op has dwsep.arguments but no dwsep.l1_size and dwsep.l2_size; run --dwsep-plan-memory}}
func.func @f() attributes {dwsep.arguments = []} {
  return
}

// -----

// expected-error @+1 {{'func.func' op dwsep.arguments entry {kind = "input"} is not {kind, offset, type = memref of rank <= 4, optional level}}}
func.func @f() attributes {dwsep.arguments = [{kind = "input"}], dwsep.l1_size = 8 : i64, dwsep.l2_size = 8 : i64} {
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
