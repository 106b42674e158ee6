//===- LowerKernels.cpp - L1 compute ops to loops ---------------*- C++ -*-===//
//
// Implements --dwsep-lower-kernels (see Passes.td). The arithmetic is the one
// of docs/numerics.md; `Emitter::requant` computes mlir::dwsep::applyRequant,
// specialised at compile time by `planRequant`.
//
//===----------------------------------------------------------------------===//

#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <map>

namespace mlir::dwsep {
#define GEN_PASS_DEF_DWSEPLOWERKERNELS
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h.inc"
} // namespace mlir::dwsep

using namespace mlir;
using namespace mlir::dwsep;

namespace {

/// An activation in L1, read and written through a signless i8 view.
struct Act {
  Value mem;
  Layout layout = Layout::hwc;
  bool isSigned = true;
  int64_t h = 1, w = 1, c = 1;
};

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
/// acc is a per-channel constant: the rounding term (including its sign
/// dependent part for double_round with s > 31), add and zp are folded into
/// R, so no rounding is computed at run time.
///
/// If every channel can get s + k >= 32 (always true when all shifts are
/// >= 32, with k = 0; for smaller shifts when m * 2^(32 - s) still fits),
/// the plan is `highWord`: r = (i32)(P >> 32) >> (s + k - 32), which is the
/// high register of a 32 x 32 -> 64 multiply (mulh / mulhsu on RV32M), one
/// add when every R * 2^k has a zero low word (else a 64-bit add), and a
/// 32-bit shift (none when s + k = 32); zp and the clamp are i32 operations.
/// k is the same for all channels whenever possible, so that the shift is a
/// constant. Otherwise k = 0 and r = P >> s in i64: the general formula,
/// valid for every requantization the verifier accepts (zp and clamp in i32
/// only when the static range of r allows it). A clamp bound that r cannot
/// reach is dropped.
struct RequantPlan {
  bool highWord = false;
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
  SmallVector<int64_t> mult, rPos, rNeg, add, shift;
  /// Bounds of r over every i32 accumulator and channel.
  int64_t rMin = INT64_MAX, rMax = INT64_MIN;
  int32_t zp = 0, clampMin = 0, clampMax = 0;

  bool isPerTensor() const {
    return mult.size() == 1 && rPos.size() == 1 && rNeg.size() == 1 &&
           add.size() == 1 && shift.size() == 1;
  }
};

RequantPlan planRequant(RequantAttr rq) {
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
  auto times2 = [](std::optional<int64_t> v,
                   int64_t e) -> std::optional<int64_t> {
    if (!v)
      return std::nullopt;
    return llvm::checkedMul(*v, int64_t(1) << e);
  };
  auto plus = [](std::optional<int64_t> x,
                 std::optional<int64_t> y) -> std::optional<int64_t> {
    if (!x || !y)
      return std::nullopt;
    return llvm::checkedAdd(*x, *y);
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
        std::optional<int64_t> pv =
            plus(plus(llvm::checkedMul(acc, *mk), ak), rv);
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

/// The per-channel values of a plan for one channel, as i32: constants, or
/// loads from constant tables (emitted once per channel where the channel is
/// an outer loop). 64-bit constants are split into high and low words; the
/// low words are null when the plan's are all zero.
struct RequantArgs {
  Value mult, rPosHi, rPosLo, rNegHi, rNegLo, addHi, addLo, shift;
};

/// Constant tables of per-channel requantization values: one global per
/// distinct content in the module.
struct RequantTables {
  unsigned counter = 0;
  std::map<std::vector<int32_t>, std::string> names;
};

struct Emitter {
  OpBuilder &b;
  Location loc;
  ModuleOp module;
  int64_t cores;
  RequantTables &tables;

  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value i32(int64_t v) {
    return arith::ConstantIntOp::create(b, loc, b.getI32Type(), v);
  }
  Value i64(int64_t v) {
    return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
  }

  /// A signless i8 view of an 8-bit L1 activation (a view of the arena).
  FailureOr<Act> act(Operation *op, Value v, Layout layout) {
    auto type = cast<MemRefType>(v.getType());
    Act a;
    a.layout = layout;
    a.isSigned = !type.getElementType().isUnsignedInteger();
    ArrayRef<int64_t> s = type.getShape();
    if (s.size() == 1) {
      a.c = s[0];
    } else if (layout == Layout::hwc) {
      a.h = s[0], a.w = s[1], a.c = s[2];
    } else {
      a.c = s[0], a.h = s[1], a.w = s[2];
    }
    if (type.getElementType().isSignlessInteger(8)) {
      a.mem = v;
      return a;
    }
    auto view = v.getDefiningOp<memref::ViewOp>();
    if (!view)
      return op->emitOpError()
             << "operand " << type
             << " must be a view of the L1 arena (run --dwsep-tile first)";
    auto signless =
        MemRefType::get(type.getShape(), b.getI8Type(),
                        MemRefLayoutAttrInterface(), type.getMemorySpace());
    a.mem = memref::ViewOp::create(b, loc, signless, view.getSource(),
                                   view.getByteShift(), view.getSizes());
    return a;
  }

  SmallVector<Value, 3> indices(const Act &a, Value y, Value x, Value c) {
    auto rank = cast<MemRefType>(a.mem.getType()).getRank();
    if (rank == 1)
      return {c};
    if (a.layout == Layout::hwc)
      return {y, x, c};
    return {c, y, x};
  }

  Value load(const Act &a, Value y, Value x, Value c) {
    Value v = memref::LoadOp::create(b, loc, a.mem, indices(a, y, x, c));
    if (a.isSigned)
      return arith::ExtSIOp::create(b, loc, b.getI32Type(), v);
    return arith::ExtUIOp::create(b, loc, b.getI32Type(), v);
  }

  void store(const Act &a, Value y, Value x, Value c, Value v32) {
    Value v = arith::TruncIOp::create(b, loc, b.getI8Type(), v32);
    memref::StoreOp::create(b, loc, v, a.mem, indices(a, y, x, c));
  }

  /// Per-channel `values[c]` as an i32 (each value's low 32 bits): a
  /// constant when there is one value (unless `opaque`), else a load from a
  /// constant global.
  Value table(ArrayRef<int64_t> values, Value c, bool opaque = false) {
    if (values.size() == 1 && !opaque)
      return i32((int32_t)(uint32_t)values[0]);
    std::vector<int32_t> data;
    for (int64_t v : values)
      data.push_back((int32_t)(uint32_t)v);
    auto type = MemRefType::get({(int64_t)data.size()}, b.getI32Type());
    std::string &name = tables.names[data];
    if (name.empty()) {
      name = "__dwsep_rq_" + std::to_string(tables.counter++);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(module.getBody());
      auto attr = DenseElementsAttr::get(
          RankedTensorType::get(type.getShape(), b.getI32Type()),
          ArrayRef<int32_t>(data));
      memref::GlobalOp::create(b, loc, name, b.getStringAttr("private"), type,
                               attr, /*constant=*/true,
                               /*alignment=*/IntegerAttr());
    }
    Value g = memref::GetGlobalOp::create(b, loc, type, name);
    return memref::LoadOp::create(b, loc, g,
                                  ValueRange{values.size() == 1 ? idx(0) : c});
  }

  /// The plan's values for channel `c` (see RequantArgs).
  RequantArgs requantArgs(const RequantPlan &p, Value c) {
    auto hi = [](ArrayRef<int64_t> v) {
      return llvm::map_to_vector(v, [](int64_t x) { return x >> 32; });
    };
    RequantArgs a;
    // A constant multiplier is loaded as well: LLVM hoists a 64-bit
    // constant out of the loops, and then no longer sees that it is an
    // extended i32, and multiplies in 64 bits instead of taking the high
    // word (mulh). Zero and powers of two stay constants (shifts).
    uint64_t m = p.mult[0] & 0xFFFFFFFF;
    a.mult = table(p.mult, c, m != 0 && !llvm::isPowerOf2_64(m));
    a.shift = table(p.shift, c);
    a.rPosHi = table(hi(p.rPos), c);
    if (!p.lowZero)
      a.rPosLo = table(p.rPos, c);
    if (p.sign != RequantPlan::Sign::none) {
      a.rNegHi = table(hi(p.rNeg), c);
      if (!p.lowZero)
        a.rNegLo = table(p.rNeg, c);
    }
    if (p.sign == RequantPlan::Sign::value) {
      a.addHi = table(hi(p.add), c);
      if (!p.lowZero)
        a.addLo = table(p.add, c);
    }
    return a;
  }

  /// clamp(r, lo, hi) on i32, lo <= hi, bounds outside i32 meaning none:
  /// an in-range value costs one unsigned compare (no min/max on RV32IMC).
  Value clamp32(Value r, int64_t lo, int64_t hi) {
    bool low = lo > INT32_MIN, high = hi < INT32_MAX;
    if (!low && !high)
      return r;
    if (!low)
      return arith::MinSIOp::create(b, loc, r, i32(hi));
    if (!high)
      return arith::MaxSIOp::create(b, loc, r, i32(lo));
    Value inRange =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule,
                              arith::SubIOp::create(b, loc, r, i32(lo)),
                              i32((int32_t)(uint32_t)(hi - lo)));
    Value below =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, r, i32(lo));
    Value saturated = arith::SelectOp::create(b, loc, below, i32(lo), i32(hi));
    return arith::SelectOp::create(b, loc, inRange, r, saturated);
  }

  /// docs/numerics.md section 4 for one accumulator, as the plan says (see
  /// RequantPlan); returns the clamped value as i32.
  Value requant(const RequantPlan &p, const RequantArgs &a, Value acc) {
    using Sign = RequantPlan::Sign;
    Type i64Type = b.getI64Type();
    auto ext = [&](Value v, bool isSigned) -> Value {
      if (isSigned)
        return arith::ExtSIOp::create(b, loc, i64Type, v);
      return arith::ExtUIOp::create(b, loc, i64Type, v);
    };
    // (hi << 32) | lo as an i64, built next to its use so that LLVM sees a
    // zero low word.
    auto wide = [&](Value hi, Value lo) -> Value {
      Value w = arith::ShLIOp::create(b, loc, ext(hi, true), i64(32));
      return lo ? arith::OrIOp::create(b, loc, w, ext(lo, false)).getResult()
                : w;
    };
    Value v = arith::MulIOp::create(b, loc, ext(acc, true),
                                    ext(a.mult, !p.unsignedMult));
    Value negative;
    if (p.sign == Sign::value) {
      v = arith::AddIOp::create(b, loc, v, wide(a.addHi, a.addLo));
      negative =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, v, i64(0));
    } else if (p.sign == Sign::acc) {
      negative =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, acc, i32(0));
    }
    Value rHi = a.rPosHi, rLo = a.rPosLo;
    if (negative) {
      rHi = arith::SelectOp::create(b, loc, negative, a.rNegHi, rHi);
      if (rLo)
        rLo = arith::SelectOp::create(b, loc, negative, a.rNegLo, rLo);
    }
    Value sum = arith::AddIOp::create(b, loc, v, wide(rHi, rLo));
    // r and its static range; then the clamp bounds in r's domain.
    Value r;
    int64_t rMin = p.rMin, rMax = p.rMax, lo = p.clampMin, hi = p.clampMax;
    int64_t zp = p.zpFolded ? 0 : p.zp;
    if (p.highWord) {
      r = arith::TruncIOp::create(b, loc, b.getI32Type(),
                                  arith::ShRSIOp::create(b, loc, sum, i64(32)));
      r = arith::ShRSIOp::create(b, loc, r, a.shift);
    } else {
      r = arith::ShRSIOp::create(b, loc, sum, ext(a.shift, false));
      if (rMin + zp < INT32_MIN || rMax + zp > INT32_MAX) {
        // Not provably in i32: zp and clamp in i64.
        if (zp)
          r = arith::AddIOp::create(b, loc, r, i64(zp));
        r = arith::MaxSIOp::create(b, loc, r, i64(lo));
        r = arith::MinSIOp::create(b, loc, r, i64(hi));
        return arith::TruncIOp::create(b, loc, b.getI32Type(), r);
      }
      r = arith::TruncIOp::create(b, loc, b.getI32Type(), r);
      if (zp) {
        r = arith::AddIOp::create(b, loc, r, i32(zp));
        rMin += zp, rMax += zp, zp = 0;
      }
    }
    // r in [rMin, rMax] (i32); y = clamp(r + zp, lo, hi) =
    // clamp(r, lo - zp, hi - zp) + zp, and within the clamp r + zp cannot
    // wrap.
    lo -= zp, hi -= zp;
    if (hi < rMin)
      return i32(hi + zp);
    if (lo > rMax)
      return i32(lo + zp);
    r = clamp32(r, lo > rMin ? lo : INT32_MIN, hi < rMax ? hi : INT32_MAX);
    if (zp)
      r = arith::AddIOp::create(b, loc, r, i32(zp));
    return r;
  }

  /// The values of a per-tensor plan, emitted here once for all the
  /// channels (before the kernel's loops); none for a per-channel plan.
  std::optional<RequantArgs> uniformArgs(const RequantPlan &p) {
    if (!p.isPerTensor())
      return std::nullopt;
    return requantArgs(p, idx(0));
  }

  /// `scf.parallel` over the cores, each taking a contiguous chunk of
  /// `units`; `body(u)` is emitted inside `scf.for u in chunk`.
  void splitOverCores(int64_t units, function_ref<void(Value)> body) {
    splitRangeOverCores(units, [&](Value lo, Value hi) {
      auto loop = scf::ForOp::create(b, loc, lo, hi, idx(1));
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      body(loop.getInductionVar());
    });
  }

  /// The same, with `body(lo, hi)` given each core's chunk.
  void splitRangeOverCores(int64_t units,
                           function_ref<void(Value, Value)> body) {
    int64_t chunk = (units + cores - 1) / cores;
    auto par = scf::ParallelOp::create(
        b, loc, ValueRange{idx(0)}, ValueRange{idx(cores)}, ValueRange{idx(1)});
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(par.getBody());
    Value core = par.getInductionVars()[0];
    Value lo = arith::MinSIOp::create(
        b, loc, arith::MulIOp::create(b, loc, core, idx(chunk)), idx(units));
    Value hi = arith::MinSIOp::create(
        b, loc, arith::AddIOp::create(b, loc, lo, idx(chunk)), idx(units));
    body(lo, hi);
  }

  /// `for iv in [lo, hi)`, with `body` building the loop-carried i32 value.
  Value forAcc(Value lo, Value hi, Value init,
               function_ref<Value(Value, Value)> body) {
    auto loop = scf::ForOp::create(b, loc, lo, hi, idx(1), ValueRange{init});
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value next = body(loop.getInductionVar(), loop.getRegionIterArgs()[0]);
    scf::YieldOp::create(b, loc, next);
    return loop.getResult(0);
  }

  void forEach(int64_t n, function_ref<void(Value)> body) {
    auto loop = scf::ForOp::create(b, loc, idx(0), idx(n), idx(1));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    body(loop.getInductionVar());
  }
};

/// Register blocking of the pointwise kernel: output pixels x output
/// channels computed together (PULP-NN's pointwise kernel is 4 x 2).
constexpr int64_t kPixelBlock = 2;
constexpr int64_t kChannelBlock = 4;
/// Largest depthwise window unrolled for interior pixels (5 x 5).
constexpr int64_t kMaxUnrolledTaps = 25;
/// Largest number of input channels unrolled in a dense window's taps.
constexpr int64_t kMaxUnrolledInputChannels = 8;

/// The window kernel: conv2d, depthwise, pointwise, avgpool and linear (and
/// each half of a fused op) are instances.
struct Window {
  enum Kind { dense, depthwise, pool } kind;
  Act in, out;
  Value weights, bias; // L1 memrefs (i8 / i32), or null
  int64_t kh = 1, kw = 1, strideH = 1, strideW = 1, padTop = 0, padLeft = 0;
  int32_t inputZp = 0;
  RequantAttr rq;
  bool splitChannels = false;
};

void emitWindow(Emitter &e, const Window &k) {
  OpBuilder &b = e.b;
  Location loc = e.loc;
  Value zp = e.i32(k.inputZp);
  RequantPlan plan = planRequant(k.rq);
  std::optional<RequantArgs> uniform = e.uniformArgs(plan);
  auto argsOf = [&](Value oc) {
    return uniform ? *uniform : e.requantArgs(plan, oc);
  };
  // The input position of tap (0, 0) of output pixel (oy, ox).
  auto origin = [&](Value oy, Value ox) -> std::pair<Value, Value> {
    Value iy0 = arith::SubIOp::create(
        b, loc, arith::MulIOp::create(b, loc, oy, e.idx(k.strideH)),
        e.idx(k.padTop));
    Value ix0 = arith::SubIOp::create(
        b, loc, arith::MulIOp::create(b, loc, ox, e.idx(k.strideW)),
        e.idx(k.padLeft));
    return {iy0, ix0};
  };
  // The accumulator of one output element, taps clipped to the input.
  auto accumulate = [&](Value oy, Value ox, Value oc, Value acc) -> Value {
    // Taps inside the input: ky in [max(0, -iy0), min(kh, H - iy0)).
    Value iy0, ix0;
    std::tie(iy0, ix0) = origin(oy, ox);
    auto range = [&](Value i0, int64_t kdim, int64_t size) {
      Value lo = arith::MaxSIOp::create(
          b, loc, e.idx(0), arith::SubIOp::create(b, loc, e.idx(0), i0));
      Value hi = arith::MinSIOp::create(
          b, loc, e.idx(kdim), arith::SubIOp::create(b, loc, e.idx(size), i0));
      return std::make_pair(lo,
                            arith::MaxSIOp::create(b, loc, lo, hi).getResult());
    };
    auto [kyLo, kyHi] = range(iy0, k.kh, k.in.h);
    auto [kxLo, kxHi] = range(ix0, k.kw, k.in.w);
    acc = e.forAcc(kyLo, kyHi, acc, [&](Value ky, Value acc1) {
      Value iy = arith::AddIOp::create(b, loc, iy0, ky);
      return e.forAcc(kxLo, kxHi, acc1, [&](Value kx, Value acc2) -> Value {
        Value ix = arith::AddIOp::create(b, loc, ix0, kx);
        auto mac = [&](Value ic, Value a, Value w) -> Value {
          Value x = arith::SubIOp::create(b, loc, e.load(k.in, iy, ix, ic), zp);
          if (!w)
            return arith::AddIOp::create(b, loc, a, x);
          Value w32 = arith::ExtSIOp::create(b, loc, b.getI32Type(), w);
          return arith::AddIOp::create(b, loc, a,
                                       arith::MulIOp::create(b, loc, x, w32));
        };
        if (k.kind == Window::pool)
          return mac(oc, acc2, Value());
        if (k.kind == Window::depthwise) {
          Value w =
              memref::LoadOp::create(b, loc, k.weights, ValueRange{ky, kx, oc});
          return mac(oc, acc2, w);
        }
        auto wType = cast<MemRefType>(k.weights.getType());
        auto channel = [&](Value ic, Value a) {
          SmallVector<Value> wIdx = wType.getRank() == 4
                                        ? SmallVector<Value>{oc, ky, kx, ic}
                                        : SmallVector<Value>{oc, ic};
          Value w = memref::LoadOp::create(b, loc, k.weights, wIdx);
          return mac(ic, a, w);
        };
        // A few input channels (a first layer's RGB): unrolled.
        if (k.in.c <= kMaxUnrolledInputChannels) {
          for (int64_t ic = 0; ic < k.in.c; ++ic)
            acc2 = channel(e.idx(ic), acc2);
          return acc2;
        }
        return e.forAcc(e.idx(0), e.idx(k.in.c), acc2, channel);
      });
    });
    return acc;
  };
  auto biasOf = [&](Value oc) -> Value {
    return k.bias ? memref::LoadOp::create(b, loc, k.bias, ValueRange{oc})
                        .getResult()
                  : e.i32(0);
  };
  // One output element; the bias and requantization values of channel `oc`
  // are loaded here unless the caller hoisted them.
  auto pixel = [&](Value oy, Value ox, Value oc, Value bias = Value(),
                   const RequantArgs *args = nullptr) {
    Value acc = accumulate(oy, ox, oc, bias ? bias : biasOf(oc));
    RequantArgs a = args ? *args : argsOf(oc);
    e.store(k.out, oy, ox, oc, e.requant(plan, a, acc));
  };

  // Depthwise: per channel, the kh x kw weights, the bias and the
  // requantization values are loaded once into registers, and every pixel
  // runs a fully unrolled window of the taps inside the input. Interior
  // pixels (whose window lies inside the input) have every tap; the few
  // border rows and columns are emitted one by one, each with its static
  // tap range, so no pixel tests or clips at run time.
  if (k.kind == Window::depthwise && k.kh * k.kw <= kMaxUnrolledTaps) {
    auto interior = [](int64_t pad, int64_t stride, int64_t kdim, int64_t size,
                       int64_t out) {
      int64_t lo = (pad + stride - 1) / stride;
      int64_t hi =
          size + pad - kdim >= 0 ? (size + pad - kdim) / stride + 1 : 0;
      return std::make_pair(std::min(lo, out), std::min(std::max(hi, lo), out));
    };
    auto [yLo, yHi] = interior(k.padTop, k.strideH, k.kh, k.in.h, k.out.h);
    auto [xLo, xHi] = interior(k.padLeft, k.strideW, k.kw, k.in.w, k.out.w);
    // Output rows (or columns) in classes: [lo, hi) with the same taps
    // [tapLo, tapHi); `loop` for the interior range, else a single one.
    struct Span {
      int64_t lo, hi, tapLo, tapHi;
      bool loop;
    };
    auto spans = [](int64_t lo, int64_t hi, int64_t out, int64_t stride,
                    int64_t pad, int64_t kdim, int64_t size) {
      SmallVector<Span> result;
      auto single = [&](int64_t o) {
        int64_t i0 = o * stride - pad;
        int64_t tapLo = std::max<int64_t>(0, -i0);
        int64_t tapHi = std::max(tapLo, std::min(kdim, size - i0));
        result.push_back({o, o + 1, tapLo, tapHi, false});
      };
      for (int64_t o = 0; o < lo; ++o)
        single(o);
      if (lo < hi)
        result.push_back({lo, hi, 0, kdim, true});
      for (int64_t o = hi; o < out; ++o)
        single(o);
      return result;
    };
    SmallVector<Span> rowSpans =
        spans(yLo, yHi, k.out.h, k.strideH, k.padTop, k.kh, k.in.h);
    SmallVector<Span> colSpans =
        spans(xLo, xHi, k.out.w, k.strideW, k.padLeft, k.kw, k.in.w);
    auto body = [&](Value oc) {
      SmallVector<Value> w;
      for (int64_t ky = 0; ky < k.kh; ++ky)
        for (int64_t kx = 0; kx < k.kw; ++kx)
          w.push_back(arith::ExtSIOp::create(
              b, loc, b.getI32Type(),
              memref::LoadOp::create(b, loc, k.weights,
                                     ValueRange{e.idx(ky), e.idx(kx), oc})));
      Value bias = biasOf(oc);
      RequantArgs args = argsOf(oc);
      // Every tap of a window is inside the input, and sum (x - zp) * w =
      // sum x * w - zp * sum w modulo 2^32: zp goes into the bias, once per
      // channel and tap range.
      std::map<std::array<int64_t, 4>, Value> biases;
      for (const Span &r : rowSpans)
        for (const Span &c : colSpans) {
          std::array<int64_t, 4> taps{r.tapLo, r.tapHi, c.tapLo, c.tapHi};
          if (biases.count(taps))
            continue;
          Value sum;
          for (int64_t ky = r.tapLo; ky < r.tapHi; ++ky)
            for (int64_t kx = c.tapLo; kx < c.tapHi; ++kx) {
              Value t = w[ky * k.kw + kx];
              sum = sum ? arith::AddIOp::create(b, loc, sum, t).getResult() : t;
            }
          biases[taps] =
              k.inputZp == 0 || !sum
                  ? bias
                  : arith::SubIOp::create(
                        b, loc, bias, arith::MulIOp::create(b, loc, sum, zp))
                        .getResult();
        }
      // One pixel: its taps unrolled.
      auto window = [&](Value oy, Value ox, const Span &r, const Span &c) {
        Value iy0, ix0;
        std::tie(iy0, ix0) = origin(oy, ox);
        Value acc = biases[{r.tapLo, r.tapHi, c.tapLo, c.tapHi}];
        for (int64_t ky = r.tapLo; ky < r.tapHi; ++ky)
          for (int64_t kx = c.tapLo; kx < c.tapHi; ++kx) {
            Value x =
                e.load(k.in, arith::AddIOp::create(b, loc, iy0, e.idx(ky)),
                       arith::AddIOp::create(b, loc, ix0, e.idx(kx)), oc);
            acc = arith::AddIOp::create(
                b, loc, acc,
                arith::MulIOp::create(b, loc, x, w[ky * k.kw + kx]));
          }
        e.store(k.out, oy, ox, oc, e.requant(plan, args, acc));
      };
      // A span: a loop, or its one coordinate as a constant.
      auto over = [&](const Span &sp, function_ref<void(Value)> f) {
        if (!sp.loop)
          return f(e.idx(sp.lo));
        auto l =
            scf::ForOp::create(b, loc, e.idx(sp.lo), e.idx(sp.hi), e.idx(1));
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(l.getBody());
        f(l.getInductionVar());
      };
      for (const Span &r : rowSpans)
        over(r, [&](Value oy) {
          for (const Span &c : colSpans)
            over(c, [&](Value ox) { window(oy, ox, r, c); });
        });
    };
    // Depthwise work is always dealt to cores by channels, as PULP-NN does;
    // a fused kernel split by rows splits its pointwise half by rows.
    e.splitOverCores(k.out.c, body);
    return;
  }
  // Pointwise: register-blocked (kPixelBlock pixels x kChannelBlock output
  // channels share each loaded input and weight, as PULP-NN's 4x2 kernel);
  // column and channel remainders use the per-pixel kernel. The loop over
  // channel blocks is outside the pixel loops, so that a block's biases and
  // requantization values are loaded once for all its pixels. Split over
  // cores by rows, or by channel blocks for a fused kernel split by
  // channels.
  bool pointwise = k.kind == Window::dense && k.kh == 1 && k.kw == 1 &&
                   k.strideH == 1 && k.strideW == 1 && k.padTop == 0 &&
                   k.padLeft == 0 && k.out.h * k.out.w > 1;
  if (pointwise) {
    int64_t cols = k.out.w / kPixelBlock * kPixelBlock;
    int64_t chans = k.out.c / kChannelBlock * kChannelBlock;
    auto wType = cast<MemRefType>(k.weights.getType());
    auto weight = [&](Value oc, Value ic) -> Value {
      SmallVector<Value> idx =
          wType.getRank() == 4 ? SmallVector<Value>{oc, e.idx(0), e.idx(0), ic}
                               : SmallVector<Value>{oc, ic};
      return arith::ExtSIOp::create(
          b, loc, b.getI32Type(),
          memref::LoadOp::create(b, loc, k.weights, idx));
    };
    // What the blocks of channels oc0 + c share.
    struct ChannelBlock {
      SmallVector<Value> ocs, biases;
      SmallVector<RequantArgs> args;
      bool zpInBias = false;
    };
    // `pixels`: how many pixels the block is used for.
    auto channelBlock = [&](Value oc0, int64_t pixels) {
      ChannelBlock cb;
      for (int64_t c = 0; c < kChannelBlock; ++c) {
        cb.ocs.push_back(arith::AddIOp::create(b, loc, oc0, e.idx(c)));
        cb.biases.push_back(biasOf(cb.ocs[c]));
        cb.args.push_back(argsOf(cb.ocs[c]));
      }
      // sum (x - zp) * w = sum x * w - zp * sum w modulo 2^32: with zp in
      // the biases, each input channel of a block saves kPixelBlock
      // subtractions; the sums of the weights cost about three instructions
      // per channel and input channel, so only when there are enough pixels.
      cb.zpInBias = k.inputZp != 0 && pixels >= 3 * kChannelBlock;
      if (cb.zpInBias) {
        auto sums =
            scf::ForOp::create(b, loc, e.idx(0), e.idx(k.in.c), e.idx(1),
                               SmallVector<Value>(kChannelBlock, e.i32(0)));
        {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(sums.getBody());
          SmallVector<Value> next;
          for (int64_t c = 0; c < kChannelBlock; ++c)
            next.push_back(arith::AddIOp::create(
                b, loc, sums.getRegionIterArgs()[c],
                weight(cb.ocs[c], sums.getInductionVar())));
          scf::YieldOp::create(b, loc, next);
        }
        for (int64_t c = 0; c < kChannelBlock; ++c)
          cb.biases[c] = arith::SubIOp::create(
              b, loc, cb.biases[c],
              arith::MulIOp::create(b, loc, sums.getResult(c), zp));
      }
      return cb;
    };
    // One block: pixels (oy, ox + p) x channels cb.ocs[c].
    auto block = [&](Value oy, Value ox, const ChannelBlock &cb) {
      SmallVector<Value> pix, inits;
      for (int64_t p = 0; p < kPixelBlock; ++p)
        pix.push_back(arith::AddIOp::create(b, loc, ox, e.idx(p)));
      for (int64_t p = 0; p < kPixelBlock; ++p)
        llvm::append_range(inits, cb.biases);
      auto icLoop =
          scf::ForOp::create(b, loc, e.idx(0), e.idx(k.in.c), e.idx(1), inits);
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(icLoop.getBody());
        Value ic = icLoop.getInductionVar();
        SmallVector<Value> xs, ws, next;
        for (int64_t p = 0; p < kPixelBlock; ++p) {
          Value x = e.load(k.in, oy, pix[p], ic);
          xs.push_back(cb.zpInBias ? x : arith::SubIOp::create(b, loc, x, zp));
        }
        for (int64_t c = 0; c < kChannelBlock; ++c)
          ws.push_back(weight(cb.ocs[c], ic));
        auto accs = icLoop.getRegionIterArgs();
        for (int64_t p = 0; p < kPixelBlock; ++p)
          for (int64_t c = 0; c < kChannelBlock; ++c)
            next.push_back(arith::AddIOp::create(
                b, loc, accs[p * kChannelBlock + c],
                arith::MulIOp::create(b, loc, xs[p], ws[c])));
        scf::YieldOp::create(b, loc, next);
      }
      for (int64_t p = 0; p < kPixelBlock; ++p)
        for (int64_t c = 0; c < kChannelBlock; ++c)
          e.store(k.out, oy, pix[p], cb.ocs[c],
                  e.requant(plan, cb.args[c],
                            icLoop.getResult(p * kChannelBlock + c)));
    };
    auto loop = [&](Value lo, Value hi, int64_t step,
                    function_ref<void(Value)> body) {
      auto l = scf::ForOp::create(b, loc, lo, hi, e.idx(step));
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(l.getBody());
      body(l.getInductionVar());
    };
    auto constLoop = [&](int64_t lo, int64_t hi, int64_t step,
                         function_ref<void(Value)> body) {
      if (lo < hi)
        loop(e.idx(lo), e.idx(hi), step, body);
    };
    auto scalarChannels = [&](Value oy, Value ox, Value lo, int64_t n) {
      if (n > 0)
        loop(lo, arith::AddIOp::create(b, loc, lo, e.idx(n)), 1,
             [&](Value oc) { pixel(oy, ox, oc); });
    };
    if (!k.splitChannels) {
      // Each core: its rows, channel block by channel block.
      int64_t rowsPerCore = (k.out.h + e.cores - 1) / e.cores;
      e.splitRangeOverCores(k.out.h, [&](Value lo, Value hi) {
        if (cols > 0 && chans > 0) {
          // (Not on a core without rows.)
          auto any = scf::IfOp::create(
              b, loc,
              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, lo, hi),
              /*withElseRegion=*/false);
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(any.thenBlock());
          constLoop(0, chans, kChannelBlock, [&](Value oc0) {
            ChannelBlock cb = channelBlock(oc0, rowsPerCore * cols);
            loop(lo, hi, 1, [&](Value oy) {
              constLoop(0, cols, kPixelBlock,
                        [&](Value ox) { block(oy, ox, cb); });
            });
          });
        }
        loop(lo, hi, 1, [&](Value oy) {
          constLoop(0, cols, 1, [&](Value ox) {
            scalarChannels(oy, ox, e.idx(chans), k.out.c - chans);
          });
          constLoop(cols, k.out.w, 1, [&](Value ox) {
            scalarChannels(oy, ox, e.idx(0), k.out.c);
          });
        });
      });
      return;
    }
    if (chans > 0)
      e.splitOverCores(chans / kChannelBlock, [&](Value cbIndex) {
        Value oc0 =
            arith::MulIOp::create(b, loc, cbIndex, e.idx(kChannelBlock));
        ChannelBlock cb;
        if (cols > 0)
          cb = channelBlock(oc0, k.out.h * cols);
        constLoop(0, k.out.h, 1, [&](Value oy) {
          constLoop(0, cols, kPixelBlock, [&](Value ox) { block(oy, ox, cb); });
          constLoop(cols, k.out.w, 1, [&](Value ox) {
            scalarChannels(oy, ox, oc0, kChannelBlock);
          });
        });
      });
    if (chans < k.out.c)
      e.splitOverCores(k.out.h, [&](Value oy) {
        constLoop(0, k.out.w, 1, [&](Value ox) {
          scalarChannels(oy, ox, e.idx(chans), k.out.c - chans);
        });
      });
    return;
  }
  if (k.splitChannels) {
    e.splitOverCores(k.out.c, [&](Value oc) {
      Value bias = biasOf(oc);
      RequantArgs args = argsOf(oc);
      e.forEach(k.out.h, [&](Value oy) {
        e.forEach(k.out.w, [&](Value ox) { pixel(oy, ox, oc, bias, &args); });
      });
    });
  } else {
    // Channels outside the columns: a channel's bias and requantization
    // values are loaded once per row.
    e.splitOverCores(k.out.h, [&](Value oy) {
      e.forEach(k.out.c, [&](Value oc) {
        Value bias = biasOf(oc);
        RequantArgs args = argsOf(oc);
        e.forEach(k.out.w, [&](Value ox) { pixel(oy, ox, oc, bias, &args); });
      });
    });
  }
}

/// Elementwise kernels (add, relayout), split by rows.
void emitElementwise(Emitter &e, const Act &out,
                     function_ref<Value(Value, Value, Value)> value) {
  e.splitOverCores(out.h, [&](Value y) {
    e.forEach(out.w, [&](Value x) {
      e.forEach(out.c, [&](Value c) { e.store(out, y, x, c, value(y, x, c)); });
    });
  });
}

struct LowerKernelsPass
    : public mlir::dwsep::impl::DwsepLowerKernelsBase<LowerKernelsPass> {
  void runOnOperation() override;
  LogicalResult lower(Operation *op, Emitter &e);
};

} // namespace

LogicalResult LowerKernelsPass::lower(Operation *op, Emitter &e) {
  auto windowOf = [&](Window::Kind kind, Value in, Value out, Layout inL,
                      Layout outL) -> FailureOr<Window> {
    Window k;
    k.kind = kind;
    FailureOr<Act> a = e.act(op, in, inL), o = e.act(op, out, outL);
    if (failed(a) || failed(o))
      return failure();
    k.in = *a;
    k.out = *o;
    return k;
  };
  auto setWindow = [](Window &k, ArrayRef<int64_t> wShape, bool hwcWeights,
                      ArrayRef<int64_t> stride, ArrayRef<int64_t> pad) {
    k.kh = hwcWeights ? wShape[0] : wShape[1];
    k.kw = hwcWeights ? wShape[1] : wShape[2];
    k.strideH = stride[0];
    k.strideW = stride[1];
    k.padTop = pad[0];
    k.padLeft = pad[1];
  };
  auto shape = [](Value v) { return cast<ShapedType>(v.getType()).getShape(); };

  // conv2d, depthwise, pointwise and linear: activations, weights, bias,
  // input zero point and requantization in the same places.
  auto weighted = [&](auto o, Window::Kind kind,
                      Layout layout) -> FailureOr<Window> {
    auto k = windowOf(kind, o.getInput(), o.getInit(), layout, layout);
    if (failed(k))
      return failure();
    k->weights = o.getWeights();
    k->bias = o.getBias();
    k->inputZp = o.getInputZp();
    k->rq = o.getRequant();
    return k;
  };
  FailureOr<Window> k = failure();
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    if (succeeded(k = weighted(conv, Window::dense, conv.getLayout())))
      setWindow(*k, shape(conv.getWeights()), false, conv.getStride(),
                conv.getPad());
  } else if (auto dw = dyn_cast<DepthwiseOp>(op)) {
    if (succeeded(k = weighted(dw, Window::depthwise, dw.getLayout()))) {
      setWindow(*k, shape(dw.getWeights()), true, dw.getStride(), dw.getPad());
      k->splitChannels = true;
    }
  } else if (auto pw = dyn_cast<PointwiseOp>(op)) {
    k = weighted(pw, Window::dense, pw.getLayout());
  } else if (auto lin = dyn_cast<LinearOp>(op)) {
    if (succeeded(k = weighted(lin, Window::dense, Layout::hwc)))
      k->splitChannels = true;
  }
  if (isa<Conv2DOp, DepthwiseOp, PointwiseOp, LinearOp>(op)) {
    if (failed(k))
      return failure();
    emitWindow(e, *k);
    return success();
  }
  if (auto pool = dyn_cast<AvgPoolOp>(op)) {
    auto k = windowOf(Window::pool, pool.getInput(), pool.getInit(),
                      pool.getLayout(), pool.getLayout());
    if (failed(k))
      return failure();
    k->kh = pool.getKernel()[0];
    k->kw = pool.getKernel()[1];
    k->strideH = pool.getStride()[0];
    k->strideW = pool.getStride()[1];
    k->inputZp = pool.getInputZp();
    k->rq = pool.getRequant();
    k->splitChannels = k->out.h < e.cores;
    emitWindow(e, *k);
    return success();
  }
  if (auto add = dyn_cast<AddOp>(op)) {
    FailureOr<Act> l = e.act(op, add.getLhs(), add.getLayout()),
                   r = e.act(op, add.getRhs(), add.getLayout()),
                   o = e.act(op, add.getInit(), add.getLayout());
    if (failed(l) || failed(r) || failed(o))
      return failure();
    // The three requantizations; per-tensor values once, before the loops.
    RequantPlan plans[] = {planRequant(add.getLhsRequant()),
                           planRequant(add.getRhsRequant()),
                           planRequant(add.getRequant())};
    std::optional<RequantArgs> uniform[3];
    for (int i = 0; i < 3; ++i)
      uniform[i] = e.uniformArgs(plans[i]);
    auto requant = [&](int i, Value acc, Value c) {
      return e.requant(
          plans[i], uniform[i] ? *uniform[i] : e.requantArgs(plans[i], c), acc);
    };
    emitElementwise(e, *o, [&](Value y, Value x, Value c) {
      Value tl = requant(0,
                         arith::SubIOp::create(e.b, e.loc, e.load(*l, y, x, c),
                                               e.i32(add.getLhsZp())),
                         c);
      Value tr = requant(1,
                         arith::SubIOp::create(e.b, e.loc, e.load(*r, y, x, c),
                                               e.i32(add.getRhsZp())),
                         c);
      return requant(2, arith::AddIOp::create(e.b, e.loc, tl, tr), c);
    });
    return success();
  }
  if (auto rel = dyn_cast<RelayoutOp>(op)) {
    FailureOr<Act> in = e.act(op, rel.getInput(), rel.getFrom()),
                   out = e.act(op, rel.getInit(), rel.getTo());
    if (failed(in) || failed(out))
      return failure();
    emitElementwise(e, *out, [&](Value y, Value x, Value c) {
      return e.load(*in, y, x, c);
    });
    return success();
  }
  auto fused = cast<FusedOp>(op);
  VariantAttr v = fused.getVariant();
  // The intermediate: an L1 scratch buffer in the variant's mid layout.
  auto inView = fused.getInput().getDefiningOp<memref::ViewOp>();
  auto scratchAttr = op->getAttrOfType<IntegerAttr>("dwsep.scratch_offset");
  if (!inView || !scratchAttr)
    return op->emitOpError() << "needs its L1 tile plan (dwsep.scratch_offset "
                                "and an input in the L1 arena): run "
                                "--dwsep-tile first";
  SmallVector<int64_t, 3> midShape = fused.getMidShape();
  auto midType =
      MemRefType::get(midShape, e.b.getI8Type(), MemRefLayoutAttrInterface(),
                      cast<MemRefType>(inView.getType()).getMemorySpace());
  Value scratch =
      memref::ViewOp::create(e.b, e.loc, midType, inView.getSource(),
                             e.idx(scratchAttr.getInt()), ValueRange{});
  Act mid;
  mid.mem = scratch;
  mid.layout = v.getMid();
  mid.isSigned = !fused.getMidType().isUnsignedInteger();
  if (v.getMid() == Layout::hwc)
    mid.h = midShape[0], mid.w = midShape[1], mid.c = midShape[2];
  else
    mid.c = midShape[0], mid.h = midShape[1], mid.w = midShape[2];
  FailureOr<Act> in = e.act(op, fused.getInput(), v.getInput()),
                 out = e.act(op, fused.getInit(), v.getOutput());
  if (failed(in) || failed(out))
    return failure();
  bool channels = v.getSplit() == SplitKind::channels;
  Window dwK{
      Window::depthwise, {}, {}, fused.getDwWeights(), fused.getDwBias()};
  setWindow(dwK, shape(fused.getDwWeights()), true, fused.getStride(),
            fused.getPad());
  dwK.rq = fused.getDwRequant();
  dwK.splitChannels = channels || v.getOrder() == FusionOrder::dw_pw;
  Window pwK{Window::dense, {}, {}, fused.getPwWeights(), fused.getPwBias()};
  pwK.rq = fused.getPwRequant();
  pwK.splitChannels = channels;
  if (fused.isDwFirst()) {
    dwK.in = *in, dwK.out = mid, dwK.inputZp = fused.getInputZp();
    pwK.in = mid, pwK.out = *out, pwK.inputZp = fused.getDwRequant().getZp();
    emitWindow(e, dwK);
    emitWindow(e, pwK);
  } else {
    pwK.in = *in, pwK.out = mid, pwK.inputZp = fused.getInputZp();
    dwK.in = mid, dwK.out = *out, dwK.inputZp = fused.getPwRequant().getZp();
    emitWindow(e, pwK);
    emitWindow(e, dwK);
  }
  return success();
}

void LowerKernelsPass::runOnOperation() {
  ModuleOp module = getOperation();
  TargetAttr target = TargetAttr::lookup(module);
  SmallVector<Operation *> ops;
  module.walk([&](Operation *op) {
    if (isa<Conv2DOp, DepthwiseOp, PointwiseOp, FusedOp, AddOp, AvgPoolOp,
            LinearOp, RelayoutOp>(op))
      ops.push_back(op);
  });
  RequantTables tables;
  for (Operation *op : ops) {
    for (Value v : op->getOperands())
      if (!isa<MemRefType>(v.getType()))
        return (void)(op->emitOpError()
                          << "must be on memrefs (bufferize and tile first)",
                      signalPassFailure());
    OpBuilder b(op);
    Emitter e{b, op->getLoc(), module, target.getCores(), tables};
    if (failed(lower(op, e)))
      return signalPassFailure();
    op->erase();
  }
}
