"""ONNX Runtime as an oracle: runs an ONNX model with the npm package
onnxruntime-node under node (.ci/setup installs it into
<build>/onnxruntime; $DWSEP_ORT names another node_modules parent).

    outputs = dwsep.ort.run("model.onnx", {"x": x})    # list of numpy arrays
"""
import base64
import json
import os
import shutil
import subprocess

import numpy as np

from . import _SRC

_DTYPES = {"uint8": np.uint8, "int8": np.int8, "int32": np.int32, "float32": np.float32}
MISSING = ("ONNX Runtime not found (.ci/setup installs onnxruntime-node into "
           "build/onnxruntime; or set DWSEP_ORT): ONNX Runtime comparisons skipped")


def find(build=None):
    """The folder whose node_modules holds onnxruntime-node, or None."""
    for d in (os.environ.get("DWSEP_ORT"), build and os.path.join(build, "onnxruntime"),
              os.environ.get("DWSEP_BUILD") and os.path.join(os.environ["DWSEP_BUILD"],
                                                              "onnxruntime"),
              os.path.join(_SRC, "build", "onnxruntime")):
        if d and os.path.isdir(os.path.join(d, "node_modules", "onnxruntime-node")) \
                and shutil.which("node"):
            return d
    return None


def run(model, inputs, build=None, optimization="all"):
    """Runs `model` (a path) on `inputs` ({name: array}); returns the outputs
    in the model's order."""
    where = find(build)
    if not where:
        raise RuntimeError(MISSING)
    feeds = {}
    for name, x in inputs.items():
        x = np.ascontiguousarray(x)
        kind = next(k for k, v in _DTYPES.items() if x.dtype == v)
        feeds[name] = {"type": kind, "dims": list(x.shape),
                       "data": base64.b64encode(x.tobytes()).decode()}
    request = json.dumps({"model": os.path.abspath(model), "inputs": feeds,
                          "optimization": optimization})
    env = dict(os.environ, NODE_PATH=os.path.join(where, "node_modules"))
    r = subprocess.run(["node", os.path.join(os.path.dirname(__file__), "ort_runner.js")],
                       input=request, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise RuntimeError(f"ONNX Runtime failed on {model}:\n{r.stderr[-3000:]}")
    outputs = json.loads(r.stdout)["outputs"]
    return [np.frombuffer(base64.b64decode(t["data"]), _DTYPES[t["type"]]).reshape(t["dims"])
            for t in outputs.values()]
