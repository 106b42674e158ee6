// A whole input (one row tile, fetched by the first tile and read by every
// tile) stays in L1 across a layer's channel groups: the loop over groups
// fetches it in its first iteration only, the remainder group after the
// loop not at all. --dwsep-report counts each instance's transfers and
// checks them against the plan less what a kept instance does without.
// RUN: dwsep-opt %s --split-input-file --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --buffer-results-to-out-params=modify-public-functions --dwsep-plan-memory=prefetch-weights=false --dwsep-tile=l1-budget=400 --dwsep-check-memory | FileCheck %s
// RUN: dwsep-opt %s --split-input-file --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --buffer-results-to-out-params=modify-public-functions --dwsep-plan-memory=prefetch-weights=false --dwsep-tile=l1-budget=400 --dwsep-report -o /dev/null | FileCheck %s --check-prefix=REPORT
// RUN: dwsep-opt %s --split-input-file --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --buffer-results-to-out-params=modify-public-functions --dwsep-plan-memory=prefetch-weights=false --dwsep-tile="l1-budget=400 keep-inputs=false" --dwsep-report | FileCheck %s --check-prefix=FETCH

// 50 output channels in groups of 13 (three in the loop, 11 in the
// remainder), tiles of 3 channels: the 2x2x32 input is resident at L1
// offset 0. Tile 0 of group 0 fetches it; the remainder fetches nothing.
// CHECK-LABEL: func.func @remainder
// CHECK-DAG: %[[INPUT:.*]] = memref.view %{{.*}}[%c616][] : memref<796xi8, #dwsep.level<l2>> to memref<2x2x32xi8, #dwsep.level<l2>>
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK: scf.for %[[G:.*]] = %[[C0]] to %{{.*}} step
// CHECK:   dwsep.layer "pointwise_0.ch0-2" attributes {input_kept_from = 1 : i64, {{.*}}plan = #dwsep.tile_plan<act_l2_l1 = 128, {{.*}}, kept_act_l2_l1 = 128, kept_transfers = 1>
// CHECK:     scf.for %[[J:.*]] = {{.*}} iter_args
// CHECK:       %[[FIRSTG:.*]] = arith.cmpi eq, %[[G]], %[[C0]] : index
// CHECK:       %[[FIRSTT:.*]] = arith.cmpi eq, %[[J]], %{{.*}} : index
// CHECK:       %[[GO:.*]] = arith.andi %[[FIRSTG]], %[[FIRSTT]] : i1
// CHECK:       scf.if %[[GO]] -> (!dwsep.token) {
// CHECK:         %[[SRC:.*]] = memref.subview %[[INPUT]]
// CHECK:         %[[DST:.*]] = memref.view %{{.*}}[%{{.*}}][] : memref<44116xi8, #dwsep.level<l1>> to memref<2x2x32xi8, #dwsep.level<l1>>
// CHECK:         dwsep.dma_start %[[SRC]], %[[DST]] :
// CHECK:       } else {
// CHECK-NEXT:    dwsep.dma_none
// CHECK: dwsep.layer "pointwise_0.ch3" attributes {input_kept_from = 0 : i64, {{.*}}kept_act_l2_l1 = 128, kept_transfers = 1>
// CHECK-NOT: dwsep.dma_start {{.*}} to memref<2x2x32xi8, #dwsep.level<l1>>
// CHECK:   dwsep.pointwise ins(%{{.*}} : memref<2x2x32xi8, #dwsep.level<l1>>,
// CHECK-NOT: dwsep.dma_start {{.*}} to memref<2x2x32xi8, #dwsep.level<l1>>
// CHECK: return

// REPORT: layer                 tile    L1 B   L3>L2 w   L3>L2 a   L2>L1 a
// REPORT: pointwise_0.ch0-2      2x3k     368      1404         0       128
// REPORT: pointwise_0.ch3       2x3k     368       396         0         0
// REPORT: total                                   1800         0       128

// FETCH-NOT: input_kept_from
// FETCH: pointwise_0.ch0-2      2x3     368      1404         0       384
// FETCH: pointwise_0.ch3       2x3     368       396         0       128
// FETCH-NOT: input_kept_from
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

// A loop over bands (an input streamed from L3) stages each band's input
// into the same L2 buffer: the same value every iteration, other bytes.
// Its layer fetches the band into L1 every iteration.
// CHECK-LABEL: func.func @bands
// CHECK: scf.for
// CHECK: dwsep.layer "pointwise_0.band1-5"
// CHECK-NOT: input_kept_from
// CHECK: return
// REPORT: pointwise_0.band1-5       1x2     360         0      1120      1120
module attributes {dwsep.target = #dwsep.target<"gap8", l1_size = 29500, l2_size = 2048>} {
  func.func @bands(%x: tensor<16x7x14xi8>) -> tensor<15x7x14xi8> {
    %w = arith.constant dense<1> : tensor<15x16xi8>
    %b = arith.constant dense<3> : tensor<15xi32>
    %e = tensor.empty() : tensor<15x7x14xi8>
    %y = dwsep.pointwise ins(%x, %w, %b : tensor<16x7x14xi8>, tensor<15x16xi8>, tensor<15xi32>) outs(%e : tensor<15x7x14xi8>) layout <chw> requant <mult = [28], shift = [12], clamp = [-128, 127]> -> tensor<15x7x14xi8>
    return %y : tensor<15x7x14xi8>
  }
}
