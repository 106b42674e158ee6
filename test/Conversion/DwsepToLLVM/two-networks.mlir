// Two networks compiled apart link into one program: the kernels (named
// after their configuration, so both objects have the same names) and the
// layers' functions are local to each object; what each exports is its
// entry point and its L3 image, whose symbol the second takes from
// image-symbol= (the header defines DWSEP_L3_IMAGE as it). With the same
// image symbol, that is the one clash. A name that is not a C identifier,
// or names another symbol of the module, is an error (two-networks-invalid).
// RUN: dwsep-opt %s --dwsep-gap8-pipeline="l1-budget=2000 object=%t.a.o header=%t.a.h" -o /dev/null
// RUN: sed 's/@net_a/@net_b/' %s | dwsep-opt --dwsep-gap8-pipeline="l1-budget=2000 object=%t.b.o" -o /dev/null
// RUN: sed 's/@net_a/@net_b/' %s | dwsep-opt --dwsep-gap8-pipeline="l1-budget=2000 image-symbol=net_b_l3_image object=%t.b2.o header=%t.b2.h" -o /dev/null
// RUN: llvm-nm --defined-only %t.a.o | FileCheck %s --check-prefix=SYMS
// RUN: llvm-nm --defined-only --extern-only %t.a.o | FileCheck %s --check-prefix=GLOBAL
// RUN: not ld.lld -r %t.a.o %t.b.o -o %t.ab.o 2>&1 | FileCheck %s --check-prefix=CLASH
// RUN: ld.lld -r %t.a.o %t.b2.o -o %t.ab.o
// RUN: llvm-nm --defined-only --extern-only %t.ab.o | FileCheck %s --check-prefix=LINKED
// RUN: FileCheck %s --check-prefix=HEADER-A < %t.a.h
// RUN: FileCheck %s --check-prefix=HEADER-B < %t.b2.h
// SYMS-DAG: t __dwsep_k_
// SYMS-DAG: t net_a__{{[a-z]+}}_0
// SYMS-DAG: T net_a
// GLOBAL: R dwsep_l3_image
// GLOBAL-NEXT: T net_a
// GLOBAL-NOT: {{.}}
// CLASH: duplicate symbol: dwsep_l3_image
// CLASH-NOT: duplicate symbol
// LINKED: R dwsep_l3_image
// LINKED-NEXT: T net_a
// LINKED-NEXT: T net_b
// LINKED-NEXT: R net_b_l3_image
// LINKED-NOT: {{.}}
// HEADER-A: #define DWSEP_L3_IMAGE dwsep_l3_image
// HEADER-A: extern const int8_t dwsep_l3_image[
// HEADER-B: #define DWSEP_L3_IMAGE net_b_l3_image
// HEADER-B: extern const int8_t net_b_l3_image[

func.func @net_a(%x: tensor<8x8x16xi8>) -> tensor<8x8x16xi8> {
  %w = arith.constant dense<1> : tensor<16x16xi8>
  %b = arith.constant dense<2> : tensor<16xi32>
  %e = tensor.empty() : tensor<8x8x16xi8>
  %y0 = dwsep.pointwise ins(%x, %w, %b : tensor<8x8x16xi8>, tensor<16x16xi8>, tensor<16xi32>) outs(%e : tensor<8x8x16xi8>) requant #dwsep.requant<mult = [3], shift = [6], clamp = [-128, 127]> -> tensor<8x8x16xi8>
  %wd = arith.constant dense<2> : tensor<3x3x16xi8>
  %y1 = dwsep.depthwise ins(%y0, %wd, %b : tensor<8x8x16xi8>, tensor<3x3x16xi8>, tensor<16xi32>) outs(%e : tensor<8x8x16xi8>) pad [1, 1, 1, 1] requant #dwsep.requant<mult = [3], shift = [6], clamp = [-128, 127]> -> tensor<8x8x16xi8>
  return %y1 : tensor<8x8x16xi8>
}
