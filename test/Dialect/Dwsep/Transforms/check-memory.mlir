// RUN: dwsep-opt %s --split-input-file --dwsep-check-memory --verify-diagnostics

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>
#l3 = #dwsep.level<l3>

// A compute op on L2 operands (not tiled).
func.func @f(%x: memref<2x2x4xi8, #l2>, %y: memref<4x2x2xi8, #l1>) {
  // expected-error @+1 {{'dwsep.relayout' op operand #0 is in l2, but compute ops read and write L1 only (run --dwsep-tile)}}
  dwsep.relayout ins(%x : memref<2x2x4xi8, #l2>) outs(%y : memref<4x2x2xi8, #l1>) from <hwc> to <chw>
  return
}

// -----

#l1 = #dwsep.level<l1>
#l3 = #dwsep.level<l3>

func.func @f(%w: memref<4xi8, #l3>, %i: index) -> i8 {
  // expected-error @+1 {{'memref.load' op dereferences L3 memory 'memref<4xi8, #dwsep.level<l3>>'; only dwsep.dma_start may access L3}}
  %v = memref.load %w[%i] : memref<4xi8, #l3>
  return %v : i8
}

// -----

#l1 = #dwsep.level<l1>

func.func @f(%l1: memref<100xi8, #l1>) {
  %c96 = arith.constant 96 : index
  // expected-error @+1 {{'memref.view' op buffer [96, 104) lies outside its arena of 100 B}}
  %v = memref.view %l1[%c96][] : memref<100xi8, #l1> to memref<2xi32, #l1>
  return
}

// -----

module attributes {dwsep.target = #dwsep.target<"gap8", l1_size = 32768>} {
  func.func @f() {
    // expected-error @+1 {{'dwsep.layer' op layer 'big' needs 38000 B of L1 but the budget is 11348 B}}
    dwsep.layer "big" attributes {l1_bytes = 38000 : i64} {
    }
    return
  }
}

// -----

module attributes {dwsep.target = #dwsep.target<"gap8", l2_size = 4096>} {
  // expected-error @+1 {{'func.func' op needs 8192 B of L2 but the target has 4096 B}}
  func.func @f() attributes {dwsep.l2_size = 8192 : i64} {
    return
  }
}

// -----

// expected-error @+1 {{'builtin.module' op the L3 image needs 9000000 B but the target has 8388608 B}}
module attributes {dwsep.l3_size = 9000000 : i64} {
}
