/*===- capi.c - An out-of-tree C user of the dwsep C API -----------------===*\
 *
 * Links dwsep::DwsepCAPI from the installed CMake package: registers the
 * dialects in its own context, parses a module, compiles it through the
 * GAP8 pipeline with dwsepCompileModule and prints the artifacts' sizes;
 * then compiles a broken module with dwsepCompileSource and prints its
 * diagnostics (test/Integration/out-of-tree-consumer.test).
\*===----------------------------------------------------------------------===*/

#include "dwsep-c/Compiler.h"
#include "dwsep-c/Dialects.h"

#include <stdio.h>
#include <stdlib.h>

static MlirStringRef str(const char *s) {
  return mlirStringRefCreateFromCString(s);
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *text = malloc((size_t)n + 1);
  text[fread(text, 1, (size_t)n, f)] = 0;
  fclose(f);
  return text;
}

static void printDiagnostics(DwsepCompilation c) {
  for (intptr_t i = 0; i < dwsepCompilationGetNumDiagnostics(c); ++i) {
    DwsepDiagnostic d = dwsepCompilationGetDiagnostic(c, i);
    printf("diagnostic %d %.*s:%u:%u: %.*s\n", (int)d.severity,
           (int)d.file.length, d.file.data, d.line, d.column,
           (int)d.message.length, d.message.data);
  }
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: dwsep-capi-consumer <file.mlir>\n");
    return 2;
  }
  char *text = slurp(argv[1]);
  if (!text)
    return 2;

  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  dwsepRegisterAllDialects(registry);
  MlirContext ctx = mlirContextCreateWithRegistry(registry, false);
  mlirDialectRegistryDestroy(registry);
  MlirModule module = mlirModuleCreateParse(ctx, str(text));
  if (mlirModuleIsNull(module))
    return 1;
  DwsepCompilation c = dwsepCompileModule(module, str("fusion=auto"));
  printf("module: ok %d, LLVM IR %s, header %s, object %s, report %s, image "
         "%zu B\n",
         dwsepCompilationSucceeded(c),
         dwsepCompilationGetLLVMIR(c).length ? "yes" : "no",
         dwsepCompilationGetHeader(c).length ? "yes" : "no",
         dwsepCompilationGetObject(c).length ? "yes" : "no",
         dwsepCompilationGetReport(c).length ? "yes" : "no",
         dwsepCompilationGetL3Image(c).length);
  printDiagnostics(c);
  dwsepCompilationDestroy(c);
  mlirModuleDestroy(module);
  mlirContextDestroy(ctx);

  c = dwsepCompileSource(
      str("module {\n  func.func @f() {\n    return %y : i32\n  }\n}\n"),
      str("broken.mlir"), str(""));
  printf("broken: ok %d\n", dwsepCompilationSucceeded(c));
  printDiagnostics(c);
  dwsepCompilationDestroy(c);
  c = dwsepCompileSource(str(text), str(argv[1]), str("report=r.json"));
  printDiagnostics(c);
  dwsepCompilationDestroy(c);
  free(text);
  return 0;
}
