//===- Compiler.h - C API: compile a network for GAP8 -----------*- C -*-===//
//
// Runs `--dwsep-gap8-pipeline` in-process on a module (its text, or an
// MlirModule) and hands back every artifact the pipeline makes: the LLVM IR,
// the C header, the L3 image, the object file, the report (JSON) and the
// diagnostics with their locations. Nothing is printed and nothing is left
// on disk; a failed compilation is a result with diagnostics, never a crash.
//
//   DwsepCompilation c = dwsepCompileSource(
//       mlirStringRefCreateFromCString(text),
//       mlirStringRefCreateFromCString("net.mlir"),
//       mlirStringRefCreateFromCString("fusion=auto"));
//   if (!dwsepCompilationSucceeded(c))
//     for (intptr_t i = 0; i < dwsepCompilationGetNumDiagnostics(c); ++i) ...
//   dwsepCompilationDestroy(c);
//
//===----------------------------------------------------------------------===//

#ifndef DWSEP_C_COMPILER_H
#define DWSEP_C_COMPILER_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

/// The result of one compilation (owns its artifacts and diagnostics).
typedef struct DwsepCompilation {
  void *ptr;
} DwsepCompilation;

typedef enum DwsepSeverity {
  DwsepSeverityError = 0,
  DwsepSeverityWarning = 1,
  DwsepSeverityNote = 2,
  DwsepSeverityRemark = 3,
} DwsepSeverity;

/// One diagnostic: `file:line:column: message`. `file` is empty (and line,
/// column 0) when the location names no place in a file.
typedef struct DwsepDiagnostic {
  DwsepSeverity severity;
  MlirStringRef file;
  unsigned line;
  unsigned column;
  MlirStringRef message;
} DwsepDiagnostic;

/// Parses `source` (MLIR text; `filename` names it in the diagnostics) in a
/// fresh context with every dwsep dialect and runs the GAP8 pipeline with
/// `options`, the options of `--dwsep-gap8-pipeline` ("fusion=auto chip=gap8
/// from=tosa ..."). `header=`, `object=`, `report=` and `report-format=` are
/// chosen by the API (the artifacts come back through the accessors below)
/// and are an error if given.
MLIR_CAPI_EXPORTED DwsepCompilation dwsepCompileSource(MlirStringRef source,
                                                       MlirStringRef filename,
                                                       MlirStringRef options);

/// Runs the pipeline on `module` in place (its context must have the dwsep
/// dialects, see dwsepRegisterAllDialects); the diagnostics of the run are
/// captured as with dwsepCompileSource. On success the module is the LLVM
/// dialect module the LLVM IR was translated from.
MLIR_CAPI_EXPORTED DwsepCompilation dwsepCompileModule(MlirModule module,
                                                       MlirStringRef options);

MLIR_CAPI_EXPORTED bool dwsepCompilationSucceeded(DwsepCompilation c);
MLIR_CAPI_EXPORTED intptr_t
dwsepCompilationGetNumDiagnostics(DwsepCompilation c);
MLIR_CAPI_EXPORTED DwsepDiagnostic
dwsepCompilationGetDiagnostic(DwsepCompilation c, intptr_t index);

/// Artifacts, valid until dwsepCompilationDestroy; empty after a failure.
/// LLVM IR text of the compiled module (what mlir-translate --mlir-to-llvmir
/// prints); after dwsepCompileSource, translated and printed at the first
/// call, not by the compilation.
MLIR_CAPI_EXPORTED MlirStringRef dwsepCompilationGetLLVMIR(DwsepCompilation c);
/// The C header of the entry points (`header=`).
MLIR_CAPI_EXPORTED MlirStringRef dwsepCompilationGetHeader(DwsepCompilation c);
/// The L3 image's bytes (`dwsep_l3_image`), what a deployment flashes.
MLIR_CAPI_EXPORTED MlirStringRef dwsepCompilationGetL3Image(DwsepCompilation c);
/// The relocatable object for the target (`object=`, in-process llc -O2).
MLIR_CAPI_EXPORTED MlirStringRef dwsepCompilationGetObject(DwsepCompilation c);
/// `--dwsep-report` of the tiled network as JSON (`report-format=json`).
MLIR_CAPI_EXPORTED MlirStringRef dwsepCompilationGetReport(DwsepCompilation c);

MLIR_CAPI_EXPORTED void dwsepCompilationDestroy(DwsepCompilation c);

#ifdef __cplusplus
}
#endif

#endif // DWSEP_C_COMPILER_H
