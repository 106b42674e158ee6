//===- LowerKernels.cpp - L1 compute ops to kernel calls --------*- C++ -*-===//
//
// Implements --dwsep-lower-kernels (see Passes.td). Every L1 compute op
// becomes a call of a kernel function created once per configuration
// (include/dwsep/Kernels/Kernels.h): one rewrite pattern per op builds the
// configuration and the run-time operands; the code generators live in
// lib/Kernels. The requantization tables of all ops share one constant
// global, `__dwsep_rq` (Requant.h describes a table).
//
//===----------------------------------------------------------------------===//

#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h"
#include "dwsep/Kernels/Kernels.h"
#include "dwsep/Target/TilePlan.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/DialectConversion.h"

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"

#include <functional>
#include <map>

namespace mlir::dwsep {
#define GEN_PASS_DEF_DWSEPLOWERKERNELS
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h.inc"
} // namespace mlir::dwsep

using namespace mlir;
using namespace mlir::dwsep;

namespace {

constexpr StringLiteral kTables = "__dwsep_rq";
constexpr StringLiteral kHalfTables = "__dwsep_rq16";
constexpr StringLiteral kKernelPrefix = "__dwsep_k_";

/// What the patterns share: the module's kernels (by symbol) and the word
/// offset of every requantization's table in `__dwsep_rq`.
struct KernelLibrary {
  ModuleOp module;
  SymbolTable symbols;
  int64_t cores;
  bool xpulp;
  int64_t scratchBytes;
  std::map<std::pair<std::vector<int32_t>, std::vector<int16_t>>, int64_t>
      offsets;
  std::vector<int32_t> words;
  std::vector<int16_t> halfWords;
  memref::GlobalOp tables, halfTables;

  KernelLibrary(ModuleOp module, int64_t cores, bool xpulp,
                int64_t scratchBytes)
      : module(module), symbols(module), cores(cores), xpulp(xpulp),
        scratchBytes(scratchBytes) {}

  /// buildRequantTable(rq), built once for each attribute (every tile,
  /// channel group and operand list of an op asks for it again).
  llvm::DenseMap<Attribute, RequantTable> built;
  const RequantTable &builtTable(RequantAttr rq) {
    auto [it, inserted] = built.try_emplace(rq);
    if (inserted)
      it->second = buildRequantTable(rq);
    return it->second;
  }
  /// The table of `rq`; with `staged` (the op carries its rows,
  /// RequantRowsOpInterface) only the header and uniform fields.
  RequantTable tableOf(RequantAttr rq, bool staged) {
    RequantTable t = builtTable(rq);
    if (staged) {
      RequantFields f(t.mode);
      t.words.resize(f.headerWords + f.uniformWords);
      t.halfRows.clear();
    }
    return t;
  }
  /// Adds the table of `rq` (once per distinct content).
  void addTable(RequantAttr rq, bool staged) {
    RequantTable t = tableOf(rq, staged);
    auto [it, inserted] = offsets.try_emplace(
        std::make_pair(t.words, t.halfRows), (int64_t)words.size());
    if (!inserted)
      return;
    if (t.mode.rows16 && !staged) {
      t.words[kRequantRowsSlot] = (int32_t)halfWords.size();
      llvm::append_range(halfWords, t.halfRows);
    }
    llvm::append_range(words, t.words);
  }
  /// The global of all tables (after every addTable).
  void createTables(OpBuilder &b) {
    if (words.empty())
      return;
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(module.getBody());
    auto type = MemRefType::get({(int64_t)words.size()}, b.getI32Type());
    auto attr = DenseElementsAttr::get(
        RankedTensorType::get(type.getShape(), b.getI32Type()),
        ArrayRef<int32_t>(words));
    tables = memref::GlobalOp::create(b, module.getLoc(), kTables,
                                      b.getStringAttr("private"), type, attr,
                                      /*constant=*/true, IntegerAttr());
    symbols.insert(tables);
    if (halfWords.empty())
      return;
    auto halfType =
        MemRefType::get({(int64_t)halfWords.size()}, b.getI16Type());
    auto halfAttr = DenseElementsAttr::get(
        RankedTensorType::get(halfType.getShape(), b.getI16Type()),
        ArrayRef<int16_t>(halfWords));
    halfTables = memref::GlobalOp::create(
        b, module.getLoc(), kHalfTables, b.getStringAttr("private"), halfType,
        halfAttr, /*constant=*/true, IntegerAttr());
    symbols.insert(halfTables);
  }
  /// The mode of `rq` and its table's offset as an index constant.
  std::pair<RequantMode, Value> table(OpBuilder &b, Location loc,
                                      RequantAttr rq, bool staged = false) {
    RequantTable t = tableOf(rq, staged);
    return {t.mode,
            arith::ConstantIndexOp::create(
                b, loc, offsets.at(std::make_pair(t.words, t.halfRows)))};
  }
  /// The words of `rq`'s table that a window kernel takes as operands
  /// (RequantFields::operandWords), as index constants.
  SmallVector<Value> operandWords(OpBuilder &b, Location loc, RequantAttr rq) {
    const RequantTable &t = builtTable(rq);
    SmallVector<Value> words;
    for (int64_t w : RequantFields(t.mode).operandWords())
      words.push_back(arith::ConstantIndexOp::create(b, loc, t.words[w]));
    return words;
  }

  /// The kernels' arena type: the largest L1 arena of the module's
  /// functions, statically shaped so that a kernel takes it as one pointer
  /// (the bare-pointer calling convention, `llvm.bareptr`) instead of a
  /// five-word memref descriptor.
  MemRefType kernelArena;

  /// Where depthwise and pointwise kernels take their HWC output's channel
  /// count as an operand (the pass's `share` option): nowhere (none), where
  /// that merges kernels but pointwise ones split by channels (rows), where
  /// it merges kernels (size), everywhere (all).
  enum class Share { rows, size, all, none } share = Share::none;

  using KernelBody = std::function<void(KernelEmitter &, ValueRange)>;
  /// A kernel with the same operands as one or more created ones, which it
  /// can stand for (`share`): the symbols of those, and how to emit it.
  struct Shared {
    SmallVector<std::string> symbols;
    KernelBody body;
  };
  /// By the shared kernel's symbol, in creation order.
  llvm::MapVector<std::string, Shared, std::map<std::string, unsigned>> shared;

  std::string symbolOf(StringRef name) const {
    // XpulpV2 kernels are other code: another name.
    return (kKernelPrefix + (xpulp ? "x_" : "") + name).str();
  }

  /// Creates kernel `symbol` taking the L1 arena and `numOperands` index
  /// values, its code by `body`.
  func::FuncOp create(Location loc, StringRef symbol, size_t numOperands,
                      function_ref<void(KernelEmitter &, ValueRange)> body) {
    OpBuilder kb(module.getContext());
    SmallVector<Type> types = {kernelArena};
    types.append(numOperands, kb.getIndexType());
    kb.setInsertionPointToEnd(module.getBody());
    auto kernel =
        func::FuncOp::create(kb, loc, symbol, kb.getFunctionType(types, {}));
    kernel.setPrivate();
    kernel->setAttr("llvm.bareptr", kb.getUnitAttr());
    symbols.insert(kernel);
    Block *entry = kernel.addEntryBlock();
    kb.setInsertionPointToStart(entry);
    KernelEmitter e{kb,      loc,     cores, xpulp, entry->getArgument(0),
                    Value(), &symbols};
    e.scratchBytes = scratchBytes;
    if (tables)
      e.tables = memref::GetGlobalOp::create(kb, loc, tables.getType(),
                                             tables.getSymName());
    if (halfTables)
      e.tables16 = memref::GetGlobalOp::create(kb, loc, halfTables.getType(),
                                               halfTables.getSymName());
    body(e, entry->getArguments().drop_front());
    func::ReturnOp::create(kb, loc);
    return kernel;
  }

  /// Where two or more kernels were created that one kernel with the same
  /// operands can stand for (their `sharedName` in `call`), that kernel
  /// replaces them: their calls call it and they are erased. (A kernel
  /// that specializes a size alone keeps it.)
  void shareKernels() {
    for (auto &[symbol, s] : shared) {
      if (s.symbols.size() < 2)
        continue;
      auto first = symbols.lookup<func::FuncOp>(s.symbols.front());
      func::FuncOp kernel =
          create(first.getLoc(), symbol, first.getNumArguments() - 1, s.body);
      llvm::StringSet<> replaced;
      for (const std::string &old : s.symbols)
        replaced.insert(old);
      module.walk([&](func::CallOp call) {
        if (replaced.contains(call.getCallee()))
          call.setCallee(kernel.getSymName());
      });
      for (const std::string &old : s.symbols)
        symbols.erase(symbols.lookup<func::FuncOp>(old));
    }
  }

  /// Calls kernel `name` (created by `body` on first use) with the L1 arena
  /// and `operands` (index values). `sharedName` (with `sharedBody`): a
  /// kernel with the same operands that can stand for this one and others
  /// (`share`).
  void call(OpBuilder &b, Location loc, StringRef name, Value arena,
            ValueRange operands,
            function_ref<void(KernelEmitter &, ValueRange)> body,
            StringRef sharedName = {}, KernelBody sharedBody = {}) {
    std::string symbol = symbolOf(name);
    auto kernel = symbols.lookup<func::FuncOp>(symbol);
    if (!kernel) {
      kernel = create(loc, symbol, operands.size(), body);
      if (!sharedName.empty()) {
        Shared &s = shared[symbolOf(sharedName)];
        s.symbols.push_back(symbol);
        s.body = std::move(sharedBody);
      }
    }
    Value cast = arena;
    if (arena.getType() != kernelArena)
      cast = memref::ReinterpretCastOp::create(
          b, loc, kernelArena, arena, /*offset=*/0,
          /*sizes=*/kernelArena.getShape(), /*strides=*/{1});
    SmallVector<Value> args = {cast};
    llvm::append_range(args, operands);
    func::CallOp::create(b, loc, kernel, args);
  }
};

/// An operand as a kernel gets it: its buffer's byte offset in the arena
/// and its sizes (h, w, c), or for weights its byte offset only.
struct Operand {
  Value arena, offset;
  ArrayRef<int64_t> shape;
};

/// The L1 view behind `v` (checked by `checkOperands`); none for an absent
/// optional operand (a bias).
Operand operand(Value v) {
  if (!v)
    return {};
  auto view = v.getDefiningOp<memref::ViewOp>();
  return {view.getSource(), view.getByteShift(),
          cast<MemRefType>(v.getType()).getShape()};
}

/// Every memref operand of `op` must be a view of one L1 arena at some
/// byte offset (what --dwsep-tile makes).
LogicalResult checkOperands(Operation *op) {
  Value arena;
  bool ok = true;
  for (Value v : op->getOperands()) {
    if (v.getType().isIndex())
      continue; // ChannelSliceOpInterface's channel offset
    if (!isa<MemRefType>(v.getType()))
      return op->emitOpError()
             << "must be on memrefs (bufferize and tile first)";
    auto view = v.getDefiningOp<memref::ViewOp>();
    if (!view || (arena && view.getSource() != arena)) {
      op->emitOpError() << "operand " << v.getType()
                        << " must be a view of the L1 arena (run "
                           "--dwsep-tile first)";
      ok = false;
      continue;
    }
    arena = view.getSource();
  }
  if (auto fused = dyn_cast<FusedOp>(op);
      ok && fused && !fused.getScratchOffset())
    return op->emitOpError() << "needs its L1 tile plan (scratch_offset "
                                "and an input in the L1 arena): run "
                                "--dwsep-tile first";
  return success(ok);
}

/// An activation's configuration; `shape` its static shape, whose
/// innermost size (and, with `withWidth`, width) becomes part of the
/// configuration.
ActConfig actConfig(Type elem, Layout layout, ArrayRef<int64_t> shape,
                    bool withWidth = false) {
  bool flat = shape.size() == 1;
  int64_t width = 0;
  // (In CHW the width is the innermost size already.)
  if (withWidth && !flat && layout == Layout::hwc)
    width = shape[1];
  return {layout, !elem.isUnsignedInteger(), flat, shape.back(), width};
}
Type elementOf(Value v) {
  return cast<ShapedType>(v.getType()).getElementType();
}

/// Sizes (h, w, c) of a shape in `layout` (rank 1: channels).
std::array<int64_t, 3> dims(ArrayRef<int64_t> s, Layout layout) {
  if (s.size() == 1)
    return {1, 1, s[0]};
  if (layout == Layout::hwc)
    return {s[0], s[1], s[2]};
  return {s[1], s[2], s[0]};
}

/// Base of the per-op patterns: `lower` builds the calls.
template <typename OpTy> struct KernelPattern : OpRewritePattern<OpTy> {
  KernelPattern(MLIRContext *ctx, KernelLibrary &lib)
      : OpRewritePattern<OpTy>(ctx), lib(lib) {}
  KernelLibrary &lib;

  Value idx(OpBuilder &b, Location loc, int64_t v) const {
    return arith::ConstantIndexOp::create(b, loc, v);
  }

  /// The L1 offset of staged requantization rows (null: none, the kernel
  /// reads the module's table).
  static Value rowsOffset(Value rows) {
    return rows ? operand(rows).offset : Value();
  }

  /// One window kernel call: `in`/`out` activations with layouts, and the
  /// rest of the operands.
  void window(OpBuilder &b, Location loc, WindowConfig k, Value arena,
              Value inOff, std::array<int64_t, 3> inDims, Value outOff,
              std::array<int64_t, 3> outDims, Value weightOff, Value biasOff,
              int64_t padTop, int64_t inputZp, RequantAttr rq, Value channel0,
              Value rowsOff = Value()) const {
    k.stagedRows = rowsOff != nullptr;
    auto [mode, base] = lib.table(b, loc, rq, k.stagedRows);
    k.rq = mode;
    k.hasZp = inputZp != 0;
    k.zpFolded = k.zpFolded && k.hasZp;
    WindowOperands o{inOff,
                     idx(b, loc, inDims[0]),
                     idx(b, loc, inDims[1]),
                     idx(b, loc, inDims[2]),
                     outOff,
                     idx(b, loc, outDims[0]),
                     idx(b, loc, outDims[1]),
                     idx(b, loc, outDims[2]),
                     weightOff ? weightOff : idx(b, loc, 0),
                     biasOff ? biasOff : idx(b, loc, 0),
                     idx(b, loc, padTop),
                     idx(b, loc, inputZp),
                     base,
                     channel0 ? channel0 : idx(b, loc, 0),
                     rowsOff ? rowsOff : idx(b, loc, 0),
                     lib.operandWords(b, loc, rq)};
    auto emit = [](const WindowConfig &k) {
      return [k](KernelEmitter &e, ValueRange args) {
        emitWindowKernel(e, k, WindowOperands::from(args));
      };
    };
    // Where the kernel's channel counts can be operands instead of
    // configuration (WindowConfig::withSizesAsOperands), one kernel serves
    // layers, channel slices and fused halves of different widths
    // (`share`; docs/design.md). Where it merges no kernels it only costs.
    // A pointwise kernel split by channels runs tiles of few pixels, many
    // forks of little work each, whose set-up folds with a static count
    // (the phases of an 8-channel tile that has no channel remainder) and
    // not with an operand: MobileNetV1 1.0@128's pointwise_12 (4x4 pixels,
    // 8-channel tiles) measured +12.5% on GVSoC merged (share=rows leaves
    // those out; share=size merges them too).
    bool share = lib.share == KernelLibrary::Share::all ||
                 lib.share == KernelLibrary::Share::size ||
                 (lib.share == KernelLibrary::Share::rows &&
                  (k.kind == WindowConfig::depthwise || !k.splitChannels));
    WindowConfig shared = share ? k.withSizesAsOperands(lib.xpulp) : k;
    if (lib.share == KernelLibrary::Share::all)
      k = shared;
    if (shared.mangle() == k.mangle())
      lib.call(b, loc, "win_" + k.mangle(), arena, o.list(), emit(k));
    else
      lib.call(b, loc, "win_" + k.mangle(), arena, o.list(), emit(k),
               "win_" + shared.mangle(), emit(shared));
  }

  /// conv2d, depthwise, pointwise and linear: activations, weights, bias,
  /// input zero point and requantization in the same places.
  /// `inShape`, if given, replaces the input's shape (a linear layer's
  /// features as one vector).
  template <typename WeightedOp>
  void weighted(PatternRewriter &rw, WeightedOp op, WindowConfig k,
                Layout layout, int64_t padTop, ArrayRef<int64_t> inShape = {},
                ArrayRef<int64_t> outShape = {}) const {
    Operand in = operand(op.getInput()), out = operand(op.getInit()),
            w = operand(op.getWeights()), bias = operand(op.getBias());
    if (!inShape.empty())
      in.shape = inShape;
    if (!outShape.empty())
      out.shape = outShape;
    // Windows whose taps span rows reach them at constant offsets.
    bool rows = k.kind == WindowConfig::depthwise || k.staticInC;
    k.in = actConfig(elementOf(op.getInput()), layout, in.shape, rows);
    k.out = actConfig(elementOf(op.getInit()), layout, out.shape,
                      k.kind == WindowConfig::depthwise);
    k.weightRank = w.shape.size();
    k.hasBias = bool(op.getBias());
    Value rowsOff = rowsOffset(op.getRequantRows());
    window(rw, op.getLoc(), k, in.arena, in.offset, dims(in.shape, layout),
           out.offset, dims(out.shape, layout), w.offset, bias.offset, padTop,
           op.getInputZp(), op.getRequant(), op.getChannelOffset(), rowsOff);
    rw.eraseOp(op);
  }
};

struct Conv2DPattern : KernelPattern<Conv2DOp> {
  using KernelPattern::KernelPattern;
  LogicalResult matchAndRewrite(Conv2DOp op,
                                PatternRewriter &rw) const override {
    auto ws = cast<MemRefType>(op.getWeights().getType()).getShape();
    WindowConfig k;
    k.kind = WindowConfig::dense;
    k.kh = ws[1], k.kw = ws[2];
    k.strideH = op.getStride()[0], k.strideW = op.getStride()[1];
    k.padLeft = op.getPad()[1];
    if (ws[3] <= 8)
      k.staticInC = ws[3];
    weighted(rw, op, k, op.getLayout(), op.getPad()[0]);
    return success();
  }
};

struct DepthwisePattern : KernelPattern<DepthwiseOp> {
  using KernelPattern::KernelPattern;
  LogicalResult matchAndRewrite(DepthwiseOp op,
                                PatternRewriter &rw) const override {
    auto ws = cast<MemRefType>(op.getWeights().getType()).getShape();
    WindowConfig k;
    k.kind = WindowConfig::depthwise;
    k.kh = ws[0], k.kw = ws[1];
    k.strideH = op.getStride()[0], k.strideW = op.getStride()[1];
    k.padLeft = op.getPad()[1];
    k.splitChannels = true;
    k.zpFolded = op.getZpFolded();
    weighted(rw, op, k, op.getLayout(), op.getPad()[0]);
    return success();
  }
};

struct PointwisePattern : KernelPattern<PointwiseOp> {
  using KernelPattern::KernelPattern;
  LogicalResult matchAndRewrite(PointwiseOp op,
                                PatternRewriter &rw) const override {
    auto d = dims(cast<MemRefType>(op.getInit().getType()).getShape(),
                  op.getLayout());
    WindowConfig k;
    k.kind = WindowConfig::dense;
    if (d[0] * d[1] == 1) {
      // One pixel (a classifier over a pooled map): the linear kernel, its
      // input and output as vectors (either layout's bytes), dealt to the
      // cores by output channels or by input features (the cost model
      // prices it as linear).
      int64_t features =
          cast<MemRefType>(op.getInput().getType()).getNumElements();
      k.splitChannels = true;
      k.splitInputs =
          lib.xpulp && linearSplitsInputs(d[2], features, lib.cores);
      weighted(rw, op, k, Layout::hwc, 0, {features}, {d[2]});
      return success();
    }
    k.pointwise = true;
    k.splitChannels = pointwiseSplitsChannels(d[0], d[1], d[2], lib.cores);
    k.splitPixels = k.splitChannels && pointwiseSplitsPixels(d[2], lib.cores);
    weighted(rw, op, k, op.getLayout(), 0);
    return success();
  }
};

struct LinearPattern : KernelPattern<LinearOp> {
  using KernelPattern::KernelPattern;
  LogicalResult matchAndRewrite(LinearOp op,
                                PatternRewriter &rw) const override {
    WindowConfig k;
    k.kind = WindowConfig::dense;
    k.splitChannels = true;
    k.accumulate = op.isAccumulateForm();
    // The features as one vector (an H x W x C input in HWC order).
    int64_t features =
        cast<MemRefType>(op.getInput().getType()).getNumElements();
    k.splitInputs =
        lib.xpulp &&
        linearSplitsInputs(
            cast<MemRefType>(op.getInit().getType()).getNumElements(), features,
            lib.cores);
    weighted(rw, op, k, Layout::hwc, 0, {features});
    return success();
  }
};

struct AvgPoolPattern : KernelPattern<AvgPoolOp> {
  using KernelPattern::KernelPattern;
  LogicalResult matchAndRewrite(AvgPoolOp op,
                                PatternRewriter &rw) const override {
    Operand in = operand(op.getInput()), out = operand(op.getInit());
    Layout layout = op.getLayout();
    auto outDims = dims(out.shape, layout);
    WindowConfig k;
    k.kind = WindowConfig::pool;
    k.in = actConfig(elementOf(op.getInput()), layout, in.shape);
    k.out = actConfig(elementOf(op.getInit()), layout, out.shape);
    k.kh = op.getKernel()[0], k.kw = op.getKernel()[1];
    k.strideH = op.getStride()[0], k.strideW = op.getStride()[1];
    k.splitChannels = outDims[0] < lib.cores;
    window(rw, op.getLoc(), k, in.arena, in.offset, dims(in.shape, layout),
           out.offset, outDims, Value(), Value(), 0, op.getInputZp(),
           op.getRequant(), op.getChannelOffset());
    rw.eraseOp(op);
    return success();
  }
};

struct FusedPattern : KernelPattern<FusedOp> {
  using KernelPattern::KernelPattern;
  // Two window kernels, the intermediate in the tile plan's L1 scratch
  // buffer in the variant's mid layout: the same kernels as unfused layers
  // of the same configuration.
  LogicalResult matchAndRewrite(FusedOp op,
                                PatternRewriter &rw) const override {
    Location loc = op.getLoc();
    VariantAttr v = op.getVariant();
    Operand in = operand(op.getInput()), out = operand(op.getInit());
    Operand dwW = operand(op.getDwWeights()), dwB = operand(op.getDwBias()),
            pwW = operand(op.getPwWeights()), pwB = operand(op.getPwBias());
    int64_t scratch = *op.getScratchOffset();
    SmallVector<int64_t, 3> midShape = op.getMidShape();
    Value midOff = idx(rw, loc, scratch);
    auto inDims = dims(in.shape, v.getInput());
    auto outDims = dims(out.shape, v.getOutput());
    auto midDims = dims(midShape, v.getMid());
    bool channels = v.getSplit() == SplitKind::channels;
    // Staged rows of the intermediate's and the output's requantization:
    // the tile's (a DW->PW tile's intermediate: every channel, from 0).
    Value midRows = rowsOffset(op.getMidRequantRows()),
          outRows = rowsOffset(op.getRequantRows());

    WindowConfig dw;
    dw.kind = WindowConfig::depthwise;
    dw.kh = dwW.shape[0], dw.kw = dwW.shape[1];
    dw.strideH = op.getStride()[0], dw.strideW = op.getStride()[1];
    dw.padLeft = op.getPad()[1];
    dw.weightRank = 3;
    dw.hasBias = bool(op.getDwBias());
    dw.splitChannels = channels || op.isDwFirst();
    WindowConfig pw;
    pw.kind = WindowConfig::dense;
    pw.weightRank = pwW.shape.size();
    pw.hasBias = bool(op.getPwBias());
    pw.splitChannels = channels;
    ActConfig inCfg =
        actConfig(elementOf(op.getInput()), v.getInput(), in.shape);
    ActConfig midCfg = actConfig(op.getMidType(), v.getMid(), midShape);
    ActConfig outCfg =
        actConfig(elementOf(op.getInit()), v.getOutput(), out.shape);
    if (op.isDwFirst()) {
      dw.in = actConfig(elementOf(op.getInput()), v.getInput(), in.shape,
                        /*withWidth=*/true);
      dw.out = actConfig(op.getMidType(), v.getMid(), midShape,
                         /*withWidth=*/true);
      pw.in = midCfg, pw.out = outCfg;
      pw.pointwise = outDims[0] * outDims[1] > 1;
      // The pointwise half deals its work as an unfused pointwise layer's
      // (by channel blocks when the tile has fewer rows than cores).
      pw.splitChannels =
          channels ||
          (pw.pointwise && pointwiseSplitsChannels(outDims[0], outDims[1],
                                                   outDims[2], lib.cores));
      pw.splitPixels = !channels && pw.splitChannels &&
                       pointwiseSplitsPixels(outDims[2], lib.cores);
      // The depthwise half computes every intermediate channel (unless an
      // earlier slice's tile of these rows did: reuse_mid); the channel
      // offset is the pointwise half's (the output's).
      if (!op.getReuseMid())
        window(rw, loc, dw, in.arena, in.offset, inDims, midOff, midDims,
               dwW.offset, dwB.offset, op.getPad()[0], op.getInputZp(),
               op.getDwRequant(), Value(), midRows);
      window(rw, loc, pw, in.arena, midOff, midDims, out.offset, outDims,
             pwW.offset, pwB.offset, 0,
             op.getPwZpFolded() ? 0 : op.getDwRequant().getZp(),
             op.getPwRequant(), op.getChannelOffset(), outRows);
    } else {
      pw.in = inCfg, pw.out = midCfg;
      dw.in = actConfig(op.getMidType(), v.getMid(), midShape,
                        /*withWidth=*/true);
      dw.out = actConfig(elementOf(op.getInit()), v.getOutput(), out.shape,
                         /*withWidth=*/true);
      pw.pointwise = midDims[0] * midDims[1] > 1;
      window(rw, loc, pw, in.arena, in.offset, inDims, midOff, midDims,
             pwW.offset, pwB.offset, 0, op.getInputZp(), op.getPwRequant(),
             op.getChannelOffset(), midRows);
      window(rw, loc, dw, in.arena, midOff, midDims, out.offset, outDims,
             dwW.offset, dwB.offset, op.getPad()[0], op.getPwRequant().getZp(),
             op.getDwRequant(), op.getChannelOffset(), outRows);
    }
    rw.eraseOp(op);
    return success();
  }
};

struct AddPattern : KernelPattern<AddOp> {
  using KernelPattern::KernelPattern;
  LogicalResult matchAndRewrite(AddOp op, PatternRewriter &rw) const override {
    Location loc = op.getLoc();
    Layout layout = op.getLayout();
    Operand l = operand(op.getLhs()), r = operand(op.getRhs()),
            out = operand(op.getInit());
    AddConfig k;
    k.lhs = actConfig(elementOf(op.getLhs()), layout, l.shape);
    k.rhs = actConfig(elementOf(op.getRhs()), layout, r.shape);
    k.out = actConfig(elementOf(op.getInit()), layout, out.shape);
    auto [lm, lb] = lib.table(rw, loc, op.getLhsRequant());
    auto [rm, rb] = lib.table(rw, loc, op.getRhsRequant());
    auto [om, ob] = lib.table(rw, loc, op.getRequant());
    k.lhsRq = lm, k.rhsRq = rm, k.outRq = om;
    auto d = dims(out.shape, layout);
    AddOperands o{l.offset,
                  r.offset,
                  out.offset,
                  idx(rw, loc, d[0]),
                  idx(rw, loc, d[1]),
                  idx(rw, loc, d[2]),
                  idx(rw, loc, op.getLhsZp()),
                  idx(rw, loc, op.getRhsZp()),
                  lb,
                  rb,
                  ob,
                  op.getChannelOffset() ? op.getChannelOffset()
                                        : idx(rw, loc, 0)};
    lib.call(rw, loc, k.mangle(), l.arena, o.list(),
             [k](KernelEmitter &e, ValueRange args) {
               emitAddKernel(e, k, AddOperands::from(args));
             });
    rw.eraseOp(op);
    return success();
  }
};

struct RelayoutPattern : KernelPattern<RelayoutOp> {
  using KernelPattern::KernelPattern;
  LogicalResult matchAndRewrite(RelayoutOp op,
                                PatternRewriter &rw) const override {
    Location loc = op.getLoc();
    Operand in = operand(op.getInput()), out = operand(op.getInit());
    RelayoutConfig k;
    k.in = actConfig(elementOf(op.getInput()), op.getFrom(), in.shape);
    k.out = actConfig(elementOf(op.getInit()), op.getTo(), out.shape);
    auto d = dims(out.shape, op.getTo());
    RelayoutOperands o{in.offset, out.offset, idx(rw, loc, d[0]),
                       idx(rw, loc, d[1]), idx(rw, loc, d[2])};
    lib.call(rw, loc, k.mangle(), in.arena, o.list(),
             [k](KernelEmitter &e, ValueRange args) {
               emitRelayoutKernel(e, k, RelayoutOperands::from(args));
             });
    rw.eraseOp(op);
    return success();
  }
};

/// The ops this pass turns into kernel calls: one list for the
/// precondition walk and the conversion target.
template <typename... Ops> struct OpList {
  static bool contains(Operation *op) { return isa<Ops...>(op); }
  static void makeIllegal(ConversionTarget &t) { t.addIllegalOp<Ops...>(); }
};
using KernelOps = OpList<Conv2DOp, DepthwiseOp, PointwiseOp, FusedOp, AddOp,
                         AvgPoolOp, LinearOp, RelayoutOp>;

struct LowerKernelsPass
    : public mlir::dwsep::impl::DwsepLowerKernelsBase<LowerKernelsPass> {
  using DwsepLowerKernelsBase::DwsepLowerKernelsBase;
  void runOnOperation() override;
};

} // namespace

void LowerKernelsPass::runOnOperation() {
  ModuleOp module = getOperation();
  MLIRContext *ctx = &getContext();
  TargetAttr target = TargetAttr::lookup(module);
  std::optional<KernelLibrary::Share> shareMode =
      llvm::StringSwitch<std::optional<KernelLibrary::Share>>(share)
          .Case("rows", KernelLibrary::Share::rows)
          .Case("size", KernelLibrary::Share::size)
          .Case("all", KernelLibrary::Share::all)
          .Case("none", KernelLibrary::Share::none)
          .Default(std::nullopt);
  if (!shareMode) {
    module.emitError() << "dwsep-lower-kernels: share '" << share
                       << "' is not none, rows, size or all";
    return signalPassFailure();
  }

  // Half of a worker core's stack may hold a kernel's scratch: the other
  // half is the kernel's and its callers' frames (DwsepToLLVM checks the
  // sum against the target).
  KernelLibrary lib(module, target.getCores(), target.getXpulpv2() == 1,
                    target.getStackWorker() / 2);
  lib.share = *shareMode;
  // Preconditions, and the requantization tables of every op.
  bool ok = true;
  module.walk([&](Operation *op) {
    if (!KernelOps::contains(op))
      return;
    if (failed(checkOperands(op))) {
      ok = false;
      return;
    }
    // A requantization with a rows operand keeps only its header in the
    // table (a fused op's two may be staged or not apart).
    SmallVector<RequantAttr, 2> staged;
    if (auto withRows = dyn_cast<RequantRowsOpInterface>(op))
      for (unsigned i = 0, e = withRows.getNumStagedRequants(); i < e; ++i)
        if (withRows.getStagedRows(i))
          staged.push_back(withRows.getStagedRequant(i));
    for (NamedAttribute a : op->getAttrs())
      if (auto rq = dyn_cast<RequantAttr>(a.getValue()))
        lib.addTable(rq, llvm::is_contained(staged, rq));
  });
  if (!ok)
    return signalPassFailure();
  // Every kernel operand is a view of an L1 arena (checkOperands).
  int64_t arenaBytes = 0;
  Attribute l1Space;
  module.walk([&](memref::ViewOp view) {
    auto type = cast<MemRefType>(view.getSource().getType());
    if (getMemoryLevel(type) != MemoryLevel::l1)
      return;
    arenaBytes =
        std::max(arenaBytes, type.hasStaticShape() ? type.getNumElements()
                                                   : target.getL1Size());
    l1Space = type.getMemorySpace();
  });
  lib.kernelArena = MemRefType::get(
      {std::max<int64_t>(arenaBytes, 1)}, IntegerType::get(ctx, 8),
      MemRefLayoutAttrInterface(),
      l1Space ? l1Space : MemoryLevelAttr::get(ctx, MemoryLevel::l1));
  OpBuilder b(ctx);
  lib.createTables(b);

  ConversionTarget legality(*ctx);
  KernelOps::makeIllegal(legality);
  legality.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
  RewritePatternSet patterns(ctx);
  patterns.add<Conv2DPattern, DepthwisePattern, PointwisePattern, LinearPattern,
               AvgPoolPattern, FusedPattern, AddPattern, RelayoutPattern>(ctx,
                                                                          lib);
  if (failed(applyPartialConversion(module, legality, std::move(patterns))))
    return signalPassFailure();
  lib.shareKernels();
}
