//===- Passes.td - Conversions into and out of dwsep -------*- tablegen -*-===//
//
// One pass per lib/Conversion/<From>To<To>/ directory.
//
//===----------------------------------------------------------------------===//

#ifndef DWSEP_CONVERSION_PASSES_TD
#define DWSEP_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

#endif // DWSEP_CONVERSION_PASSES_TD
