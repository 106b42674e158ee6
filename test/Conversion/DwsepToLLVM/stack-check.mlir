// RUN: dwsep-opt %s --split-input-file --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --buffer-results-to-out-params=modify-public-functions --dwsep-plan-memory --dwsep-tile --dwsep-lower-kernels --dwsep-to-llvm="object=%t.o header=%t.h" --verify-diagnostics
// RUN: FileCheck %s --check-prefix=HEADER < %t.h

// With object=, dwsep-to-llvm compiles the module in-process and reads the
// frame of every function back from the code generator: the entry's frame
// plus its deepest call chain (a kernel, the kernel's share of its fork)
// must fit the target's stack_main, the largest fork share its
// stack_worker. Here they do, and the header states both needs and every
// frame the entry reaches.
// HEADER: /* ok frames (B): [[K:__dwsep_k_x_win_pw_hs2hs4_[a-z0-9_]+]] {{[0-9]+}} [[K]]_fork0 {{[0-9]+}} ok {{[0-9]+}} */
// HEADER: #define DWSEP_ok_STACK_NEED_MAIN {{[1-9][0-9]*}}
// HEADER: #define DWSEP_ok_STACK_NEED_WORKER {{[1-9][0-9]*}}
module {
  func.func @ok(%x: tensor<2x3x2xi8>) -> tensor<2x3x4xi8> {
    %w = arith.constant dense<2> : tensor<4x2xi8>
    %b = arith.constant dense<7> : tensor<4xi32>
    %e = tensor.empty() : tensor<2x3x4xi8>
    %y = dwsep.pointwise ins(%x, %w, %b : tensor<2x3x2xi8>, tensor<4x2xi8>, tensor<4xi32>)
           outs(%e : tensor<2x3x4xi8>) requant <mult = [3], shift = [2], clamp = [-128, 127]> -> tensor<2x3x4xi8>
    return %y : tensor<2x3x4xi8>
  }
}

// -----

// A core 0 stack of 16 B cannot hold the entry's frame.
module attributes {dwsep.target = #dwsep.target<"gap8", stack_main = 16>} {
  // expected-error-re @+1 {{'llvm.func' op needs {{[0-9]+}} B of stack on core 0 (frames from the code generator: the entry {{[0-9]+}} B, its deepest call chain {{[0-9]+}} B, the largest fork share {{[0-9]+}} B) but the target reserves 16 B}}
  func.func @small_main(%x: tensor<2x3x2xi8>) -> tensor<2x3x4xi8> {
    %w = arith.constant dense<2> : tensor<4x2xi8>
    %b = arith.constant dense<7> : tensor<4xi32>
    %e = tensor.empty() : tensor<2x3x4xi8>
    %y = dwsep.pointwise ins(%x, %w, %b : tensor<2x3x2xi8>, tensor<4x2xi8>, tensor<4xi32>)
           outs(%e : tensor<2x3x4xi8>) requant <mult = [3], shift = [2], clamp = [-128, 127]> -> tensor<2x3x4xi8>
    return %y : tensor<2x3x4xi8>
  }
}

// -----

// Nor can 8 B per worker core hold a fork share.
module attributes {dwsep.target = #dwsep.target<"gap8", stack_worker = 8>} {
  // expected-error-re @+1 {{'llvm.func' op needs {{[0-9]+}} B of stack on the other cores (frames from the code generator: the entry {{[0-9]+}} B, its deepest call chain {{[0-9]+}} B, the largest fork share {{[0-9]+}} B) but the target reserves 8 B}}
  func.func @small_worker(%x: tensor<2x3x2xi8>) -> tensor<2x3x4xi8> {
    %w = arith.constant dense<2> : tensor<4x2xi8>
    %b = arith.constant dense<7> : tensor<4xi32>
    %e = tensor.empty() : tensor<2x3x4xi8>
    %y = dwsep.pointwise ins(%x, %w, %b : tensor<2x3x2xi8>, tensor<4x2xi8>, tensor<4xi32>)
           outs(%e : tensor<2x3x4xi8>) requant <mult = [3], shift = [2], clamp = [-128, 127]> -> tensor<2x3x4xi8>
    return %y : tensor<2x3x4xi8>
  }
}
