//===- EmitObject.cpp - In-process code generation for dwsep-to-llvm ------===//
//
// See EmitObject.h.
//
//===----------------------------------------------------------------------===//

#include "EmitObject.h"

#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/LEB128.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Triple.h"

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

FailureOr<mlir::dwsep::CompiledObject>
mlir::dwsep::emitObject(ModuleOp module, StringRef tripleName,
                        StringRef features, bool outline) {
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
  llvm::TargetOptions options;
  options.EmitStackSizeSection = true;
  options.DataSections = true;
  // Hosts load the object into a position-independent executable.
  std::optional<llvm::Reloc::Model> reloc =
      triple.isRISCV() ? llvm::Reloc::Static : llvm::Reloc::PIC_;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, "", features, options, reloc, std::nullopt,
      llvm::CodeGenOptLevel::Default));
  if (!machine)
    return module.emitError() << "dwsep-to-llvm: cannot create a target "
                                 "machine for '"
                              << tripleName << "'";
  // RISC-V outlines repeated sequences of minsize functions by default:
  // the entry points' call set-ups, a few bytes each, at the cost of a call
  // and a jump into shared code wherever they run (docs/design.md,
  // "Seventeenth session").
  machine->setMachineOutliner(outline);

  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context);
  if (!llvmModule)
    return module.emitError() << "dwsep-to-llvm: translation to LLVM IR "
                                 "failed";
  llvmModule->setDataLayout(machine->createDataLayout());
  llvmModule->setTargetTriple(triple);

  CompiledObject result;
  {
    llvm::raw_svector_ostream os(result.bytes);
    llvm::legacy::PassManager pm;
    if (machine->addPassesToEmitFile(pm, os, nullptr,
                                     llvm::CodeGenFileType::ObjectFile))
      return module.emitError() << "dwsep-to-llvm: '" << tripleName
                                << "' cannot emit object files";
    pm.run(*llvmModule);
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
