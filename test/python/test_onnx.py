"""ONNX import checked against ONNX Runtime (onnxruntime-node), the quantized
ONNX backend node tests of Debian's libonnx-testdata, and the importer's
errors. The counts are printed (pytest -s, and the summary at the end)."""
import glob
import os
import re

import numpy as np
import onnx
import pytest
from onnx import helper, numpy_helper

import dwsep
import onnx_mobilenet
from counts import record
from dwsep import onnx as donnx
from dwsep import ort


def save(model, tmp_path, name):
    path = str(tmp_path / f"{name}.onnx")
    onnx.save(model, path)
    return path


# --- blocks: every form, activation type and scale granularity --------------

@pytest.mark.parametrize("per_channel", [True, False], ids=["per-channel", "per-tensor"])
@pytest.mark.parametrize("act", ["uint8", "int8"])
@pytest.mark.parametrize("form", ["qdq", "qlinear"])
@pytest.mark.parametrize("network", ["v1-block", "v2-block"])
def test_block_against_onnxruntime(onnxruntime, build, tmp_path, network, form, act, per_channel):
    model = onnx_mobilenet.build(network, form, act, per_channel, seed=3, size=12, channels=16)
    name = f"{network}-{form}-{act}-{'pc' if per_channel else 'pt'}"
    c = ort.compare(save(model, tmp_path, name), seed=1, build=build)
    record(str(c))
    assert c.ok, c


# --- whole networks ----------------------------------------------------------

@pytest.mark.parametrize("form", ["qdq", "qlinear"])
def test_mobilenet_v2_035_96_against_onnxruntime(onnxruntime, build, tmp_path, form):
    model = onnx_mobilenet.build("v2", form, alpha=0.35, size=96)
    c = ort.compare(save(model, tmp_path, f"mobilenet-v2-0.35-96-{form}"), build=build)
    record(str(c))
    assert c.ok, c


@pytest.mark.parametrize("form", ["qdq", "qlinear"])
def test_mobilenet_v1_025_128_against_onnxruntime(onnxruntime, build, tmp_path, form):
    """End to end, the outputs of 28 layers in a row. Imported with
    rounding="onnxruntime" (ONNX Runtime's float32 requantization,
    docs/numerics.md 4.4) the network is bit-exact with ONNX Runtime. With the
    default exact rounding a layer's output differs by one step in about 1
    of 10^5 elements, and with these random weights such a step propagates
    and grows layer after layer: that is recorded, and what is checked then
    is every layer on ONNX Runtime's own input to it (within one step,
    >= 99.9% equal)."""
    path = save(onnx_mobilenet.build("v1", form, alpha=0.25, size=128), tmp_path,
                f"mobilenet-v1-0.25-128-{form}")
    c = ort.compare(path, build=build, rounding="onnxruntime")
    record(str(c) + " (end to end, rounding=onnxruntime)")
    assert c.elements == 1000
    assert c.ok and c.exact == c.elements, c
    exact = ort.compare(path, build=build, rounding="exact")
    record(str(exact) + " (end to end, rounding=exact)")
    layers = ort.compare_layers(path, build=build, workdir=str(tmp_path / "layers"),
                                rounding="exact")
    elements = sum(l.elements for l in layers)
    equal = sum(l.exact for l in layers)
    one = sum(l.off_by_one for l in layers)
    worse = sum(l.worse for l in layers)
    record(f"mobilenet-v1-0.25-128-{form}.onnx, rounding=exact, each of {len(layers)} layers on "
           f"ONNX Runtime's input: {elements} elements, {equal} equal, {one} off by one step, "
           f"{worse} further")
    assert all(l.ok for l in layers), [str(l) for l in layers if not l.ok]


def test_onnxruntime_rounding_is_float32():
    """rounding="onnxruntime" marks every convolution, Gemm and pooling
    requantization `rounding = float32`; the default leaves them exact; a
    wrong name, or rounding= on an MLIR source, is a CompileError."""
    model = onnx_mobilenet.build("v1", "qdq", alpha=0.25, size=32)
    ort_text = donnx.import_model(model, rounding="onnxruntime")
    requants = ort_text.count("requant <")
    assert requants > 10 and ort_text.count("rounding = float32") == requants
    assert "rounding" not in donnx.import_model(model)
    with pytest.raises(dwsep.CompileError, match="rounding 'nearest' is not one of exact, onnxruntime"):
        donnx.import_model(model, rounding="nearest")
    with pytest.raises(dwsep.CompileError, match="rounding= applies to ONNX sources"):
        dwsep.compile("func.func @f() { return }", rounding="onnxruntime")


# --- ONNX's backend node tests for the quantized ops -------------------------

NODE_TESTS = "/usr/share/libonnx-testdata/data/node"
QUANTIZED = ["qlinearconv", "qlinearmatmul", "convinteger", "matmulinteger",
             "quantizelinear", "dequantizelinear", "dynamicquantizelinear"]


def node_tests():
    dirs = sorted(d for d in glob.glob(os.path.join(NODE_TESTS, "test_*"))
                  if any(os.path.basename(d)[5:].startswith(q) for q in QUANTIZED))
    return dirs


@pytest.mark.skipif(not os.path.isdir(NODE_TESTS),
                    reason="libonnx-testdata not installed (.ci/setup installs it)")
def test_onnx_backend_node_tests(build, tmp_path):
    """Every quantized-op node test either imports, compiles and reproduces
    its expected output exactly, or is unsupported with the importer's
    reason (an UnsupportedNode, a CompileError): never a crash or a
    silent difference."""
    passed, unsupported = [], []
    for d in node_tests():
        name = os.path.basename(d)
        model = onnx.load(os.path.join(d, "model.onnx"))
        data = sorted(glob.glob(os.path.join(d, "test_data_set_0", "*.pb")))
        tensors = {}
        for p in data:
            t = onnx.TensorProto()
            with open(p, "rb") as f:
                t.ParseFromString(f.read())
            tensors[os.path.basename(p)] = numpy_helper.to_array(t)
        inputs = [tensors[k] for k in sorted(tensors) if k.startswith("input")]
        expected = [tensors[k] for k in sorted(tensors) if k.startswith("output")]
        # The tests feed weights, scales and zero points as graph inputs; a
        # deployment has them as constants: all inputs but the first become
        # initializers with the test's values.
        graph_inputs = list(model.graph.input)
        for i, x in zip(graph_inputs[1:], inputs[1:]):
            model.graph.initializer.append(numpy_helper.from_array(x, i.name))
            model.graph.input.remove(i)
        try:
            imp = donnx.Importer(model, name).run()
            c = dwsep.compile(imp.mlir, filename=name, build=build)
        except dwsep.CompileError as e:
            unsupported.append((name, str(e).split(": ", 2)[-1]))
            continue
        got = imp.from_dwsep(c.run(imp.to_dwsep(inputs[:1])).outputs)
        assert all(np.array_equal(g, e.reshape(g.shape)) for g, e in zip(got, expected)), name
        passed.append(name)
    record(f"ONNX node tests: {len(passed)} passed, {len(unsupported)} unsupported")
    for name in passed:
        record(f"  pass         {name}")
    for name, reason in unsupported:
        record(f"  unsupported  {name}: {reason}")
    assert len(passed) + len(unsupported) == len(node_tests()) > 0


# --- importer errors -----------------------------------------------------------

def tiny(nodes, inits, shape=(1, 4, 4, 4), elem=onnx.TensorProto.UINT8, out="y"):
    g = helper.make_graph(nodes, "tiny", [helper.make_tensor_value_info("x", elem, list(shape))],
                          [helper.make_tensor_value_info(out, onnx.TensorProto.UINT8, None)],
                          inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])


def test_unsupported_node_is_named():
    m = tiny([helper.make_node("MaxPool", ["x"], ["y"], name="pool1", kernel_shape=[2, 2])], [])
    with pytest.raises(dwsep.CompileError) as e:
        donnx.import_model(m, "tiny.onnx")
    assert isinstance(e.value, donnx.UnsupportedNode)
    assert e.value.node_name == "pool1" and e.value.op_type == "MaxPool"
    assert str(e.value) == ("tiny.onnx:1:0: error: node 'pool1' (MaxPool): op type MaxPool is "
                            "not supported by the dwsep importer")


def qlinearconv(w, group=1, **attrs):
    inits = [numpy_helper.from_array(np.asarray(v, dt), n) for n, v, dt in (
        ("xs", 0.5, np.float32), ("xz", 128, np.uint8), ("w", w, np.int8),
        ("ws", 0.01, np.float32), ("wz", 0, np.int8), ("ys", 0.25, np.float32),
        ("yz", 128, np.uint8))]
    node = helper.make_node("QLinearConv", ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz"], ["y"],
                            name="conv", group=group, **attrs)
    return tiny([node], inits)


@pytest.mark.parametrize("model, reason", [
    (lambda: qlinearconv(np.ones((4, 2, 3, 3)), group=2),
     "a grouped convolution with group = 2"),
    (lambda: qlinearconv(np.ones((4, 4, 3, 3)), dilations=[2, 2]),
     "dilations [2, 2] (only 1 is supported)"),
    (lambda: tiny([helper.make_node("ConvInteger", ["x", "w"], ["y"], name="ci")],
                  [numpy_helper.from_array(np.ones((4, 4, 1, 1), np.uint8), "w")]),
     "its output is the int32 accumulator itself"),
    (lambda: tiny([helper.make_node("Relu", ["x"], ["y"], name="r")], []),
     "Relu must follow a Conv"),
])
def test_importer_errors(model, reason):
    with pytest.raises(donnx.UnsupportedNode, match=re.escape(reason)):
        donnx.import_model(model(), "m.onnx")


def test_graph_errors():
    with pytest.raises(donnx.UnsupportedNode, match=r"has shape \(1, 16\)"):
        donnx.import_model(tiny([], [], shape=(1, 16)))
    with pytest.raises(donnx.UnsupportedNode, match="element type INT32"):
        donnx.import_model(tiny([], [], elem=onnx.TensorProto.INT32))


def test_compile_accepts_onnx(tmp_path):
    model = onnx_mobilenet.build("v1-block", "qlinear", size=8, channels=8)
    path = save(model, tmp_path, "block")
    for source in (model, path):
        c = dwsep.compile(source)
        assert [l.kind for l in c.report.layers] == ["fused"]


def test_requantization_fixed_point():
    for s in (np.float32(0.023765268), np.float32(1.5), np.float32(1e-9), np.float32(0.5)):
        m, sh = donnx.fixed_point(s)
        assert m * 2.0 ** -sh == float(s) and 0 <= sh <= 62 and m < 2 ** 31
    assert donnx.fixed_point(0.0) == (0, 0)


def transposed(perms):
    """A QLinear v1 block with Transposes of `perms` between its two convolutions."""
    model = onnx_mobilenet.build("v1-block", "qlinear", size=8, channels=8)
    nodes = list(model.graph.node)
    conv1 = nodes[0]
    src = conv1.output[0]
    glue = []
    for i, perm in enumerate(perms):
        glue.append(helper.make_node("Transpose", [src], [f"t{i}"], name=f"transpose{i}",
                                     perm=perm))
        src = f"t{i}"
    nodes[1].input[0] = src
    del model.graph.node[:]
    model.graph.node.extend([conv1] + glue + nodes[1:])
    return model


def test_transpose_pairs_are_glue(build, tmp_path, onnxruntime):
    path = save(transposed([[0, 2, 3, 1], [0, 3, 1, 2]]), tmp_path, "transposes")
    c = ort.compare(path, build=build)
    record(str(c) + " (Transpose NCHW->NHWC->NCHW between the convolutions)")
    assert c.ok, c


def test_lone_transpose_is_rejected():
    with pytest.raises(donnx.UnsupportedNode, match=r"node 'conv\d+' \(QLinearConv\): the Conv input "
                       r"has ONNX shape \(1, 8, 8, 8\) in an order other than N x C x H x W"):
        donnx.import_model(transposed([[0, 1, 3, 2]]))


@pytest.mark.parametrize("form", ["qdq", "qlinear"])
def test_flattened_map_classifier_against_onnxruntime(onnxruntime, build, tmp_path, form):
    """A 14 x 14 x 64 map flattened (Reshape / Flatten) into a Gemm /
    QLinearMatMul of 10 classes: the importer reorders the weights' columns
    from ONNX's C, H, W feature order to the map's bytes (H x W x C), and
    the 12,544-feature classifier (125 KB of weights: a full-K tile holds
    one channel and idles 7 cores) is tiled along its input features."""
    model = onnx_mobilenet.build("flat", form, seed=4, size=28)
    path = save(model, tmp_path, f"flat-{form}")
    c = ort.compare(path, build=build)
    record(str(c) + " (Flatten of a 14x14x64 map into a classifier)")
    assert c.ok, c
    tiles = [l.tile for l in dwsep.compile(path).report.layers if l.kind == "linear"]
    assert len(tiles) == 1 and len(tiles[0]) == 3, tiles


def test_reshape_of_a_spatial_tensor_is_rejected():
    model = transposed([])
    conv1, conv2 = model.graph.node[0], model.graph.node[1]
    model.graph.initializer.append(numpy_helper.from_array(np.array([1, 8, 4, 16], np.int64),
                                                           "shape"))
    reshape = helper.make_node("Reshape", [conv1.output[0], "shape"], ["r"], name="reshape")
    conv2.input[0] = "r"
    del model.graph.node[:]
    model.graph.node.extend([conv1, reshape, conv2])
    with pytest.raises(donnx.UnsupportedNode, match="node 'reshape' \\(Reshape\\): .* reorders "
                       "the bytes of an H x W x C activation"):
        donnx.import_model(model)


@pytest.mark.parametrize("network", ["v2-block", "flat"])
def test_block_on_gvsoc_against_onnxruntime(onnxruntime, gvsoc, build, tmp_path, network):
    """The same comparison with the bare-metal GAP8 runtime on GVSoC (given
    inputs): a MobileNetV2 block, and a flattened 14 x 14 x 64 map into a
    K-tiled classifier (XpulpV2 dot loops over slices of its features)."""
    model = (onnx_mobilenet.build("v2-block", "qlinear", seed=5, size=8, channels=8)
             if network == "v2-block" else onnx_mobilenet.build("flat", "qdq", seed=6, size=28))
    c = ort.compare(save(model, tmp_path, f"{network}-gvsoc"), seed=2, simulator="gvsoc",
                    build=build)
    record(str(c) + " (GVSoC)")
    assert c.ok, c
