//===- DwsepAttrs.cpp - dwsep attributes ------------------------*- C++ -*-===//

#include "dwsep/Dialect/Dwsep/IR/DwsepAttrs.h"
#include "dwsep/Dialect/Dwsep/IR/DwsepDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/ADT/bit.h"

#include <cmath>

using namespace mlir;
using namespace mlir::dwsep;

/// `[a, b, ...]`: the form of Dwsep_ListParameter (the generated parser of
/// an array parameter takes the elements without brackets, which a struct
/// format cannot tell from the next parameter).
template <typename T>
static FailureOr<SmallVector<T>> parseBracketedList(AsmParser &parser) {
  SmallVector<T> values;
  if (parser.parseCommaSeparatedList(
          AsmParser::Delimiter::Square, [&]() -> ParseResult {
            FailureOr<T> v = FieldParser<T>::parse(parser);
            if (failed(v))
              return failure();
            values.push_back(*v);
            return success();
          }))
    return failure();
  return values;
}

template <typename T>
static void printBracketedList(AsmPrinter &printer, ArrayRef<T> values) {
  printer << '[';
  llvm::interleaveComma(values, printer);
  printer << ']';
}

#include "dwsep/Dialect/Dwsep/IR/DwsepEnums.cpp.inc"
#define GET_ATTRDEF_CLASSES
#include "dwsep/Dialect/Dwsep/IR/DwsepAttrs.cpp.inc"

void DwsepDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dwsep/Dialect/Dwsep/IR/DwsepAttrs.cpp.inc"
      >();
}

LogicalResult DwsepDialect::verifyOperationAttribute(Operation *op,
                                                     NamedAttribute attr) {
  if (attr.getName() == TargetAttr::kAttrName &&
      !isa<TargetAttr>(attr.getValue()))
    return op->emitError() << "'" << TargetAttr::kAttrName
                           << "' must be a #dwsep.target attribute, got "
                           << attr.getValue();
  if (attr.getName() == ChoiceAttr::kAttrName &&
      !isa<ChoiceAttr>(attr.getValue()))
    return op->emitError() << "'" << ChoiceAttr::kAttrName
                           << "' must be a #dwsep.choice attribute, got "
                           << attr.getValue();
  if (attr.getName() == ArgumentAttr::kAttrName) {
    auto list = dyn_cast<ArrayAttr>(attr.getValue());
    if (!list || !isa<FunctionOpInterface>(op) ||
        !llvm::all_of(list, [](Attribute a) { return isa<ArgumentAttr>(a); }))
      return op->emitError() << "'" << ArgumentAttr::kAttrName
                             << "' must be an array of #dwsep.argument on a "
                                "function, got "
                             << attr.getValue();
  }
  auto layerBody = getLayerBodyAttrHelper();
  if (attr.getName() == layerBody.getName() &&
      !(isa<StringAttr>(attr.getValue()) && isa<FunctionOpInterface>(op)))
    return op->emitError() << "'" << layerBody.getNameStr()
                           << "' must be a layer's name on a function, got "
                           << attr.getValue();
  return success();
}

//===----------------------------------------------------------------------===//
// Shared parsing helpers
//===----------------------------------------------------------------------===//

static ParseResult parseI32List(AsmParser &parser,
                                SmallVectorImpl<int32_t> &values) {
  return parser.parseCommaSeparatedList(AsmParser::Delimiter::Square,
                                        [&]() -> ParseResult {
                                          int32_t v;
                                          if (parser.parseInteger(v))
                                            return failure();
                                          values.push_back(v);
                                          return success();
                                        });
}

/// Parses `key = <value>` entries separated by commas until `>`; calls
/// `parseValue(key)` for each and rejects duplicate keys.
static ParseResult
parseKeyValueEntries(AsmParser &parser,
                     function_ref<ParseResult(StringRef, SMLoc)> parseValue) {
  llvm::SmallDenseSet<StringRef> seen;
  while (succeeded(parser.parseOptionalComma())) {
    SMLoc loc = parser.getCurrentLocation();
    StringRef key;
    if (parser.parseKeyword(&key) || parser.parseEqual())
      return failure();
    if (!seen.insert(key).second)
      return parser.emitError(loc)
             << "parameter '" << key << "' is given more than once";
    if (parseValue(key, loc))
      return failure();
  }
  return success();
}

static void printI32List(AsmPrinter &printer, ArrayRef<int32_t> values) {
  printer << '[';
  llvm::interleaveComma(values, printer);
  printer << ']';
}

//===----------------------------------------------------------------------===//
// RequantAttr
//===----------------------------------------------------------------------===//

Attribute RequantAttr::parse(AsmParser &parser, Type) {
  SMLoc start = parser.getCurrentLocation();
  SmallVector<int32_t> mult, shift, add, clamp;
  int32_t zp = 0;
  int64_t accBound = 0;
  Rounding rounding = Rounding::half_up;
  bool hasMult = false, hasShift = false;
  if (parser.parseLess())
    return {};
  // The first entry has no leading comma: parse it as `mult = [...]`.
  if (parser.parseKeyword("mult") || parser.parseEqual() ||
      parseI32List(parser, mult))
    return {};
  hasMult = true;
  auto parseValue = [&](StringRef key, SMLoc loc) -> ParseResult {
    if (key == "shift") {
      hasShift = true;
      return parseI32List(parser, shift);
    }
    if (key == "add")
      return parseI32List(parser, add);
    if (key == "clamp")
      return parseI32List(parser, clamp);
    if (key == "zp")
      return parser.parseInteger(zp);
    if (key == "acc_bound")
      return parser.parseInteger(accBound);
    if (key == "rounding") {
      StringRef name;
      if (parser.parseKeyword(&name))
        return failure();
      std::optional<Rounding> r = symbolizeRounding(name);
      if (!r)
        return parser.emitError(loc)
               << "unknown rounding '" << name
               << "', expected floor, half_up, double_round or float32";
      rounding = *r;
      return success();
    }
    return parser.emitError(loc)
           << "unknown requant parameter '" << key
           << "', expected mult, shift, add, zp, clamp, rounding or acc_bound";
  };
  if (parseKeyValueEntries(parser, parseValue) || parser.parseGreater())
    return {};
  if (!hasMult || !hasShift || clamp.empty()) {
    parser.emitError(start)
        << "#dwsep.requant needs mult, shift and clamp = [min, max]";
    return {};
  }
  if (clamp.size() != 2) {
    parser.emitError(start)
        << "clamp must be [min, max], got " << clamp.size() << " values";
    return {};
  }
  return RequantAttr::getChecked([&] { return parser.emitError(start); },
                                 parser.getContext(), mult, shift, add, zp,
                                 clamp[0], clamp[1], rounding, accBound);
}

void RequantAttr::print(AsmPrinter &printer) const {
  printer << "<mult = ";
  printI32List(printer, getMult());
  printer << ", shift = ";
  printI32List(printer, getShift());
  if (!getAdd().empty()) {
    printer << ", add = ";
    printI32List(printer, getAdd());
  }
  if (getZp() != 0)
    printer << ", zp = " << getZp();
  printer << ", clamp = [" << getClampMin() << ", " << getClampMax() << "]";
  if (getRounding() != Rounding::half_up)
    printer << ", rounding = " << stringifyRounding(getRounding());
  if (getAccBound())
    printer << ", acc_bound = " << getAccBound();
  printer << '>';
}

LogicalResult RequantAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                  ArrayRef<int32_t> mult,
                                  ArrayRef<int32_t> shift,
                                  ArrayRef<int32_t> add, int32_t zp,
                                  int32_t clampMin, int32_t clampMax,
                                  Rounding rounding, int64_t accBound) {
  if (accBound < 0 || accBound > (int64_t(1) << 31))
    return emitError() << "requant acc_bound " << accBound
                       << " is outside [1, 2^31] (0: none)";
  if (mult.empty())
    return emitError() << "requant 'mult' must have at least one value";
  if (shift.empty())
    return emitError() << "requant 'shift' must have at least one value";
  // All per-channel arrays must agree on the channel count.
  int64_t channels = 1;
  for (auto [name, values] :
       {std::pair<StringRef, ArrayRef<int32_t>>{"mult", mult},
        {"shift", shift},
        {"add", add}}) {
    if (values.size() <= 1)
      continue;
    if (channels != 1 && (int64_t)values.size() != channels)
      return emitError() << "requant '" << name << "' has " << values.size()
                         << " values but another parameter has " << channels
                         << "; each must have 1 or one per channel";
    channels = values.size();
  }
  for (int32_t s : shift)
    if (s < 0 || s > kMaxShift)
      return emitError() << "requant shift " << s << " is outside [0, "
                         << kMaxShift << "]";
  if (clampMin > clampMax)
    return emitError() << "requant clamp is empty: min " << clampMin
                       << " > max " << clampMax;
  if (rounding == Rounding::float32) {
    // The scale mult * 2^-shift must be a float32 and nothing is added.
    for (auto [i, m] : llvm::enumerate(mult)) {
      int bits = float32SignificantBits(m);
      if (bits > 24)
        return emitError() << "requant rounding float32 needs a float32 scale: "
                              "mult["
                           << i << "] = " << m << " has " << bits
                           << " significant bits, the limit is 24";
    }
    for (auto [i, a] : llvm::enumerate(add))
      if (a != 0)
        return emitError() << "requant rounding float32 adds nothing: add[" << i
                           << "] = " << a << ", expected 0";
  }
  return success();
}

int64_t RequantAttr::getNumChannels() const {
  return std::max(
      {getMult().size(), getShift().size(), getAdd().size(), size_t(1)});
}

bool RequantAttr::isCompatibleWith(int64_t channels) const {
  auto ok = [&](size_t n) { return n <= 1 || (int64_t)n == channels; };
  return ok(getMult().size()) && ok(getShift().size()) && ok(getAdd().size());
}

int64_t RequantAttr::apply(int32_t acc, int64_t c) const {
  return applyRequant(acc, getMultFor(c), getShiftFor(c),
                      getAdd().empty() ? 0 : getAddFor(c), getZp(),
                      getClampMin(), getClampMax(), getRounding());
}

RequantAttr RequantAttr::withAccBound(int64_t bound) const {
  return RequantAttr::get(getContext(), getMult(), getShift(), getAdd(),
                          getZp(), getClampMin(), getClampMax(), getRounding(),
                          bound);
}

int mlir::dwsep::float32SignificantBits(int32_t mult) {
  uint64_t m = mult < 0 ? -(int64_t)mult : mult;
  if (m == 0)
    return 0;
  return llvm::bit_width(m) - llvm::countr_zero(m);
}

int64_t mlir::dwsep::applyRequant(int32_t acc, int32_t mult, int32_t shift,
                                  int32_t add, int32_t zp, int32_t clampMin,
                                  int32_t clampMax, Rounding rounding) {
  if (rounding == Rounding::float32) {
    // docs/numerics.md 4.4 in float32 arithmetic itself: the scale is
    // exact (at most 24 significant bits, halved `shift` times without
    // leaving the normal range), the product is one float32 rounding, and
    // the result is rounded half to even.
    float scale = (float)mult;
    for (int32_t i = 0; i < shift; ++i)
      scale *= 0.5f;
    volatile float p = (float)acc * scale;
    int64_t r = (int64_t)std::nearbyint((double)p) + zp;
    return std::clamp<int64_t>(r, clampMin, clampMax);
  }
  // docs/numerics.md: |acc * mult| <= 2^62, |add| < 2^31 and
  // |round| <= 2^61 + 2^30, so the sum below is exact in int64.
  int64_t v = (int64_t)acc * mult + add;
  int64_t round = 0;
  if (rounding != Rounding::floor && shift > 0) {
    round = int64_t(1) << (shift - 1);
    if (rounding == Rounding::double_round && shift > 31)
      round += v >= 0 ? (int64_t(1) << 30) : -(int64_t(1) << 30);
  }
  int64_t r = ((v + round) >> shift) + zp;
  return std::clamp<int64_t>(r, clampMin, clampMax);
}

//===----------------------------------------------------------------------===//
// VariantAttr
//===----------------------------------------------------------------------===//

LogicalResult VariantAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                  FusionOrder order, Layout input, Layout mid,
                                  Layout output, SplitKind split) {
  if (order == FusionOrder::dw_pw && split == SplitKind::channels)
    return emitError() << "a dw_pw kernel cannot be split by channels: its "
                          "pointwise half needs every intermediate channel";
  return success();
}

SmallVector<VariantAttr, 7> VariantAttr::getKnownVariants(MLIRContext *ctx) {
  using L = Layout;
  using S = SplitKind;
  struct Row {
    FusionOrder order;
    L input, mid, output;
    S split;
  };
  // shared/gap8.md, "The fused kernel variants", in the paper's order.
  static const Row rows[] = {
      {FusionOrder::dw_pw, L::hwc, L::hwc, L::hwc, S::rows},
      {FusionOrder::dw_pw, L::chw, L::hwc, L::chw, S::rows},
      {FusionOrder::pw_dw, L::hwc, L::hwc, L::hwc, S::rows},
      {FusionOrder::pw_dw, L::hwc, L::chw, L::hwc, S::rows},
      {FusionOrder::pw_dw, L::hwc, L::hwc, L::hwc, S::channels},
      {FusionOrder::pw_dw, L::hwc, L::chw, L::hwc, S::channels},
      {FusionOrder::pw_dw, L::chw, L::chw, L::chw, S::channels},
  };
  SmallVector<VariantAttr, 7> result;
  for (const Row &r : rows)
    result.push_back(
        VariantAttr::get(ctx, r.order, r.input, r.mid, r.output, r.split));
  return result;
}

unsigned VariantAttr::getKnownIndex() const {
  for (auto [i, v] : llvm::enumerate(getKnownVariants(getContext())))
    if (v == *this)
      return i + 1;
  return 0;
}

//===----------------------------------------------------------------------===//
// TargetAttr
//===----------------------------------------------------------------------===//

namespace {
/// The numeric fields of #dwsep.target, in parameter order, with their
/// spelling in the assembly format: the scalar ones, then the kernel costs
/// (stored as one array, spelled one field each).
constexpr unsigned kNumScalarFields = 11;
constexpr unsigned kNumTargetFields = kNumScalarFields + kNumCosts;
/// The one scalar field a custom target may omit (default 0).
constexpr unsigned kXpulpv2Field = 10;
constexpr StringLiteral kScalarFieldNames[kNumScalarFields] = {
    "l1_size",
    "l2_size",
    "l3_size",
    "stack_main",
    "stack_worker",
    "cores",
    "l2_dma_bytes_per_cycle",
    "l2_dma_latency",
    "l3_dma_bytes_per_cycle",
    "l3_dma_latency",
    "xpulpv2"};
constexpr StringLiteral kCostClassNames[kNumCostClasses] = {
    "conv_hwc",      "conv_chw",      "pointwise_hwc", "pointwise_chw",
    "depthwise_hwc", "depthwise_chw", "linear",        "add",
    "avgpool_hwc",   "avgpool_chw",   "relayout_hwc",  "relayout_chw"};
using TargetFields = std::array<int64_t, kNumTargetFields>;

std::string fieldName(unsigned i) {
  if (i < kNumScalarFields)
    return kScalarFieldNames[i].str();
  return getCostName(i - kNumScalarFields).str();
}

struct TargetPreset {
  StringLiteral name;
  TargetFields fields;
};

// Sizes are the chips' (GAP8: 64 KiB L1, 512 KiB L2, 8 MiB HyperRAM;
// GAP9: 128 KiB L1, 1.5 MiB L2). Stacks: core 0 DORY's 3500 B; the other
// cores 2560 B on GAP8 (DORY's 3400 on GAP9): the generated code needs
// under 2 KB there (the header's STACK_NEED_WORKER; the kernels' scratch is
// half the stack), and the 5.8 KB more L1 for tiles measured 2-3% fewer
// GVSoC cycles on MobileNetV1 (docs/design.md, seventeenth session). GAP8's L2
// DMA figures are measured on the virtual platform by bench/calibrate.py
// (bench/gap8_dma_probe.c: a transfer through the runtime costs ~410 cycles
// plus ~4.3 B/cycle); GAP9's are DORY's hardware model (8 B/cycle, 10 cycles);
// the L3 figures are our assumption for HyperRAM behind the micro-DMA (2
// B/cycle at the cluster clock, 100 cycles per transfer), see docs/design.md.
//
// Kernel costs (milli-cycles per MAC and per output per core, by class in
// CostClass order; then cycles per fork and per tile; then the byte price
// and the rows-outer margin, policies rather than measurements:
// docs/cost-model.md). GAP8's are fitted by
// bench/calibrate.py to cluster cycles measured on the GAP8 virtual platform
// for the XpulpV2 kernels dwsep emits for GAP8 (docs/cost-model.md has the
// run);
// GAP9's are the original PULP-NN-class guesses, not measured.
#define DWSEP_BYTE_PRICE 100
#define DWSEP_ROWS_OUTER_MARGIN 10
#define DWSEP_GAP8_COSTS                                                       \
  1264, 0, 2419, 125067, 472, 6225, 4000, 12588, 836, 3940, 1117, 1642, 0,     \
      186093, 0, 66237, 8871, 71530, 7873, 34163, 0, 10663, 0, 5767, 2081, 0,  \
      DWSEP_BYTE_PRICE, DWSEP_ROWS_OUTER_MARGIN
#define DWSEP_GUESSED_COSTS                                                    \
  625, 0, 1250, 0, 526, 0, 1111, 0, 2857, 0, 1667, 0, 1000, 0, 0, 2000, 1000,  \
      0, 1000, 0, 0, 1000, 0, 1000, 0, 300, DWSEP_BYTE_PRICE,                  \
      DWSEP_ROWS_OUTER_MARGIN
const TargetPreset kPresets[] = {
    {"gap8",
     {65536, 524288, 8388608, 3500, 2560, 8, 4, 407, 2, 100, 1,
      DWSEP_GAP8_COSTS}},
    {"gap9",
     {131072, 1572864, 8388608, 3500, 3400, 9, 8, 10, 2, 100, 0,
      DWSEP_GUESSED_COSTS}},
};

const TargetPreset *findPreset(StringRef name) {
  for (const TargetPreset &p : kPresets)
    if (p.name == name)
      return &p;
  return nullptr;
}

TargetFields getFields(TargetAttr t) {
  TargetFields f = {t.getL1Size(),
                    t.getL2Size(),
                    t.getL3Size(),
                    t.getStackMain(),
                    t.getStackWorker(),
                    t.getCores(),
                    t.getL2DmaBytesPerCycle(),
                    t.getL2DmaLatency(),
                    t.getL3DmaBytesPerCycle(),
                    t.getL3DmaLatency(),
                    t.getXpulpv2()};
  llvm::copy(t.getCosts(), f.begin() + kNumScalarFields);
  return f;
}

TargetAttr buildTarget(function_ref<InFlightDiagnostic()> emitError,
                       MLIRContext *ctx, StringRef name,
                       const TargetFields &f) {
  return TargetAttr::getChecked(
      emitError, ctx, name, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7],
      f[8], f[9], f[10], ArrayRef<int64_t>(f).drop_front(kNumScalarFields));
}
} // namespace

/// Bound on a kernel cost: keeps the model's products far from overflow.
constexpr int64_t kMaxCost = 1000000;
/// Bound on a memory level: the header and the runtimes hold arena sizes
/// and offsets in int32_t; the cluster address space is 32-bit.
constexpr int64_t kMaxLevelSize = 2147483647;
/// Bound on the cores of a cluster (GAP8: 8, GAP9: 9); keeps per-core
/// products and splits small.
constexpr int64_t kMaxCores = 64;
/// Bound on DMA latencies and bandwidths, like kMaxCost.
constexpr int64_t kMaxDmaFigure = 1000000;

StringRef mlir::dwsep::getCostName(unsigned index) {
  static std::array<std::string, kNumCosts> names = [] {
    std::array<std::string, kNumCosts> n;
    for (unsigned c = 0; c < kNumCostClasses; ++c) {
      n[costMac(CostClass(c))] = (kCostClassNames[c] + "_mac").str();
      n[costOut(CostClass(c))] = (kCostClassNames[c] + "_out").str();
    }
    n[kCostFork] = "fork_cycles";
    n[kCostTile] = "tile_cycles";
    n[kCostByte] = "byte_price";
    n[kCostRowsOuterMargin] = "rows_outer_margin";
    return n;
  }();
  return names[index];
}

TargetAttr TargetAttr::getPreset(MLIRContext *ctx, StringRef name) {
  const TargetPreset *p = findPreset(name);
  if (!p)
    return {};
  const TargetFields &f = p->fields;
  return TargetAttr::get(ctx, p->name, f[0], f[1], f[2], f[3], f[4], f[5], f[6],
                         f[7], f[8], f[9], f[10],
                         ArrayRef<int64_t>(f).drop_front(kNumScalarFields));
}

TargetAttr TargetAttr::lookup(Operation *op) {
  for (Operation *cur = op; cur; cur = cur->getParentOp())
    if (auto t = cur->getAttrOfType<TargetAttr>(kAttrName))
      return t;
  return getGAP8(op->getContext());
}

Attribute TargetAttr::parse(AsmParser &parser, Type) {
  SMLoc start = parser.getCurrentLocation();
  std::string name;
  if (parser.parseLess() || parser.parseString(&name))
    return {};
  const TargetPreset *preset = findPreset(name);
  TargetFields fields{};
  std::array<bool, kNumTargetFields> given{};
  auto parseValue = [&](StringRef key, SMLoc loc) -> ParseResult {
    unsigned i = 0;
    while (i < kNumTargetFields && fieldName(i) != key)
      ++i;
    if (i == kNumTargetFields)
      return parser.emitError(loc)
             << "unknown target parameter '" << key << "'";
    given[i] = true;
    return parser.parseInteger(fields[i]);
  };
  if (parseKeyValueEntries(parser, parseValue) || parser.parseGreater())
    return {};
  for (unsigned i = 0; i < kNumTargetFields; ++i) {
    if (given[i])
      continue;
    // A custom target runs the same kernels: its kernel costs default to
    // the measured GAP8 ones; its cores to plain RV32IMC.
    if (!preset && i >= kNumScalarFields) {
      fields[i] = findPreset("gap8")->fields[i];
      continue;
    }
    if (!preset && i == kXpulpv2Field) {
      fields[i] = 0;
      continue;
    }
    if (!preset) {
      parser.emitError(start)
          << "target '" << name << "' is not a preset (gap8, gap9), so it "
          << "must set every parameter; '" << fieldName(i) << "' is missing";
      return {};
    }
    fields[i] = preset->fields[i];
  }
  return buildTarget([&] { return parser.emitError(start); },
                     parser.getContext(), name, fields);
}

void TargetAttr::print(AsmPrinter &printer) const {
  printer << "<\"" << getName() << "\"";
  const TargetPreset *preset = findPreset(getName());
  const TargetPreset *costs = preset ? preset : findPreset("gap8");
  TargetFields fields = getFields(*this);
  for (unsigned i = 0; i < kNumTargetFields; ++i)
    if (i == kXpulpv2Field && !preset ? fields[i] != 0
        : i < kNumScalarFields ? !preset || preset->fields[i] != fields[i]
                               : costs->fields[i] != fields[i])
      printer << ", " << fieldName(i) << " = " << fields[i];
  printer << '>';
}

LogicalResult
TargetAttr::verify(function_ref<InFlightDiagnostic()> emitError, StringRef name,
                   int64_t l1Size, int64_t l2Size, int64_t l3Size,
                   int64_t stackMain, int64_t stackWorker, int64_t cores,
                   int64_t l2DmaBytesPerCycle, int64_t l2DmaLatency,
                   int64_t l3DmaBytesPerCycle, int64_t l3DmaLatency,
                   int64_t xpulpv2, ArrayRef<int64_t> costs) {
  if (name.empty())
    return emitError() << "target name must not be empty";
  if (costs.size() != kNumCosts)
    return emitError() << "target needs " << kNumCosts << " kernel costs, got "
                       << costs.size();
  if (costs[kCostRowsOuterMargin] < 0 || costs[kCostRowsOuterMargin] >= 100)
    return emitError() << "target rows_outer_margin = "
                       << costs[kCostRowsOuterMargin]
                       << " is not a percentage in [0, 100)";
  for (auto [i, c] : llvm::enumerate(costs))
    if (c < 0 || c > kMaxCost)
      return emitError() << "target kernel cost '" << getCostName(i)
                         << "' = " << c << " is outside [0, " << kMaxCost
                         << "]";
  if (l1Size <= 0 || l2Size <= 0)
    return emitError()
           << "target L1 and L2 sizes must be positive, got l1_size = "
           << l1Size << " and l2_size = " << l2Size;
  if (l3Size < 0 || stackMain < 0 || stackWorker < 0 || l2DmaLatency < 0 ||
      l3DmaLatency < 0)
    return emitError() << "target l3_size, stacks and DMA latencies must not "
                          "be negative";
  if (xpulpv2 != 0 && xpulpv2 != 1)
    return emitError() << "target xpulpv2 must be 0 or 1, got " << xpulpv2;
  if (cores < 1)
    return emitError() << "target needs at least one core, got cores = "
                       << cores;
  if (cores > kMaxCores)
    return emitError() << "target cores = " << cores << " is more than "
                       << kMaxCores;
  if (l1Size > kMaxLevelSize || l2Size > kMaxLevelSize ||
      l3Size > kMaxLevelSize)
    return emitError() << "target memory levels must be at most "
                       << kMaxLevelSize
                       << " B (32-bit arenas), got l1_size = " << l1Size
                       << ", l2_size = " << l2Size << ", l3_size = " << l3Size;
  if (stackMain > l1Size || stackWorker > l1Size)
    return emitError() << "target stacks (" << stackMain << ", " << stackWorker
                       << " B) must fit in l1_size = " << l1Size << " B";
  if (l2DmaBytesPerCycle < 1 || l3DmaBytesPerCycle < 1)
    return emitError() << "target DMA bandwidths must be at least 1 B/cycle";
  if (l2DmaBytesPerCycle > kMaxDmaFigure ||
      l3DmaBytesPerCycle > kMaxDmaFigure || l2DmaLatency > kMaxDmaFigure ||
      l3DmaLatency > kMaxDmaFigure)
    return emitError() << "target DMA bandwidths and latencies must be at "
                          "most "
                       << kMaxDmaFigure;
  int64_t budget = l1Size - stackMain - (cores - 1) * stackWorker;
  if (budget <= 0)
    return emitError() << "target leaves no L1 for tiles: l1_size " << l1Size
                       << " B minus stacks " << stackMain << " + "
                       << (cores - 1) << " x " << stackWorker << " B is "
                       << budget << " B";
  return success();
}

//===----------------------------------------------------------------------===//
// TilePlanAttr
//===----------------------------------------------------------------------===//

LogicalResult TilePlanAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                   int64_t actL2L1, int64_t weightsL2L1,
                                   int64_t actL1L2, int64_t transfers,
                                   int64_t computeCycles, int64_t dmaCycles,
                                   int64_t totalCycles, ArrayRef<int64_t> macs,
                                   ArrayRef<int64_t> outs, int64_t forks,
                                   int64_t tiles, int64_t exposedDmaCycles,
                                   int64_t keptActL2L1, int64_t keptTransfers) {
  if (macs.size() != kNumCostClasses || outs.size() != kNumCostClasses)
    return emitError() << "tile plan needs " << kNumCostClasses
                       << " macs and outs (one per cost class), got "
                       << macs.size() << " and " << outs.size();
  std::pair<StringRef, int64_t> scalars[] = {
      {"act_l2_l1", actL2L1},
      {"weights_l2_l1", weightsL2L1},
      {"act_l1_l2", actL1L2},
      {"transfers", transfers},
      {"compute_cycles", computeCycles},
      {"dma_cycles", dmaCycles},
      {"total_cycles", totalCycles},
      {"forks", forks},
      {"tiles", tiles},
      {"exposed_dma_cycles", exposedDmaCycles},
      {"kept_act_l2_l1", keptActL2L1},
      {"kept_transfers", keptTransfers}};
  for (auto [name, v] : scalars)
    if (v < 0)
      return emitError() << "tile plan " << name << " = " << v
                         << " must not be negative";
  for (ArrayRef<int64_t> work : {macs, outs})
    for (int64_t v : work)
      if (v < 0)
        return emitError() << "tile plan "
                           << (work.data() == macs.data() ? "macs" : "outs")
                           << " must not be negative, got " << v;
  // What an instance that keeps its input does without is part of what one
  // that fetches it moves.
  if (keptActL2L1 > actL2L1 || keptTransfers > transfers ||
      (keptActL2L1 > 0) != (keptTransfers > 0))
    return emitError() << "tile plan kept_act_l2_l1 = " << keptActL2L1
                       << " and kept_transfers = " << keptTransfers
                       << " must both be 0, or both positive and at most "
                          "act_l2_l1 = "
                       << actL2L1 << " and transfers = " << transfers;
  return success();
}

//===----------------------------------------------------------------------===//
// ArgumentAttr
//===----------------------------------------------------------------------===//

LogicalResult ArgumentAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                   ArgumentKind kind, MemoryLevel level,
                                   int64_t offset, MemRefType type) {
  Type elem = type ? type.getElementType() : Type();
  bool wholeBytes = elem && (isa<IntegerType, FloatType>(elem)) &&
                    elem.getIntOrFloatBitWidth() % 8 == 0;
  if (!type || !type.hasStaticShape() || type.getRank() > 4 || !wholeBytes)
    return emitError() << "argument type must be a static memref of rank <= "
                          "4 with elements of whole bytes, got "
                       << type;
  if (level == MemoryLevel::l1)
    return emitError() << "an argument lives in L2 or L3, not L1";
  if (offset < 0)
    return emitError() << "argument offset = " << offset
                       << " must not be negative";
  return success();
}

//===----------------------------------------------------------------------===//
// ChoiceAttr
//===----------------------------------------------------------------------===//

LogicalResult ChoiceAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 int64_t chosen,
                                 ArrayRef<CandidateAttr> candidates) {
  if (chosen < 0 || chosen >= int64_t(candidates.size()))
    return emitError() << "choice chosen = " << chosen
                       << " is not the index of one of its "
                       << candidates.size() << " candidates";
  return success();
}
