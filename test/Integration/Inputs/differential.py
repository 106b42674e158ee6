#!/usr/bin/env python3
"""Differential campaign: random configurations compiled, run, compared.

  differential.py --build BUILD --tmp DIR [--seed S] [--count N] [--jobs J]
                  [--gvsoc-every K] [--log FILE]

Each configuration is one module and one set of pipeline options, drawn
from the seed:
- a module of 1-3 random layers (test/Dialect/Dwsep/Transforms/Inputs/
  random_layers.py: every op kind and fused variant, odd shapes, both
  layouts) compiled as written (fusion=none), or
- a random network of 2-4 MobileNet V1/V2 blocks (examples/mobilenet.py's
  builders) compiled with a random fusion mode (none, auto, all, dw-pw,
  pw-dw) and, half of the time, a forced variant (1-7 or unfused);
over targets with 1-8 cores (gap8, sometimes gap9), L1 tile budgets from a
few KB to the whole L1, small L2 sizes that stream activations from L3,
double buffering on or off.

Every configuration either compiles and then runs in QEMU bit-exact against
the C reference with the runtime's DMA counters equal to the report (and on
GVSoC too, every K-th one that is an 8-core gap8 target, when GVSoC is
installed: the bare-metal runtime boots 8 cores), or is refused with a clean
diagnostic (exit code 1 and an `error:` line). Anything else (a crash of
dwsep-opt, a mismatch, a QEMU or link failure) is a failure: the script
prints it with the command to reproduce and exits 1. The checks are
e2e.py's (the lit end-to-end tests'), the commands python/dwsep/toolchain.py's.
"""
import argparse
import concurrent.futures
import json
import os
import random
import shlex
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(SRC, "python"))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(SRC, "test", "Dialect", "Dwsep", "Transforms", "Inputs"))
sys.path.insert(0, os.path.join(SRC, "examples"))
from dwsep import toolchain  # noqa: E402
import e2e  # noqa: E402
import mobilenet  # noqa: E402
import random_layers  # noqa: E402

FUSIONS = ["none", "auto", "all", "dw-pw", "pw-dw"]
VARIANTS = ["1", "2", "3", "4", "5", "6", "7", "unfused"]


def stacks(cores):
    return 3500 + (cores - 1) * 3400


def target_attr(chip, l1, cores, l2):
    fields = [f"l1_size = {l1}"] if l1 else []
    fields += [f"cores = {cores}"] if cores else []
    fields += [f"l2_size = {l2}"] if l2 else []
    return f'#dwsep.target<"{chip}"' + "".join(", " + f for f in fields) + ">"


def layers_config(rng, seed):
    cores = rng.randint(1, 8)
    l1 = rng.choice([stacks(cores) + rng.randint(1500, 8000), rng.randint(stacks(cores) + 6000, 65536),
                     65536])
    l2 = rng.choice([0, 0, 0, rng.choice([1536, 3000, 6000, 12000])])
    random_layers.RANDOM_WEIGHTS = True
    random_layers.EDGE_REQUANT = rng.random() < 0.25
    lrng = random.Random(seed)
    funcs = []
    for i in range(rng.randint(1, 3)):
        f = random_layers.layer(lrng, f"l{i}", l1 - stacks(cores))
        while l2 and (2 * random_layers.weight_bytes(f) > l2
                      or 2 * random_layers.activation_bytes(f) > 3 * l2):
            f = random_layers.layer(lrng, f"l{i}", l1 - stacks(cores))
        funcs.append(f)
    net = (f"module attributes {{dwsep.target = {target_attr('gap8', l1, cores, l2)}}} {{\n"
           + "\n".join(funcs) + "\n}\n")
    opts = ["fusion=none"]
    if rng.random() < 0.3:
        opts.append("double-buffer=false")
    return net, " ".join(opts), len(funcs), cores == 8


def network_config(rng, seed):
    """2-4 random V1 (DW->PW) or V2 (PW->DW->PW + add) blocks."""
    net = mobilenet.Net(seed)
    size = rng.randint(3, 14)
    c = rng.randint(2, 12)
    h = w = size
    x = "%x"
    in_t = mobilenet.Net.act(h, w, c)
    for _ in range(rng.randint(2, 4)):
        if rng.random() < 0.5:
            stride = rng.choice([1, 1, 2]) if h > 2 else 1
            x, h, w, c1 = net.depthwise(x, h, w, c, stride)
            x, h, w, c = net.pointwise(x, h, w, c, rng.randint(2, 16))
        else:
            e = c * rng.randint(1, 4)
            y, h, w, _ = net.pointwise(x, h, w, c, e)
            y, h, w, _ = net.depthwise(y, h, w, e, 1)
            y, h, w, _ = net.pointwise(y, h, w, e, c)
            x = net.add(y, x, h, w, c)
    out_t = mobilenet.Net.act(h, w, c)
    chip = "gap9" if rng.random() < 0.15 else "gap8"
    cores = rng.randint(1, 8)
    l2 = rng.choice([0, 0, 0, rng.choice([2000, 4000, 8000])])
    text = mobilenet.module("gap8", "net", in_t, out_t, net.lines, x)
    text = text.replace('#dwsep.target<"gap8">', target_attr(chip, 0, cores, l2), 1)
    opts = [f"fusion={rng.choice(FUSIONS)}"]
    if rng.random() < 0.5:
        opts.append(f"variant={rng.choice(VARIANTS)}")
    if rng.random() < 0.5:
        opts.append(f"l1-budget={rng.randint(2000, 30000)}")
    if rng.random() < 0.2:
        opts.append("double-buffer=false")
    return text, " ".join(opts), 1, chip == "gap8" and cores == 8


def make_config(seed):
    rng = random.Random(seed)
    if rng.random() < 0.5:
        kind, config = "layers", layers_config(rng, seed)
    else:
        kind, config = "network", network_config(rng, seed)
    return (kind,) + config


def run_one(seed, tmp, build, gvsoc):
    kind, net, opts, entries, gap8_like = make_config(seed)
    prefix = os.path.join(tmp, f"c{seed}")
    path = prefix + ".mlir"
    with open(path, "w") as f:
        f.write(net)
    result = {"seed": seed, "kind": kind, "pipeline": opts, "entries": entries}
    cmd = [sys.executable, os.path.join(HERE, "e2e.py"), path, "--tmp", prefix,
           "--build", build, "--pipeline", opts, "--seed", str(seed % 1000 + 1)]
    # The bare-metal GAP8 runtime boots all 8 cores with the gap8 preset's
    # stacks: only such targets link for GVSoC.
    if gvsoc and gap8_like:
        cmd.append("--gvsoc")
    start = time.monotonic()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    result["seconds"] = round(time.monotonic() - start, 2)
    out = r.stdout + r.stderr
    if r.returncode == 0 and "bit-exact" in r.stdout:
        result["status"] = "ok"
        result["gvsoc"] = "GVSoC GAP8: bit-exact" in r.stdout
    elif diagnosed(r.returncode, r.stderr):
        result["status"] = "diagnosed"
        result["diagnostic"] = next(l for l in r.stderr.splitlines() if "error:" in l)[:300]
    else:
        result["status"] = "FAIL"
        result["output"] = out[-3000:]
        result["reproduce"] = shlex.join(cmd)
    if result["status"] != "FAIL":
        for ext in (".mlir", ".o", ".h", ".json", ".llvm.mlir", ".elf", ".qemu", ".gap8.elf",
                    ".gvsoc"):
            try:
                os.remove(prefix + ext)
            except OSError:
                pass
    return result


def diagnosed(returncode, stderr):
    """The compiler refused the input cleanly: an error diagnostic and no
    crash (no stack dump, no LLVM ERROR, no signal). The compiler runs
    in-process (dwsep.compile), so e2e.py exits 1 with the diagnostics in
    toolchain's "does not compile" error; a crash kills it with a signal."""
    refused = "does not compile (--dwsep-gap8-pipeline=" in stderr or (
        os.path.basename(stderr.lstrip().split(" ", 1)[0]) == "dwsep-opt"
        and "failed (1)" in stderr)
    return (returncode == 1 and refused and "error:" in stderr
            and "Stack dump" not in stderr and "LLVM ERROR" not in stderr
            and "PLEASE submit" not in stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=None)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--seed", type=int, default=1, help="first configuration's seed")
    ap.add_argument("--count", type=int, default=20)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--gvsoc-every", type=int, default=0,
                    help="also run every K-th configuration on GVSoC when installed (0: never)")
    ap.add_argument("--log", default=None, help="append one JSON line per configuration")
    a = ap.parse_args()
    os.makedirs(a.tmp, exist_ok=True)
    if a.gvsoc_every and not toolchain.find_gvsoc():
        print(toolchain.GVSOC_MISSING)
    log = open(a.log, "a") if a.log else None
    counts = {"ok": 0, "diagnosed": 0, "FAIL": 0}
    gvsoc_runs = 0
    entries = 0
    start = time.monotonic()
    seeds = range(a.seed, a.seed + a.count)
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        futures = [pool.submit(run_one, s, a.tmp, a.build,
                               bool(a.gvsoc_every) and s % a.gvsoc_every == 0) for s in seeds]
        for f in futures:
            r = f.result()
            counts[r["status"]] += 1
            if r["status"] == "ok":
                entries += r["entries"]
                gvsoc_runs += r["gvsoc"]
            if log:
                log.write(json.dumps(r) + "\n")
                log.flush()
            if r["status"] == "FAIL":
                print(f"FAIL seed {r['seed']} ({r['kind']}, {r['pipeline']}):\n{r['output']}\n"
                      f"reproduce: {r['reproduce']}", flush=True)
    print(f"{a.count} configurations in {time.monotonic() - start:.0f} s: {counts['ok']} compiled "
          f"and bit-exact with traffic equal to the report ({entries} entry points, "
          f"{gvsoc_runs} also on GVSoC), {counts['diagnosed']} refused with a diagnostic, "
          f"{counts['FAIL']} failures")
    sys.exit(1 if counts["FAIL"] else 0)


if __name__ == "__main__":
    main()
