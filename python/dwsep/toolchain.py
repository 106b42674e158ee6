"""The commands dwsep runs around its compiler: the riscv32 toolchain, QEMU,
the GAP8 virtual platform. The one place that knows them: dwsep.compile's
Compiled.run, bench/, the integration tests and lit.cfg.py use it.

  compile_network(net, prefix, pipeline) -> Compiled   dwsep.compile, files on disk
  link_sim(art, elf, seed)                 the sim runtime + generic harness
  run_qemu(elf) -> Run                     outputs, traffic, instructions
  link_gap8(art, elf, seed)                the bare-metal GAP8 runtime + harness
  build_gap8(net, prefix, pipeline)        compile + link for GAP8, the plan's L2
                                           shrunk until it fits beside the code
  find_gvsoc() / run_gvsoc(elf) -> Run     the GAP8 virtual platform, if installed:
                                           adds cluster cycles per layer, per core
(`art`: anything with .obj and .header paths and optionally .inputs, a header
defining the inputs the harness uses instead of its seeded generator.)
"""
import dataclasses
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

RV32_CC = ["riscv64-unknown-elf-gcc", "-march=rv32imc", "-mabi=ilp32",
           "--specs=picolibc.specs", "--crt0=semihost", "--oslib=semihost", "-O2",
           "-Wl,--defsym=__flash=0x80000000,--defsym=__flash_size=0x1800000,"
           "--defsym=__ram=0x81800000,--defsym=__ram_size=0x2000000"]
QEMU_RV32 = ["qemu-system-riscv32", "-M", "virt", "-display", "none", "-monitor", "none",
             "-serial", "none", "-bios", "none", "-chardev", "stdio,id=semi",
             "-semihosting-config", "enable=on,target=native,chardev=semi",
             "-icount", "shift=0", "-kernel"]
# The bare-metal GAP8 build: our own crt0 and linker script, picolibc's
# tinystdio on the virtual platform's debug print.
GAP8_CC = ["riscv64-unknown-elf-gcc", "-march=rv32imc", "-mabi=ilp32",
           "--specs=picolibc.specs", "-nostartfiles", "-O2"]
# DWSEP_HOST_CC overrides it: the sanitizer run of the lit suite builds the
# host e2e programs (harness, sim runtime, reference) with ASan+UBSan.
HOST_CC = shlex.split(os.environ.get("DWSEP_HOST_CC", "cc -O2"))


class ToolError(RuntimeError):
    pass


class L2Overflow(ToolError):
    """The GAP8 link found code, runtime, harness and the plan's L2 arena
    larger than L2, by `bytes`."""

    def __init__(self, message, overflow):
        super().__init__(message)
        self.overflow = overflow


def _run(cmd, stdout=None):
    r = subprocess.run(cmd, stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise ToolError(f"{shlex.join(cmd)} failed ({r.returncode}):\n{r.stderr[-3000:]}")
    return r.stdout


def find_tool(name, build=None):
    """dwsep tools from the build tree, LLVM tools from llvm-22, else PATH."""
    for d in ([os.path.join(build, "bin")] if build else []) + \
             [os.path.join(SRC, "build", "bin"), "/usr/lib/llvm-22/bin"]:
        p = os.path.join(d, name)
        if os.path.exists(p):
            return p
    return name


@dataclasses.dataclass
class Compiled:
    obj: str
    header: str
    report: dict
    compile_seconds: float
    stack: dict = dataclasses.field(default_factory=dict)  # entry -> {main, worker} bytes needed
    code_bytes: int = 0    # .text + .rodata of the object, without the L3 image


@dataclasses.dataclass
class Run:
    stdout: str
    results: dict          # "result0" (or "fn.result0") -> line
    traffic: dict          # entry -> {(direction, kind): bytes}
    transfers: int
    instructions: int
    layers: dict = dataclasses.field(default_factory=dict)   # entry -> [(name, cycles, instructions)]
    cluster: dict = dataclasses.field(default_factory=dict)  # entry -> {cycles, l3_copy_cycles, busy, stack}
    # GVSoC: entry -> {layer name: {event: count}}, summed over the cores
    # inside forks (LAYER_EVENTS; the runtime keeps the first 128 layers).
    layer_events: dict = dataclasses.field(default_factory=dict)
    # GVSoC: entry -> {layer name: {LAYER_CONTROL: count}}: the cluster
    # cycles between forks (core 0's control code, and its waits for
    # transfers, while the other cores sleep; L3 copies excluded), core 0's
    # instructions then, the cycles of its waits and of its transfer calls;
    # the cycles core 0 starts each fork late by; the prologue's and the
    # epilogue's part of the first count.
    layer_control: dict = dataclasses.field(default_factory=dict)


# The RI5CY performance counter events of runtime/gap8-bare, in its order.
LAYER_EVENTS = ("busy", "instructions", "load_stalls", "jump_stalls",
                "fetch_stalls", "tcdm_stalls")
# Core 0 between forks (runtime/gap8-bare, DWSEP_RT_GAP8_CONTROL_*): the
# cluster cycles, core 0's instructions, its waits for transfers and its
# dwsep_rt_dma_rows calls (L2<->L1); then, inside the forks, the cycles
# from waking the workers to core 0's own share (starting the recorded
# transfers), which the other cores wait for at the barrier; and of the
# cycles between forks, those before the layer's first fork (its prologue)
# and after its last (its epilogue).
LAYER_CONTROL = ("cycles", "instructions", "dma_wait_cycles", "issue_cycles",
                 "fork_start_cycles", "prologue_cycles", "epilogue_cycles")


@dataclasses.dataclass
class Artifacts:
    """What the harness links: the object, the header, optionally the inputs."""
    obj: str
    header: str
    inputs: str = None


def compile_network(net, prefix, pipeline="", build=None, target="riscv32", xpulpv2=False):
    """dwsep.compile (--dwsep-gap8-pipeline in-process, which also compiles
    the object and checks the stacks the code needs against the target's),
    with the artifacts written to PREFIX.{o,h,json,ll}. target: riscv32 (the
    cluster) or host (run natively). xpulpv2: the kernels use GAP8's XpulpV2
    instructions (for the GAP8 itself, GVSoC); without, plain RV32IMC (what
    QEMU runs)."""
    pipeline = f"{pipeline} xpulpv2={int(xpulpv2)}".strip()
    from . import compiler
    with open(net) as f:
        text = f.read()
    try:
        compiled = compiler.compile(text, codegen=target, options=pipeline, filename=net,
                                    build=build)
    except compiler.CompileError as e:
        raise ToolError(f"{net} does not compile (--dwsep-gap8-pipeline='{pipeline}'):\n{e}")
    files = compiled.write(os.path.dirname(prefix) or ".", os.path.basename(prefix))
    os.replace(files["report"], f"{prefix}.json")
    c = Compiled(files["obj"], files["header"], compiled.report.raw, compiled.compile_seconds)
    text = compiled.header
    c.stack = {e: {"main": int(m), "worker": int(w)} for e, m, w in re.findall(
        r"#define DWSEP_(\w+)_STACK_NEED_MAIN (\d+)\n#define DWSEP_\w+_STACK_NEED_WORKER (\d+)",
        text)}
    if target == "riscv32":
        image = header_define(c.header, "DWSEP_L3_IMAGE_SIZE")
        sizes = _run([find_tool("llvm-size"), "-A", c.obj])
        code = sum(int(n) for sec, n in re.findall(r"^(\.text\S*|\.rodata\S*|\.srodata\S*)\s+(\d+)",
                                                     sizes, re.M))
        c.code_bytes = code - image
    return c


def _inputs(compiled):
    inputs = getattr(compiled, "inputs", None)
    return [f'-DDWSEP_INPUTS="{inputs}"'] if inputs else []


def link_sim(compiled, elf, seed=1, target="riscv32"):
    rt = os.path.join(SRC, "runtime")
    _run((RV32_CC if target == "riscv32" else HOST_CC) + ["-std=gnu99", f"-I{rt}/include", f"-I{rt}/ref/include",
                    f"-DDWSEP_SEED={seed}", f'-DDWSEP_NET_HEADER="{compiled.header}"'] + _inputs(compiled) + [
                    f"{rt}/sim/harness.c", f"{rt}/sim/dwsep_rt_sim.c", f"{rt}/ref/dwsep_ref.c",
                    compiled.obj, "-o", elf])


def parse_run(out):
    results, traffic, transfers, instructions = {}, {}, 0, 0
    layers, cluster, layer_events, layer_control = {}, {}, {}, {}
    for line in out.splitlines():
        m = re.match(r"(?:(\w+)\.)?layer (\d+) (\S+): cycles=(\d+) instructions=(\d+)"
                     r"(?: events=([\d,]+))?(?: control=([\d,]+))?", line)
        if m:
            layers.setdefault(m.group(1) or "", []).append(
                (m.group(3), int(m.group(4)), int(m.group(5))))
            if m.group(6):
                layer_events.setdefault(m.group(1) or "", {})[m.group(3)] = dict(
                    zip(LAYER_EVENTS, map(int, m.group(6).split(","))))
            if m.group(7):
                layer_control.setdefault(m.group(1) or "", {})[m.group(3)] = dict(
                    zip(LAYER_CONTROL, map(int, m.group(7).split(","))))
            continue
        m = re.match(r"(?:(\w+)\.)?cluster: cycles=(\d+) l3_copy_cycles=(\d+) busy=([\d,]+) stack=([\d,]+)", line)
        if m:
            cluster[m.group(1) or ""] = {
                "cycles": int(m.group(2)), "l3_copy_cycles": int(m.group(3)),
                "busy": [int(x) for x in m.group(4).split(",")],
                "stack": [int(x) for x in m.group(5).split(",")]}
            continue
        if "result" in line and ":" in line:
            results[line.split(":")[0]] = line
        m = re.match(r"(?:(\w+)\.)?traffic: (.*) transfers=(\d+) instructions=(\d+)", line)
        if m:
            entry = traffic.setdefault(m.group(1) or "", {})
            for d, act, w in re.findall(r"(\w+)=(\d+)\+(\d+)", m.group(2)):
                entry[(d, "act")] = int(act)
                entry[(d, "weights")] = int(w)
            transfers += int(m.group(3))
            instructions += int(m.group(4))
    return Run(out, results, traffic, transfers, instructions, layers, cluster, layer_events,
               layer_control)


def run_qemu(elf):
    return parse_run(_run(QEMU_RV32 + [elf]))


def run_host(exe):
    return parse_run(_run([exe]))


def header_define(header, name):
    with open(header) as f:
        m = re.search(rf"#define {name} (\d+)", f.read())
    if not m:
        raise ToolError(f"{header} does not define {name}")
    return int(m.group(1))


def link_gap8(compiled, elf, seed=1, events=False, shift=0):
    """The compiled network with the bare-metal GAP8 runtime (runtime/gap8-bare)
    and the generic harness; core stacks as the target reserved them. With
    `events`, the runtime also reads the cores' stall counters around every
    fork (Run.layer_events); that costs a few cycles per fork, so it is off
    when cycles are compared. `shift` (a multiple of 16) moves all code but
    the runtime's per-step section by that many bytes: another placement in
    the cluster's instruction cache, which alone moves a network's cycles by
    up to 4% (placements)."""
    rt = os.path.join(SRC, "runtime")
    main = header_define(compiled.header, "DWSEP_STACK_MAIN")
    worker = header_define(compiled.header, "DWSEP_STACK_WORKER")
    with open(compiled.header) as f:
        need = max((int(n) for n in re.findall(r"#define DWSEP_\w+_STACK_NEED_MAIN (\d+)",
                                                 f.read())), default=0)
    try:
        _run(GAP8_CC + ["-std=gnu99", f"-I{rt}/include", f"-I{rt}/ref/include", f"-I{rt}/gap8-bare",
                        "-DDWSEP_RT_GAP8_BARE"] + (["-DDWSEP_RT_GAP8_EVENTS"] if events else []) + [
                        '-DDWSEP_L1_ATTR=__attribute__((section(".l1")))',
                        '-DDWSEP_L3_ATTR=__attribute__((section(".l3")))',
                        f"-DDWSEP_SEED={seed}", f'-DDWSEP_NET_HEADER="{compiled.header}"'] + _inputs(compiled) + [
                        "-T", f"{rt}/gap8-bare/link.ld",
                        f"-Wl,--defsym=__dwsep_stack_main={main},--defsym=__dwsep_stack_worker={worker},"
                        f"--defsym=__dwsep_stack_need_main={need}"
                        + (f",--defsym=__dwsep_code_shift={shift}" if shift else ""),
                        f"{rt}/gap8-bare/crt0.S", f"{rt}/gap8-bare/dwsep_rt_gap8_bare.c",
                        f"{rt}/sim/harness.c", f"{rt}/ref/dwsep_ref.c", compiled.obj, "-o", elf])
    except ToolError as e:
        m = re.search(r"region `L2' overflowed by (\d+) bytes", str(e))
        if not m:
            raise
        raise L2Overflow(str(e), int(m.group(1))) from None


def _gap8_options(pipeline, l2, share):
    """`pipeline` with the l2-size and share-kernels build_gap8 settled on."""
    return " ".join(o for o in (pipeline, f"l2-size={l2}" if l2 else "",
                                f"share-kernels={share}" if share else "") if o)


def placements(n):
    """Code shifts (link_gap8) of `n` placements spread over the 1 KiB a
    GVSoC cluster cache way spans (64 sets of 16-byte lines)."""
    return [k * 1024 // n // 16 * 16 for k in range(n)]


def build_gap8(net, prefix, pipeline="", build=None, seed=1, events=False, attempts=6,
               shift=0):
    """The XpulpV2 GAP8 build of `net`, linked to PREFIX.elf. GAP8's 512 KB
    of L2 hold the code, the runtime, the harness and the plan's L2 arena;
    the compiler plans with the target's l2_size and does not know the
    rest. When the link overflows L2, the network is compiled again with
    less code first: kernels that differ in their output's channel count
    alone merged (`share-kernels=size`, which costs up to ~2% of cycles on
    GVSoC; not when the pipeline sets share-kernels itself); and while it
    still overflows L2 by N bytes, with `l2-size` = its L2 peak - N (rounded
    down to 1 KiB), so that the plan makes room (smaller weight groups,
    activations to L3), up to `attempts` compiles in all (a smaller L2
    means more bands and groups, so more code: MobileNetV1 1.0@224 needs 4
    plans). The link moves the code by `shift` bytes (link_gap8); it then
    fits for any smaller shift too. Returns the Compiled, with `l2_size`
    set to the l2-size that fitted (None: the target's) and `share_kernels`
    to the share-kernels it added (None: none)."""
    l2 = None
    share = None
    for _ in range(attempts):
        c = compile_network(net, prefix, _gap8_options(pipeline, l2, share), build,
                            xpulpv2=True)
        c.pipeline = pipeline
        c.l2_size = l2
        c.share_kernels = share
        try:
            link_gap8(c, prefix + ".elf", seed, events=events, shift=shift)
            return c
        except L2Overflow as e:
            if share is None and "share-kernels=" not in pipeline:
                share = "size"
                continue
            l2 = (c.report["l2_peak"] - e.overflow) // 1024 * 1024
            if l2 <= 0:
                raise
    raise ToolError(f"{net}: does not fit GAP8's L2 after {attempts} compiles "
                    f"(last l2-size={l2})")


def compile_alone(net, compiled, build=None):
    """The compile of the GAP8 build `compiled` (what build_gap8 returned:
    its l2-size and share-kernels) again, as `dwsep-opt
    --dwsep-gap8-pipeline` with the object in a process of its own: (wall
    seconds, peak resident memory in MB) of that process, the whole
    pipeline and the in-process llc, what issue budgets of compile time and
    memory are stated for."""
    options = _gap8_options(compiled.pipeline, compiled.l2_size, compiled.share_kernels)
    with tempfile.TemporaryDirectory(prefix="dwsep-alone-") as tmp:
        cmd = [find_tool("dwsep-opt", build), net,
               f"--dwsep-gap8-pipeline={options} xpulpv2=1 object={tmp}/net.o",
               "-o", os.devnull]
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        with proc.stderr:
            err = proc.stderr.read()
        # wait4, not wait: it returns the child's resource usage.
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise ToolError(f"{' '.join(cmd)} failed:\n{err.decode(errors='replace')}")
    # ru_maxrss is in KiB on Linux.
    return seconds, usage.ru_maxrss / 1024


# How GVSoC is found. dwsep never builds, ships or downloads it: the
# README says what an installation must provide.
GVSOC_ENV = "DWSEP_GVSOC"
GVSOC_RUNNER = "gvsoc-gap8"
GVSOC_MISSING = ("GVSoC not found (set DWSEP_GVSOC to a GAP8 runner, or put gvsoc-gap8 "
                 "on PATH; README: GAP8 virtual platform): GAP8 runs skipped")


def find_gvsoc():
    """A command that runs a bare-metal GAP8 ELF on GVSoC's gap8_revc model:
    `$DWSEP_GVSOC ELF` (or gvsoc-gap8 on PATH, or under /opt/gvsoc/bin),
    printing the debug output on stdout and exiting with the code the program
    wrote to CORESTATUS. None when there is none."""
    for p in (os.environ.get(GVSOC_ENV), shutil.which(GVSOC_RUNNER),
              os.path.join("/opt/gvsoc/bin", GVSOC_RUNNER)):
        if p and os.access(p, os.X_OK):
            return p
    return None


def run_gvsoc(elf, gvsoc=None):
    gvsoc = gvsoc or find_gvsoc()
    if not gvsoc:
        raise ToolError(GVSOC_MISSING)
    return parse_run(_run([gvsoc, elf]))


def static_traffic(report):
    """Per entry point, the report's bytes by (direction, kind)."""
    out = {}
    for layer in report["layers"]:
        acc = out.setdefault(layer.get("function", ""), {})
        for d, kinds in layer["bytes"].items():
            for k, v in kinds.items():
                acc[(d, k)] = acc.get((d, k), 0) + v
    return out


def traffic_mismatches(run, report):
    """Every runtime DMA counter of `run` that differs from the report:
    (entry, (direction, kind), counted, reported). An unnamed entry (a
    single-entry build) is compared with the report's first entry point."""
    static = static_traffic(report)
    out = []
    for entry, counted in run.traffic.items():
        want = static.get(entry, {}) if entry else next(iter(static.values()), {})
        for key, value in counted.items():
            if want.get(key, 0) != value:
                out.append((entry, key, value, want.get(key, 0)))
    return out


def interpret(net, seed=1, build=None):
    """The C reference's outputs (dwsep-interp), as result lines."""
    out = _run([find_tool("dwsep-interp", build), "--entry=*", f"--seed={seed}", net])
    return {l.split(":")[0]: l for l in out.splitlines() if "result" in l}
