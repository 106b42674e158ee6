// RUN: dwsep-opt %s --dwsep-to-llvm | FileCheck %s

// A fork body of straight code (one block: a kernel whose loops the
// canonicalizer folded away, such as a linear layer's 5 channels dealt by
// input features): its captures are loaded from the argument block at its
// start. (MLIR builds no dominator tree for a region of one block; the
// placement of the loads asked for one and crashed.)
// CHECK-LABEL: llvm.func internal @f_fork0(
// CHECK-SAME: %[[CORE:.*]]: i32, %[[ARGS:.*]]: !llvm.ptr)
// CHECK-NEXT: %[[F0:.*]] = llvm.getelementptr %[[ARGS]][0, 2]
// CHECK-NEXT: %[[M:.*]] = llvm.load %[[F0]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT: %[[F1:.*]] = llvm.getelementptr %[[ARGS]][0, 0]
// CHECK-NEXT: %[[V:.*]] = llvm.load %[[F1]] : !llvm.ptr -> i32
// CHECK-NEXT: %[[AT:.*]] = llvm.getelementptr inbounds|nuw %[[M]][%[[CORE]]]
// CHECK-NEXT: llvm.store %[[V]], %[[AT]] : i32, !llvm.ptr
// CHECK-NEXT: llvm.return
// CHECK-LABEL: llvm.func @f(
// CHECK: llvm.call @dwsep_rt_fork(
func.func @f(%m: memref<8xi32>, %v: i32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    memref.store %v, %m[%i] : memref<8xi32>
    scf.reduce
  }
  return
}
