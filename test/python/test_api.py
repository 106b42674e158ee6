"""dwsep.compile: the artifacts, the typed report, running, and every
documented error path (CompileError with file:line and a useful message)."""
import os
import re
import subprocess
import sys

import numpy as np
import pytest

import dwsep
from dwsep import compiler, toolchain
from conftest import SRC


def network(kind="v1-block", *args):
    return subprocess.run([sys.executable, os.path.join(SRC, "examples", "mobilenet.py"), kind,
                           *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def block():
    return network("v2-block", "--size", "8", "--channels", "8", "--expand", "2")


@pytest.fixture(scope="module")
def compiled(block):
    return dwsep.compile(block, target="gap8", fusion="auto", filename="v2-block.mlir")


def test_artifacts(compiled):
    assert "define void @mobilenet_v2_block(" in compiled.llvm_ir
    assert 'target triple = "riscv32-unknown-elf"' in compiled.llvm_ir
    assert "#define DWSEP_NUM_ENTRIES 1" in compiled.header
    assert compiled.object()[:4] == b"\x7fELF"
    assert len(compiled.l3_image) == compiled.report.l3_image > 0
    assert [a.shape for a in compiled.inputs] == [(8, 8, 8)]
    assert [a.shape for a in compiled.outputs] == [(8, 8, 8)]


def test_typed_report(compiled):
    r = compiled.report
    assert [l.kind for l in r.layers] in (["pointwise", "fused", "add"],
                                          ["fused", "pointwise", "add"])
    assert all(l.function == "mobilenet_v2_block" for l in r.layers)
    assert r.predicted_cycles == sum(l.predicted_cycles for l in r.layers)
    assert r.bytes("l3_l2", "weights") == r.l3_image
    assert r.layers[0].l2_l1_activation_bytes == (r.layers[0].bytes["l2_l1"]["act"]
                                                  + r.layers[0].bytes["l1_l2"]["act"])


def test_fusion_none_moves_more(block, compiled):
    none = dwsep.compile(block, fusion="none")
    assert len(none.report.layers) == len(compiled.report.layers) + 1
    assert none.report.bytes("l2_l1", "act") > compiled.report.bytes("l2_l1", "act")


def test_write(compiled, tmp_path):
    files = compiled.write(tmp_path, "net")
    assert sorted(files) == ["header", "image", "ll", "obj", "report"]
    assert all(os.path.getsize(p) > 0 for p in files.values())


def test_run_qemu_matches_reference(compiled, block, tmp_path):
    net = tmp_path / "net.mlir"
    net.write_text(block)
    expected = toolchain.interpret(str(net))
    run = compiled.run(simulator="qemu")
    assert run.instructions > 0
    assert run.outputs[0].shape == (8, 8, 8) and run.outputs[0].dtype == np.uint8
    line = expected["result0"]
    want = [int(v) for v in line.split("[", 1)[1].rstrip("]").split(",")]
    assert run.outputs[0].ravel().tolist() == want
    # The runtime's counters agree with the report.
    assert run.traffic[("l2_l1", "act")] == compiled.report.bytes("l2_l1", "act")


def test_run_with_given_inputs(compiled):
    # The harness' seeded generator (docs/import.md), given explicitly, gives
    # the seeded run's outputs; another input gives others.
    state, data = 1, []
    for _ in range(8 * 8 * 8):
        state = (state * 1664525 + 1013904223) & 0xFFFFFFFF
        data.append(state >> 24)
    x = np.array(data, np.uint8).reshape(8, 8, 8)
    seeded = compiled.run(seed=1).outputs[0]
    given = compiled.run([x]).outputs[0]
    assert np.array_equal(seeded, given)
    other = compiled.run([np.zeros((8, 8, 8), np.uint8)]).outputs[0]
    assert not np.array_equal(other, given)


def test_run_host(block):
    c = dwsep.compile(block, codegen="host")
    assert c.run(simulator="host").outputs[0].shape == (8, 8, 8)


def test_run_gvsoc(compiled, gvsoc):
    qemu = compiled.run(simulator="qemu")
    g = compiled.run(simulator="gvsoc")
    assert np.array_equal(g.outputs[0], qemu.outputs[0])
    measured = compiled.report.with_measured(g)
    assert all(l.measured_cycles > 0 for l in measured.layers)


def test_gvsoc_layer_events(compiled, gvsoc, tmp_path):
    # The runtime's stall counters, per layer, only when linked with events.
    files = compiled.write(str(tmp_path))
    art = toolchain.Artifacts(files["obj"], files["header"])
    runs = {}
    for events in (False, True):
        elf = str(tmp_path / f"net{int(events)}.elf")
        toolchain.link_gap8(art, elf, events=events)
        runs[events] = toolchain.run_gvsoc(elf, gvsoc)
    assert runs[False].layer_events == {}
    assert runs[True].results == runs[False].results
    (entry, layers), = runs[True].layer_events.items()
    assert list(layers) == [name for name, _, _ in runs[True].layers[entry]]
    for name, ev in layers.items():
        assert set(ev) == set(toolchain.LAYER_EVENTS)
        assert 0 < ev["instructions"] < ev["busy"], name
        assert ev["instructions"] + ev["load_stalls"] + ev["tcdm_stalls"] <= ev["busy"], name
    # Every fork lies in a layer: the layers add up to the cores' busy cycles.
    assert sum(ev["busy"] for ev in layers.values()) == sum(runs[True].cluster[entry]["busy"])
    # Between forks: core 0's control code and its waits for transfers, a
    # part of each layer's cluster cycles (each layer issues transfers and
    # calls a kernel between its forks).
    assert runs[False].layer_control == {}
    (entry2, control), = runs[True].layer_control.items()
    assert entry2 == entry and list(control) == list(layers)
    cycles = {name: c for name, c, _ in runs[True].layers[entry]}
    for name, ctl in control.items():
        assert set(ctl) == set(toolchain.LAYER_CONTROL)
        assert 0 < ctl["instructions"] < ctl["cycles"] < cycles[name], name
        assert 0 <= ctl["dma_wait_cycles"] <= ctl["cycles"], name
        # Every layer records its input's transfers between forks; the
        # recorded ones start inside the forks.
        assert 0 < ctl["issue_cycles"] < ctl["cycles"] - ctl["dma_wait_cycles"], name
        assert 0 <= ctl["fork_start_cycles"] < cycles[name] - ctl["cycles"], name
        # Its prologue (up to the first fork: its first transfers waited
        # for) and epilogue (after the last) are parts of the cycles between
        # forks; every layer forks, and a tiled layer waits for its first
        # tile before it.
        assert 0 < ctl["prologue_cycles"], name
        assert 0 < ctl["epilogue_cycles"], name
        assert ctl["prologue_cycles"] + ctl["epilogue_cycles"] <= ctl["cycles"], name


def test_gap8_code_shift(compiled, tmp_path):
    # link_gap8's shift moves the code after the runtime's per-step section
    # (the network's functions, the harness, the cold runtime) and nothing
    # else: another placement of the same program in the instruction cache.
    files = compiled.write(str(tmp_path))
    art = toolchain.Artifacts(files["obj"], files["header"])
    addrs = {}
    for shift in (0, 256):
        elf = str(tmp_path / f"net{shift}.elf")
        toolchain.link_gap8(art, elf, shift=shift)
        out = subprocess.run(["riscv64-unknown-elf-nm", elf], check=True, capture_output=True,
                             text=True).stdout
        addrs[shift] = {sym: int(a, 16) for a, kind, sym in
                        (l.split() for l in out.splitlines() if len(l.split()) == 3)
                        if kind in "tT"}
    moved = {sym: addrs[256][sym] - addrs[0][sym] for sym in addrs[0]}
    assert moved["dwsep_rt_fork"] == 0 and moved["dwsep_rt_dma_rows"] == 0
    entry = next(sym for sym in moved if sym.startswith("__dwsep_k_"))
    assert moved[entry] == 256 and moved["main"] == 256
    assert toolchain.placements(4) == [0, 256, 512, 768]


def test_gvsoc_missing_is_one_clear_error(compiled, monkeypatch):
    monkeypatch.setattr(toolchain, "find_gvsoc", lambda: None)
    with pytest.raises(dwsep.SimulatorMissing, match="GVSoC not found"):
        compiled.run(simulator="gvsoc")


def test_bad_inputs(compiled):
    with pytest.raises(ValueError, match="shape"):
        compiled.run([np.zeros((4, 4, 8), np.uint8)])
    with pytest.raises(ValueError, match="takes 1 inputs"):
        compiled.run([np.zeros((8, 8, 8), np.uint8)] * 2)
    with pytest.raises(ValueError, match="simulator"):
        compiled.run(simulator="spike")


# --- error paths: CompileError with locations, never a crash --------------

def diag(excinfo):
    e = excinfo.value
    assert isinstance(e, dwsep.CompileError) and e.diagnostics
    return e.diagnostics[0]


def test_syntax_error_has_file_and_line():
    with pytest.raises(dwsep.CompileError) as e:
        dwsep.compile("module {\n  func.func @f() {\n    %x = arith.constant 1 : i32\n"
                      "    return %y : i32\n  }\n}\n", filename="bad.mlir")
    d = diag(e)
    assert (d.file, d.line) == ("bad.mlir", 4)
    assert "undeclared SSA value" in d.message
    assert str(e.value).startswith("bad.mlir:4:")


def test_verifier_error_has_location(block):
    bad = block.replace("tensor<16x8xi8>", "tensor<16x7xi8>", 1)
    with pytest.raises(dwsep.CompileError) as e:
        dwsep.compile(bad, filename="v2.mlir")
    d = diag(e)
    assert d.file == "v2.mlir" and d.line > 1 and d.severity == "error"


def test_pipeline_error_names_the_limit(block):
    with pytest.raises(dwsep.CompileError) as e:
        dwsep.compile(block, filename="v2.mlir", l1_budget=200)
    d = diag(e)
    assert d.file == "v2.mlir" and d.line > 1
    assert "L1 budget is 200 B" in d.message
    assert "see current operation" not in str(e.value)


@pytest.mark.parametrize("kwargs, message", [
    (dict(fusion="most"), "fusion='most' is not one of none, dw-pw, pw-dw, all, auto"),
    (dict(target="gap10"), "target='gap10' is not one of gap8, gap9"),
    (dict(variant="9"), "variant='9' is not 1-7 or 'unfused'"),
    (dict(cores=0), "cores=0 must be at least 1"),
    (dict(codegen="arm"), "codegen='arm' is not one of riscv32, host"),
    (dict(options="header=x.h"), "pipeline option 'header' is set by the compiler API"),
    (dict(options="no-such-option=1"), "invalid --dwsep-gap8-pipeline options"),
])
def test_bad_settings(block, kwargs, message):
    with pytest.raises(dwsep.CompileError, match=re.escape(message)):
        dwsep.compile(block, **kwargs)


def test_missing_file():
    with pytest.raises(dwsep.CompileError, match="no such file: /nonexistent.mlir"):
        dwsep.compile("/nonexistent.mlir")


def test_deep_nesting_is_a_diagnostic():
    # 20,000 nested brackets would overflow the parser's stack.
    deep = "module attributes {dwsep.a = " + "[" * 20000 + "]" * 20000 + "} {}\n"
    with pytest.raises(dwsep.CompileError) as e:
        dwsep.compile(deep, filename="deep.mlir")
    d = diag(e)
    assert (d.file, d.line, d.column) == ("deep.mlir", 1, 285)
    assert "input nests brackets deeper than 256 levels" in d.message


def test_not_a_module():
    with pytest.raises(dwsep.CompileError):
        dwsep.compile("this is not MLIR")


def test_pipeline_options_text():
    assert compiler.pipeline_options(target="gap9", fusion="none", cores=4, extra="fusion=auto") \
        == "fusion=auto from=dwsep target=riscv32 chip=gap9 cores=4"
