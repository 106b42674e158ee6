//===- ImportUtils.cpp - Helpers shared by the dwsep importers --*- C++ -*-===//

#include "dwsep/Conversion/ImportUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

using namespace mlir;
using namespace mlir::dwsep;
using namespace mlir::dwsep::import;

static std::optional<ConstData> fromAttr(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseIntElementsAttr>(attr);
  if (!dense || !dense.getType().hasStaticShape())
    return std::nullopt;
  ConstData d;
  d.shape.assign(dense.getType().getShape().begin(),
                 dense.getType().getShape().end());
  bool isUnsigned = dense.getElementType().isUnsignedInteger();
  for (const APInt &v : dense.getValues<APInt>())
    d.values.push_back(isUnsigned ? (int64_t)v.getZExtValue()
                                  : v.getSExtValue());
  return d;
}

static ConstData transpose(const ConstData &in, ArrayRef<int64_t> perm) {
  ConstData out;
  for (int64_t p : perm)
    out.shape.push_back(in.shape[p]);
  int64_t rank = in.shape.size();
  SmallVector<int64_t> inStrides(rank, 1);
  for (int64_t i = rank - 2; i >= 0; --i)
    inStrides[i] = inStrides[i + 1] * in.shape[i + 1];
  out.values.resize(in.values.size());
  SmallVector<int64_t> idx(rank, 0);
  for (int64_t lin = 0, e = in.values.size(); lin < e; ++lin) {
    // idx is the output index; output dim i is input dim perm[i].
    int64_t src = 0;
    for (int64_t i = 0; i < rank; ++i)
      src += idx[i] * inStrides[perm[i]];
    out.values[lin] = in.values[src];
    for (int64_t i = rank - 1; i >= 0; --i) {
      if (++idx[i] < out.shape[i])
        break;
      idx[i] = 0;
    }
  }
  return out;
}

static std::optional<ConstData> reshaped(std::optional<ConstData> d,
                                         Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!d || !shaped || !shaped.hasStaticShape() ||
      shaped.getNumElements() != d->numElements())
    return std::nullopt;
  d->shape.assign(shaped.getShape().begin(), shaped.getShape().end());
  return d;
}

std::optional<ConstData> import::foldConstant(Value v) {
  Attribute attr;
  if (matchPattern(v, m_Constant(&attr)))
    return fromAttr(attr);
  Operation *def = v.getDefiningOp();
  if (!def)
    return std::nullopt;
  if (auto op = dyn_cast<tosa::ReshapeOp>(def))
    return reshaped(foldConstant(op.getInput1()), v.getType());
  if (auto op = dyn_cast<tensor::CollapseShapeOp>(def))
    return reshaped(foldConstant(op.getSrc()), v.getType());
  if (auto op = dyn_cast<tensor::ExpandShapeOp>(def))
    return reshaped(foldConstant(op.getSrc()), v.getType());
  if (auto op = dyn_cast<tosa::TransposeOp>(def)) {
    std::optional<ConstData> in = foldConstant(op.getInput1());
    if (!in)
      return std::nullopt;
    SmallVector<int64_t> perm(op.getPerms().begin(), op.getPerms().end());
    return transpose(*in, perm);
  }
  if (auto op = dyn_cast<linalg::TransposeOp>(def)) {
    std::optional<ConstData> in = foldConstant(op.getInput());
    if (!in)
      return std::nullopt;
    return transpose(*in, op.getPermutation());
  }
  return std::nullopt;
}

std::optional<int64_t> import::foldScalar(Value v) {
  std::optional<ConstData> d = foldConstant(v);
  if (!d || d->numElements() != 1)
    return std::nullopt;
  return d->values[0];
}

Value import::makeConstant(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                           Type elem, ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get(shape, elem);
  unsigned width = elem.getIntOrFloatBitWidth();
  SmallVector<APInt> bits;
  bits.reserve(values.size());
  for (int64_t v : values)
    bits.push_back(APInt(width, (uint64_t)v, /*isSigned=*/true,
                         /*implicitTrunc=*/true));
  return arith::ConstantOp::create(b, loc, type,
                                   DenseIntElementsAttr::get(type, bits));
}

/// Looks through pure reshapes of `v` for a value of exactly `type`.
static Value findReshapeSource(Value v, Type type) {
  for (int depth = 0; v && depth < 8; ++depth) {
    if (v.getType() == type)
      return v;
    Operation *def = v.getDefiningOp();
    if (auto op = dyn_cast_or_null<tensor::ExpandShapeOp>(def))
      v = op.getSrc();
    else if (auto op = dyn_cast_or_null<tensor::CollapseShapeOp>(def))
      v = op.getSrc();
    else if (auto op = dyn_cast_or_null<tosa::ReshapeOp>(def))
      v = op.getInput1();
    else
      return {};
  }
  return {};
}

/// The value at the start of a chain of pure reshapes ending in `v`.
static Value getReshapeRoot(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (auto op = dyn_cast<tensor::ExpandShapeOp>(def))
      v = op.getSrc();
    else if (auto op = dyn_cast<tensor::CollapseShapeOp>(def))
      v = op.getSrc();
    else if (auto op = dyn_cast<tosa::ReshapeOp>(def))
      v = op.getInput1();
    else
      break;
  }
  return v;
}

Value import::reshapeTo(OpBuilder &b, Location loc, Value v,
                        ArrayRef<int64_t> shape) {
  auto dstType = RankedTensorType::get(
      shape, cast<RankedTensorType>(v.getType()).getElementType());
  if (Value found = findReshapeSource(v, dstType))
    return found;
  // Reshape from the start of the chain, so chains do not pile up.
  Value root = getReshapeRoot(v);
  if (auto rootType = dyn_cast<RankedTensorType>(root.getType());
      rootType && rootType.hasStaticShape())
    v = root;
  auto srcType = cast<RankedTensorType>(v.getType());
  if (srcType == dstType)
    return v;
  int64_t srcRank = srcType.getRank(), dstRank = dstType.getRank();
  if (dstRank < srcRank) {
    if (auto r = getReassociationIndicesForReshape(srcType, dstType))
      return tensor::CollapseShapeOp::create(b, loc, dstType, v, *r);
  } else if (dstRank > srcRank) {
    if (auto r = getReassociationIndicesForReshape(dstType, srcType))
      return tensor::ExpandShapeOp::create(b, loc, dstType, v, *r);
  }
  // General case: through a rank-1 tensor.
  auto all = [](int64_t rank) {
    SmallVector<ReassociationIndices> r(1);
    for (int64_t i = 0; i < rank; ++i)
      r[0].push_back(i);
    return r;
  };
  Value flat = v;
  if (srcRank != 1) {
    auto flatType = RankedTensorType::get({srcType.getNumElements()},
                                          srcType.getElementType());
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, v, all(srcRank));
  }
  if (dstRank == 1)
    return flat;
  return tensor::ExpandShapeOp::create(b, loc, dstType, flat, all(dstRank));
}

std::pair<int64_t, int64_t> import::getActRange(Type elem) {
  if (elem.isUnsignedInteger(8))
    return {0, 255};
  return {-128, 127};
}

void Diagnoser::reject(Operation *op, const Twine &reason) {
  if (!reasons.count(op))
    reasons[op] = reason.str();
}

unsigned Diagnoser::report(Operation *root, ArrayRef<StringRef> dialects,
                           function_ref<bool(Operation *)> ignore,
                           bool asErrors,
                           function_ref<std::string(Operation *)> fallback) {
  unsigned count = 0;
  root->walk([&](Operation *op) {
    if (!llvm::is_contained(dialects, op->getDialect()
                                          ? op->getDialect()->getNamespace()
                                          : StringRef()))
      return;
    auto it = reasons.find(op);
    if (it == reasons.end() && (dependent.contains(op) || ignore(op)))
      return;
    std::string msg = "'" + op->getName().getStringRef().str() +
                      "' op not converted to dwsep: " +
                      (it != reasons.end() ? it->second : fallback(op));
    if (asErrors)
      op->emitError(msg);
    else
      op->emitWarning(msg);
    ++count;
  });
  return count;
}

void import::eraseDeadOps(Operation *root, Diagnoser *diag) {
  bool changed = true;
  while (changed) {
    changed = false;
    SmallVector<Operation *> dead;
    // Pre-order, skipping the regions of dead ops: erasing an op erases its
    // body, which must not be visited again.
    root->walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (op != root && isOpTriviallyDead(op)) {
        dead.push_back(op);
        return WalkResult::skip();
      }
      return WalkResult::advance();
    });
    for (Operation *op : llvm::reverse(dead)) {
      if (!op->use_empty())
        continue;
      if (diag)
        op->walk([&](Operation *nested) { diag->forget(nested); });
      op->erase();
      changed = true;
    }
  }
}
