//===- DwsepOps.h - dwsep operations ----------------------------*- C++ -*-===//

#ifndef DWSEP_DIALECT_DWSEP_IR_DWSEPOPS_H
#define DWSEP_DIALECT_DWSEP_IR_DWSEPOPS_H

#include "dwsep/Dialect/Dwsep/IR/DwsepAttrs.h"
#include "dwsep/Dialect/Dwsep/IR/DwsepDialect.h"
#include "dwsep/Dialect/Dwsep/IR/LayerProblem.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_TYPEDEF_CLASSES
#include "dwsep/Dialect/Dwsep/IR/DwsepTypes.h.inc"

namespace mlir::dwsep {
/// One requantization's accumulators as AccumulatorBoundOpInterface
/// describes them: `bias[c] + sum over the taps t of channel c of
/// weights[..c..][t] * (x - zp)`, where `x - zp` lies in
/// [-maxInput, maxInput] for every input value (padding contributes 0).
struct AccumulatorSource {
  RequantAttr requant;
  Value weights, bias;
  /// The weights' output-channel dimension.
  unsigned channelDim = 0;
  int64_t maxInput = 0;
};

/// Per output channel c of `s`, `maxInput * sum |weights[..c..]|`: the
/// largest magnitude its dot products reach without the bias; none when
/// the weights are no constant or their channel dimension is neither the
/// first nor the last. (--dwsep-bound-accumulators, --dwsep-fold-bias.)
std::optional<llvm::SmallVector<int64_t>>
getDotProductReach(const AccumulatorSource &s);
} // namespace mlir::dwsep

#include "dwsep/Dialect/Dwsep/IR/DwsepInterfaces.h.inc"

#define GET_OP_CLASSES
#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h.inc"

namespace mlir::dwsep {
/// The label of dwsep.pointwise's canonicalization to dwsep.linear over a
/// 1 x 1 map (`--canonicalize=enable-patterns=...`; the GAP8 pipeline
/// runs that pattern alone).
inline constexpr char kPointwiseOnePixelPattern[] = "dwsep-pointwise-one-pixel";

/// Logical height, width and channels of an activation whose memory shape
/// is `v`'s in `layout` (a rank-1 value is 1 x 1 x C).
struct ActivationDims {
  int64_t h, w, c;
};
ActivationDims getActivationDims(Value v, Layout layout);

/// A box of an activation: rows [row, row + rows), columns [col, col + cols)
/// and channels [chan, chan + chans).
struct ActivationBox {
  OpFoldResult row;
  int64_t rows;
  int64_t col, cols;
  OpFoldResult chan;
  int64_t chans;
};

/// Offsets and sizes of `box` in the physical dimensions of a `rank`-D
/// activation in `layout` (rank 1: channels only).
void getPhysicalBox(Builder &b, const ActivationBox &box, Layout layout,
                    int64_t rank, SmallVectorImpl<OpFoldResult> &offsets,
                    SmallVectorImpl<int64_t> &sizes);

/// A unit-stride `memref.subview` of `source` at `offsets` with `sizes`.
Value createSubview(OpBuilder &b, Location loc, Value source,
                    ArrayRef<OpFoldResult> offsets, ArrayRef<int64_t> sizes);

/// Starts a DMA of `source` to `target` and returns its token. Memrefs of
/// rank > 3 (conv2d weights) are moved as 2-D [dim 0, rest], which is exact
/// when only dim 0 is sliced, as the tiler does.
Value createDma(OpBuilder &b, Location loc, Value source, Value target,
                bool weights = false);

/// The byte offset of ping-pong buffer number `k0 + shift`: `off0` when it
/// is even, `off1` when odd (`shift`: a loop's value, or null when the
/// number is the constant `k0`; a constant `shift` gives a constant).
Value createPingPongOffset(OpBuilder &b, Location loc, int64_t off0,
                           int64_t off1, int64_t k0, Value shift);
} // namespace mlir::dwsep

#endif // DWSEP_DIALECT_DWSEP_IR_DWSEPOPS_H
