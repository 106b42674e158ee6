//===- RequantRows.cpp - Per-channel requantization values as operands ----===//
//
// Implements --dwsep-requant-rows (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h"
#include "dwsep/Kernels/Requant.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::dwsep {
#define GEN_PASS_DEF_DWSEPREQUANTROWS
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h.inc"
} // namespace mlir::dwsep

using namespace mlir;
using namespace mlir::dwsep;

namespace {
struct RequantRowsPass
    : public mlir::dwsep::impl::DwsepRequantRowsBase<RequantRowsPass> {
  void runOnOperation() override {
    getOperation().walk([&](RequantRowsOpInterface op) {
      auto slice = dyn_cast<ChannelSliceOpInterface>(op.getOperation());
      auto dps = cast<DestinationStyleOpInterface>(op.getOperation());
      if ((slice && slice.getChannelOffset()) || !dps.hasPureTensorSemantics())
        return;
      for (unsigned i = 0, e = op.getNumStagedRequants(); i < e; ++i) {
        if (op.getStagedRows(i))
          continue;
        RequantRows rows = buildRequantRows(op.getStagedRequant(i));
        if (rows.values.empty())
          continue;
        OpBuilder b(op);
        int64_t channels = rows.values.size() / rows.fields;
        auto type =
            RankedTensorType::get({channels, rows.fields},
                                  b.getIntegerType(rows.halfwords ? 16 : 32));
        DenseElementsAttr values;
        if (rows.halfwords) {
          SmallVector<int16_t> half(rows.values.begin(), rows.values.end());
          values = DenseElementsAttr::get(type, ArrayRef<int16_t>(half));
        } else {
          values = DenseElementsAttr::get(type, ArrayRef<int32_t>(rows.values));
        }
        op.getStagedRowsMutable(i).assign(
            arith::ConstantOp::create(b, op->getLoc(), values));
      }
    });
  }
};
} // namespace
