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
// CHECK-SAME: (%[[L1:.*]]: memref<38236xi8, #dwsep.level<l1>>, %[[L2:.*]]: memref<484xi8, #dwsep.level<l2>>, %[[L3:.*]]: memref<176xi8, #dwsep.level<l3>>)
// CHECK-SAME: dwsep.arguments = [{kind = "input", offset = 0 : i64, type = memref<9x7x5xi8>}, {kind = "output", offset = 0 : i64, type = memref<5x4x12xi8>}]
// CHECK-SAME: dwsep.l1_size = 38236 : i64, dwsep.l2_size = 484 : i64
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
// CHECK-SAME: dwsep.arguments = [{kind = "input", offset = 0 : i64, type = memref<8x8x4xi8>}, {kind = "output", offset = 0 : i64, type = memref<8x8x4xi8>}]
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
