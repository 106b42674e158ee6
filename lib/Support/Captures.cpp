//===- Captures.cpp - What an outlined region takes from outside ----------===//

#include "dwsep/Support/Captures.h"

#include "mlir/Analysis/TopologicalSortUtils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/RegionUtils.h"

using namespace mlir;

llvm::SetVector<Value> mlir::dwsep::rematerializeCaptures(Region &region) {
  llvm::SetVector<Value> captures;
  OpBuilder b(region.getContext());
  for (bool changed = true; changed;) {
    changed = false;
    captures.clear();
    getUsedValuesDefinedAbove(region, captures);
    b.setInsertionPointToStart(&region.front());
    for (Value v : captures) {
      Operation *def = v.getDefiningOp();
      if (!def || def->getNumResults() != 1 ||
          !(def->hasTrait<OpTrait::ConstantLike>() ||
            isa<memref::GetGlobalOp>(def) ||
            (isa<ViewLikeOpInterface>(def) && isMemoryEffectFree(def))))
        continue;
      Operation *clone = b.clone(*def);
      replaceAllUsesInRegionWith(v, clone->getResult(0), region);
      changed = true;
    }
  }
  // A clone can take a later clone of the same round as operand (a view
  // whose offset constant the region also uses itself): definitions first.
  sortTopologically(&region.front());
  captures.clear();
  getUsedValuesDefinedAbove(region, captures);
  return captures;
}
