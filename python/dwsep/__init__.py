"""dwsep from Python: compile quantized MobileNet-style networks for the GAP8
cluster in-process, read the report, run the result in QEMU or on GVSoC.

    import dwsep
    c = dwsep.compile(open("net.mlir").read(), target="gap8", fusion="auto")
    c.llvm_ir, c.header, c.l3_image, c.object()    # the artifacts
    c.report.layers[0].bytes["l2_l1"]["act"]       # the typed report
    r = c.run([x], simulator="qemu")               # numpy outputs, counters

ONNX models go through dwsep.onnx (dwsep.compile accepts an onnx.ModelProto
or a .onnx path). Bad input raises dwsep.CompileError with the MLIR
diagnostics. `python3 -m dwsep compile ...` is the command line.

The native part (dwsep._dwsep, pybind11 over the C API in include/dwsep-c)
is built by CMake into <build>/python_packages/dwsep; it is found there
through $DWSEP_BUILD or the source tree's build/. dwsep.toolchain holds
the riscv32 / QEMU / GVSoC commands.
"""
import os as _os

_SRC = _os.path.dirname(_os.path.dirname(_os.path.dirname(_os.path.abspath(__file__))))


def _add_build(build):
    """Look for dwsep._dwsep in BUILD/python_packages/dwsep as well."""
    d = _os.path.join(_os.path.abspath(build), "python_packages", "dwsep")
    if _os.path.isdir(d) and d not in __path__:
        __path__.insert(0, d)


for _b in (_os.environ.get("DWSEP_BUILD"), _os.path.join(_SRC, "build")):
    if _b:
        _add_build(_b)

from .compiler import (  # noqa: E402
    CompileError, Compiled, Diagnostic, Layer, Report, RunResult, SimulatorMissing, compile)

__all__ = ["CompileError", "Compiled", "Diagnostic", "Layer", "Report", "RunResult",
           "SimulatorMissing", "compile"]
