//===- PlanMemory.cpp - Place buffers in L2 and L3 --------------*- C++ -*-===//
//
// Implements --dwsep-plan-memory (see Passes.td for the contract).
//
//===----------------------------------------------------------------------===//

#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h"
#include "dwsep/Target/TilePlan.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
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

/// Assigns offsets in one arena to `buffers[i]` for each i in `which`:
/// largest first, at the lowest offset that no placed buffer with an
/// overlapping lifetime occupies. Returns the arena's peak (aligned).
int64_t allocate(MutableArrayRef<Buffer> buffers, ArrayRef<unsigned> which) {
  SmallVector<unsigned> order(which);
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
  }
  return peak;
}

/// How a layer that reads or writes L3 activations is split into bands of
/// output rows staged through L2.
struct BandPlan {
  int64_t rows = 0;  // output rows per band; 0: not even one row fits
  int64_t bytes = 0; // L2 staging bytes (rows = 0: what one row needs)
  int64_t base = 0;  // L2 offset of the staging region
  /// Input bands alternate between two staging slots, so that
  /// --dwsep-pipeline-dma can fetch band k + 1 while band k computes.
  bool doubleBuffered = false;
  /// Staging offset (from `base`) of each streamed operand, by operand
  /// index: [slot 0, slot 1] for inputs, [0] for the output.
  DenseMap<unsigned, std::array<int64_t, 2>> offsets;
};

/// An input operand that an earlier input operand of `op` already reads
/// (`dwsep.add %x, %x`): its band is staged once.
bool stagedBefore(Operation *op, OpOperand &o) {
  return llvm::any_of(op->getOperands().take_front(o.getOperandNumber()),
                      [&](Value v) { return v == o.get(); });
}

/// The tallest bands (then balanced: as many bands, as equal as possible)
/// whose staging fits `avail` bytes, double-buffered unless that would more
/// than halve the band height. `isStreamed(v)`: operand `v` is in L3.
BandPlan planBands(Operation *op, int64_t avail, int64_t channels,
                   function_ref<bool(Value)> isStreamed) {
  LayerProblem p = *getLayerProblem(op);
  auto dps = cast<DestinationStyleOpInterface>(op);
  auto layout = [&](int64_t rows, bool doubleBuffered) {
    BandPlan plan;
    plan.rows = rows;
    plan.doubleBuffered = doubleBuffered;
    int64_t window = 0;
    for (int64_t r0 = 0; r0 < p.outH; r0 += rows)
      window =
          std::max(window, p.inputRows(r0, std::min(rows, p.outH - r0)).count);
    SmallVector<std::pair<unsigned, int64_t>> inputs, outputs;
    for (OpOperand &o : op->getOpOperands()) {
      bool isInit = dps.isDpsInit(&o);
      if ((!isInit && o.getOperandNumber() >= (unsigned)p.numInputs) ||
          !isStreamed(o.get()) || (!isInit && stagedBefore(op, o)))
        continue;
      auto type = cast<MemRefType>(o.get().getType());
      int64_t bytes;
      if (isInit)
        bytes = alignTo(byteSize(type) / p.outH / p.outC *
                        (type.getRank() == 3 ? rows : 1) * channels);
      else if (type.getRank() != 3)
        bytes = alignTo(byteSize(type));
      else
        bytes = alignTo(byteSize(type) / p.inH * window);
      (isInit ? outputs : inputs).push_back({o.getOperandNumber(), bytes});
    }
    int64_t slot = 0;
    for (auto [idx, bytes] : inputs) {
      plan.offsets[idx] = {slot, slot};
      slot += bytes;
    }
    if (doubleBuffered)
      for (auto [idx, bytes] : inputs)
        plan.offsets[idx][1] += slot;
    plan.bytes = doubleBuffered ? 2 * slot : slot;
    for (auto [idx, bytes] : outputs) {
      plan.offsets[idx] = {plan.bytes, plan.bytes};
      plan.bytes += bytes;
    }
    return plan;
  };
  auto tallest = [&](bool doubleBuffered) -> std::optional<BandPlan> {
    for (int64_t rows = p.outH; rows >= 1; --rows) {
      if (layout(rows, doubleBuffered).bytes > avail)
        continue;
      int64_t bands = (p.outH + rows - 1) / rows;
      return layout((p.outH + bands - 1) / bands, doubleBuffered);
    }
    return std::nullopt;
  };
  std::optional<BandPlan> single = tallest(false);
  if (!single) {
    BandPlan none = layout(1, false);
    none.rows = 0;
    return none;
  }
  if (single->rows < p.outH)
    if (std::optional<BandPlan> twin = tallest(true);
        twin && 2 * twin->rows >= single->rows)
      return *twin;
  return *single;
}

/// Rows [r0, r0 + rows) and channels [c0, c0 + chans) of activation `v` in
/// `layout` (rank 1: channels only; `chans` < 0: all channels); `v` itself
/// when that is all of it.
Value boxSlice(OpBuilder &b, Location loc, Value v, Layout layout,
               OpFoldResult r0, int64_t rows, OpFoldResult c0, int64_t chans) {
  ActivationDims dims = getActivationDims(v, layout);
  if (chans < 0)
    c0 = b.getIndexAttr(0), chans = dims.c;
  if (isConstantIntValue(r0, 0) && rows == dims.h && chans == dims.c)
    return v;
  auto type = cast<MemRefType>(v.getType());
  SmallVector<OpFoldResult> offsets;
  SmallVector<int64_t> sizes;
  getPhysicalBox(b, {r0, rows, 0, dims.w, c0, chans}, layout, type.getRank(),
                 offsets, sizes);
  return createSubview(b, loc, v, offsets, sizes);
}

/// `type` with its first dimension set to `n`.
MemRefType sliceDim(MemRefType type, int64_t dim, int64_t n) {
  SmallVector<int64_t> shape(type.getShape());
  shape[dim] = std::min(shape[dim], n);
  return MemRefType::get(shape, type.getElementType(), type.getLayout(),
                         type.getMemorySpace());
}

/// Weights bigger than 1/kWeightShareOfL2 of L2 are staged in output
/// channel groups rather than whole.
constexpr int64_t kWeightShareOfL2 = 4;

/// The dimension of weight operand `operandIdx` that runs over the output
/// channels, if a channel group stages a slice of it (the cost model's
/// LayerProblem::WeightTensor: weights with bytes per output channel); none
/// for activations and for weights every group needs whole (the depthwise
/// half of a DW->PW fused op).
std::optional<int64_t> slicedWeightDim(const LayerProblem &p,
                                       unsigned operandIdx) {
  if (operandIdx < (unsigned)p.numInputs)
    return std::nullopt;
  unsigned w = operandIdx - p.numInputs;
  if (w >= p.weights.size() || p.weights[w].perChannel == 0)
    return std::nullopt;
  return p.weights[w].channelDim;
}

/// What is known of a function's L3 activations only once the image (which
/// precedes them in the L3 arena) is complete.
struct FunctionPlan {
  func::FuncOp func;
  int64_t l3ActivationBytes = 0;
  /// Offset constants of L3 activation views, relative to the region.
  SmallVector<std::pair<arith::ConstantIndexOp, int64_t>> l3Offsets;
  /// `dwsep.arguments` entries in L3 and their relative offsets.
  SmallVector<std::pair<unsigned, int64_t>> l3Args;
};

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
    SmallVector<FunctionPlan> plans;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal() || !func.walk([](Operation *op) {
                                      return isComputeOp(op)
                                                 ? WalkResult::interrupt()
                                                 : WalkResult::advance();
                                    })
                                    .wasInterrupted())
        continue;
      plans.push_back({func});
      if (failed(planFunction(func, target, symbols, image, imageSize,
                              plans.back())))
        return signalPassFailure();
    }
    int64_t activations = 0;
    for (const FunctionPlan &fn : plans)
      activations = std::max(activations, fn.l3ActivationBytes);
    if (imageSize + activations > target.getL3Size()) {
      InFlightDiagnostic diag = module.emitError()
                                << "the L3 weight image needs " << imageSize
                                << " B";
      if (activations)
        diag << " and the activations streamed from L3 need " << activations
             << " B more,";
      diag << " but the target's L3 has " << target.getL3Size() << " B";
      return signalPassFailure();
    }
    Builder b(module.getContext());
    for (auto [global, offset] : image)
      global->setAttr("dwsep.l3_offset", b.getI64IntegerAttr(offset));
    module->setAttr("dwsep.l3_size", b.getI64IntegerAttr(imageSize));
    for (FunctionPlan &fn : plans)
      finishL3(fn, imageSize);
  }

  LogicalResult planFunction(func::FuncOp func, TargetAttr target,
                             SymbolTable &symbols,
                             llvm::MapVector<memref::GlobalOp, int64_t> &image,
                             int64_t &imageSize, FunctionPlan &fn);

  /// Puts the function's L3 activations after the `imageSize`-byte image:
  /// fixes their offsets and the L3 arena's size.
  void finishL3(FunctionPlan &fn, int64_t imageSize) {
    MLIRContext *ctx = fn.func.getContext();
    OpBuilder b(ctx);
    for (auto [cst, offset] : fn.l3Offsets) {
      b.setInsertionPoint(cst);
      Value moved =
          arith::ConstantIndexOp::create(b, cst.getLoc(), imageSize + offset);
      cst.getResult().replaceAllUsesWith(moved);
      cst.erase();
    }
    int64_t size = imageSize + fn.l3ActivationBytes;
    Block &body = fn.func.getBody().front();
    body.getArguments().back().setType(
        MemRefType::get({std::max<int64_t>(size, 1)}, b.getI8Type(),
                        MemRefLayoutAttrInterface(),
                        MemoryLevelAttr::get(ctx, MemoryLevel::l3)));
    fn.func.setType(FunctionType::get(ctx, body.getArgumentTypes(), {}));
    auto args = fn.func->getAttrOfType<ArrayAttr>(ArgumentAttr::kAttrName);
    SmallVector<Attribute> info(args.begin(), args.end());
    for (auto [i, offset] : fn.l3Args) {
      auto entry = cast<ArgumentAttr>(info[i]);
      info[i] = ArgumentAttr::get(ctx, entry.getKind(), entry.getLevel(),
                                  imageSize + offset, entry.getType());
    }
    fn.func->setAttr(ArgumentAttr::kAttrName, b.getArrayAttr(info));
    fn.func->setAttr("dwsep.l3_size", b.getI64IntegerAttr(size));
  }
};

} // namespace

LogicalResult
PlanMemoryPass::planFunction(func::FuncOp func, TargetAttr target,
                             SymbolTable &symbols,
                             llvm::MapVector<memref::GlobalOp, int64_t> &image,
                             int64_t &imageSize, FunctionPlan &fn) {
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
  // The activation each value (root or alias of it) belongs to.
  DenseMap<Value, unsigned> bufferOf;
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
      bufferOf[v] = buffers.size();
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

  // Layers whose every output channel reads all input channels (conv2d,
  // pointwise, linear, fused) with weights too big to stage whole run in
  // groups of output channels, each staging its slice of the weights with
  // output channels (and whole the weights every group needs: a DW->PW
  // fused op's depthwise half, which each group then computes again).
  DenseMap<Operation *, int64_t> channelGroups; // channels per group
  int64_t weightBudget = target.getL2Size() / kWeightShareOfL2;
  for (Operation &op : body) {
    std::optional<LayerProblem> problem = getLayerProblem(&op);
    if (!problem || problem->inputChannelsFollowOutput)
      continue;
    const LayerProblem &p = *problem;
    int64_t bytes = 0, fixed = 0;
    for (OpOperand &o : op.getOpOperands())
      if (o.getOperandNumber() >= (unsigned)p.numInputs &&
          o.get().getDefiningOp<memref::GetGlobalOp>()) {
        int64_t n = byteSize(cast<MemRefType>(o.get().getType()));
        bytes += n;
        if (!slicedWeightDim(p, o.getOperandNumber()))
          fixed += n;
      }
    if (bytes <= weightBudget || bytes == fixed)
      continue;
    int64_t perChannel = (bytes - fixed + p.outC - 1) / p.outC;
    int64_t group = std::max<int64_t>(1, (weightBudget - fixed) / perChannel);
    int64_t groups = (p.outC + group - 1) / group;
    channelGroups[&op] = (p.outC + groups - 1) / groups;
  }

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
      if (int64_t group = channelGroups.lookup(&op))
        if (std::optional<int64_t> dim =
                slicedWeightDim(*getLayerProblem(&op), buf.operandIdx))
          buf.type = sliceDim(buf.type, *dim, group);
      buf.bytes = byteSize(buf.type);
      buf.start = stagingStart;
      buf.end = index[&op];
      buffers.push_back(buf);
    }
  }

  // Place activations in L2; while something does not fit, move the largest
  // activation live where it fails to L3. A layer that reads or writes an
  // L3 activation runs in bands of output rows, each staged through L2
  // above everything else live during that layer.
  SmallVector<Operation *> computeOps;
  for (Operation &op : body)
    if (isComputeOp(&op))
      computeOps.push_back(&op);
  DenseSet<unsigned> spilled;
  DenseMap<Operation *, BandPlan> bandPlans;
  auto liveAt = [&](const Buffer &buf, int64_t at) {
    return buf.start <= at && at <= buf.end;
  };
  int64_t peak = 0;
  while (true) {
    SmallVector<unsigned> inL2;
    for (unsigned i = 0; i < buffers.size(); ++i)
      if (!spilled.contains(i))
        inL2.push_back(i);
    peak = allocate(buffers, inL2);
    auto topAt = [&](int64_t at) {
      int64_t top = 0;
      for (unsigned i : inL2)
        if (liveAt(buffers[i], at))
          top = std::max(top, alignTo(buffers[i].offset + buffers[i].bytes));
      return top;
    };
    int64_t failAt = -1;
    Operation *failOp = nullptr;
    int64_t failNeed = 0, failFree = 0;
    bandPlans.clear();
    if (peak > target.getL2Size()) {
      for (int64_t at = 0; at <= n && failAt < 0; ++at)
        if (topAt(at) > target.getL2Size())
          failAt = at;
    } else {
      for (Operation *op : computeOps) {
        bool streamed = llvm::any_of(op->getOperands(), [&](Value v) {
          auto it = bufferOf.find(v);
          return it != bufferOf.end() && spilled.contains(it->second);
        });
        if (!streamed)
          continue;
        int64_t top = topAt(index[op]);
        int64_t avail = target.getL2Size() - top;
        int64_t channels = channelGroups.lookup(op);
        if (!channels)
          channels = getLayerProblem(op)->outC;
        BandPlan plan = planBands(op, avail, channels, [&](Value v) {
          auto it = bufferOf.find(v);
          return it != bufferOf.end() && spilled.contains(it->second);
        });
        if (plan.rows == 0) {
          failAt = index[op], failOp = op;
          failNeed = plan.bytes, failFree = avail;
          break;
        }
        plan.base = top;
        peak = std::max(peak, top + plan.bytes);
        bandPlans[op] = plan;
      }
    }
    if (failAt < 0)
      break;
    // The victim: the largest activation in L2 live there, preferring one
    // the failing layer does not access (spilling its own operands makes
    // its bands bigger).
    auto accessedBy = [&](unsigned i) {
      return failOp && llvm::any_of(failOp->getOperands(), [&](Value v) {
               auto it = bufferOf.find(v);
               return it != bufferOf.end() && it->second == i;
             });
    };
    std::optional<unsigned> victim;
    for (bool allowOwn : {false, true}) {
      for (unsigned i : inL2) {
        const Buffer &buf = buffers[i];
        if (!buf.root || !liveAt(buf, failAt) || (!allowOwn && accessedBy(i)))
          continue;
        if (!victim || buf.bytes > buffers[*victim].bytes)
          victim = i;
      }
      if (victim)
        break;
    }
    // Nothing live there can move (only weights are), yet the buffers live
    // there were placed above L2: an activation live with them at another
    // time pushed them up. Move the largest such activation.
    if (!victim && !failOp) {
      for (unsigned i : inL2) {
        const Buffer &buf = buffers[i];
        if (!buf.root)
          continue;
        bool pushes = llvm::any_of(inL2, [&](unsigned j) {
          const Buffer &high = buffers[j];
          return liveAt(high, failAt) &&
                 alignTo(high.offset + high.bytes) > target.getL2Size() &&
                 buf.start <= high.end && high.start <= buf.end;
        });
        if (pushes && (!victim || buf.bytes > buffers[*victim].bytes))
          victim = i;
      }
    }
    if (!victim) {
      if (failOp)
        return failOp->emitOpError()
               << "cannot be streamed through L2: a band of one output row "
                  "needs "
               << failNeed << " B of L2 staging but only " << failFree
               << " B of the target's " << target.getL2Size()
               << " B of L2 are free during this layer";
      // Only weight staging is live: nothing can move to L3. Blame the
      // largest staging buffer live there.
      const Buffer *worst = nullptr;
      int64_t top = 0;
      for (unsigned i : inL2) {
        const Buffer &buf = buffers[i];
        if (!liveAt(buf, failAt))
          continue;
        top = std::max(top, alignTo(buf.offset + buf.bytes));
        if (buf.user && (!worst || buf.bytes > worst->bytes))
          worst = &buf;
      }
      if (worst)
        return worst->user->emitOpError()
               << "does not fit in L2: its weight staging buffer "
               << worst->type << " (" << worst->bytes
               << " B) is staged whole and, with the other buffers live "
                  "then, needs "
               << top << " B of L2 but the target has " << target.getL2Size()
               << " B";
      return func.emitError("internal error: L2 placement failed");
    }
    spilled.insert(*victim);
  }

  // L3 activations: their own lifetime-planned region after the image.
  SmallVector<unsigned> inL3(spilled.begin(), spilled.end());
  llvm::sort(inL3);
  fn.l3ActivationBytes = allocate(buffers, inL3);

  // Rewrite the function to take the arenas.
  OpBuilder b(ctx);
  int64_t l1Budget = target.getL1Budget();
  Type arenaTypes[3] = {
      MemRefType::get({l1Budget}, b.getI8Type(), MemRefLayoutAttrInterface(),
                      MemoryLevelAttr::get(ctx, MemoryLevel::l1)),
      MemRefType::get({std::max<int64_t>(peak, 1)}, b.getI8Type(),
                      MemRefLayoutAttrInterface(),
                      MemoryLevelAttr::get(ctx, MemoryLevel::l2)),
      // Resized once the image is complete (finishL3).
      MemRefType::get({1}, b.getI8Type(), MemRefLayoutAttrInterface(),
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
  // An L3 activation: its offset is relative to the activation region,
  // which starts after the image (finishL3 adds the image size).
  auto activationView = [&](int64_t offset, MemRefType type) -> Value {
    auto shift = arith::ConstantIndexOp::create(b, loc, offset);
    fn.l3Offsets.push_back({shift, offset});
    return memref::ViewOp::create(b, loc, withLevel(type, MemoryLevel::l3), l3,
                                  shift, ValueRange{});
  };
  // Re-types alias chains so that they carry the buffer's memory space.
  std::function<void(Value, MemoryLevel)> retypeAliases = [&](Value v,
                                                              MemoryLevel lv) {
    for (Operation *user : v.getUsers()) {
      if (!isAliasOp(user))
        continue;
      Value r = user->getResult(0);
      r.setType(withLevel(cast<MemRefType>(r.getType()), lv));
      retypeAliases(r, lv);
    }
  };

  // Which activation operands of each layer are streamed from L3 (decided
  // on the original values, before they are replaced by views).
  DenseMap<Operation *, SmallVector<bool>> streamed;
  for (Operation *op : computeOps)
    for (Value v : op->getOperands()) {
      auto it = bufferOf.find(v);
      streamed[op].push_back(it != bufferOf.end() &&
                             spilled.contains(it->second));
    }

  SmallVector<Attribute> argInfo;
  for (auto [i, buf] : llvm::enumerate(buffers)) {
    if (!buf.root)
      continue;
    bool inL3 = spilled.contains(i);
    MemoryLevel level = inL3 ? MemoryLevel::l3 : MemoryLevel::l2;
    if (auto arg = dyn_cast<BlockArgument>(buf.root)) {
      b.setInsertionPointToStart(&body);
      Value v = inL3 ? activationView(buf.offset, buf.type)
                     : view(l2, buf.offset, buf.type, MemoryLevel::l2);
      arg.replaceAllUsesWith(v);
      retypeAliases(v, level);
      if (inL3)
        fn.l3Args.push_back({(unsigned)argInfo.size(), buf.offset});
      argInfo.push_back(ArgumentAttr::get(
          ctx, buf.isOutput ? ArgumentKind::output : ArgumentKind::input, level,
          buf.offset, buf.type));
      continue;
    }
    Operation *alloc = buf.root.getDefiningOp();
    b.setInsertionPoint(alloc);
    Value v = inL3 ? activationView(buf.offset, buf.type)
                   : view(l2, buf.offset, buf.type, MemoryLevel::l2);
    alloc->getResult(0).replaceAllUsesWith(v);
    retypeAliases(v, level);
    alloc->erase();
  }

  // Wrap each compute op in a layer with the staging of its weights. A
  // streamed op becomes one layer per band of output rows, each staging its
  // L3 inputs into L2, computing, and writing its output band back to L3; an
  // op with channel groups one layer per group (and band), the first band of
  // each group staging that group's slice of the weights. Groups keep the
  // op's whole requantization and read it from their first channel
  // (`channel_offset`). The equal groups of an op that is not streamed are
  // one layer in a run-time loop over the group (the remainder group, if
  // any, follows it): one tiled body, not one per group.
  DenseMap<Operation *, SmallVector<Buffer *>> staging;
  for (Buffer &buf : buffers)
    if (buf.user)
      staging[buf.user].push_back(&buf);
  DenseMap<StringRef, int64_t> counters;
  for (Operation *op : computeOps) {
    StringRef kind = op->getName().stripDialect();
    std::string name = (kind + "_" + Twine(counters[kind]++)).str();
    LayerProblem p = *getLayerProblem(op);
    auto dps = cast<DestinationStyleOpInterface>(op);
    BandPlan plan = bandPlans.lookup(op);
    int64_t rows = plan.rows ? plan.rows : p.outH;
    int64_t numBands = (p.outH + rows - 1) / rows;
    int64_t group = channelGroups.lookup(op);
    int64_t chans = group ? group : p.outC;
    int64_t numGroups = (p.outC + chans - 1) / chans;
    int64_t numEqual = p.outC / chans;
    bool groupLoop = numGroups > 1 && numBands == 1 && numEqual > 1;
    // Emits the layer of band k of the group of n channels from channel c0
    // (a constant, or the group loop's value); `layerName` is its name.
    // With `bandIv` (a band loop's value) the band is bandIv, one of a run
    // of interior bands shaped as band k.
    auto emitLayer = [&](OpFoldResult c0, int64_t n, int64_t k,
                         const std::string &layerName, Value bandIv = {}) {
      Location loc = op->getLoc();
      int64_t count = std::min(rows, p.outH - k * rows);
      LayerProblem::RowWindow window = p.inputRows(k * rows, count);
      // The band's first output and input rows, and its input slot.
      auto affine = [&](int64_t scale, int64_t offset) -> OpFoldResult {
        if (!bandIv)
          return b.getIndexAttr(k * scale + offset);
        Value v = arith::MulIOp::create(
            b, loc, bandIv, arith::ConstantIndexOp::create(b, loc, scale));
        if (offset)
          v = arith::AddIOp::create(
              b, loc, v, arith::ConstantIndexOp::create(b, loc, offset));
        return v;
      };
      OpFoldResult r0 = affine(rows, 0);
      OpFoldResult inRow0 =
          affine(rows * p.strideH, window.first - k * rows * p.strideH);
      auto layer = LayerOp::create(b, op->getLoc(), layerName);
      b.setInsertionPointToStart(&layer.getBody().front());
      SmallVector<Value> operands(op->getOperands());
      SmallVector<Value> tokens;
      // Weights are staged by the first band (of each channel group).
      for (Buffer *buf : staging.lookup(op)) {
        auto get = op->getOperand(buf->operandIdx)
                       .getDefiningOp<memref::GetGlobalOp>();
        auto global = symbols.lookup<memref::GlobalOp>(get.getName());
        std::optional<int64_t> dim =
            group ? slicedWeightDim(p, buf->operandIdx) : std::nullopt;
        bool sliced = dim.has_value();
        MemRefType type = sliced ? sliceDim(get.getType(), *dim, n) : buf->type;
        Value src;
        if (k == 0) {
          src = view(l3, image[global], get.getType(), MemoryLevel::l3);
          if (sliced) {
            SmallVector<OpFoldResult> offsets(type.getRank(),
                                              b.getIndexAttr(0));
            offsets[*dim] = c0;
            src = createSubview(b, op->getLoc(), src, offsets, type.getShape());
          }
        }
        Value dst = view(l2, buf->offset, type, MemoryLevel::l2);
        if (src)
          tokens.push_back(
              createDma(b, op->getLoc(), src, dst, /*weights=*/true));
        operands[buf->operandIdx] = dst;
      }
      SmallVector<std::pair<Value, Value>> writeBacks;
      for (OpOperand &o : op->getOpOperands()) {
        unsigned idx = o.getOperandNumber();
        bool isInit = dps.isDpsInit(&o);
        if (!isInit && idx >= (unsigned)p.numInputs)
          continue;
        if (!isInit && stagedBefore(op, o)) {
          unsigned first = llvm::find(op->getOperands(), o.get()) -
                           op->getOperands().begin();
          operands[idx] = operands[first];
          continue;
        }
        // Inputs: the band's rows (with halo), all channels (these ops
        // read every input channel), the whole input for the only band
        // that reads every input row (a linear layer's problem has one
        // row, whatever its flattened map's shape); the output: the band's
        // box.
        bool wholeInput =
            numBands == 1 && window.first == 0 && window.count == p.inH;
        Value slice = isInit       ? boxSlice(b, op->getLoc(), operands[idx],
                                              p.outLayout, r0, count, c0, n)
                      : wholeInput ? operands[idx]
                                   : boxSlice(b, op->getLoc(), operands[idx],
                                              p.inLayout, inRow0, window.count,
                                              b.getIndexAttr(0), -1);
        operands[idx] = slice;
        if (!streamed[op][idx])
          continue;
        auto type = cast<MemRefType>(slice.getType());
        auto stagingType =
            MemRefType::get(type.getShape(), type.getElementType());
        std::array<int64_t, 2> slots = plan.offsets.lookup(idx);
        bool alternate = !isInit && plan.doubleBuffered;
        Value dst;
        if (alternate && bandIv) {
          // Slot bandIv % 2.
          Value shift = createPingPongOffset(b, loc, plan.base + slots[0],
                                             plan.base + slots[1], 0, bandIv);
          dst = memref::ViewOp::create(b, loc,
                                       withLevel(stagingType, MemoryLevel::l2),
                                       l2, shift, ValueRange{});
        } else {
          dst = view(l2, plan.base + slots[alternate ? k % 2 : 0], stagingType,
                     MemoryLevel::l2);
        }
        if (isInit)
          writeBacks.push_back({dst, slice});
        else
          tokens.push_back(createDma(b, op->getLoc(), slice, dst));
        operands[idx] = dst;
      }
      if (!tokens.empty())
        DmaWaitOp::create(b, op->getLoc(), tokens);
      Value channelOffset;
      if (numGroups > 1 && isa<ChannelSliceOpInterface>(op))
        channelOffset = getValueOrCreateConstantIndexOp(b, op->getLoc(), c0);
      Operation *band = b.clone(*op);
      band->setOperands(operands);
      if (numBands > 1)
        cast<TileableOpInterface>(band).setRowPadding(window.padTop,
                                                      window.padBottom);
      if (channelOffset)
        cast<ChannelSliceOpInterface>(band).getChannelOffsetMutable().assign(
            channelOffset);
      // --dwsep-select-variant's explanation belongs to the layer (the
      // tiler replaces the op by its tiles).
      if (Attribute c = band->getDiscardableAttr(ChoiceAttr::kAttrName)) {
        if (isConstantIntValue(c0, 0) && k == 0)
          layer->setAttr(ChoiceAttr::kAttrName, c);
        band->removeDiscardableAttr(ChoiceAttr::kAttrName);
      }
      SmallVector<Value> writeTokens;
      for (auto [src, dst] : writeBacks)
        writeTokens.push_back(createDma(b, op->getLoc(), src, dst));
      if (!writeTokens.empty())
        DmaWaitOp::create(b, op->getLoc(), writeTokens);
    };
    auto groupName = [&](StringRef groups) {
      return numGroups > 1 ? (Twine(name) + ".ch" + groups).str() : name;
    };
    int64_t firstStatic = 0;
    if (groupLoop) {
      b.setInsertionPoint(op);
      Location loc = op->getLoc();
      auto loop =
          scf::ForOp::create(b, loc, arith::ConstantIndexOp::create(b, loc, 0),
                             arith::ConstantIndexOp::create(b, loc, numEqual),
                             arith::ConstantIndexOp::create(b, loc, 1));
      b.setInsertionPointToStart(loop.getBody());
      Value c0 =
          arith::MulIOp::create(b, loc, loop.getInductionVar(),
                                arith::ConstantIndexOp::create(b, loc, chans));
      emitLayer(c0, chans, 0, groupName(("0-" + Twine(numEqual - 1)).str()));
      firstStatic = numEqual;
    }
    // Interior bands shaped alike (all rows, no padding, the same input
    // window) are one layer in a run-time loop over the band: from the
    // second band to the last such one.
    int64_t loopEnd = 1;
    if (numBands > 3) {
      LayerProblem::RowWindow first = p.inputRows(rows, rows);
      while (loopEnd + 1 < numBands) {
        LayerProblem::RowWindow w = p.inputRows(loopEnd * rows, rows);
        if (w.padTop || w.padBottom || w.count != first.count ||
            (loopEnd + 1) * rows > p.outH)
          break;
        ++loopEnd;
      }
    }
    bool bandLoop = loopEnd - 1 >= 2;
    for (int64_t g = firstStatic; g < numGroups; ++g)
      for (int64_t k = 0; k < numBands; ++k) {
        int64_t c0 = g * chans, n = std::min(chans, p.outC - c0);
        b.setInsertionPoint(op);
        std::string layerName = groupName(std::to_string(g));
        if (bandLoop && k == 1) {
          Location loc = op->getLoc();
          auto loop = scf::ForOp::create(
              b, loc, arith::ConstantIndexOp::create(b, loc, 1),
              arith::ConstantIndexOp::create(b, loc, loopEnd),
              arith::ConstantIndexOp::create(b, loc, 1));
          b.setInsertionPointToStart(loop.getBody());
          emitLayer(b.getIndexAttr(c0), n, 1,
                    layerName + ".band1-" + std::to_string(loopEnd - 1),
                    loop.getInductionVar());
          k = loopEnd - 1;
          continue;
        }
        if (numBands > 1)
          layerName += ".band" + std::to_string(k);
        emitLayer(b.getIndexAttr(c0), n, k, layerName);
      }
    op->erase();
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

  func->setAttr(ArgumentAttr::kAttrName, b.getArrayAttr(argInfo));
  func->setAttr("dwsep.l1_size", b.getI64IntegerAttr(l1Budget));
  func->setAttr("dwsep.l2_size", b.getI64IntegerAttr(peak));
  return success();
}
