// RUN: dwsep-opt %s --split-input-file | FileCheck %s
// RUN: dwsep-opt %s --split-input-file | dwsep-opt --split-input-file | FileCheck %s

// CHECK-LABEL: func @layouts
// CHECK-SAME: chw = #dwsep.layout<chw>
// CHECK-SAME: hwc = #dwsep.layout<hwc>
func.func @layouts() attributes {hwc = #dwsep.layout<hwc>, chw = #dwsep.layout<chw>} {
  return
}

// -----

// CHECK-LABEL: func @levels
// CHECK-SAME: a = #dwsep.level<l1>, b = #dwsep.level<l2>, c = #dwsep.level<l3>
func.func @levels(%a: memref<4xi8, #dwsep.level<l1>>, %b: memref<4xi8, #dwsep.level<l2>>,
                  %c: memref<4xi8, #dwsep.level<l3>>)
    attributes {a = #dwsep.level<l1>, b = #dwsep.level<l2>, c = #dwsep.level<l3>} {
  // CHECK: memref.copy %{{.*}}, %{{.*}} : memref<4xi8, #dwsep.level<l2>> to memref<4xi8, #dwsep.level<l1>>
  memref.copy %b, %a : memref<4xi8, #dwsep.level<l2>> to memref<4xi8, #dwsep.level<l1>>
  return
}

// -----

// Defaults (add = [], zp = 0, rounding = half_up) are not printed; any order
// of the optional parameters parses.
// CHECK-LABEL: func @requants
// CHECK-SAME: a = #dwsep.requant<mult = [1], shift = [0], clamp = [-128, 127]>
// CHECK-SAME: b = #dwsep.requant<mult = [3, 5], shift = [8], add = [128, -64], clamp = [0, 255], rounding = floor>
// CHECK-SAME: c = #dwsep.requant<mult = [1518500250], shift = [38, 37], zp = -128, clamp = [-128, 127], rounding = double_round>
// CHECK-SAME: d = #dwsep.requant<mult = [1], shift = [62], zp = 5, clamp = [-2147483648, 2147483647]>
// CHECK-SAME: e = #dwsep.requant<mult = [1633136768, -8], shift = [36], add = [0, 0], zp = 3, clamp = [0, 255], rounding = float32>
func.func @requants() attributes {
    a = #dwsep.requant<mult = [1], shift = [0], clamp = [-128, 127], rounding = half_up, zp = 0, add = []>,
    b = #dwsep.requant<mult = [3, 5], shift = [8], add = [128, -64], clamp = [0, 255], rounding = floor>,
    c = #dwsep.requant<mult = [1518500250], rounding = double_round, shift = [38, 37], zp = -128, clamp = [-128, 127]>,
    d = #dwsep.requant<mult = [1], shift = [62], zp = 5, clamp = [-2147483648, 2147483647]>,
    e = #dwsep.requant<mult = [1633136768, -8], shift = [36], add = [0, 0], zp = 3, clamp = [0, 255], rounding = float32>} {
  return
}

// -----

// The seven kernels of the paper, and a legal combination that is not one of
// them.
// CHECK-LABEL: func @variants
// CHECK-SAME: v1 = #dwsep.variant<dw_pw, input = hwc, mid = hwc, output = hwc, split = rows>
// CHECK-SAME: v2 = #dwsep.variant<dw_pw, input = chw, mid = hwc, output = chw, split = rows>
// CHECK-SAME: v3 = #dwsep.variant<pw_dw, input = hwc, mid = hwc, output = hwc, split = rows>
// CHECK-SAME: v4 = #dwsep.variant<pw_dw, input = hwc, mid = chw, output = hwc, split = rows>
// CHECK-SAME: v5 = #dwsep.variant<pw_dw, input = hwc, mid = hwc, output = hwc, split = channels>
// CHECK-SAME: v6 = #dwsep.variant<pw_dw, input = hwc, mid = chw, output = hwc, split = channels>
// CHECK-SAME: v7 = #dwsep.variant<pw_dw, input = chw, mid = chw, output = chw, split = channels>
// CHECK-SAME: x = #dwsep.variant<dw_pw, input = chw, mid = chw, output = hwc, split = rows>
func.func @variants() attributes {
    v1 = #dwsep.variant<dw_pw, input = hwc, mid = hwc, output = hwc, split = rows>,
    v2 = #dwsep.variant<dw_pw, input = chw, mid = hwc, output = chw, split = rows>,
    v3 = #dwsep.variant<pw_dw, input = hwc, mid = hwc, output = hwc, split = rows>,
    v4 = #dwsep.variant<pw_dw, input = hwc, mid = chw, output = hwc, split = rows>,
    v5 = #dwsep.variant<pw_dw, input = hwc, mid = hwc, output = hwc, split = channels>,
    v6 = #dwsep.variant<pw_dw, input = hwc, mid = chw, output = hwc, split = channels>,
    v7 = #dwsep.variant<pw_dw, input = chw, mid = chw, output = chw, split = channels>,
    x = #dwsep.variant<dw_pw, input = chw, mid = chw, output = hwc, split = rows>} {
  return
}

// -----

// Presets print only what differs from them; a custom target prints all.
// CHECK: module attributes {dwsep.target = #dwsep.target<"gap8">}
module attributes {dwsep.target = #dwsep.target<"gap8">} {}

// -----

// CHECK: module attributes {dwsep.target = #dwsep.target<"gap9", l1_size = 120000>}
module attributes {dwsep.target = #dwsep.target<"gap9", l1_size = 120000>} {}

// -----

// Overriding a field with the preset's own value prints as the preset.
// CHECK: module attributes {dwsep.target = #dwsep.target<"gap8", cores = 4>}
module attributes {dwsep.target = #dwsep.target<"gap8", cores = 4, l1_size = 65536>} {}

// -----

// CHECK: module attributes {dwsep.target = #dwsep.target<"custom", l1_size = 32768, l2_size = 262144, l3_size = 0, stack_main = 2048, stack_worker = 1024, cores = 4, l2_dma_bytes_per_cycle = 8, l2_dma_latency = 10, l3_dma_bytes_per_cycle = 1, l3_dma_latency = 100>}
module attributes {dwsep.target = #dwsep.target<"custom", l1_size = 32768,
    l2_size = 262144, l3_size = 0, stack_main = 2048, stack_worker = 1024,
    cores = 4, l2_dma_bytes_per_cycle = 8, l2_dma_latency = 10,
    l3_dma_bytes_per_cycle = 1, l3_dma_latency = 100>} {}

// -----

// Kernel costs are fields like the others: a preset prints the ones that
// differ from it; a custom target takes GAP8's measured costs unless it sets
// them, and prints the ones that differ from those.
// CHECK: module attributes {dwsep.target = #dwsep.target<"gap8", pointwise_hwc_mac = 2000, fork_cycles = 100>}
module attributes {dwsep.target = #dwsep.target<"gap8", fork_cycles = 100, pointwise_hwc_mac = 2000>} {}

// -----

// CHECK: module attributes {dwsep.target = #dwsep.target<"custom", l1_size = 32768, l2_size = 262144, l3_size = 0, stack_main = 2048, stack_worker = 1024, cores = 4, l2_dma_bytes_per_cycle = 8, l2_dma_latency = 10, l3_dma_bytes_per_cycle = 1, l3_dma_latency = 100, tile_cycles = 50>}
module attributes {dwsep.target = #dwsep.target<"custom", l1_size = 32768,
    l2_size = 262144, l3_size = 0, stack_main = 2048, stack_worker = 1024,
    cores = 4, l2_dma_bytes_per_cycle = 8, l2_dma_latency = 10,
    l3_dma_bytes_per_cycle = 1, l3_dma_latency = 100, tile_cycles = 50>} {}

// -----

// An entry point's arguments after memory planning (parameters in any
// order, printed in declaration order).
// CHECK-LABEL: func @entry
// CHECK-SAME: dwsep.arguments = [#dwsep.argument<kind = input, level = l2, offset = 0, type = memref<8x8x16xi8>>, #dwsep.argument<kind = output, level = l3, offset = 4096, type = memref<1000xi8>>]
func.func @entry() attributes {dwsep.arguments = [#dwsep.argument<kind = input, level = l2, offset = 0, type = memref<8x8x16xi8>>, #dwsep.argument<offset = 4096, kind = output, type = memref<1000xi8>, level = l3>]} {
  return
}
