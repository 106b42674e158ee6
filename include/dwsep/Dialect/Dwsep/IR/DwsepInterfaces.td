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
    An op with an input zero point `zp` that enters nothing but the dot
    products `sum_i (x[i] - zp) * weights[o][i]` with weights [O, I] (it
    pads nothing): `bias[o] + sum_i (x[i] - zp) * w[o][i]` equals
    `(bias[o] - zp * sum_i w[o][i]) + sum_i x[i] * w[o][i]` modulo 2^32, so
    with constant weights the zero point can be folded into the bias
    (`--dwsep-fold-zero-points`).
  }];
  let methods = [
    InterfaceMethod<
      "The zero point that still enters the dot products (0: none, or "
      "already folded).",
      "int32_t", "getFoldableZeroPoint">,
    InterfaceMethod<"The weights [O, I] it multiplies.", "::mlir::Value",
      "getFoldableWeights">,
    InterfaceMethod<"The bias [O] that absorbs `zp * sum_i w[o][i]`.",
      "::mlir::OpOperand &", "getFoldableBias">,
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

#endif // DWSEP_DIALECT_DWSEP_IR_DWSEPINTERFACES_TD
