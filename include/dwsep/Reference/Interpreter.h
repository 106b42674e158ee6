//===- Interpreter.h - Reference interpreter of dwsep functions -*- C++ -*-===//
//
// Evaluates a func.func whose body is dwsep ops on tensors by calling the C
// reference runtime (runtime/ref, dwsep_ref.h) for every op. This is the
// oracle the codegen tests compare against; docs/import.md documents the
// input generator and the output format.
//
//===----------------------------------------------------------------------===//

#ifndef DWSEP_REFERENCE_INTERPRETER_H
#define DWSEP_REFERENCE_INTERPRETER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::dwsep::ref {

/// A tensor value: static shape, element type (i8 / ui8 / i32 / other
/// integers) and the elements in row-major order, as mathematical integers
/// (sign-extended for signless and signed types, zero-extended for unsigned).
struct Buffer {
  SmallVector<int64_t> shape;
  Type elementType;
  std::vector<int64_t> data;

  /// The bytes this value occupies in memory: the low 8 bits of each element
  /// for 8-bit types, little-endian 4 bytes for 32-bit types, etc.
  std::vector<uint8_t> toBytes() const;
  /// FNV-1a (32 bit) of toBytes(), via dwsep_checksum.
  uint32_t checksum() const;
  /// `[v0, v1, ...]`.
  std::string formatValues() const;
};

/// The deterministic argument generator. `state` starts at the seed; for each
/// argument in order and each element in row-major order:
///   state = state * 1664525 + 1013904223   (mod 2^32)
///   8-bit types: the byte state >> 24 (as i8: two's complement, as ui8:
///   0..255) other integer types of width w <= 32: the low w bits of state,
///   sign- extended unless unsigned.
Buffer generate(RankedTensorType type, uint32_t &state);
FailureOr<SmallVector<Buffer>> generateArguments(func::FuncOp func,
                                                 uint32_t seed);

/// Evaluates `func` on `args`; emits a diagnostic on the first op it cannot
/// evaluate (naming the op) and fails.
FailureOr<SmallVector<Buffer>> evaluate(func::FuncOp func,
                                        ArrayRef<Buffer> args);

} // namespace mlir::dwsep::ref

#endif // DWSEP_REFERENCE_INTERPRETER_H
