//===- Dialects.h - C API of the dwsep dialect ------------------*- C -*-===//
//
// Registration of the dwsep dialect, of every dialect its pipelines produce
// and of its passes, for C (and Python) clients: the layout of
// mlir/examples/standalone (include/Standalone-c/Dialects.h).
//
//===----------------------------------------------------------------------===//

#ifndef DWSEP_C_DIALECTS_H
#define DWSEP_C_DIALECTS_H

#include "mlir-c/IR.h"

#ifdef __cplusplus
extern "C" {
#endif

MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(Dwsep, dwsep);

/// Adds the dwsep dialect and the upstream dialects its pipelines read and
/// produce (tosa, linalg, arith, tensor, bufferization, ...) to `registry`.
MLIR_CAPI_EXPORTED void dwsepRegisterAllDialects(MlirDialectRegistry registry);

/// Registers every dwsep pass and `--dwsep-gap8-pipeline` with the global
/// pass registry (for mlirParsePassPipeline). Idempotent.
MLIR_CAPI_EXPORTED void dwsepRegisterAllPasses(void);

#ifdef __cplusplus
}
#endif

#endif // DWSEP_C_DIALECTS_H
