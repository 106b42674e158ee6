//===- Dialects.cpp - C API of the dwsep dialect ----------------*- C++ -*-===//

#include "dwsep-c/Dialects.h"
#include "dwsep/Dialect/Dwsep/IR/DwsepDialect.h"
#include "dwsep/InitAll.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Registration.h"

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(Dwsep, dwsep, mlir::dwsep::DwsepDialect)

void dwsepRegisterAllDialects(MlirDialectRegistry registry) {
  dwsep::registerAllDialects(*unwrap(registry));
}

void dwsepRegisterAllPasses(void) {
  // The pass registry rejects a second registration of the same name.
  static bool once = [] {
    dwsep::registerAllPasses();
    return true;
  }();
  (void)once;
}
