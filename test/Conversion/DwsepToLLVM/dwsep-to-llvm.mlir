// RUN: dwsep-opt %s --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --buffer-results-to-out-params=modify-public-functions --dwsep-plan-memory --dwsep-tile --dwsep-lower-kernels --dwsep-to-llvm="header=%t.h image=%t.bin" | FileCheck %s
// RUN: FileCheck %s --check-prefix=HEADER < %t.h
// RUN: wc -c < %t.bin | FileCheck %s --check-prefix=SIZE
// RUN: od -An -tu1 -N8 %t.bin | FileCheck %s --check-prefix=BYTES

// CHECK: module attributes {llvm.data_layout = "e-m:e-p:32:32-i64:64-n32-S128", llvm.target_triple = "riscv32-unknown-elf"}
// CHECK: llvm.func @dwsep_rt_dma_start(i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32) -> i32
// CHECK: llvm.func @dwsep_rt_dma_rows(i32, i32, i32, i32, i32, i32, i32) -> i32
// CHECK: llvm.func @dwsep_rt_dma_wait(i32)
// The weights, packed at their dwsep.l3_offset (pointwise weights 4x2 = 2,
// then the bias 4 x i32 = 7 at offset 8, little-endian).
// CHECK: llvm.mlir.global external constant @dwsep_l3_image(dense<[2, 2, 2, 2, 2, 2, 2, 2, 7, 0, 0, 0, 7, 0, 0, 0, 7, 0, 0, 0, 7, 0, 0, 0]> : tensor<24xi8>)
// The entry point takes the three arenas as expanded memrefs with 32-bit
// sizes, and carries the target features; it moves the tiles and calls the
// kernel with the L1 arena and the tile's sizes and offsets: the weights'
// L3 -> L2 staging (direction 0) and the tiles through dwsep_rt_dma_rows
// (test/Conversion/DwsepToLLVM/dma.mlir).
// Control code saves its registers through libgcc's __riscv_save_N.
// CHECK: llvm.func @pw(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i32, %{{.*}}: i32, %{{.*}}: i32,
// CHECK-SAME: target_features = #llvm.target_features<["+m", "+c", "+save-restore"]>
// CHECK: %[[L3L2:.*]] = llvm.mlir.constant(0 : index) : i32
// CHECK: llvm.call @dwsep_rt_dma_rows(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[L3L2]], %{{.*}})
// CHECK: llvm.call @dwsep_rt_dma_rows
// CHECK: llvm.call @dwsep_rt_dma_wait
// CHECK: llvm.call @[[K:__dwsep_k_x_win_pw_[a-z0-9_]+]](
// The kernel's work split over the 8 cores is outlined into a function of
// the core id and a pointer to its captures, which it loads where they are
// first needed (the block dominating their uses, outside loops); the
// kernel forks it through the runtime with an argument block in its frame.
// CHECK: llvm.func internal @[[K]]_fork0(%{{.*}}: i32, %[[ARGS:.*]]: !llvm.ptr)
// CHECK-NEXT: llvm.getelementptr %[[ARGS]][0, {{[0-9]+}}]
// CHECK-NEXT: llvm.load
// CHECK-NOT: _entry
// The kernel is local to the object, and never inlined.
// CHECK: llvm.func internal @[[K]](
// CHECK-SAME: no_inline
// CHECK-SAME: target_features = #llvm.target_features<["+m", "+c"]>
// CHECK: llvm.alloca
// CHECK: llvm.store
// CHECK: %[[FN:.*]] = llvm.mlir.addressof @[[K]]_fork0 : !llvm.ptr
// CHECK: %[[CORES:.*]] = llvm.mlir.constant(8 : i32) : i32
// CHECK: llvm.call @dwsep_rt_fork(%[[FN]], %{{.*}}, %[[CORES]]) : (!llvm.ptr, !llvm.ptr, i32) -> ()
// CHECK: llvm.func @dwsep_rt_fork(!llvm.ptr, !llvm.ptr, i32)
// CHECK-NOT: dwsep.

// HEADER: #define DWSEP_L3_IMAGE_SIZE 24
// HEADER: extern const int8_t dwsep_l3_image[24];
// HEADER: #define DWSEP_pw_L1_SIZE 44116
// HEADER: #define DWSEP_pw_L3_SIZE 24
// HEADER: void pw(int8_t *, int8_t *, intptr_t, intptr_t, intptr_t, int8_t *, int8_t *, intptr_t, intptr_t, intptr_t, int8_t *, int8_t *, intptr_t, intptr_t, intptr_t);
// HEADER: static inline void pw_run(int8_t *dwsep_l1, int8_t *dwsep_l2, int8_t *dwsep_l3)
// HEADER: {"pw", 0, 2, {{[0-9]+}}, 12, 1, 3, {2, 3, 2, 0}},
// HEADER: {"pw", 1, 2, {{[0-9]+}}, 24, 1, 3, {2, 3, 4, 0}},
// HEADER: #define DWSEP_NUM_ENTRIES 1
// HEADER: #define DWSEP_MAX_L3_SIZE 24

// SIZE: 24
// BYTES: 2 2 2 2 2 2 2 2
func.func @pw(%x: tensor<2x3x2xi8>) -> tensor<2x3x4xi8> {
  %w = arith.constant dense<2> : tensor<4x2xi8>
  %b = arith.constant dense<7> : tensor<4xi32>
  %e = tensor.empty() : tensor<2x3x4xi8>
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<2x3x2xi8>, tensor<4x2xi8>, tensor<4xi32>)
         outs(%e : tensor<2x3x4xi8>) requant <mult = [3], shift = [2], clamp = [-128, 127]> -> tensor<2x3x4xi8>
  return %y : tensor<2x3x4xi8>
}
