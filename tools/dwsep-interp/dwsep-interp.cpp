//===- dwsep-interp.cpp - Run dwsep functions on the reference --*- C++ -*-===//
//
// Parses an MLIR file, evaluates functions with the reference interpreter
// (DwsepReference, which calls runtime/ref for every dwsep op) and prints
// each result as
//
//   [<function>.]result<i>: [v0, v1, ...]
//   [<function>.]result<i> fnv1a: 0x%08x
//
// Arguments are generated from --seed (docs/import.md gives the generator).
//
//===----------------------------------------------------------------------===//

#include "dwsep/InitAll.h"
#include "dwsep/Reference/Interpreter.h"
#include "dwsep/Support/ParseInput.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::opt<std::string>
    inputFilename(cl::Positional, cl::desc("<input file>"), cl::init("-"));
static cl::opt<std::string>
    entry("entry",
          cl::desc("Function(s) to evaluate, comma-separated (default: "
                   "'main', or the only function with a body; '*': every "
                   "function with a body, in order). With more than one, "
                   "result names are prefixed by '<function>.'"),
          cl::init(""));
static cl::opt<unsigned>
    seed("seed", cl::desc("Seed of the argument generator"), cl::init(1));
static cl::opt<bool> printValues("print-values",
                                 cl::desc("Print every element (default); "
                                          "false prints checksums only"),
                                 cl::init(true));

/// Evaluates `func` and prints its results; returns false on failure.
static bool run(func::FuncOp func, bool qualify) {
  FailureOr<SmallVector<mlir::dwsep::ref::Buffer>> args =
      mlir::dwsep::ref::generateArguments(func, seed);
  if (failed(args))
    return false;
  FailureOr<SmallVector<mlir::dwsep::ref::Buffer>> results =
      mlir::dwsep::ref::evaluate(func, *args);
  if (failed(results))
    return false;
  std::string prefix = qualify ? (func.getSymName() + ".").str() : "";
  for (auto [i, r] : llvm::enumerate(*results)) {
    if (printValues)
      llvm::outs() << prefix << "result" << i << ": " << r.formatValues()
                   << "\n";
    llvm::outs() << prefix << "result" << i
                 << " fnv1a: " << llvm::format("0x%08x", r.checksum()) << "\n";
  }
  return true;
}

int main(int argc, char **argv) {
  llvm::InitLLVM y(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "dwsep reference interpreter\n");
  DialectRegistry registry;
  ::dwsep::registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();

  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  std::string err;
  std::unique_ptr<llvm::MemoryBuffer> file = openInputFile(inputFilename, &err);
  if (!file) {
    llvm::errs() << "dwsep-interp: " << err << "\n";
    return 1;
  }
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module =
      ::dwsep::parseModuleChecked(sourceMgr, ParserConfig(&context));
  if (!module)
    return 1;

  SmallVector<func::FuncOp> funcs;
  if (entry == "*") {
    for (auto f : module->getOps<func::FuncOp>())
      if (!f.isExternal())
        funcs.push_back(f);
  } else if (!entry.empty()) {
    SmallVector<StringRef> names;
    StringRef(entry).split(names, ',', -1, /*KeepEmpty=*/false);
    for (StringRef name : names) {
      auto f = module->lookupSymbol<func::FuncOp>(name);
      if (!f) {
        llvm::errs() << "dwsep-interp: no function named '" << name << "'\n";
        return 1;
      }
      funcs.push_back(f);
    }
  } else {
    SmallVector<func::FuncOp> defined;
    for (auto f : module->getOps<func::FuncOp>())
      if (!f.isExternal())
        defined.push_back(f);
    func::FuncOp f = module->lookupSymbol<func::FuncOp>("main");
    if (!f && defined.size() == 1)
      f = defined.front();
    if (!f) {
      llvm::errs() << "dwsep-interp: " << defined.size()
                   << " functions and none is 'main'; use --entry\n";
      return 1;
    }
    funcs.push_back(f);
  }
  for (func::FuncOp f : funcs)
    if (!run(f, /*qualify=*/funcs.size() > 1))
      return 1;
  return 0;
}
