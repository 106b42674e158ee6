//===- DwsepOps.td - dwsep operations ----------------------*- tablegen -*-===//

#ifndef DWSEP_DIALECT_DWSEP_IR_DWSEPOPS_TD
#define DWSEP_DIALECT_DWSEP_IR_DWSEPOPS_TD

include "dwsep/Dialect/Dwsep/IR/DwsepAttrs.td"
include "dwsep/Dialect/Dwsep/IR/DwsepTypes.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "dwsep/Dialect/Dwsep/IR/DwsepInterfaces.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

// Activations: 8-bit, signed (i8) or unsigned (ui8); tensors before
// bufferization, memrefs after.
def Dwsep_ActElem : AnyTypeOf<[I8, UI8]>;
def Dwsep_Activation : AnyTypeOf<[RankedTensorOf<[I8, UI8]>, MemRefOf<[I8, UI8]>],
    "8-bit activation tensor or memref">;
def Dwsep_LinearInit
    : AnyTypeOf<[RankedTensorOf<[I8, UI8]>, MemRefOf<[I8, UI8, I32]>],
    "8-bit activation tensor or memref, or int32 accumulator memref "
    "(the accumulate form of dwsep.linear)">;
def Dwsep_Weights : AnyTypeOf<[RankedTensorOf<[I8]>, MemRefOf<[I8]>],
    "int8 weight tensor or memref">;
def Dwsep_Bias : AnyTypeOf<[RankedTensorOf<[I32]>, MemRefOf<[I32]>],
    "int32 bias tensor or memref">;
def Dwsep_RequantRows
    : AnyTypeOf<[RankedTensorOf<[I16, I32]>, MemRefOf<[I16, I32]>],
    "int16 or int32 requantization rows (RequantRowsOpInterface)">;

def Dwsep_Stride : DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">;
def Dwsep_Padding : DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">;
def Dwsep_LayoutDefault : DefaultValuedAttr<Dwsep_LayoutAttr, "::mlir::dwsep::Layout::hwc">;
def Dwsep_ZeroPoint : DefaultValuedAttr<I32Attr, "0">;

//===----------------------------------------------------------------------===//
// Base class
//===----------------------------------------------------------------------===//

// All compute ops are in destination-passing style: the last operand is the
// destination (`outs`). On tensors the op returns one tensor of the
// destination's type; on memrefs it returns nothing and writes the
// destination. This is what makes one-shot bufferization a mechanical
// interface implementation and lets the L1 tile kernels be the same ops.
class Dwsep_ComputeOp<string mnemonic, list<Trait> traits = []>
    : Op<Dwsep_Dialect, mnemonic, !listconcat(traits, [
        DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
        DeclareOpInterfaceMethods<Dwsep_TileableOpInterface>,
        DestinationStyleOpInterface])> {
  let results = (outs Optional<AnyRankedTensor>:$result);
  let hasVerifier = 1;
  code dpsDecl = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() { return getInitMutable(); }
  }];
  let extraClassDeclaration = dpsDecl;
}

//===----------------------------------------------------------------------===//
// Tensor/memref compute ops
//===----------------------------------------------------------------------===//

def Dwsep_Conv2DOp : Dwsep_ComputeOp<"conv2d",
    [Dwsep_ChannelSliceOpInterface, AttrSizedOperandSegments,
     Dwsep_RequantRowsOpInterface,
     DeclareOpInterfaceMethods<Dwsep_AccumulatorBoundOpInterface>]> {
  let summary = "Dense KxK convolution (the first layer of a MobileNet)";
  let description = [{
    Quantized 2-D convolution of an `Hi x Wi x Cin` activation with
    `Cout x Kh x Kw x Cin` (OHWI) int8 weights and an `i32` bias per output
    channel, followed by the requantization `requant`. Padding is
    `[top, left, bottom, right]` and pads with `input_zp`, so padded
    elements contribute exactly 0; the output size is
    `(Hi + top + bottom - Kh) / stride_h + 1` (floor), likewise for W.
    `layout` is the layout of both input and output. Semantics: docs/numerics.md.

    Example:

    ```mlir
    %y = dwsep.conv2d ins(%x, %w, %b : tensor<32x32x3xui8>, tensor<8x3x3x3xi8>, tensor<8xi32>)
           outs(%init : tensor<16x16x8xui8>) stride [2, 2] pad [1, 1, 0, 0]
           requant #dwsep.requant<mult = [1], shift = [4], clamp = [0, 255]>
           -> tensor<16x16x8xui8>
    ```
  }];
  let arguments = (ins Dwsep_Activation:$input, Dwsep_Weights:$weights,
                       Optional<Dwsep_Bias>:$bias,
                       Optional<Dwsep_RequantRows>:$requant_rows,
                       Dwsep_Activation:$init,
                       Optional<Index>:$channel_offset,
                       Dwsep_LayoutDefault:$layout, Dwsep_Stride:$stride,
                       Dwsep_Padding:$pad, Dwsep_ZeroPoint:$input_zp,
                       Dwsep_RequantAttr:$requant);
  let assemblyFormat = [{
    `ins` `(` $input `,` $weights (`,` $bias^)? `:` type($input) `,` type($weights) (`,` type($bias)^)? `)`
    (`requant_rows` `(` $requant_rows^ `:` type($requant_rows) `)`)?
    `outs` `(` $init `:` type($init) `)`
    (`channel_offset` $channel_offset^)?
    (`layout` $layout^)? (`stride` $stride^)? (`pad` $pad^)? (`input_zp` $input_zp^)?
    `requant` $requant attr-dict (`->` type($result)^)?
  }];
}

def Dwsep_DepthwiseOp : Dwsep_ComputeOp<"depthwise",
    [Dwsep_ChannelSliceOpInterface, AttrSizedOperandSegments,
     Dwsep_RequantRowsOpInterface,
     DeclareOpInterfaceMethods<Dwsep_ZeroPointFoldingOpInterface,
                               ["getFoldableChannelDim"]>,
     DeclareOpInterfaceMethods<Dwsep_AccumulatorBoundOpInterface>]> {
  let summary = "Depthwise KxK convolution (channel multiplier 1)";
  let description = [{
    Each channel `c` of the input is convolved with its own `Kh x Kw` filter
    `weights[ky][kx][c]` (weights are `Kh x Kw x C`, as TOSA and linalg's
    `depthwise_conv_2d_nhwc_hwc`), plus `bias[c]`, then requantized. Stride
    and padding as in `dwsep.conv2d`. Depthwise kernels prefer `chw`.

    `zp_folded` says that `bias` already holds `-input_zp * sum_(ky,kx)
    weights[ky][kx][c]` (`--dwsep-fold-zero-points`): the output is then
    `bias[c] + sum x * w` over the window, where a tap outside the input
    still reads `input_zp` (the zero point pads and stays), the same value
    modulo 2^32 as `bias[c] + sum (x - input_zp) * w` with the bias before
    the fold.

    Example:

    ```mlir
    %y = dwsep.depthwise ins(%x, %w, %b : tensor<8x16x16xi8>, tensor<3x3x8xi8>, tensor<8xi32>)
           outs(%init : tensor<8x8x8xi8>) layout <chw> stride [2, 2] pad [1, 1, 1, 1]
           input_zp -128 requant #dwsep.requant<mult = [1518500250], shift = [38],
           zp = -128, clamp = [-128, 127]> -> tensor<8x8x8xi8>
    ```
  }];
  let arguments = (ins Dwsep_Activation:$input, Dwsep_Weights:$weights,
                       Optional<Dwsep_Bias>:$bias,
                       Optional<Dwsep_RequantRows>:$requant_rows,
                       Dwsep_Activation:$init,
                       Optional<Index>:$channel_offset,
                       Dwsep_LayoutDefault:$layout, Dwsep_Stride:$stride,
                       Dwsep_Padding:$pad, Dwsep_ZeroPoint:$input_zp,
                       Dwsep_RequantAttr:$requant, UnitAttr:$zp_folded);
  let assemblyFormat = [{
    `ins` `(` $input `,` $weights (`,` $bias^)? `:` type($input) `,` type($weights) (`,` type($bias)^)? `)`
    (`requant_rows` `(` $requant_rows^ `:` type($requant_rows) `)`)?
    `outs` `(` $init `:` type($init) `)`
    (`channel_offset` $channel_offset^)?
    (`layout` $layout^)? (`stride` $stride^)? (`pad` $pad^)? (`input_zp` $input_zp^)?
    (`zp_folded` $zp_folded^)?
    `requant` $requant attr-dict (`->` type($result)^)?
  }];
}

def Dwsep_PointwiseOp : Dwsep_ComputeOp<"pointwise",
    [Dwsep_ChannelSliceOpInterface, AttrSizedOperandSegments,
     Dwsep_RequantRowsOpInterface,
     DeclareOpInterfaceMethods<Dwsep_ZeroPointFoldingOpInterface>,
     DeclareOpInterfaceMethods<Dwsep_AccumulatorBoundOpInterface>]> {
  let summary = "Pointwise (1x1, stride 1) convolution";
  let description = [{
    `out[y][x][o] = requant(bias[o] + sum_i (in[y][x][i] - input_zp) * weights[o][i])`
    with `Cout x Cin` weights. Pointwise kernels prefer `hwc` (the reduced
    channel vector is contiguous). Over a `1 x 1` map in `hwc` its canonical
    form is `dwsep.linear` with the same operands (pattern label
    `dwsep-pointwise-one-pixel`, which `--dwsep-gap8-pipeline` applies
    first): the linear layer's input-feature tiling then takes weights of
    which one output channel does not fit L1.

    Example:

    ```mlir
    %y = dwsep.pointwise ins(%x, %w, %b : tensor<8x8x16xui8>, tensor<32x16xi8>, tensor<32xi32>)
           outs(%init : tensor<8x8x32xui8>)
           requant #dwsep.requant<mult = [7], shift = [10], clamp = [0, 255], rounding = floor>
           -> tensor<8x8x32xui8>
    ```
  }];
  let arguments = (ins Dwsep_Activation:$input, Dwsep_Weights:$weights,
                       Optional<Dwsep_Bias>:$bias,
                       Optional<Dwsep_RequantRows>:$requant_rows,
                       Dwsep_Activation:$init,
                       Optional<Index>:$channel_offset,
                       Dwsep_LayoutDefault:$layout, Dwsep_ZeroPoint:$input_zp,
                       Dwsep_RequantAttr:$requant);
  let assemblyFormat = [{
    `ins` `(` $input `,` $weights (`,` $bias^)? `:` type($input) `,` type($weights) (`,` type($bias)^)? `)`
    (`requant_rows` `(` $requant_rows^ `:` type($requant_rows) `)`)?
    `outs` `(` $init `:` type($init) `)`
    (`channel_offset` $channel_offset^)?
    (`layout` $layout^)? (`input_zp` $input_zp^)?
    `requant` $requant attr-dict (`->` type($result)^)?
  }];
  // A pointwise over a 1 x 1 HWC map is the linear layer over its channels
  // (a classifier written as a 1x1 convolution after the pool): the
  // canonical form, which gets the linear layer's input-feature tiling
  // when one output channel's weights do not fit L1 and its kernel dealt
  // by input features. The pattern's label, `dwsep-pointwise-one-pixel`,
  // is what `--dwsep-gap8-pipeline` enables the canonicalizer with.
  let hasCanonicalizer = 1;
}

def Dwsep_FusedOp : Dwsep_ComputeOp<"fused",
    [Dwsep_ChannelSliceOpInterface, AttrSizedOperandSegments,
     DeclareOpInterfaceMethods<Dwsep_RequantRowsOpInterface,
         ["getNumStagedRequants", "getStagedRequant", "getStagedRowsMutable",
          "getStagedRowsName"]>,
     DeclareOpInterfaceMethods<Dwsep_ZeroPointFoldingOpInterface>,
     DeclareOpInterfaceMethods<Dwsep_AccumulatorBoundOpInterface>]> {
  let summary = "A depthwise and a pointwise convolution fused into one kernel";
  let description = [{
    One DW->PW or PW->DW pair computed as one L1-resident kernel: the
    intermediate activation lives in a few rows or channels of L1 scratch and
    never travels to L2. The result is, bit for bit, that of the two unfused
    ops with the intermediate requantized by `dw_requant` (DW->PW) or
    `pw_requant` (PW->DW) to `mid_type`.

    `variant` gives the order, the layouts of input, intermediate and output,
    and the work split. `stride` and `pad` belong to the depthwise half (its
    padding uses the zero point of its input: `input_zp` for DW->PW, the
    first half's requantization `zp` for PW->DW). `input_zp` is the zero point
    of the fused op's input.

    `pw_zp_folded` (DW->PW only) says that `pw_bias` already holds
    `wrap32(bias[o] - zp * sum_i pw_weights[o][i])` with `zp` the
    intermediate's zero point (`dw_requant`'s): the pointwise half then sums
    `mid * w` without subtracting it (`--dwsep-fold-zero-points` sets it).

    `mid_requant_rows` and `requant_rows` (RequantRowsOpInterface, set by
    `--dwsep-requant-rows`) carry the per-channel rows of the first half's
    requantization (the intermediate's: one row per intermediate channel)
    and of the second half's (the output's: one per output channel), staged
    with the weights instead of read from the module's table.

    `scratch_offset` is the L1 arena offset of the intermediate's scratch,
    which `--dwsep-tile` places with the tile's buffers and
    `--dwsep-lower-kernels` needs. `reuse_mid` (DW->PW only) says that the
    scratch already holds this tile's intermediate (every channel of the
    same rows, computed by the tile of the row tile's first output channel
    slice): only the pointwise half runs. `--dwsep-tile` sets it on the
    later slices of a row tile when the row tiles are outer or the input is
    resident.

    Example (variant 6 of the paper):

    ```mlir
    %y = dwsep.fused ins(%x : tensor<8x8x16xi8>)
           dw(%dw_w, %dw_b : tensor<3x3x32xi8>, tensor<32xi32>)
           pw(%pw_w, %pw_b : tensor<32x16xi8>, tensor<32xi32>)
           outs(%init : tensor<8x8x32xi8>)
           variant <pw_dw, input = hwc, mid = chw, output = hwc, split = channels>
           mid_type i8 pad [1, 1, 1, 1]
           dw_requant #dwsep.requant<mult = [3], shift = [6], clamp = [-128, 127]>
           pw_requant #dwsep.requant<mult = [5], shift = [7], clamp = [-128, 127]>
           -> tensor<8x8x32xi8>
    ```
  }];
  let arguments = (ins Dwsep_Activation:$input,
                       Dwsep_Weights:$dw_weights, Optional<Dwsep_Bias>:$dw_bias,
                       Dwsep_Weights:$pw_weights, Optional<Dwsep_Bias>:$pw_bias,
                       Optional<Dwsep_RequantRows>:$mid_requant_rows,
                       Optional<Dwsep_RequantRows>:$requant_rows,
                       Dwsep_Activation:$init,
                       Optional<Index>:$channel_offset,
                       Dwsep_VariantAttr:$variant,
                       TypeAttrOf<Dwsep_ActElem>:$mid_type,
                       Dwsep_Stride:$stride, Dwsep_Padding:$pad,
                       Dwsep_ZeroPoint:$input_zp,
                       Dwsep_RequantAttr:$dw_requant,
                       Dwsep_RequantAttr:$pw_requant,
                       UnitAttr:$pw_zp_folded,
                       OptionalAttr<ConfinedAttr<I64Attr, [IntNonNegative]>>:$scratch_offset,
                       UnitAttr:$reuse_mid);
  let assemblyFormat = [{
    `ins` `(` $input `:` type($input) `)`
    `dw` `(` $dw_weights (`,` $dw_bias^)? `:` type($dw_weights) (`,` type($dw_bias)^)? `)`
    `pw` `(` $pw_weights (`,` $pw_bias^)? `:` type($pw_weights) (`,` type($pw_bias)^)? `)`
    (`mid_requant_rows` `(` $mid_requant_rows^ `:` type($mid_requant_rows) `)`)?
    (`requant_rows` `(` $requant_rows^ `:` type($requant_rows) `)`)?
    `outs` `(` $init `:` type($init) `)`
    (`channel_offset` $channel_offset^)?
    `variant` $variant `mid_type` $mid_type
    (`stride` $stride^)? (`pad` $pad^)? (`input_zp` $input_zp^)?
    (`pw_zp_folded` $pw_zp_folded^)?
    `dw_requant` $dw_requant `pw_requant` $pw_requant
    (`scratch_offset` $scratch_offset^)? (`reuse_mid` $reuse_mid^)?
    attr-dict (`->` type($result)^)?
  }];
  let extraClassDeclaration = dpsDecl # [{
    bool isDwFirst() { return getVariant().getOrder() == FusionOrder::dw_pw; }
    /// Requantization of the first / second half.
    RequantAttr getFirstRequant() { return isDwFirst() ? getDwRequant() : getPwRequant(); }
    RequantAttr getSecondRequant() { return isDwFirst() ? getPwRequant() : getDwRequant(); }
    /// Shape of the intermediate activation in the variant's `mid` layout.
    ::llvm::SmallVector<int64_t, 3> getMidShape();
    /// The depthwise and pointwise halves as getLayerProblem returns them
    /// for the two unfused ops (in the variant's input layout).
    std::pair<LayerProblem, LayerProblem> getHalves();
  }];
}

def Dwsep_AddOp : Dwsep_ComputeOp<"add", [Dwsep_ChannelSliceOpInterface]> {
  let summary = "Residual addition with requantization";
  let description = [{
    Elementwise `lhs + rhs` of two activations of the same shape and layout:
    each input is first rescaled to a common int32 scale
    (`t = requant(x - x_zp)` with `lhs_requant` / `rhs_requant`, whose clamp
    lies in the int32 range), the two are added with int32 wrap-around, and
    `requant` maps the sum to the output. This is exactly TOSA's
    rescale-add-rescale pattern and PULP-NN's add.

    Example:

    ```mlir
    %y = dwsep.add ins(%a, %b : tensor<8x8x16xi8>, tensor<8x8x16xi8>)
           outs(%init : tensor<8x8x16xi8>) lhs_zp 3 rhs_zp -2
           lhs_requant #dwsep.requant<mult = [1073741824], shift = [10], clamp = [-2147483648, 2147483647]>
           rhs_requant #dwsep.requant<mult = [1073741824], shift = [11], clamp = [-2147483648, 2147483647]>
           requant #dwsep.requant<mult = [1073741824], shift = [50], zp = 1, clamp = [-128, 127]>
           -> tensor<8x8x16xi8>
    ```
  }];
  let arguments = (ins Dwsep_Activation:$lhs, Dwsep_Activation:$rhs,
                       Dwsep_Activation:$init,
                       Optional<Index>:$channel_offset, Dwsep_LayoutDefault:$layout,
                       Dwsep_ZeroPoint:$lhs_zp, Dwsep_ZeroPoint:$rhs_zp,
                       Dwsep_RequantAttr:$lhs_requant,
                       Dwsep_RequantAttr:$rhs_requant,
                       Dwsep_RequantAttr:$requant);
  let assemblyFormat = [{
    `ins` `(` $lhs `,` $rhs `:` type($lhs) `,` type($rhs) `)`
    `outs` `(` $init `:` type($init) `)`
    (`channel_offset` $channel_offset^)?
    (`layout` $layout^)? (`lhs_zp` $lhs_zp^)? (`rhs_zp` $rhs_zp^)?
    `lhs_requant` $lhs_requant `rhs_requant` $rhs_requant
    `requant` $requant attr-dict (`->` type($result)^)?
  }];
}

def Dwsep_AvgPoolOp : Dwsep_ComputeOp<"avgpool", [Dwsep_ChannelSliceOpInterface]> {
  let summary = "Average pooling (no padding)";
  let description = [{
    Sums `x - input_zp` over each `kernel` window (no padding, so every
    window is full) and requantizes the int32 sum with a per-tensor
    `requant` that encodes the division by the window size (an importer
    computes it, e.g. TOSA's reciprocal scale). A global pool is a window of
    the whole input.

    Example:

    ```mlir
    %y = dwsep.avgpool ins(%x : tensor<4x4x64xui8>) outs(%init : tensor<1x1x64xui8>)
           kernel [4, 4] stride [4, 4]
           requant #dwsep.requant<mult = [1], shift = [4], clamp = [0, 255]>
           -> tensor<1x1x64xui8>
    ```
  }];
  let arguments = (ins Dwsep_Activation:$input, Dwsep_Activation:$init,
                       Optional<Index>:$channel_offset,
                       DenseI64ArrayAttr:$kernel, Dwsep_Stride:$stride,
                       Dwsep_LayoutDefault:$layout, Dwsep_ZeroPoint:$input_zp,
                       Dwsep_RequantAttr:$requant);
  let assemblyFormat = [{
    `ins` `(` $input `:` type($input) `)` `outs` `(` $init `:` type($init) `)`
    (`channel_offset` $channel_offset^)?
    `kernel` $kernel (`stride` $stride^)? (`layout` $layout^)?
    (`input_zp` $input_zp^)? `requant` $requant attr-dict (`->` type($result)^)?
  }];
}

def Dwsep_LinearOp : Dwsep_ComputeOp<"linear",
    [Dwsep_ChannelSliceOpInterface, AttrSizedOperandSegments,
     DeclareOpInterfaceMethods<Dwsep_AccumulateFormOpInterface,
                               ["setAccumulateForm", "readInputAsVector"]>,
     Dwsep_RequantRowsOpInterface,
     DeclareOpInterfaceMethods<Dwsep_ZeroPointFoldingOpInterface>,
     DeclareOpInterfaceMethods<Dwsep_AccumulatorBoundOpInterface>]> {
  let summary = "Fully connected layer";
  let description = [{
    `out[o] = requant(bias[o] + sum_i (in[i] - input_zp) * weights[o][i])`.
    The input is a vector `Cin` or an `H x W x C` activation in HWC layout:
    its `Cin = H * W * C` features in memory order (`1 x 1 x Cin`: the
    output of a global average pool; larger: a flattened feature map, which
    `--dwsep-tile` reads as one vector); the output is a vector `Cout` or
    `1 x 1 x Cout`.

    Example:

    ```mlir
    %y = dwsep.linear ins(%x, %w, %b : tensor<1x1x64xi8>, tensor<10x64xi8>, tensor<10xi32>)
           outs(%init : tensor<10xi8>)
           requant #dwsep.requant<mult = [1], shift = [8], clamp = [-128, 127]>
           -> tensor<10xi8>
    ```

    **Accumulate form** (what `--dwsep-tile` makes of the input-channel
    slices of a layer whose weights it tiles along the input features, all
    but the last): an `i32` init in L1, `out[o] = bias[o] + sum_i (in[i] -
    input_zp) * weights[o][i]` with no requantization. The bias, if any, is
    the init itself (the accumulators of the slices before), the
    requantization must be the identity (`mult = [1], shift = [0], clamp =
    [-2147483648, 2147483647]`) and there are no staged rows or channel
    offset. The last slice is the ordinary op, its bias the accumulators.

    ```mlir
    dwsep.linear ins(%x, %w, %acc : memref<256xi8, #l1>, memref<8x256xi8, #l1>, memref<8xi32, #l1>)
      outs(%acc : memref<8xi32, #l1>)
      requant <mult = [1], shift = [0], clamp = [-2147483648, 2147483647]>
    ```
  }];
  let arguments = (ins Dwsep_Activation:$input, Dwsep_Weights:$weights,
                       Optional<Dwsep_Bias>:$bias,
                       Optional<Dwsep_RequantRows>:$requant_rows,
                       Dwsep_LinearInit:$init,
                       Optional<Index>:$channel_offset,
                       Dwsep_ZeroPoint:$input_zp, Dwsep_RequantAttr:$requant);
  let extraClassDeclaration = dpsDecl # [{
    /// The accumulate form: an i32 init of int32 accumulators, no
    /// requantization (see the description).
    bool isAccumulateForm() {
      return ::llvm::cast<::mlir::ShapedType>(getInit().getType())
          .getElementType().isInteger(32);
    }
    /// The requantization of the accumulate form: the identity on i32.
    static ::mlir::dwsep::RequantAttr
    getAccumulateRequant(::mlir::MLIRContext *ctx);
    ::mlir::LogicalResult verifyAccumulateForm();
  }];
  let assemblyFormat = [{
    `ins` `(` $input `,` $weights (`,` $bias^)? `:` type($input) `,` type($weights) (`,` type($bias)^)? `)`
    (`requant_rows` `(` $requant_rows^ `:` type($requant_rows) `)`)?
    `outs` `(` $init `:` type($init) `)`
    (`channel_offset` $channel_offset^)?
    (`input_zp` $input_zp^)? `requant` $requant attr-dict (`->` type($result)^)?
  }];
}

def Dwsep_RelayoutOp : Dwsep_ComputeOp<"relayout"> {
  let summary = "Change an activation's layout between HWC and CHW";
  let description = [{
    A pure permutation: values and element type are unchanged. The
    destination's shape is the source's shape permuted (`H x W x C` <->
    `C x H x W`). Variant selection places these only where no producer can
    write the wanted layout itself.

    Example:

    ```mlir
    %y = dwsep.relayout ins(%x : tensor<4x6x8xi8>) outs(%init : tensor<8x4x6xi8>)
           from <hwc> to <chw> -> tensor<8x4x6xi8>
    ```
  }];
  let arguments = (ins Dwsep_Activation:$input, Dwsep_Activation:$init,
                       Dwsep_LayoutAttr:$from, Dwsep_LayoutAttr:$to);
  let assemblyFormat = [{
    `ins` `(` $input `:` type($input) `)` `outs` `(` $init `:` type($init) `)`
    `from` $from `to` $to attr-dict (`->` type($result)^)?
  }];
}

//===----------------------------------------------------------------------===//
// Structure
//===----------------------------------------------------------------------===//

def Dwsep_LayerOp : Op<Dwsep_Dialect, "layer", [SingleBlock, NoTerminator,
    RecursiveMemoryEffects]> {
  let summary = "One network layer after memory planning: its transfers and compute";
  let description = [{
    Groups everything one compute op becomes after `--dwsep-plan-memory`
    (the L3->L2 staging of its weights, then the op on L2 buffers) and, after
    `--dwsep-tile`, its tile loops, L1 buffers and DMA. It is the unit that
    `--dwsep-report` accounts traffic to. Its body runs once, in order;
    lowering inlines it.

    Attributes, set by the passes:
    * `name`: the layer's name (op kind and index, e.g. `"depthwise_3"`);
    * `tile`: `[rows, channels]`, the output tile chosen by `--dwsep-tile`
      (`[rows, channels, input channels]` when it tiles the input channels
      of a linear layer: K slices outer, accumulators in L1);
    * `rows_outer`: the tile loops run row tiles outer and output-channel
      slices inner (each row tile's input fetched once, the slices' weights
      for every row tile); absent: slices outer (each slice's weights
      fetched once, the input for every slice);
    * `one_input_buffer`: with `rows_outer`, a row tile's input has one L1
      buffer instead of two: the next row tile's input is fetched after the
      row tile's last slice computed (exposed), and the room of the second
      buffer went to taller row tiles, so fewer weight fetches;
    * `input_kept_from`: the instances of the layer, numbered in the loop
      over channel groups that holds it (0 for a layer outside one), from
      which on an instance does not fetch its whole input (one row tile
      that every tile reads whole, at a fixed place in L1): the
      instance before it left the same bytes there, the previous iteration
      of the loop (`input_kept_from = 1`) or, for the remainder group after
      the loop, the loop's last iteration (`0`). The plan's
      `kept_act_l2_l1` and `kept_transfers` are what such an instance does
      without;
    * `l1_bytes`: L1 bytes the tile plan reserves (double buffers included);
    * `plan`: the tile plan's prediction (`#dwsep.tile_plan`: bytes per
      level and direction, transfers, modelled cycles and the work behind
      them); `--dwsep-report` checks the IR against it.

    Example:

    ```mlir
    dwsep.layer "pointwise_1" {
      %t = dwsep.dma_start %w3, %w2 weights : memref<32x16xi8, #dwsep.level<l3>> to memref<32x16xi8, #dwsep.level<l2>>
      dwsep.dma_wait %t
      dwsep.pointwise ins(%x, %w2, %b2 : ...) outs(%y : ...) requant <...>
    }
    ```
  }];
  let arguments = (ins StrAttr:$name,
                       OptionalAttr<DenseI64ArrayAttr>:$tile,
                       UnitAttr:$rows_outer,
                       UnitAttr:$one_input_buffer,
                       OptionalAttr<I64Attr>:$input_kept_from,
                       OptionalAttr<I64Attr>:$l1_bytes,
                       OptionalAttr<Dwsep_TilePlanAttr>:$plan);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$name attr-dict-with-keyword $body";
  let hasVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [OpBuilder<(ins "::llvm::StringRef":$name)>];
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def Dwsep_DmaStartOp : Op<Dwsep_Dialect, "dma_start"> {
  let summary = "Start an asynchronous strided copy between memory levels";
  let description = [{
    Copies every element of `source` to the element with the same indices
    of `target` and returns a token; the copy is complete only after a
    `dwsep.dma_wait` on that token. Both are static-shaped memrefs of rank
    1 to 3 with the same shape and element type, in dwsep memory levels one
    step apart: L3->L2 and L2->L3 (the SoC micro-DMA), L2->L1 and L1->L2 (the
    cluster DMA). Either side may be strided (a `memref.subview`, or a
    permuted view), which is how a tile of a larger activation or weight
    tensor is fetched and how a layout change can ride on the transfer, as
    DORY does for depthwise inputs.

    `weights` marks transfers of weights and biases, so that traffic reports
    split activations from weights. The number of bytes moved is the number
    of elements times the element size.

    Example:

    ```mlir
    %t = dwsep.dma_start %l2tile, %l1buf
           : memref<4x16x8xi8, strided<[128, 8, 1], offset: ?>, #dwsep.level<l2>>
           to memref<4x16x8xi8, #dwsep.level<l1>>
    dwsep.dma_wait %t
    ```
  }];
  let arguments = (ins Arg<AnyStaticShapeMemRef, "copied from", [MemRead]>:$source,
                       Arg<AnyStaticShapeMemRef, "copied to", [MemWrite]>:$target,
                       UnitAttr:$weights);
  let results = (outs Dwsep_TokenType:$token);
  let builders = [OpBuilder<(ins "::mlir::Value":$source, "::mlir::Value":$target,
                                 CArg<"bool", "false">:$weights), [{
    build($_builder, $_state, TokenType::get($_builder.getContext()), source,
          target, weights);
  }]>];
  let assemblyFormat = [{
    $source `,` $target (`weights` $weights^)? attr-dict `:` type($source) `to` type($target)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Memory levels of the source and target.
    MemoryLevel getSourceLevel();
    MemoryLevel getTargetLevel();
    /// Bytes this transfer moves.
    int64_t getNumBytes();
    /// The direction in the runtime ABI's numbering (dwsep_rt.h):
    /// 0 L3->L2, 1 L2->L1, 2 L1->L2, 3 L2->L3.
    unsigned getDirection();
  }];
}

def Dwsep_DmaNoneOp : Op<Dwsep_Dialect, "dma_none", [Pure]> {
  let summary = "The token of no transfer";
  let description = [{
    A token that names no transfer: waiting for it returns at once. Where
    control flow decides at run time whether a transfer starts (a tile loop
    whose iterations fetch weights only at the first tile of a channel
    slice), the branch that starts none yields this token, so that every
    branch yields the same tokens (runtime: `DWSEP_RT_DMA_NONE`).

    Example: `%t = dwsep.dma_none`
  }];
  let results = (outs Dwsep_TokenType:$token);
  let builders = [OpBuilder<(ins), [{
    build($_builder, $_state, TokenType::get($_builder.getContext()));
  }]>];
  let assemblyFormat = "attr-dict";
}

def Dwsep_DmaWaitOp : Op<Dwsep_Dialect, "dma_wait"> {
  let summary = "Wait for DMA transfers to complete";
  let description = [{
    Blocks until every transfer named by `tokens` is complete; afterwards
    their targets may be read and their sources overwritten.

    Example: `dwsep.dma_wait %t0, %t1`
  }];
  let arguments = (ins Variadic<Dwsep_TokenType>:$tokens);
  let assemblyFormat = "$tokens attr-dict";
}

#endif // DWSEP_DIALECT_DWSEP_IR_DWSEPOPS_TD
