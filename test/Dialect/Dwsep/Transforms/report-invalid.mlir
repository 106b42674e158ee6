// RUN: dwsep-opt %s --split-input-file --dwsep-report --verify-diagnostics -o /dev/null

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// The plan says 64 B reach L1, the IR moves 32: the report refuses.
func.func @f(%a: memref<32xi8, #l2>, %b: memref<32xi8, #l1>) {
  // expected-error @+1 {{'dwsep.layer' op layer 'l': the tile plan predicts act_l2_l1 = 64 but its DMA ops move 32}}
  dwsep.layer "l" attributes {plan = #dwsep.tile_plan<act_l2_l1 = 64, weights_l2_l1 = 0, act_l1_l2 = 0, transfers = 1, compute_cycles = 0, dma_cycles = 0, total_cycles = 0, macs = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], outs = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], forks = 0, tiles = 1, exposed_dma_cycles = 0>} {
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

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// Read-after-write: the compute runs before its input has arrived.
func.func @f(%l1: memref<1024xi8, #l1>, %x: memref<2x2x4xi8, #l2>) {
  dwsep.layer "raw" {
    %c0 = arith.constant 0 : index
    %c16 = arith.constant 16 : index
    %in = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<2x2x4xi8, #l1>
    %out = memref.view %l1[%c16][] : memref<1024xi8, #l1> to memref<4x2x2xi8, #l1>
    %t = dwsep.dma_start %x, %in : memref<2x2x4xi8, #l2> to memref<2x2x4xi8, #l1>
    // expected-error @+1 {{'dwsep.relayout' op accesses (read-after-write) L1 bytes [0, 16) while the transfer started by dwsep.dma_start}}
    dwsep.relayout ins(%in : memref<2x2x4xi8, #l1>) outs(%out : memref<4x2x2xi8, #l1>) from <hwc> to <chw>
    dwsep.dma_wait %t
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// Write-after-read: the next tile's input lands in the buffer the previous
// write-back is still reading.
func.func @f(%l1: memref<1024xi8, #l1>, %x: memref<16xi8, #l2>, %y: memref<16xi8, #l2>) {
  dwsep.layer "war" {
    %c0 = arith.constant 0 : index
    %buf = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<16xi8, #l1>
    %t0 = dwsep.dma_start %buf, %y : memref<16xi8, #l1> to memref<16xi8, #l2>
    // expected-error @+1 {{'dwsep.dma_start' op overwrites (write-after-read) L1 bytes [0, 16) while the transfer started by dwsep.dma_start}}
    %t1 = dwsep.dma_start %x, %buf : memref<16xi8, #l2> to memref<16xi8, #l1>
    dwsep.dma_wait %t0, %t1
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// A write-back that reads an L1 buffer whose fetch has not completed.
func.func @f(%l1: memref<1024xi8, #l1>, %x: memref<16xi8, #l2>, %y: memref<16xi8, #l2>) {
  dwsep.layer "raw2" {
    %c8 = arith.constant 8 : index
    %c0 = arith.constant 0 : index
    %a = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<16xi8, #l1>
    %b = memref.view %l1[%c8][] : memref<1024xi8, #l1> to memref<16xi8, #l1>
    %t0 = dwsep.dma_start %x, %a : memref<16xi8, #l2> to memref<16xi8, #l1>
    // expected-error @+1 {{'dwsep.dma_start' op writes back (read-after-write) L1 bytes [0, 16)}}
    %t1 = dwsep.dma_start %b, %y : memref<16xi8, #l1> to memref<16xi8, #l2>
    dwsep.dma_wait %t0, %t1
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

func.func @f(%l1: memref<1024xi8, #l1>, %x: memref<16xi8, #l2>) {
  dwsep.layer "leak" {
    %c0 = arith.constant 0 : index
    %a = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<16xi8, #l1>
    // expected-error @+1 {{'dwsep.dma_start' op starts a transfer that layer 'leak' never waits for}}
    %t0 = dwsep.dma_start %x, %a : memref<16xi8, #l2> to memref<16xi8, #l1>
  }
  return
}

// -----

#l2 = #dwsep.level<l2>
#l3 = #dwsep.level<l3>

// A prefetch outside any layer that no layer waits for.
func.func @f(%w3: memref<16xi8, #l3>, %w2: memref<16xi8, #l2>) {
  // expected-error @+1 {{'dwsep.dma_start' op starts a transfer that no layer waits for}}
  %t = dwsep.dma_start %w3, %w2 weights : memref<16xi8, #l3> to memref<16xi8, #l2>
  dwsep.layer "l" {
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// The second tile's write-back runs past the end of the output (rows 6..9
// of 8).
func.func @f(%a: memref<4x8xi8, #l1>, %y: memref<8x8xi8, #l2>) {
  dwsep.layer "past" {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c6 = arith.constant 6 : index
    scf.for %i = %c0 to %c2 step %c1 {
      %row = arith.muli %i, %c6 : index
      %s = memref.subview %y[%row, 0] [4, 8] [1, 1] : memref<8x8xi8, #l2> to memref<4x8xi8, strided<[8, 1], offset: ?>, #l2>
      // expected-error @+1 {{'dwsep.dma_start' op writes elements [6, 10) of dimension 0 of 'memref<8x8xi8, #dwsep.level<l2>>', which has 8}}
      %t = dwsep.dma_start %a, %s : memref<4x8xi8, #l1> to memref<4x8xi8, strided<[8, 1], offset: ?>, #l2>
      dwsep.dma_wait %t
    }
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// The tile loops' branches are followed where the report can evaluate them.
func.func @f(%n: index, %c: i1) {
  dwsep.layer "switch" {
    // expected-error @+1 {{'scf.index_switch' op has a case --dwsep-report cannot evaluate}}
    %t = scf.index_switch %n -> !dwsep.token
    case 0 {
      %a = dwsep.dma_none
      scf.yield %a : !dwsep.token
    }
    default {
      %b = dwsep.dma_none
      scf.yield %b : !dwsep.token
    }
    dwsep.dma_wait %t
  }
  dwsep.layer "if" {
    // expected-error @+1 {{'scf.if' op has a condition --dwsep-report cannot evaluate}}
    %t = scf.if %c -> !dwsep.token {
      %a = dwsep.dma_none
      scf.yield %a : !dwsep.token
    } else {
      %b = dwsep.dma_none
      scf.yield %b : !dwsep.token
    }
    dwsep.dma_wait %t
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// The case taken is the one checked: case 1 fetches the upper half of the
// buffer the relayout reads (case 0, not taken, the lower half), so the
// read-after-write names bytes [16, 32).
func.func @f(%l1: memref<1024xi8, #l1>, %x: memref<16xi8, #l2>) {
  dwsep.layer "taken" {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c16 = arith.constant 16 : index
    %c64 = arith.constant 64 : index
    %in = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<2x2x8xi8, #l1>
    %lo = memref.view %l1[%c0][] : memref<1024xi8, #l1> to memref<16xi8, #l1>
    %hi = memref.view %l1[%c16][] : memref<1024xi8, #l1> to memref<16xi8, #l1>
    %out = memref.view %l1[%c64][] : memref<1024xi8, #l1> to memref<8x2x2xi8, #l1>
    %t = scf.index_switch %c1 -> !dwsep.token
    case 0 {
      %f = dwsep.dma_start %x, %lo : memref<16xi8, #l2> to memref<16xi8, #l1>
      scf.yield %f : !dwsep.token
    }
    case 1 {
      %f = dwsep.dma_start %x, %hi : memref<16xi8, #l2> to memref<16xi8, #l1>
      scf.yield %f : !dwsep.token
    }
    default {
      %n = dwsep.dma_none
      scf.yield %n : !dwsep.token
    }
    // expected-error @+1 {{'dwsep.relayout' op accesses (read-after-write) L1 bytes [16, 32)}}
    dwsep.relayout ins(%in : memref<2x2x8xi8, #l1>) outs(%out : memref<8x2x2xi8, #l1>) from <hwc> to <chw>
    dwsep.dma_wait %t
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// A tile loop's carried index (the row tile it writes) must be computable
// from constants and loop values: here it is a function argument.
func.func @f(%a: memref<4x8xi8, #l1>, %y: memref<8x8xi8, #l2>, %n: index) {
  dwsep.layer "carried" {
    %c0 = arith.constant 0 : index
    %c2 = arith.constant 2 : index
    %c1 = arith.constant 1 : index
    // expected-error @+1 {{'scf.for' op carries an index --dwsep-report cannot evaluate}}
    %r = scf.for %i = %c0 to %c2 step %c1 iter_args(%row = %n) -> (index) {
      %s = memref.subview %y[%row, 0] [4, 8] [1, 1] : memref<8x8xi8, #l2> to memref<4x8xi8, strided<[8, 1], offset: ?>, #l2>
      %t = dwsep.dma_start %a, %s : memref<4x8xi8, #l1> to memref<4x8xi8, strided<[8, 1], offset: ?>, #l2>
      dwsep.dma_wait %t
      %next = arith.addi %row, %c1 : index
      scf.yield %next : index
    }
  }
  return
}

// -----

#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>

// A layer in a loop over channel groups that says its later iterations keep
// their input in L1, but fetches it in every iteration.
func.func @f(%a: memref<32xi8, #l2>, %b: memref<32xi8, #l1>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c1 = arith.constant 1 : index
  scf.for %g = %c0 to %c2 step %c1 {
    // expected-error @+1 {{'dwsep.layer' op layer 'kept': the tile plan predicts act_l2_l1 = 0 but its DMA ops move 32}}
    dwsep.layer "kept" attributes {input_kept_from = 1 : i64, plan = #dwsep.tile_plan<act_l2_l1 = 32, weights_l2_l1 = 0, act_l1_l2 = 0, transfers = 1, compute_cycles = 0, dma_cycles = 0, total_cycles = 0, macs = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], outs = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], forks = 0, tiles = 1, exposed_dma_cycles = 0, kept_act_l2_l1 = 32, kept_transfers = 1>} {
      %t = dwsep.dma_start %a, %b : memref<32xi8, #l2> to memref<32xi8, #l1>
      dwsep.dma_wait %t
    }
  }
  return
}
