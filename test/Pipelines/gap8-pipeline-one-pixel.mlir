// A pointwise over a 1 x 1 map (a classifier written as a 1x1 convolution)
// enters the pipeline as the linear layer (dwsep.pointwise's canonical
// form): here one output channel's 50,176 weights do not fit GAP8's L1
// budget, and the linear layer's input-feature tiling takes them in K
// slices (report tile `1xC/K`), in channel groups staged from L3 (`.chA-B`:
// 501,760 B of weights). As a pointwise it had no plan ("cannot be tiled
// for L1: the smallest tile (1 row x 1 channel group) needs 150536 B").
// RUN: dwsep-opt %s --dwsep-gap8-pipeline="report=-" -o /dev/null | FileCheck %s
// CHECK: {{^}}linear_0.ch{{[0-9]+}}-{{[0-9]+}} 1x{{[0-9]+}}/{{[0-9]+}} 
// CHECK-NOT: pointwise
module attributes {dwsep.target = #dwsep.target<"gap8">} {
  func.func @classifier(%x: tensor<1x1x50176xi8>) -> tensor<1x1x10xi8> {
    %w = arith.constant dense<3> : tensor<10x50176xi8>
    %b = arith.constant dense<-9> : tensor<10xi32>
    %e = tensor.empty() : tensor<1x1x10xi8>
    %y = dwsep.pointwise ins(%x, %w, %b : tensor<1x1x50176xi8>, tensor<10x50176xi8>, tensor<10xi32>)
           outs(%e : tensor<1x1x10xi8>) input_zp 5
           requant <mult = [7], shift = [15], zp = 3, clamp = [-128, 127]> -> tensor<1x1x10xi8>
    return %y : tensor<1x1x10xi8>
  }
}
