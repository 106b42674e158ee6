// RUN: not dwsep-opt %s --dwsep-select-variant=variant=8 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: not dwsep-opt %s --dwsep-select-variant=variant=fast 2>&1 | FileCheck %s --check-prefix=WORD
// RUN: not dwsep-opt %s --dwsep-fuse=fusion=some 2>&1 | FileCheck %s --check-prefix=FUSE
// RUN: not dwsep-opt %s --dwsep-fuse="fusion=all variant=8" 2>&1 | FileCheck %s --check-prefix=FUSEVAR
// RUN: dwsep-opt %s --dwsep-fuse=fusion=all --dwsep-select-variant=variant=1 --verify-diagnostics | FileCheck %s

// RANGE: error: dwsep-select-variant: unknown variant '8', expected 1..7 or unfused
// WORD: error: dwsep-select-variant: unknown variant 'fast', expected 1..7 or unfused
// FUSE: error: dwsep-fuse: unknown fusion mode 'some', expected none, dw-pw, pw-dw, all or auto
// FUSEVAR: error: dwsep-fuse: unknown variant 8, expected 1..7 (0: none)

#rq7 = #dwsep.requant<mult = [1], shift = [4], zp = 7, clamp = [0, 255]>
#rq = #dwsep.requant<mult = [1], shift = [5], clamp = [0, 255]>

// Variant 1 is DW->PW; this block is PW->DW, so the forced variant does
// not apply: a remark says so and the cost model chooses.
// CHECK-LABEL: func.func @pw_dw
// CHECK: dwsep.fused {{.*}} variant <pw_dw
func.func @pw_dw(%x: tensor<8x8x16xui8>, %pww: tensor<32x16xi8>, %pwb: tensor<32xi32>,
                 %dww: tensor<3x3x32xi8>, %dwb: tensor<32xi32>) -> tensor<8x8x32xui8> {
  %e0 = tensor.empty() : tensor<8x8x32xui8>
  // The fused op's location is that of both ops; diagnostics point at the first.
  // expected-remark @+1 {{variant 1 cannot compute this block (its order is dw_pw); the cost model chooses instead}}
  %a = dwsep.pointwise ins(%x, %pww, %pwb : tensor<8x8x16xui8>, tensor<32x16xi8>, tensor<32xi32>)
         outs(%e0 : tensor<8x8x32xui8>) input_zp 3 requant #rq7 -> tensor<8x8x32xui8>
  %e1 = tensor.empty() : tensor<8x8x32xui8>
  %b = dwsep.depthwise ins(%a, %dww, %dwb : tensor<8x8x32xui8>, tensor<3x3x32xi8>, tensor<32xi32>)
         outs(%e1 : tensor<8x8x32xui8>) pad [1, 1, 1, 1] input_zp 7 requant #rq -> tensor<8x8x32xui8>
  return %b : tensor<8x8x32xui8>
}
