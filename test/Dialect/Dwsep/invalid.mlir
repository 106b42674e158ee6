// RUN: dwsep-opt %s --split-input-file --verify-diagnostics

//===----------------------------------------------------------------------===//
// #dwsep.requant
//===----------------------------------------------------------------------===//

// expected-error @+1 {{#dwsep.requant needs mult, shift and clamp = [min, max]}}
func.func @f() attributes {r = #dwsep.requant<mult = [1], shift = [2]>} { return }

// -----

// expected-error @+1 {{clamp must be [min, max], got 3 values}}
func.func @f() attributes {r = #dwsep.requant<mult = [1], shift = [2], clamp = [0, 1, 2]>} { return }

// -----

// expected-error @+1 {{unknown rounding 'up', expected floor, half_up, double_round or float32}}
func.func @f() attributes {r = #dwsep.requant<mult = [1], shift = [2], clamp = [0, 1], rounding = up>} { return }

// -----

// rounding = float32 is ONNX Runtime's: the scale mult * 2^-shift must be a
// float32 (16777217 = 2^24 + 1 has 25 significant bits; 2^31 - 2^7 has 24).
// expected-error @+1 {{requant rounding float32 needs a float32 scale: mult[1] = 16777217 has 25 significant bits, the limit is 24}}
func.func @f() attributes {r = #dwsep.requant<mult = [2147483520, 16777217], shift = [40], clamp = [0, 255], rounding = float32>} { return }

// -----

// expected-error @+1 {{requant rounding float32 adds nothing: add[0] = 3, expected 0}}
func.func @f() attributes {r = #dwsep.requant<mult = [3], shift = [4], add = [3], clamp = [0, 255], rounding = float32>} { return }

// -----

// expected-error @+1 {{unknown requant parameter 'scale', expected mult, shift, add, zp, clamp, rounding or acc_bound}}
func.func @f() attributes {r = #dwsep.requant<mult = [1], scale = [2], clamp = [0, 1]>} { return }

// -----

// expected-error @+1 {{requant acc_bound 2147483649 is outside [1, 2^31] (0: none)}}
func.func @f() attributes {r = #dwsep.requant<mult = [1], shift = [2], clamp = [0, 1], acc_bound = 2147483649>} { return }

// -----

// expected-error @+1 {{requant acc_bound -5 is outside [1, 2^31] (0: none)}}
func.func @f() attributes {r = #dwsep.requant<mult = [1], shift = [2], clamp = [0, 1], acc_bound = -5>} { return }

// -----

// expected-error @+1 {{parameter 'shift' is given more than once}}
func.func @f() attributes {r = #dwsep.requant<mult = [1], shift = [2], shift = [3], clamp = [0, 1]>} { return }

// -----

// expected-error @+1 {{requant 'mult' must have at least one value}}
func.func @f() attributes {r = #dwsep.requant<mult = [], shift = [2], clamp = [0, 1]>} { return }

// -----

// expected-error @+1 {{requant 'shift' must have at least one value}}
func.func @f() attributes {r = #dwsep.requant<mult = [1], shift = [], clamp = [0, 1]>} { return }

// -----

// expected-error @+1 {{requant 'shift' has 3 values but another parameter has 2; each must have 1 or one per channel}}
func.func @f() attributes {r = #dwsep.requant<mult = [1, 2], shift = [2, 3, 4], clamp = [0, 1]>} { return }

// -----

// expected-error @+1 {{requant shift 63 is outside [0, 62]}}
func.func @f() attributes {r = #dwsep.requant<mult = [1], shift = [63], clamp = [0, 1]>} { return }

// -----

// expected-error @+1 {{requant shift -1 is outside [0, 62]}}
func.func @f() attributes {r = #dwsep.requant<mult = [1], shift = [-1], clamp = [0, 1]>} { return }

// -----

// expected-error @+1 {{requant clamp is empty: min 5 > max 4}}
func.func @f() attributes {r = #dwsep.requant<mult = [1], shift = [2], clamp = [5, 4]>} { return }

//===----------------------------------------------------------------------===//
// #dwsep.variant
//===----------------------------------------------------------------------===//

// -----

// expected-error @+1 {{a dw_pw kernel cannot be split by channels: its pointwise half needs every intermediate channel}}
func.func @f() attributes {v = #dwsep.variant<dw_pw, input = hwc, mid = hwc, output = hwc, split = channels>} { return }

//===----------------------------------------------------------------------===//
// #dwsep.target
//===----------------------------------------------------------------------===//

// -----

// expected-error @+1 {{unknown target parameter 'l4_size'}}
module attributes {dwsep.target = #dwsep.target<"gap8", l4_size = 1>} {}

// -----

// expected-error @+1 {{target 'mychip' is not a preset (gap8, gap9), so it must set every parameter; 'l2_size' is missing}}
module attributes {dwsep.target = #dwsep.target<"mychip", l1_size = 1000>} {}

// -----

// expected-error @+1 {{parameter 'cores' is given more than once}}
module attributes {dwsep.target = #dwsep.target<"gap8", cores = 1, cores = 2>} {}

// -----

// expected-error @+1 {{target name must not be empty}}
module attributes {dwsep.target = #dwsep.target<"", l1_size = 1, l2_size = 1, l3_size = 0, stack_main = 0, stack_worker = 0, cores = 1, l2_dma_bytes_per_cycle = 1, l2_dma_latency = 0, l3_dma_bytes_per_cycle = 1, l3_dma_latency = 0>} {}

// -----

// expected-error @+1 {{target L1 and L2 sizes must be positive, got l1_size = 65536 and l2_size = 0}}
module attributes {dwsep.target = #dwsep.target<"gap8", l2_size = 0>} {}

// -----

// expected-error @+1 {{target l3_size, stacks and DMA latencies must not be negative}}
module attributes {dwsep.target = #dwsep.target<"gap8", l3_dma_latency = -1>} {}

// -----

// Sizes a 32-bit cluster cannot have are refused before any pass sizes
// something by them.
// expected-error @+1 {{target memory levels must be at most 2147483647 B (32-bit arenas), got l1_size = 65536, l2_size = 524288, l3_size = 9223372036854775807}}
module attributes {dwsep.target = #dwsep.target<"gap8", l3_size = 9223372036854775807>} {}

// -----

// expected-error @+1 {{target cores = 1000000 is more than 64}}
module attributes {dwsep.target = #dwsep.target<"gap8", cores = 1000000>} {}

// -----

// expected-error @+1 {{target stacks (3500, 9223372036854775807 B) must fit in l1_size = 65536 B}}
module attributes {dwsep.target = #dwsep.target<"gap8", stack_worker = 9223372036854775807>} {}

// -----

// expected-error @+1 {{target DMA bandwidths and latencies must be at most 1000000}}
module attributes {dwsep.target = #dwsep.target<"gap8", l2_dma_latency = 9223372036854775807>} {}

// -----

// expected-error @+1 {{target needs at least one core, got cores = 0}}
module attributes {dwsep.target = #dwsep.target<"gap8", cores = 0>} {}

// -----

// expected-error @+1 {{target kernel cost 'pointwise_hwc_mac' = -1 is outside [0, 1000000]}}
module attributes {dwsep.target = #dwsep.target<"gap8", pointwise_hwc_mac = -1>} {}

// -----

// expected-error @+1 {{target kernel cost 'fork_cycles' = 2000000 is outside [0, 1000000]}}
module attributes {dwsep.target = #dwsep.target<"gap8", fork_cycles = 2000000>} {}

// -----

// expected-error @+1 {{target DMA bandwidths must be at least 1 B/cycle}}
module attributes {dwsep.target = #dwsep.target<"gap8", l2_dma_bytes_per_cycle = 0>} {}

// -----

// expected-error @+1 {{target leaves no L1 for tiles: l1_size 16384 B minus stacks 3500 + 7 x 2560 B is -5036 B}}
module attributes {dwsep.target = #dwsep.target<"gap8", l1_size = 16384>} {}

// -----

// expected-error @+1 {{'dwsep.target' must be a #dwsep.target attribute, got "gap8"}}
module attributes {dwsep.target = "gap8"} {}

// -----

// expected-error @+1 {{'dwsep.layer_body' must be a layer's name on a function, got 3 : i64}}
func.func private @body() attributes {dwsep.layer_body = 3}

// -----

// expected-error @+1 {{'dwsep.layer_body' must be a layer's name on a function, got "conv2d_0"}}
module attributes {dwsep.layer_body = "conv2d_0"} {}

//===----------------------------------------------------------------------===//
// Shapes shared by all compute ops
//===----------------------------------------------------------------------===//

// -----

func.func @f(%x: tensor<?x8x8xi8>, %w: tensor<8x8xi8>, %b: tensor<8xi32>, %i: tensor<4x8x8xi8>) {
  // expected-error @+1 {{'dwsep.pointwise' op input must have a static shape, got 'tensor<?x8x8xi8>'}}
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<?x8x8xi8>, tensor<8x8xi8>, tensor<8xi32>)
         outs(%i : tensor<4x8x8xi8>) requant <mult = [1], shift = [0], clamp = [-128, 127]> -> tensor<4x8x8xi8>
  return
}

// -----

func.func @f(%x: tensor<4x8x8xi8>, %w: tensor<8x8x1xi8>, %b: tensor<8xi32>, %i: tensor<4x8x8xi8>) {
  // expected-error @+1 {{'dwsep.pointwise' op weights must have rank 2, got 'tensor<8x8x1xi8>'}}
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<4x8x8xi8>, tensor<8x8x1xi8>, tensor<8xi32>)
         outs(%i : tensor<4x8x8xi8>) requant <mult = [1], shift = [0], clamp = [-128, 127]> -> tensor<4x8x8xi8>
  return
}

// -----

func.func @f(%x: tensor<4x8x8xi8>, %w: tensor<8x8xi8>, %b: memref<8xi32>, %i: tensor<4x8x8xi8>) {
  // expected-error @+1 {{'dwsep.pointwise' op operands must be all tensors or all memrefs, but bias is a memref}}
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<4x8x8xi8>, tensor<8x8xi8>, memref<8xi32>)
         outs(%i : tensor<4x8x8xi8>) requant <mult = [1], shift = [0], clamp = [-128, 127]> -> tensor<4x8x8xi8>
  return
}

// -----

func.func @f(%x: tensor<4x8x8xi8>, %w: tensor<8x8xi8>, %b: tensor<8xi32>, %i: tensor<4x8x8xi8>) {
  // expected-error @+1 {{'dwsep.pointwise' op input_zp 200 is outside the range [-128, 127] of 'i8'}}
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<4x8x8xi8>, tensor<8x8xi8>, tensor<8xi32>)
         outs(%i : tensor<4x8x8xi8>) input_zp 200 requant <mult = [1], shift = [0], clamp = [-128, 127]> -> tensor<4x8x8xi8>
  return
}

// -----

// A slice of a layer's channels (channel_offset) reads the layer's
// requantization from its offset: the slice must lie inside it.
func.func @f(%x: memref<4x8x8xi8>, %w: memref<4x8xi8>, %b: memref<4xi32>, %i: memref<4x8x4xi8>) {
  %c6 = arith.constant 6 : index
  // expected-error @+1 {{'dwsep.pointwise' op requant has 8 per-channel values but channels [6, 10) of it are used (channel_offset 6, 4 output channels)}}
  dwsep.pointwise ins(%x, %w, %b : memref<4x8x8xi8>, memref<4x8xi8>, memref<4xi32>)
    outs(%i : memref<4x8x4xi8>) channel_offset %c6
    requant <mult = [1, 2, 3, 4, 5, 6, 7, 8], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<4x8x8xi8>, %w: memref<4x8xi8>, %b: memref<4xi32>, %i: memref<4x8x4xi8>, %o: index) {
  // expected-error @+1 {{'dwsep.pointwise' op requant has 3 per-channel values, fewer than the output's 4 channels}}
  dwsep.pointwise ins(%x, %w, %b : memref<4x8x8xi8>, memref<4x8xi8>, memref<4xi32>)
    outs(%i : memref<4x8x4xi8>) channel_offset %o
    requant <mult = [1, 2, 3], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: tensor<4x8x8xui8>, %w: tensor<8x8xi8>, %b: tensor<8xi32>, %i: tensor<4x8x8xi8>) {
  // expected-error @+1 {{'dwsep.pointwise' op input_zp -1 is outside the range [0, 255] of 'ui8'}}
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<4x8x8xui8>, tensor<8x8xi8>, tensor<8xi32>)
         outs(%i : tensor<4x8x8xi8>) input_zp -1 requant <mult = [1], shift = [0], clamp = [-128, 127]> -> tensor<4x8x8xi8>
  return
}

// -----

func.func @f(%x: tensor<4x8x8xi8>, %w: tensor<8x8xi8>, %b: tensor<8xi32>, %i: tensor<4x8x8xi8>) {
  // expected-error @+1 {{'dwsep.pointwise' op requant has 3 per-channel values but the output has 8 channels}}
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<4x8x8xi8>, tensor<8x8xi8>, tensor<8xi32>)
         outs(%i : tensor<4x8x8xi8>) requant <mult = [1, 2, 3], shift = [0], clamp = [-128, 127]> -> tensor<4x8x8xi8>
  return
}

// -----

func.func @f(%x: tensor<4x8x8xi8>, %w: tensor<8x8xi8>, %b: tensor<8xi32>, %i: tensor<4x8x8xui8>) {
  // expected-error @+1 {{'dwsep.pointwise' op requant clamp [-128, 127] exceeds the range [0, 255] of 'ui8', the type it produces}}
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<4x8x8xi8>, tensor<8x8xi8>, tensor<8xi32>)
         outs(%i : tensor<4x8x8xui8>) requant <mult = [1], shift = [0], clamp = [-128, 127]> -> tensor<4x8x8xui8>
  return
}

// -----

func.func @f(%x: tensor<4x8x8xi8>, %w: tensor<8x8xi8>, %b: tensor<8xi32>, %i: tensor<4x8x8xi8>) {
  // expected-error @+1 {{'dwsep.pointwise' op expected type of operand #3 ('tensor<4x8x8xi8>') to match type of corresponding result ('tensor<4x8x9xi8>')}}
  %y = dwsep.pointwise ins(%x, %w, %b : tensor<4x8x8xi8>, tensor<8x8xi8>, tensor<8xi32>)
         outs(%i : tensor<4x8x8xi8>) requant <mult = [1], shift = [0], clamp = [-128, 127]> -> tensor<4x8x9xi8>
  return
}

// -----

func.func @f(%x: memref<4x8x8xi8>, %w: memref<8x8xi8>, %b: memref<8xi32>, %i: memref<4x8x8xi8>) {
  // expected-error @+1 {{'dwsep.pointwise' op expected the number of tensor results (1) to be equal to the number of output tensors (0)}}
  %y = dwsep.pointwise ins(%x, %w, %b : memref<4x8x8xi8>, memref<8x8xi8>, memref<8xi32>)
         outs(%i : memref<4x8x8xi8>) requant <mult = [1], shift = [0], clamp = [-128, 127]> -> tensor<4x8x8xi8>
  return
}

//===----------------------------------------------------------------------===//
// dwsep.conv2d
//===----------------------------------------------------------------------===//

// -----

func.func @f(%x: memref<9x9x3xi8>, %w: memref<8x3x3x4xi8>, %b: memref<8xi32>, %o: memref<7x7x8xi8>) {
  // expected-error @+1 {{'dwsep.conv2d' op weights input channels (dim 3) is 4 but the input's channel count is 3}}
  dwsep.conv2d ins(%x, %w, %b : memref<9x9x3xi8>, memref<8x3x3x4xi8>, memref<8xi32>)
    outs(%o : memref<7x7x8xi8>) requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<9x9x3xi8>, %w: memref<8x3x3x3xi8>, %b: memref<8xi32>, %o: memref<7x7x6xi8>) {
  // expected-error @+1 {{'dwsep.conv2d' op weights output channels (dim 0) is 8 but the init's channel count is 6}}
  dwsep.conv2d ins(%x, %w, %b : memref<9x9x3xi8>, memref<8x3x3x3xi8>, memref<8xi32>)
    outs(%o : memref<7x7x6xi8>) requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<9x9x3xi8>, %w: memref<8x3x3x3xi8>, %b: memref<4xi32>, %o: memref<7x7x8xi8>) {
  // expected-error @+1 {{'dwsep.conv2d' op bias size is 4 but the output channel count is 8}}
  dwsep.conv2d ins(%x, %w, %b : memref<9x9x3xi8>, memref<8x3x3x3xi8>, memref<4xi32>)
    outs(%o : memref<7x7x8xi8>) requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<9x9x3xi8>, %w: memref<8x3x3x3xi8>, %b: memref<8xi32>, %o: memref<9x9x8xi8>) {
  // expected-error @+1 {{'dwsep.conv2d' op init is 9x9 (HxW) but the input 9x9, kernel 3x3, stride [1, 1] and pad [1, 1, 0, 0] give 8x8}}
  dwsep.conv2d ins(%x, %w, %b : memref<9x9x3xi8>, memref<8x3x3x3xi8>, memref<8xi32>)
    outs(%o : memref<9x9x8xi8>) pad [1, 1, 0, 0] requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<3x9x9xi8>, %w: memref<8x3x3x3xi8>, %b: memref<8xi32>, %o: memref<8x5x5xi8>) {
  // expected-error @+1 {{'dwsep.conv2d' op init is 5x5 (HxW) but the input 9x9, kernel 3x3, stride [2, 2] and pad [0, 0, 0, 0] give 4x4}}
  dwsep.conv2d ins(%x, %w, %b : memref<3x9x9xi8>, memref<8x3x3x3xi8>, memref<8xi32>)
    outs(%o : memref<8x5x5xi8>) layout <chw> stride [2, 2] requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<9x9x3xi8>, %w: memref<8x3x3x3xi8>, %b: memref<8xi32>, %o: memref<7x7x8xi8>) {
  // expected-error @+1 {{'dwsep.conv2d' op stride width must be >= 1, got 0}}
  dwsep.conv2d ins(%x, %w, %b : memref<9x9x3xi8>, memref<8x3x3x3xi8>, memref<8xi32>)
    outs(%o : memref<7x7x8xi8>) stride [1, 0] requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<9x9x3xi8>, %w: memref<8x3x3x3xi8>, %b: memref<8xi32>, %o: memref<7x7x8xi8>) {
  // expected-error @+1 {{'dwsep.conv2d' op stride must have 2 values [h, w], got 1}}
  dwsep.conv2d ins(%x, %w, %b : memref<9x9x3xi8>, memref<8x3x3x3xi8>, memref<8xi32>)
    outs(%o : memref<7x7x8xi8>) stride [1] requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<9x9x3xi8>, %w: memref<8x3x3x3xi8>, %b: memref<8xi32>, %o: memref<7x7x8xi8>) {
  // expected-error @+1 {{'dwsep.conv2d' op pad must have 4 values [top, left, bottom, right], got 2}}
  dwsep.conv2d ins(%x, %w, %b : memref<9x9x3xi8>, memref<8x3x3x3xi8>, memref<8xi32>)
    outs(%o : memref<7x7x8xi8>) pad [1, 1] requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<9x9x3xi8>, %w: memref<8x3x3x3xi8>, %b: memref<8xi32>, %o: memref<7x7x8xi8>) {
  // expected-error @+1 {{'dwsep.conv2d' op padding of height [3, 0] must be in [0, kernel - 1 = 2]}}
  dwsep.conv2d ins(%x, %w, %b : memref<9x9x3xi8>, memref<8x3x3x3xi8>, memref<8xi32>)
    outs(%o : memref<7x7x8xi8>) pad [3, 0, 0, 0] requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<9x9x3xi8>, %w: memref<8x0x3x3xi8>, %b: memref<8xi32>, %o: memref<7x7x8xi8>) {
  // expected-error @+1 {{'dwsep.conv2d' op kernel height must be >= 1, got 0}}
  dwsep.conv2d ins(%x, %w, %b : memref<9x9x3xi8>, memref<8x0x3x3xi8>, memref<8xi32>)
    outs(%o : memref<7x7x8xi8>) requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<2x9x3xi8>, %w: memref<8x5x3x3xi8>, %b: memref<8xi32>, %o: memref<1x7x8xi8>) {
  // expected-error @+1 {{'dwsep.conv2d' op kernel height 5 is larger than the padded input 2 + 1 + 1}}
  dwsep.conv2d ins(%x, %w, %b : memref<2x9x3xi8>, memref<8x5x3x3xi8>, memref<8xi32>)
    outs(%o : memref<1x7x8xi8>) pad [1, 0, 1, 0] requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

//===----------------------------------------------------------------------===//
// dwsep.depthwise
//===----------------------------------------------------------------------===//

// -----

func.func @f(%x: memref<8x8x4xi8>, %w: memref<3x3x5xi8>, %b: memref<5xi32>, %o: memref<6x6x4xi8>) {
  // expected-error @+1 {{'dwsep.depthwise' op weights channels (dim 2) is 5 but the input's channel count is 4}}
  dwsep.depthwise ins(%x, %w, %b : memref<8x8x4xi8>, memref<3x3x5xi8>, memref<5xi32>)
    outs(%o : memref<6x6x4xi8>) requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<8x8x4xi8>, %w: memref<3x3x4xi8>, %b: memref<4xi32>, %o: memref<6x6x8xi8>) {
  // expected-error @+1 {{'dwsep.depthwise' op init channels is 8 but the input's channel count (channel multiplier 1) is 4}}
  dwsep.depthwise ins(%x, %w, %b : memref<8x8x4xi8>, memref<3x3x4xi8>, memref<4xi32>)
    outs(%o : memref<6x6x8xi8>) requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<8x8x4xi8>, %w: memref<3x3x4xi8>, %b: memref<3xi32>, %o: memref<6x6x4xi8>) {
  // expected-error @+1 {{'dwsep.depthwise' op bias size is 3 but the channel count is 4}}
  dwsep.depthwise ins(%x, %w, %b : memref<8x8x4xi8>, memref<3x3x4xi8>, memref<3xi32>)
    outs(%o : memref<6x6x4xi8>) requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

// A CHW activation 4x8x8 is C=4, H=8, W=8; the HWC reading would be C=8.
func.func @f(%x: memref<4x8x8xi8>, %w: memref<3x3x4xi8>, %b: memref<4xi32>, %o: memref<4x6x6xi8>) {
  // expected-error @+1 {{'dwsep.depthwise' op weights channels (dim 2) is 4 but the input's channel count is 8}}
  dwsep.depthwise ins(%x, %w, %b : memref<4x8x8xi8>, memref<3x3x4xi8>, memref<4xi32>)
    outs(%o : memref<4x6x6xi8>) requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

//===----------------------------------------------------------------------===//
// dwsep.pointwise
//===----------------------------------------------------------------------===//

// -----

func.func @f(%x: memref<4x8x8xi8>, %w: memref<6x7xi8>, %b: memref<6xi32>, %o: memref<4x8x6xi8>) {
  // expected-error @+1 {{'dwsep.pointwise' op weights input channels (dim 1) is 7 but the input's channel count is 8}}
  dwsep.pointwise ins(%x, %w, %b : memref<4x8x8xi8>, memref<6x7xi8>, memref<6xi32>)
    outs(%o : memref<4x8x6xi8>) requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<4x8x8xi8>, %w: memref<6x8xi8>, %b: memref<6xi32>, %o: memref<4x8x5xi8>) {
  // expected-error @+1 {{'dwsep.pointwise' op weights output channels (dim 0) is 6 but the init's channel count is 5}}
  dwsep.pointwise ins(%x, %w, %b : memref<4x8x8xi8>, memref<6x8xi8>, memref<6xi32>)
    outs(%o : memref<4x8x5xi8>) requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<4x8x8xi8>, %w: memref<6x8xi8>, %b: memref<5xi32>, %o: memref<4x8x6xi8>) {
  // expected-error @+1 {{'dwsep.pointwise' op bias size is 5 but the output channel count is 6}}
  dwsep.pointwise ins(%x, %w, %b : memref<4x8x8xi8>, memref<6x8xi8>, memref<5xi32>)
    outs(%o : memref<4x8x6xi8>) requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<4x8x8xi8>, %w: memref<6x8xi8>, %b: memref<6xi32>, %o: memref<3x8x6xi8>) {
  // expected-error @+1 {{'dwsep.pointwise' op init height is 3 but the input height is 4}}
  dwsep.pointwise ins(%x, %w, %b : memref<4x8x8xi8>, memref<6x8xi8>, memref<6xi32>)
    outs(%o : memref<3x8x6xi8>) requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<4x8x8xi8>, %w: memref<6x8xi8>, %b: memref<6xi32>, %o: memref<4x7x6xi8>) {
  // expected-error @+1 {{'dwsep.pointwise' op init width is 7 but the input width is 8}}
  dwsep.pointwise ins(%x, %w, %b : memref<4x8x8xi8>, memref<6x8xi8>, memref<6xi32>)
    outs(%o : memref<4x7x6xi8>) requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

//===----------------------------------------------------------------------===//
// dwsep.fused
//===----------------------------------------------------------------------===//

// -----

func.func @f(%x: memref<8x8x16xi8>, %dww: memref<3x3x24xi8>, %dwb: memref<24xi32>,
             %pww: memref<24x16xi8>, %pwb: memref<24xi32>, %o: memref<8x8x24xi8>) {
  // expected-error @+1 {{'dwsep.fused' op pw_zp_folded applies to a DW->PW op (whose pointwise half reads the intermediate); this one is PW->DW}}
  dwsep.fused ins(%x : memref<8x8x16xi8>) dw(%dww, %dwb : memref<3x3x24xi8>, memref<24xi32>)
    pw(%pww, %pwb : memref<24x16xi8>, memref<24xi32>) outs(%o : memref<8x8x24xi8>)
    variant <pw_dw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1]
    pw_zp_folded
    dw_requant <mult = [1], shift = [0], clamp = [-128, 127]> pw_requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<8x8x16xi8>, %dww: memref<3x3x16xi8>, %dwb: memref<16xi32>,
             %pww: memref<24x16xi8>, %pwb: memref<24xi32>, %o: memref<8x8x24xi8>) {
  // expected-error @+1 {{'dwsep.fused' op attribute 'scratch_offset' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative}}
  dwsep.fused ins(%x : memref<8x8x16xi8>) dw(%dww, %dwb : memref<3x3x16xi8>, memref<16xi32>)
    pw(%pww, %pwb : memref<24x16xi8>, memref<24xi32>) outs(%o : memref<8x8x24xi8>)
    variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1]
    dw_requant <mult = [1], shift = [0], clamp = [-128, 127]> pw_requant <mult = [1], shift = [0], clamp = [-128, 127]>
    scratch_offset -4
  return
}

// -----

func.func @f(%x: memref<8x8x16xi8>, %dww: memref<3x3x24xi8>, %dwb: memref<24xi32>,
             %pww: memref<24x16xi8>, %pwb: memref<24xi32>, %o: memref<8x8x24xi8>) {
  // expected-error @+1 {{'dwsep.fused' op reuse_mid applies to a DW->PW op (whose intermediate, every channel of the tile's rows, serves every output channel slice); this one is PW->DW}}
  dwsep.fused ins(%x : memref<8x8x16xi8>) dw(%dww, %dwb : memref<3x3x24xi8>, memref<24xi32>)
    pw(%pww, %pwb : memref<24x16xi8>, memref<24xi32>) outs(%o : memref<8x8x24xi8>)
    variant <pw_dw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1]
    dw_requant <mult = [1], shift = [0], clamp = [-128, 127]> pw_requant <mult = [1], shift = [0], clamp = [-128, 127]>
    scratch_offset 0 reuse_mid
  return
}

// -----

func.func @f(%x: memref<8x8x16xi8>, %dww: memref<3x3x16xi8>, %dwb: memref<15xi32>,
             %pww: memref<24x16xi8>, %pwb: memref<24xi32>, %o: memref<8x8x24xi8>) {
  // expected-error @+1 {{'dwsep.fused' op dw bias size is 15 but the dw weights' channel count is 16}}
  dwsep.fused ins(%x : memref<8x8x16xi8>) dw(%dww, %dwb : memref<3x3x16xi8>, memref<15xi32>)
    pw(%pww, %pwb : memref<24x16xi8>, memref<24xi32>) outs(%o : memref<8x8x24xi8>)
    variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1]
    dw_requant <mult = [1], shift = [0], clamp = [-128, 127]> pw_requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<8x8x16xi8>, %dww: memref<3x3x16xi8>, %dwb: memref<16xi32>,
             %pww: memref<24x16xi8>, %pwb: memref<23xi32>, %o: memref<8x8x24xi8>) {
  // expected-error @+1 {{'dwsep.fused' op pw bias size is 23 but the pw weights' output channel count is 24}}
  dwsep.fused ins(%x : memref<8x8x16xi8>) dw(%dww, %dwb : memref<3x3x16xi8>, memref<16xi32>)
    pw(%pww, %pwb : memref<24x16xi8>, memref<23xi32>) outs(%o : memref<8x8x24xi8>)
    variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1]
    dw_requant <mult = [1], shift = [0], clamp = [-128, 127]> pw_requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<8x8x16xi8>, %dww: memref<3x3x16xi8>, %dwb: memref<16xi32>,
             %pww: memref<24x16xi8>, %pwb: memref<24xi32>, %o: memref<8x8x24xi8>) {
  // expected-error @+1 {{'dwsep.fused' op dw_requant zp 200 (the intermediate's zero point) is outside the range [-128, 127] of mid_type 'i8'}}
  dwsep.fused ins(%x : memref<8x8x16xi8>) dw(%dww, %dwb : memref<3x3x16xi8>, memref<16xi32>)
    pw(%pww, %pwb : memref<24x16xi8>, memref<24xi32>) outs(%o : memref<8x8x24xi8>)
    variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1]
    dw_requant <mult = [1], shift = [0], zp = 200, clamp = [-128, 127]> pw_requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<8x8x16xi8>, %dww: memref<3x3x12xi8>, %dwb: memref<12xi32>,
             %pww: memref<24x16xi8>, %pwb: memref<24xi32>, %o: memref<8x8x24xi8>) {
  // expected-error @+1 {{'dwsep.fused' op dw weights channels (dim 2) is 12 but the input's channel count is 16}}
  dwsep.fused ins(%x : memref<8x8x16xi8>) dw(%dww, %dwb : memref<3x3x12xi8>, memref<12xi32>)
    pw(%pww, %pwb : memref<24x16xi8>, memref<24xi32>) outs(%o : memref<8x8x24xi8>)
    variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1]
    dw_requant <mult = [1], shift = [0], clamp = [-128, 127]> pw_requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<8x8x16xi8>, %dww: memref<3x3x16xi8>, %dwb: memref<16xi32>,
             %pww: memref<24x12xi8>, %pwb: memref<24xi32>, %o: memref<8x8x24xi8>) {
  // expected-error @+1 {{'dwsep.fused' op pw weights input channels (dim 1) is 12 but the depthwise output's channel count is 16}}
  dwsep.fused ins(%x : memref<8x8x16xi8>) dw(%dww, %dwb : memref<3x3x16xi8>, memref<16xi32>)
    pw(%pww, %pwb : memref<24x12xi8>, memref<24xi32>) outs(%o : memref<8x8x24xi8>)
    variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1]
    dw_requant <mult = [1], shift = [0], clamp = [-128, 127]> pw_requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<8x8x16xi8>, %dww: memref<3x3x16xi8>, %dwb: memref<16xi32>,
             %pww: memref<24x16xi8>, %pwb: memref<24xi32>, %o: memref<8x8x20xi8>) {
  // expected-error @+1 {{'dwsep.fused' op pw weights output channels (dim 0) is 24 but the init's channel count is 20}}
  dwsep.fused ins(%x : memref<8x8x16xi8>) dw(%dww, %dwb : memref<3x3x16xi8>, memref<16xi32>)
    pw(%pww, %pwb : memref<24x16xi8>, memref<24xi32>) outs(%o : memref<8x8x20xi8>)
    variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1]
    dw_requant <mult = [1], shift = [0], clamp = [-128, 127]> pw_requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<8x8x16xi8>, %dww: memref<3x3x16xi8>, %dwb: memref<16xi32>,
             %pww: memref<24x16xi8>, %pwb: memref<24xi32>, %o: memref<4x4x24xi8>) {
  // expected-error @+1 {{'dwsep.fused' op init is 4x4 (HxW) but the input 8x8, kernel 3x3, stride [1, 1] and pad [1, 1, 1, 1] give 8x8}}
  dwsep.fused ins(%x : memref<8x8x16xi8>) dw(%dww, %dwb : memref<3x3x16xi8>, memref<16xi32>)
    pw(%pww, %pwb : memref<24x16xi8>, memref<24xi32>) outs(%o : memref<4x4x24xi8>)
    variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1]
    dw_requant <mult = [1], shift = [0], clamp = [-128, 127]> pw_requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<8x8x16xi8>, %dww: memref<3x3x16xi8>, %dwb: memref<16xi32>,
             %pww: memref<24x16xi8>, %pwb: memref<24xi32>, %o: memref<8x8x24xi8>) {
  // expected-error @+1 {{'dwsep.fused' op dw_requant clamp [0, 255] exceeds the range [-128, 127] of 'i8', the type it produces}}
  dwsep.fused ins(%x : memref<8x8x16xi8>) dw(%dww, %dwb : memref<3x3x16xi8>, memref<16xi32>)
    pw(%pww, %pwb : memref<24x16xi8>, memref<24xi32>) outs(%o : memref<8x8x24xi8>)
    variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1]
    dw_requant <mult = [1], shift = [0], clamp = [0, 255]> pw_requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<8x8x16xi8>, %dww: memref<3x3x24xi8>, %dwb: memref<24xi32>,
             %pww: memref<24x15xi8>, %pwb: memref<24xi32>, %o: memref<8x8x24xi8>) {
  // expected-error @+1 {{'dwsep.fused' op pw weights input channels (dim 1) is 15 but the input's channel count is 16}}
  dwsep.fused ins(%x : memref<8x8x16xi8>) dw(%dww, %dwb : memref<3x3x24xi8>, memref<24xi32>)
    pw(%pww, %pwb : memref<24x15xi8>, memref<24xi32>) outs(%o : memref<8x8x24xi8>)
    variant <pw_dw, input = hwc, mid = chw, output = hwc, split = channels> mid_type i8 pad [1, 1, 1, 1]
    dw_requant <mult = [1], shift = [0], clamp = [-128, 127]> pw_requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<8x8x16xi8>, %dww: memref<3x3x20xi8>, %dwb: memref<20xi32>,
             %pww: memref<24x16xi8>, %pwb: memref<24xi32>, %o: memref<8x8x24xi8>) {
  // expected-error @+1 {{'dwsep.fused' op dw weights channels (dim 2) is 20 but the pointwise output's channel count is 24}}
  dwsep.fused ins(%x : memref<8x8x16xi8>) dw(%dww, %dwb : memref<3x3x20xi8>, memref<20xi32>)
    pw(%pww, %pwb : memref<24x16xi8>, memref<24xi32>) outs(%o : memref<8x8x24xi8>)
    variant <pw_dw, input = hwc, mid = chw, output = hwc, split = channels> mid_type i8 pad [1, 1, 1, 1]
    dw_requant <mult = [1], shift = [0], clamp = [-128, 127]> pw_requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

// Variant 7 is CHW in and out: 24x8x8 is C=24.
func.func @f(%x: memref<16x8x8xi8>, %dww: memref<3x3x24xi8>, %dwb: memref<24xi32>,
             %pww: memref<24x16xi8>, %pwb: memref<24xi32>, %o: memref<8x8x24xi8>) {
  // expected-error @+1 {{'dwsep.fused' op init channels is 8 but the pointwise output's channel count is 24}}
  dwsep.fused ins(%x : memref<16x8x8xi8>) dw(%dww, %dwb : memref<3x3x24xi8>, memref<24xi32>)
    pw(%pww, %pwb : memref<24x16xi8>, memref<24xi32>) outs(%o : memref<8x8x24xi8>)
    variant <pw_dw, input = chw, mid = chw, output = chw, split = channels> mid_type i8 pad [1, 1, 1, 1]
    dw_requant <mult = [1], shift = [0], clamp = [-128, 127]> pw_requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<8x8x16xi8>, %dww: memref<3x3x24xi8>, %dwb: memref<24xi32>,
             %pww: memref<24x16xi8>, %pwb: memref<24xi32>, %o: memref<8x8x24xi8>) {
  // expected-error @+1 {{'dwsep.fused' op init is 8x8 (HxW) but the input 8x8, kernel 3x3, stride [2, 2] and pad [1, 1, 1, 1] give 4x4}}
  dwsep.fused ins(%x : memref<8x8x16xi8>) dw(%dww, %dwb : memref<3x3x24xi8>, memref<24xi32>)
    pw(%pww, %pwb : memref<24x16xi8>, memref<24xi32>) outs(%o : memref<8x8x24xi8>)
    variant <pw_dw, input = hwc, mid = chw, output = hwc, split = channels> mid_type i8 stride [2, 2] pad [1, 1, 1, 1]
    dw_requant <mult = [1], shift = [0], clamp = [-128, 127]> pw_requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<8x8x16xi8>, %dww: memref<3x3x24xi8>, %dwb: memref<24xi32>,
             %pww: memref<24x16xi8>, %pwb: memref<24xi32>, %o: memref<8x8x24xi8>) {
  // expected-error @+1 {{'dwsep.fused' op pw_requant clamp [0, 300] exceeds the range [0, 255] of 'ui8', the type it produces}}
  dwsep.fused ins(%x : memref<8x8x16xi8>) dw(%dww, %dwb : memref<3x3x24xi8>, memref<24xi32>)
    pw(%pww, %pwb : memref<24x16xi8>, memref<24xi32>) outs(%o : memref<8x8x24xi8>)
    variant <pw_dw, input = hwc, mid = chw, output = hwc, split = channels> mid_type ui8 pad [1, 1, 1, 1]
    dw_requant <mult = [1], shift = [0], clamp = [-128, 127]> pw_requant <mult = [1], shift = [0], clamp = [0, 300]>
  return
}

// -----

func.func @f(%x: memref<8x8x16xi8>, %dww: memref<3x3x24xi8>, %dwb: memref<24xi32>,
             %pww: memref<24x16xi8>, %pwb: memref<24xi32>, %o: memref<8x8x24xi8>) {
  // expected-error @+1 {{'dwsep.fused' op dw_requant has 2 per-channel values but the output has 24 channels}}
  dwsep.fused ins(%x : memref<8x8x16xi8>) dw(%dww, %dwb : memref<3x3x24xi8>, memref<24xi32>)
    pw(%pww, %pwb : memref<24x16xi8>, memref<24xi32>) outs(%o : memref<8x8x24xi8>)
    variant <pw_dw, input = hwc, mid = chw, output = hwc, split = channels> mid_type i8 pad [1, 1, 1, 1]
    dw_requant <mult = [1, 2], shift = [0], clamp = [-128, 127]> pw_requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

//===----------------------------------------------------------------------===//
// dwsep.add
//===----------------------------------------------------------------------===//

// -----

func.func @f(%a: memref<4x4x8xi8>, %b: memref<4x4x7xi8>, %o: memref<4x4x8xi8>) {
  // expected-error @+1 {{'dwsep.add' op rhs shape 'memref<4x4x7xi8>' differs from the lhs shape 'memref<4x4x8xi8>'}}
  dwsep.add ins(%a, %b : memref<4x4x8xi8>, memref<4x4x7xi8>) outs(%o : memref<4x4x8xi8>)
    lhs_requant <mult = [1], shift = [0], clamp = [-2147483648, 2147483647]>
    rhs_requant <mult = [1], shift = [0], clamp = [-2147483648, 2147483647]>
    requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%a: memref<4x4x8xi8>, %b: memref<4x4x8xui8>, %o: memref<4x4x8xi8>) {
  // expected-error @+1 {{'dwsep.add' op rhs_zp 256 is outside the range [0, 255] of 'ui8'}}
  dwsep.add ins(%a, %b : memref<4x4x8xi8>, memref<4x4x8xui8>) outs(%o : memref<4x4x8xi8>) rhs_zp 256
    lhs_requant <mult = [1], shift = [0], clamp = [-2147483648, 2147483647]>
    rhs_requant <mult = [1], shift = [0], clamp = [-2147483648, 2147483647]>
    requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%a: memref<4x4x8xi8>, %b: memref<4x4x8xi8>, %o: memref<4x4x8xi8>) {
  // expected-error @+1 {{'dwsep.add' op lhs_requant has 3 per-channel values but the output has 8 channels}}
  dwsep.add ins(%a, %b : memref<4x4x8xi8>, memref<4x4x8xi8>) outs(%o : memref<4x4x8xi8>)
    lhs_requant <mult = [1, 1, 1], shift = [0], clamp = [-2147483648, 2147483647]>
    rhs_requant <mult = [1], shift = [0], clamp = [-2147483648, 2147483647]>
    requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

//===----------------------------------------------------------------------===//
// dwsep.avgpool
//===----------------------------------------------------------------------===//

// -----

func.func @f(%x: memref<4x4x8xi8>, %o: memref<1x1x8xi8>) {
  // expected-error @+1 {{'dwsep.avgpool' op kernel must have 2 values [h, w], got 3}}
  dwsep.avgpool ins(%x : memref<4x4x8xi8>) outs(%o : memref<1x1x8xi8>) kernel [4, 4, 1]
    requant <mult = [1], shift = [4], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<4x4x8xi8>, %o: memref<1x1x4xi8>) {
  // expected-error @+1 {{'dwsep.avgpool' op init channels is 4 but the input's channel count is 8}}
  dwsep.avgpool ins(%x : memref<4x4x8xi8>) outs(%o : memref<1x1x4xi8>) kernel [4, 4]
    requant <mult = [1], shift = [4], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<4x4x8xi8>, %o: memref<2x2x8xi8>) {
  // expected-error @+1 {{'dwsep.avgpool' op init is 2x2 (HxW) but the input 4x4, kernel 4x4, stride [1, 1] and pad [0, 0, 0, 0] give 1x1}}
  dwsep.avgpool ins(%x : memref<4x4x8xi8>) outs(%o : memref<2x2x8xi8>) kernel [4, 4]
    requant <mult = [1], shift = [4], clamp = [-128, 127]>
  return
}

//===----------------------------------------------------------------------===//
// dwsep.linear
//===----------------------------------------------------------------------===//

// -----

// An H x W x C input is a flattened map of H * W * C features.
func.func @f(%x: memref<2x1x8xi8>, %w: memref<4x8xi8>, %b: memref<4xi32>, %o: memref<4xi8>) {
  // expected-error @+1 {{'dwsep.linear' op weights input features (dim 1) is 8 but the input's feature count is 16}}
  dwsep.linear ins(%x, %w, %b : memref<2x1x8xi8>, memref<4x8xi8>, memref<4xi32>) outs(%o : memref<4xi8>)
    requant <mult = [1], shift = [4], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<8xi8>, %w: memref<4x8xi8>, %b: memref<4xi32>, %o: memref<4x4xi8>) {
  // expected-error @+1 {{'dwsep.linear' op init must have rank 1 or 3, got 'memref<4x4xi8>'}}
  dwsep.linear ins(%x, %w, %b : memref<8xi8>, memref<4x8xi8>, memref<4xi32>) outs(%o : memref<4x4xi8>)
    requant <mult = [1], shift = [4], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<8xi8>, %w: memref<4x9xi8>, %b: memref<4xi32>, %o: memref<4xi8>) {
  // expected-error @+1 {{'dwsep.linear' op weights input features (dim 1) is 9 but the input's feature count is 8}}
  dwsep.linear ins(%x, %w, %b : memref<8xi8>, memref<4x9xi8>, memref<4xi32>) outs(%o : memref<4xi8>)
    requant <mult = [1], shift = [4], clamp = [-128, 127]>
  return
}

// -----

// The accumulate form (i32 init: the K slices --dwsep-tile makes) lives in
// L1 only, reads its own accumulators as bias, and is not requantized.
#l1 = #dwsep.level<l1>
#l2 = #dwsep.level<l2>
func.func @f(%x: memref<8xi8, #l2>, %w: memref<4x8xi8, #l2>, %acc: memref<4xi32, #l2>) {
  // expected-error @+1 {{'dwsep.linear' op accumulates into an i32 init only in L1 (the input-feature slices --dwsep-tile makes), got 'memref<4xi32, #dwsep.level<l2>>'}}
  dwsep.linear ins(%x, %w, %acc : memref<8xi8, #l2>, memref<4x8xi8, #l2>, memref<4xi32, #l2>) outs(%acc : memref<4xi32, #l2>)
    requant <mult = [1], shift = [0], clamp = [-2147483648, 2147483647]>
  return
}

// -----

#l1 = #dwsep.level<l1>
func.func @f(%x: memref<8xi8, #l1>, %w: memref<4x8xi8, #l1>, %b: memref<4xi32, #l1>, %acc: memref<4xi32, #l1>) {
  // expected-error @+1 {{'dwsep.linear' op accumulate form: the bias must be the i32 init itself (the accumulators of the slices before)}}
  dwsep.linear ins(%x, %w, %b : memref<8xi8, #l1>, memref<4x8xi8, #l1>, memref<4xi32, #l1>) outs(%acc : memref<4xi32, #l1>)
    requant <mult = [1], shift = [0], clamp = [-2147483648, 2147483647]>
  return
}

// -----

#l1 = #dwsep.level<l1>
func.func @f(%x: memref<8xi8, #l1>, %w: memref<4x8xi8, #l1>, %acc: memref<4xi32, #l1>, %r: memref<4x2xi32, #l1>) {
  // expected-error @+1 {{'dwsep.linear' op accumulate form: no requantization, so no requant_rows or channel_offset}}
  dwsep.linear ins(%x, %w, %acc : memref<8xi8, #l1>, memref<4x8xi8, #l1>, memref<4xi32, #l1>) requant_rows(%r : memref<4x2xi32, #l1>) outs(%acc : memref<4xi32, #l1>)
    requant <mult = [1], shift = [0], clamp = [-2147483648, 2147483647]>
  return
}

// -----

#l1 = #dwsep.level<l1>
func.func @f(%x: memref<8xi8, #l1>, %w: memref<4x8xi8, #l1>, %acc: memref<4xi32, #l1>) {
  // expected-error @+1 {{'dwsep.linear' op accumulate form: requant must be the identity #dwsep.requant<mult = [1], shift = [0], clamp = [-2147483648, 2147483647]>, got #dwsep.requant<mult = [1], shift = [4], clamp = [-128, 127]>}}
  dwsep.linear ins(%x, %w, %acc : memref<8xi8, #l1>, memref<4x8xi8, #l1>, memref<4xi32, #l1>) outs(%acc : memref<4xi32, #l1>)
    requant <mult = [1], shift = [4], clamp = [-128, 127]>
  return
}

// -----

// An i32 init is an L1 accumulator memref, never a tensor.
func.func @f(%x: tensor<8xi8>, %w: tensor<4x8xi8>, %acc: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{'dwsep.linear' op operand #3 must be 8-bit activation tensor or memref, or int32 accumulator memref}}
  %y = dwsep.linear ins(%x, %w, %acc : tensor<8xi8>, tensor<4x8xi8>, tensor<4xi32>) outs(%acc : tensor<4xi32>)
    requant <mult = [1], shift = [0], clamp = [-2147483648, 2147483647]> -> tensor<4xi8>
  return %y : tensor<4xi8>
}

// -----

func.func @f(%x: memref<8xi8>, %w: memref<4x8xi8>, %b: memref<4xi32>, %o: memref<1x1x5xi8>) {
  // expected-error @+1 {{'dwsep.linear' op weights output features (dim 0) is 4 but the init's feature count is 5}}
  dwsep.linear ins(%x, %w, %b : memref<8xi8>, memref<4x8xi8>, memref<4xi32>) outs(%o : memref<1x1x5xi8>)
    requant <mult = [1], shift = [4], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<8xi8>, %w: memref<4x8xi8>, %b: memref<2xi32>, %o: memref<4xi8>) {
  // expected-error @+1 {{'dwsep.linear' op bias size is 2 but the output feature count is 4}}
  dwsep.linear ins(%x, %w, %b : memref<8xi8>, memref<4x8xi8>, memref<2xi32>) outs(%o : memref<4xi8>)
    requant <mult = [1], shift = [4], clamp = [-128, 127]>
  return
}

//===----------------------------------------------------------------------===//
// dwsep.relayout
//===----------------------------------------------------------------------===//

// -----

func.func @f(%x: memref<4x6x8xi8>, %o: memref<4x6x8xi8>) {
  // expected-error @+1 {{'dwsep.relayout' op converts hwc to itself; from and to must differ}}
  dwsep.relayout ins(%x : memref<4x6x8xi8>) outs(%o : memref<4x6x8xi8>) from <hwc> to <hwc>
  return
}

// -----

func.func @f(%x: memref<4x6x8xi8>, %o: memref<8x4x6xui8>) {
  // expected-error @+1 {{'dwsep.relayout' op element type 'ui8' of init differs from the input's 'i8'}}
  dwsep.relayout ins(%x : memref<4x6x8xi8>) outs(%o : memref<8x4x6xui8>) from <hwc> to <chw>
  return
}

// -----

func.func @f(%x: memref<4x6x8xi8>, %o: memref<4x6x8xi8>) {
  // expected-error @+1 {{'dwsep.relayout' op init 'memref<4x6x8xi8>' is H=6 W=8 C=4 in chw but the input 'memref<4x6x8xi8>' is H=4 W=6 C=8 in hwc}}
  dwsep.relayout ins(%x : memref<4x6x8xi8>) outs(%o : memref<4x6x8xi8>) from <hwc> to <chw>
  return
}

//===----------------------------------------------------------------------===//
// dwsep.dma_start
//===----------------------------------------------------------------------===//

// -----

func.func @f(%a: memref<4x16xi8, #dwsep.level<l2>>, %b: memref<4x8xi8, #dwsep.level<l1>>) {
  // expected-error @+1 {{'dwsep.dma_start' op source 'memref<4x16xi8, #dwsep.level<l2>>' and target 'memref<4x8xi8, #dwsep.level<l1>>' must have the same shape and element type}}
  %t = dwsep.dma_start %a, %b : memref<4x16xi8, #dwsep.level<l2>> to memref<4x8xi8, #dwsep.level<l1>>
  return
}

// -----

func.func @f(%a: memref<2x2x2x2xi8, #dwsep.level<l2>>, %b: memref<2x2x2x2xi8, #dwsep.level<l1>>) {
  // expected-error @+1 {{'dwsep.dma_start' op transfers are 1-D to 3-D, got rank 4}}
  %t = dwsep.dma_start %a, %b : memref<2x2x2x2xi8, #dwsep.level<l2>> to memref<2x2x2x2xi8, #dwsep.level<l1>>
  return
}

// -----

func.func @f(%a: memref<16xi4, #dwsep.level<l2>>, %b: memref<16xi4, #dwsep.level<l1>>) {
  // expected-error @+1 {{'dwsep.dma_start' op element type 'i4' is not a whole number of bytes}}
  %t = dwsep.dma_start %a, %b : memref<16xi4, #dwsep.level<l2>> to memref<16xi4, #dwsep.level<l1>>
  return
}

// -----

// Elements without a bit width (index) are refused, not measured.
func.func @f(%a: memref<16xindex, #dwsep.level<l2>>, %b: memref<16xindex, #dwsep.level<l1>>) {
  // expected-error @+1 {{'dwsep.dma_start' op element type 'index' is not a whole number of bytes}}
  %t = dwsep.dma_start %a, %b : memref<16xindex, #dwsep.level<l2>> to memref<16xindex, #dwsep.level<l1>>
  return
}

// -----

func.func @f(%a: memref<16xi8>, %b: memref<16xi8, #dwsep.level<l1>>) {
  // expected-error @+1 {{'dwsep.dma_start' op source must be in a #dwsep.level memory space, got 'memref<16xi8>'}}
  %t = dwsep.dma_start %a, %b : memref<16xi8> to memref<16xi8, #dwsep.level<l1>>
  return
}

// -----

func.func @f(%a: memref<16xi8, #dwsep.level<l3>>, %b: memref<16xi8, #dwsep.level<l1>>) {
  // expected-error @+1 {{'dwsep.dma_start' op cannot copy l3 -> l1: DMA connects L3<->L2 and L2<->L1 only}}
  %t = dwsep.dma_start %a, %b : memref<16xi8, #dwsep.level<l3>> to memref<16xi8, #dwsep.level<l1>>
  return
}

// -----

func.func @f(%a: memref<16xi8, #dwsep.level<l2>>, %b: memref<16xi8, #dwsep.level<l2>>) {
  // expected-error @+1 {{'dwsep.dma_start' op cannot copy l2 -> l2: DMA connects L3<->L2 and L2<->L1 only}}
  %t = dwsep.dma_start %a, %b : memref<16xi8, #dwsep.level<l2>> to memref<16xi8, #dwsep.level<l2>>
  return
}

//===----------------------------------------------------------------------===//
// dwsep.layer
//===----------------------------------------------------------------------===//

// -----

func.func @f() {
  // expected-error @+1 {{'dwsep.layer' op tile must be [rows, channels] or [rows, channels, input channels], each >= 1}}
  dwsep.layer "l" attributes {tile = array<i64: 4>} {
  }
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{'dwsep.layer' op l1_bytes must not be negative}}
  dwsep.layer "l" attributes {l1_bytes = -1 : i64} {
  }
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{tile plan needs 12 macs and outs (one per cost class), got 1 and 12}}
  dwsep.layer "l" attributes {plan = #dwsep.tile_plan<act_l2_l1 = 0, weights_l2_l1 = 0, act_l1_l2 = 0, transfers = 0, compute_cycles = 0, dma_cycles = 0, total_cycles = 0, macs = [0], outs = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], forks = 0, tiles = 0, exposed_dma_cycles = 0>} {
  }
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{tile plan transfers = -1 must not be negative}}
  dwsep.layer "l" attributes {plan = #dwsep.tile_plan<act_l2_l1 = 0, weights_l2_l1 = 0, act_l1_l2 = 0, transfers = -1, compute_cycles = 0, dma_cycles = 0, total_cycles = 0, macs = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], outs = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], forks = 0, tiles = 0, exposed_dma_cycles = 0>} {
  }
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{tile plan outs must not be negative, got -3}}
  dwsep.layer "l" attributes {plan = #dwsep.tile_plan<act_l2_l1 = 0, weights_l2_l1 = 0, act_l1_l2 = 0, transfers = 0, compute_cycles = 0, dma_cycles = 0, total_cycles = 0, macs = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], outs = [0, 0, -3, 0, 0, 0, 0, 0, 0, 0, 0, 0], forks = 0, tiles = 0, exposed_dma_cycles = 0>} {
  }
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{'dwsep.layer' op attribute 'plan' failed to satisfy constraint}}
  dwsep.layer "l" attributes {plan = {transfers = 1 : i64}} {
  }
  return
}

// -----

// expected-error @+1 {{target xpulpv2 must be 0 or 1, got 2}}
module attributes {dwsep.target = #dwsep.target<"gap8", xpulpv2 = 2>} {}

// -----

// requant_rows (RequantRowsOpInterface): one row per output channel.
func.func @f(%x: memref<4x4x8xi8>, %w: memref<6x8xi8>, %b: memref<6xi32>, %r: memref<4x1xi16>, %o: memref<4x4x6xi8>) {
  // expected-error @+1 {{'dwsep.pointwise' op requant_rows rows (dim 0) is 4 but the output channel count is 6}}
  dwsep.pointwise ins(%x, %w, %b : memref<4x4x8xi8>, memref<6x8xi8>, memref<6xi32>) requant_rows(%r : memref<4x1xi16>)
    outs(%o : memref<4x4x6xi8>) requant <mult = [1, 2, 3, 4, 5, 6], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<8xi8>, %w: memref<6x8xi8>, %b: memref<6xi32>, %r: memref<6xi32>, %o: memref<6xi8>) {
  // expected-error @+1 {{'dwsep.linear' op requant_rows must be a static [channels, fields] array with fields >= 1, got 'memref<6xi32>'}}
  dwsep.linear ins(%x, %w, %b : memref<8xi8>, memref<6x8xi8>, memref<6xi32>) requant_rows(%r : memref<6xi32>)
    outs(%o : memref<6xi8>) requant <mult = [1, 2, 3, 4, 5, 6], shift = [0], clamp = [-128, 127]>
  return
}

// -----

func.func @f(%x: memref<8xi8>, %w: memref<6x8xi8>, %b: memref<6xi32>, %r: memref<6x1xi8>, %o: memref<6xi8>) {
  // expected-error @+1 {{'dwsep.linear' op operand #3 must be int16 or int32 requantization rows (RequantRowsOpInterface), but got 'memref<6x1xi8>'}}
  dwsep.linear ins(%x, %w, %b : memref<8xi8>, memref<6x8xi8>, memref<6xi32>) requant_rows(%r : memref<6x1xi8>)
    outs(%o : memref<6xi8>) requant <mult = [1, 2, 3, 4, 5, 6], shift = [0], clamp = [-128, 127]>
  return
}

// -----

// A fused op's intermediate rows: one per intermediate channel (a DW->PW
// op's: the input's 16, not the output's 24).
func.func @f(%x: memref<8x8x16xi8>, %dww: memref<3x3x16xi8>, %dwb: memref<16xi32>,
             %pww: memref<24x16xi8>, %pwb: memref<24xi32>, %r: memref<24x1xi16>, %o: memref<8x8x24xi8>) {
  // expected-error @+1 {{'dwsep.fused' op mid_requant_rows rows (dim 0) is 24 but the intermediate's channel count is 16}}
  dwsep.fused ins(%x : memref<8x8x16xi8>) dw(%dww, %dwb : memref<3x3x16xi8>, memref<16xi32>)
    pw(%pww, %pwb : memref<24x16xi8>, memref<24xi32>) mid_requant_rows(%r : memref<24x1xi16>)
    outs(%o : memref<8x8x24xi8>)
    variant <dw_pw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1]
    dw_requant <mult = [1], shift = [0], clamp = [-128, 127]> pw_requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

// The output's rows: one per output channel.
func.func @f(%x: memref<8x8x16xi8>, %dww: memref<3x3x24xi8>, %dwb: memref<24xi32>,
             %pww: memref<24x16xi8>, %pwb: memref<24xi32>, %r: memref<16x2xi16>, %o: memref<8x8x24xi8>) {
  // expected-error @+1 {{'dwsep.fused' op requant_rows rows (dim 0) is 16 but the output channel count is 24}}
  dwsep.fused ins(%x : memref<8x8x16xi8>) dw(%dww, %dwb : memref<3x3x24xi8>, memref<24xi32>)
    pw(%pww, %pwb : memref<24x16xi8>, memref<24xi32>) requant_rows(%r : memref<16x2xi16>)
    outs(%o : memref<8x8x24xi8>)
    variant <pw_dw, input = hwc, mid = hwc, output = hwc, split = rows> mid_type i8 pad [1, 1, 1, 1]
    dw_requant <mult = [1], shift = [0], clamp = [-128, 127]> pw_requant <mult = [1], shift = [0], clamp = [-128, 127]>
  return
}

// -----

// expected-error @+1 {{'dwsep.layer' op must be inside a function}}
dwsep.layer "l" {
}

// -----

func.func @f() {
  dwsep.layer "outer" {
    // expected-error @+1 {{'dwsep.layer' op is nested in the layer "outer"; layers do not nest}}
    dwsep.layer "inner" {
    }
  }
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{choice chosen = 2 is not the index of one of its 2 candidates}}
  dwsep.layer "l" attributes {dwsep.candidates = #dwsep.choice<chosen = 2, candidates = [#dwsep.candidate<"hwc", cycles = 10, bytes = 4>, #dwsep.candidate<"chw", cycles = 9, bytes = 4>]>} {
  }
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{'dwsep.candidates' must be a #dwsep.choice attribute, got ["hwc"]}}
  dwsep.layer "l" attributes {dwsep.candidates = ["hwc"]} {
  }
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{tile plan kept_act_l2_l1 = 64 and kept_transfers = 1 must both be 0, or both positive and at most act_l2_l1 = 32 and transfers = 1}}
  dwsep.layer "l" attributes {plan = #dwsep.tile_plan<act_l2_l1 = 32, weights_l2_l1 = 0, act_l1_l2 = 0, transfers = 1, compute_cycles = 0, dma_cycles = 0, total_cycles = 0, macs = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], outs = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], forks = 0, tiles = 0, exposed_dma_cycles = 0, kept_act_l2_l1 = 64, kept_transfers = 1>} {
  }
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{'dwsep.layer' op input_kept_from = 1 needs a value >= 0 and a tile plan whose kept_act_l2_l1 and kept_transfers say what a kept input saves}}
  dwsep.layer "l" attributes {input_kept_from = 1 : i64, plan = #dwsep.tile_plan<act_l2_l1 = 32, weights_l2_l1 = 0, act_l1_l2 = 0, transfers = 1, compute_cycles = 0, dma_cycles = 0, total_cycles = 0, macs = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], outs = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], forks = 0, tiles = 0, exposed_dma_cycles = 0>} {
  }
  return
}

// -----

// expected-error @+1 {{'dwsep.arguments' must be an array of #dwsep.argument on a function, got [{kind = "input"}]}}
func.func @f() attributes {dwsep.arguments = [{kind = "input"}]} {
  return
}

// -----

// expected-error @+1 {{argument type must be a static memref of rank <= 4 with elements of whole bytes, got 'memref<4xindex>'}}
func.func @f() attributes {dwsep.arguments = [#dwsep.argument<kind = input, level = l2, offset = 0, type = memref<4xindex>>]} {
  return
}

// -----

// expected-error @+1 {{an argument lives in L2 or L3, not L1}}
func.func @f() attributes {dwsep.arguments = [#dwsep.argument<kind = input, level = l1, offset = 0, type = memref<4xi8>>]} {
  return
}

// -----

// expected-error @+1 {{argument offset = -4 must not be negative}}
func.func @f() attributes {dwsep.arguments = [#dwsep.argument<kind = output, level = l3, offset = -4, type = memref<4xi8>>]} {
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{'dwsep.layer' op one_input_buffer needs rows_outer: only row tiles outer keep a row tile's input across slices}}
  dwsep.layer "l" attributes {one_input_buffer, tile = array<i64: 2, 4>} {
  }
  return
}

// -----

// expected-error @+1 {{target rows_outer_margin = 100 is not a percentage in [0, 100)}}
module attributes {dwsep.target = #dwsep.target<"gap8", rows_outer_margin = 100>} {}

// -----

// expected-error @+1 {{target rows_outer_margin = -1 is not a percentage in [0, 100)}}
module attributes {dwsep.target = #dwsep.target<"gap8", rows_outer_margin = -1>} {}
