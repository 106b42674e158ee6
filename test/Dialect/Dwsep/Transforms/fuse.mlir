// RUN: dwsep-opt %s --split-input-file --dwsep-fuse="fusion=all remarks=true" --verify-diagnostics | FileCheck %s
// RUN: dwsep-opt %s --split-input-file --dwsep-fuse="fusion=none" | FileCheck %s --check-prefix=NONE
// RUN: dwsep-opt %s --split-input-file --dwsep-fuse="fusion=pw-dw" | FileCheck %s --check-prefix=PWDW
// RUN: dwsep-opt %s --split-input-file --dwsep-fuse="fusion=auto variant=3" | FileCheck %s --check-prefix=VAR3
// RUN: dwsep-opt %s --split-input-file --dwsep-fuse="fusion=all variant=1" | FileCheck %s --check-prefix=VAR1

#rq7 = #dwsep.requant<mult = [1], shift = [4], zp = 7, clamp = [0, 255]>
#rq = #dwsep.requant<mult = [1], shift = [5], clamp = [0, 255]>

// DW->PW: the fused op takes the depthwise input, input_zp, stride and
// padding, the pointwise destination; the intermediate's element type is
// mid_type and its zero point the dw requant's zp (= the pw input_zp). All
// ops are HWC, so the variant is the HWC one (1).
// CHECK-LABEL: func.func @dw_pw
// CHECK-SAME: (%[[X:.*]]: tensor<8x8x16xui8>, %[[DWW:.*]]: tensor<3x3x16xi8>, %[[DWB:.*]]: tensor<16xi32>, %[[PWW:.*]]: tensor<32x16xi8>, %[[PWB:.*]]: tensor<32xi32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<8x8x32xui8>
// CHECK-NEXT: %[[Y:.*]] = dwsep.fused ins(%[[X]] : tensor<8x8x16xui8>) dw(%[[DWW]], %[[DWB]] : {{.*}}) pw(%[[PWW]], %[[PWB]] : {{.*}}) outs(%[[E]] : tensor<8x8x32xui8>)
// CHECK-SAME: variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type ui8 pad [1, 1, 1, 1] input_zp 3
// CHECK-SAME: dw_requant <mult = [1], shift = [4], zp = 7, clamp = [0, 255]> pw_requant <mult = [1], shift = [5], clamp = [0, 255]>
// CHECK-NEXT: return %[[Y]]
// NONE-LABEL: func.func @dw_pw
// NONE: dwsep.depthwise
// NONE: dwsep.pointwise
// PWDW-LABEL: func.func @dw_pw
// PWDW: dwsep.depthwise
// PWDW: dwsep.pointwise
func.func @dw_pw(%x: tensor<8x8x16xui8>, %dww: tensor<3x3x16xi8>, %dwb: tensor<16xi32>,
                 %pww: tensor<32x16xi8>, %pwb: tensor<32xi32>) -> tensor<8x8x32xui8> {
  %e0 = tensor.empty() : tensor<8x8x16xui8>
  %a = dwsep.depthwise ins(%x, %dww, %dwb : tensor<8x8x16xui8>, tensor<3x3x16xi8>, tensor<16xi32>)
         outs(%e0 : tensor<8x8x16xui8>) pad [1, 1, 1, 1] input_zp 3 requant #rq7 -> tensor<8x8x16xui8>
  %e1 = tensor.empty() : tensor<8x8x32xui8>
  %b = dwsep.pointwise ins(%a, %pww, %pwb : tensor<8x8x16xui8>, tensor<32x16xi8>, tensor<32xi32>)
         outs(%e1 : tensor<8x8x32xui8>) input_zp 7 requant #rq -> tensor<8x8x32xui8>
  return %b : tensor<8x8x32xui8>
}

// -----

#rq7 = #dwsep.requant<mult = [1], shift = [4], zp = 7, clamp = [0, 255]>
#rq = #dwsep.requant<mult = [1], shift = [5], clamp = [0, 255]>

// PW->DW in CHW, stride 2: the only CHW PW->DW kernel is variant 7; the
// pw requant is the first half's.
// CHECK-LABEL: func.func @pw_dw_chw
// CHECK: dwsep.fused ins(%{{.*}} : tensor<8x16x16xui8>)
// CHECK-SAME: variant <pw_dw, input = chw, mid = chw, output = chw, split = channels> mid_type ui8 stride [2, 2] pad [1, 1, 1, 1] input_zp 3
// CHECK-SAME: dw_requant <mult = [1], shift = [5], clamp = [0, 255]> pw_requant <mult = [1], shift = [4], zp = 7, clamp = [0, 255]>
// CHECK-SAME: -> tensor<24x8x8xui8>
// PWDW-LABEL: func.func @pw_dw_chw
// PWDW: dwsep.fused
func.func @pw_dw_chw(%x: tensor<8x16x16xui8>, %pww: tensor<24x8xi8>, %pwb: tensor<24xi32>,
                     %dww: tensor<3x3x24xi8>, %dwb: tensor<24xi32>) -> tensor<24x8x8xui8> {
  %e0 = tensor.empty() : tensor<24x16x16xui8>
  %a = dwsep.pointwise ins(%x, %pww, %pwb : tensor<8x16x16xui8>, tensor<24x8xi8>, tensor<24xi32>)
         outs(%e0 : tensor<24x16x16xui8>) layout <chw> input_zp 3 requant #rq7 -> tensor<24x16x16xui8>
  %e1 = tensor.empty() : tensor<24x8x8xui8>
  %b = dwsep.depthwise ins(%a, %dww, %dwb : tensor<24x16x16xui8>, tensor<3x3x24xi8>, tensor<24xi32>)
         outs(%e1 : tensor<24x8x8xui8>) layout <chw> stride [2, 2] pad [1, 1, 1, 1] input_zp 7 requant #rq -> tensor<24x8x8xui8>
  return %b : tensor<24x8x8xui8>
}

// -----

#rq7 = #dwsep.requant<mult = [1], shift = [4], zp = 7, clamp = [0, 255]>
#rq = #dwsep.requant<mult = [1], shift = [5], clamp = [0, 255]>

// The pointwise input_zp (5) is not the depthwise requant's zp (7): the
// fused kernel has one intermediate zero point, so the pair stays apart.
// CHECK-LABEL: func.func @zero_point_mismatch
// CHECK-NOT: dwsep.fused
func.func @zero_point_mismatch(%x: tensor<8x8x16xui8>, %dww: tensor<3x3x16xi8>, %dwb: tensor<16xi32>,
                               %pww: tensor<32x16xi8>, %pwb: tensor<32xi32>) -> tensor<8x8x32xui8> {
  %e0 = tensor.empty() : tensor<8x8x16xui8>
  %a = dwsep.depthwise ins(%x, %dww, %dwb : tensor<8x8x16xui8>, tensor<3x3x16xi8>, tensor<16xi32>)
         outs(%e0 : tensor<8x8x16xui8>) pad [1, 1, 1, 1] input_zp 3 requant #rq7 -> tensor<8x8x16xui8>
  %e1 = tensor.empty() : tensor<8x8x32xui8>
  // expected-remark @+1 {{not fused with the dwsep.depthwise that produces its input: the second op's input_zp 5 differs from the first op's requant zp 7}}
  %b = dwsep.pointwise ins(%a, %pww, %pwb : tensor<8x8x16xui8>, tensor<32x16xi8>, tensor<32xi32>)
         outs(%e1 : tensor<8x8x32xui8>) input_zp 5 requant #rq -> tensor<8x8x32xui8>
  return %b : tensor<8x8x32xui8>
}

// -----

#rq7 = #dwsep.requant<mult = [1], shift = [4], zp = 7, clamp = [0, 255]>
#rq = #dwsep.requant<mult = [1], shift = [5], clamp = [0, 255]>
#wide = #dwsep.requant<mult = [1], shift = [0], clamp = [-2147483648, 2147483647]>

// The depthwise result is also read by a residual add: the intermediate
// would have to reach L2 anyway, so the pair is not fused.
// CHECK-LABEL: func.func @multiple_uses
// CHECK-NOT: dwsep.fused
func.func @multiple_uses(%x: tensor<8x8x16xui8>, %dww: tensor<3x3x16xi8>, %dwb: tensor<16xi32>,
                         %pww: tensor<16x16xi8>, %pwb: tensor<16xi32>) -> tensor<8x8x16xui8> {
  %e0 = tensor.empty() : tensor<8x8x16xui8>
  %a = dwsep.depthwise ins(%x, %dww, %dwb : tensor<8x8x16xui8>, tensor<3x3x16xi8>, tensor<16xi32>)
         outs(%e0 : tensor<8x8x16xui8>) pad [1, 1, 1, 1] input_zp 3 requant #rq7 -> tensor<8x8x16xui8>
  %e1 = tensor.empty() : tensor<8x8x16xui8>
  // expected-remark @+1 {{the intermediate tensor<8x8x16xui8> has 2 uses}}
  %b = dwsep.pointwise ins(%a, %pww, %pwb : tensor<8x8x16xui8>, tensor<16x16xi8>, tensor<16xi32>)
         outs(%e1 : tensor<8x8x16xui8>) input_zp 7 requant #rq -> tensor<8x8x16xui8>
  %e2 = tensor.empty() : tensor<8x8x16xui8>
  %c = dwsep.add ins(%b, %a : tensor<8x8x16xui8>, tensor<8x8x16xui8>) outs(%e2 : tensor<8x8x16xui8>)
         rhs_zp 7 lhs_requant #wide rhs_requant #wide requant #rq -> tensor<8x8x16xui8>
  return %c : tensor<8x8x16xui8>
}

// -----

#rq7 = #dwsep.requant<mult = [1], shift = [4], zp = 7, clamp = [0, 255]>
#rq = #dwsep.requant<mult = [1], shift = [5], clamp = [0, 255]>
#wide = #dwsep.requant<mult = [1], shift = [0], clamp = [-2147483648, 2147483647]>

// A residual add between the depthwise and the pointwise: not a chain.
// CHECK-LABEL: func.func @add_in_between
// CHECK-NOT: dwsep.fused
func.func @add_in_between(%x: tensor<8x8x16xui8>, %dww: tensor<3x3x16xi8>, %dwb: tensor<16xi32>,
                          %pww: tensor<16x16xi8>, %pwb: tensor<16xi32>) -> tensor<8x8x16xui8> {
  %e0 = tensor.empty() : tensor<8x8x16xui8>
  %a = dwsep.depthwise ins(%x, %dww, %dwb : tensor<8x8x16xui8>, tensor<3x3x16xi8>, tensor<16xi32>)
         outs(%e0 : tensor<8x8x16xui8>) pad [1, 1, 1, 1] input_zp 3 requant #rq7 -> tensor<8x8x16xui8>
  %e1 = tensor.empty() : tensor<8x8x16xui8>
  %s = dwsep.add ins(%a, %x : tensor<8x8x16xui8>, tensor<8x8x16xui8>) outs(%e1 : tensor<8x8x16xui8>)
         lhs_zp 7 rhs_zp 3 lhs_requant #wide rhs_requant #wide requant #rq7 -> tensor<8x8x16xui8>
  %e2 = tensor.empty() : tensor<8x8x16xui8>
  %b = dwsep.pointwise ins(%s, %pww, %pwb : tensor<8x8x16xui8>, tensor<16x16xi8>, tensor<16xi32>)
         outs(%e2 : tensor<8x8x16xui8>) input_zp 7 requant #rq -> tensor<8x8x16xui8>
  return %b : tensor<8x8x16xui8>
}

// -----

#rq7 = #dwsep.requant<mult = [1], shift = [4], zp = 7, clamp = [0, 255]>
#rq = #dwsep.requant<mult = [1], shift = [5], clamp = [0, 255]>

// The depthwise writes CHW but the pointwise reads HWC (the types agree
// only because H = W = C): the layouts are inconsistent.
// CHECK-LABEL: func.func @layout_mismatch
// CHECK-NOT: dwsep.fused
func.func @layout_mismatch(%x: tensor<8x8x8xui8>, %dww: tensor<3x3x8xi8>, %dwb: tensor<8xi32>,
                           %pww: tensor<8x8xi8>, %pwb: tensor<8xi32>) -> tensor<8x8x8xui8> {
  %e0 = tensor.empty() : tensor<8x8x8xui8>
  %a = dwsep.depthwise ins(%x, %dww, %dwb : tensor<8x8x8xui8>, tensor<3x3x8xi8>, tensor<8xi32>)
         outs(%e0 : tensor<8x8x8xui8>) layout <chw> pad [1, 1, 1, 1] input_zp 3 requant #rq7 -> tensor<8x8x8xui8>
  %e1 = tensor.empty() : tensor<8x8x8xui8>
  // expected-remark @+1 {{the first op writes chw but the second reads hwc}}
  %b = dwsep.pointwise ins(%a, %pww, %pwb : tensor<8x8x8xui8>, tensor<8x8xi8>, tensor<8xi32>)
         outs(%e1 : tensor<8x8x8xui8>) input_zp 7 requant #rq -> tensor<8x8x8xui8>
  return %b : tensor<8x8x8xui8>
}

// -----

#rq7 = #dwsep.requant<mult = [1], shift = [4], zp = 7, clamp = [0, 255]>
#rq = #dwsep.requant<mult = [1], shift = [5], clamp = [0, 255]>

// PW->DW->PW (an inverted residual block without the add): the depthwise
// can pair with either pointwise; only the pairing predicted to save more
// is fused (here DW->PW: the 8-channel projection is cheap to recompute
// per tile and its 16x16x48 input never travels to L2).
// CHECK-LABEL: func.func @overlap
// CHECK: dwsep.pointwise
// CHECK: dwsep.fused {{.*}} variant <dw_pw
// CHECK-NOT: dwsep.fused
// A variant to be forced (--dwsep-gap8-pipeline="variant=N") makes `all`
// and `auto` fuse the pairs of its order: variant 3 is PW->DW, variant 1
// DW->PW.
// VAR3-LABEL: func.func @overlap
// VAR3: dwsep.fused {{.*}} variant <pw_dw
// VAR3: dwsep.pointwise
// VAR3-NOT: dwsep.fused
// VAR1-LABEL: func.func @overlap
// VAR1: dwsep.pointwise
// VAR1: dwsep.fused {{.*}} variant <dw_pw
// VAR1-NOT: dwsep.fused
func.func @overlap(%x: tensor<16x16x8xui8>, %w1: tensor<48x8xi8>, %b1: tensor<48xi32>,
                   %dww: tensor<3x3x48xi8>, %dwb: tensor<48xi32>,
                   %w2: tensor<8x48xi8>, %b2: tensor<8xi32>) -> tensor<16x16x8xui8> {
  %e0 = tensor.empty() : tensor<16x16x48xui8>
  %a = dwsep.pointwise ins(%x, %w1, %b1 : tensor<16x16x8xui8>, tensor<48x8xi8>, tensor<48xi32>)
         outs(%e0 : tensor<16x16x48xui8>) input_zp 3 requant #rq7 -> tensor<16x16x48xui8>
  %e1 = tensor.empty() : tensor<16x16x48xui8>
  %b = dwsep.depthwise ins(%a, %dww, %dwb : tensor<16x16x48xui8>, tensor<3x3x48xi8>, tensor<48xi32>)
         outs(%e1 : tensor<16x16x48xui8>) pad [1, 1, 1, 1] input_zp 7 requant #rq7 -> tensor<16x16x48xui8>
  %e2 = tensor.empty() : tensor<16x16x8xui8>
  %c = dwsep.pointwise ins(%b, %w2, %b2 : tensor<16x16x48xui8>, tensor<8x48xi8>, tensor<8xi32>)
         outs(%e2 : tensor<16x16x8xui8>) input_zp 7 requant #rq -> tensor<16x16x8xui8>
  return %c : tensor<16x16x8xui8>
}
