"""Compile a dwsep network for the GAP8 cluster model and run it in QEMU.

The one place that knows the commands: bench/ and the integration tests
both use it.

  compile_network(net, prefix, pipeline) -> Compiled (object, header, report)
  link_sim(compiled, elf, seed)            the sim runtime + generic harness
  run_qemu(elf) -> Run                     outputs, traffic, instructions
"""
import dataclasses
import json
import os
import re
import shlex
import subprocess
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
LLC = {"riscv32": ["-O2", "-mtriple=riscv32-unknown-elf", "-mattr=+m,+c", "-filetype=obj"],
       "host": ["-O2", "-relocation-model=pic", "-filetype=obj"]}
HOST_CC = ["cc", "-O2"]


class ToolError(RuntimeError):
    pass


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


@dataclasses.dataclass
class Run:
    stdout: str
    results: dict          # "result0" (or "fn.result0") -> line
    traffic: dict          # entry -> {(direction, kind): bytes}
    transfers: int
    instructions: int


def compile_network(net, prefix, pipeline="", build=None, target="riscv32"):
    """--dwsep-gap8-pipeline, mlir-translate and llc; returns the object.
    target: riscv32 (the cluster, run in QEMU) or host (run natively)."""
    opts = f"header={prefix}.h report={prefix}.json report-format=json target={target}"
    if pipeline:
        opts = pipeline + " " + opts
    start = time.monotonic()
    _run([find_tool("dwsep-opt", build), net, f"--dwsep-gap8-pipeline={opts}",
          "-o", f"{prefix}.llvm.mlir"])
    seconds = time.monotonic() - start
    _run([find_tool("mlir-translate"), "--mlir-to-llvmir", f"{prefix}.llvm.mlir",
          "-o", f"{prefix}.ll"])
    _run([find_tool("llc")] + LLC[target] + [f"{prefix}.ll", "-o", f"{prefix}.o"])
    with open(f"{prefix}.json") as f:
        report = json.load(f)
    return Compiled(f"{prefix}.o", f"{prefix}.h", report, seconds)


def link_sim(compiled, elf, seed=1, target="riscv32"):
    rt = os.path.join(SRC, "runtime")
    _run((RV32_CC if target == "riscv32" else HOST_CC) + ["-std=gnu99", f"-I{rt}/include", f"-I{rt}/ref/include",
                    f"-DDWSEP_SEED={seed}", f'-DDWSEP_NET_HEADER="{compiled.header}"',
                    f"{rt}/sim/harness.c", f"{rt}/sim/dwsep_rt_sim.c", f"{rt}/ref/dwsep_ref.c",
                    compiled.obj, "-o", elf])


def parse_run(out):
    results, traffic, transfers, instructions = {}, {}, 0, 0
    for line in out.splitlines():
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
    return Run(out, results, traffic, transfers, instructions)


def run_qemu(elf):
    return parse_run(_run(QEMU_RV32 + [elf]))


def run_host(exe):
    return parse_run(_run([exe]))


def static_traffic(report):
    """Per entry point, the report's bytes by (direction, kind)."""
    out = {}
    for layer in report["layers"]:
        acc = out.setdefault(layer.get("function", ""), {})
        for d, kinds in layer["bytes"].items():
            for k, v in kinds.items():
                acc[(d, k)] = acc.get((d, k), 0) + v
    return out


def interpret(net, seed=1, build=None):
    """The C reference's outputs (dwsep-interp), as result lines."""
    out = _run([find_tool("dwsep-interp", build), "--entry=*", f"--seed={seed}", net])
    return {l.split(":")[0]: l for l in out.splitlines() if "result" in l}
