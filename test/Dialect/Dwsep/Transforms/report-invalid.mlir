// RUN: dwsep-opt %s --split-input-file --dwsep-report --verify-diagnostics -o /dev/null

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// The plan says 64 B reach L1, the IR moves 32: the report refuses.
func.func @f(%a: memref<32xi8, #l2>, %b: memref<32xi8, #l1>) {
  // expected-error @+1 {{'dwsep.layer' op layer 'l': the tile plan predicts act_l2_l1 = 64 but its DMA ops move 32}}
  dwsep.layer "l" attributes {plan = {act_l2_l1 = 64 : i64, weights_l2_l1 = 0 : i64, act_l1_l2 = 0 : i64, transfers = 1 : i64, total_cycles = 0 : i64}} {
    %t = dwsep.dma_start %a, %b : memref<32xi8, #l2> to memref<32xi8, #l1>
    dwsep.dma_wait %t
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// Two tiles write the same output rows.
func.func @f(%a: memref<4x8xi8, #l1>, %y: memref<8x8xi8, #l2>) {
  // expected-error @+1 {{'dwsep.layer' op layer 'dup' writes element 0 of 'memref<8x8xi8, #dwsep.level<l2>>' 2 times; every output element must be written exactly once}}
  dwsep.layer "dup" {
    %c0 = arith.constant 0 : index
    %c2 = arith.constant 2 : index
    %c1 = arith.constant 1 : index
    scf.for %i = %c0 to %c2 step %c1 {
      %s = memref.subview %y[0, 0] [4, 8] [1, 1] : memref<8x8xi8, #l2> to memref<4x8xi8, strided<[8, 1]>, #l2>
      %t = dwsep.dma_start %a, %s : memref<4x8xi8, #l1> to memref<4x8xi8, strided<[8, 1]>, #l2>
      dwsep.dma_wait %t
    }
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// Rows 4..7 are never written.
func.func @f(%a: memref<4x8xi8, #l1>, %y: memref<8x8xi8, #l2>) {
  // expected-error @+1 {{'dwsep.layer' op layer 'gap' writes element 32 of 'memref<8x8xi8, #dwsep.level<l2>>' 0 times; every output element must be written exactly once}}
  dwsep.layer "gap" {
    %s = memref.subview %y[0, 0] [4, 8] [1, 1] : memref<8x8xi8, #l2> to memref<4x8xi8, strided<[8, 1]>, #l2>
    %t = dwsep.dma_start %a, %s : memref<4x8xi8, #l1> to memref<4x8xi8, strided<[8, 1]>, #l2>
    dwsep.dma_wait %t
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

func.func @f(%a: memref<4x8xi8, #l1>, %y: memref<8x8xi8, #l2>, %n: index) {
  dwsep.layer "dyn" {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    // expected-error @+1 {{'scf.for' op has bounds --dwsep-report cannot evaluate}}
    scf.for %i = %c0 to %n step %c1 {
    }
  }
  return
}
