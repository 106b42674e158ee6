"""Where the ONNX tests leave their counts for conftest's summary."""
import sys
import types

_mod = sys.modules.setdefault("dwsep_test_counts", types.ModuleType("dwsep_test_counts"))
if not hasattr(_mod, "LINES"):
    _mod.LINES = []


def record(line):
    print(line)
    _mod.LINES.append(line)
