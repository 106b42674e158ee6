//===- ParseInput.h - Parsing untrusted MLIR text ---------------*- C++ -*-===//
//
// MLIR's parser is recursive descent: every nested `[`, `(`, `{` or `<` is a
// few more stack frames, so a short text of nested brackets (32 KB of `[`
// and `]` does it with an 8 MB stack) overflows the stack and crashes the
// tool. Every dwsep entry point that parses text (dwsep-opt, dwsep-interp,
// the C API and the fuzzer) checks the nesting first and rejects deeper
// input with a diagnostic at the bracket that goes too deep.
//
//===----------------------------------------------------------------------===//

#ifndef DWSEP_SUPPORT_PARSEINPUT_H
#define DWSEP_SUPPORT_PARSEINPUT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/SourceMgr.h"

#include <optional>

namespace dwsep {

/// The deepest bracket nesting accepted. Real IR nests a few tens deep (the
/// pipeline's deepest is a function, three loops, and a type inside them);
/// the parser is safe well beyond this, also under AddressSanitizer.
constexpr unsigned kMaxInputNesting = 256;

/// The first bracket of `text` that opens nesting level `limit + 1`, if any.
/// Brackets in string literals and `//` comments do not count, and the `>`
/// of `->` and `>=` does not close anything.
std::optional<const char *> findExcessiveNesting(llvm::StringRef text,
                                                 unsigned limit);

/// Reports an error at that bracket through `ctx`'s diagnostics (location
/// in the buffer's own file:line:col) and fails, if the main buffer of
/// `sourceMgr` nests deeper than kMaxInputNesting.
mlir::LogicalResult checkInputNesting(llvm::SourceMgr &sourceMgr,
                                      mlir::MLIRContext *ctx);

/// mlir::parseSourceFile<ModuleOp> behind checkInputNesting.
mlir::OwningOpRef<mlir::ModuleOp>
parseModuleChecked(llvm::SourceMgr &sourceMgr,
                   const mlir::ParserConfig &config);

} // namespace dwsep

#endif // DWSEP_SUPPORT_PARSEINPUT_H
