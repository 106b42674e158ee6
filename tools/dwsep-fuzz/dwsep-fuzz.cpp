//===- dwsep-fuzz.cpp - In-process libFuzzer target for dwsep ---*- C++ -*-===//
//
// Parses the input as MLIR and runs one dwsep pass alone or one variant of
// the GAP8 pipeline on it, picked by a hash of the input (so that a saved
// input reproduces, and a million inputs take minutes: running them all on
// every input made each one 20x dearer). DWSEP_FUZZ_ALL=1 runs them all on
// each input instead (for reproducing and minimising). Any crash,
// sanitizer report, abort or time-out is a bug: hostile input must end in a
// diagnostic. Diagnostics themselves are expected and discarded.
//
//   build-fuzz/bin/dwsep-fuzz CORPUS_DIR SEED_DIR -max_len=16384 -timeout=10
//
// README ("Fuzzing and sanitizers") has the build and the seed corpus.
//
//===----------------------------------------------------------------------===//

#include "dwsep/InitAll.h"
#include "dwsep/Support/ParseInput.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

using namespace mlir;

namespace {

/// Every pass alone, in pipeline order (none writes files), then pipelines.
/// `header=`, `report=` and `object=` are left out: they write files (the
/// object one also runs the LLVM backend, which is not ours to fuzz).
const char *const kPasses[] = {
    "dwsep-set-target{chip=gap8 cores=3 l1-size=20000}",
    "dwsep-from-tosa",
    "dwsep-from-linalg",
    "func.func(dwsep-fuse{fusion=all})",
    "dwsep-select-variant",
    "dwsep-plan-memory",
    "dwsep-tile",
    "dwsep-pipeline-dma",
    "dwsep-check-memory",
    "dwsep-report{output=/dev/null}",
    "dwsep-lower-kernels",
    "dwsep-to-llvm",
};

const char *const kPipelines[] = {
    "dwsep-gap8-pipeline{fusion=auto}",
    "dwsep-gap8-pipeline{fusion=none}",
    "dwsep-gap8-pipeline{fusion=all variant=3 cores=2}",
    "dwsep-gap8-pipeline{variant=unfused chip=gap9}",
    "dwsep-gap8-pipeline{fusion=all variant=6 l1-budget=3000}",
    "dwsep-gap8-pipeline{fusion=auto double-buffer=false cores=1}",
    "dwsep-gap8-pipeline{from=tosa fusion=auto}",
    "dwsep-gap8-pipeline{from=linalg fusion=none target=host}",
};

/// Inputs one context serves: attributes and types stay uniqued in a
/// context for its lifetime, so a long run would grow without bound.
constexpr unsigned kInputsPerContext = 2000;

std::unique_ptr<MLIRContext> &contextSlot() {
  static std::unique_ptr<MLIRContext> ctx;
  return ctx;
}

MLIRContext *context() {
  std::unique_ptr<MLIRContext> &ctx = contextSlot();
  if (!ctx) {
    DialectRegistry registry;
    dwsep::registerAllDialects(registry);
    ctx = std::make_unique<MLIRContext>(registry,
                                        MLIRContext::Threading::DISABLED);
    ctx->loadAllAvailableDialects();
    // Diagnostics are the expected outcome of most inputs.
    ctx->getDiagEngine().registerHandler(
        [](Diagnostic &) { return success(); });
  }
  return ctx.get();
}

/// FNV-1a of the input: picks the pipeline deterministically, so that a
/// saved input reproduces.
uint32_t hashOf(llvm::StringRef s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s)
    h = (h ^ c) * 16777619u;
  return h;
}

void runOn(ModuleOp module, llvm::StringRef pipeline) {
  OwningOpRef<ModuleOp> copy(module.clone());
  PassManager pm(context(), ModuleOp::getOperationName());
  std::string text = ("builtin.module(" + pipeline + ")").str();
  std::string error;
  llvm::raw_string_ostream errs(error);
  if (failed(parsePassPipeline(text, pm, errs))) {
    llvm::errs() << "dwsep-fuzz: bad pipeline " << text << ": " << error
                 << "\n";
    std::abort();
  }
  (void)pm.run(*copy);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  dwsep::registerAllPasses();
  (void)context();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static unsigned inputs = 0;
  if (++inputs % kInputsPerContext == 0)
    contextSlot().reset();
  // The MLIR lexer reads up to a terminating NUL: libFuzzer's buffer has
  // none, a std::string does.
  std::string text(reinterpret_cast<const char *>(data), size);
  llvm::StringRef input(text);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBuffer(input, "fuzz-input",
                                       /*RequiresNullTerminator=*/true),
      llvm::SMLoc());
  OwningOpRef<ModuleOp> module =
      dwsep::parseModuleChecked(sourceMgr, ParserConfig(context()));
  if (!module)
    return 0;
  constexpr size_t kNumPasses = std::size(kPasses);
  constexpr size_t kChoices = kNumPasses + std::size(kPipelines);
  static const bool all = std::getenv("DWSEP_FUZZ_ALL") != nullptr;
  for (size_t i = 0; i < kChoices; ++i) {
    size_t choice = all ? i : hashOf(input) % kChoices;
    runOn(*module, choice < kNumPasses ? kPasses[choice]
                                       : kPipelines[choice - kNumPasses]);
    if (!all)
      break;
  }
  return 0;
}
