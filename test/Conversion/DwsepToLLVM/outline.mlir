// RUN: dwsep-opt %s --dwsep-gap8-pipeline="l1-budget=2000 object=%t.default.o" -o /dev/null
// RUN: llvm-nm %t.default.o | FileCheck %s --check-prefix=DEFAULT
// RUN: dwsep-opt %s --dwsep-gap8-pipeline="l1-budget=2000 outline=1 object=%t.outlined.o" -o /dev/null
// RUN: llvm-nm %t.outlined.o | FileCheck %s --check-prefix=OUTLINED

// The entry points are minsize, on which RISC-V's code generator runs the
// machine outliner by default: it shares the call set-ups that repeat
// between layers (here four alike) as OUTLINED_FUNCTION_n, which the
// control code then calls at every tile step. The object dwsep-to-llvm
// compiles does so only with outline=1: on GVSoC the outlined control code
// cost MobileNetV1 1.0@128, 0.5@160 and V2 0.75@160 1.2-3.3% of their
// cycles (mean of four code placements; docs/design.md, seventeenth
// session) for 0.7-3 KB less code.
// DEFAULT-NOT: OUTLINED_FUNCTION
// DEFAULT: T rep
// DEFAULT-NOT: OUTLINED_FUNCTION
// OUTLINED: OUTLINED_FUNCTION_0
// OUTLINED: T rep

func.func @rep(%x: tensor<8x8x16xi8>) -> tensor<8x8x16xi8> {
  %w = arith.constant dense<1> : tensor<16x16xi8>
  %b = arith.constant dense<2> : tensor<16xi32>
  %e = tensor.empty() : tensor<8x8x16xi8>
  %y0 = dwsep.pointwise ins(%x, %w, %b : tensor<8x8x16xi8>, tensor<16x16xi8>, tensor<16xi32>) outs(%e : tensor<8x8x16xi8>) requant #dwsep.requant<mult = [3], shift = [6], clamp = [-128, 127]> -> tensor<8x8x16xi8>
  %y1 = dwsep.pointwise ins(%y0, %w, %b : tensor<8x8x16xi8>, tensor<16x16xi8>, tensor<16xi32>) outs(%e : tensor<8x8x16xi8>) requant #dwsep.requant<mult = [3], shift = [6], clamp = [-128, 127]> -> tensor<8x8x16xi8>
  %y2 = dwsep.pointwise ins(%y1, %w, %b : tensor<8x8x16xi8>, tensor<16x16xi8>, tensor<16xi32>) outs(%e : tensor<8x8x16xi8>) requant #dwsep.requant<mult = [3], shift = [6], clamp = [-128, 127]> -> tensor<8x8x16xi8>
  %y3 = dwsep.pointwise ins(%y2, %w, %b : tensor<8x8x16xi8>, tensor<16x16xi8>, tensor<16xi32>) outs(%e : tensor<8x8x16xi8>) requant #dwsep.requant<mult = [3], shift = [6], clamp = [-128, 127]> -> tensor<8x8x16xi8>
  return %y3 : tensor<8x8x16xi8>
}
