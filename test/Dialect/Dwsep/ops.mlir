// RUN: dwsep-opt %s | FileCheck %s
// Round trip: print, parse again, and compare with the generic form too.
// RUN: dwsep-opt %s | dwsep-opt | FileCheck %s
// RUN: dwsep-opt %s --mlir-print-op-generic | dwsep-opt | FileCheck %s

#rq_u8 = #dwsep.requant<mult = [1], shift = [4], clamp = [0, 255]>
#rq_i8 = #dwsep.requant<mult = [3], shift = [6], clamp = [-128, 127]>

// CHECK-LABEL: func @conv2d
func.func @conv2d(%x: tensor<32x32x3xui8>, %w: tensor<8x3x3x3xi8>, %b: tensor<8xi32>,
                  %init: tensor<16x16x8xui8>) -> tensor<16x16x8xui8> {
  // CHECK: dwsep.conv2d ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<32x32x3xui8>, tensor<8x3x3x3xi8>, tensor<8xi32>)
  // CHECK-SAME: outs(%{{.*}} : tensor<16x16x8xui8>) stride [2, 2] pad [1, 1, 0, 0] input_zp 7
  // CHECK-SAME: requant <mult = [1], shift = [4], clamp = [0, 255]> -> tensor<16x16x8xui8>
  %y = dwsep.conv2d ins(%x, %w, %b : tensor<32x32x3xui8>, tensor<8x3x3x3xi8>, tensor<8xi32>)
         outs(%init : tensor<16x16x8xui8>) stride [2, 2] pad [1, 1, 0, 0] input_zp 7
         requant #rq_u8 -> tensor<16x16x8xui8>
  return %y : tensor<16x16x8xui8>
}

// CHECK-LABEL: func @conv2d_chw_memref
func.func @conv2d_chw_memref(%x: memref<3x9x9xi8>, %w: memref<4x5x5x3xi8>, %b: memref<4xi32>,
                             %out: memref<4x5x5xi8>) {
  // CHECK: dwsep.conv2d ins({{.*}}) outs(%{{.*}} : memref<4x5x5xi8>) layout <chw>
  // CHECK-SAME: pad [2, 2, 2, 2]
  // CHECK-NOT: ->
  dwsep.conv2d ins(%x, %w, %b : memref<3x9x9xi8>, memref<4x5x5x3xi8>, memref<4xi32>)
    outs(%out : memref<4x5x5xi8>) layout <chw> stride [2, 2] pad [2, 2, 2, 2] requant #rq_i8
  return
}

// CHECK-LABEL: func @depthwise
func.func @depthwise(%x: tensor<8x16x16xi8>, %w: tensor<3x3x8xi8>, %b: tensor<8xi32>,
                     %init: tensor<8x8x8xi8>) -> tensor<8x8x8xi8> {
  // CHECK: dwsep.depthwise ins({{.*}}) outs(%{{.*}} : tensor<8x8x8xi8>) layout <chw> stride [2, 2]
  // CHECK-SAME: pad [1, 1, 1, 1] input_zp -128
  // CHECK-SAME: requant <mult = [1518500250], shift = [38], zp = -128, clamp = [-128, 127], rounding = double_round>
  %y = dwsep.depthwise ins(%x, %w, %b : tensor<8x16x16xi8>, tensor<3x3x8xi8>, tensor<8xi32>)
         outs(%init : tensor<8x8x8xi8>) layout <chw> stride [2, 2] pad [1, 1, 1, 1]
         input_zp -128 requant #dwsep.requant<mult = [1518500250], shift = [38],
         zp = -128, clamp = [-128, 127], rounding = double_round> -> tensor<8x8x8xi8>
  return %y : tensor<8x8x8xi8>
}

// CHECK-LABEL: func @depthwise_memref_l1
func.func @depthwise_memref_l1(%x: memref<6x6x5xui8, #dwsep.level<l1>>,
                               %w: memref<3x3x5xi8, #dwsep.level<l1>>,
                               %b: memref<5xi32, #dwsep.level<l1>>,
                               %out: memref<4x4x5xui8, #dwsep.level<l1>>) {
  // CHECK: dwsep.depthwise {{.*}} memref<4x4x5xui8, #dwsep.level<l1>>
  dwsep.depthwise ins(%x, %w, %b : memref<6x6x5xui8, #dwsep.level<l1>>,
                      memref<3x3x5xi8, #dwsep.level<l1>>, memref<5xi32, #dwsep.level<l1>>)
    outs(%out : memref<4x4x5xui8, #dwsep.level<l1>>) requant #rq_u8
  return
}

// CHECK-LABEL: func @pointwise
func.func @pointwise(%x: tensor<8x8x16xui8>, %w: tensor<32x16xi8>, %b: tensor<32xi32>,
                     %init: tensor<8x8x32xui8>) -> tensor<8x8x32xui8> {
  // CHECK: dwsep.pointwise ins({{.*}}) outs(%{{.*}} : tensor<8x8x32xui8>)
  // CHECK-SAME: requant <mult = [7], shift = [10], add = [-3], clamp = [0, 255], rounding = floor>
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<8x8x16xui8>, tensor<32x16xi8>, tensor<32xi32>)
         outs(%init : tensor<8x8x32xui8>)
         requant #dwsep.requant<mult = [7], shift = [10], add = [-3], clamp = [0, 255], rounding = floor>
         -> tensor<8x8x32xui8>
  return %y : tensor<8x8x32xui8>
}

// Without a bias (zero; --dwsep-fold-bias removes a folded one), on
// memrefs, and a fused op with neither half's.
// CHECK-LABEL: func @no_bias
func.func @no_bias(%x: memref<2x3x4xui8>, %w: memref<3x4xi8>, %out: memref<2x3x3xui8>,
                   %fx: tensor<4x4x2xui8>, %dw: tensor<3x3x2xi8>, %pw: tensor<3x2xi8>,
                   %fe: tensor<4x4x3xui8>) -> tensor<4x4x3xui8> {
  // CHECK: dwsep.pointwise ins(%{{.*}}, %{{.*}} : memref<2x3x4xui8>, memref<3x4xi8>) outs
  dwsep.pointwise ins(%x, %w : memref<2x3x4xui8>, memref<3x4xi8>)
    outs(%out : memref<2x3x3xui8>)
    requant #dwsep.requant<mult = [3], shift = [8], add = [5, 6, 7], clamp = [0, 255]>
  // CHECK: dwsep.fused ins(%{{.*}} : tensor<4x4x2xui8>) dw(%{{.*}} : tensor<3x3x2xi8>) pw(%{{.*}} : tensor<3x2xi8>) outs
  %y = dwsep.fused ins(%fx : tensor<4x4x2xui8>) dw(%dw : tensor<3x3x2xi8>)
         pw(%pw : tensor<3x2xi8>) outs(%fe : tensor<4x4x3xui8>)
         variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows>
         mid_type ui8 pad [1, 1, 1, 1]
         dw_requant #dwsep.requant<mult = [1], shift = [2], clamp = [0, 255]>
         pw_requant #dwsep.requant<mult = [2], shift = [3], clamp = [0, 255]>
         -> tensor<4x4x3xui8>
  return %y : tensor<4x4x3xui8>
}

// Per-channel requantization (the folded batch norm of PULP-NN).
// CHECK-LABEL: func @pointwise_per_channel
func.func @pointwise_per_channel(%x: memref<2x3x4xui8>, %w: memref<3x4xi8>, %b: memref<3xi32>,
                                 %out: memref<2x3x3xui8>) {
  // CHECK: dwsep.pointwise
  // CHECK-NOT: layout
  // CHECK-SAME: requant <mult = [3, 5, 7], shift = [8], add = [128, -64, 0], clamp = [0, 255], rounding = floor>
  dwsep.pointwise ins(%x, %w, %b : memref<2x3x4xui8>, memref<3x4xi8>, memref<3xi32>)
    outs(%out : memref<2x3x3xui8>) layout <hwc>
    requant #dwsep.requant<mult = [3, 5, 7], shift = [8], add = [128, -64, 0], clamp = [0, 255], rounding = floor>
  return
}

// Variant 6 of the paper: PW->DW, HWC in and out, CHW intermediate.
// CHECK-LABEL: func @fused_pw_dw
func.func @fused_pw_dw(%x: tensor<8x8x16xi8>, %dww: tensor<3x3x32xi8>, %dwb: tensor<32xi32>,
                       %pww: tensor<32x16xi8>, %pwb: tensor<32xi32>,
                       %init: tensor<8x8x32xi8>) -> tensor<8x8x32xi8> {
  // CHECK: dwsep.fused ins(%{{.*}} : tensor<8x8x16xi8>)
  // CHECK-SAME: dw(%{{.*}}, %{{.*}} : tensor<3x3x32xi8>, tensor<32xi32>)
  // CHECK-SAME: pw(%{{.*}}, %{{.*}} : tensor<32x16xi8>, tensor<32xi32>)
  // CHECK-SAME: variant <pw_dw, input = hwc, mid = chw, output = hwc, split = channels> mid_type i8
  // CHECK-SAME: pad [1, 1, 1, 1]
  %y = dwsep.fused ins(%x : tensor<8x8x16xi8>)
         dw(%dww, %dwb : tensor<3x3x32xi8>, tensor<32xi32>)
         pw(%pww, %pwb : tensor<32x16xi8>, tensor<32xi32>)
         outs(%init : tensor<8x8x32xi8>)
         variant <pw_dw, input = hwc, mid = chw, output = hwc, split = channels>
         mid_type i8 pad [1, 1, 1, 1]
         dw_requant #rq_i8 pw_requant #dwsep.requant<mult = [5], shift = [7], clamp = [-128, 127]>
         -> tensor<8x8x32xi8>
  return %y : tensor<8x8x32xi8>
}

// Variant 2: DW->PW, CHW in and out, stride 2.
// CHECK-LABEL: func @fused_dw_pw
func.func @fused_dw_pw(%x: memref<16x9x9xui8>, %dww: memref<3x3x16xi8>, %dwb: memref<16xi32>,
                       %pww: memref<24x16xi8>, %pwb: memref<24xi32>, %out: memref<24x5x5xui8>) {
  // CHECK: variant <dw_pw, input = chw, mid = hwc, output = chw, split = rows> mid_type ui8 stride [2, 2] pad [1, 1, 1, 1] input_zp 3
  dwsep.fused ins(%x : memref<16x9x9xui8>)
    dw(%dww, %dwb : memref<3x3x16xi8>, memref<16xi32>)
    pw(%pww, %pwb : memref<24x16xi8>, memref<24xi32>)
    outs(%out : memref<24x5x5xui8>)
    variant <dw_pw, input = chw, mid = hwc, output = chw, split = rows>
    mid_type ui8 stride [2, 2] pad [1, 1, 1, 1] input_zp 3
    dw_requant #rq_u8 pw_requant #rq_u8
  return
}

// CHECK-LABEL: func @add
func.func @add(%a: tensor<8x8x16xi8>, %b: tensor<8x8x16xi8>, %init: tensor<8x8x16xi8>) -> tensor<8x8x16xi8> {
  // CHECK: dwsep.add ins(%{{.*}}, %{{.*}} : tensor<8x8x16xi8>, tensor<8x8x16xi8>) outs(%{{.*}} : tensor<8x8x16xi8>) lhs_zp 3 rhs_zp -2
  // CHECK-SAME: lhs_requant <mult = [1073741824], shift = [10], clamp = [-2147483648, 2147483647]>
  // CHECK-SAME: requant <mult = [1073741824], shift = [50], zp = 1, clamp = [-128, 127]>
  %y = dwsep.add ins(%a, %b : tensor<8x8x16xi8>, tensor<8x8x16xi8>)
         outs(%init : tensor<8x8x16xi8>) lhs_zp 3 rhs_zp -2
         lhs_requant #dwsep.requant<mult = [1073741824], shift = [10], clamp = [-2147483648, 2147483647]>
         rhs_requant #dwsep.requant<mult = [1073741824], shift = [11], clamp = [-2147483648, 2147483647]>
         requant #dwsep.requant<mult = [1073741824], shift = [50], zp = 1, clamp = [-128, 127]>
         -> tensor<8x8x16xi8>
  return %y : tensor<8x8x16xi8>
}

// CHECK-LABEL: func @avgpool
func.func @avgpool(%x: tensor<4x4x64xui8>, %init: tensor<1x1x64xui8>) -> tensor<1x1x64xui8> {
  // CHECK: dwsep.avgpool ins(%{{.*}} : tensor<4x4x64xui8>) outs(%{{.*}} : tensor<1x1x64xui8>) kernel [4, 4] stride [4, 4]
  %y = dwsep.avgpool ins(%x : tensor<4x4x64xui8>) outs(%init : tensor<1x1x64xui8>)
         kernel [4, 4] stride [4, 4] requant #rq_u8 -> tensor<1x1x64xui8>
  return %y : tensor<1x1x64xui8>
}

// CHECK-LABEL: func @avgpool_chw
func.func @avgpool_chw(%x: memref<5x7x7xi8>, %out: memref<5x3x3xi8>) {
  // CHECK: kernel [3, 3] stride [2, 2] layout <chw> input_zp -5
  dwsep.avgpool ins(%x : memref<5x7x7xi8>) outs(%out : memref<5x3x3xi8>)
    kernel [3, 3] stride [2, 2] layout <chw> input_zp -5 requant #rq_i8
  return
}

// CHECK-LABEL: func @linear
func.func @linear(%x: tensor<1x1x64xi8>, %w: tensor<10x64xi8>, %b: tensor<10xi32>,
                  %init: tensor<10xi8>) -> tensor<10xi8> {
  // CHECK: dwsep.linear ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<1x1x64xi8>, tensor<10x64xi8>, tensor<10xi32>) outs(%{{.*}} : tensor<10xi8>)
  %y = dwsep.linear ins(%x, %w, %b : tensor<1x1x64xi8>, tensor<10x64xi8>, tensor<10xi32>)
         outs(%init : tensor<10xi8>) requant #rq_i8 -> tensor<10xi8>
  return %y : tensor<10xi8>
}

// CHECK-LABEL: func @linear_vector
func.func @linear_vector(%x: memref<7xui8>, %w: memref<3x7xi8>, %b: memref<3xi32>, %out: memref<1x1x3xui8>) {
  // CHECK: dwsep.linear {{.*}} input_zp 128
  dwsep.linear ins(%x, %w, %b : memref<7xui8>, memref<3x7xi8>, memref<3xi32>)
    outs(%out : memref<1x1x3xui8>) input_zp 128 requant #rq_u8
  return
}

// CHECK-LABEL: func @relayout
func.func @relayout(%x: tensor<4x6x8xi8>, %i1: tensor<8x4x6xi8>, %i2: tensor<4x6x8xi8>) -> tensor<4x6x8xi8> {
  // CHECK: dwsep.relayout ins(%{{.*}} : tensor<4x6x8xi8>) outs(%{{.*}} : tensor<8x4x6xi8>) from <hwc> to <chw> -> tensor<8x4x6xi8>
  %y = dwsep.relayout ins(%x : tensor<4x6x8xi8>) outs(%i1 : tensor<8x4x6xi8>) from <hwc> to <chw> -> tensor<8x4x6xi8>
  // CHECK: dwsep.relayout ins(%{{.*}} : tensor<8x4x6xi8>) outs(%{{.*}} : tensor<4x6x8xi8>) from <chw> to <hwc> -> tensor<4x6x8xi8>
  %z = dwsep.relayout ins(%y : tensor<8x4x6xi8>) outs(%i2 : tensor<4x6x8xi8>) from <chw> to <hwc> -> tensor<4x6x8xi8>
  return %z : tensor<4x6x8xi8>
}

// CHECK-LABEL: func @dma
func.func @dma(%l3: memref<64xi8, #dwsep.level<l3>>, %l2: memref<4x16xi8, #dwsep.level<l2>>,
               %l1: memref<2x4x16xi8, #dwsep.level<l1>>, %b1: memref<8xi32, #dwsep.level<l1>>,
               %b2: memref<8xi32, #dwsep.level<l2>>) {
  %c0 = arith.constant 0 : index
  %w3 = memref.view %l3[%c0][] : memref<64xi8, #dwsep.level<l3>> to memref<4x16xi8, #dwsep.level<l3>>
  // CHECK: %[[T0:.*]] = dwsep.dma_start %{{.*}}, %{{.*}} weights : memref<4x16xi8, #dwsep.level<l3>> to memref<4x16xi8, #dwsep.level<l2>>
  %t0 = dwsep.dma_start %w3, %l2 weights : memref<4x16xi8, #dwsep.level<l3>> to memref<4x16xi8, #dwsep.level<l2>>
  // CHECK: dwsep.dma_wait %[[T0]]
  dwsep.dma_wait %t0
  %s = memref.subview %l1[1, 0, 0] [1, 4, 16] [1, 1, 1] : memref<2x4x16xi8, #dwsep.level<l1>> to memref<4x16xi8, strided<[16, 1], offset: 64>, #dwsep.level<l1>>
  // CHECK: dwsep.dma_start {{.*}} : memref<4x16xi8, #dwsep.level<l2>> to memref<4x16xi8, strided<[16, 1], offset: 64>, #dwsep.level<l1>>
  %t1 = dwsep.dma_start %l2, %s : memref<4x16xi8, #dwsep.level<l2>> to memref<4x16xi8, strided<[16, 1], offset: 64>, #dwsep.level<l1>>
  // A transposing transfer (the layout change rides on the DMA).
  %tr = memref.transpose %l2 (d0, d1) -> (d1, d0) : memref<4x16xi8, #dwsep.level<l2>> to memref<16x4xi8, strided<[1, 16]>, #dwsep.level<l2>>
  %l1b = memref.alloca() : memref<16x4xi8, #dwsep.level<l1>>
  // CHECK: dwsep.dma_start {{.*}} : memref<16x4xi8, strided<[1, 16]>, #dwsep.level<l2>> to memref<16x4xi8, #dwsep.level<l1>>
  %t2 = dwsep.dma_start %tr, %l1b : memref<16x4xi8, strided<[1, 16]>, #dwsep.level<l2>> to memref<16x4xi8, #dwsep.level<l1>>
  // CHECK: dwsep.dma_start {{.*}} : memref<8xi32, #dwsep.level<l1>> to memref<8xi32, #dwsep.level<l2>>
  %t3 = dwsep.dma_start %b1, %b2 : memref<8xi32, #dwsep.level<l1>> to memref<8xi32, #dwsep.level<l2>>
  // CHECK: dwsep.dma_wait %{{.*}}, %{{.*}}, %{{.*}}
  dwsep.dma_wait %t1, %t2, %t3
  return
}

// CHECK-LABEL: func @layer
func.func @layer(%x: memref<2x2x4xi8, #dwsep.level<l1>>, %w: memref<3x4xi8, #dwsep.level<l1>>,
                 %b: memref<3xi32, #dwsep.level<l1>>, %y: memref<2x2x3xi8, #dwsep.level<l1>>) {
  // CHECK: dwsep.layer "pointwise_0" attributes {l1_bytes = 40 : i64, tile = array<i64: 2, 3>} {
  // CHECK-NEXT: dwsep.pointwise
  // CHECK-NEXT: }
  dwsep.layer "pointwise_0" attributes {l1_bytes = 40 : i64, tile = array<i64: 2, 3>} {
    dwsep.pointwise ins(%x, %w, %b : memref<2x2x4xi8, #dwsep.level<l1>>, memref<3x4xi8, #dwsep.level<l1>>, memref<3xi32, #dwsep.level<l1>>)
      outs(%y : memref<2x2x3xi8, #dwsep.level<l1>>) requant #rq_i8
  }
  return
}
