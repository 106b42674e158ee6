//===- DwsepAttrs.h - dwsep attributes --------------------------*- C++ -*-===//

#ifndef DWSEP_DIALECT_DWSEP_IR_DWSEPATTRS_H
#define DWSEP_DIALECT_DWSEP_IR_DWSEPATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"

#include "dwsep/Dialect/Dwsep/IR/DwsepEnums.h.inc"

namespace mlir::dwsep {
/// Largest right shift a requantization may use (docs/numerics.md).
constexpr int32_t kMaxShift = 62;

/// The requantization of docs/numerics.md for one channel: maps the int32
/// accumulator `acc` to the clamped output value. `RequantAttr::apply` and
/// every lowering follow this function.
int64_t applyRequant(int32_t acc, int32_t mult, int32_t shift, int32_t add,
                     int32_t zp, int32_t clampMin, int32_t clampMax,
                     Rounding rounding);

/// Significant bits of |mult| (from its highest to its lowest set bit): a
/// `rounding = float32` scale allows 24, a float32's significand.
int float32SignificantBits(int32_t mult);

/// Kernel cost classes of #dwsep.target: what the cost model charges per
/// core for the kernels --dwsep-lower-kernels emits, by kernel and the
/// layout it reads.
enum class CostClass : unsigned {
  conv_hwc,
  conv_chw,
  pointwise_hwc,
  pointwise_chw,
  depthwise_hwc,
  depthwise_chw,
  linear,
  add,
  avgpool_hwc,
  avgpool_chw,
  relayout_hwc,
  relayout_chw
};
constexpr unsigned kNumCostClasses = 12;
/// Index into TargetAttr::getCosts(): per class, milli-cycles per MAC (or
/// pool tap) and per output element; then cycles per fork and per tile;
/// then the price of traffic, milli-cycles per byte moved between L2 and
/// L1, which the tile search and selection add to the modelled cycles
/// (0: latency alone decides); then the rows-outer margin, the percent by
/// which a plan with the row tiles outer must beat the best plan with the
/// slices outer to be taken (docs/cost-model.md "The margin"; how far the
/// model is trusted on the target, so the tiler and selection read one
/// value).
constexpr unsigned costMac(CostClass c) { return 2 * unsigned(c); }
constexpr unsigned costOut(CostClass c) { return 2 * unsigned(c) + 1; }
constexpr unsigned kCostFork = 2 * kNumCostClasses;
constexpr unsigned kCostTile = kCostFork + 1;
constexpr unsigned kCostByte = kCostTile + 1;
constexpr unsigned kCostRowsOuterMargin = kCostByte + 1;
constexpr unsigned kNumCosts = kCostRowsOuterMargin + 1;
/// Spelling of each cost in #dwsep.target (`pointwise_hwc_mac`, ...).
llvm::StringRef getCostName(unsigned index);

/// The memory level of a memref type's memory space, if it is a
/// #dwsep.level.
std::optional<MemoryLevel> getMemoryLevel(Type type);
} // namespace mlir::dwsep

#define GET_ATTRDEF_CLASSES
#include "dwsep/Dialect/Dwsep/IR/DwsepAttrs.h.inc"

#endif // DWSEP_DIALECT_DWSEP_IR_DWSEPATTRS_H
