// RUN: dwsep-opt %s --dwsep-gap8-pipeline="l1-budget=2000 pieces=1 object=%t.one.o header=%t.one.h" -o /dev/null
// RUN: dwsep-opt %s --dwsep-gap8-pipeline="l1-budget=2000 pieces=2 object=%t.two.o header=%t.two.h" -o /dev/null
// RUN: dwsep-opt %s --dwsep-gap8-pipeline="l1-budget=2000 pieces=3 object=%t.three.o header=%t.three.h" -o /dev/null
// RUN: not cmp -s %t.one.o %t.two.o
// RUN: diff %t.one.h %t.two.h
// RUN: diff %t.one.h %t.three.h
// RUN: llvm-nm %t.one.o | awk '$(NF-1) ~ /^[TtUR]$/ {print $(NF-1), $NF}' | sort > %t.one.syms
// RUN: llvm-nm %t.two.o | awk '$(NF-1) ~ /^[TtUR]$/ {print $(NF-1), $NF}' | sort > %t.two.syms
// RUN: llvm-nm %t.three.o | awk '$(NF-1) ~ /^[TtUR]$/ {print $(NF-1), $NF}' | sort > %t.three.syms
// RUN: diff %t.one.syms %t.two.syms
// RUN: diff %t.one.syms %t.three.syms
// RUN: FileCheck %s < %t.two.syms
// RUN: not grep " T __dwsep_k_" %t.two.syms
// RUN: ld.lld --unresolved-symbols=ignore-all -e pw %t.one.o -o %t.one.elf
// RUN: ld.lld --unresolved-symbols=ignore-all -e pw %t.two.o -o %t.two.elf
// RUN: ld.lld --unresolved-symbols=ignore-all -e pw %t.three.o -o %t.three.elf
// RUN: llvm-objdump -d --no-show-raw-insn %t.one.elf | tail -n +3 > %t.one.dis
// RUN: llvm-objdump -d --no-show-raw-insn %t.two.elf | tail -n +3 > %t.two.dis
// RUN: llvm-objdump -d --no-show-raw-insn %t.three.elf | tail -n +3 > %t.three.dis
// RUN: diff %t.one.dis %t.two.dis
// RUN: diff %t.one.dis %t.three.dis
// RUN: FileCheck %s --check-prefix=DIS < %t.two.dis

// With object=, the module is compiled in pieces at once (pieces=N; by
// default one a thread of the MLIR context, at most 4), each translated
// and compiled in its own LLVM context, and the pieces' objects are linked
// back into one (ld.lld -r, then --localize-hidden in-process). The result must be the
// object of one piece in all that matters: the same functions with the
// same binding (the kernels, their fork bodies and the layers' functions
// local, the entry global),
// the same undefined runtime calls, the L3 image, the same stack frames
// read back from it (the header states them, and the stack check uses
// them), and, linked, the same code in the same order (each piece takes
// consecutive functions, and `ld.lld -r` lays the pieces out one after the
// other: where code lies in GAP8's instruction cache moves its cycles). The
// object files differ in their symbol tables and sections' bookkeeping, and
// in their relocations: a call of a local function (a layer's, see
// --dwsep-outline-layers) is resolved in one piece, relocated across two.

// CHECK-DAG: R dwsep_l3_image
// CHECK-DAG: T pw
// CHECK-DAG: t pw__pointwise_0
// CHECK-DAG: t __dwsep_k_{{.*}}_fork{{[0-9]+}}
// CHECK-DAG: t __dwsep_k_
// CHECK-DAG: U dwsep_rt_fork
// CHECK-DAG: U dwsep_rt_dma_rows
// The entry, then its layers' functions, then the kernels.
// DIS: <pw>:
// DIS: <pw__pointwise_0>:
// DIS: <__dwsep_k_

func.func @pw(%x: tensor<8x8x16xi8>) -> tensor<8x8x16xi8> {
  %w = arith.constant dense<1> : tensor<16x16xi8>
  %b = arith.constant dense<2> : tensor<16xi32>
  %e = tensor.empty() : tensor<8x8x16xi8>
  %y0 = dwsep.pointwise ins(%x, %w, %b : tensor<8x8x16xi8>, tensor<16x16xi8>, tensor<16xi32>) outs(%e : tensor<8x8x16xi8>) requant #dwsep.requant<mult = [3], shift = [6], clamp = [-128, 127]> -> tensor<8x8x16xi8>
  %wd = arith.constant dense<2> : tensor<3x3x16xi8>
  %y1 = dwsep.depthwise ins(%y0, %wd, %b : tensor<8x8x16xi8>, tensor<3x3x16xi8>, tensor<16xi32>) outs(%e : tensor<8x8x16xi8>) pad [1, 1, 1, 1] requant #dwsep.requant<mult = [3], shift = [6], clamp = [-128, 127]> -> tensor<8x8x16xi8>
  %y2 = dwsep.pointwise ins(%y1, %w, %b : tensor<8x8x16xi8>, tensor<16x16xi8>, tensor<16xi32>) outs(%e : tensor<8x8x16xi8>) requant #dwsep.requant<mult = [3], shift = [6], clamp = [-128, 127]> -> tensor<8x8x16xi8>
  return %y2 : tensor<8x8x16xi8>
}
