// RUN: dwsep-opt %s --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --buffer-results-to-out-params=modify-public-functions --dwsep-plan-memory --dwsep-tile --dwsep-lower-kernels --dwsep-to-llvm="header=%t.h" | FileCheck %s
// RUN: FileCheck %s --check-prefix=HEADER < %t.h
// RUN: dwsep-opt %s --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --buffer-results-to-out-params=modify-public-functions --dwsep-plan-memory --dwsep-tile --dwsep-lower-kernels --dwsep-to-llvm="entry-size=false" | FileCheck %s --check-prefix=SPEED

// The entry (control code) is optimised for size, the kernels for speed;
// entry-size=false leaves the entry at -O2 too.
// SPEED-NOT: passthrough

// Two layers, each a call of its kernel: every layer is announced to the
// runtime by dwsep_rt_layer(index) and the return by dwsep_rt_layer(-1).
// A kernel forks its work over the cores; the forks of one caller share
// one argument block in its frame (one alloca, however many forks: a block
// per fork call made 12.8 KB frames).
// CHECK-LABEL: llvm.func @two(
// CHECK-SAME: attributes {passthrough = ["minsize", "optsize"]
// CHECK-NOT: llvm.alloca
// CHECK-DAG: %[[L0:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK-DAG: %[[L1:.*]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-DAG: %[[END:.*]] = llvm.mlir.constant(-1 : i32) : i32
// CHECK: llvm.call @dwsep_rt_layer(%[[L0]])
// CHECK: llvm.call @__dwsep_k_x_win_pw_hs2hs2_
// CHECK: llvm.call @dwsep_rt_layer(%[[L1]])
// CHECK: llvm.call @__dwsep_k_x_win_pw_hs2hs4_
// CHECK: llvm.call @dwsep_rt_layer(%[[END]])
// CHECK-NEXT: llvm.return
// CHECK-LABEL: llvm.func internal @__dwsep_k_x_win_pw_hs2hs2_
// CHECK-NOT: passthrough
// CHECK: llvm.alloca %{{.*}} x i64 {alignment = 8 : i64}
// CHECK-NOT: llvm.alloca
// CHECK: llvm.call @dwsep_rt_fork(
// CHECK-NOT: llvm.alloca
// CHECK: llvm.return

// HEADER: static const char *const two_layers[] = {"pointwise_0", "pointwise_1"};
// HEADER: #define DWSEP_two_NUM_LAYERS 2
// HEADER: {"two", two_run, DWSEP_two_L1_SIZE, DWSEP_two_L2_SIZE, DWSEP_two_L3_SIZE, DWSEP_two_NUM_ARGS, two_args, DWSEP_two_NUM_LAYERS, two_layers},
// HEADER: #define DWSEP_TARGET_CORES 8
// HEADER: #define DWSEP_STACK_MAIN 3500
// HEADER: #define DWSEP_STACK_WORKER 2560
func.func @two(%x: tensor<2x3x2xi8>) -> tensor<2x3x4xi8> {
  %w = arith.constant dense<2> : tensor<2x2xi8>
  %b = arith.constant dense<7> : tensor<2xi32>
  %e = tensor.empty() : tensor<2x3x2xi8>
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<2x3x2xi8>, tensor<2x2xi8>, tensor<2xi32>)
         outs(%e : tensor<2x3x2xi8>) requant <mult = [3], shift = [2], clamp = [-128, 127]> -> tensor<2x3x2xi8>
  %w2 = arith.constant dense<3> : tensor<4x2xi8>
  %b2 = arith.constant dense<1> : tensor<4xi32>
  %e2 = tensor.empty() : tensor<2x3x4xi8>
  %z = dwsep.pointwise ins(%y, %w2, %b2 : tensor<2x3x2xi8>, tensor<4x2xi8>, tensor<4xi32>)
         outs(%e2 : tensor<2x3x4xi8>) requant <mult = [3], shift = [2], clamp = [-128, 127]> -> tensor<2x3x4xi8>
  return %z : tensor<2x3x4xi8>
}
