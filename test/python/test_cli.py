"""python3 -m dwsep compile, end to end: an ONNX block and an MLIR block,
the artifacts, the per-layer table, the plots; errors exit 1 with the
diagnostics."""
import os
import subprocess
import sys

import onnx

import onnx_mobilenet
from conftest import BUILD, SRC


def cli(*args):
    env = dict(os.environ, PYTHONPATH=os.path.join(SRC, "python"), DWSEP_BUILD=BUILD)
    return subprocess.run([sys.executable, "-m", "dwsep", *args], capture_output=True,
                          text=True, env=env)


def test_compile_onnx_with_plot(tmp_path):
    model = tmp_path / "block.onnx"
    onnx.save(onnx_mobilenet.build("v2-block", "qdq", size=8, channels=8), str(model))
    out = tmp_path / "out"
    r = cli("compile", str(model), "-o", str(out), "--target", "gap8", "--fusion", "auto",
            "--rounding", "onnxruntime", "--run", "qemu", "--plot")
    assert r.returncode == 0, r.stderr
    assert "rounding = float32" in (out / "block.mlir").read_text()
    for ext in (".ll", ".o", ".h", ".l3.bin", ".report.json", ".mlir", ".traffic.png"):
        assert (out / f"block{ext}").stat().st_size > 0, ext
    assert (out / "block.traffic.png").read_bytes()[:4] == b"\x89PNG"
    assert "[dwsep] compiling with fusion=auto" in r.stderr     # progress
    lines = r.stdout.splitlines()
    assert lines[0].startswith("block: 3 layers, fusion=auto")
    assert "L2<->L1 act" in lines[1] and "model cyc" in lines[1]
    assert any(l.split()[1].startswith("fused_") for l in lines[3:6])
    assert any(l.startswith("run: ") and "counted by the runtime" in l for l in lines)


def test_compile_mlir(tmp_path):
    net = os.path.join(SRC, "examples", "mobilenet_v1_block.mlir")
    r = cli("compile", net, "-o", str(tmp_path), "--fusion", "none")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "mobilenet_v1_block.o").exists()
    assert "fusion=none" in r.stdout.splitlines()[0]


def test_compile_error_exits_1_with_location(tmp_path):
    bad = tmp_path / "bad.mlir"
    bad.write_text("module {\n  func.func @f() {\n    return %y : i32\n  }\n}\n")
    r = cli("compile", str(bad), "-o", str(tmp_path / "out"))
    assert r.returncode == 1
    assert f"{bad}:3:12: error: use of undeclared SSA value name" in r.stderr
    assert "Traceback" not in r.stderr


def test_unsupported_onnx_node_exits_1(tmp_path):
    from onnx import helper
    g = helper.make_graph([helper.make_node("MaxPool", ["x"], ["y"], name="mp",
                                            kernel_shape=[2, 2])], "g",
                          [helper.make_tensor_value_info("x", onnx.TensorProto.UINT8, [1, 4, 4, 4])],
                          [helper.make_tensor_value_info("y", onnx.TensorProto.UINT8, None)])
    path = tmp_path / "mp.onnx"
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]), str(path))
    r = cli("compile", str(path), "-o", str(tmp_path / "out"))
    assert r.returncode == 1
    assert "node 'mp' (MaxPool): op type MaxPool is not supported" in r.stderr
