// By default (requant-rows) a per-channel requantization's rows travel with
// the weights: the L3 image holds the 16 halfword multipliers after the
// weights (128 B) and the bias (64 B), 224 B in all, they are staged with
// them (two more transfers), and the constant table in code memory keeps
// only the header. With requant-rows=false they stay in the code's
// halfword table @__dwsep_rq16.
// RUN: dwsep-opt %s --dwsep-gap8-pipeline | FileCheck %s --check-prefix=STAGED
// RUN: dwsep-opt %s --dwsep-gap8-pipeline="report=-" -o /dev/null | FileCheck %s --check-prefix=STAGED-REPORT
// RUN: dwsep-opt %s --dwsep-gap8-pipeline="requant-rows=false" | FileCheck %s --check-prefix=TABLE
// RUN: dwsep-opt %s --dwsep-gap8-pipeline="requant-rows=false report=-" -o /dev/null | FileCheck %s --check-prefix=TABLE-REPORT
// STAGED: llvm.mlir.global external constant @dwsep_l3_image(dense<"0x02020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020700000007000000070000000700000007000000070000000700000007000000070000000700000007000000070000000700000007000000070000000700000003000400050006000700080009000A000B000C000D000E000F00100011001200"> : tensor<224xi8>)
// STAGED: llvm.mlir.global private constant @__dwsep_rq(dense<[0, -128, 127, 0, 2, 2]> : tensor<6xi32>)
// STAGED-NOT: __dwsep_rq16
// STAGED-REPORT: pointwise_0 4x16 608 224 0 128 224 256 0 8
// TABLE: @dwsep_l3_image({{.*}} : tensor<192xi8>)
// TABLE: llvm.mlir.global private constant @__dwsep_rq16(dense<[3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]> : tensor<16xi16>)
// TABLE-REPORT: pointwise_0 4x16 576 192 0 128 192 256 0 6
func.func @pw(%x: tensor<4x4x8xi8>) -> tensor<4x4x16xi8> {
  %w = arith.constant dense<2> : tensor<16x8xi8>
  %b = arith.constant dense<7> : tensor<16xi32>
  %e = tensor.empty() : tensor<4x4x16xi8>
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<4x4x8xi8>, tensor<16x8xi8>, tensor<16xi32>)
         outs(%e : tensor<4x4x16xi8>) requant <mult = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18], shift = [2], clamp = [-128, 127]> -> tensor<4x4x16xi8>
  return %y : tensor<4x4x16xi8>
}
