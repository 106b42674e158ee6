"""dwsep.compile: the GAP8 pipeline in-process (the C API through dwsep._dwsep),
its artifacts, a typed report, and running the result.

Nothing here parses compiler output with regular expressions: the artifacts
and the diagnostics come back from the C API as values; only the header's
argument table (which the runtime reads too) and the harness' printed
counters are parsed.
"""
import dataclasses
import importlib
import json
import os
import re
import tempfile
import time

from . import toolchain

TARGETS = ("gap8", "gap9")
FUSIONS = ("none", "dw-pw", "pw-dw", "all", "auto")
INPUT_FORMATS = ("dwsep", "tosa", "linalg")
CODEGENS = ("riscv32", "host")
SIMULATORS = ("qemu", "gvsoc", "host")


@dataclasses.dataclass
class Diagnostic:
    severity: str
    file: str
    line: int
    column: int
    message: str

    def __str__(self):
        where = f"{self.file}:{self.line}:{self.column}: " if self.file else ""
        return f"{where}{self.severity}: {self.message}"


class CompileError(Exception):
    """The source does not compile; `diagnostics` are MLIR's, with locations."""

    def __init__(self, diagnostics):
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics) or "compilation failed")


class SimulatorMissing(toolchain.ToolError):
    """The requested simulator is not installed (GVSoC is optional)."""


def _error(message, file="", line=0):
    return CompileError([Diagnostic("error", file, line, 0, message)])


@dataclasses.dataclass
class Layer:
    """One tiled layer of the report (docs/cost-model.md)."""
    name: str
    function: str
    bytes: dict               # direction (l3_l2, l2_l1, l1_l2, l2_l3) -> {act, weights}
    predicted_cycles: int
    transfers: int
    l1_bytes: int
    tile: list                # [rows, channels], or [rows, channels, input channels] (K-tiled)
    measured_cycles: int = None   # from a GVSoC run (Report.with_measured)
    raw: dict = dataclasses.field(default_factory=dict, repr=False)

    @property
    def kind(self):
        """conv2d, depthwise, pointwise, fused, add, avgpool, linear, relayout."""
        return self.name.rsplit("_", 1)[0]

    @property
    def l2_l1_activation_bytes(self):
        """Activation bytes between L2 and L1, both directions (the paper's metric)."""
        return self.bytes["l2_l1"]["act"] + self.bytes["l1_l2"]["act"]


@dataclasses.dataclass
class Report:
    """--dwsep-report of the tiled network, typed."""
    layers: list
    predicted_cycles: int
    l2_peak: int
    l3_image: int
    l3_activations: int
    raw: dict = dataclasses.field(repr=False, default_factory=dict)

    @classmethod
    def from_json(cls, text):
        raw = json.loads(text)
        layers = [Layer(l["name"], l.get("function", ""), l["bytes"], l.get("predicted_cycles", 0),
                        l.get("transfers", 0), l.get("l1_bytes", 0), l.get("tile", []), raw=l)
                  for l in raw["layers"]]
        return cls(layers, raw.get("predicted_cycles", 0), raw.get("l2_peak", 0),
                   raw.get("l3_image", 0), raw.get("l3_activations", 0), raw)

    def bytes(self, direction, kind=None):
        """Total bytes of a direction (l3_l2, l2_l1, l1_l2, l2_l3), of one kind
        (act, weights) or both."""
        return sum(l.bytes[direction][k] for l in self.layers for k in l.bytes[direction]
                   if kind in (None, k))

    def with_measured(self, run):
        """A copy with each layer's measured cycles of a GVSoC run."""
        measured = {}
        for entry in run.layers.values():
            for name, cycles, _ in entry:
                measured[name] = cycles
        layers = [dataclasses.replace(l, measured_cycles=measured.get(l.name)) for l in self.layers]
        return dataclasses.replace(self, layers=layers)


@dataclasses.dataclass
class Arg:
    """One input or output of an entry point, from the header's table."""
    entry: str
    is_output: bool
    level: int
    offset: int
    bytes: int
    signed: bool
    shape: tuple

    @property
    def dtype(self):
        import numpy as np
        return np.int8 if self.signed else np.uint8


def parse_args(header):
    args = []
    for m in re.finditer(r'\{"(\w+)", (\d+), (\d+), (\d+), (\d+), (\d+), (\d+), \{([\d, ]+)\}\}',
                         header):
        rank = int(m.group(7))
        shape = tuple(int(x) for x in m.group(8).split(","))[:rank]
        args.append(Arg(m.group(1), m.group(2) == "1", int(m.group(3)), int(m.group(4)),
                        int(m.group(5)), m.group(6) == "1", shape))
    return args


@dataclasses.dataclass
class RunResult:
    outputs: list             # numpy arrays, one per output, in order
    traffic: dict             # {(direction, kind): bytes} counted by the runtime
    transfers: int
    instructions: int         # executed RV32 instructions (QEMU icount)
    layers: dict              # entry -> [(layer, cycles, instructions)]
    cluster: dict             # GVSoC: entry -> {cycles, l3_copy_cycles, busy, stack}
    stdout: str = dataclasses.field(repr=False, default="")


class Compiled:
    """The artifacts of one compilation."""

    def __init__(self, native, options, compile_seconds):
        self._llvm_ir = native["llvm_ir"]  # text, or a call that prints it
        self.header = native["header"]
        self.l3_image = native["l3_image"]
        self.report_json = native["report"]
        self.report = Report.from_json(self.report_json)
        self.options = options
        self.compile_seconds = compile_seconds
        self.warnings = [Diagnostic(*d) for d in native["diagnostics"]]
        self._object = native["object"]
        self.args = parse_args(self.header)
        self.codegen = "host" if "target=host" in options else "riscv32"

    @property
    def llvm_ir(self):
        """The LLVM IR text (printed at the first access)."""
        if callable(self._llvm_ir):
            self._llvm_ir = self._llvm_ir()
        return self._llvm_ir

    @property
    def uses_xpulpv2(self):
        """The kernels use GAP8's XpulpV2 instructions (the gap8 target's
        default; xpulpv2=0 in the options turns them off)."""
        return ".insn r" in self.llvm_ir

    def rv32imc(self):
        """The same compilation with plain RV32IMC kernels (what QEMU runs)."""
        if not self.uses_xpulpv2:
            return self
        text, name, build = self._source
        native = _native(build)
        opts = self.options + " xpulpv2=0"
        start = time.monotonic()
        result = native.compile(text, name, opts)
        if not result["ok"]:
            raise CompileError(Diagnostic(*d) for d in result["diagnostics"])
        c = Compiled(result, opts, time.monotonic() - start)
        c._source = self._source
        return c

    def object(self):
        """The relocatable object (in-process llc -O2 for the target)."""
        return self._object

    @property
    def inputs(self):
        return [a for a in self.args if not a.is_output]

    @property
    def outputs(self):
        return [a for a in self.args if a.is_output]

    def write(self, outdir, name="net"):
        """Writes NAME.ll, .o, .h, .l3.bin and .report.json into OUTDIR;
        returns the paths by kind (ll, obj, header, image, report)."""
        outdir = os.path.abspath(outdir)
        os.makedirs(outdir, exist_ok=True)
        p = lambda ext: os.path.join(outdir, name + ext)  # noqa: E731
        files = {"ll": (p(".ll"), self.llvm_ir), "obj": (p(".o"), self._object),
                 "header": (p(".h"), self.header), "image": (p(".l3.bin"), self.l3_image),
                 "report": (p(".report.json"), self.report_json)}
        for path, data in files.values():
            with open(path, "wb" if isinstance(data, bytes) else "w") as f:
                f.write(data)
        return {k: path for k, (path, _) in files.items()}

    def run(self, inputs=None, simulator="qemu", seed=1, workdir=None):
        """Links with the sim runtime (qemu, host) or the bare-metal GAP8
        runtime (gvsoc) and runs it. `inputs`: one array per input (shape and
        int8/uint8 as the header says) or None for the harness' seeded
        generator. Raises SimulatorMissing without GVSoC. The build goes to
        `workdir` if given, else to a temporary folder removed afterwards."""
        if workdir is None:
            with tempfile.TemporaryDirectory(prefix="dwsep-run-") as tmp:
                return self.run(inputs, simulator, seed, tmp)
        import numpy as np
        if simulator not in SIMULATORS:
            raise ValueError(f"simulator must be one of {SIMULATORS}, not {simulator!r}")
        if (simulator == "host") != (self.codegen == "host"):
            raise ValueError(f"code compiled for {self.codegen} cannot run on {simulator}")
        if simulator == "qemu" and self.uses_xpulpv2:
            # QEMU implements RV32IMC, not GAP8's XpulpV2: run the same
            # compilation with the plain kernels there.
            return self.rv32imc().run(inputs, simulator, seed, workdir)
        gvsoc = None
        if simulator == "gvsoc":
            gvsoc = toolchain.find_gvsoc()
            if not gvsoc:
                raise SimulatorMissing(toolchain.GVSOC_MISSING)
        files = self.write(workdir)
        art = toolchain.Artifacts(files["obj"], files["header"])
        if inputs is not None:
            if isinstance(inputs, np.ndarray):
                inputs = [inputs]
            art.inputs = os.path.join(workdir, "inputs.h")
            self._write_inputs(list(inputs), art.inputs)
        elf = os.path.join(workdir, "net.elf")
        if simulator == "gvsoc":
            toolchain.link_gap8(art, elf, seed)
            run = toolchain.run_gvsoc(elf, gvsoc)
        else:
            toolchain.link_sim(art, elf, seed, self.codegen)
            run = (toolchain.run_qemu if simulator == "qemu" else toolchain.run_host)(elf)
        if "runtime errors" in run.stdout:
            raise toolchain.ToolError(f"the runtime reported errors:\n{run.stdout[-2000:]}")
        outputs = []
        entry = self.outputs[0].entry if self.outputs else ""
        for i, arg in enumerate(a for a in self.outputs if a.entry == entry):
            line = run.results.get(f"result{i}") or run.results.get(f"{entry}.result{i}")
            values = [int(v) for v in line.split("[", 1)[1].rstrip("]").split(",") if v.strip()]
            outputs.append(np.array(values, dtype=arg.dtype).reshape(arg.shape))
        traffic = next(iter(run.traffic.values()), {})
        return RunResult(outputs, traffic, run.transfers, run.instructions, run.layers,
                         run.cluster, run.stdout)

    def _write_inputs(self, inputs, path):
        import numpy as np
        entries = []
        for a in self.args:
            if a.entry not in entries:
                entries.append(a.entry)
        if len(entries) != 1:
            raise ValueError("inputs can be given for a module with one entry point only")
        want = self.inputs
        if len(inputs) != len(want):
            raise ValueError(f"{entries[0]} takes {len(want)} inputs, {len(inputs)} given")
        data = bytearray()
        for i, (x, a) in enumerate(zip(inputs, want)):
            x = np.asarray(x)
            if tuple(x.shape) != a.shape:
                raise ValueError(f"input {i}: shape {tuple(x.shape)}, the entry point takes "
                                 f"{a.shape} ({'int8' if a.signed else 'uint8'})")
            lo, hi = (-128, 127) if a.signed else (0, 255)
            if x.size and (x.min() < lo or x.max() > hi):
                raise ValueError(f"input {i}: values outside [{lo}, {hi}]")
            data += x.astype(a.dtype).tobytes()
        with open(path, "w") as f:
            f.write("#include <stdint.h>\nstatic const uint8_t dwsep_input0[] = {\n")
            for i in range(0, len(data), 32):
                f.write(",".join(str(b) for b in data[i:i + 32]) + ",\n")
            f.write("0};\nstatic const uint8_t *const dwsep_inputs[] = {dwsep_input0};\n")


def _native(build=None):
    if build:
        import dwsep
        dwsep._add_build(build)
    try:
        return importlib.import_module("dwsep._dwsep")
    except ImportError as e:
        raise ImportError(
            "dwsep's native extension (dwsep._dwsep) is not built: run .ci/setup (it needs "
            f"pybind11-dev) or set DWSEP_BUILD to the build directory ({e})") from None


def pipeline_options(target=None, fusion="auto", variant=None, cores=None,
                     input_format="dwsep", l1_budget=None, double_buffer=True,
                     codegen="riscv32", extra=""):
    """The --dwsep-gap8-pipeline options of these settings (`extra`, more
    options as text, wins over them); wrong values raise CompileError naming
    the setting and what it can be."""
    for name, value, allowed in (("target", target or "gap8", TARGETS),
                                 ("fusion", fusion, FUSIONS),
                                 ("input_format", input_format, INPUT_FORMATS),
                                 ("codegen", codegen, CODEGENS)):
        if value not in allowed:
            raise _error(f"{name}={value!r} is not one of {', '.join(allowed)}")
    opts = {"fusion": fusion, "from": input_format, "target": codegen}
    if target:
        opts["chip"] = target
    if variant:
        if not (variant == "unfused" or (str(variant).isdigit() and 1 <= int(variant) <= 7)):
            raise _error(f"variant={variant!r} is not 1-7 or 'unfused'")
        opts["variant"] = str(variant)
    if cores is not None:
        if int(cores) < 1:
            raise _error(f"cores={cores} must be at least 1")
        opts["cores"] = str(int(cores))
    if l1_budget is not None:
        opts["l1-budget"] = str(int(l1_budget))
    if not double_buffer:
        opts["double-buffer"] = "false"
    for token in extra.split():
        key, _, value = token.partition("=")
        opts[key] = value
    return " ".join(f"{k}={v}" for k, v in opts.items())


def _source_text(source, filename, rounding=None):
    """MLIR text and its name from MLIR text, a .mlir/.onnx path or an
    onnx.ModelProto (imported with `rounding`)."""
    onnx_kwargs = {} if rounding is None else {"rounding": rounding}
    if type(source).__name__ == "ModelProto":
        from . import onnx as donnx
        return donnx.import_model(source, **onnx_kwargs), filename or "model.onnx"
    if isinstance(source, os.PathLike) or (
            isinstance(source, str) and "\n" not in source and len(source) < 4096
            and source.endswith((".mlir", ".onnx"))):
        path = os.fspath(source)
        if not os.path.exists(path):
            raise _error(f"no such file: {path}")
        if path.endswith(".onnx"):
            from . import onnx as donnx
            return donnx.import_file(path, **onnx_kwargs), filename or path
        with open(path) as f:
            return f.read(), filename or path
    if not isinstance(source, str):
        raise TypeError("source must be MLIR text, a .mlir/.onnx path or an onnx.ModelProto")
    if rounding is not None:
        raise _error("rounding= applies to ONNX sources; an MLIR source states its rounding "
                     "in each #dwsep.requant")
    return source, filename or "<source>"


def compile(source, target=None, fusion="auto", variant=None, cores=None, input_format=None,
            l1_budget=None, double_buffer=True, codegen="riscv32", options="", filename=None,
            build=None, rounding=None):
    """Compiles a network for the cluster with --dwsep-gap8-pipeline, in-process.

    source: MLIR text (dwsep, TOSA or linalg on tensors), a path to a .mlir or
    .onnx file, or an onnx.ModelProto. target: gap8 or gap9, the target
    preset (default: the module's #dwsep.target, GAP8 if it has none); fusion: none, dw-pw, pw-dw, all or auto; variant: 1-7 or
    'unfused'; input_format: dwsep, tosa or linalg (default: guessed from the
    text); codegen: riscv32 (the cluster) or host; options: more
    --dwsep-gap8-pipeline options; rounding: for an ONNX source, "exact"
    (default) or "onnxruntime" (bit-exact with ONNX Runtime, dwsep.onnx).
    Returns Compiled; raises CompileError.
    """
    text, name = _source_text(source, filename, rounding)
    if input_format is None:
        input_format = ("tosa" if "tosa." in text else "linalg" if "linalg." in text
                        else "dwsep")
    opts = pipeline_options(target, fusion, variant, cores, input_format, l1_budget, double_buffer,
                            codegen, options)
    native = _native(build)
    start = time.monotonic()
    result = native.compile(text, name, opts)
    seconds = time.monotonic() - start
    if not result["ok"]:
        raise CompileError(Diagnostic(*d) for d in result["diagnostics"])
    c = Compiled(result, opts, seconds)
    c._source = (text, name, build)
    return c
