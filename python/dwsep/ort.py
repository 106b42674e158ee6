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
import tempfile

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


class Comparison:
    """Element counts of dwsep's outputs against ONNX Runtime's, in
    quantization steps (the integers of the quantized outputs)."""

    def __init__(self, name, ours, theirs):
        self.name = name
        diff = np.concatenate([np.abs(a.astype(np.int64) - b.astype(np.int64)).ravel()
                               for a, b in zip(ours, theirs)])
        self.elements = int(diff.size)
        self.exact = int((diff == 0).sum())
        self.off_by_one = int((diff == 1).sum())
        self.worse = int((diff > 1).sum())
        self.max_diff = int(diff.max(initial=0))

    @property
    def ok(self):
        """Every element within one step, at least 99.9% equal."""
        return self.worse == 0 and self.exact >= 0.999 * self.elements

    def __str__(self):
        return (f"{self.name}: {self.elements} elements, {self.exact} equal, "
                f"{self.off_by_one} off by one step, {self.worse} further "
                f"({100.0 * self.exact / max(self.elements, 1):.2f}% equal)")


def compare(model_path, seed=0, simulator="qemu", build=None, workdir=None,
            rounding="onnxruntime", **compile_kwargs):
    """Imports (with `rounding`, dwsep.onnx), compiles and runs `model_path`
    in `simulator` and in ONNX Runtime on the same random input; returns a
    Comparison of the quantized outputs."""
    import onnx as _onnx
    from . import compiler
    from .onnx import Importer, _NP, _RANGE

    model = _onnx.load(model_path)
    imp = Importer(model, model_path, rounding=rounding).run()
    name, q, was_float = imp.inputs[0]
    rng = np.random.default_rng(seed)
    lo, hi = _RANGE[q.etype]
    x = rng.integers(lo, hi + 1, size=q.onnx_shape).astype(_NP[q.etype])
    if was_float:
        # Values the model's QuantizeLinear maps back to exactly x.
        feed = ((x.astype(np.float32) - np.float32(q.zp)) * np.float32(q.scale)).astype(np.float32)
    else:
        feed = x
    theirs = run(model_path, {name: feed}, build)
    compiled = compiler.compile(imp.mlir, filename=model_path, build=build, **compile_kwargs)
    result = compiled.run(imp.to_dwsep([feed]), simulator=simulator, workdir=workdir)
    ours = imp.from_dwsep(result.outputs, dequantize=False)
    theirs_q = []
    for (oname, oq, deq), t in zip(imp.outputs, theirs):
        if deq:   # a float output: back to the integers it dequantized
            t = np.rint(t / np.float32(oq.scale)) + oq.zp
        theirs_q.append(np.asarray(t).reshape(oq.onnx_shape))
    return Comparison(os.path.basename(model_path), ours, theirs_q)


def compare_layers(model_path, seed=0, build=None, workdir=None, rounding="onnxruntime",
                   **compile_kwargs):
    """Each layer alone, on ONNX Runtime's own input to it: ONNX Runtime runs
    the whole model with every layer's output exposed, then each
    single-input layer is cut out (onnx.utils.Extractor), imported,
    compiled and run in QEMU on the input ONNX Runtime computed. Separates
    a layer's own rounding from what earlier layers' differences propagate.
    Returns one Comparison per layer (multi-input layers, the residual adds,
    are left out)."""
    import onnx as _onnx
    from onnx import helper, utils
    from . import compiler
    from .onnx import Importer, _NP, _RANGE

    model = _onnx.load(model_path)
    imp = Importer(model, model_path, rounding=rounding).run()
    layers = imp.layers()
    types = {"ui8": _onnx.TensorProto.UINT8, "i8": _onnx.TensorProto.INT8}
    known = {}
    for _, _, tensors in layers:
        known.update(tensors)
    # Types and shapes of every quantized tensor (not all of them are
    # inferred for com.microsoft ops), and every one of them an output.
    del model.graph.value_info[:]
    model.graph.value_info.extend(helper.make_tensor_value_info(n, types[t], list(s))
                                  for n, (s, t) in known.items())
    exposed = _onnx.ModelProto()
    exposed.CopyFrom(model)
    outputs = {o.name for o in model.graph.output}
    exposed.graph.output.extend(helper.make_tensor_value_info(n, types[t], list(s))
                                for n, (s, t) in known.items() if n not in outputs)
    workdir = workdir or tempfile.mkdtemp(prefix="dwsep-layers-")
    os.makedirs(workdir, exist_ok=True)
    full = os.path.join(workdir, "exposed.onnx")
    _onnx.save(exposed, full)
    name, q, was_float = imp.inputs[0]
    lo, hi = _RANGE[q.etype]
    x = np.random.default_rng(seed).integers(lo, hi + 1, size=q.onnx_shape).astype(_NP[q.etype])
    feed = ((x.astype(np.float32) - np.float32(q.zp)) * np.float32(q.scale)).astype(np.float32) \
        if was_float else x
    values = dict(zip([o.name for o in exposed.graph.output], run(full, {name: feed}, build)))
    extractor = utils.Extractor(model)
    results = []
    for i, (out, ins, tensors) in enumerate(layers):
        if len(ins) != 1 or ins[0] not in values:
            continue
        sub = extractor.extract_model(ins, [out])
        path = os.path.join(workdir, f"layer{i}.onnx")
        _onnx.save(sub, path)
        limp = Importer(sub, path, rounding=rounding).run()
        compiled = compiler.compile(limp.mlir, filename=path, build=build, **compile_kwargs)
        got = compiled.run(limp.to_dwsep([values[ins[0]]]), workdir=os.path.join(workdir, str(i)))
        ours = limp.from_dwsep(got.outputs, dequantize=False)
        results.append(Comparison(f"layer {i} ({out})", ours,
                                  [values[out].reshape(ours[0].shape)]))
    return results
