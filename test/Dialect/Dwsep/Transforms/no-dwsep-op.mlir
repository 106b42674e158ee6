// Every pass reads #dwsep.target, so each must load the dwsep dialect itself:
// on a module without any dwsep op (and no dwsep.target) they used to
// segfault in TargetAttr::getPreset.
// RUN: dwsep-opt %s --dwsep-lower-kernels | FileCheck %s
// RUN: dwsep-opt %s --dwsep-to-llvm | FileCheck %s --check-prefix=LLVM
// RUN: dwsep-opt %s --dwsep-check-memory | FileCheck %s
// RUN: dwsep-opt %s --dwsep-report=output=%t.report | FileCheck %s
// RUN: dwsep-opt %s --dwsep-pipeline-dma | FileCheck %s
// RUN: dwsep-opt %s --dwsep-tile | FileCheck %s
// RUN: dwsep-opt %s --dwsep-plan-memory | FileCheck %s
// CHECK-LABEL: func.func @f(
// CHECK-NEXT: return
// LLVM-LABEL: llvm.func @f(
func.func @f(%x: memref<2x4xui8>, %y: memref<4x2x2xui8>) {
  return
}
