// RUN: dwsep-opt %s --dwsep-outline-layers | FileCheck %s
// RUN: dwsep-opt %s --dwsep-outline-layers --dwsep-to-llvm | FileCheck %s --check-prefix=LLVM

// Each layer's body moves to a function after its entry point (and after
// the layers before it), marked with the layer's name; the layer keeps its
// attributes and calls it. The function takes the arenas (bare pointers),
// the tokens of transfers started before the layer and the indices of
// enclosing loops; the views and constants it uses are rebuilt inside. Its
// name is the function's and the layer's, made unique, with characters
// other than letters and digits as '_'.

// CHECK-LABEL: func.func @net(
// CHECK-SAME: %[[L1:[a-z0-9]+]]: memref<64xi8, #dwsep.level<l1>>, %[[L2:[a-z0-9]+]]: memref<256xi8, #dwsep.level<l2>>, %{{.*}}: memref<128xi8, #dwsep.level<l3>>, %[[ODD:[a-z0-9]+]]: memref<4xi8, strided<[2]>
// CHECK: %[[T:.*]] = dwsep.dma_start
// CHECK: dwsep.layer "pointwise_0" attributes {tile = array<i64: 4, 16>} {
// CHECK-NEXT: func.call @[[F0:net__pointwise_0_[0-9]+]](%[[L2]], %[[T]], %[[L1]]) : (memref<256xi8, #dwsep.level<l2>>, !dwsep.token, memref<64xi8, #dwsep.level<l1>>) -> ()
// CHECK-NEXT: }
// CHECK: scf.for %[[G:.*]] = 
// CHECK-NEXT: dwsep.layer "pointwise_1/ch" {
// CHECK-NEXT: func.call @net__pointwise_1_ch(%[[G]], %[[L1]])
// A layer that uses a memref a bare pointer cannot carry stays in place.
// CHECK: dwsep.layer "pointwise_2" {
// CHECK-NEXT: func.call @odd(%[[ODD]])
// CHECK-NEXT: }
// CHECK-NEXT: return

// CHECK: func.func private @[[F0]](%[[B2:.*]]: memref<256xi8, #dwsep.level<l2>>, %[[BT:.*]]: !dwsep.token, %[[B1:.*]]: memref<64xi8, #dwsep.level<l1>>) attributes {dwsep.layer_body = "pointwise_0", llvm.bareptr} {
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK: %[[V2:.*]] = memref.view %[[B2]][%[[C32]]][]
// CHECK: dwsep.dma_wait %[[BT]]
// CHECK: %[[V1:.*]] = memref.view %[[B1]][%[[C16]]][]
// CHECK: dwsep.dma_start %[[V2]], %[[V1]] weights
// CHECK: call @kernel(%[[B1]], %[[C16]])
// CHECK-NEXT: return
// CHECK: func.func private @net__pointwise_1_ch(%[[IV:.*]]: index, %[[BL1:.*]]: memref<64xi8, #dwsep.level<l1>>) attributes {dwsep.layer_body = "pointwise_1/ch", llvm.bareptr} {
// CHECK: arith.muli %[[IV]]
// CHECK: func.func private @net__pointwise_0(){{$}}

// The lowering keeps the layers' functions local and out of line, compiled
// for size like the entry; the token they take is an i32.
// LLVM: llvm.func internal @net__pointwise_0_{{[0-9]+}}(%{{.*}}: !llvm.ptr, %{{.*}}: i32, %{{.*}}: !llvm.ptr) attributes {llvm.bareptr, no_inline, passthrough = ["minsize", "optsize"]{{.*}}"+save-restore"
// LLVM: llvm.call @dwsep_rt_dma_wait
// LLVM: llvm.func internal @net__pointwise_1_ch(%{{.*}}: i32, %{{.*}}: !llvm.ptr) attributes {llvm.bareptr, no_inline, passthrough = ["minsize", "optsize"]{{.*}}"+save-restore"

module attributes {dwsep.target = #dwsep.target<"gap8">} {
  func.func private @kernel(memref<64xi8, #dwsep.level<l1>>, index) attributes {llvm.bareptr}
  func.func private @odd(memref<4xi8, strided<[2]>, #dwsep.level<l2>>)
  func.func @net(%l1: memref<64xi8, #dwsep.level<l1>>, %l2: memref<256xi8, #dwsep.level<l2>>, %l3: memref<128xi8, #dwsep.level<l3>>, %odd: memref<4xi8, strided<[2]>, #dwsep.level<l2>>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c16 = arith.constant 16 : index
    %c32 = arith.constant 32 : index
    %w3 = memref.view %l3[%c0][] : memref<128xi8, #dwsep.level<l3>> to memref<16xi8, #dwsep.level<l3>>
    %w2 = memref.view %l2[%c32][] : memref<256xi8, #dwsep.level<l2>> to memref<16xi8, #dwsep.level<l2>>
    %t = dwsep.dma_start %w3, %w2 weights : memref<16xi8, #dwsep.level<l3>> to memref<16xi8, #dwsep.level<l2>>
    dwsep.layer "pointwise_0" attributes {tile = array<i64: 4, 16>} {
      dwsep.dma_wait %t
      %w1 = memref.view %l1[%c16][] : memref<64xi8, #dwsep.level<l1>> to memref<16xi8, #dwsep.level<l1>>
      %u = dwsep.dma_start %w2, %w1 weights : memref<16xi8, #dwsep.level<l2>> to memref<16xi8, #dwsep.level<l1>>
      dwsep.dma_wait %u
      func.call @kernel(%l1, %c16) : (memref<64xi8, #dwsep.level<l1>>, index) -> ()
    }
    scf.for %g = %c0 to %c2 step %c1 {
      dwsep.layer "pointwise_1/ch" {
        %o = arith.muli %g, %c16 : index
        func.call @kernel(%l1, %o) : (memref<64xi8, #dwsep.level<l1>>, index) -> ()
      }
    }
    dwsep.layer "pointwise_2" {
      func.call @odd(%odd) : (memref<4xi8, strided<[2]>, #dwsep.level<l2>>) -> ()
    }
    return
  }
  // Takes the first name: the layer's function is made unique.
  func.func private @net__pointwise_0()
}
