//===- BufferizableOpInterfaceImpl.cpp - Bufferize dwsep ops ----*- C++ -*-===//
//
// Every dwsep compute op is in destination-passing style, so one model
// serves all of them: the init operand becomes the written buffer, the other
// tensor operands are read, and the op is re-created on the buffers.
//
//===----------------------------------------------------------------------===//

#include "dwsep/Dialect/Dwsep/IR/DwsepOps.h"
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/DstBufferizableOpInterfaceImpl.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace mlir::bufferization;
using namespace mlir::dwsep;

namespace {
template <typename OpTy>
struct ComputeOpModel
    : public DstBufferizableOpInterfaceExternalModel<ComputeOpModel<OpTy>,
                                                     OpTy> {
  // Every dwsep op overwrites its whole destination: the init's old contents
  // are never read, so bufferization needs no copy into a fresh buffer.
  bool bufferizesToMemoryRead(Operation *op, OpOperand &operand,
                              const AnalysisState &) const {
    return !cast<DestinationStyleOpInterface>(op).isDpsInit(&operand);
  }

  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto dps = cast<DestinationStyleOpInterface>(op);
    if (dps.hasPureBufferSemantics())
      return success();
    if (!dps.hasPureTensorSemantics())
      return op->emitOpError() << "mixes tensor and memref operands";
    SmallVector<Value> operands;
    Value initBuffer;
    for (OpOperand &operand : op->getOpOperands()) {
      FailureOr<Value> buffer =
          getBuffer(rewriter, operand.get(), options, state);
      if (failed(buffer))
        return failure();
      operands.push_back(*buffer);
      if (dps.isDpsInit(&operand))
        initBuffer = *buffer;
    }
    rewriter.setInsertionPoint(op);
    Operation *newOp = Operation::create(
        op->getLoc(), op->getName(), /*resultTypes=*/TypeRange{}, operands,
        NamedAttrList(op->getDiscardableAttrDictionary()),
        op->getPropertiesStorage(), /*successors=*/BlockRange{},
        /*numRegions=*/0);
    rewriter.insert(newOp);
    replaceOpWithBufferizedValues(rewriter, op, initBuffer);
    return success();
  }
};

template <typename... OpTys> void attachModels(MLIRContext *ctx) {
  (OpTys::template attachInterface<ComputeOpModel<OpTys>>(*ctx), ...);
}
} // namespace

void mlir::dwsep::registerBufferizableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, DwsepDialect *) {
    attachModels<Conv2DOp, DepthwiseOp, PointwiseOp, FusedOp, AddOp, AvgPoolOp,
                 LinearOp, RelayoutOp>(ctx);
  });
}
