//===- DwsepExtension.cpp - The dwsep._dwsep Python module ------*- C++ -*-===//
//
// A thin pybind11 layer over the C API (include/dwsep-c/): one call that
// compiles MLIR text and returns the artifacts and diagnostics as Python
// values. Everything else (options, typed report, running) is Python, in
// python/dwsep/.
//
//===----------------------------------------------------------------------===//

#include "dwsep-c/Compiler.h"
#include "dwsep-c/Dialects.h"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>

namespace py = pybind11;

namespace {
std::string str(MlirStringRef s) { return std::string(s.data, s.length); }
py::bytes bytes(MlirStringRef s) { return py::bytes(s.data, s.length); }

const char *severityName(DwsepSeverity s) {
  switch (s) {
  case DwsepSeverityError:
    return "error";
  case DwsepSeverityWarning:
    return "warning";
  case DwsepSeverityNote:
    return "note";
  case DwsepSeverityRemark:
    return "remark";
  }
  return "error";
}

py::dict compile(const std::string &source, const std::string &filename,
                 const std::string &options) {
  DwsepCompilation c;
  {
    py::gil_scoped_release release;
    c = dwsepCompileSource({source.data(), source.size()},
                           {filename.data(), filename.size()},
                           {options.data(), options.size()});
  }
  py::dict result;
  py::list diagnostics;
  for (intptr_t i = 0, e = dwsepCompilationGetNumDiagnostics(c); i < e; ++i) {
    DwsepDiagnostic d = dwsepCompilationGetDiagnostic(c, i);
    diagnostics.append(py::make_tuple(severityName(d.severity), str(d.file),
                                      d.line, d.column, str(d.message)));
  }
  result["ok"] = dwsepCompilationSucceeded(c);
  result["diagnostics"] = diagnostics;
  result["header"] = str(dwsepCompilationGetHeader(c));
  result["report"] = str(dwsepCompilationGetReport(c));
  result["l3_image"] = bytes(dwsepCompilationGetL3Image(c));
  result["object"] = bytes(dwsepCompilationGetObject(c));
  // The LLVM IR text on demand (a call that keeps the compilation, and its
  // module, alive): printing it is a tenth of a large network's compile.
  std::shared_ptr<void> handle(
      c.ptr, [](void *p) { dwsepCompilationDestroy(DwsepCompilation{p}); });
  result["llvm_ir"] = py::cpp_function([handle]() {
    return str(dwsepCompilationGetLLVMIR(DwsepCompilation{handle.get()}));
  });
  return result;
}
} // namespace

PYBIND11_MODULE(_dwsep, m) {
  m.doc() = "dwsep's C API (include/dwsep-c) for the dwsep package";
  m.def("compile", &compile, py::arg("source"), py::arg("filename"),
        py::arg("options"),
        "Runs --dwsep-gap8-pipeline=<options> in-process on MLIR text; "
        "returns a dict of the artifacts and the diagnostics "
        "(severity, file, line, column, message).");
  m.def("register_passes", &dwsepRegisterAllPasses,
        "Registers dwsep's passes and pipelines with MLIR's pass registry.");
}
