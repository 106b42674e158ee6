// By default (requant-rows) a per-channel requantization's rows travel with
// the weights, and --dwsep-fold-bias has folded the bias into them (the
// rounding term R = 7 * mult + 2): the L3 image holds the 16 rows of two
// halfwords (multiplier, R) after the weights (128 B), 192 B in all, staged
// with them (one transfer more), and the constant table in code memory
// keeps only the header. With fold-bias=false the bias (64 B) comes between
// them, 224 B and two transfers more. With requant-rows=false the rows stay
// in the code's halfword table @__dwsep_rq16.
// RUN: dwsep-opt %s --dwsep-gap8-pipeline | FileCheck %s --check-prefix=STAGED
// RUN: dwsep-opt %s --dwsep-gap8-pipeline="report=-" -o /dev/null | FileCheck %s --check-prefix=STAGED-REPORT
// RUN: dwsep-opt %s --dwsep-gap8-pipeline="fold-bias=false" | FileCheck %s --check-prefix=UNFOLDED
// RUN: dwsep-opt %s --dwsep-gap8-pipeline="fold-bias=false report=-" -o /dev/null | FileCheck %s --check-prefix=UNFOLDED-REPORT
// RUN: dwsep-opt %s --dwsep-gap8-pipeline="requant-rows=false" | FileCheck %s --check-prefix=TABLE
// RUN: dwsep-opt %s --dwsep-gap8-pipeline="requant-rows=false report=-" -o /dev/null | FileCheck %s --check-prefix=TABLE-REPORT
// STAGED: llvm.mlir.global external constant @dwsep_l3_image(dense<"0x02020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020300170004001E000500250006002C000700330008003A00090041000A0048000B004F000C0056000D005D000E0064000F006B00100072001100790012008000"> : tensor<192xi8>)
// STAGED: llvm.mlir.global private constant @__dwsep_rq(dense<[0, -128, 127, 0, 2]> : tensor<5xi32>)
// STAGED-NOT: __dwsep_rq16
// STAGED-REPORT: pointwise_0 4x16 576 192 0 128 192 256 0 6
// UNFOLDED: llvm.mlir.global external constant @dwsep_l3_image(dense<"0x02020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020700000007000000070000000700000007000000070000000700000007000000070000000700000007000000070000000700000007000000070000000700000003000400050006000700080009000A000B000C000D000E000F00100011001200"> : tensor<224xi8>)
// UNFOLDED: llvm.mlir.global private constant @__dwsep_rq(dense<[0, -128, 127, 0, 2, 2]> : tensor<6xi32>)
// UNFOLDED-REPORT: pointwise_0 4x16 608 224 0 128 224 256 0 8
// TABLE: @dwsep_l3_image({{.*}} : tensor<128xi8>)
// TABLE: llvm.mlir.global private constant @__dwsep_rq16(dense<[3, 23, 4, 30, 5, 37, 6, 44, 7, 51, 8, 58, 9, 65, 10, 72, 11, 79, 12, 86, 13, 93, 14, 100, 15, 107, 16, 114, 17, 121, 18, 128]> : tensor<32xi16>)
// TABLE-REPORT: pointwise_0 4x16 512 128 0 128 128 256 0 4
func.func @pw(%x: tensor<4x4x8xi8>) -> tensor<4x4x16xi8> {
  %w = arith.constant dense<2> : tensor<16x8xi8>
  %b = arith.constant dense<7> : tensor<16xi32>
  %e = tensor.empty() : tensor<4x4x16xi8>
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<4x4x8xi8>, tensor<16x8xi8>, tensor<16xi32>)
         outs(%e : tensor<4x4x16xi8>) requant <mult = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18], shift = [2], clamp = [-128, 127]> -> tensor<4x4x16xi8>
  return %y : tensor<4x4x16xi8>
}
