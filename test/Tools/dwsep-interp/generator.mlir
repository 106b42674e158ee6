// RUN: dwsep-interp %s --seed=7 | FileCheck %s
// RUN: dwsep-interp %s --seed=7 --print-values=false | FileCheck %s --check-prefix=SUM

// The argument generator (docs/import.md): state = seed; per element, in
// argument order and row-major order, state = state * 1664525 + 1013904223
// (mod 2^32); an i8 element is the byte state >> 24, an i32 element is state.
// From seed 7: bytes 61, 233, 156, 237, then states 211918734, 3675562389.
// CHECK:      result0: [61, -23, -100, -19]
// CHECK-NEXT: result0 fnv1a: 0xa5229ed0
// CHECK-NEXT: result1: [211918734, -619404907]
// SUM-NOT:    result0:
// SUM:        result0 fnv1a:
func.func @main(%a: tensor<2x2xi8>, %b: tensor<2xi32>) -> (tensor<4xi8>, tensor<2xi32>) {
  %f = tensor.collapse_shape %a [[0, 1]] : tensor<2x2xi8> into tensor<4xi8>
  return %f, %b : tensor<4xi8>, tensor<2xi32>
}
