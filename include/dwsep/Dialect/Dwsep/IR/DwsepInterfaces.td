//===- DwsepInterfaces.td - dwsep op interfaces ------------*- tablegen -*-===//
//
// Per-op knowledge that passes ask for through an interface, so that a
// pass does not keep its own list of ops.
//
//===----------------------------------------------------------------------===//

#ifndef DWSEP_DIALECT_DWSEP_IR_DWSEPINTERFACES_TD
#define DWSEP_DIALECT_DWSEP_IR_DWSEPINTERFACES_TD

include "mlir/IR/OpBase.td"

def Dwsep_ZeroPointFoldingOpInterface
    : OpInterface<"ZeroPointFoldingOpInterface"> {
  let cppNamespace = "::mlir::dwsep";
  let description = [{
    An op with an input zero point `zp` that enters the dot products
    `sum_i (x[i] - zp) * w[o][i]` of weights whose dimension
    `getFoldableChannelDim` is the output channel `o` (every other
    dimension is a tap `i`): `bias[o] + sum_i (x[i] - zp) * w[o][i]` equals
    `(bias[o] - zp * sum_i w[o][i]) + sum_i x[i] * w[o][i]` modulo 2^32, so
    with constant weights the zero point can be folded into the bias
    (`--dwsep-fold-zero-points`). A tap that reads padding reads `zp`
    (x - zp = 0 before the fold, and after it x * w = zp * w, which the
    fold's sum takes back), so an op whose zero point pads (depthwise) folds
    too and keeps the zero point for its padding.
  }];
  let methods = [
    InterfaceMethod<
      "The zero point that still enters the dot products (0: none, or "
      "already folded).",
      "int32_t", "getFoldableZeroPoint">,
    InterfaceMethod<"The weights it multiplies.", "::mlir::Value",
      "getFoldableWeights">,
    InterfaceMethod<"The output channel's dimension of the weights.",
      "unsigned", "getFoldableChannelDim", (ins), [{}], [{ return 0; }]>,
    InterfaceMethod<"The bias [O] that absorbs `zp * sum_i w[o][i]` (empty: "
      "none, i.e. zero; the fold then adds one).",
      "::mlir::MutableOperandRange", "getFoldableBiasMutable">,
    InterfaceMethod<
      "Records that the bias now holds the fold: the zero point no longer "
      "enters the dot products.",
      "void", "setZeroPointFolded">,
  ];
}

def Dwsep_AccumulatorBoundOpInterface
    : OpInterface<"AccumulatorBoundOpInterface"> {
  let cppNamespace = "::mlir::dwsep";
  let description = [{
    An op whose requantizations each take dot products of weights with
    its input (or the intermediate of a fused op) plus a bias: from
    constant weights and biases, `--dwsep-bound-accumulators` proves a
    bound on every accumulator and records it as the requantization's
    `acc_bound`.
  }];
  let methods = [
    InterfaceMethod<
      "The dot products behind each requantization the op applies.",
      "::llvm::SmallVector<::mlir::dwsep::AccumulatorSource, 2>",
      "getAccumulatorSources">,
    InterfaceMethod<
      "Sets the `acc_bound` of the requantization of source `index`.",
      "void", "setAccumulatorBound",
      (ins "unsigned":$index, "int64_t":$bound)>,
    InterfaceMethod<
      "Replaces the requantization of source `index` by `requant`, which "
      "absorbs the source's bias (`--dwsep-fold-bias`), and removes the "
      "bias.",
      "void", "foldBias",
      (ins "unsigned":$index, "::mlir::dwsep::RequantAttr":$requant)>,
  ];
}

def Dwsep_ChannelSliceOpInterface : OpInterface<"ChannelSliceOpInterface"> {
  let cppNamespace = "::mlir::dwsep";
  let description = [{
    An op that can compute a slice of a layer's output channels with the
    layer's whole per-channel requantization: with the optional
    `channel_offset` operand `o`, its output channel `c` (and the
    intermediate channel `c` of a PW->DW fused op) uses channel `o + c` of
    every requantization over output channels, which may then have more
    channels than the op. `--dwsep-tile` sets it on the tiles of a layer
    whose output channels it slices, so that equal slices are one loop body
    (their kernel reads the layer's table at the offset) instead of one copy
    per slice with its own table.
  }];
  let methods = [
    InterfaceMethod<"The channel offset operand (empty: 0).",
      "::mlir::MutableOperandRange", "getChannelOffsetMutable", (ins), [{}],
      [{ return $_op.getChannelOffsetMutable(); }]>,
    InterfaceMethod<"The channel offset (null: 0).",
      "::mlir::Value", "getChannelOffset", (ins), [{}],
      [{ return $_op.getChannelOffset(); }]>,
  ];
}

def Dwsep_AccumulateFormOpInterface : OpInterface<"AccumulateFormOpInterface"> {
  let cppNamespace = "::mlir::dwsep";
  let description = [{
    An op over a vector of input features (weights `[outputs x features]`,
    an optional int32 bias per output) that has an accumulate form: with an
    i32 L1 init that is also its bias it adds its sums to those int32
    accumulators instead of requantizing them (dwsep.linear). `--dwsep-tile`
    tiles such an op along its features (K slices) where its weights do not
    fit L1 (its LayerProblem `splitsInputChannels`): the slices below the
    last are the accumulate form, the last is the op, its bias the
    accumulators.
  }];
  let methods = [
    InterfaceMethod<"The input features.",
      "::mlir::Value", "getInput", (ins), [{}],
      [{ return $_op.getInput(); }]>,
    InterfaceMethod<"The weights, [outputs x features].",
      "::mlir::Value", "getWeights", (ins), [{}],
      [{ return $_op.getWeights(); }]>,
    InterfaceMethod<"The bias (null: none).",
      "::mlir::Value", "getBias", (ins), [{}],
      [{ return $_op.getBias(); }]>,
    InterfaceMethod<"The bias operand (empty: none).",
      "::mlir::MutableOperandRange", "getBiasMutable", (ins), [{}],
      [{ return $_op.getBiasMutable(); }]>,
    InterfaceMethod<"The staged requantization rows (null: none).",
      "::mlir::Value", "getRequantRows", (ins), [{}],
      [{ return $_op.getRequantRows(); }]>,
    InterfaceMethod<"The output (or, in the accumulate form, the accumulators).",
      "::mlir::Value", "getInit", (ins), [{}],
      [{ return $_op.getInit(); }]>,
    InterfaceMethod<[{Makes this op, its operands set, the accumulate form:
      no requantization rows or channel offset, the identity
      requantization.}],
      "void", "setAccumulateForm", (ins)>,
    InterfaceMethod<[{Makes the op read its input as one vector of features
      (a flattened H x W x C map collapsed, before `builder`'s insertion
      point); a diagnostic if its buffer is not contiguous.}],
      "::mlir::LogicalResult", "readInputAsVector",
      (ins "::mlir::OpBuilder &":$builder)>,
  ];
}

def Dwsep_RequantRowsOpInterface : OpInterface<"RequantRowsOpInterface"> {
  let cppNamespace = "::mlir::dwsep";
  let description = [{
    An op whose requantizations' per-channel values (the rows of a table,
    include/dwsep/Kernels/Requant.h: one row of halfwords or words per
    channel) can travel as constant operands beside its biases, as DORY's
    per-channel k/lambda arrays do: `--dwsep-requant-rows` sets the
    operands, the memory planner and the tiler stage them with the weights
    (L3 -> L2 -> L1, as the op's LayerProblem describes each: sliced by
    output channel like a bias, or whole), and the kernel reads row `c` of
    the staged rows instead of the module's constant table, which keeps
    only the header. Most ops have one requantization (`requant`, rows
    `requant_rows`); a fused op has two (its intermediate's and its
    output's), each with its rows operand.
  }];
  let methods = [
    InterfaceMethod<"How many requantizations can have a rows operand.",
      "unsigned", "getNumStagedRequants", (ins), [{}],
      [{ return 1; }]>,
    InterfaceMethod<"The requantization whose rows operand `i` carries.",
      "::mlir::dwsep::RequantAttr", "getStagedRequant", (ins "unsigned":$i),
      [{}], [{ return $_op.getRequant(); }]>,
    InterfaceMethod<"Rows operand `i` (empty: none).",
      "::mlir::MutableOperandRange", "getStagedRowsMutable",
      (ins "unsigned":$i), [{}],
      [{ return $_op.getRequantRowsMutable(); }]>,
    InterfaceMethod<"The name of rows operand `i` in the op's syntax (for "
                    "diagnostics).",
      "::llvm::StringRef", "getStagedRowsName", (ins "unsigned":$i), [{}],
      [{ return "requant_rows"; }]>,
  ];
  let extraSharedClassDeclaration = [{
    /// Rows operand `i` (null: none).
    ::mlir::Value getStagedRows(unsigned i) {
      ::mlir::MutableOperandRange range = $_op.getStagedRowsMutable(i);
      return range.empty() ? ::mlir::Value() : range[0].get();
    }
  }];
}

def Dwsep_TileableOpInterface : OpInterface<"TileableOpInterface"> {
  let cppNamespace = "::mlir::dwsep";
  let description = [{
    A compute op that memory planning, the tiler, the cost model and
    variant selection handle: it states its problem (`LayerProblem`,
    include/dwsep/Dialect/Dwsep/IR/LayerProblem.h): the kernel kind, the
    logical sizes of its input and output, its window, its weight tensors
    (bytes per output channel or whole, and which dimension a channel slice
    cuts) and its layouts. Each op implements it in LayerProblem.cpp, so
    that the passes and lib/Target ask the op instead of listing op kinds.
    A copy of the op over a run of its output rows (an L3 band of
    --dwsep-plan-memory, a row tile of --dwsep-tile) keeps its left and
    right padding and takes the top and bottom padding of its rows:
    `setRowPadding`, which ops without a padded window ignore.
  }];
  let methods = [
    InterfaceMethod<"The op reduced to logical sizes (docs/cost-model.md).",
      "::mlir::dwsep::LayerProblem", "getLayerProblem">,
    InterfaceMethod<"Sets the top and bottom padding of the op's window "
      "(a copy of it over some of its output rows); no-op without one.",
      "void", "setRowPadding", (ins "int64_t":$top, "int64_t":$bottom)>,
  ];
}

#endif // DWSEP_DIALECT_DWSEP_IR_DWSEPINTERFACES_TD
