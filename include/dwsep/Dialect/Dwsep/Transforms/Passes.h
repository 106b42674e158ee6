//===- Passes.h - dwsep transformation passes -------------------*- C++ -*-===//

#ifndef DWSEP_DIALECT_DWSEP_TRANSFORMS_PASSES_H
#define DWSEP_DIALECT_DWSEP_TRANSFORMS_PASSES_H

#include "dwsep/Dialect/Dwsep/IR/DwsepDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class DialectRegistry;
namespace dwsep {

#define GEN_PASS_DECL
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dwsep/Dialect/Dwsep/Transforms/Passes.h.inc"

/// Attaches BufferizableOpInterface to every dwsep compute op.
void registerBufferizableOpInterfaceExternalModels(DialectRegistry &registry);

} // namespace dwsep
} // namespace mlir

#endif // DWSEP_DIALECT_DWSEP_TRANSFORMS_PASSES_H
