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
#include "mlir/IR/Matchers.h"

namespace mlir::dwsep {
#define GEN_PASS_DEF_DWSEPREQUANTROWS
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h.inc"
} // namespace mlir::dwsep

using namespace mlir;
using namespace mlir::dwsep;

namespace {
/// The rows operand `rq` needs: its [channels, fields] constant (i16 when
/// every value fits a halfword); null for a per-tensor requantization.
DenseElementsAttr rowsOf(RequantAttr rq, Builder &b) {
  RequantRows rows = buildRequantRows(rq);
  if (rows.values.empty())
    return {};
  int64_t channels = rows.values.size() / rows.fields;
  auto type = RankedTensorType::get({channels, rows.fields},
                                    b.getIntegerType(rows.halfwords ? 16 : 32));
  if (rows.halfwords) {
    SmallVector<int16_t> half(rows.values.begin(), rows.values.end());
    return DenseElementsAttr::get(type, ArrayRef<int16_t>(half));
  }
  return DenseElementsAttr::get(type, ArrayRef<int32_t>(rows.values));
}

struct RequantRowsPass
    : public mlir::dwsep::impl::DwsepRequantRowsBase<RequantRowsPass> {
  void runOnOperation() override {
    WalkResult result = getOperation().walk([&](RequantRowsOpInterface op) {
      auto slice = dyn_cast<ChannelSliceOpInterface>(op.getOperation());
      auto dps = cast<DestinationStyleOpInterface>(op.getOperation());
      if ((slice && slice.getChannelOffset()) || !dps.hasPureTensorSemantics())
        return WalkResult::advance();
      OpBuilder b(op);
      for (unsigned i = 0, e = op.getNumStagedRequants(); i < e; ++i) {
        DenseElementsAttr expected = rowsOf(op.getStagedRequant(i), b);
        // Rows already there must be the requantization's: the kernel
        // computes with them, not with the attribute.
        if (Value rows = op.getStagedRows(i)) {
          DenseElementsAttr given;
          if (!matchPattern(rows, m_Constant(&given)) || given == expected)
            continue;
          InFlightDiagnostic diag = op->emitOpError()
                                    << op.getStagedRowsName(i) << " ";
          if (!expected) {
            diag << "are given but its requantization has no per-channel "
                    "field";
          } else if (given.getType() != expected.getType()) {
            diag << "are " << given.getType()
                 << " but its requantization's rows are " << expected.getType();
          } else {
            // The first value that differs.
            auto g = given.getValues<APInt>(), x = expected.getValues<APInt>();
            int64_t fields = expected.getType().getDimSize(1), k = 0;
            while (g[k] == x[k])
              ++k;
            diag << "row " << k / fields << " field " << k % fields << " is "
                 << g[k].getSExtValue() << " but its requantization's is "
                 << x[k].getSExtValue();
          }
          return WalkResult::interrupt();
        }
        if (expected)
          op.getStagedRowsMutable(i).assign(
              arith::ConstantOp::create(b, op->getLoc(), expected));
      }
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
