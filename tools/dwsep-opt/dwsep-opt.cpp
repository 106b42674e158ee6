//===- dwsep-opt.cpp - The dwsep optimizer driver ---------------*- C++ -*-===//

#include "dwsep/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  dwsep::registerAllDialects(registry);
  dwsep::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "dwsep optimizer driver\n", registry));
}
