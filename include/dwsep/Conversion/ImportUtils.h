//===- ImportUtils.h - Helpers shared by the dwsep importers ----*- C++ -*-===//
//
// Constant folding of weight/parameter glue, the NHWC <-> HWC boundary
// reshapes, and the diagnostics bookkeeping that --dwsep-from-tosa and
// --dwsep-from-linalg share.
//
//===----------------------------------------------------------------------===//

#ifndef DWSEP_CONVERSION_IMPORTUTILS_H
#define DWSEP_CONVERSION_IMPORTUTILS_H

#include "dwsep/Dialect/Dwsep/IR/DwsepAttrs.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

namespace mlir::dwsep::import {

/// Integer constant data with its (static, row-major) shape.
struct ConstData {
  SmallVector<int64_t> shape;
  SmallVector<int64_t> values; // sign-extended
  int64_t numElements() const { return values.size(); }
};

/// Folds `v` to integer constant data if it is (a reshape, transpose or
/// broadcast-free view of) a dense integer constant: arith.constant,
/// tosa.const, tosa.reshape, tosa.transpose, tensor.collapse_shape,
/// tensor.expand_shape, linalg.transpose on tensors.
std::optional<ConstData> foldConstant(Value v);

/// A scalar constant (a tensor of one element or an integer constant).
std::optional<int64_t> foldScalar(Value v);

/// Dense constant of `shape` and element type `elem` holding `values`.
Value makeConstant(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                   Type elem, ArrayRef<int64_t> values);

/// `v` reshaped (row-major, no data movement) to `shape`. Looks through
/// reshape chains first (tensor.expand_shape / collapse_shape, tosa.reshape)
/// so an NHWC -> HWC -> NHWC round trip leaves no ops behind; otherwise emits
/// tensor.collapse_shape / tensor.expand_shape. Requires static shapes with
/// the same element count.
Value reshapeTo(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> shape);

/// The range of an 8-bit activation type: [-128, 127] or [0, 255].
std::pair<int64_t, int64_t> getActRange(Type elem);

/// Collects one "not converted" reason per op and reports them at the end:
/// as warnings when partial conversion is allowed, as errors otherwise.
class Diagnoser {
public:
  /// Records `reason` as why `op` was not converted (the first reason wins).
  void reject(Operation *op, const Twine &reason);
  /// Marks `op` as left unconverted only because an op it depends on was
  /// (that op carries the diagnostic).
  void markDependent(Operation *op) { dependent.insert(op); }
  bool hasReason(Operation *op) const { return reasons.count(op); }
  /// Emits one diagnostic per op of `dialects` still in `root`, in program
  /// order; `fallback` is used for ops without a recorded reason. Returns
  /// the number of diagnostics emitted.
  unsigned report(Operation *root, ArrayRef<StringRef> dialects,
                  function_ref<bool(Operation *)> ignore, bool asErrors,
                  function_ref<std::string(Operation *)> fallback);
  /// Forgets `op` (it is about to be erased).
  void forget(Operation *op) {
    reasons.erase(op);
    dependent.erase(op);
  }

private:
  llvm::MapVector<Operation *, std::string> reasons;
  llvm::SmallPtrSet<Operation *, 8> dependent;
};

/// Erases ops that became dead (pure, no users), repeatedly, and makes
/// `diag` forget them.
void eraseDeadOps(Operation *root, Diagnoser *diag = nullptr);

} // namespace mlir::dwsep::import

#endif // DWSEP_CONVERSION_IMPORTUTILS_H
