//===- DenseInts.h - Fast reads of integer dense constants ------*- C++ -*-===//
//
// Weights are dense integer constants of up to a few million elements
// (MobileNetV1 1.0: 4.2 M). Reading them through `getValues<APInt>()` builds
// an APInt per element, which made the passes that sum weights per channel
// (--dwsep-fold-zero-points, --dwsep-bound-accumulators, --dwsep-fold-bias)
// and the packing of the L3 image a visible part of a compile. These read the
// stored integers directly where the element width is a C integer's, and
// through APInt otherwise, with the same values.
//
//===----------------------------------------------------------------------===//

#ifndef DWSEP_SUPPORT_DENSEINTS_H
#define DWSEP_SUPPORT_DENSEINTS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace mlir::dwsep {

/// Calls `fn(int64_t)` with every element of an integer dense constant in
/// order, sign-extended from its width (what `APInt::getSExtValue` gives,
/// whatever the type's signedness).
template <typename Fn> void forEachSExtValue(DenseElementsAttr data, Fn &&fn) {
  auto type = cast<IntegerType>(data.getElementType());
  auto run = [&](auto zero) {
    using T = decltype(zero);
    // Signless and signed types read as T; unsigned ones do not (their
    // values would not be sign-extended).
    if (type.isUnsigned())
      return false;
    auto values = data.tryGetValues<T>();
    if (failed(values))
      return false;
    for (T v : *values)
      fn(static_cast<int64_t>(v));
    return true;
  };
  auto ofWidth = [&](auto zero) {
    return type.getWidth() == 8 * sizeof(zero) && run(zero);
  };
  if (ofWidth(int8_t()) || ofWidth(int16_t()) || ofWidth(int32_t()) ||
      ofWidth(int64_t()))
    return;
  for (const APInt &v : data.getValues<APInt>())
    fn(v.getSExtValue());
}

/// Appends the elements of an integer dense constant as little-endian
/// bytes, `width / 8` a value (the width a multiple of 8).
inline void appendLittleEndian(DenseElementsAttr data,
                               SmallVectorImpl<char> &bytes) {
  auto type = cast<ShapedType>(data.getType());
  int64_t width = type.getElementTypeBitWidth() / 8;
  if (width == 1) {
    // One byte an element: the stored bytes (one of them, if a splat).
    ArrayRef<char> raw = data.getRawData();
    if (data.isSplat())
      bytes.append(type.getNumElements(), raw.front());
    else
      bytes.append(raw.begin(), raw.end());
    return;
  }
  bytes.reserve(bytes.size() + type.getNumElements() * width);
  for (const APInt &v : data.getValues<APInt>())
    for (int64_t i = 0; i < width; ++i)
      bytes.push_back(static_cast<char>(v.extractBitsAsZExtValue(8, 8 * i)));
}

} // namespace mlir::dwsep

#endif // DWSEP_SUPPORT_DENSEINTS_H
