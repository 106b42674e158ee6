//===- DwsepToLLVM.cpp - dwsep to the LLVM dialect --------------*- C++ -*-===//
//
// Implements --dwsep-to-llvm (see include/dwsep/Conversion/Passes.td).
//
//===----------------------------------------------------------------------===//

#include "dwsep/Conversion/Passes.h"
#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Support/Captures.h"
#include "dwsep/Support/DenseInts.h"
#include "dwsep/Target/TilePlan.h"

#include "EmitObject.h"

#include "mlir/Analysis/CFGLoopInfo.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVM.h"
#include "mlir/Conversion/LLVMCommon/ConversionTarget.h"
#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/IR/AttrTypeSubElements.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Dominance.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Transforms/DialectConversion.h"
#include "mlir/Transforms/Passes.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/iterator_range.h"
#include "llvm/Support/ToolOutputFile.h"

#include <functional>

namespace mlir::dwsep {
#define GEN_PASS_DEF_DWSEPTOLLVM
#include "dwsep/Conversion/Passes.h.inc"
} // namespace mlir::dwsep

using namespace mlir;
using namespace mlir::dwsep;

namespace {

constexpr StringLiteral kDmaStart = "dwsep_rt_dma_start";
constexpr StringLiteral kDmaRows = "dwsep_rt_dma_rows";
constexpr StringLiteral kDmaWait = "dwsep_rt_dma_wait";
constexpr StringLiteral kDmaWait4 = "dwsep_rt_dma_wait4";
/// DWSEP_RT_DMA_NONE (dwsep_rt.h).
constexpr int64_t kDmaNoneToken = -1;
constexpr StringLiteral kFork = "dwsep_rt_fork";
constexpr StringLiteral kLayer = "dwsep_rt_layer";
/// Alignment of the L3 image: the i32 biases in it are read by word DMA.
constexpr int64_t kImageAlignment = 4;

/// A box between two neighbouring levels as rows of bytes, contiguous at
/// the nearer level (L1 of L2<->L1, L2 of L3<->L2) and evenly strided at
/// the farther one (what tiles, bands and staged weight groups are), when
/// its static shape and strides have that form.
struct Rows {
  int64_t len, rows, farStride;
};
/// Whether the transfer moves towards the cores (its target is the nearer
/// level).
static bool isInward(DmaStartOp op) {
  return op.getTargetLevel() < op.getSourceLevel();
}
static std::optional<Rows> asRows(DmaStartOp op) {
  bool inward = isInward(op);
  auto l1Type = cast<MemRefType>(inward ? op.getTarget().getType()
                                        : op.getSource().getType());
  auto l2Type = cast<MemRefType>(inward ? op.getSource().getType()
                                        : op.getTarget().getType());
  SmallVector<int64_t> a, b;
  int64_t offset;
  if (failed(l1Type.getStridesAndOffset(a, offset)) ||
      failed(l2Type.getStridesAndOffset(b, offset)))
    return std::nullopt;
  SmallVector<int64_t> n(l1Type.getShape());
  // Padded to rank 3 with leading unit dimensions.
  while (n.size() < 3) {
    n.insert(n.begin(), 1);
    a.insert(a.begin(), 0);
    b.insert(b.begin(), 0);
  }
  for (int64_t v : llvm::concat<int64_t>(a, b))
    if (ShapedType::isDynamic(v))
      return std::nullopt;
  // Whole rows on both sides (dimension 1 contiguous over dimension 2 at
  // both levels: a CHW tile of full-width rows, one run a channel) are one
  // run: [n0][n1 * n2], which the single-row case below turns into n0 rows.
  // (Such boxes took the general dwsep_rt_dma_start, ~180 instructions a
  // call, with the other cores waiting.)
  if (n[1] > 1 && a[2] == 1 && b[2] == 1 && a[1] == n[2] && b[1] == n[2]) {
    n[2] *= n[1];
    n[1] = 1;
  }
  // A single row of dimension 1 hands its place to dimension 0.
  if (n[1] == 1) {
    std::swap(n[0], n[1]);
    std::swap(a[0], a[1]);
    std::swap(b[0], b[1]);
  }
  if (a[2] != 1 || b[2] != 1 || (n[1] > 1 && a[1] != n[2]) ||
      (n[0] > 1 && (a[0] != n[1] * n[2] || b[0] != n[1] * b[1])))
    return std::nullopt;
  int64_t elem = l1Type.getElementTypeBitWidth() / 8;
  int64_t rows = n[0] * n[1];
  return Rows{n[2] * elem, rows, rows == 1 ? n[2] * elem : b[1] * elem};
}

/// dma_start -> call @dwsep_rt_dma_rows(near, far, len, rows, far stride,
/// dir, weights) for the boxes tiles, bands and weight groups are made of,
/// else call
/// @dwsep_rt_dma_start(dst, src, elem, n0..2, dst strides, src strides,
/// dir, weights), on byte addresses (element strides).
struct DmaStartLowering : public OpConversionPattern<DmaStartOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DmaStartOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto idx = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(rewriter, loc, v);
    };
    auto type = cast<MemRefType>(op.getSource().getType());
    int64_t elem = type.getElementTypeBitWidth() / 8;
    // Address and strides of one side, padded to rank 3 with leading
    // unit dimensions.
    auto describe = [&](Value mem, SmallVectorImpl<Value> &strides) -> Value {
      auto meta = memref::ExtractStridedMetadataOp::create(rewriter, loc, mem);
      Value base =
          memref::ExtractAlignedPointerAsIndexOp::create(rewriter, loc, mem);
      Value offset = meta.getOffset();
      Value addr = arith::AddIOp::create(
          rewriter, loc, base,
          arith::MulIOp::create(rewriter, loc, offset, idx(elem)));
      int64_t rank = type.getRank();
      for (int64_t i = 0; i < 3 - rank; ++i)
        strides.push_back(idx(0));
      for (Value s : meta.getStrides())
        strides.push_back(s);
      return addr;
    };
    SmallVector<Value> dstStrides, srcStrides;
    Value dst = describe(adaptor.getTarget(), dstStrides);
    Value src = describe(adaptor.getSource(), srcStrides);
    if (std::optional<Rows> r = asRows(op)) {
      bool inward = isInward(op);
      auto call = func::CallOp::create(
          rewriter, loc, kDmaRows, TypeRange{rewriter.getI32Type()},
          ValueRange{inward ? dst : src, inward ? src : dst, idx(r->len),
                     idx(r->rows), idx(r->farStride), idx(op.getDirection()),
                     idx(op.getWeights() ? 1 : 0)});
      rewriter.replaceOp(op, call.getResults());
      return success();
    }
    SmallVector<Value> args = {dst, src, idx(elem)};
    for (int64_t i = 0; i < 3 - type.getRank(); ++i)
      args.push_back(idx(1));
    for (int64_t s : type.getShape())
      args.push_back(idx(s));
    args.append(dstStrides);
    args.append(srcStrides);
    args.push_back(idx(op.getDirection()));
    args.push_back(idx(op.getWeights() ? 1 : 0));
    auto call = func::CallOp::create(rewriter, loc, kDmaStart,
                                     TypeRange{rewriter.getI32Type()}, args);
    rewriter.replaceOp(op, call.getResults());
    return success();
  }
};

struct DmaWaitLowering : public OpConversionPattern<DmaWaitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DmaWaitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // Up to four ids a call (the rest DWSEP_RT_DMA_NONE): a tile loop
    // waits for its weights, bias, requantization rows and input at once.
    ValueRange tokens = adaptor.getTokens();
    for (size_t i = 0; i < tokens.size(); i += 4) {
      ValueRange chunk =
          tokens.slice(i, std::min<size_t>(4, tokens.size() - i));
      if (chunk.size() == 1) {
        func::CallOp::create(rewriter, op.getLoc(), kDmaWait, TypeRange{},
                             chunk);
        continue;
      }
      SmallVector<Value, 4> ids(chunk);
      while (ids.size() < 4)
        ids.push_back(arith::ConstantIntOp::create(
            rewriter, op.getLoc(), rewriter.getI32Type(), kDmaNoneToken));
      func::CallOp::create(rewriter, op.getLoc(), kDmaWait4, TypeRange{}, ids);
    }
    rewriter.eraseOp(op);
    return success();
  }
};

/// The token of no transfer: the runtime's DWSEP_RT_DMA_NONE, for which
/// dwsep_rt_dma_wait returns at once.
struct DmaNoneLowering : public OpConversionPattern<DmaNoneOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DmaNoneOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<arith::ConstantIntOp>(op, rewriter.getI32Type(),
                                                      kDmaNoneToken);
    return success();
  }
};

/// Bytes of one element of `type` when it is an integer or float of whole
/// bytes (what the L3 image and the DMA lowering can lay out), else nullopt.
std::optional<int64_t> elementBytes(Type type) {
  if (!type.isIntOrFloat())
    return std::nullopt;
  unsigned bits = type.getIntOrFloatBitWidth();
  if (bits == 0 || bits % 8 != 0 || bits > 64)
    return std::nullopt;
  return bits / 8;
}

/// Bytes of a statically shaped `type` of whole-byte elements, if they are
/// at most `limit`; nullopt otherwise (without overflowing on the way).
std::optional<int64_t> boundedBytes(ShapedType type, int64_t limit) {
  std::optional<int64_t> elem = elementBytes(type.getElementType());
  if (!elem || !type.hasStaticShape())
    return std::nullopt;
  int64_t bytes = *elem;
  for (int64_t d : type.getShape()) {
    if (d < 0 || (d > 0 && bytes > limit / d))
      return std::nullopt;
    bytes *= d;
  }
  return bytes <= limit ? std::optional<int64_t>(bytes) : std::nullopt;
}

/// Reads the size or offset attribute `name` of `op`, a hand-writable
/// integer that the passes before wrote: it must be an integer in
/// [0, limit] (`what` names the limit). Nullopt when absent.
FailureOr<std::optional<int64_t>> readBounded(Operation *op, StringRef name,
                                              int64_t limit, StringRef what) {
  Attribute attr = op->getAttr(name);
  if (!attr)
    return std::optional<int64_t>();
  auto i = dyn_cast<IntegerAttr>(attr);
  if (!i || !isa<IntegerType, IndexType>(i.getType()) ||
      i.getValue().getSignificantBits() > 64)
    return op->emitOpError()
           << name << " = " << attr << " is not a 64-bit integer";
  int64_t v = i.getValue().getSExtValue();
  if (v < 0 || v > limit)
    return op->emitOpError() << name << " = " << v << " is outside [0, "
                             << limit << "] (" << what << ")";
  return std::optional<int64_t>(v);
}

/// Fails with an error on the first op that still names the dwsep dialect
/// in an attribute or type (the lowering's output must not need it).
LogicalResult checkNoDwsepLeft(ModuleOp module) {
  auto isDwsep = [](Dialect &d) { return isa<DwsepDialect>(d); };
  // Attributes and types are uniqued: each is looked into once (the same
  // few types and attribute dictionaries recur on most operations).
  llvm::DenseSet<Attribute> attrsSeen;
  llvm::DenseSet<Type> typesSeen;
  WalkResult result = module.walk([&](Operation *op) {
    std::string found;
    auto visitAttr = [&](Attribute a) {
      if (found.empty() && isDwsep(a.getDialect()))
        llvm::raw_string_ostream(found) << a;
    };
    auto visitType = [&](Type t) {
      if (found.empty() && isDwsep(t.getDialect()))
        llvm::raw_string_ostream(found) << t;
    };
    auto walkType = [&](Type t) {
      if (!typesSeen.insert(t).second)
        return;
      t.walk([&](Attribute a) { visitAttr(a); });
      t.walk([&](Type s) { visitType(s); });
    };
    if (attrsSeen.insert(op->getAttrDictionary()).second) {
      op->getAttrDictionary().walk([&](Attribute a) { visitAttr(a); });
      op->getAttrDictionary().walk([&](Type t) { visitType(t); });
    }
    for (Type t : op->getResultTypes())
      walkType(t);
    for (Region &r : op->getRegions())
      for (Block &b : r)
        for (BlockArgument arg : b.getArguments())
          walkType(arg.getType());
    if (found.empty() && isa_and_nonnull<DwsepDialect>(op->getDialect()))
      found = op->getName().getStringRef().str();
    if (found.empty())
      return WalkResult::advance();
    op->emitOpError() << "still carries " << found
                      << " after dwsep-to-llvm; the output would need the "
                         "dwsep dialect";
    return WalkResult::interrupt();
  });
  return failure(result.wasInterrupted());
}

/// Whether `name` is a C identifier that is not a keyword or `main`.
bool isCName(StringRef name) {
  static const char *const kReserved[] = {
      "auto",     "break",    "case",     "char",   "const",     "continue",
      "default",  "do",       "double",   "else",   "enum",      "extern",
      "float",    "for",      "goto",     "if",     "inline",    "int",
      "long",     "register", "restrict", "return", "short",     "signed",
      "sizeof",   "static",   "struct",   "switch", "typedef",   "union",
      "unsigned", "void",     "volatile", "while",  "_Bool",     "_Complex",
      "main",     "bool",     "true",     "false",  "_Imaginary"};
  bool identifier =
      !name.empty() && (llvm::isAlpha(name[0]) || name[0] == '_') &&
      llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_'; });
  return identifier && !llvm::is_contained(kReserved, name);
}

/// An entry point becomes a C function the header declares (with `_run`,
/// `_args` and `_layers` companions) next to the runtime's and a harness's
/// own symbols: its name must be a C identifier that is not a keyword,
/// `main`, or in the runtime's `dwsep_` namespace.
LogicalResult checkEntryName(Operation *op, StringRef name) {
  if (isCName(name) && !name.starts_with("dwsep_"))
    return success();
  return op->emitOpError()
         << "is an entry point named '" << name
         << "', which is not usable as a C function name (a C identifier, "
            "not a keyword, main or dwsep_*)";
}

/// A work split over the cluster cores, outlined by `outlineForks`: `body`
/// is `(core, captures...)`, and each call of the declaration `spawn`
/// (captures...) stands for running `body` on cores [0, cores).
struct Fork {
  std::string body, spawn;
  int64_t cores;
};

/// Outlines every `scf.parallel` over the cores (1-D, [0, n), step 1; what
/// --dwsep-lower-kernels emits) into a function of the core id and the
/// values the body uses from outside (constants and globals are cloned in),
/// and replaces the loop by a call of a spawn declaration.
LogicalResult outlineForks(ModuleOp module, SmallVectorImpl<Fork> &forks) {
  SmallVector<scf::ParallelOp> loops;
  module.walk([&](scf::ParallelOp loop) { loops.push_back(loop); });
  for (scf::ParallelOp loop : loops) {
    auto cst = [](Value v) -> std::optional<int64_t> {
      APInt c;
      if (!matchPattern(v, m_ConstantInt(&c)))
        return std::nullopt;
      return c.getSExtValue();
    };
    std::optional<int64_t> lb, ub, step;
    if (loop.getNumLoops() == 1) {
      lb = cst(loop.getLowerBound()[0]);
      ub = cst(loop.getUpperBound()[0]);
      step = cst(loop.getStep()[0]);
    }
    if (!lb || !ub || !step || *lb != 0 || *step != 1 || *ub < 1 ||
        loop.getNumResults() != 0)
      return loop.emitOpError("is not a work split over the cores (1-D, "
                              "from 0 with step 1, constant core count, no "
                              "results); it cannot be forked");
    Region &region = loop.getRegion();
    SetVector<Value> captures = rematerializeCaptures(region);
    OpBuilder b(loop.getContext());
    auto func = loop->getParentOfType<func::FuncOp>();
    if (!func)
      return loop.emitOpError("is not inside a func.func; it cannot be "
                              "outlined into a fork");
    std::string name =
        (func.getSymName() + "_fork" + Twine(forks.size())).str();
    SmallVector<Type> types = {b.getIndexType()};
    for (Value v : captures)
      types.push_back(v.getType());
    b.setInsertionPoint(func);
    auto body = func::FuncOp::create(b, loop.getLoc(), name,
                                     b.getFunctionType(types, {}));
    body.setPrivate();
    Block *entry = body.addEntryBlock();
    Block *old = loop.getBody();
    old->getArgument(0).replaceAllUsesWith(entry->getArgument(0));
    for (auto [i, v] : llvm::enumerate(captures))
      replaceAllUsesInRegionWith(v, entry->getArgument(i + 1), region);
    entry->getOperations().splice(entry->end(), old->getOperations(),
                                  old->begin(), std::prev(old->end()));
    b.setInsertionPointToEnd(entry);
    func::ReturnOp::create(b, loop.getLoc());

    b.setInsertionPoint(func);
    auto spawn = func::FuncOp::create(
        b, loop.getLoc(), name + "_spawn",
        b.getFunctionType(ArrayRef<Type>(types).drop_front(), {}));
    spawn.setPrivate();
    b.setInsertionPoint(loop);
    func::CallOp::create(b, loop.getLoc(), spawn, captures.getArrayRef());
    loop.erase();
    forks.push_back({name, name + "_spawn", *ub});
  }
  return success();
}

/// After the lowering to the LLVM dialect: every call of a spawn
/// declaration becomes `dwsep_rt_fork(body, args, cores)`, where `args`
/// points to a stack struct of the (now scalar) captures and the outlined
/// body, rewritten to `body(core, args)`, loads each where it is first
/// needed. (It was an entry that loaded them and called the body with
/// 40-odd arguments, most on the stack: 250-350 bytes per kernel, and about
/// 100 instructions per core and fork, which no LLVM IR pipeline inlines
/// here.)
/// The bytes of a struct of scalar `fields` (integers, pointers of
/// `ptrBytes`) with natural alignment, as the target lays it out. (MLIR's
/// default DataLayout knows neither the target's pointer size nor its
/// alignments: it undersized the block on x86_64.)
static uint64_t structBytes(ArrayRef<Type> fields, uint64_t ptrBytes) {
  uint64_t bytes = 0, maxAlign = 1;
  for (Type t : fields) {
    uint64_t size =
        isa<LLVM::LLVMPointerType>(t)
            ? ptrBytes
            : std::max<uint64_t>(
                  llvm::PowerOf2Ceil((t.getIntOrFloatBitWidth() + 7) / 8), 1);
    bytes = llvm::alignTo(bytes, size) + size;
    maxAlign = std::max(maxAlign, size);
  }
  return llvm::alignTo(bytes, maxAlign);
}

void emitForks(ModuleOp module, ArrayRef<Fork> forks, uint64_t ptrBytes) {
  MLIRContext *ctx = module.getContext();
  OpBuilder b(ctx);
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  auto i32 = IntegerType::get(ctx, 32);
  auto voidType = LLVM::LLVMVoidType::get(ctx);
  if (!forks.empty() && !module.lookupSymbol(kFork)) {
    b.setInsertionPointToEnd(module.getBody());
    LLVM::LLVMFuncOp::create(
        b, module.getLoc(), kFork,
        LLVM::LLVMFunctionType::get(voidType, {ptr, ptr, i32}));
  }
  // One walk and one symbol table for all forks: a network has hundreds.
  SymbolTable symbols(module);
  llvm::StringMap<SmallVector<LLVM::CallOp>> callsOf;
  module.walk([&](LLVM::CallOp call) {
    if (std::optional<StringRef> callee = call.getCallee())
      callsOf[*callee].push_back(call);
  });
  // The argument blocks live in the caller's frame. dwsep_rt_fork returns
  // when every core is done, so all the forks of one caller share a single
  // block of the largest size: one alloca per fork call site made the entry
  // frame of MobileNetV1 0.25@128 12.8 KB, past the 3,500 B core 0 stack.
  llvm::DenseMap<Operation *, uint64_t> argBytes;
  for (const Fork &fork : forks) {
    auto body = symbols.lookup<LLVM::LLVMFuncOp>(fork.body);
    uint64_t bytes = std::max<uint64_t>(
        structBytes(body.getFunctionType().getParams().drop_front(), ptrBytes),
        1);
    for (LLVM::CallOp call : callsOf.lookup(fork.spawn)) {
      uint64_t &max = argBytes[call->getParentOfType<LLVM::LLVMFuncOp>()];
      max = std::max(max, bytes);
    }
  }
  llvm::DenseMap<Operation *, Value> argBlocks;
  for (auto [caller, bytes] : argBytes) {
    auto func = cast<LLVM::LLVMFuncOp>(caller);
    Location loc = func.getLoc();
    b.setInsertionPointToStart(&func.getBody().front());
    // i64 words: the block is 8-byte aligned whatever the captures are.
    Value words = LLVM::ConstantOp::create(b, loc, i32, (bytes + 7) / 8);
    argBlocks[caller] = LLVM::AllocaOp::create(
        b, loc, ptr, IntegerType::get(ctx, 64), words, 8);
  }
  for (const Fork &fork : forks) {
    auto body = symbols.lookup<LLVM::LLVMFuncOp>(fork.body);
    auto spawn = symbols.lookup<LLVM::LLVMFuncOp>(fork.spawn);
    body.setLinkage(LLVM::Linkage::Internal);
    SmallVector<Type> params(body.getFunctionType().getParams());
    auto args = LLVM::LLVMStructType::getLiteral(
        ctx, ArrayRef<Type>(params).drop_front());
    // body(i32 core, ptr args): the captures become loads from `args`, each
    // at the start of the nearest block that dominates its uses, outside
    // loops, so that few are live at once (40-70 loaded at the start
    // overflow the registers and are spilled and reloaded); an unused one
    // is not loaded.
    Block *block = &body.getBody().front();
    Location loc = body.getLoc();
    unsigned captures = params.size() - 1;
    Value argsPtr = block->addArgument(ptr, loc);
    // (A body of one block, straight code, has no dominator tree: MLIR
    // builds none for a single-block region.)
    bool straight = body.getBody().hasOneBlock();
    DominanceInfo dominance(body);
    std::optional<CFGLoopInfo> loops;
    if (!straight)
      loops.emplace(dominance.getDomTree(&body.getBody()));
    for (unsigned i = 0; i < captures; ++i) {
      BlockArgument capture = block->getArgument(1 + i);
      if (capture.use_empty())
        continue;
      Block *at = block;
      if (!straight) {
        at = nullptr;
        for (Operation *user : capture.getUsers())
          at = at ? dominance.findNearestCommonDominator(at, user->getBlock())
                  : user->getBlock();
        auto &tree = dominance.getDomTree(&body.getBody());
        while (CFGLoop *loop = loops->getLoopFor(at))
          at = tree.getNode(loop->getHeader())->getIDom()->getBlock();
      }
      b.setInsertionPointToStart(at);
      Value field = LLVM::GEPOp::create(
          b, loc, ptr, args, argsPtr,
          ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(i)});
      capture.replaceAllUsesWith(
          LLVM::LoadOp::create(b, loc, params[1 + i], field));
    }
    block->eraseArguments(1, captures);
    b.setInsertionPointToStart(block);
    BlockArgument core = block->getArgument(0);
    if (params[0] != i32) {
      // The runtime passes the core id as an i32.
      core.setType(i32);
      Value wide = LLVM::SExtOp::create(b, loc, params[0], core);
      core.replaceAllUsesExcept(wide, wide.getDefiningOp());
    }
    body.setFunctionType(LLVM::LLVMFunctionType::get(voidType, {i32, ptr}));

    for (LLVM::CallOp call : callsOf.lookup(fork.spawn)) {
      Location cl = call.getLoc();
      auto caller = call->getParentOfType<LLVM::LLVMFuncOp>();
      Value mem = argBlocks.lookup(caller);
      b.setInsertionPoint(call);
      for (auto [i, v] : llvm::enumerate(call.getArgOperands())) {
        Value field = LLVM::GEPOp::create(
            b, cl, ptr, args, mem,
            ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(i)});
        LLVM::StoreOp::create(b, cl, v, field);
      }
      Value fn = LLVM::AddressOfOp::create(b, cl, ptr, body.getSymName());
      Value cores = LLVM::ConstantOp::create(b, cl, i32, fork.cores);
      LLVM::CallOp::create(b, cl, TypeRange{}, kFork,
                           ValueRange{fn, mem, cores});
      call.erase();
    }
    spawn.erase();
  }
}

struct DwsepToLLVMPass
    : public mlir::dwsep::impl::DwsepToLLVMBase<DwsepToLLVMPass> {
  using DwsepToLLVMBase::DwsepToLLVMBase;
  void runOnOperation() override;
  /// Checks every dwsep attribute the lowering reads (they are
  /// hand-writable) against the target before anything is sized by them.
  LogicalResult checkPreconditions(ModuleOp module, TargetAttr target);
  LogicalResult packImage(ModuleOp module);
  /// The C header of the entry points, up to its stack section (added once
  /// the code is generated) and closing #endif.
  FailureOr<std::string> headerText(ModuleOp module);
  LogicalResult writeFile(ModuleOp module, StringRef path, StringRef text);
  /// Compiles the lowered module (object=), reads every function's frame,
  /// checks each entry's stacks against the target's and states them in
  /// the header.
  LogicalResult emitAndCheckStacks(ModuleOp module, TargetAttr target,
                                   ArrayRef<std::string> entries,
                                   std::string &headerOut);
  void getDependentDialects(DialectRegistry &registry) const override {
    DwsepToLLVMBase::getDependentDialects(registry);
    registerBuiltinDialectTranslation(registry);
    registerLLVMDialectTranslation(registry);
  }
};

} // namespace

LogicalResult DwsepToLLVMPass::checkPreconditions(ModuleOp module,
                                                  TargetAttr target) {
  // Layers are announced before the top-level op of their func.func that
  // holds them and closed at its func.return (runOnOperation).
  WalkResult inFunc = module.walk([](LayerOp layer) {
    if (layer->getParentOfType<func::FuncOp>())
      return WalkResult::advance();
    // The verifier guarantees some function encloses it.
    Operation *fn = layer->getParentOfType<FunctionOpInterface>();
    layer.emitOpError() << "is in a '" << fn->getName().getStringRef()
                        << "'; --dwsep-to-llvm lowers layers of func.func only";
    return WalkResult::interrupt();
  });
  if (inFunc.wasInterrupted())
    return failure();
  int64_t l3Limit = target.getL3Size();
  FailureOr<std::optional<int64_t>> imageSize =
      readBounded(module, "dwsep.l3_size", l3Limit, "the target's L3 size");
  if (failed(imageSize))
    return failure();
  // The image packs the L3 globals: each must have whole-byte elements, a
  // dense value and lie inside it; the image ends with the last one.
  int64_t end = 0;
  for (auto global : module.getOps<memref::GlobalOp>()) {
    if (!global->hasAttr("dwsep.l3_offset"))
      continue;
    if (!*imageSize)
      return global.emitOpError("has dwsep.l3_offset but the module has no "
                                "dwsep.l3_size; run --dwsep-plan-memory");
    FailureOr<std::optional<int64_t>> offset = readBounded(
        global, "dwsep.l3_offset", **imageSize, "the module's dwsep.l3_size");
    if (failed(offset))
      return failure();
    MemRefType type = global.getType();
    if (!elementBytes(type.getElementType()))
      return global.emitOpError()
             << "is in the L3 image but its element type "
             << type.getElementType()
             << " is not an integer or float of whole bytes";
    if (!isa_and_nonnull<DenseElementsAttr>(global.getInitialValueAttr()))
      return global.emitOpError("is in the L3 image but has no dense value");
    std::optional<int64_t> bytes = boundedBytes(type, **imageSize - **offset);
    if (!bytes)
      return global.emitOpError()
             << "lies outside the L3 image: " << type << " at offset "
             << **offset << " does not fit in dwsep.l3_size = " << **imageSize
             << " B";
    end = std::max(end, **offset + *bytes);
  }
  // Padding after the last global is at most one alignment step: a larger
  // size would allocate (and emit) bytes nothing uses.
  int64_t alignment = std::max(kImageAlignment, kBufferAlignment);
  if (*imageSize && **imageSize > std::max(alignTo(end, alignment), alignment))
    return module.emitOpError()
           << "dwsep.l3_size = " << **imageSize
           << " B but the L3 globals it packs end at " << end << " B";

  // The arenas of the entry points.
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func->hasAttr(ArgumentAttr::kAttrName) &&
        failed(checkEntryName(func, func.getSymName())))
      return failure();
    FailureOr<std::optional<int64_t>> sizes[3] = {
        readBounded(func, "dwsep.l1_size", target.getL1Size(),
                    "the target's L1 size"),
        readBounded(func, "dwsep.l2_size", target.getL2Size(),
                    "the target's L2 size"),
        readBounded(func, "dwsep.l3_size", l3Limit, "the target's L3 size")};
    for (auto &size : sizes)
      if (failed(size))
        return failure();
    auto args = func->getAttrOfType<ArrayAttr>(ArgumentAttr::kAttrName);
    if (!args)
      continue;
    // (Each entry is a #dwsep.argument: the dialect verified it.)
    for (auto a : args.getAsRange<ArgumentAttr>()) {
      unsigned l = static_cast<unsigned>(a.getLevel());
      int64_t arena =
          succeeded(sizes[l - 1]) && *sizes[l - 1] ? **sizes[l - 1] : 0;
      std::optional<int64_t> bytes = boundedBytes(a.getType(), arena);
      if (!bytes || a.getOffset() > arena - *bytes)
        return func.emitOpError()
               << "dwsep.arguments entry " << a << " does not lie in its L" << l
               << " arena of " << arena << " B";
    }
  }
  // What the DMA lowering lays out in bytes.
  WalkResult dma = module.walk([](DmaStartOp op) {
    Type elem = cast<MemRefType>(op.getSource().getType()).getElementType();
    if (elementBytes(elem))
      return WalkResult::advance();
    op.emitOpError() << "moves elements of type " << elem
                     << ", not an integer or float of whole bytes";
    return WalkResult::interrupt();
  });
  return failure(dma.wasInterrupted());
}

LogicalResult DwsepToLLVMPass::packImage(ModuleOp module) {
  auto sizeAttr = module->getAttrOfType<IntegerAttr>("dwsep.l3_size");
  if (!sizeAttr)
    return success();
  // Bounded by checkPreconditions.
  SmallVector<char> image(std::max<int64_t>(sizeAttr.getInt(), 1), 0);
  for (auto global :
       llvm::make_early_inc_range(module.getOps<memref::GlobalOp>())) {
    auto offset = global->getAttrOfType<IntegerAttr>("dwsep.l3_offset");
    if (!offset)
      continue;
    auto data =
        dyn_cast_or_null<DenseElementsAttr>(global.getInitialValueAttr());
    if (!data)
      return global.emitOpError("is in the L3 image but has no dense value");
    SmallVector<char> bytes;
    appendLittleEndian(data, bytes);
    if (offset.getInt() + (int64_t)bytes.size() > (int64_t)image.size())
      return global.emitOpError("lies outside the L3 image");
    llvm::copy(bytes, image.begin() + offset.getInt());
    global.erase();
  }
  if (!this->image.empty()) {
    std::string error;
    auto out = openOutputFile(this->image, &error);
    if (!out)
      return module.emitError() << "dwsep-to-llvm: " << error;
    out->os().write(image.data(), image.size());
    out->keep();
  }
  OpBuilder b(module.getBodyRegion());
  auto type = MemRefType::get({(int64_t)image.size()}, b.getI8Type());
  auto data = DenseElementsAttr::getFromRawBuffer(
      RankedTensorType::get(type.getShape(), b.getI8Type()), image);
  memref::GlobalOp::create(b, module.getLoc(), imageSymbol,
                           /*sym_visibility=*/StringAttr(), type, data,
                           /*constant=*/true,
                           b.getI64IntegerAttr(kImageAlignment));
  return success();
}

LogicalResult DwsepToLLVMPass::writeFile(ModuleOp module, StringRef path,
                                         StringRef text) {
  std::string error;
  auto out = openOutputFile(path, &error);
  if (!out)
    return module.emitError() << "dwsep-to-llvm: " << error;
  out->os() << text;
  out->keep();
  return success();
}

FailureOr<std::string> DwsepToLLVMPass::headerText(ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "/* Generated by dwsep-opt --dwsep-to-llvm: the entry points of this\n"
        " * module, their arenas and their inputs and outputs in L2 or L3.\n"
        " * The L3 arena starts with the image (DWSEP_L3_IMAGE, which the\n"
        " * caller copies there) followed by the activations streamed from "
        "L3.\n"
        " */\n"
        "#ifndef DWSEP_GENERATED_H\n#define DWSEP_GENERATED_H\n"
        "#include <stdint.h>\n\n"
        "typedef struct {\n  const char *name;\n  int32_t is_output, level, "
        "offset, "
        "bytes, is_signed, rank, shape[4];\n} dwsep_arg_info_t;\n\n";
  int64_t l3 = 1;
  if (auto a = module->getAttrOfType<IntegerAttr>("dwsep.l3_size"))
    l3 = std::max<int64_t>(a.getInt(), 1);
  os << "#define DWSEP_L3_IMAGE " << imageSymbol << "\n";
  os << "#define DWSEP_L3_IMAGE_SIZE " << l3 << "\n";
  os << "extern const int8_t " << imageSymbol << "[" << l3 << "];\n\n";
  SmallVector<std::string> entries;
  int64_t maxL1 = 1, maxL2 = 1, maxL3 = l3;
  for (auto func : module.getOps<func::FuncOp>()) {
    auto args = func->getAttrOfType<ArrayAttr>(ArgumentAttr::kAttrName);
    if (!args)
      continue;
    // The attributes --dwsep-plan-memory writes; hand-written IR may lack
    // them or get them wrong.
    auto l1Attr = func->getAttrOfType<IntegerAttr>("dwsep.l1_size");
    auto l2Attr = func->getAttrOfType<IntegerAttr>("dwsep.l2_size");
    if (!l1Attr || !l2Attr)
      return func.emitOpError("has dwsep.arguments but no dwsep.l1_size and "
                              "dwsep.l2_size; run --dwsep-plan-memory");
    std::string name = func.getSymName().str();
    entries.push_back(name);
    int64_t l1 = l1Attr.getInt();
    int64_t l2 = std::max<int64_t>(l2Attr.getInt(), 1);
    int64_t l3Arena = l3;
    if (auto a = func->getAttrOfType<IntegerAttr>("dwsep.l3_size"))
      l3Arena = std::max(l3Arena, a.getInt());
    maxL1 = std::max(maxL1, l1);
    maxL2 = std::max(maxL2, l2);
    maxL3 = std::max(maxL3, l3Arena);
    os << "/* " << name << " */\n";
    os << "#define DWSEP_" << name << "_L1_SIZE " << l1 << "\n";
    os << "#define DWSEP_" << name << "_L2_SIZE " << l2 << "\n";
    os << "#define DWSEP_" << name << "_L3_SIZE " << l3Arena << "\n";
    os << "void " << name << "(";
    for (int i = 0; i < 3; ++i)
      os << (i ? ", " : "")
         << "int8_t *, int8_t *, intptr_t, intptr_t, intptr_t";
    os << ");\n";
    os << "static inline void " << name
       << "_run(int8_t *dwsep_l1, int8_t *dwsep_l2, int8_t *dwsep_l3) {\n  "
       << name << "(dwsep_l1, dwsep_l1, 0, " << l1
       << ", 1, dwsep_l2, dwsep_l2, 0, " << l2 << ", 1, dwsep_l3, dwsep_l3, 0, "
       << l3Arena << ", 1);\n}\n";
    os << "static const dwsep_arg_info_t " << name << "_args[] = {\n";
    for (auto a : args.getAsRange<ArgumentAttr>()) {
      MemRefType type = a.getType();
      os << "  {\"" << name << "\", " << (a.getKind() == ArgumentKind::output)
         << ", " << (int)a.getLevel() << ", " << a.getOffset() << ", "
         << type.getNumElements() * type.getElementTypeBitWidth() / 8 << ", "
         << !type.getElementType().isUnsignedInteger() << ", " << type.getRank()
         << ", {";
      for (int64_t i = 0; i < 4; ++i)
        os << (i ? ", " : "") << (i < type.getRank() ? type.getDimSize(i) : 0);
      os << "}},\n";
    }
    os << "};\n#define DWSEP_" << name << "_NUM_ARGS " << args.size() << "\n";
    // The layers in the order dwsep_rt_layer numbers them.
    os << "static const char *const " << name << "_layers[] = {";
    int64_t numLayers = 0;
    func.walk([&](LayerOp layer) {
      os << (numLayers++ ? ", " : "") << "\"" << layer.getName() << "\"";
    });
    os << (numLayers ? "" : "0") << "};\n#define DWSEP_" << name
       << "_NUM_LAYERS " << numLayers << "\n\n";
  }
  // A table of every entry point, in module order, for generic harnesses.
  os << "typedef struct {\n  const char *name;\n  void (*run)(int8_t *, "
        "int8_t *, int8_t *);\n  int32_t l1_size, l2_size, l3_size, "
        "num_args;\n  const dwsep_arg_info_t *args;\n  int32_t num_layers;\n"
        "  const char *const *layers;\n} dwsep_entry_t;\n";
  os << "static const dwsep_entry_t dwsep_entries[] = {\n";
  for (const std::string &n : entries)
    os << "  {\"" << n << "\", " << n << "_run, DWSEP_" << n
       << "_L1_SIZE, DWSEP_" << n << "_L2_SIZE, DWSEP_" << n
       << "_L3_SIZE, DWSEP_" << n << "_NUM_ARGS, " << n << "_args, DWSEP_" << n
       << "_NUM_LAYERS, " << n << "_layers},\n";
  os << "};\n#define DWSEP_NUM_ENTRIES " << entries.size() << "\n";
  os << "#define DWSEP_MAX_L1_SIZE " << maxL1 << "\n";
  os << "#define DWSEP_MAX_L2_SIZE " << maxL2 << "\n";
  os << "#define DWSEP_MAX_L3_SIZE " << maxL3 << "\n";
  // The core stacks the L1 budget was planned around: a runtime must give
  // the cores exactly these (the bare-metal GAP8 one links them in).
  TargetAttr target = TargetAttr::lookup(module);
  os << "#define DWSEP_TARGET_CORES " << target.getCores() << "\n";
  os << "#define DWSEP_STACK_MAIN " << target.getStackMain() << "\n";
  os << "#define DWSEP_STACK_WORKER " << target.getStackWorker() << "\n\n";
  return text;
}

void DwsepToLLVMPass::runOnOperation() {
  ModuleOp module = getOperation();
  MLIRContext *ctx = &getContext();
  // The image's symbol is declared in C by the header.
  StringRef image = imageSymbol;
  if (!isCName(image))
    return module.emitError() << "dwsep-to-llvm: image-symbol '" << image
                              << "' is not usable as a C name (a C "
                                 "identifier, not a keyword or main)",
           signalPassFailure();
  if (Operation *other = module.lookupSymbol(image))
    return module.emitError()
               << "dwsep-to-llvm: image-symbol '" << image << "' names an "
               << other->getName() << " of the module already",
           signalPassFailure();
  if (failed(checkPreconditions(module, TargetAttr::lookup(module))))
    return signalPassFailure();
  // What the header and the stack check need from the dwsep attributes,
  // read before the lowering drops them.
  std::string headerOut;
  if (!header.empty()) {
    FailureOr<std::string> text = headerText(module);
    if (failed(text))
      return signalPassFailure();
    headerOut = std::move(*text);
  }
  TargetAttr hw = TargetAttr::lookup(module);
  SmallVector<std::string> entries, layerBodies, privateDefs;
  auto layerBody =
      ctx->getLoadedDialect<DwsepDialect>()->getLayerBodyAttrHelper();
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func->hasAttr(ArgumentAttr::kAttrName))
      entries.push_back(func.getSymName().str());
    if (layerBody.isAttrPresent(func))
      layerBodies.push_back(func.getSymName().str());
    if (func.isPrivate() && !func.isExternal())
      privateDefs.push_back(func.getSymName().str());
  }
  if (failed(packImage(module)))
    return signalPassFailure();
  // Runtime declarations.
  OpBuilder b(module.getBodyRegion());
  Type index = b.getIndexType(), i32 = b.getI32Type();

  // Layers are each preceded by dwsep_rt_layer(index) and the function's
  // returns by dwsep_rt_layer(-1), so that a runtime can time every layer
  // (the header lists their names).
  SmallVector<LayerOp> layers;
  module.walk([&](LayerOp layer) { layers.push_back(layer); });
  if (!layers.empty() && !module.lookupSymbol(kLayer)) {
    auto f = func::FuncOp::create(b, module.getLoc(), kLayer,
                                  b.getFunctionType({i32}, {}));
    f.setPrivate();
  }
  llvm::DenseMap<Operation *, int32_t> layersIn;
  for (LayerOp layer : layers) {
    Operation *func = layer->getParentOfType<func::FuncOp>();
    // A layer in a loop (over channel groups) is announced once, before the
    // loop, so that its time is that of all its instances.
    Operation *announce = layer;
    while (announce->getParentOp() && announce->getParentOp() != func)
      announce = announce->getParentOp();
    b.setInsertionPoint(announce);
    Value index =
        arith::ConstantIntOp::create(b, layer.getLoc(), i32, layersIn[func]++);
    func::CallOp::create(b, layer.getLoc(), kLayer, TypeRange{},
                         ValueRange{index});
  }
  for (auto [func, count] : layersIn)
    func->walk([&](func::ReturnOp ret) {
      b.setInsertionPoint(ret);
      Value end = arith::ConstantIntOp::create(b, ret.getLoc(), i32, -1);
      func::CallOp::create(b, ret.getLoc(), kLayer, TypeRange{},
                           ValueRange{end});
    });
  b.setInsertionPointToStart(module.getBody());
  if (!module.lookupSymbol(kDmaStart)) {
    SmallVector<Type> params(14, index);
    auto f = func::FuncOp::create(b, module.getLoc(), kDmaStart,
                                  b.getFunctionType(params, {i32}));
    f.setPrivate();
  }
  if (!module.lookupSymbol(kDmaRows)) {
    SmallVector<Type> params(7, index);
    auto f = func::FuncOp::create(b, module.getLoc(), kDmaRows,
                                  b.getFunctionType(params, {i32}));
    f.setPrivate();
  }
  if (!module.lookupSymbol(kDmaWait)) {
    auto f = func::FuncOp::create(b, module.getLoc(), kDmaWait,
                                  b.getFunctionType({i32}, {}));
    f.setPrivate();
  }
  if (!module.lookupSymbol(kDmaWait4)) {
    auto f = func::FuncOp::create(b, module.getLoc(), kDmaWait4,
                                  b.getFunctionType({i32, i32, i32, i32}, {}));
    f.setPrivate();
  }

  // DMA ops to calls; tokens become i32 (also as loop-carried values).
  TypeConverter converter;
  converter.addConversion([](Type t) { return t; });
  converter.addConversion(
      [&](TokenType) -> Type { return IntegerType::get(ctx, 32); });
  ConversionTarget target(*ctx);
  target.addIllegalOp<DmaStartOp, DmaWaitOp, DmaNoneOp>();
  target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
  RewritePatternSet patterns(ctx);
  patterns.add<DmaStartLowering, DmaWaitLowering, DmaNoneLowering>(converter,
                                                                   ctx);
  // Tokens also pass into layers' functions (a transfer started before the
  // layer, waited for in it).
  populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                 converter);
  populateCallOpTypeConversionPattern(patterns, converter);
  target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
    return converter.isSignatureLegal(op.getFunctionType());
  });
  target.addDynamicallyLegalOp<func::CallOp>(
      [&](func::CallOp op) { return converter.isLegal(op); });
  scf::populateSCFStructuralTypeConversionsAndLegality(converter, patterns,
                                                       target);
  if (failed(applyPartialConversion(module, target, std::move(patterns))))
    return signalPassFailure();
  // Layers run their bodies in place (the call of their function, after
  // --dwsep-outline-layers).
  for (LayerOp layer : layers) {
    Block &body = layer.getBody().front();
    layer->getBlock()->getOperations().splice(layer->getIterator(),
                                              body.getOperations());
    layer.erase();
  }
  WalkResult left = module.walk([](Operation *op) {
    if (isa_and_nonnull<DwsepDialect>(op->getDialect())) {
      op->emitOpError("is left after dwsep-to-llvm: run "
                      "--dwsep-lower-kernels first");
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (left.wasInterrupted())
    return signalPassFailure();

  // Work splits over the cores become runtime forks of outlined bodies.
  SmallVector<Fork> forks;
  if (failed(outlineForks(module, forks)))
    return signalPassFailure();

  // The levels are separate arenas of one address space.
  AttrTypeReplacer replacer;
  replacer.addReplacement([](MemRefType t) -> std::optional<Type> {
    if (!isa_and_nonnull<MemoryLevelAttr>(t.getMemorySpace()))
      return std::nullopt;
    return MemRefType::get(t.getShape(), t.getElementType(), t.getLayout());
  });
  replacer.recursivelyReplaceElementsIn(module, /*replaceAttrs=*/true,
                                        /*replaceLocs=*/false,
                                        /*replaceTypes=*/true);
  // The result is plain LLVM dialect: mlir-translate must not need dwsep.
  auto isDwsepName = [](NamedAttribute a) {
    return a.getName().getValue().starts_with("dwsep.");
  };
  module.walk([&](Operation *op) {
    for (NamedAttribute a : llvm::to_vector(op->getDiscardableAttrs()))
      if (isDwsepName(a))
        op->removeDiscardableAttr(a.getName());
    // Argument and result attributes travel into llvm.func.
    auto fn = dyn_cast<FunctionOpInterface>(op);
    if (!fn)
      return;
    for (unsigned i = 0, e = fn.getNumArguments(); i < e; ++i)
      for (NamedAttribute a : llvm::to_vector(fn.getArgAttrs(i)))
        if (isDwsepName(a))
          fn.removeArgAttr(i, a.getName());
    for (unsigned i = 0, e = fn.getNumResults(); i < e; ++i)
      for (NamedAttribute a : llvm::to_vector(fn.getResultAttrs(i)))
        if (isDwsepName(a))
          fn.removeResultAttr(i, a.getName());
  });

  // Upstream lowering to the LLVM dialect with target-sized indices.
  // The function-local steps run on each function apart: the kernels and
  // the entry points, in parallel where the context has threads.
  OpPassManager pm("builtin.module");
  OpPassManager &perFunction = pm.nest<func::FuncOp>();
  perFunction.addPass(createLowerAffinePass());
  perFunction.addPass(createSCFToControlFlowPass());
  perFunction.addPass(memref::createExpandStridedMetadataPass());
  perFunction.addPass(createLowerAffinePass());
  perFunction.addPass(createArithToLLVMConversionPass(
      ArithToLLVMConversionPassOptions{indexBitwidth}));
  if (failed(runPipeline(pm, module)))
    return signalPassFailure();
  // What is left (memrefs, control flow, functions) in one conversion over
  // the module, where FinalizeMemRefToLLVM, ControlFlowToLLVM and FuncToLLVM
  // each walked all of it (0.22 s of MobileNetV1 1.0@224's compile, 0.11 s
  // in one).
  {
    LowerToLLVMOptions options(ctx);
    options.overrideIndexBitwidth(indexBitwidth);
    LLVMTypeConverter typeConverter(ctx, options);
    RewritePatternSet patterns(ctx);
    SymbolTableCollection symbolTables;
    populateFinalizeMemRefToLLVMConversionPatterns(typeConverter, patterns,
                                                   &symbolTables);
    cf::populateControlFlowToLLVMConversionPatterns(typeConverter, patterns);
    populateFuncToLLVMConversionPatterns(typeConverter, patterns,
                                         &symbolTables);
    LLVMConversionTarget target(*ctx);
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      return signalPassFailure();
  }
  // The casts the steps above leave are inside functions: they and the
  // last clean-up run function by function.
  OpPassManager finish("builtin.module");
  OpPassManager &perLLVMFunction = finish.nest<LLVM::LLVMFuncOp>();
  perLLVMFunction.addPass(createReconcileUnrealizedCastsPass());
  perLLVMFunction.addPass(createCanonicalizerPass());
  if (failed(runPipeline(finish, module)))
    return signalPassFailure();
  emitForks(module, forks, indexBitwidth / 8);

  module->setAttr(LLVM::LLVMDialect::getTargetTripleAttrName(),
                  b.getStringAttr(triple));
  if (!dataLayout.empty())
    module->setAttr(LLVM::LLVMDialect::getDataLayoutAttrName(),
                    b.getStringAttr(dataLayout));
  // CPU features go on every function (llvm "target-features").
  module.walk([&](LLVM::LLVMFuncOp f) {
    if (!f.isExternal() && !features.empty())
      f.setTargetFeaturesAttr(LLVM::TargetFeaturesAttr::get(ctx, features));
  });
  // The entry points are control code: argument set-up for DMA and kernel
  // calls, a few loops. Their size is what grows with the network (1.0@128:
  // 86 KB of 131 KB of .text at -O2) and their time is a few percent of a
  // layer's. (minsize would also let LLVM's machine outliner share repeated
  // call sequences; the object compiled here outlines only with `outline`.)
  // So is the body of a layer (--dwsep-outline-layers): a function local to
  // the object, which stays a function (LLVM would inline each into its one
  // caller, and compile the entry whole on one thread again).
  // Functions private to the module (kernels, layer bodies) are local to
  // the object, so that two networks compiled apart link into one program
  // (the kernels' names say their configuration, not their network). Not
  // inlined: a layer body into its one caller (see above), nor a kernel
  // into a minsize caller by an optimizer the LLVM IR may go through.
  for (const std::string &name : privateDefs)
    if (auto f = module.lookupSymbol<LLVM::LLVMFuncOp>(name)) {
      f.setLinkage(LLVM::Linkage::Internal);
      f.setNoInline(true);
    }
  if (entrySize)
    for (const std::string &entry :
         llvm::concat<std::string>(entries, layerBodies))
      if (auto f = module.lookupSymbol<LLVM::LLVMFuncOp>(entry)) {
        f.setPassthroughAttr(b.getArrayAttr(
            {b.getStringAttr("minsize"), b.getStringAttr("optsize")}));
        // Their frames save the callee-saved registers through libgcc's
        // __riscv_save_N / __riscv_restore_N: a call instead of up to 13
        // stores and 13 loads (a function per layer made each pay it).
        if (!features.empty() && StringRef(triple).starts_with("riscv"))
          f.setTargetFeaturesAttr(
              LLVM::TargetFeaturesAttr::get(ctx, features + ",+save-restore"));
      }

  // Whatever dwsep attribute or type is still there (one written where the
  // lowering does not look, e.g. inside another attribute) would make the
  // output untranslatable: an error, not an output that merely looks done.
  if (failed(checkNoDwsepLeft(module)))
    return signalPassFailure();

  if (!object.empty() &&
      failed(emitAndCheckStacks(module, hw, entries, headerOut)))
    return signalPassFailure();
  if (!header.empty() &&
      failed(writeFile(module, header, headerOut + "#endif\n")))
    return signalPassFailure();
}

LogicalResult DwsepToLLVMPass::emitAndCheckStacks(ModuleOp module,
                                                  TargetAttr target,
                                                  ArrayRef<std::string> entries,
                                                  std::string &headerOut) {
  FailureOr<CompiledObject> obj =
      emitObject(module, triple, features, outline, pieces);
  if (failed(obj))
    return failure();
  auto frame = [&](StringRef fn) { return obj->frames.lookup(fn); };
  llvm::raw_string_ostream os(headerOut);
  os << "/* Stack the generated code needs (frames from the code generator;\n"
        " * the runtime's own frames come on top). */\n";
  // The call graph of the generated code: direct calls, and the fork
  // entries passed to dwsep_rt_fork (core 0 runs a share of each fork
  // inside the call; the other cores run only fork shares).
  llvm::StringMap<SmallVector<StringRef>> callees, forksOf;
  module.walk([&](LLVM::CallOp call) {
    auto caller = call->getParentOfType<LLVM::LLVMFuncOp>();
    std::optional<StringRef> callee = call.getCallee();
    if (!caller || !callee)
      return;
    if (*callee != kFork) {
      callees[caller.getSymName()].push_back(*callee);
      return;
    }
    if (auto fn = call.getArgOperands()[0].getDefiningOp<LLVM::AddressOfOp>())
      forksOf[caller.getSymName()].push_back(fn.getGlobalName());
  });
  // need(f): f's frame plus the deepest chain below it on the same core.
  llvm::StringMap<uint64_t> needs;
  std::function<uint64_t(StringRef)> need = [&](StringRef fn) -> uint64_t {
    auto it = needs.find(fn);
    if (it != needs.end())
      return it->second;
    needs[fn] = 0; // no recursion in generated code; guards a cycle
    uint64_t below = 0;
    for (StringRef c : callees.lookup(fn))
      below = std::max(below, need(c));
    for (StringRef c : forksOf.lookup(fn))
      below = std::max(below, need(c));
    return needs[fn] = frame(fn) + below;
  };
  bool failedAny = false;
  for (const std::string &entry : entries) {
    // Every function the entry reaches, and the deepest fork share.
    SmallVector<StringRef> reached = {entry};
    llvm::StringSet<> seen = {entry};
    uint64_t share = 0;
    for (size_t i = 0; i < reached.size(); ++i) {
      for (StringRef c : forksOf.lookup(reached[i]))
        share = std::max(share, need(c));
      for (StringRef c :
           llvm::concat<StringRef>(callees[reached[i]], forksOf[reached[i]]))
        if (obj->frames.count(c) && seen.insert(c).second)
          reached.push_back(c);
    }
    uint64_t main = need(entry);
    // Every frame of the entry, so that a need can be traced to its
    // function.
    SmallVector<std::pair<StringRef, uint64_t>> own;
    for (StringRef f : reached)
      own.push_back({f, frame(f)});
    llvm::sort(own);
    os << "/* " << entry << " frames (B):";
    for (auto [name, bytes] : own)
      os << " " << name << " " << bytes;
    os << " */\n";
    os << "#define DWSEP_" << entry << "_STACK_NEED_MAIN " << main << "\n";
    os << "#define DWSEP_" << entry << "_STACK_NEED_WORKER " << share << "\n";
    auto fail = [&](StringRef which, uint64_t need, int64_t have) {
      auto fn = module.lookupSymbol<LLVM::LLVMFuncOp>(entry);
      (fn ? fn.emitOpError() : module.emitOpError())
          << "needs " << need << " B of stack on " << which
          << " (frames from the code generator: the entry " << frame(entry)
          << " B, its deepest call chain " << main - frame(entry)
          << " B, the largest fork share " << share
          << " B) but the target reserves " << have << " B";
      failedAny = true;
    };
    if ((int64_t)main > target.getStackMain())
      fail("core 0", main, target.getStackMain());
    else if ((int64_t)share > target.getStackWorker())
      fail("the other cores", share, target.getStackWorker());
  }
  os << "\n";
  if (failedAny)
    return failure();
  return writeFile(module, object,
                   StringRef(obj->bytes.data(), obj->bytes.size()));
}
