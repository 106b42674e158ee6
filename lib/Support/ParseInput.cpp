//===- ParseInput.cpp - Parsing untrusted MLIR text -------------*- C++ -*-===//

#include "dwsep/Support/ParseInput.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"

using namespace mlir;

std::optional<const char *> dwsep::findExcessiveNesting(llvm::StringRef text,
                                                        unsigned limit) {
  unsigned depth = 0;
  const char *p = text.begin(), *end = text.end();
  while (p != end) {
    char c = *p;
    if (c == '"') {
      // A string literal: up to the closing quote, over escapes.
      for (++p; p != end && *p != '"'; ++p)
        if (*p == '\\' && p + 1 != end)
          ++p;
      if (p != end)
        ++p;
      continue;
    }
    if (c == '/' && p + 1 != end && p[1] == '/') {
      while (p != end && *p != '\n')
        ++p;
      continue;
    }
    if (c == '(' || c == '[' || c == '{' || c == '<') {
      if (++depth > limit)
        return p;
    } else if (c == ')' || c == ']' || c == '}' ||
               (c == '>' && !(p != text.begin() && p[-1] == '-') &&
                !(p + 1 != end && p[1] == '='))) {
      // Unbalanced closers (text that will not parse anyway) stop at zero.
      if (depth)
        --depth;
    }
    ++p;
  }
  return std::nullopt;
}

LogicalResult dwsep::checkInputNesting(llvm::SourceMgr &sourceMgr,
                                       MLIRContext *ctx) {
  unsigned id = sourceMgr.getMainFileID();
  const llvm::MemoryBuffer *buffer = sourceMgr.getMemoryBuffer(id);
  std::optional<const char *> deep =
      findExcessiveNesting(buffer->getBuffer(), kMaxInputNesting);
  if (!deep)
    return success();
  auto [line, col] =
      sourceMgr.getLineAndColumn(llvm::SMLoc::getFromPointer(*deep), id);
  Location loc =
      FileLineColLoc::get(ctx, buffer->getBufferIdentifier(), line, col);
  return emitError(loc) << "input nests brackets deeper than "
                        << kMaxInputNesting
                        << " levels; MLIR's recursive parser would overflow "
                           "the stack on it";
}

OwningOpRef<ModuleOp> dwsep::parseModuleChecked(llvm::SourceMgr &sourceMgr,
                                                const ParserConfig &config) {
  if (failed(checkInputNesting(sourceMgr, config.getContext())))
    return {};
  return parseSourceFile<ModuleOp>(sourceMgr, config);
}
