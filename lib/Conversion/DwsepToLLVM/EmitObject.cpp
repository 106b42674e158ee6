//===- EmitObject.cpp - In-process code generation for dwsep-to-llvm ------===//
//
// See EmitObject.h.
//
//===----------------------------------------------------------------------===//

#include "EmitObject.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Threading.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/ObjCopy/ConfigManager.h"
#include "llvm/ObjCopy/ObjCopy.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/LEB128.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Triple.h"

#include <cstdlib>
#include <map>

using namespace mlir;

/// {function: frame bytes} from the object's .stack_sizes section: each
/// entry is the function's address (in a relocatable ELF object, a
/// relocation against a section symbol plus an addend, or against the
/// function's own symbol) followed by the frame size as ULEB128.
static llvm::StringMap<uint64_t>
readFrames(const llvm::object::ObjectFile &obj) {
  llvm::StringMap<uint64_t> frames;
  // Functions by (section, address).
  std::map<std::pair<uint64_t, uint64_t>, llvm::StringRef> functions;
  for (const llvm::object::SymbolRef &sym : obj.symbols()) {
    llvm::Expected<llvm::object::SymbolRef::Type> type = sym.getType();
    llvm::Expected<llvm::object::section_iterator> sec = sym.getSection();
    llvm::Expected<uint64_t> addr = sym.getAddress();
    llvm::Expected<llvm::StringRef> name = sym.getName();
    if (!type || !sec || !addr || !name) {
      llvm::consumeError(type.takeError());
      llvm::consumeError(sec.takeError());
      llvm::consumeError(addr.takeError());
      llvm::consumeError(name.takeError());
      continue;
    }
    if (*type == llvm::object::SymbolRef::ST_Function &&
        *sec != obj.section_end())
      functions[{(*sec)->getIndex(), *addr}] = *name;
  }
  auto *elf = dyn_cast<llvm::object::ELFObjectFileBase>(&obj);
  if (!elf)
    return frames;
  for (const llvm::object::SectionRef &rel : obj.sections()) {
    llvm::Expected<llvm::object::section_iterator> target =
        rel.getRelocatedSection();
    if (!target) {
      llvm::consumeError(target.takeError());
      continue;
    }
    if (*target == obj.section_end())
      continue;
    llvm::Expected<llvm::StringRef> name = (*target)->getName();
    if (!name || *name != ".stack_sizes") {
      if (!name)
        llvm::consumeError(name.takeError());
      continue;
    }
    llvm::Expected<llvm::StringRef> contents = (*target)->getContents();
    if (!contents) {
      llvm::consumeError(contents.takeError());
      continue;
    }
    for (const llvm::object::RelocationRef &r : rel.relocations()) {
      uint64_t at = r.getOffset() + obj.getBytesInAddress();
      llvm::object::symbol_iterator sym = r.getSymbol();
      if (sym == obj.symbol_end() || at >= contents->size())
        continue;
      llvm::Expected<llvm::object::section_iterator> sec = sym->getSection();
      llvm::Expected<uint64_t> addr = sym->getAddress();
      llvm::Expected<int64_t> addend =
          llvm::object::ELFRelocationRef(r).getAddend();
      if (!sec || !addr || !addend || *sec == obj.section_end()) {
        if (!sec)
          llvm::consumeError(sec.takeError());
        if (!addr)
          llvm::consumeError(addr.takeError());
        if (!addend)
          llvm::consumeError(addend.takeError());
        continue;
      }
      auto fn = functions.find({(*sec)->getIndex(), *addr + *addend});
      if (fn == functions.end())
        continue;
      unsigned n = 0;
      const uint8_t *p = contents->bytes_begin() + at;
      frames[fn->second] = llvm::decodeULEB128(p, &n, contents->bytes_end());
    }
  }
  return frames;
}

/// The target machine of every code generation here: -O2, static code on
/// RISC-V (position-independent on hosts, which load the object into a
/// PIE), a stack-sizes section, one section per global.
static std::unique_ptr<llvm::TargetMachine>
createMachine(const llvm::Target &target, const llvm::Triple &triple,
              StringRef features, bool outline) {
  llvm::TargetOptions options;
  options.EmitStackSizeSection = true;
  options.DataSections = true;
  std::optional<llvm::Reloc::Model> reloc =
      triple.isRISCV() ? llvm::Reloc::Static : llvm::Reloc::PIC_;
  std::unique_ptr<llvm::TargetMachine> machine(
      target.createTargetMachine(triple, "", features, options, reloc,
                                 std::nullopt, llvm::CodeGenOptLevel::Default));
  // RISC-V outlines repeated sequences of minsize functions by default:
  // the entry points' call set-ups, a few bytes each, at the cost of a call
  // and a jump into shared code wherever they run (docs/design.md,
  // "Seventeenth session").
  if (machine)
    machine->setMachineOutliner(outline);
  return machine;
}

/// Translates `module` to LLVM IR and compiles it to a relocatable object
/// in `bytes`, or says why not in `error`.
static LogicalResult compileModule(ModuleOp module, const llvm::Target &target,
                                   const llvm::Triple &triple,
                                   StringRef features, bool outline,
                                   SmallVectorImpl<char> &bytes,
                                   std::string &error) {
  std::unique_ptr<llvm::TargetMachine> machine =
      createMachine(target, triple, features, outline);
  if (!machine)
    return error = "cannot create a target machine for '" + triple.str() + "'",
           failure();
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context);
  if (!llvmModule)
    return error = "translation to LLVM IR failed", failure();
  llvmModule->setDataLayout(machine->createDataLayout());
  llvmModule->setTargetTriple(triple);
  llvm::raw_svector_ostream os(bytes);
  llvm::legacy::PassManager pm;
  if (machine->addPassesToEmitFile(pm, os, nullptr,
                                   llvm::CodeGenFileType::ObjectFile))
    return error = "'" + triple.str() + "' cannot emit object files", failure();
  pm.run(*llvmModule);
  return success();
}

/// Where the LLVM tools are looked for first: $DWSEP_LLVM_TOOLS_DIR, else
/// the tools directory of the LLVM dwsep was built with.
static StringRef llvmToolsDir() {
  const char *dir = std::getenv("DWSEP_LLVM_TOOLS_DIR");
  return dir ? StringRef(dir) : StringRef(DWSEP_LLVM_TOOLS_DIR);
}

/// The LLVM tool `name` (ld.lld): in llvmToolsDir(), else on
/// PATH.
static std::optional<std::string> findLLVMTool(StringRef name) {
  StringRef dir = llvmToolsDir();
  if (llvm::ErrorOr<std::string> path =
          llvm::sys::findProgramByName(name, ArrayRef(dir)))
    return *path;
  if (llvm::ErrorOr<std::string> path = llvm::sys::findProgramByName(name))
    return *path;
  return std::nullopt;
}

namespace {
/// A temporary file, removed with this.
struct TempFile {
  llvm::SmallString<128> path;
  TempFile() = default;
  TempFile(const TempFile &) = delete;
  TempFile &operator=(const TempFile &) = delete;
  ~TempFile() {
    if (!path.empty())
      (void)llvm::sys::fs::remove(path);
  }
  LogicalResult create(StringRef suffix) {
    int fd;
    if (llvm::sys::fs::createTemporaryFile("dwsep", suffix, fd, path))
      return failure();
    (void)llvm::sys::Process::SafelyCloseFileDescriptor(fd);
    return success();
  }
};
} // namespace

/// Runs `argv` (argv[0] the program); on failure its stderr in `error`.
static LogicalResult runTool(ArrayRef<StringRef> argv, std::string &error) {
  TempFile err;
  if (failed(err.create("err")))
    return error = "cannot create a temporary file", failure();
  std::optional<StringRef> redirects[] = {std::nullopt, std::nullopt,
                                          StringRef(err.path)};
  std::string message;
  if (llvm::sys::ExecuteAndWait(argv[0], argv, std::nullopt, redirects, 0, 0,
                                &message) == 0)
    return success();
  error = (argv[0] + ": " + message).str();
  if (llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> text =
          llvm::MemoryBuffer::getFile(err.path))
    error += " " + (*text)->getBuffer().trim().str();
  return failure();
}

/// Below this many operations in its functions, a module is compiled in one
/// piece unless pieces are asked for.
constexpr int64_t kMinOpsInPieces = 4000;

static bool isLocal(LLVM::Linkage linkage) {
  return linkage == LLVM::Linkage::Private ||
         linkage == LLVM::Linkage::Internal;
}

/// The module compiled in `parts` pieces at once, on the MLIR context's
/// threads, each translated and compiled in its own LLVMContext: LLVM's code
/// generator, which is most of a compile's time (the entry points' control
/// code about half of it, the kernels the rest), runs on one thread. Each
/// piece takes consecutive functions of about equal size, the global
/// variables go to the lightest; each piece declares what
/// it uses from another, and every local symbol is global and hidden while
/// the pieces are apart. Each piece is built (cloned from the module) in
/// its own task too. `ld.lld -r` links the objects into one and LLVM's
/// objcopy library (`--localize-hidden`, in-process) makes those symbols
/// local again (the object's symbols stay as they were). nullopt, having
/// done nothing, where there is one function, or ld.lld is not there and
/// the pieces not `required`.
static std::optional<FailureOr<SmallVector<char, 0>>>
compileInParts(ModuleOp module, unsigned parts, bool required,
               const llvm::Target &target, const llvm::Triple &triple,
               StringRef features, bool outline) {
  SmallVector<LLVM::LLVMFuncOp> functions;
  for (auto f : module.getOps<LLVM::LLVMFuncOp>())
    if (!f.isExternal())
      functions.push_back(f);
  parts = std::min<unsigned>(parts, functions.size());
  if (parts < 2)
    return std::nullopt;
  auto size = [](LLVM::LLVMFuncOp f) {
    int64_t n = 0;
    f.walk([&](Operation *) { ++n; });
    return n;
  };
  SmallVector<std::pair<int64_t, unsigned>> sizes;
  int64_t total = 0;
  for (auto [i, f] : llvm::enumerate(functions)) {
    sizes.push_back({size(f), i});
    total += sizes.back().first;
  }
  // A small module compiles faster in one piece than the pieces are linked
  // (~0.1 s; MobileNetV1 0.25@128 has ~10 K operations and compiles 14%
  // faster in two).
  if (!required && total < kMinOpsInPieces)
    return std::nullopt;
  std::optional<std::string> lld = findLLVMTool("ld.lld");
  if (!lld) {
    if (!required)
      return std::nullopt;
    return FailureOr<SmallVector<char, 0>>(
        module.emitError() << "dwsep-to-llvm: compiling in " << parts
                           << " pieces needs ld.lld (looked for in '"
                           << llvmToolsDir()
                           << "' and on PATH); pieces=1 compiles in one");
  }
  // Consecutive functions to a piece, about total / parts operations each:
  // `ld.lld -r` lays the pieces out one after the other, so the object's
  // code is in the order of the one-piece object (on GVSoC, where a
  // function lies against the runtime's and the other kernels' code in the
  // instruction cache moved MobileNetV1 1.0@128 by 1.9% when the pieces
  // took the functions largest first).
  SmallVector<int64_t> load(parts, 0);
  llvm::StringMap<unsigned> pieceOf;
  int64_t before = 0;
  for (auto [n, i] : sizes) {
    unsigned p = std::min<int64_t>(parts - 1, (before + n / 2) * parts / total);
    pieceOf[functions[i].getSymName()] = p;
    load[p] += n;
    before += n;
  }
  unsigned lightest = llvm::min_element(load) - load.begin();

  // Piece p, built in its task: the module's attributes and top-level ops,
  // its own functions whole, the others declared, the globals' initializers
  // in the lightest piece only; every symbol global and hidden.
  auto buildPiece = [&](unsigned p) {
    OwningOpRef<ModuleOp> piece = ModuleOp::create(module.getLoc());
    (*piece)->setAttrs(module->getAttrDictionary());
    OpBuilder b = OpBuilder::atBlockEnd(piece->getBody());
    for (Operation &op : *module.getBody()) {
      if (auto f = dyn_cast<LLVM::LLVMFuncOp>(op)) {
        bool own = f.isExternal() || pieceOf.lookup(f.getSymName()) == p;
        auto copy = cast<LLVM::LLVMFuncOp>(
            own ? b.clone(op) : b.insert(op.cloneWithoutRegions()));
        if (isLocal(copy.getLinkage())) {
          copy.setLinkage(LLVM::Linkage::External);
          copy.setVisibility_(LLVM::Visibility::Hidden);
        }
        if (!own)
          copy.setLinkage(LLVM::Linkage::External);
      } else if (auto g = dyn_cast<LLVM::GlobalOp>(op)) {
        auto copy = cast<LLVM::GlobalOp>(
            p == lightest ? b.clone(op) : b.insert(op.cloneWithoutRegions()));
        if (isLocal(copy.getLinkage())) {
          copy.setLinkage(LLVM::Linkage::External);
          copy.setVisibility_(LLVM::Visibility::Hidden);
        }
        if (p != lightest) {
          copy.removeValueAttr();
          copy.setLinkage(LLVM::Linkage::External);
        }
      } else {
        b.clone(op);
      }
    }
    return piece;
  };

  SmallVector<SmallVector<char, 0>> objects(parts);
  SmallVector<std::string> errors(parts);
  LogicalResult compiled =
      failableParallelForEachN(module.getContext(), 0, parts, [&](size_t p) {
        OwningOpRef<ModuleOp> piece = buildPiece(p);
        return compileModule(*piece, target, triple, features, outline,
                             objects[p], errors[p]);
      });
  auto fail = [&](const Twine &why) -> FailureOr<SmallVector<char, 0>> {
    return module.emitError()
           << "dwsep-to-llvm: compiling in " << parts << " pieces: " << why;
  };
  if (failed(compiled))
    return fail(llvm::join(
        llvm::make_filter_range(errors, [](auto &e) { return !e.empty(); }),
        "; "));
  std::vector<TempFile> inputs(parts);
  TempFile linked;
  if (failed(linked.create("o")))
    return fail("cannot create a temporary file");
  SmallVector<StringRef> link = {*lld, "-r", "-o", linked.path};
  for (auto [file, bytes] : llvm::zip(inputs, objects)) {
    if (failed(file.create("o")))
      return fail("cannot create a temporary file");
    std::error_code ec;
    llvm::raw_fd_ostream os(file.path, ec);
    os.write(bytes.data(), bytes.size());
    os.close();
    if (ec || os.has_error())
      return fail("cannot write " + file.path);
    link.push_back(file.path);
  }
  std::string error;
  if (failed(runTool(link, error)))
    return fail(error);
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(linked.path);
  if (!buffer)
    return fail("cannot read " + linked.path);
  // The hidden symbols local again (what `llvm-objcopy --localize-hidden`
  // does), in-process.
  llvm::Expected<std::unique_ptr<llvm::object::Binary>> binary =
      llvm::object::createBinary((*buffer)->getMemBufferRef());
  if (!binary)
    return fail("cannot read the linked object: " +
                llvm::toString(binary.takeError()));
  llvm::objcopy::ConfigManager config;
  config.Common.InputFilename = linked.path;
  config.ELF.LocalizeHidden = true;
  SmallVector<char, 0> result;
  llvm::raw_svector_ostream os(result);
  if (llvm::Error e =
          llvm::objcopy::executeObjcopyOnBinary(config, **binary, os))
    return fail("cannot localize the hidden symbols: " +
                llvm::toString(std::move(e)));
  return result;
}

FailureOr<mlir::dwsep::CompiledObject>
mlir::dwsep::emitObject(ModuleOp module, StringRef tripleName,
                        StringRef features, bool outline, unsigned pieces) {
  static const bool initialized = [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    // The XpulpV2 kernels are inline assembly (.insn).
    llvm::InitializeAllAsmParsers();
    return true;
  }();
  (void)initialized;
  llvm::Triple triple(tripleName);
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return module.emitError() << "dwsep-to-llvm: no LLVM target for '"
                              << tripleName << "': " << error;

  CompiledObject result;
  std::optional<FailureOr<SmallVector<char, 0>>> inParts;
  if (pieces != 1)
    inParts = compileInParts(
        module,
        pieces ? pieces : std::min(4u, module.getContext()->getNumThreads()),
        /*required=*/pieces > 1, *target, triple, features, outline);
  if (inParts) {
    if (failed(*inParts))
      return failure();
    result.bytes = std::move(**inParts);
  } else if (failed(compileModule(module, *target, triple, features, outline,
                                  result.bytes, error))) {
    return module.emitError() << "dwsep-to-llvm: " << error;
  }
  llvm::MemoryBufferRef buffer(
      llvm::StringRef(result.bytes.data(), result.bytes.size()), "object");
  llvm::Expected<std::unique_ptr<llvm::object::ObjectFile>> obj =
      llvm::object::ObjectFile::createObjectFile(buffer);
  if (!obj)
    return module.emitError() << "dwsep-to-llvm: cannot read back the object: "
                              << llvm::toString(obj.takeError());
  result.frames = readFrames(**obj);
  return result;
}
