//===- Passes.h - Conversions into and out of dwsep -------------*- C++ -*-===//

#ifndef DWSEP_CONVERSION_PASSES_H
#define DWSEP_CONVERSION_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir::dwsep {

#define GEN_PASS_DECL
#include "dwsep/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dwsep/Conversion/Passes.h.inc"

} // namespace mlir::dwsep

#endif // DWSEP_CONVERSION_PASSES_H
