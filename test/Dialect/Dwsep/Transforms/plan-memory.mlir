// Staging slots live only during their layer here; prefetch-weights (the
// default) is tested in pipeline-dma.mlir.
// RUN: dwsep-opt %s --split-input-file --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --buffer-results-to-out-params=modify-public-functions --dwsep-plan-memory=prefetch-weights=false | FileCheck %s

// The input (315 B) is dead after the depthwise, so the output and the
// pointwise weights reuse its bytes (the host writes the input before the
// call and reads the output after it); weights are staged from the L3 image
// into L2 inside each layer.
// CHECK: module attributes {dwsep.l3_size = 176 : i64}
// CHECK-DAG: memref.global "private" constant @[[DW:.*]] : memref<3x3x5xi8> = dense<1> {{{.*}}dwsep.l3_offset = 0 : i64
// CHECK-DAG: memref.global "private" constant @{{.*}} : memref<5xi32> = dense<[1, 2, 3, 4, 5]> {{{.*}}dwsep.l3_offset = 48 : i64
// CHECK-DAG: memref.global "private" constant @{{.*}} : memref<12x5xi8> = dense<2> {{{.*}}dwsep.l3_offset = 68 : i64
// CHECK-DAG: memref.global "private" constant @{{.*}} : memref<12xi32> = dense<7> {{{.*}}dwsep.l3_offset = 128 : i64
// CHECK-LABEL: func.func @net
// CHECK-SAME: (%[[L1:.*]]: memref<44116xi8, #dwsep.level<l1>>, %[[L2:.*]]: memref<484xi8, #dwsep.level<l2>>, %[[L3:.*]]: memref<176xi8, #dwsep.level<l3>>)
// CHECK-SAME: dwsep.arguments = [#dwsep.argument<kind = input, level = l2, offset = 0, type = memref<9x7x5xi8>>, #dwsep.argument<kind = output, level = l2, offset = 0, type = memref<5x4x12xi8>>]
// CHECK-SAME: dwsep.l1_size = 44116 : i64, dwsep.l2_size = 484 : i64
// CHECK-DAG: %[[OUT:.*]] = memref.view %[[L2]][%c0{{.*}}][] : memref<484xi8, #dwsep.level<l2>> to memref<5x4x12xi8, #dwsep.level<l2>>
// CHECK-DAG: %[[IN:.*]] = memref.view %[[L2]][%c0{{.*}}][] : memref<484xi8, #dwsep.level<l2>> to memref<9x7x5xi8, #dwsep.level<l2>>
// CHECK-DAG: %[[MID:.*]] = memref.view %[[L2]][%c316{{.*}}][] : memref<484xi8, #dwsep.level<l2>> to memref<5x4x5xi8, #dwsep.level<l2>>
// CHECK: dwsep.layer "depthwise_0" {
// CHECK:   %[[W3:.*]] = memref.view %[[L3]][%c0{{.*}}][] : {{.*}} to memref<3x3x5xi8, #dwsep.level<l3>>
// CHECK:   %[[W2:.*]] = memref.view %[[L2]][%c416{{.*}}][] : {{.*}} to memref<3x3x5xi8, #dwsep.level<l2>>
// CHECK:   %[[T0:.*]] = dwsep.dma_start %[[W3]], %[[W2]] weights
// CHECK:   %[[B2:.*]] = memref.view %[[L2]][%c464{{.*}}][] : {{.*}} to memref<5xi32, #dwsep.level<l2>>
// CHECK:   %[[T1:.*]] = dwsep.dma_start %{{.*}}, %[[B2]] weights
// CHECK:   dwsep.dma_wait %[[T0]], %[[T1]]
// CHECK:   dwsep.depthwise ins(%[[IN]], %[[W2]], %[[B2]] : {{.*}}) outs(%[[MID]] : memref<5x4x5xi8, #dwsep.level<l2>>)
// CHECK: }
// CHECK: dwsep.layer "pointwise_0" {
// CHECK:   memref.view %[[L2]][%c240{{.*}}][] : {{.*}} to memref<12x5xi8, #dwsep.level<l2>>
// CHECK:   dwsep.pointwise ins(%[[MID]], {{.*}}) outs(%[[OUT]] : memref<5x4x12xi8, #dwsep.level<l2>>)
// CHECK: }
// CHECK-NOT: memref.get_global
// CHECK-NOT: memref.alloc
// CHECK: return
module {
  func.func @net(%x: tensor<9x7x5xi8>) -> tensor<5x4x12xi8> {
    %dw = arith.constant dense<1> : tensor<3x3x5xi8>
    %db = arith.constant dense<[1, 2, 3, 4, 5]> : tensor<5xi32>
    %pw = arith.constant dense<2> : tensor<12x5xi8>
    %pb = arith.constant dense<7> : tensor<12xi32>
    %e0 = tensor.empty() : tensor<5x4x5xi8>
    %a = dwsep.depthwise ins(%x, %dw, %db : tensor<9x7x5xi8>, tensor<3x3x5xi8>, tensor<5xi32>)
           outs(%e0 : tensor<5x4x5xi8>) stride [2, 2] pad [1, 1, 1, 1]
           requant <mult = [1, 2, 3, 4, 5], shift = [3], clamp = [-128, 127]> -> tensor<5x4x5xi8>
    %e1 = tensor.empty() : tensor<5x4x12xi8>
    %b = dwsep.pointwise ins(%a, %pw, %pb : tensor<5x4x5xi8>, tensor<12x5xi8>, tensor<12xi32>)
           outs(%e1 : tensor<5x4x12xi8>) requant <mult = [3], shift = [4], clamp = [-128, 127]> -> tensor<5x4x12xi8>
    return %b : tensor<5x4x12xi8>
  }
}

// -----

// A chain of equal layers ping-pongs between two slots.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: memref<512xi8, #dwsep.level<l2>>
// CHECK-SAME: dwsep.arguments = [#dwsep.argument<kind = input, level = l2, offset = 0, type = memref<8x8x4xi8>>, #dwsep.argument<kind = output, level = l2, offset = 0, type = memref<8x8x4xi8>>]
// CHECK: dwsep.layer "relayout_0"
// CHECK: dwsep.layer "relayout_1"
// CHECK: dwsep.layer "relayout_2"
module {
  func.func @chain(%x: tensor<8x8x4xi8>) -> tensor<8x8x4xi8> {
    %e0 = tensor.empty() : tensor<4x8x8xi8>
    %a = dwsep.relayout ins(%x : tensor<8x8x4xi8>) outs(%e0 : tensor<4x8x8xi8>) from <hwc> to <chw> -> tensor<4x8x8xi8>
    %e1 = tensor.empty() : tensor<8x8x4xi8>
    %b = dwsep.relayout ins(%a : tensor<4x8x8xi8>) outs(%e1 : tensor<8x8x4xi8>) from <chw> to <hwc> -> tensor<8x8x4xi8>
    %e2 = tensor.empty() : tensor<4x8x8xi8>
    %c = dwsep.relayout ins(%b : tensor<8x8x4xi8>) outs(%e2 : tensor<4x8x8xi8>) from <hwc> to <chw> -> tensor<4x8x8xi8>
    %e3 = tensor.empty() : tensor<8x8x4xi8>
    %d = dwsep.relayout ins(%c : tensor<4x8x8xi8>) outs(%e3 : tensor<8x8x4xi8>) from <chw> to <hwc> -> tensor<8x8x4xi8>
    return %d : tensor<8x8x4xi8>
  }
}

// -----

// With a 1 KiB L2 the 1 KiB activations go to L3, after the (empty) image,
// and each relayout runs in four bands of 4 rows: fetch the band's input
// rows L3->L2, compute into an L2 staging buffer, write the band back to L3.
// Input bands alternate between two staging slots (0 and 256) so that the
// next band's fetch can overlap this band; the output slot is at 512.
// The input and the output share L3 bytes (disjoint lifetimes).
// CHECK-LABEL: func.func @streamed
// CHECK-SAME: (%{{.*}}: memref<44116xi8, #dwsep.level<l1>>, %[[L2:.*]]: memref<768xi8, #dwsep.level<l2>>, %[[L3:.*]]: memref<2048xi8, #dwsep.level<l3>>)
// CHECK-SAME: dwsep.arguments = [#dwsep.argument<kind = input, level = l3, offset = 0, type = memref<16x16x4xi8>>, #dwsep.argument<kind = output, level = l3, offset = 0, type = memref<16x16x4xi8>>]
// CHECK-SAME: dwsep.l2_size = 768 : i64, dwsep.l3_size = 2048 : i64
// CHECK-DAG: %[[X:.*]] = memref.view %[[L3]][%c0{{.*}}][] : memref<2048xi8, #dwsep.level<l3>> to memref<16x16x4xi8, #dwsep.level<l3>>
// CHECK-DAG: %[[E:.*]] = memref.view %[[L3]][%c1024{{.*}}][] : memref<2048xi8, #dwsep.level<l3>> to memref<4x16x16xi8, #dwsep.level<l3>>
// CHECK: dwsep.layer "relayout_0.band0" {
// CHECK:   %[[IN:.*]] = memref.subview %{{.*}}[0, 0, 0] [4, 16, 4] [1, 1, 1]
// CHECK:   %[[S:.*]] = memref.view %[[L2]][%c0{{.*}}][] : {{.*}} to memref<4x16x4xi8, #dwsep.level<l2>>
// CHECK:   %[[T:.*]] = dwsep.dma_start %[[IN]], %[[S]]
// CHECK:   %[[OUT:.*]] = memref.subview %[[E]][0, 0, 0] [4, 4, 16] [1, 1, 1]
// CHECK:   %[[D:.*]] = memref.view %[[L2]][%c512{{.*}}][] : {{.*}} to memref<4x4x16xi8, #dwsep.level<l2>>
// CHECK:   dwsep.dma_wait %[[T]]
// CHECK:   dwsep.relayout ins(%[[S]] : memref<4x16x4xi8, #dwsep.level<l2>>) outs(%[[D]] : memref<4x4x16xi8, #dwsep.level<l2>>)
// CHECK:   %[[W:.*]] = dwsep.dma_start %[[D]], %[[OUT]]
// CHECK:   dwsep.dma_wait %[[W]]
// CHECK: }
// The interior bands 1 and 2 are one layer in a run-time loop over the
// band: its rows (4 per band) and its input slot (band % 2) from the loop's
// value.
// CHECK: scf.for %[[B:.*]] = %c1{{.*}} to %c3{{.*}} step %c1
// CHECK:   arith.muli %[[B]], %c4{{.*}} : index
// CHECK:   %[[R:.*]] = arith.muli %[[B]], %c4{{.*}} : index
// CHECK:   dwsep.layer "relayout_0.band1-2" {
// CHECK:     memref.subview %{{.*}}[%[[R]], 0, 0] [4, 16, 4] [1, 1, 1]
// CHECK:     %[[P:.*]] = arith.remui %[[B]], %c2{{.*}} : index
// CHECK:     %[[SLOT:.*]] = arith.muli %[[P]], %c256{{.*}} : index
// CHECK:     %[[OFF:.*]] = arith.addi %c0{{.*}}, %[[SLOT]] : index
// CHECK:     memref.view %[[L2]][%[[OFF]]][] : {{.*}} to memref<4x16x4xi8, #dwsep.level<l2>>
// CHECK:     memref.subview %[[E]][0, %{{.*}}, 0] [4, 4, 16] [1, 1, 1]
// CHECK:   }
// CHECK: }
// CHECK: dwsep.layer "relayout_0.band3" {
// CHECK: dwsep.layer "relayout_1.band0" {
// CHECK: dwsep.layer "relayout_1.band1-2" {
// CHECK: dwsep.layer "relayout_1.band3" {
// CHECK-NOT: dwsep.layer
// CHECK: return
module attributes {dwsep.target = #dwsep.target<"gap8", l2_size = 1024>} {
  func.func @streamed(%x: tensor<16x16x4xi8>) -> tensor<16x16x4xi8> {
    %e0 = tensor.empty() : tensor<4x16x16xi8>
    %a = dwsep.relayout ins(%x : tensor<16x16x4xi8>) outs(%e0 : tensor<4x16x16xi8>) from <hwc> to <chw> -> tensor<4x16x16xi8>
    %e1 = tensor.empty() : tensor<16x16x4xi8>
    %b = dwsep.relayout ins(%a : tensor<4x16x16xi8>) outs(%e1 : tensor<16x16x4xi8>) from <chw> to <hwc> -> tensor<16x16x4xi8>
    return %b : tensor<16x16x4xi8>
  }
}

// -----

// A 3x3 depthwise on a 1600 B L2: the input moves to L3 and the output
// stays in L2. Only one-row bands fit next to the output and the weights;
// each fetches its three input rows (two at the borders, where the band's
// padding replaces the missing row) and writes its output row in place.
// Weights are staged by the first band only.
// CHECK-LABEL: func.func @halo
// CHECK-SAME: dwsep.arguments = [#dwsep.argument<kind = input, level = l3, offset = 104, type = memref<12x12x8xi8>>, #dwsep.argument<kind = output, level = l2, offset = 0, type = memref<12x12x8xi8>>]
// CHECK: dwsep.layer "depthwise_0.band0" {
// CHECK:   dwsep.dma_start {{.*}} weights
// CHECK:   dwsep.dma_start {{.*}} weights
// CHECK:   dwsep.dma_start %{{.*}}, %{{.*}} : memref<2x12x8xi8, strided<[96, 8, 1]>, #dwsep.level<l3>> to memref<2x12x8xi8, #dwsep.level<l2>>
// CHECK:   dwsep.depthwise {{.*}} outs(%{{.*}} : memref<1x12x8xi8, strided<[96, 8, 1]>, #dwsep.level<l2>>) pad [1, 1, 0, 1]
// The ten interior bands are one layer in a loop over the band.
// CHECK: scf.for %{{.*}} = %c1{{.*}} to %c11{{.*}} step %c1
// CHECK: dwsep.layer "depthwise_0.band1-10" {
// CHECK-NOT: weights
// CHECK:   dwsep.dma_start %{{.*}}, %{{.*}} : memref<3x12x8xi8, strided<[96, 8, 1], offset: ?>, #dwsep.level<l3>> to memref<3x12x8xi8, #dwsep.level<l2>>
// CHECK:   outs(%{{.*}} : memref<1x12x8xi8, strided<[96, 8, 1], offset: ?>, #dwsep.level<l2>>) pad [0, 1, 0, 1]
// CHECK: dwsep.layer "depthwise_0.band11" {
// CHECK:   dwsep.dma_start %{{.*}}, %{{.*}} : memref<2x12x8xi8, strided<[96, 8, 1], offset: 960>, #dwsep.level<l3>> to memref<2x12x8xi8, #dwsep.level<l2>>
// CHECK:   outs(%{{.*}} : memref<1x12x8xi8, strided<[96, 8, 1], offset: 1056>, #dwsep.level<l2>>) pad [0, 1, 1, 1]
module attributes {dwsep.target = #dwsep.target<"gap8", l2_size = 1600>} {
  func.func @halo(%x: tensor<12x12x8xi8>) -> tensor<12x12x8xi8> {
    %w = arith.constant dense<1> : tensor<3x3x8xi8>
    %bias = arith.constant dense<0> : tensor<8xi32>
    %e = tensor.empty() : tensor<12x12x8xi8>
    %y = dwsep.depthwise ins(%x, %w, %bias : tensor<12x12x8xi8>, tensor<3x3x8xi8>, tensor<8xi32>)
           outs(%e : tensor<12x12x8xi8>) stride [1, 1] pad [1, 1, 1, 1]
           requant <mult = [1], shift = [2], clamp = [-128, 127]> -> tensor<12x12x8xi8>
    return %y : tensor<12x12x8xi8>
  }
}

// -----

// Pointwise weights above a quarter of a 2 KiB L2 (1536 + 192 B) are staged
// in four groups of 12 output channels: one layer in a run-time loop over
// the group, staging the group's slice of the weights and bias, writing its
// channels of the output in place, and reading the op's whole
// requantization from the group's first channel (channel_offset).
// CHECK-LABEL: func.func @groups
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK: scf.for %[[G:.*]] = %[[C0]] to %[[C4]]
// CHECK:   %[[C12:.*]] = arith.constant 12 : index
// CHECK:   %[[FIRST:.*]] = arith.muli %[[G]], %[[C12]] : index
// CHECK:   dwsep.layer "pointwise_0.ch0-3" {
// CHECK:     memref.subview %{{.*}}[%[[FIRST]], 0] [12, 32] [1, 1] : memref<48x32xi8, #dwsep.level<l3>> to memref<12x32xi8, strided<[32, 1], offset: ?>, #dwsep.level<l3>>
// CHECK:     dwsep.dma_start %{{.*}}, %{{.*}} weights : memref<12x32xi8, strided<[32, 1], offset: ?>, #dwsep.level<l3>> to memref<12x32xi8, #dwsep.level<l2>>
// CHECK:     dwsep.dma_start %{{.*}}, %{{.*}} weights : memref<12xi32, strided<[1], offset: ?>, #dwsep.level<l3>> to memref<12xi32, #dwsep.level<l2>>
// CHECK:     memref.subview %{{.*}}[0, 0, %[[FIRST]]] [2, 2, 12] [1, 1, 1]
// CHECK:     dwsep.pointwise {{.*}} outs(%{{.*}} : memref<2x2x12xi8, strided<[96, 48, 1], offset: ?>, #dwsep.level<l2>>) channel_offset %[[FIRST]] requant <mult = [1, 2, 3, {{.*}}, 47, 48], shift = [4]
// CHECK:   }
// CHECK-NEXT: }
// CHECK-NOT: dwsep.layer
module attributes {dwsep.target = #dwsep.target<"gap8", l2_size = 2048>} {
  func.func @groups(%x: tensor<2x2x32xi8>) -> tensor<2x2x48xi8> {
    %w = arith.constant dense<1> : tensor<48x32xi8>
    %bias = arith.constant dense<3> : tensor<48xi32>
    %e = tensor.empty() : tensor<2x2x48xi8>
    %y = dwsep.pointwise ins(%x, %w, %bias : tensor<2x2x32xi8>, tensor<48x32xi8>, tensor<48xi32>)
           outs(%e : tensor<2x2x48xi8>)
           requant <mult = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48], shift = [4], clamp = [-128, 127]> -> tensor<2x2x48xi8>
    return %y : tensor<2x2x48xi8>
  }
}

// -----

// 50 channels of 36 B of weights and bias in a 512 B share: four groups of
// 13, so three equal groups in the loop and the remainder (11 channels,
// from channel 39) a layer of its own after it.
// CHECK-LABEL: func.func @remainder
// CHECK: scf.for
// CHECK:   dwsep.layer "pointwise_0.ch0-2" {
// CHECK:     dwsep.pointwise {{.*}} outs(%{{.*}} : memref<2x2x13xi8, strided<[100, 50, 1], offset: ?>, #dwsep.level<l2>>) channel_offset
// CHECK: dwsep.layer "pointwise_0.ch3" {
// CHECK:   memref.subview %{{.*}}[39, 0] [11, 32] [1, 1]
// CHECK:   %[[C39:.*]] = arith.constant 39 : index
// CHECK:   dwsep.pointwise {{.*}} outs(%{{.*}} : memref<2x2x11xi8, strided<[100, 50, 1], offset: 39>, #dwsep.level<l2>>) channel_offset %[[C39]]
// CHECK-NOT: dwsep.layer
module attributes {dwsep.target = #dwsep.target<"gap8", l2_size = 2048>} {
  func.func @remainder(%x: tensor<2x2x32xi8>) -> tensor<2x2x50xi8> {
    %w = arith.constant dense<1> : tensor<50x32xi8>
    %bias = arith.constant dense<3> : tensor<50xi32>
    %e = tensor.empty() : tensor<2x2x50xi8>
    %y = dwsep.pointwise ins(%x, %w, %bias : tensor<2x2x32xi8>, tensor<50x32xi8>, tensor<50xi32>)
           outs(%e : tensor<2x2x50xi8>)
           requant <mult = [3], shift = [4], clamp = [-128, 127]> -> tensor<2x2x50xi8>
    return %y : tensor<2x2x50xi8>
  }
}

// -----

// A fused op is grouped like a pointwise one: above a quarter of the L2,
// its weights with output channels are staged a group's slice at a time.
// DW->PW: the pointwise weights and bias are sliced (rows of the group),
// the depthwise half's weights and bias, which every output channel reads,
// are staged whole by every group (which computes that half again): 208 B
// whole and 20 B a channel in a 512 B share, so four groups of 12.
// CHECK-LABEL: func.func @fused_dw_pw
// CHECK: scf.for %[[G:.*]] = %{{.*}} to %{{.*}} step
// CHECK:   %[[FIRST:.*]] = arith.muli %[[G]], %{{.*}} : index
// CHECK:   dwsep.layer "fused_0.ch0-3" {
// CHECK:     dwsep.dma_start %{{.*}}, %{{.*}} weights : memref<3x3x16xi8, #dwsep.level<l3>> to memref<3x3x16xi8, #dwsep.level<l2>>
// CHECK:     dwsep.dma_start %{{.*}}, %{{.*}} weights : memref<16xi32, #dwsep.level<l3>> to memref<16xi32, #dwsep.level<l2>>
// CHECK:     memref.subview %{{.*}}[%[[FIRST]], 0] [12, 16] [1, 1] : memref<48x16xi8, #dwsep.level<l3>>
// CHECK:     memref.subview %{{.*}}[%[[FIRST]]] [12] [1] : memref<48xi32, #dwsep.level<l3>>
// CHECK:     dwsep.fused {{.*}} dw(%{{.*}}, %{{.*}} : memref<3x3x16xi8, #dwsep.level<l2>>, memref<16xi32, #dwsep.level<l2>>) pw(%{{.*}}, %{{.*}} : memref<12x16xi8, #dwsep.level<l2>>, memref<12xi32, #dwsep.level<l2>>) outs(%{{.*}} : memref<4x4x12xi8, strided<[192, 48, 1], offset: ?>, #dwsep.level<l2>>) channel_offset %[[FIRST]] variant <dw_pw
// CHECK-NOT: dwsep.layer
module attributes {dwsep.target = #dwsep.target<"gap8", l2_size = 2048>} {
  func.func @fused_dw_pw(%x: tensor<4x4x16xi8>) -> tensor<4x4x48xi8> {
    %dw = arith.constant dense<1> : tensor<3x3x16xi8>
    %db = arith.constant dense<2> : tensor<16xi32>
    %pw = arith.constant dense<1> : tensor<48x16xi8>
    %pb = arith.constant dense<3> : tensor<48xi32>
    %e = tensor.empty() : tensor<4x4x48xi8>
    %y = dwsep.fused ins(%x : tensor<4x4x16xi8>) dw(%dw, %db : tensor<3x3x16xi8>, tensor<16xi32>) pw(%pw, %pb : tensor<48x16xi8>, tensor<48xi32>) outs(%e : tensor<4x4x48xi8>) variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1] dw_requant <mult = [1], shift = [4], clamp = [-128, 127]> pw_requant <mult = [1], shift = [4], clamp = [-128, 127]> -> tensor<4x4x48xi8>
    return %y : tensor<4x4x48xi8>
  }
}

// -----

// PW->DW: the intermediate channels are the output channels, so both
// halves' weights are sliced: the depthwise weights along their channel
// dimension (the last), the pointwise rows, both biases.
// CHECK-LABEL: func.func @fused_pw_dw
// CHECK: scf.for %[[G:.*]] = %{{.*}} to %{{.*}} step
// CHECK:   %[[FIRST:.*]] = arith.muli %[[G]], %{{.*}} : index
// CHECK:   dwsep.layer "fused_0.ch0-3" {
// CHECK:     memref.subview %{{.*}}[0, 0, %[[FIRST]]] [3, 3, 12] [1, 1, 1] : memref<3x3x48xi8, #dwsep.level<l3>>
// CHECK:     memref.subview %{{.*}}[%[[FIRST]]] [12] [1] : memref<48xi32, #dwsep.level<l3>>
// CHECK:     memref.subview %{{.*}}[%[[FIRST]], 0] [12, 16] [1, 1] : memref<48x16xi8, #dwsep.level<l3>>
// CHECK:     memref.subview %{{.*}}[%[[FIRST]]] [12] [1] : memref<48xi32, #dwsep.level<l3>>
// CHECK:     dwsep.fused {{.*}} dw(%{{.*}}, %{{.*}} : memref<3x3x12xi8, #dwsep.level<l2>>, memref<12xi32, #dwsep.level<l2>>) pw(%{{.*}}, %{{.*}} : memref<12x16xi8, #dwsep.level<l2>>, memref<12xi32, #dwsep.level<l2>>) outs(%{{.*}} : memref<4x4x12xi8, strided<[192, 48, 1], offset: ?>, #dwsep.level<l2>>) channel_offset %[[FIRST]] variant <pw_dw
// CHECK-NOT: dwsep.layer
module attributes {dwsep.target = #dwsep.target<"gap8", l2_size = 2048>} {
  func.func @fused_pw_dw(%x: tensor<4x4x16xi8>) -> tensor<4x4x48xi8> {
    %dw = arith.constant dense<1> : tensor<3x3x48xi8>
    %db = arith.constant dense<2> : tensor<48xi32>
    %pw = arith.constant dense<1> : tensor<48x16xi8>
    %pb = arith.constant dense<3> : tensor<48xi32>
    %e = tensor.empty() : tensor<4x4x48xi8>
    %y = dwsep.fused ins(%x : tensor<4x4x16xi8>) dw(%dw, %db : tensor<3x3x48xi8>, tensor<48xi32>) pw(%pw, %pb : tensor<48x16xi8>, tensor<48xi32>) outs(%e : tensor<4x4x48xi8>) variant <pw_dw, input = hwc, mid = hwc, output = hwc, split = channels> mid_type i8 pad [1, 1, 1, 1] dw_requant <mult = [1], shift = [4], clamp = [-128, 127]> pw_requant <mult = [1], shift = [4], clamp = [-128, 127]> -> tensor<4x4x48xi8>
    return %y : tensor<4x4x48xi8>
  }
}
