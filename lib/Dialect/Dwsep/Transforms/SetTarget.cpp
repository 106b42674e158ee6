//===- SetTarget.cpp - Set the module's target description ------*- C++ -*-===//
//
// Implements --dwsep-set-target (see Passes.td for the contract).
//
//===----------------------------------------------------------------------===//

#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"

namespace mlir::dwsep {
#define GEN_PASS_DEF_DWSEPSETTARGET
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h.inc"
} // namespace mlir::dwsep

using namespace mlir;
using namespace mlir::dwsep;

namespace {
struct SetTargetPass
    : public mlir::dwsep::impl::DwsepSetTargetBase<SetTargetPass> {
  using DwsepSetTargetBase::DwsepSetTargetBase;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    TargetAttr base = TargetAttr::lookup(module);
    if (!chip.empty()) {
      base = TargetAttr::getPreset(&getContext(), chip);
      if (!base) {
        module.emitError() << "dwsep-set-target: unknown chip '" << chip
                           << "' (presets: gap8, gap9)";
        return signalPassFailure();
      }
    }
    auto pick = [](int64_t option, int64_t current) {
      return option > 0 ? option : current;
    };
    auto diag = [&]() { return module.emitError() << "dwsep-set-target: "; };
    if (rowsOuterMargin < -1) {
      diag() << "rows-outer-margin " << static_cast<int64_t>(rowsOuterMargin)
             << " is not a percentage in [0, 100) (or -1: keep the "
             << "target's)";
      return signalPassFailure();
    }
    SmallVector<int64_t> costs(base.getCosts());
    if (bytePrice >= 0)
      costs[kCostByte] = bytePrice;
    if (rowsOuterMargin >= 0)
      costs[kCostRowsOuterMargin] = rowsOuterMargin;
    TargetAttr target = TargetAttr::getChecked(
        diag, &getContext(), base.getName(), pick(l1Size, base.getL1Size()),
        pick(l2Size, base.getL2Size()), base.getL3Size(), base.getStackMain(),
        base.getStackWorker(), pick(cores, base.getCores()),
        base.getL2DmaBytesPerCycle(), base.getL2DmaLatency(),
        base.getL3DmaBytesPerCycle(), base.getL3DmaLatency(),
        xpulpv2 >= 0 ? int64_t(xpulpv2) : base.getXpulpv2(),
        ArrayRef<int64_t>(costs));
    if (!target)
      return signalPassFailure();
    module->setAttr(TargetAttr::kAttrName, target);
  }
};
} // namespace
