//===- Captures.h - What an outlined region takes from outside --*- C++ -*-===//
//
// Two steps move a region into a function of its own: --dwsep-outline-layers
// (a layer's control code) and --dwsep-to-llvm (a work split over the cores,
// a fork). Both pass the function only what cannot be recomputed inside it.
//
//===----------------------------------------------------------------------===//

#ifndef DWSEP_SUPPORT_CAPTURES_H
#define DWSEP_SUPPORT_CAPTURES_H

#include "mlir/IR/Region.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::dwsep {

/// The values `region` (one block) uses from outside it, once constants,
/// global addresses and views are cloned into its block instead. They are
/// cheaper to rematerialise than to pass: a view of the L1 arena passed
/// whole is a memref descriptor of up to 9 words, where its byte shift and
/// dynamic sizes are a word each (and every view shares the arena's). Views
/// of views are rematerialised too, operands first.
llvm::SetVector<Value> rematerializeCaptures(Region &region);

} // namespace mlir::dwsep

#endif // DWSEP_SUPPORT_CAPTURES_H
