//===- CheckMemory.cpp - Static memory checks after tiling ------*- C++ -*-===//
//
// Implements --dwsep-check-memory (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::dwsep {
#define GEN_PASS_DEF_DWSEPCHECKMEMORY
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h.inc"
} // namespace mlir::dwsep

using namespace mlir;
using namespace mlir::dwsep;

namespace {
struct CheckMemoryPass
    : public mlir::dwsep::impl::DwsepCheckMemoryBase<CheckMemoryPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    TargetAttr target = TargetAttr::lookup(module);
    bool failed = false;
    auto fail = [&](InFlightDiagnostic &&d) {
      failed = true;
      return std::move(d);
    };
    module.walk([&](Operation *op) {
      if (isa<Conv2DOp, DepthwiseOp, PointwiseOp, FusedOp, AddOp, AvgPoolOp,
              LinearOp, RelayoutOp>(op)) {
        for (OpOperand &o : op->getOpOperands()) {
          if (o.get().getType().isIndex())
            continue; // ChannelSliceOpInterface's channel offset
          std::optional<MemoryLevel> level = getMemoryLevel(o.get().getType());
          if (level != MemoryLevel::l1)
            (void)fail(op->emitOpError()
                       << "operand #" << o.getOperandNumber() << " is in "
                       << (level ? stringifyMemoryLevel(*level) : "no level")
                       << ", but compute ops read and write L1 only (run "
                          "--dwsep-tile)");
        }
        return;
      }
      // L3 is reached only by DMA: views of it may be formed, never read.
      if (!isa<DmaStartOp, ViewLikeOpInterface, func::ReturnOp>(op))
        for (Value v : op->getOperands())
          if (getMemoryLevel(v.getType()) == MemoryLevel::l3)
            (void)fail(op->emitOpError()
                       << "dereferences L3 memory " << v.getType()
                       << "; only dwsep.dma_start may access L3");
      // Views must lie inside their arena.
      if (auto view = dyn_cast<memref::ViewOp>(op)) {
        APInt shift;
        auto arena = cast<MemRefType>(view.getSource().getType());
        auto type = view.getType();
        if (!type.hasStaticShape() ||
            !matchPattern(view.getByteShift(), m_ConstantInt(&shift)))
          return;
        int64_t end = shift.getSExtValue() +
                      type.getNumElements() * type.getElementTypeBitWidth() / 8;
        if (end > arena.getNumElements())
          (void)fail(view.emitOpError()
                     << "buffer [" << shift.getSExtValue() << ", " << end
                     << ") lies outside its arena of " << arena.getNumElements()
                     << " B");
      }
      if (auto layer = dyn_cast<LayerOp>(op))
        if (layer.getL1Bytes() &&
            (int64_t)*layer.getL1Bytes() > target.getL1Budget())
          (void)fail(layer.emitOpError()
                     << "layer '" << layer.getName() << "' needs "
                     << *layer.getL1Bytes() << " B of L1 but the budget is "
                     << target.getL1Budget() << " B");
      if (auto func = dyn_cast<func::FuncOp>(op)) {
        if (auto l2 = func->getAttrOfType<IntegerAttr>("dwsep.l2_size"))
          if (l2.getInt() > target.getL2Size())
            (void)fail(func.emitOpError()
                       << "needs " << l2.getInt() << " B of L2 but the target "
                       << "has " << target.getL2Size() << " B");
        // The L3 arena: the image and the activations streamed from L3.
        if (auto l3 = func->getAttrOfType<IntegerAttr>("dwsep.l3_size"))
          if (l3.getInt() > target.getL3Size())
            (void)fail(func.emitOpError()
                       << "needs " << l3.getInt() << " B of L3 but the target "
                       << "has " << target.getL3Size() << " B");
      }
    });
    if (auto l3 = module->getAttrOfType<IntegerAttr>("dwsep.l3_size"))
      if (l3.getInt() > target.getL3Size())
        (void)fail(module.emitOpError()
                   << "the L3 image needs " << l3.getInt()
                   << " B but the target has " << target.getL3Size() << " B");
    if (failed)
      signalPassFailure();
  }
};
} // namespace
