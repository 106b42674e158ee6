// RUN: dwsep-opt %s --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --buffer-results-to-out-params=modify-public-functions --dwsep-plan-memory --dwsep-tile --dwsep-pipeline-dma | FileCheck %s
// RUN: dwsep-opt %s --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --buffer-results-to-out-params=modify-public-functions --dwsep-plan-memory=prefetch-weights=false --dwsep-tile --dwsep-pipeline-dma | FileCheck %s --check-prefix=BLOCKED
// RUN: dwsep-opt %s --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --buffer-results-to-out-params=modify-public-functions --dwsep-plan-memory --dwsep-tile --dwsep-pipeline-dma --dwsep-report -o /dev/null | FileCheck %s --check-prefix=REPORT

// The pointwise layer's weights (L3 -> L2) are started before the depthwise
// layer runs and waited for inside the pointwise layer.
// CHECK-LABEL: func.func @net
// CHECK: %[[W:.*]] = dwsep.dma_start %{{.*}}, %{{.*}} weights : memref<12x5xi8, #dwsep.level<l3>> to memref<12x5xi8, #dwsep.level<l2>>
// CHECK: %[[B:.*]] = dwsep.dma_start %{{.*}}, %{{.*}} weights : memref<12xi32, #dwsep.level<l3>> to memref<12xi32, #dwsep.level<l2>>
// CHECK: dwsep.layer "depthwise_0"
// CHECK: dwsep.layer "pointwise_0"
// CHECK-NOT: memref<12x5xi8, #dwsep.level<l3>> to
// CHECK: dwsep.dma_wait %[[W]], %[[B]]
// CHECK: dwsep.pointwise

// Without prefetch-weights the pointwise staging slot reuses the input's
// bytes, which the depthwise layer still reads: the transfer stays put.
// BLOCKED: dwsep.layer "depthwise_0"
// BLOCKED: dwsep.layer "pointwise_0"
// BLOCKED-NEXT: arith.constant
// BLOCKED-NEXT: memref.view
// BLOCKED-NEXT: arith.constant
// BLOCKED-NEXT: memref.view
// BLOCKED-NEXT: dwsep.dma_start {{.*}} weights : memref<12x5xi8, #dwsep.level<l3>>

// The report charges the prefetch to the layer that waits for it.
// REPORT: depthwise_0 {{ *}}{{[0-9]+x[0-9]+}} {{ *}}{{[0-9]+}} {{ *}}65
// REPORT: pointwise_0 {{ *}}{{[0-9]+x[0-9]+}} {{ *}}{{[0-9]+}} {{ *}}108
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
