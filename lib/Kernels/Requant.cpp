//===- Requant.cpp - Requantization planned for generated kernels ---------===//
//
// See include/dwsep/Kernels/Requant.h.
//
//===----------------------------------------------------------------------===//

#include "dwsep/Kernels/Requant.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"

#include <optional>

using namespace mlir;
using namespace mlir::dwsep;

RequantPlan mlir::dwsep::planRequant(RequantAttr rq) {
  int64_t n = rq.getNumChannels();
  SmallVector<int64_t> m, s, a;
  for (int64_t c = 0; c < n; ++c) {
    m.push_back(rq.getMultFor(c));
    s.push_back(rq.getShiftFor(c));
    a.push_back(rq.getAdd().empty() ? 0 : rq.getAddFor(c));
  }
  using Sign = RequantPlan::Sign;
  bool doubleRound = rq.getRounding() == Rounding::double_round;
  Sign sign = Sign::none;
  for (int64_t c = 0; c < n; ++c)
    if (doubleRound && s[c] > 31)
      sign = a[c] != 0 ? Sign::value
                       : (sign == Sign::value ? Sign::value : Sign::acc);
  bool unsignedMult = llvm::all_of(m, [](int64_t v) { return v >= 0; });
  int64_t zp = rq.getZp();

  struct Channel {
    int64_t mult, rPos, rNeg, add, shift;
    int64_t rMin = INT64_MAX, rMax = INT64_MIN;
  };
  // Overflow-checked i64 arithmetic (the compiler's builtins:
  // llvm::checkedMul/checkedAdd go through APInt, a visible part of
  // --dwsep-lower-kernels for a whole network).
  auto mul = [](int64_t x, int64_t y) -> std::optional<int64_t> {
    int64_t r;
    if (llvm::MulOverflow(x, y, r))
      return std::nullopt;
    return r;
  };
  auto times2 = [&](std::optional<int64_t> v,
                    int64_t e) -> std::optional<int64_t> {
    if (!v)
      return std::nullopt;
    return mul(*v, int64_t(1) << e);
  };
  auto plus = [](std::optional<int64_t> x,
                 std::optional<int64_t> y) -> std::optional<int64_t> {
    int64_t r;
    if (!x || !y || llvm::AddOverflow(*x, *y, r))
      return std::nullopt;
    return r;
  };
  // Channel c scaled by 2^k, if exact.
  auto channel = [&](int64_t c, int64_t k, bool highWord,
                     bool foldZp) -> std::optional<Channel> {
    int64_t sc = s[c];
    if (sc + k > 62 || (highWord && sc + k < 32))
      return std::nullopt;
    std::optional<int64_t> mk = times2(m[c], k);
    if (!mk ||
        (unsignedMult ? *mk >= (int64_t(1) << 32)
                      : *mk >= (int64_t(1) << 31) || *mk < -(int64_t(1) << 31)))
      return std::nullopt;
    auto r = [&](bool neg) -> std::optional<int64_t> {
      int64_t round = 0;
      if (rq.getRounding() != Rounding::floor && sc > 0) {
        round = int64_t(1) << (sc - 1);
        if (doubleRound && sc > 31)
          round += neg ? -(int64_t(1) << 30) : (int64_t(1) << 30);
      }
      std::optional<int64_t> v = round + (sign == Sign::value ? 0 : a[c]);
      if (foldZp)
        v = plus(v, times2(zp, sc));
      return times2(v, k);
    };
    std::optional<int64_t> rPos = r(false), rNeg = r(true);
    std::optional<int64_t> ak = sign == Sign::value ? times2(a[c], k) : 0;
    if (!rPos || !rNeg || !ak)
      return std::nullopt;
    if (sign == Sign::acc && m[c] < 0)
      std::swap(rPos, rNeg);
    // P is linear in acc: its extremes are at the ends of the i32 range
    // (either R, conservatively), and r is monotonic in P.
    Channel ch;
    ch.mult = *mk, ch.rPos = *rPos, ch.rNeg = *rNeg, ch.add = *ak;
    ch.shift = highWord ? sc + k - 32 : sc;
    for (int64_t acc : {int64_t(INT32_MIN), int64_t(INT32_MAX)})
      for (int64_t rv : {*rPos, *rNeg}) {
        std::optional<int64_t> pv = plus(plus(mul(acc, *mk), ak), rv);
        if (!pv)
          return std::nullopt;
        ch.rMin = std::min(ch.rMin, *pv >> (sc + k));
        ch.rMax = std::max(ch.rMax, *pv >> (sc + k));
      }
    return ch;
  };
  auto lowZero = [](const Channel &ch) {
    return (ch.rPos & 0xFFFFFFFF) == 0 && (ch.rNeg & 0xFFFFFFFF) == 0 &&
           (ch.add & 0xFFFFFFFF) == 0;
  };
  auto make = [&](bool highWord, bool foldZp, ArrayRef<Channel> chans) {
    RequantPlan p;
    p.highWord = highWord;
    p.zpFolded = foldZp;
    p.unsignedMult = unsignedMult;
    p.sign = sign;
    p.zp = rq.getZp();
    p.clampMin = rq.getClampMin();
    p.clampMax = rq.getClampMax();
    for (const Channel &ch : chans) {
      p.lowZero &= lowZero(ch);
      p.mult.push_back(ch.mult);
      p.rPos.push_back(ch.rPos);
      p.rNeg.push_back(ch.rNeg);
      p.add.push_back(ch.add);
      p.shift.push_back(ch.shift);
      p.rMin = std::min(p.rMin, ch.rMin);
      p.rMax = std::max(p.rMax, ch.rMax);
    }
    // One value when all channels agree.
    for (SmallVector<int64_t> *t :
         {&p.mult, &p.rPos, &p.rNeg, &p.add, &p.shift})
      if (llvm::all_equal(*t))
        t->resize(1);
    return p;
  };
  // 32-bit arithmetic when the accumulators are bounded (acc_bound B):
  // each channel's acc * m + R must fit an i32 for |acc| <= B, and its
  // shift an i32 shift.
  if (int64_t bound = rq.getAccBound();
      bound > 0 && sign == Sign::none && rq.getRounding() != Rounding::float32)
    for (bool foldZp : {true, false}) {
      SmallVector<Channel> chans;
      for (int64_t c = 0; c < n; ++c) {
        std::optional<Channel> ch = channel(c, 0, false, foldZp);
        if (!ch || s[c] > 31 || ch->mult < INT32_MIN || ch->mult > INT32_MAX)
          break;
        std::optional<int64_t> reach =
            plus(mul(bound, std::abs(ch->mult)), std::abs(ch->rPos));
        if (!reach || *reach > INT32_MAX)
          break;
        ch->rMin = (-bound * std::abs(ch->mult) + ch->rPos) >> s[c];
        ch->rMax = (bound * std::abs(ch->mult) + ch->rPos) >> s[c];
        chans.push_back(*ch);
      }
      if ((int64_t)chans.size() < n)
        continue;
      RequantPlan p = make(false, foldZp, chans);
      // And r + zp an i32 (the kernel adds them in 32 bits).
      int64_t z = foldZp ? 0 : zp;
      if (p.rMin + z < INT32_MIN || p.rMax + z > INT32_MAX)
        continue;
      p.lowWord = true;
      p.lowZero = true;
      return p;
    }
  int64_t maxShift = *llvm::max_element(s);
  for (bool foldZp : {true, false}) {
    // The same k for every channel, s + k = S: a constant shift. The
    // smallest S whose constants have zero low words, else the smallest.
    std::optional<RequantPlan> first;
    for (int64_t S = std::max<int64_t>(32, maxShift); S <= 62; ++S) {
      SmallVector<Channel> chans;
      for (int64_t c = 0; c < n; ++c) {
        std::optional<Channel> ch = channel(c, S - s[c], true, foldZp);
        if (!ch)
          break;
        chans.push_back(*ch);
      }
      if ((int64_t)chans.size() < n)
        continue;
      RequantPlan p = make(true, foldZp, chans);
      if (p.lowZero)
        return p;
      if (!first)
        first = p;
    }
    if (first)
      return *first;
    // A k per channel (a per-channel shift): the smallest with zero low
    // words, else the smallest that is exact.
    SmallVector<Channel> chans;
    for (int64_t c = 0; c < n; ++c) {
      std::optional<Channel> pick;
      for (int64_t k = std::max<int64_t>(0, 32 - s[c]); s[c] + k <= 62; ++k)
        if (std::optional<Channel> ch = channel(c, k, true, foldZp)) {
          if (lowZero(*ch)) {
            pick = ch;
            break;
          }
          if (!pick)
            pick = ch;
        }
      if (!pick)
        break;
      chans.push_back(*pick);
    }
    if ((int64_t)chans.size() == n)
      return make(true, foldZp, chans);
  }
  // The general formula (k = 0); docs/numerics.md section 4.3 shows it is
  // exact without zp folded in.
  for (bool foldZp : {true, false}) {
    SmallVector<Channel> chans;
    for (int64_t c = 0; c < n; ++c)
      if (std::optional<Channel> ch = channel(c, 0, false, foldZp))
        chans.push_back(*ch);
    if ((int64_t)chans.size() == n)
      return make(false, foldZp, chans);
  }
  llvm_unreachable("the general requantization is always exact in i64");
}

std::string RequantMode::mangle() const {
  std::string s = highWord ? "h" : lowWord ? "o" : "g";
  if (zpFolded)
    s += "z";
  if (unsignedMult)
    s += "u";
  if (sign == RequantPlan::Sign::acc)
    s += "a";
  if (sign == RequantPlan::Sign::value)
    s += "v";
  if (!lowZero)
    s += "l";
  if (wide)
    s += "w";
  s += "c" + std::to_string(perChannel);
  if (clipBits)
    s += (clipSigned ? "s" : "p") + std::to_string(clipBits);
  if (float32Bits)
    s += "f" + std::to_string(float32Bits);
  if (rows16)
    s += "q";
  return s;
}

RequantFields::RequantFields(const RequantMode &mode) {
  using Sign = RequantPlan::Sign;
  present[mult] = present[shift] = present[rPosHi] = true;
  present[rPosLo] = !mode.lowZero;
  present[rNegHi] = mode.sign != Sign::none;
  present[rNegLo] = mode.sign != Sign::none && !mode.lowZero;
  present[addHi] = mode.sign == Sign::value;
  present[addLo] = mode.sign == Sign::value && !mode.lowZero;
  headerWords = kRequantHeaderWords + (mode.rows16 ? 1 : 0);
  for (unsigned f = 0; f < kNumFields; ++f) {
    if (!present[f])
      continue;
    inRow[f] = mode.perChannel & (1u << f);
    offset[f] = inRow[f] ? rowWords++ : headerWords + uniformWords++;
  }
}

SmallVector<int64_t> RequantFields::operandWords() const {
  SmallVector<int64_t> words = {0, 1, 2};
  for (unsigned f = 0; f < kNumFields; ++f)
    if (present[f] && !inRow[f])
      words.push_back(offset[f]);
  return words;
}

RequantTable mlir::dwsep::buildRequantTable(RequantAttr rq) {
  RequantPlan p = planRequant(rq);
  RequantTable t;
  RequantMode &m = t.mode;
  m.highWord = p.highWord;
  m.lowWord = p.lowWord;
  m.zpFolded = p.zpFolded;
  m.unsignedMult = p.unsignedMult;
  m.sign = p.sign;
  m.lowZero = p.lowZero;
  int64_t zp = p.zpFolded ? 0 : p.zp;
  m.wide = p.rMin + zp < INT32_MIN || p.rMax + zp > INT32_MAX;
  int64_t n = rq.getNumChannels();
  for (unsigned b = 1; b <= 16; ++b) {
    int64_t top = (int64_t(1) << b) - 1, half = int64_t(1) << (b - 1);
    if (p.clampMin == 0 && p.clampMax == top)
      m.clipBits = b, m.clipSigned = false;
    else if (p.clampMin == -half && p.clampMax == half - 1)
      m.clipBits = b, m.clipSigned = true;
  }
  if (rq.getRounding() == Rounding::float32) {
    int64_t zp = rq.getZp();
    int64_t reach = std::max(std::abs(rq.getClampMin() - zp),
                             std::abs(rq.getClampMax() - zp)) +
                    2;
    m.float32Bits = llvm::bit_width(uint64_t(reach - 1));
  }
  auto at = [](ArrayRef<int64_t> v, int64_t c) {
    return v[v.size() == 1 ? 0 : c];
  };
  auto lo = [](int64_t v) { return (int32_t)(uint32_t)(v & 0xFFFFFFFF); };
  auto hi = [](int64_t v) { return (int32_t)(v >> 32); };
  // Field f of channel c.
  auto value = [&](unsigned f, int64_t c) -> int32_t {
    switch (f) {
    case RequantFields::mult:
      return lo(at(p.mult, c));
    case RequantFields::shift:
      return lo(at(p.shift, c));
    case RequantFields::rPosHi:
      // lowWord: R itself, which fits a word.
      return p.lowWord ? lo(at(p.rPos, c)) : hi(at(p.rPos, c));
    case RequantFields::rPosLo:
      return lo(at(p.rPos, c));
    case RequantFields::rNegHi:
      return hi(at(p.rNeg, c));
    case RequantFields::rNegLo:
      return lo(at(p.rNeg, c));
    case RequantFields::addHi:
      return hi(at(p.add, c));
    default:
      return lo(at(p.add, c));
    }
  };
  RequantFields all(m);
  for (unsigned f = 0; f < RequantFields::kNumFields; ++f) {
    if (!all.present[f])
      continue;
    for (int64_t c = 1; c < n; ++c)
      if (value(f, c) != value(f, 0)) {
        m.perChannel |= 1u << f;
        break;
      }
  }
  // The rows, and whether every value in them fits a halfword.
  std::vector<int32_t> rows;
  {
    RequantFields fields(m);
    if (m.perChannel)
      for (int64_t c = 0; c < n; ++c)
        for (unsigned f = 0; f < RequantFields::kNumFields; ++f)
          if (fields.present[f] && fields.inRow[f])
            rows.push_back(value(f, c));
    m.rows16 = !rows.empty() && llvm::all_of(rows, [](int32_t v) {
      return v >= INT16_MIN && v <= INT16_MAX;
    });
  }
  RequantFields fields(m);
  t.words.assign(fields.headerWords + fields.uniformWords, 0);
  t.words[0] = p.zp, t.words[1] = p.clampMin, t.words[2] = p.clampMax;
  for (unsigned f = 0; f < RequantFields::kNumFields; ++f)
    if (fields.present[f] && !fields.inRow[f])
      t.words[fields.offset[f]] = value(f, 0);
  if (m.rows16)
    t.halfRows.assign(rows.begin(), rows.end());
  else
    llvm::append_range(t.words, rows);
  return t;
}

RequantRows mlir::dwsep::buildRequantRows(RequantAttr rq) {
  RequantTable t = buildRequantTable(rq);
  RequantFields f(t.mode);
  RequantRows r;
  if (!f.rowWords)
    return r;
  r.halfwords = t.mode.rows16;
  r.fields = f.rowWords;
  if (t.mode.rows16)
    r.values.assign(t.halfRows.begin(), t.halfRows.end());
  else
    r.values.assign(t.words.begin() + f.headerWords + f.uniformWords,
                    t.words.end());
  return r;
}
