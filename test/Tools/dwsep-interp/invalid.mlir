// RUN: not dwsep-interp %s 2>&1 | FileCheck %s

// CHECK: error: dwsep-interp cannot evaluate this op
func.func @main(%a: tensor<4xi8>) -> tensor<4xi8> {
  %0 = arith.addi %a, %a : tensor<4xi8>
  return %0 : tensor<4xi8>
}
