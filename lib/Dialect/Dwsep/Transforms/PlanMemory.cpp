//===- PlanMemory.cpp - Place buffers in L2 and L3 --------------*- C++ -*-===//
//
// Implements --dwsep-plan-memory (see Passes.td for the contract).
//
//===----------------------------------------------------------------------===//

#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h"
#include "dwsep/Target/TilePlan.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/STLExtras.h"

namespace mlir::dwsep {
#define GEN_PASS_DEF_DWSEPPLANMEMORY
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h.inc"
} // namespace mlir::dwsep

using namespace mlir;
using namespace mlir::dwsep;

namespace {

/// An L2 buffer: an activation (argument or alloc) or a weight staging slot.
struct Buffer {
  Value root;                // the argument or alloc (null for staging slots)
  Operation *user = nullptr; // staging slots: the op they feed
  unsigned operandIdx = 0;   // staging slots: the operand they replace
  MemRefType type;
  int64_t bytes = 0;
  int64_t start = 0, end = 0; // lifetime, in op indices, inclusive
  int64_t offset = -1;
  bool isOutput = false;
};

bool isComputeOp(Operation *op) {
  return isa<Conv2DOp, DepthwiseOp, PointwiseOp, FusedOp, AddOp, AvgPoolOp,
             LinearOp, RelayoutOp>(op);
}

int64_t byteSize(MemRefType t) {
  return t.getNumElements() * t.getElementTypeBitWidth() / 8;
}

MemRefType withLevel(MemRefType t, MemoryLevel level) {
  return MemRefType::get(t.getShape(), t.getElementType(), t.getLayout(),
                         MemoryLevelAttr::get(t.getContext(), level));
}

/// Ops that only reinterpret a buffer: uses of their results are uses of the
/// buffer.
bool isAliasOp(Operation *op) {
  return isa<memref::CollapseShapeOp, memref::ExpandShapeOp, memref::CastOp,
             memref::ReshapeOp>(op);
}

struct PlanMemoryPass
    : public mlir::dwsep::impl::DwsepPlanMemoryBase<PlanMemoryPass> {
  using DwsepPlanMemoryBase::DwsepPlanMemoryBase;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    TargetAttr target = TargetAttr::lookup(module);
    // The L3 image: one slot per constant global that feeds a dwsep op.
    llvm::MapVector<memref::GlobalOp, int64_t> image;
    int64_t imageSize = 0;
    SymbolTable symbols(module);
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal() || !func.walk([](Operation *op) {
                                      return isComputeOp(op)
                                                 ? WalkResult::interrupt()
                                                 : WalkResult::advance();
                                    })
                                    .wasInterrupted())
        continue;
      if (failed(planFunction(func, target, symbols, image, imageSize)))
        return signalPassFailure();
    }
    if (imageSize > target.getL3Size()) {
      module.emitError() << "the L3 weight image needs " << imageSize
                         << " B but the target's L3 has " << target.getL3Size()
                         << " B";
      return signalPassFailure();
    }
    Builder b(module.getContext());
    for (auto [global, offset] : image)
      global->setAttr("dwsep.l3_offset", b.getI64IntegerAttr(offset));
    module->setAttr("dwsep.l3_size", b.getI64IntegerAttr(imageSize));
  }

  LogicalResult planFunction(func::FuncOp func, TargetAttr target,
                             SymbolTable &symbols,
                             llvm::MapVector<memref::GlobalOp, int64_t> &image,
                             int64_t &imageSize);
};

} // namespace

LogicalResult PlanMemoryPass::planFunction(
    func::FuncOp func, TargetAttr target, SymbolTable &symbols,
    llvm::MapVector<memref::GlobalOp, int64_t> &image, int64_t &imageSize) {
  MLIRContext *ctx = func.getContext();
  if (!func.getBody().hasOneBlock())
    return func.emitError() << "dwsep-plan-memory expects a single-block "
                               "function (no control flow between layers)";
  Block &body = func.getBody().front();
  if (func.getNumResults() != 0)
    return func.emitError()
           << "dwsep-plan-memory expects results passed as output arguments "
              "(run buffer-results-to-out-params with hoist-static-allocs)";

  // A reshaped constant (a TOSA input or weight with its batch dimension
  // collapsed) becomes a constant of the reshaped type, so that it is placed
  // in the L3 image like any other.
  for (Operation &op : llvm::make_early_inc_range(body)) {
    if (!isa<memref::CollapseShapeOp, memref::ExpandShapeOp>(op))
      continue;
    auto get = op.getOperand(0).getDefiningOp<memref::GetGlobalOp>();
    auto global =
        get ? symbols.lookup<memref::GlobalOp>(get.getName()) : nullptr;
    auto data =
        global
            ? dyn_cast_or_null<DenseElementsAttr>(global.getInitialValueAttr())
            : nullptr;
    auto type = cast<MemRefType>(op.getResult(0).getType());
    if (!data || !global.getConstant() || !type.getLayout().isIdentity())
      continue;
    OpBuilder b(global);
    auto reshaped = memref::GlobalOp::create(
        b, global.getLoc(), (global.getSymName() + "_reshaped").str(),
        b.getStringAttr("private"), type,
        data.reshape(
            RankedTensorType::get(type.getShape(), type.getElementType())),
        /*constant=*/true, global.getAlignmentAttr());
    symbols.insert(reshaped);
    OpBuilder at(&op);
    Value v = memref::GetGlobalOp::create(at, op.getLoc(), type,
                                          reshaped.getSymName());
    op.getResult(0).replaceAllUsesWith(v);
    op.erase();
    if (get->use_empty())
      get->erase();
  }

  // buffer-results-to-out-params leaves `memref.copy %alloc, %out` before
  // the return (through a reshape when the result was reshaped, as TOSA's
  // batch dimension is): write into the output argument directly instead.
  for (auto copy : llvm::make_early_inc_range(body.getOps<memref::CopyOp>())) {
    auto out = dyn_cast<BlockArgument>(copy.getTarget());
    Value source = copy.getSource();
    auto expand = source.getDefiningOp<memref::ExpandShapeOp>();
    if (expand && expand->hasOneUse())
      source = expand.getSrc();
    auto alloc = source.getDefiningOp<memref::AllocOp>();
    if (!alloc || !out || (!expand && alloc.getType() != out.getType()) ||
        !llvm::all_of(out.getUsers(),
                      [&](Operation *u) { return u == copy; }) ||
        !llvm::all_of(alloc->getUsers(), [&](Operation *u) {
          Operation *top = body.findAncestorOpInBlock(*u);
          return u == copy || u == expand || top->isBeforeInBlock(copy);
        }))
      continue;
    Value replacement = out;
    if (expand) {
      OpBuilder b(alloc);
      b.setInsertionPointToStart(&body);
      replacement = memref::CollapseShapeOp::create(
          b, alloc.getLoc(), alloc.getType(), out,
          expand.getReassociationIndices());
    }
    copy.erase();
    if (expand)
      expand.erase();
    alloc.getResult().replaceAllUsesWith(replacement);
    alloc.erase();
  }

  // Program order.
  DenseMap<Operation *, int64_t> index;
  int64_t n = 0;
  for (Operation &op : body)
    index[&op] = n++;

  // Activations: arguments and allocs, with lifetimes through aliases.
  SmallVector<Buffer> buffers;
  auto addActivation = [&](Value root) -> LogicalResult {
    auto type = dyn_cast<MemRefType>(root.getType());
    if (!type || !type.hasStaticShape() || !type.getLayout().isIdentity())
      return emitError(root.getLoc())
             << "dwsep-plan-memory needs static, contiguous buffers, got "
             << root.getType();
    Buffer buf;
    buf.root = root;
    buf.type = type;
    buf.bytes = byteSize(type);
    bool isArg = isa<BlockArgument>(root);
    buf.start = isArg ? 0 : index[root.getDefiningOp()];
    buf.end = buf.start;
    int64_t firstUse = n;
    bool read = false, written = false;
    SmallVector<Value> worklist = {root};
    while (!worklist.empty()) {
      Value v = worklist.pop_back_val();
      for (OpOperand &use : v.getUses()) {
        Operation *user = use.getOwner();
        if (isAliasOp(user)) {
          worklist.push_back(user->getResult(0));
          continue;
        }
        if (isa<memref::DeallocOp>(user))
          continue;
        if (auto dps = dyn_cast<DestinationStyleOpInterface>(user)) {
          (dps.isDpsInit(&use) ? written : read) = true;
        } else if (!isa<func::ReturnOp>(user)) {
          return user->emitOpError()
                 << "uses a buffer in a way dwsep-plan-memory cannot plan "
                    "(only dwsep ops, reshapes and dealloc may use "
                    "activations)";
        }
        Operation *top = body.findAncestorOpInBlock(*user);
        buf.end = std::max(buf.end, index[top]);
        firstUse = std::min(firstUse, index[top]);
      }
    }
    if (isArg) {
      buf.isOutput = written;
      // Inputs are written by the host before the call, outputs read after
      // it returns.
      buf.start = written && !read ? firstUse : 0;
      if (written)
        buf.end = n;
    }
    buffers.push_back(buf);
    return success();
  };
  for (BlockArgument arg : func.getArguments())
    if (failed(addActivation(arg)))
      return failure();
  for (Operation &op : body)
    if (auto alloc = dyn_cast<memref::AllocOp>(op))
      if (failed(addActivation(alloc)))
        return failure();

  // Weights: every constant global feeding a compute op gets an L3 slot and,
  // per use, an L2 staging slot live during that op (and, with
  // prefetch-weights, during the previous compute op, so that
  // --dwsep-pipeline-dma can fetch it while that one runs).
  int64_t previousCompute = -1;
  for (Operation &op : body) {
    if (!isComputeOp(&op))
      continue;
    int64_t stagingStart =
        prefetchWeights && previousCompute >= 0 ? previousCompute : index[&op];
    previousCompute = index[&op];
    for (OpOperand &operand : op.getOpOperands()) {
      auto get = operand.get().getDefiningOp<memref::GetGlobalOp>();
      if (!get)
        continue;
      auto global = symbols.lookup<memref::GlobalOp>(get.getName());
      if (!global || !global.getConstant() || !global.getInitialValue())
        return get.emitOpError()
               << "feeds " << op.getName()
               << " but is not a constant global; weights must be constants "
                  "to be placed in the L3 image";
      if (cast<DestinationStyleOpInterface>(op).isDpsInit(&operand))
        return op.emitOpError() << "writes a constant global";
      if (!image.count(global)) {
        image[global] = imageSize;
        imageSize = alignTo(imageSize + byteSize(get.getType()));
      }
      Buffer buf;
      buf.user = &op;
      buf.operandIdx = operand.getOperandNumber();
      buf.type = get.getType();
      buf.bytes = byteSize(buf.type);
      buf.start = stagingStart;
      buf.end = index[&op];
      buffers.push_back(buf);
    }
  }

  // Offsets: largest first, lowest offset that no buffer with an
  // overlapping lifetime occupies.
  SmallVector<unsigned> order(buffers.size());
  for (unsigned i = 0; i < order.size(); ++i)
    order[i] = i;
  llvm::stable_sort(order, [&](unsigned a, unsigned b) {
    return buffers[a].bytes > buffers[b].bytes;
  });
  int64_t peak = 0;
  SmallVector<unsigned> placed;
  for (unsigned i : order) {
    Buffer &buf = buffers[i];
    SmallVector<std::pair<int64_t, int64_t>> busy;
    for (unsigned j : placed) {
      const Buffer &o = buffers[j];
      if (o.start <= buf.end && buf.start <= o.end)
        busy.push_back({o.offset, o.offset + alignTo(o.bytes)});
    }
    llvm::sort(busy);
    int64_t offset = 0;
    for (auto [lo, hi] : busy) {
      if (offset + buf.bytes <= lo)
        break;
      offset = std::max(offset, hi);
    }
    buf.offset = offset;
    placed.push_back(i);
    peak = std::max(peak, alignTo(offset + buf.bytes));
    if (peak > target.getL2Size()) {
      Location loc = buf.root ? buf.root.getLoc() : buf.user->getLoc();
      return emitError(loc)
             << "does not fit in L2: placing this "
             << (buf.root ? "activation " : "weight staging buffer ")
             << buf.type << " (" << buf.bytes << " B) at offset " << offset
             << " needs " << peak << " B of L2 but the target has "
             << target.getL2Size()
             << " B (activations that do not fit in L2 are not streamed "
                "from L3 yet)";
    }
  }

  // Rewrite the function to take the arenas.
  OpBuilder b(ctx);
  int64_t l1Budget = target.getL1Budget();
  Type arenaTypes[3] = {
      MemRefType::get({l1Budget}, b.getI8Type(), MemRefLayoutAttrInterface(),
                      MemoryLevelAttr::get(ctx, MemoryLevel::l1)),
      MemRefType::get({std::max<int64_t>(peak, 1)}, b.getI8Type(),
                      MemRefLayoutAttrInterface(),
                      MemoryLevelAttr::get(ctx, MemoryLevel::l2)),
      MemRefType::get({std::max<int64_t>(imageSize, 1)}, b.getI8Type(),
                      MemRefLayoutAttrInterface(),
                      MemoryLevelAttr::get(ctx, MemoryLevel::l3))};
  unsigned numOld = func.getNumArguments();
  Location loc = func.getLoc();
  for (Type t : arenaTypes)
    body.addArgument(t, loc);
  Value l2 = body.getArgument(numOld + 1);
  Value l3 = body.getArgument(numOld + 2);

  auto view = [&](Value arena, int64_t offset, MemRefType type,
                  MemoryLevel level) -> Value {
    Value shift = arith::ConstantIndexOp::create(b, loc, offset);
    return memref::ViewOp::create(b, loc, withLevel(type, level), arena, shift,
                                  ValueRange{});
  };
  // Re-types alias chains so that they carry the L2 memory space.
  std::function<void(Value)> retypeAliases = [&](Value v) {
    for (Operation *user : v.getUsers()) {
      if (!isAliasOp(user))
        continue;
      Value r = user->getResult(0);
      r.setType(withLevel(cast<MemRefType>(r.getType()), MemoryLevel::l2));
      retypeAliases(r);
    }
  };

  SmallVector<Attribute> argInfo;
  for (Buffer &buf : buffers) {
    if (!buf.root)
      continue;
    if (auto arg = dyn_cast<BlockArgument>(buf.root)) {
      b.setInsertionPointToStart(&body);
      Value v = view(l2, buf.offset, buf.type, MemoryLevel::l2);
      arg.replaceAllUsesWith(v);
      retypeAliases(v);
      argInfo.push_back(b.getDictionaryAttr(
          {b.getNamedAttr("kind",
                          b.getStringAttr(buf.isOutput ? "output" : "input")),
           b.getNamedAttr("offset", b.getI64IntegerAttr(buf.offset)),
           b.getNamedAttr("type", TypeAttr::get(buf.type))}));
      continue;
    }
    Operation *alloc = buf.root.getDefiningOp();
    b.setInsertionPoint(alloc);
    Value v = view(l2, buf.offset, buf.type, MemoryLevel::l2);
    alloc->getResult(0).replaceAllUsesWith(v);
    retypeAliases(v);
    alloc->erase();
  }

  // Wrap each compute op in a layer with the staging of its weights.
  DenseMap<Operation *, SmallVector<Buffer *>> staging;
  for (Buffer &buf : buffers)
    if (buf.user)
      staging[buf.user].push_back(&buf);
  DenseMap<StringRef, int64_t> counters;
  SmallVector<Operation *> computeOps;
  for (Operation &op : body)
    if (isComputeOp(&op))
      computeOps.push_back(&op);
  for (Operation *op : computeOps) {
    b.setInsertionPoint(op);
    StringRef kind = op->getName().stripDialect();
    std::string name = (kind + "_" + Twine(counters[kind]++)).str();
    auto layer = LayerOp::create(b, op->getLoc(), name);
    b.setInsertionPointToStart(&layer.getBody().front());
    SmallVector<Value> tokens;
    for (Buffer *buf : staging.lookup(op)) {
      auto get =
          op->getOperand(buf->operandIdx).getDefiningOp<memref::GetGlobalOp>();
      auto global = symbols.lookup<memref::GlobalOp>(get.getName());
      Value src = view(l3, image[global], buf->type, MemoryLevel::l3);
      Value dst = view(l2, buf->offset, buf->type, MemoryLevel::l2);
      tokens.push_back(createDma(b, op->getLoc(), src, dst, /*weights=*/true));
      op->setOperand(buf->operandIdx, dst);
    }
    if (!tokens.empty())
      DmaWaitOp::create(b, op->getLoc(), tokens);
    op->moveBefore(&layer.getBody().front(), layer.getBody().front().end());
    // --dwsep-select-variant's explanation belongs to the layer (the tiler
    // replaces the op by its tiles).
    if (Attribute c = op->getDiscardableAttr("dwsep.candidates")) {
      layer->setAttr("dwsep.candidates", c);
      op->removeDiscardableAttr("dwsep.candidates");
    }
  }

  // Drop what the plan made obsolete.
  for (Operation &op : llvm::make_early_inc_range(body))
    if (isa<memref::DeallocOp>(op) ||
        (isa<memref::GetGlobalOp>(op) && op.use_empty()))
      op.erase();
  BitVector erase(body.getNumArguments());
  erase.set(0, numOld);
  body.eraseArguments(erase);
  func.setType(FunctionType::get(ctx, body.getArgumentTypes(), {}));

  func->setAttr("dwsep.arguments", b.getArrayAttr(argInfo));
  func->setAttr("dwsep.l1_size", b.getI64IntegerAttr(l1Budget));
  func->setAttr("dwsep.l2_size", b.getI64IntegerAttr(peak));
  return success();
}
