//===- KernelEmitter.cpp - Building blocks of generated kernels -----------===//
//
// Loads and stores of L1 activations, the requantization of
// docs/numerics.md section 4 driven by a run-time table (Requant.h), and the
// work split over the cluster cores.
//
//===----------------------------------------------------------------------===//

#include "dwsep/Kernels/Kernels.h"
#include "dwsep/Kernels/XpulpV2.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace mlir::dwsep;

std::string ActConfig::mangle() const {
  std::string s = layout == Layout::hwc ? "h" : "c";
  s += isSigned ? "s" : "u";
  if (flat)
    s += "f";
  if (inner)
    s += std::to_string(inner);
  if (words)
    s += "x4";
  if (width)
    s += "w" + std::to_string(width);
  return s;
}

Value KernelEmitter::idx(int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}
Value KernelEmitter::i32(int64_t v) {
  return arith::ConstantIntOp::create(b, loc, b.getI32Type(), v);
}
Value KernelEmitter::i64(int64_t v) {
  return arith::ConstantIntOp::create(b, loc, b.getI64Type(), v);
}
Value KernelEmitter::add(Value x, Value y) {
  return arith::AddIOp::create(b, loc, x, y);
}
Value KernelEmitter::sub(Value x, Value y) {
  return arith::SubIOp::create(b, loc, x, y);
}
Value KernelEmitter::mul(Value x, Value y) {
  return arith::MulIOp::create(b, loc, x, y);
}
Value KernelEmitter::minS(Value x, Value y) {
  return arith::MinSIOp::create(b, loc, x, y);
}
Value KernelEmitter::maxS(Value x, Value y) {
  return arith::MaxSIOp::create(b, loc, x, y);
}
Value KernelEmitter::toI32(Value index) {
  return arith::IndexCastOp::create(b, loc, b.getI32Type(), index);
}

Value KernelEmitter::view(Value off, ArrayRef<Value> sizes, Type elem) {
  SmallVector<int64_t> shape;
  SmallVector<Value> dynamic;
  for (Value v : sizes) {
    std::optional<int64_t> c = getConstantIntValue(v);
    shape.push_back(c ? *c : ShapedType::kDynamic);
    if (!c)
      dynamic.push_back(v);
  }
  auto arenaType = cast<MemRefType>(arena.getType());
  auto type = MemRefType::get(shape, elem, MemRefLayoutAttrInterface(),
                              arenaType.getMemorySpace());
  return memref::ViewOp::create(b, loc, type, arena, off, dynamic);
}

Act KernelEmitter::act(const ActConfig &cfg, Value off, Value h, Value w,
                       Value c) {
  if (cfg.width)
    w = idx(cfg.width);
  if (cfg.inner) {
    if (cfg.flat || cfg.layout == Layout::hwc)
      c = idx(cfg.inner);
    else
      w = idx(cfg.inner);
  }
  Act a;
  a.layout = cfg.layout;
  a.isSigned = cfg.isSigned;
  a.h = h, a.w = w, a.c = c;
  SmallVector<Value> sizes;
  if (cfg.flat)
    sizes = {c};
  else if (cfg.layout == Layout::hwc)
    sizes = {h, w, c};
  else
    sizes = {c, h, w};
  a.mem = view(off, sizes, b.getI8Type());
  return a;
}

Value KernelEmitter::words(const Act &a, const ActConfig &cfg, Value off) {
  if (!xpulp || (!cfg.flat && cfg.layout != Layout::hwc))
    return Value();
  Value words;
  if (cfg.words)
    words = arith::DivUIOp::create(b, loc, a.c, idx(4));
  else if (cfg.inner > 0 && cfg.inner % 4 == 0)
    words = idx(cfg.inner / 4);
  else
    return Value();
  if (cfg.flat)
    return view(off, {words}, b.getI32Type());
  return view(off, {a.h, a.w, words}, b.getI32Type());
}

Value KernelEmitter::byteSplat(Value v) {
  return mul(arith::AndIOp::create(b, loc, v, i32(0xFF)), i32(0x01010101));
}

Value KernelEmitter::dot4(Value acc, Value x, Value w, bool xSigned) {
  return emitXpulp(b, loc, xSigned ? kSdotspB : kSdotuspB, x, w, acc);
}

Value KernelEmitter::mac(Value acc, Value x, Value w) {
  if (xpulp)
    return emitXpulp(b, loc, kMac, x, w, acc);
  return add(acc, mul(x, w));
}

static SmallVector<Value, 3> indices(const Act &a, Value y, Value x, Value c) {
  if (cast<MemRefType>(a.mem.getType()).getRank() == 1)
    return {c};
  if (a.layout == Layout::hwc)
    return {y, x, c};
  return {c, y, x};
}

Value KernelEmitter::address(Value off) {
  return add(memref::ExtractAlignedPointerAsIndexOp::create(b, loc, arena),
             off);
}

Value KernelEmitter::address(const Act &a, Value base, Value y, Value x,
                             Value c) {
  if (cast<MemRefType>(a.mem.getType()).getRank() == 1)
    return add(base, c);
  if (a.layout == Layout::hwc)
    return add(base, add(mul(add(mul(y, a.w), x), a.c), c));
  return add(base, add(mul(add(mul(c, a.h), y), a.w), x));
}

Value KernelEmitter::load(const Act &a, Value y, Value x, Value c) {
  Value v = memref::LoadOp::create(b, loc, a.mem, indices(a, y, x, c));
  if (a.isSigned)
    return arith::ExtSIOp::create(b, loc, b.getI32Type(), v);
  return arith::ExtUIOp::create(b, loc, b.getI32Type(), v);
}

void KernelEmitter::store(const Act &a, Value y, Value x, Value c, Value v32) {
  Value v = arith::TruncIOp::create(b, loc, b.getI8Type(), v32);
  memref::StoreOp::create(b, loc, v, a.mem, indices(a, y, x, c));
}

RequantBounds KernelEmitter::bounds(const RequantRef &rq) {
  if (rq.zp)
    return {rq.zp, rq.lo, rq.hi};
  auto word = [&](int64_t i) -> Value {
    return memref::LoadOp::create(b, loc, tables,
                                  ValueRange{add(rq.base, idx(i))});
  };
  return {word(0), word(1), word(2)};
}

Value KernelEmitter::requantRows(const RequantRef &rq) {
  if (rq.staged)
    return idx(0);
  RequantFields f(rq.mode);
  // After the uniform fields, or (rows16) at the halfword offset the header
  // holds.
  Value row = add(rq.base, idx(f.headerWords + f.uniformWords));
  if (rq.mode.rows16)
    row = arith::IndexCastOp::create(
        b, loc, b.getIndexType(),
        memref::LoadOp::create(
            b, loc, tables, ValueRange{add(rq.base, idx(kRequantRowsSlot))}));
  if (f.rowWords && rq.channel0)
    row = add(row, mul(rq.channel0, idx(f.rowWords)));
  return row;
}

void KernelEmitter::bindRequantWords(RequantRef &rq, ValueRange words) {
  RequantFields f(rq.mode);
  assert(words.size() == f.operandWords().size() && "one operand per word");
  rq.zp = toI32(words[0]);
  rq.lo = toI32(words[1]);
  rq.hi = toI32(words[2]);
  unsigned next = 3;
  for (unsigned k = 0; k < RequantFields::kNumFields; ++k)
    if (f.present[k] && !f.inRow[k])
      rq.uniform[k] = toI32(words[next++]);
}

RequantArgs KernelEmitter::requantArgs(const RequantRef &rq, Value channel) {
  RequantFields f(rq.mode);
  Value row = rq.rows ? rq.rows : requantRows(rq);
  if (f.rowWords)
    row = add(row, mul(channel, idx(f.rowWords)));
  auto field = [&](RequantFields::Field k) -> Value {
    if (!f.present[k])
      return Value();
    if (!f.inRow[k] && rq.uniform[k])
      return rq.uniform[k];
    Value at = add(f.inRow[k] ? row : rq.base, idx(f.offset[k]));
    Value rowTable = rq.staged ? rq.staged : rq.mode.rows16 ? tables16 : tables;
    if (f.inRow[k] && rq.mode.rows16)
      return arith::ExtSIOp::create(
          b, loc, b.getI32Type(),
          memref::LoadOp::create(b, loc, rowTable, ValueRange{at}));
    return memref::LoadOp::create(b, loc, f.inRow[k] ? rowTable : tables,
                                  ValueRange{at});
  };
  using F = RequantFields;
  RequantArgs a{field(F::mult),   field(F::shift),  field(F::rPosHi),
                field(F::rPosLo), field(F::rNegHi), field(F::rNegLo),
                field(F::addHi),  field(F::addLo)};
  const RequantMode &p = rq.mode;
  if (!p.float32Bits)
    return a;
  // docs/numerics.md 4.4: sum (the product plus a half, scaled by
  // 2^total) is near a half when its fraction is within
  // d = 2^(total + b - 22) of 0 (d >= 1 keeps exact ties). Per row, not per
  // accumulator.
  Type i64Type = b.getI64Type();
  a.f32Total = arith::ExtUIOp::create(b, loc, i64Type, a.shift);
  if (p.highWord)
    a.f32Total = add(a.f32Total, i64(32));
  a.f32Mult = p.unsignedMult
                  ? arith::ExtUIOp::create(b, loc, i64Type, a.mult).getResult()
                  : arith::ExtSIOp::create(b, loc, i64Type, a.mult).getResult();
  if (p.float32Bits < 22) {
    auto shl = [&](Value x, Value n) -> Value {
      return arith::ShLIOp::create(b, loc, x, n);
    };
    a.nearD =
        shl(i64(1), maxS(sub(a.f32Total, i64(22 - p.float32Bits)), i64(0)));
    a.nearMask = sub(shl(i64(1), a.f32Total), i64(1));
    a.nearTwoD = shl(a.nearD, i64(1));
  }
  return a;
}

Value KernelEmitter::clamp32(Value r, Value lo, Value hi) {
  if (xpulp)
    return emitXpulp(b, loc, kMaxS, emitXpulp(b, loc, kMinS, r, hi), lo);
  // An in-range value costs one unsigned compare (no min/max on RV32IMC).
  Value inRange = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule,
                                        sub(r, lo), sub(hi, lo));
  Value below = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, r, lo);
  Value saturated = arith::SelectOp::create(b, loc, below, lo, hi);
  return arith::SelectOp::create(b, loc, inRange, r, saturated);
}

Value KernelEmitter::requant(const RequantRef &rq, const RequantBounds &bd,
                             const RequantArgs &a, Value acc) {
  Value sum;
  Value y = requantHalfUp(rq, bd, a, acc, sum);
  if (!rq.mode.float32Bits)
    return y;
  return float32Rounding(rq.mode, bd, a, acc, sum, y);
}

Value KernelEmitter::requantHalfUp(const RequantRef &rq,
                                   const RequantBounds &bd,
                                   const RequantArgs &a, Value acc,
                                   Value &sum) {
  using Sign = RequantPlan::Sign;
  const RequantMode &p = rq.mode;
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
    return lo ? arith::OrIOp::create(b, loc, w, ext(lo, false)).getResult() : w;
  };
  if (p.lowWord) {
    // acc * m + R fits an i32 (the plan checked it against acc_bound): on
    // XpulpV2 mul, then p.addN (the add and the shift in one, with no copy
    // of R for p.mac to overwrite); else a multiply-add and an i32 shift.
    sum = Value();
    Value r =
        xpulp ? emitXpulp(b, loc, kAddN, a.rPosHi, a.shift, mul(acc, a.mult))
              : arith::ShRSIOp::create(b, loc, mac(a.rPosHi, acc, a.mult),
                                       a.shift)
                    .getResult();
    if (!p.zpFolded)
      r = add(r, bd.zp);
    return clip(p, bd, r);
  }
  Value v = mul(ext(acc, true), ext(a.mult, !p.unsignedMult));
  Value negative;
  if (p.sign == Sign::value) {
    v = add(v, wide(a.addHi, a.addLo));
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
  sum = add(v, wide(rHi, rLo));
  Value r;
  if (p.highWord) {
    r = arith::TruncIOp::create(b, loc, b.getI32Type(),
                                arith::ShRSIOp::create(b, loc, sum, i64(32)));
    r = arith::ShRSIOp::create(b, loc, r, a.shift);
    if (p.wide)
      r = ext(r, true);
  } else {
    r = arith::ShRSIOp::create(b, loc, sum, ext(a.shift, false));
    if (!p.wide)
      r = arith::TruncIOp::create(b, loc, b.getI32Type(), r);
  }
  if (p.wide) {
    // r + zp may leave i32 (the plan's bounds say so): zp and the clamp in
    // i64.
    if (!p.zpFolded)
      r = add(r, ext(bd.zp, true));
    r = maxS(r, ext(bd.lo, true));
    r = minS(r, ext(bd.hi, true));
    return arith::TruncIOp::create(b, loc, b.getI32Type(), r);
  }
  if (!p.zpFolded)
    r = add(r, bd.zp);
  return clip(p, bd, r);
}

Value KernelEmitter::clip(const RequantMode &p, const RequantBounds &bd,
                          Value r) {
  if (p.clipBits) {
    // Constant bounds: one p.clipui / p.clipi on XpulpV2.
    if (xpulp)
      return p.clipSigned ? emitXpulpImm(b, loc, kClipI, r, p.clipBits)
                          : emitXpulpImm(b, loc, kClipUI, r, p.clipBits + 1);
    int64_t half = int64_t(1) << (p.clipBits - 1);
    return p.clipSigned ? clamp32(r, i32(-half), i32(half - 1))
                        : clamp32(r, i32(0), i32(2 * half - 1));
  }
  return clamp32(r, bd.lo, bd.hi);
}

Value KernelEmitter::float32Rounding(const RequantMode &p,
                                     const RequantBounds &bd,
                                     const RequantArgs &a, Value acc, Value sum,
                                     Value halfUp) {
  // The half-up result is the float32 one unless the exact product lies
  // near a half (requantArgs computed the test's constants).
  Value nearHalf;
  if (!a.nearD) {
    nearHalf = arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1);
  } else {
    Value frac = arith::AndIOp::create(b, loc, add(sum, a.nearD), a.nearMask);
    nearHalf = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, frac,
                                     a.nearTwoD);
  }
  func::FuncOp exact = float32RoundingFunction();
  auto choice = scf::IfOp::create(b, loc, TypeRange{b.getI32Type()}, nearHalf,
                                  /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(choice.thenBlock());
  Value y = func::CallOp::create(
                b, loc, exact,
                ValueRange{acc, a.f32Mult, a.f32Total, bd.zp, bd.lo, bd.hi})
                .getResult(0);
  scf::YieldOp::create(b, loc, y);
  b.setInsertionPointToStart(choice.elseBlock());
  scf::YieldOp::create(b, loc, halfUp);
  return choice.getResult(0);
}

func::FuncOp KernelEmitter::float32RoundingFunction() {
  if (auto f = symbols->lookup<func::FuncOp>(kFloat32Rounding))
    return f;
  auto module = cast<ModuleOp>(symbols->getOp());
  OpBuilder fb(module.getContext());
  fb.setInsertionPointToEnd(module.getBody());
  Type i32Type = fb.getI32Type(), i64Type = fb.getI64Type();
  auto f = func::FuncOp::create(
      fb, loc, kFloat32Rounding,
      fb.getFunctionType({i32Type, i64Type, i64Type, i32Type, i32Type, i32Type},
                         {i32Type}));
  f.setPrivate();
  symbols->insert(f);
  Block *entry = f.addEntryBlock();
  fb.setInsertionPointToStart(entry);
  KernelEmitter e{fb, loc, 1, false, Value(), Value(), nullptr};
  auto c64 = [&](int64_t v) { return e.i64(v); };
  auto shl = [&](Value x, Value n) -> Value {
    return arith::ShLIOp::create(fb, loc, x, n);
  };
  auto shr = [&](Value x, Value n) -> Value {
    return arith::ShRUIOp::create(fb, loc, x, n);
  };
  auto cmp = [&](arith::CmpIPredicate p, Value x, Value y) -> Value {
    return arith::CmpIOp::create(fb, loc, p, x, y);
  };
  auto select = [&](Value c, Value x, Value y) -> Value {
    return arith::SelectOp::create(fb, loc, c, x, y);
  };
  auto abs = [&](Value x) -> std::pair<Value, Value> {
    Value neg = cmp(arith::CmpIPredicate::slt, x, c64(0));
    return {select(neg, e.sub(c64(0), x), x), neg};
  };
  // x / 2^d rounded half to even, unsigned, d in [0, 63].
  auto roundHalfEven = [&](Value x, Value d) -> Value {
    Value q = shr(x, d);
    Value rem =
        arith::AndIOp::create(fb, loc, x, e.sub(shl(c64(1), d), c64(1)));
    Value half = shl(c64(1), e.maxS(e.sub(d, c64(1)), c64(0)));
    Value odd = cmp(arith::CmpIPredicate::ne,
                    arith::AndIOp::create(fb, loc, q, c64(1)), c64(0));
    Value up = arith::OrIOp::create(
        fb, loc, cmp(arith::CmpIPredicate::ugt, rem, half),
        arith::AndIOp::create(fb, loc, cmp(arith::CmpIPredicate::eq, rem, half),
                              odd));
    return e.add(q, arith::ExtUIOp::create(fb, loc, i64Type, up));
  };
  // x rounded to a float32's 24 significant bits, half to even.
  auto toFloat32 = [&](Value x) -> Value {
    Value lz = LLVM::CountLeadingZerosOp::create(fb, loc, i64Type, x,
                                                 /*is_zero_poison=*/false);
    Value d = e.maxS(e.sub(c64(64 - 24), lz), c64(0));
    return shl(roundHalfEven(x, d), d);
  };
  ValueRange args = entry->getArguments();
  auto [accAbs, accNeg] =
      abs(arith::ExtSIOp::create(fb, loc, i64Type, args[0]));
  auto [multAbs, multNeg] = abs(args[1]);
  // float32(acc) * scale, rounded to float32, then to an integer; the
  // magnitude is capped far beyond any i32 clamp before the sign.
  Value product = toFloat32(e.mul(toFloat32(accAbs), multAbs));
  Value r = arith::MinUIOp::create(fb, loc, roundHalfEven(product, args[2]),
                                   c64(int64_t(1) << 40));
  Value negative = arith::XOrIOp::create(fb, loc, accNeg, multNeg);
  r = select(negative, e.sub(c64(0), r), r);
  auto ext = [&](Value v) -> Value {
    return arith::ExtSIOp::create(fb, loc, i64Type, v);
  };
  r = e.add(r, ext(args[3]));
  r = e.minS(e.maxS(r, ext(args[4])), ext(args[5]));
  func::ReturnOp::create(
      fb, loc, ValueRange{arith::TruncIOp::create(fb, loc, i32Type, r)});
  return f;
}

void KernelEmitter::splitRangeOverCores(Value units,
                                        function_ref<void(Value, Value)> body) {
  splitPhaseRangesOverCores(
      units, [&](unsigned, Value lo, Value hi) { body(lo, hi); });
}

void KernelEmitter::splitOverCores(Value units,
                                   function_ref<void(Value)> body) {
  splitRangeOverCores(units,
                      [&](Value lo, Value hi) { loop(lo, hi, 1, body); });
}

void KernelEmitter::splitPhaseRangesOverCores(
    ArrayRef<Value> units, function_ref<void(unsigned, Value, Value)> body) {
  // chunk = ceil(units / cores), computed once before the fork; a phase's
  // chunks start at the core after the last one the phases before it used
  // (phaseOffsets), so that a phase of fewer units than cores does not
  // land on the cores that already took one.
  SmallVector<Value> chunks, offsets;
  Value offset = idx(0);
  for (Value n : units) {
    Value chunk =
        arith::DivUIOp::create(b, loc, add(n, idx(cores - 1)), idx(cores));
    chunks.push_back(chunk);
    offsets.push_back(offset);
    Value used =
        arith::DivUIOp::create(b, loc, add(n, sub(chunk, idx(1))),
                               arith::MaxUIOp::create(b, loc, chunk, idx(1)));
    offset = arith::RemUIOp::create(b, loc, add(offset, used), idx(cores));
  }
  auto par = scf::ParallelOp::create(
      b, loc, ValueRange{idx(0)}, ValueRange{idx(cores)}, ValueRange{idx(1)});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(par.getBody());
  Value core = par.getInductionVars()[0];
  for (auto [phase, n] : llvm::enumerate(units)) {
    Value rel = phase == 0
                    ? core
                    : arith::RemUIOp::create(
                          b, loc, sub(add(core, idx(cores)), offsets[phase]),
                          idx(cores))
                          .getResult();
    Value lo = minS(mul(rel, chunks[phase]), n);
    Value hi = minS(add(lo, chunks[phase]), n);
    body(phase, lo, hi);
  }
}

void KernelEmitter::splitPhasesOverCores(
    ArrayRef<Value> units, function_ref<void(unsigned, Value)> body) {
  splitPhaseRangesOverCores(units, [&](unsigned phase, Value lo, Value hi) {
    loop(lo, hi, 1, [&](Value u) { body(phase, u); });
  });
}

void KernelEmitter::loop(Value lo, Value hi, int64_t step,
                         function_ref<void(Value)> body) {
  auto l = scf::ForOp::create(b, loc, lo, hi, idx(step));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(l.getBody());
  body(l.getInductionVar());
}

Value KernelEmitter::forAcc(Value lo, Value hi, Value init,
                            function_ref<Value(Value, Value)> body) {
  auto l = scf::ForOp::create(b, loc, lo, hi, idx(1), ValueRange{init});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(l.getBody());
  Value next = body(l.getInductionVar(), l.getRegionIterArgs()[0]);
  scf::YieldOp::create(b, loc, next);
  return l.getResult(0);
}

void KernelEmitter::ifThen(Value cond, function_ref<void()> body) {
  auto op = scf::IfOp::create(b, loc, cond, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(op.thenBlock());
  body();
}

void KernelEmitter::ifThenElse(Value cond, function_ref<void()> then,
                               function_ref<void()> otherwise) {
  auto op = scf::IfOp::create(b, loc, cond, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(op.thenBlock());
  then();
  b.setInsertionPointToStart(op.elseBlock());
  otherwise();
}
