// RUN: dwsep-opt %s --split-input-file --dwsep-set-target="chip=gap9 cores=8 l1-size=65536 l2-size=524288 byte-price=0" --dwsep-fuse=fusion=all --dwsep-select-variant | FileCheck %s
// RUN: dwsep-opt %s --split-input-file --dwsep-set-target="chip=gap9 cores=8 l1-size=65536 l2-size=524288 byte-price=0" --dwsep-fuse=fusion=all --dwsep-select-variant=variant=3 | FileCheck %s --check-prefix=V3
// RUN: dwsep-opt %s --split-input-file --dwsep-set-target="chip=gap9 cores=8 l1-size=65536 l2-size=524288 byte-price=0" --dwsep-fuse=fusion=all --dwsep-select-variant=variant=unfused | FileCheck %s --check-prefix=UNFUSED

// Every block is fused by --dwsep-fuse (fusion=all) as written; selection
// then weighs every legal variant and the unfused pair (each half in either
// layout) under the cost model and the function's fixed boundary layouts.
// The scenarios are priced with PULP-NN-class kernel costs (the gap9
// preset's, on a GAP8-sized 8-core cluster), where the CHW depthwise kernel
// is much faster than the HWC one; which variant wins a shape depends on the
// costs, and under GAP8's measured RV32IMC costs (the gap8 preset) the two
// depthwise layouts cost about the same.
// The candidates with their own cycles and bytes are kept on the chosen op.

// A 64x64 DW->PW block with few channels, written CHW: the 64x64x8
// intermediate would cost a full L1->L2->L1 round trip unfused; variant 2
// (CHW in/out, HWC intermediate) runs the depthwise half in its fast CHW
// kernel and the pointwise half on HWC rows. Variant 1 runs the depthwise
// in HWC (0.35 vs 0.6 MAC/cycle/core).
// CHECK-LABEL: func.func @variant2_wins
// CHECK-SAME: dwsep.predicted_cycles = 100021
// CHECK: dwsep.fused {{.*}} variant <dw_pw, input = chw, mid = hwc, output = chw, split = rows>
// CHECK-SAME: dwsep.candidates = #dwsep.choice<chosen = 1, candidates = [#dwsep.candidate<"variant 1", cycles = 143889, bytes = {{[0-9]+}}>, #dwsep.candidate<"variant 2", cycles = 100021, bytes = {{[0-9]+}}>, {{.*}}#dwsep.candidate<"unfused hwc/hwc"
// V3-LABEL: func.func @variant2_wins
// V3: dwsep.fused {{.*}} variant <dw_pw, input = chw
// UNFUSED-LABEL: func.func @variant2_wins
// UNFUSED-NOT: dwsep.fused
func.func @variant2_wins(%x: tensor<8x64x64xui8>, %dww: tensor<3x3x8xi8>, %dwb: tensor<8xi32>, %pww: tensor<16x8xi8>, %pwb: tensor<16xi32>) -> tensor<16x64x64xui8> {
  %e0 = tensor.empty() : tensor<8x64x64xui8>
  %a = dwsep.depthwise ins(%x, %dww, %dwb : tensor<8x64x64xui8>, tensor<3x3x8xi8>, tensor<8xi32>) outs(%e0 : tensor<8x64x64xui8>) layout <chw> stride [1, 1] pad [1, 1, 1, 1] input_zp 3 requant #dwsep.requant<mult = [1], shift = [4], zp = 7, clamp = [0, 255]> -> tensor<8x64x64xui8>
  %e1 = tensor.empty() : tensor<16x64x64xui8>
  %b = dwsep.pointwise ins(%a, %pww, %pwb : tensor<8x64x64xui8>, tensor<16x8xi8>, tensor<16xi32>) outs(%e1 : tensor<16x64x64xui8>) layout <chw> input_zp 7 requant #dwsep.requant<mult = [1], shift = [4], zp = 0, clamp = [0, 255]> -> tensor<16x64x64xui8>
  return %b : tensor<16x64x64xui8>
}

// -----

// PW->DW with only 8 intermediate channels over 32x32: splitting 8
// channels over 8 cores leaves each core one channel, while the pointwise
// kernel computes 4 channels at a time (kChannelBlock), so the channel
// variants (5-7) waste 3/4 of the pointwise work; the row variant with a CHW
// intermediate (4) keeps all cores busy on row bands, and its halo
// recompute (2 rows per 4-row band) costs less.
// CHECK-LABEL: func.func @variant4_wins
// CHECK: dwsep.fused {{.*}} variant <pw_dw, input = hwc, mid = chw, output = hwc, split = rows>
// CHECK-SAME: #dwsep.choice<chosen = 1, candidates = [#dwsep.candidate<"variant 3", {{.*}}>, #dwsep.candidate<"variant 4", cycles = 21880,
// The forced variant 3 (HWC intermediate, rows) is legal here.
// V3-LABEL: func.func @variant4_wins
// V3: dwsep.fused {{.*}} variant <pw_dw, input = hwc, mid = hwc, output = hwc, split = rows>
// V3-SAME: #dwsep.choice<chosen = 0, candidates = [#dwsep.candidate<"variant 3", cycles = 32847,
// UNFUSED-LABEL: func.func @variant4_wins
// UNFUSED: dwsep.pointwise
// UNFUSED: dwsep.depthwise
func.func @variant4_wins(%x: tensor<32x32x8xui8>, %pww: tensor<8x8xi8>, %pwb: tensor<8xi32>, %dww: tensor<3x3x8xi8>, %dwb: tensor<8xi32>) -> tensor<32x32x8xui8> {
  %e0 = tensor.empty() : tensor<32x32x8xui8>
  %a = dwsep.pointwise ins(%x, %pww, %pwb : tensor<32x32x8xui8>, tensor<8x8xi8>, tensor<8xi32>) outs(%e0 : tensor<32x32x8xui8>) layout <hwc> input_zp 3 requant #dwsep.requant<mult = [1], shift = [4], zp = 7, clamp = [0, 255]> -> tensor<32x32x8xui8>
  %e1 = tensor.empty() : tensor<32x32x8xui8>
  %b = dwsep.depthwise ins(%a, %dww, %dwb : tensor<32x32x8xui8>, tensor<3x3x8xi8>, tensor<8xi32>) outs(%e1 : tensor<32x32x8xui8>) layout <hwc> stride [1, 1] pad [1, 1, 1, 1] input_zp 7 requant #dwsep.requant<mult = [1], shift = [4], zp = 0, clamp = [0, 255]> -> tensor<32x32x8xui8>
  return %b : tensor<32x32x8xui8>
}

// -----

// PW->DW expanding 16 to 96 channels on a 4x4 map: plenty of channels
// for every core and few rows (4 rows leave half the cores without a band,
// and each band is 1 row plus a 2-row halo, tripling the pointwise work), so the channel variant with a
// CHW intermediate (6) wins.
// CHECK-LABEL: func.func @variant6_wins
// CHECK: dwsep.fused {{.*}} variant <pw_dw, input = hwc, mid = chw, output = hwc, split = channels>
// CHECK-SAME: #dwsep.choice<chosen = 3, candidates = [{{.*}}#dwsep.candidate<"variant 6", cycles = 5476,
func.func @variant6_wins(%x: tensor<4x4x16xui8>, %pww: tensor<96x16xi8>, %pwb: tensor<96xi32>, %dww: tensor<3x3x96xi8>, %dwb: tensor<96xi32>) -> tensor<4x4x96xui8> {
  %e0 = tensor.empty() : tensor<4x4x96xui8>
  %a = dwsep.pointwise ins(%x, %pww, %pwb : tensor<4x4x16xui8>, tensor<96x16xi8>, tensor<96xi32>) outs(%e0 : tensor<4x4x96xui8>) layout <hwc> input_zp 3 requant #dwsep.requant<mult = [1], shift = [4], zp = 7, clamp = [0, 255]> -> tensor<4x4x96xui8>
  %e1 = tensor.empty() : tensor<4x4x96xui8>
  %b = dwsep.depthwise ins(%a, %dww, %dwb : tensor<4x4x96xui8>, tensor<3x3x96xi8>, tensor<96xi32>) outs(%e1 : tensor<4x4x96xui8>) layout <hwc> stride [1, 1] pad [1, 1, 1, 1] input_zp 7 requant #dwsep.requant<mult = [1], shift = [4], zp = 0, clamp = [0, 255]> -> tensor<4x4x96xui8>
  return %b : tensor<4x4x96xui8>
}

// -----

// A 4x4 DW->PW block with 128 -> 256 channels (late MobileNetV1): the
// pointwise weights (32 KiB) leave room for a few output channels per
// tile. A tile holds all 4 rows, so the fused kernel computes the
// depthwise half once, in the first slice's tile, and the later slices
// reuse the intermediate in L1 (reuse_mid; before, every slice computed
// it again and unfused CHW/HWC won). Variant 1, HWC throughout, now costs
// about what unfused CHW/HWC does without its two relayouts.
// CHECK-LABEL: func.func @fused_keeps_intermediate
// CHECK-NOT: dwsep.relayout
// CHECK: dwsep.fused {{.*}} variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows>
// CHECK-SAME: #dwsep.choice<chosen = 0, candidates = [#dwsep.candidate<"variant 1", cycles = 43962, {{.*}}#dwsep.candidate<"unfused chw/hwc", cycles = 43355,
// CHECK-NOT: dwsep.relayout
func.func @fused_keeps_intermediate(%x: tensor<4x4x128xui8>, %dww: tensor<3x3x128xi8>, %dwb: tensor<128xi32>, %pww: tensor<256x128xi8>, %pwb: tensor<256xi32>) -> tensor<4x4x256xui8> {
  %e0 = tensor.empty() : tensor<4x4x128xui8>
  %a = dwsep.depthwise ins(%x, %dww, %dwb : tensor<4x4x128xui8>, tensor<3x3x128xi8>, tensor<128xi32>) outs(%e0 : tensor<4x4x128xui8>) layout <hwc> stride [1, 1] pad [1, 1, 1, 1] input_zp 3 requant #dwsep.requant<mult = [1], shift = [4], zp = 7, clamp = [0, 255]> -> tensor<4x4x128xui8>
  %e1 = tensor.empty() : tensor<4x4x256xui8>
  %b = dwsep.pointwise ins(%a, %pww, %pwb : tensor<4x4x128xui8>, tensor<256x128xi8>, tensor<256xi32>) outs(%e1 : tensor<4x4x256xui8>) layout <hwc> input_zp 7 requant #dwsep.requant<mult = [1], shift = [4], zp = 0, clamp = [0, 255]> -> tensor<4x4x256xui8>
  return %b : tensor<4x4x256xui8>
}

// -----

// Not greedy: alone, variant 2 (68,164 cycles) beats unfused CHW/HWC
// (76,782), but the function reads and writes HWC, so variant 2 would need
// relayouts of both the input and the 32x32x32 output, while the unfused
// pair needs only the input's: the program picks the cheaper total.
// CHECK-LABEL: func.func @boundary
// CHECK-SAME: dwsep.predicted_cycles = 83202
// CHECK: dwsep.relayout {{.*}} -> tensor<16x32x32xui8>
// CHECK: dwsep.depthwise {{.*}} layout <chw> {{.*}}#dwsep.choice<chosen = 4, candidates = [{{.*}}#dwsep.candidate<"variant 2", cycles = 68164, {{.*}}#dwsep.candidate<"unfused chw/hwc", cycles = 76782,
// CHECK: dwsep.pointwise {{.*}} -> tensor<32x32x32xui8>
// CHECK: return %{{.*}} : tensor<32x32x32xui8>
func.func @boundary(%x: tensor<32x32x16xui8>, %dww: tensor<3x3x16xi8>, %dwb: tensor<16xi32>, %pww: tensor<32x16xi8>, %pwb: tensor<32xi32>) -> tensor<32x32x32xui8> {
  %e0 = tensor.empty() : tensor<32x32x16xui8>
  %a = dwsep.depthwise ins(%x, %dww, %dwb : tensor<32x32x16xui8>, tensor<3x3x16xi8>, tensor<16xi32>) outs(%e0 : tensor<32x32x16xui8>) layout <hwc> stride [1, 1] pad [1, 1, 1, 1] input_zp 3 requant #dwsep.requant<mult = [1], shift = [4], zp = 7, clamp = [0, 255]> -> tensor<32x32x16xui8>
  %e1 = tensor.empty() : tensor<32x32x32xui8>
  %b = dwsep.pointwise ins(%a, %pww, %pwb : tensor<32x32x16xui8>, tensor<32x16xi8>, tensor<32xi32>) outs(%e1 : tensor<32x32x32xui8>) layout <hwc> input_zp 7 requant #dwsep.requant<mult = [1], shift = [4], zp = 0, clamp = [0, 255]> -> tensor<32x32x32xui8>
  return %b : tensor<32x32x32xui8>
}

// -----

#rq = #dwsep.requant<mult = [1], shift = [4], zp = 64, clamp = [0, 255]>
#wide = #dwsep.requant<mult = [1], shift = [0], clamp = [-2147483648, 2147483647]>

// No fusion possible (the residual add reads the pointwise result and the
// input): only layouts are chosen. The depthwise runs in CHW, so the input
// is relayouted once for it and the add reads the original HWC input; the
// shapes of every rewritten destination follow (shape = memory shape:
// H=16, W=8, C=16 is 16x8x16 in HWC and 16x16x8 in CHW).
// CHECK-LABEL: func.func @residual
// CHECK: %[[R:.*]] = dwsep.relayout ins(%[[X:.*]] : tensor<16x8x16xui8>) outs(%{{.*}} : tensor<16x16x8xui8>) from <hwc> to <chw> -> tensor<16x16x8xui8>
// CHECK: %[[D:.*]] = dwsep.depthwise ins(%[[R]], {{.*}} outs(%{{.*}} : tensor<16x16x8xui8>) layout <chw> {{.*}} -> tensor<16x16x8xui8>
// CHECK: %[[B:.*]] = dwsep.relayout ins(%[[D]] : tensor<16x16x8xui8>) {{.*}} -> tensor<16x8x16xui8>
// CHECK: %[[P:.*]] = dwsep.pointwise ins(%[[B]], {{.*}} -> tensor<16x8x16xui8>
// CHECK: dwsep.add ins(%[[P]], %[[X]] : tensor<16x8x16xui8>, tensor<16x8x16xui8>)
func.func @residual(%x: tensor<16x8x16xui8>, %dww: tensor<3x3x16xi8>, %dwb: tensor<16xi32>,
                    %pww: tensor<16x16xi8>, %pwb: tensor<16xi32>) -> tensor<16x8x16xui8> {
  %e0 = tensor.empty() : tensor<16x8x16xui8>
  %a = dwsep.depthwise ins(%x, %dww, %dwb : tensor<16x8x16xui8>, tensor<3x3x16xi8>, tensor<16xi32>)
         outs(%e0 : tensor<16x8x16xui8>) pad [1, 1, 1, 1] input_zp 64 requant #rq -> tensor<16x8x16xui8>
  %e1 = tensor.empty() : tensor<16x8x16xui8>
  %b = dwsep.pointwise ins(%a, %pww, %pwb : tensor<16x8x16xui8>, tensor<16x16xi8>, tensor<16xi32>)
         outs(%e1 : tensor<16x8x16xui8>) input_zp 63 requant #rq -> tensor<16x8x16xui8>
  %e2 = tensor.empty() : tensor<16x8x16xui8>
  %c = dwsep.add ins(%b, %x : tensor<16x8x16xui8>, tensor<16x8x16xui8>) outs(%e2 : tensor<16x8x16xui8>)
         lhs_zp 64 rhs_zp 64 lhs_requant #wide rhs_requant #wide requant #rq -> tensor<16x8x16xui8>
  return %c : tensor<16x8x16xui8>
}
