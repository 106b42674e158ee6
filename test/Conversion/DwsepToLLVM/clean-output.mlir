// RUN: dwsep-opt %s --dwsep-to-llvm | FileCheck %s

// Whatever dwsep attribute the input carries where the lowering expects
// them (on ops, on arguments and results) is gone from the output: it
// translates without the dwsep dialect.
// CHECK-NOT: dwsep.
// CHECK-NOT: #dwsep
// CHECK: llvm.func @f
// CHECK-NOT: dwsep.
// CHECK-NOT: #dwsep
module attributes {dwsep.target = #dwsep.target<"gap8">} {
  func.func @f(%x: memref<4xi8> {dwsep.note = #dwsep.layout<chw>}) -> (i32 {dwsep.kind = "out"})
      attributes {dwsep.predicted_cycles = 3 : i64} {
    %c = arith.constant {dwsep.note = 1} 0 : i32
    return %c : i32
  }
}
