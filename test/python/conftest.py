"""pytest setup for the dwsep Python package: the package from python/, the
native extension from $DWSEP_BUILD (default: build/), and a one-line skip
reason where an optional tool (GVSoC, ONNX Runtime) is missing."""
import os
import sys

import pytest

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(SRC, "python"))
sys.path.insert(0, os.path.join(SRC, "examples"))
BUILD = os.environ.get("DWSEP_BUILD", os.path.join(SRC, "build"))
os.environ.setdefault("DWSEP_BUILD", BUILD)

from dwsep import ort, toolchain  # noqa: E402


@pytest.fixture(scope="session")
def build():
    return BUILD


@pytest.fixture
def gvsoc():
    g = toolchain.find_gvsoc()
    if not g:
        pytest.skip(toolchain.GVSOC_MISSING)
    return g


@pytest.fixture(scope="session")
def onnxruntime():
    if not ort.find(BUILD):
        pytest.skip(ort.MISSING)
    return ort


def pytest_terminal_summary(terminalreporter):
    """The counts the ONNX tests collected (models, elements, exact, off by one)."""
    lines = getattr(sys.modules.get("dwsep_test_counts"), "LINES", [])
    if lines:
        terminalreporter.section("ONNX Runtime comparisons and ONNX node tests")
        for line in lines:
            terminalreporter.write_line(line)
