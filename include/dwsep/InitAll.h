//===- InitAll.h - Register every dwsep dialect and pass --------*- C++ -*-===//
//
// The entry points an MLIR tool (dwsep-opt, or an IREE-style driver that
// links the Dwsep CMake package) calls to make dwsep available.
//
//===----------------------------------------------------------------------===//

#ifndef DWSEP_INITALL_H
#define DWSEP_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace dwsep {
/// Adds the dwsep dialect and the upstream dialects its pipelines produce.
void registerAllDialects(mlir::DialectRegistry &registry);
/// Registers every dwsep pass and pipeline with the global pass registry.
void registerAllPasses();
} // namespace dwsep

#endif // DWSEP_INITALL_H
