// RUN: env DWSEP_LLVM_TOOLS_DIR=%t.none PATH=%t.none dwsep-opt %s --dwsep-gap8-pipeline="l1-budget=2000 pieces=2 object=%t.o" -o /dev/null -verify-diagnostics
// RUN: env DWSEP_LLVM_TOOLS_DIR=%t.none PATH=%t.none dwsep-opt %s --dwsep-gap8-pipeline="l1-budget=2000 object=%t.o" -o /dev/null

// Compiling the object in pieces links them with ld.lld; asked for
// explicitly (pieces=2) where it is not found, that is an error
// naming where they were looked for. By default (pieces=0) the object is
// then compiled in one piece.

// expected-error-re @+1 {{dwsep-to-llvm: compiling in 2 pieces needs ld.lld (looked for in '{{.*}}.none' and on PATH); pieces=1 compiles in one}}
module {
  func.func @pw(%x: tensor<8x8x16xi8>) -> tensor<8x8x16xi8> {
    %w = arith.constant dense<1> : tensor<16x16xi8>
    %b = arith.constant dense<2> : tensor<16xi32>
    %e = tensor.empty() : tensor<8x8x16xi8>
    %y = dwsep.pointwise ins(%x, %w, %b : tensor<8x8x16xi8>, tensor<16x16xi8>, tensor<16xi32>) outs(%e : tensor<8x8x16xi8>) requant #dwsep.requant<mult = [3], shift = [6], clamp = [-128, 127]> -> tensor<8x8x16xi8>
    return %y : tensor<8x8x16xi8>
  }
}
