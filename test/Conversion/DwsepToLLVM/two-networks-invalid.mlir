// The L3 image's symbol (image-symbol=) is declared in C by the header and
// must not be another symbol of the module.
// RUN: not dwsep-opt %s --dwsep-to-llvm="image-symbol=2net" -o /dev/null 2>&1 | FileCheck %s --check-prefix=IDENT
// RUN: not dwsep-opt %s --dwsep-to-llvm="image-symbol=int" -o /dev/null 2>&1 | FileCheck %s --check-prefix=KEYWORD
// RUN: dwsep-opt %s --dwsep-to-llvm="image-symbol=f" -o /dev/null -verify-diagnostics
// IDENT: error: dwsep-to-llvm: image-symbol '2net' is not usable as a C name (a C identifier, not a keyword or main)
// KEYWORD: error: dwsep-to-llvm: image-symbol 'int' is not usable as a C name

// expected-error @below {{dwsep-to-llvm: image-symbol 'f' names an func.func of the module already}}
module {
  func.func @f() {
    return
  }
}
