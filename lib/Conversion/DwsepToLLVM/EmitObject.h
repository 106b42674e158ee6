//===- EmitObject.h - In-process code generation for dwsep-to-llvm -*- C++
//-*-===//
//
// Internal to --dwsep-to-llvm: compiles the lowered module to an object file
// in-process (what `mlir-translate | llc` did) and reads back the stack frame
// of every function, so that the compiler knows the stacks its code needs.
//
//===----------------------------------------------------------------------===//

#ifndef DWSEP_LIB_CONVERSION_DWSEPTOLLVM_EMITOBJECT_H
#define DWSEP_LIB_CONVERSION_DWSEPTOLLVM_EMITOBJECT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

namespace mlir::dwsep {

struct CompiledObject {
  llvm::SmallVector<char, 0> bytes;
  /// Stack frame of every function, in bytes (from .stack_sizes).
  llvm::StringMap<uint64_t> frames;
};

/// Translates `module` (LLVM dialect only) to LLVM IR and compiles it at -O2
/// for `triple` with `features` to a relocatable object, one section per
/// global (the linker script places the L3 image by name). LLVM's machine
/// outliner (which RISC-V runs on minsize functions: the entry points) only
/// with `outline`. Emits an error on the module and fails when the target is
/// unknown or code generation fails. With `pieces` > 1 (0: one a context
/// thread, at most 4, where ld.lld is found), in that many
/// pieces at once (EmitObject.cpp, compileInParts); an error where that
/// cannot be done.
FailureOr<CompiledObject> emitObject(ModuleOp module, llvm::StringRef triple,
                                     llvm::StringRef features, bool outline,
                                     unsigned pieces);

} // namespace mlir::dwsep

#endif // DWSEP_LIB_CONVERSION_DWSEPTOLLVM_EMITOBJECT_H
