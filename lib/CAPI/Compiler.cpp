//===- Compiler.cpp - C API: compile a network for GAP8 ---------*- C++ -*-===//
//
// The pipeline writes its artifacts to files (header=, object=, report=);
// the API points those at a private temporary directory, reads them back
// and removes it, so that the pipeline stays the one dwsep-opt runs.
//
//===----------------------------------------------------------------------===//

#include "dwsep-c/Compiler.h"
#include "dwsep/InitAll.h"
#include "dwsep/Pipelines/Pipelines.h"
#include "dwsep/Support/DenseInts.h"
#include "dwsep/Support/ParseInput.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <deque>
#include <memory>
#include <string>

using namespace mlir;

namespace {
struct Diag {
  DwsepSeverity severity;
  std::string file;
  unsigned line = 0, column = 0;
  std::string message;
};

struct Compilation {
  bool succeeded = false;
  // A deque: MlirStringRefs handed out point into the strings.
  std::deque<Diag> diagnostics;
  std::string llvmIR, header, image, object, report;
  // Only for dwsepCompileSource: the context the module was parsed in, and
  // the compiled module, whose LLVM IR text is printed when first asked for
  // (13.8 MB for MobileNetV1 1.0@224: translating and printing it again
  // took ~0.2 s of a ~1.7 s compilation, for an artifact most callers do
  // not read).
  std::unique_ptr<MLIRContext> context;
  OwningOpRef<ModuleOp> module;
  bool llvmIRPending = false;

  void error(StringRef message) {
    diagnostics.push_back({DwsepSeverityError, "", 0, 0, message.str()});
  }
};

/// The option names the API sets itself.
constexpr const char *kReserved[] = {"header", "object", "report",
                                     "report-format"};

DwsepSeverity severityOf(DiagnosticSeverity s) {
  switch (s) {
  case DiagnosticSeverity::Error:
    return DwsepSeverityError;
  case DiagnosticSeverity::Warning:
    return DwsepSeverityWarning;
  case DiagnosticSeverity::Note:
    return DwsepSeverityNote;
  case DiagnosticSeverity::Remark:
    return DwsepSeverityRemark;
  }
  return DwsepSeverityError;
}

/// The innermost file position of `loc` (through call sites, names and
/// fusions), if any.
std::optional<FileLineColLoc> fileLocation(Location loc) {
  std::optional<FileLineColLoc> found;
  loc->walk([&](Location l) {
    if (auto f = dyn_cast<FileLineColLoc>(l)) {
      found = f;
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return found;
}

void record(Compilation &c, Diagnostic &diag) {
  Diag d{severityOf(diag.getSeverity()), "", 0, 0, diag.str()};
  if (auto f = fileLocation(diag.getLocation())) {
    d.file = f->getFilename().str();
    d.line = f->getLine();
    d.column = f->getColumn();
  }
  c.diagnostics.push_back(std::move(d));
  for (Diagnostic &note : diag.getNotes())
    record(c, note);
}

bool readFile(StringRef path, std::string &out) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!buffer)
    return false;
  out = (*buffer)->getBuffer().str();
  return true;
}

/// The bytes of the L3 image global (`symbol`) that --dwsep-to-llvm packs.
std::string l3Image(ModuleOp module, StringRef symbol) {
  std::string bytes;
  auto global = module.lookupSymbol<LLVM::GlobalOp>(symbol);
  if (!global || !global.getValueOrNull())
    return bytes;
  if (auto dense = dyn_cast<DenseElementsAttr>(global.getValueOrNull())) {
    SmallVector<char> raw;
    mlir::dwsep::appendLittleEndian(dense, raw);
    bytes.assign(raw.begin(), raw.end());
  } else if (auto str = dyn_cast<StringAttr>(global.getValueOrNull())) {
    bytes = str.getValue().str();
  }
  return bytes;
}

/// The LLVM IR text of the compiled (LLVM dialect) module.
LogicalResult printLLVMIR(ModuleOp module, std::string &out) {
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return failure();
  llvm::raw_string_ostream os(out);
  llvmModule->print(os, nullptr);
  os.flush();
  return success();
}

/// Removes a directory and the files the pipeline wrote into it.
struct TempDir {
  SmallString<128> path;
  ~TempDir() {
    if (!path.empty())
      llvm::sys::fs::remove_directories(path);
  }
};

void run(Compilation &c, ModuleOp module, StringRef options) {
  MLIRContext *ctx = module.getContext();
  ScopedDiagnosticHandler handler(ctx, [&](Diagnostic &diag) {
    record(c, diag);
    return success();
  });

  // Reject what the API owns before the pipeline sees it, and every option
  // the pipeline does not know, by name (the option parser would only print
  // to stderr).
  for (StringRef rest = options.trim(); !rest.empty();) {
    auto [token, tail] = rest.split(' ');
    rest = tail.trim();
    StringRef key = token.split('=').first;
    if (key.empty())
      continue;
    for (const char *reserved : kReserved)
      if (key == reserved)
        return c.error(("pipeline option '" + key +
                        "' is set by the compiler API (its artifact is "
                        "returned, not written)")
                           .str());
  }
  auto parsed = mlir::dwsep::Gap8PipelineOptions::createFromString(options);
  if (!parsed)
    return c.error(("invalid --dwsep-gap8-pipeline options '" + options +
                    "' (known: chip, cores, from, fusion, variant, l1-budget, "
                    "double-buffer, features, target)")
                       .str());

  TempDir dir;
  if (llvm::sys::fs::createUniqueDirectory("dwsep-capi", dir.path))
    return c.error("cannot create a temporary directory for the artifacts");
  auto file = [&](StringRef name) {
    SmallString<128> p(dir.path);
    llvm::sys::path::append(p, name);
    return std::string(p.str());
  };
  std::string headerPath = file("net.h"), objectPath = file("net.o"),
              reportPath = file("report.json");
  parsed->header = headerPath;
  parsed->object = objectPath;
  parsed->report = reportPath;
  parsed->reportFormat = "json";

  PassManager pm(ctx, module->getName().getStringRef());
  mlir::dwsep::buildGap8Pipeline(pm, *parsed);
  if (failed(pm.run(module)))
    return;

  if (!c.module && failed(printLLVMIR(module, c.llvmIR)))
    return c.error("the compiled module does not translate to LLVM IR");
  c.llvmIRPending = (bool)c.module;

  if (!readFile(headerPath, c.header) || !readFile(objectPath, c.object) ||
      !readFile(reportPath, c.report))
    return c.error("the pipeline did not write its header, object or report");
  c.image = l3Image(module, parsed->imageSymbol);
  c.succeeded = true;
}

Compilation *unwrapC(DwsepCompilation c) {
  return static_cast<Compilation *>(c.ptr);
}

MlirStringRef toRef(const std::string &s) { return wrap(StringRef(s)); }
} // namespace

DwsepCompilation dwsepCompileSource(MlirStringRef source,
                                    MlirStringRef filename,
                                    MlirStringRef options) {
  auto *c = new Compilation;
  DialectRegistry registry;
  ::dwsep::registerAllDialects(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  c->context = std::make_unique<MLIRContext>(registry);
  // Diagnostics in program order, and no threads beside the caller's.
  c->context->disableMultithreading();
  // The diagnostic names the op by its location; the IR dump is noise here.
  c->context->printOpOnDiagnostic(false);

  ScopedDiagnosticHandler handler(c->context.get(), [&](Diagnostic &diag) {
    record(*c, diag);
    return success();
  });
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(unwrap(source), unwrap(filename)),
      llvm::SMLoc());
  OwningOpRef<ModuleOp> module =
      ::dwsep::parseModuleChecked(sourceMgr, ParserConfig(c->context.get()));
  if (!module) {
    if (c->diagnostics.empty())
      c->error("the source is not an MLIR module");
    return {c};
  }
  c->module = std::move(module);
  run(*c, *c->module, unwrap(options));
  return {c};
}

DwsepCompilation dwsepCompileModule(MlirModule module, MlirStringRef options) {
  auto *c = new Compilation;
  // As for a source: the location names the op, no IR dump in the message;
  // the caller's context gets its setting back.
  MLIRContext *ctx = unwrap(module)->getContext();
  bool printOp = ctx->shouldPrintOpOnDiagnostic();
  ctx->printOpOnDiagnostic(false);
  run(*c, unwrap(module), unwrap(options));
  ctx->printOpOnDiagnostic(printOp);
  return {c};
}

bool dwsepCompilationSucceeded(DwsepCompilation c) {
  return unwrapC(c)->succeeded;
}

intptr_t dwsepCompilationGetNumDiagnostics(DwsepCompilation c) {
  return unwrapC(c)->diagnostics.size();
}

DwsepDiagnostic dwsepCompilationGetDiagnostic(DwsepCompilation c,
                                              intptr_t index) {
  const Diag &d = unwrapC(c)->diagnostics[index];
  return {d.severity, toRef(d.file), d.line, d.column, toRef(d.message)};
}

MlirStringRef dwsepCompilationGetLLVMIR(DwsepCompilation c) {
  Compilation *comp = unwrapC(c);
  if (comp->llvmIRPending) {
    comp->llvmIRPending = false;
    if (failed(printLLVMIR(*comp->module, comp->llvmIR)))
      comp->llvmIR.clear();
  }
  return toRef(comp->llvmIR);
}
MlirStringRef dwsepCompilationGetHeader(DwsepCompilation c) {
  return toRef(unwrapC(c)->header);
}
MlirStringRef dwsepCompilationGetL3Image(DwsepCompilation c) {
  return toRef(unwrapC(c)->image);
}
MlirStringRef dwsepCompilationGetObject(DwsepCompilation c) {
  return toRef(unwrapC(c)->object);
}
MlirStringRef dwsepCompilationGetReport(DwsepCompilation c) {
  return toRef(unwrapC(c)->report);
}

void dwsepCompilationDestroy(DwsepCompilation c) { delete unwrapC(c); }
