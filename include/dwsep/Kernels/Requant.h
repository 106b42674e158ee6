//===- Requant.h - Requantization planned for generated kernels -*- C++ -*-===//
//
// docs/numerics.md section 4 specialised for one requantization (RequantPlan)
// and laid out as a run-time table, so that one kernel serves every layer
// whose requantization has the same *mode* (RequantMode): the per-channel
// values travel in a table, the kernel's code depends on the mode only.
//
//===----------------------------------------------------------------------===//

#ifndef DWSEP_KERNELS_REQUANT_H
#define DWSEP_KERNELS_REQUANT_H

#include "dwsep/Dialect/Dwsep/IR/DwsepAttrs.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <string>
#include <vector>

namespace mlir::dwsep {

/// docs/numerics.md section 4 specialised at compile time for one
/// requantization. With, per channel, m = mult, s = shift, a = add, the
/// rounding term round(s, v < 0) of the rounding mode and a scale exponent
/// k >= 0 chosen here:
///
///   R(neg) = a + round(s, neg) + (zpFolded ? zp * 2^s : 0)
///   P      = sext(acc) * (m * 2^k) + R(v < 0) * 2^k                 (i64)
///   r      = floor(P / 2^(s + k))
///          = floor((acc * m + a + round) / 2^s) (+ zp when folded)
///
/// exactly: scaling by 2^k does not change the floor division, and the plan
/// checks that every P an i32 accumulator can produce fits i64 (so the i64
/// arithmetic does not wrap) and that m * 2^k fits 32 bits. Everything but
/// acc is a per-channel value: the rounding term (including its sign
/// dependent part for double_round with s > 31), add and zp are folded into
/// R, so no rounding is computed at run time.
///
/// If every channel can get s + k >= 32 (always true when all shifts are
/// >= 32, with k = 0; for smaller shifts when m * 2^(32 - s) still fits),
/// the plan is `highWord`: r = (i32)(P >> 32) >> (s + k - 32), which is the
/// high register of a 32 x 32 -> 64 multiply (mulh / mulhsu on RV32M), one
/// add when every R * 2^k has a zero low word (else a 64-bit add), and a
/// 32-bit shift. Otherwise k = 0 and r = P >> s in i64: the general formula,
/// valid for every requantization the verifier accepts.
struct RequantPlan {
  bool highWord = false;
  /// With the requantization's acc_bound B, acc * m + R fits an i32 for
  /// every |acc| <= B and channel: r = (acc * m + R) >> s in 32-bit
  /// arithmetic (one p.mac and a shift), k = 0. R is one word (the rPos
  /// field holds it whole; lowZero is set).
  bool lowWord = false;
  /// zp * 2^s is part of R: r is already `... + zp`.
  bool zpFolded = false;
  /// m * 2^k lies in [0, 2^32) for every channel and is zero-extended
  /// (otherwise it lies in [-2^31, 2^31) and is sign-extended).
  bool unsignedMult = false;
  /// How R is picked for double_round with s > 31. `acc`: by acc < 0 (when
  /// a = 0 for those channels; the two R are swapped for m < 0, and acc = 0,
  /// i.e. v = 0, gives the same r with either R since 0 <= 2^(s-1) +- 2^30
  /// < 2^s). `value`: by v * 2^k < 0, computed in i64.
  enum class Sign { none, acc, value } sign = Sign::none;
  /// Every R * 2^k and a * 2^k is a multiple of 2^32.
  bool lowZero = true;
  /// Per channel, or one value for all: m * 2^k (as i32 bits), R(false) *
  /// 2^k, R(true) * 2^k, a * 2^k (sign == value only, else 0 and part of R)
  /// and the run-time shift (s + k - 32 when highWord, else s).
  llvm::SmallVector<int64_t> mult, rPos, rNeg, add, shift;
  /// Bounds of r over every i32 accumulator and channel.
  int64_t rMin = INT64_MAX, rMax = INT64_MIN;
  int32_t zp = 0, clampMin = 0, clampMax = 0;

  bool isPerTensor() const {
    return mult.size() == 1 && rPos.size() == 1 && rNeg.size() == 1 &&
           add.size() == 1 && shift.size() == 1;
  }
};

RequantPlan planRequant(RequantAttr rq);

/// What a kernel's code depends on: the plan without its values. Two
/// requantizations of the same mode share a kernel.
struct RequantMode {
  bool highWord = false, lowWord = false, zpFolded = false,
       unsignedMult = false;
  RequantPlan::Sign sign = RequantPlan::Sign::none;
  bool lowZero = true;
  /// r + zp may leave i32: zp and the clamp are applied in i64.
  bool wide = false;
  /// Bit f set: field f (RequantFields' order) differs between channels
  /// and lives in the rows; else one value for all channels.
  unsigned perChannel = 0;
  /// A clamp to [0, 2^b - 1] (clipBits = b, clipSigned false) or to
  /// [-2^(b-1), 2^(b-1) - 1] (clipSigned): the bounds are constants (one
  /// p.clipui / p.clipi on XpulpV2) instead of table values; 0: the table's.
  unsigned clipBits = 0;
  bool clipSigned = false;
  /// rounding = float32 (docs/numerics.md 4.4), else 0: the smallest b
  /// with 2^b >= max(|clamp min - zp|, |clamp max - zp|) + 2. The plan
  /// rounds half up; where the exact product lies within 2^(b-22) of a
  /// half (all a float32's two roundings can move it when it is not
  /// clamped anyway), the kernel calls kFloat32Rounding instead.
  unsigned float32Bits = 0;
  /// Every per-channel value fits 16 bits (as the word's signed value): the
  /// rows are halfwords, in their own table (`__dwsep_rq16`), sign-extended
  /// on load; the table's header then holds the rows' halfword offset
  /// (word kRequantRowsSlot).
  bool rows16 = false;

  bool isPerTensor() const { return perChannel == 0; }
  /// A short mangled name (part of a kernel's symbol).
  std::string mangle() const;
};

/// The fields of a plan's table, in this order: mult, shift, R(false)
/// high word, R(false) low word (unless lowZero), R(true) high and low
/// words (unless sign is none; low unless lowZero), a high and low words
/// (sign value only). A field is uniform (one word after the header) or
/// per channel (a word in each row).
struct RequantFields {
  enum Field { mult, shift, rPosHi, rPosLo, rNegHi, rNegLo, addHi, addLo };
  static constexpr unsigned kNumFields = 8;
  /// Whether each field exists for the mode.
  bool present[kNumFields] = {};
  /// Word offset from the table base (uniform fields) or within a row.
  int64_t offset[kNumFields] = {};
  bool inRow[kNumFields] = {};
  /// Words before the uniform fields; the rows' fields (words, or
  /// halfwords with rows16).
  int64_t headerWords = 0, uniformWords = 0, rowWords = 0;
  explicit RequantFields(const RequantMode &mode);
  /// The table words a kernel takes as operands instead of loading them
  /// (KernelEmitter::bindRequantWords): zp, clamp min and max, then the
  /// uniform fields, by word offset.
  llvm::SmallVector<int64_t> operandWords() const;
};

/// The table of a plan: zp, clamp min, clamp max, the uniform fields, then
/// one row per channel of the per-channel fields.
struct RequantTable {
  RequantMode mode;
  /// The header and uniform fields, and the rows unless mode.rows16.
  std::vector<int32_t> words;
  /// With mode.rows16: the rows (words[kRequantRowsSlot] is to hold their
  /// offset in the halfword table).
  std::vector<int16_t> halfRows;
};

RequantTable buildRequantTable(RequantAttr rq);

/// The rows of a plan's table as a constant operand carries them
/// (RequantRowsOpInterface): `fields` values per channel, halfwords with
/// mode.rows16 and words otherwise; none when no field is per channel.
struct RequantRows {
  bool halfwords = false;
  int64_t fields = 0;
  std::vector<int32_t> values;
};
RequantRows buildRequantRows(RequantAttr rq);

/// Words before the uniform fields: zp, clamp min, clamp max (and, with
/// rows16, the rows' halfword offset).
constexpr int64_t kRequantHeaderWords = 3;
constexpr int64_t kRequantRowsSlot = 3;

/// The function that requantizes one accumulator with rounding = float32
/// exactly (integer emulation of the two float32 roundings and the final
/// round half to even): `(acc: i32, mult: i64, shift: i64, zp: i32, lo:
/// i32, hi: i32) -> i32`, the clamped value. Kernels call it for the rare
/// accumulators close to a rounding boundary.
constexpr llvm::StringLiteral kFloat32Rounding = "__dwsep_rq_float32";

} // namespace mlir::dwsep

#endif // DWSEP_KERNELS_REQUANT_H
