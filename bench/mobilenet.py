#!/usr/bin/env python3
"""The main job: compile a MobileNet for GAP8, run it, print the table.

  bench/mobilenet.py [--network v1|v2|v1-block|v2-block] [--alpha A] [--size S]
                     [--configs "fusion=none,fusion=auto"] [--layers]
                     [--placements N] [--json FILE]

For each fusion setting, side by side in one run: compiles the network with
`dwsep-opt --dwsep-gap8-pipeline`, runs it in qemu-system-riscv32 on the
sim runtime, checks the outputs bit for bit against the C reference
(dwsep-interp) and the runtime's DMA counters against the compiler's
report, and prints the bytes moved per level, DMA transfers, executed RV32
instructions (QEMU icount), the modelled GAP8 cycles, memory use and
compile time (and that of the GAP8 build's compile again in a `dwsep-opt`
process of its own, with its peak memory), with the ratio to the first
setting (the layer-by-layer baseline).

When the GAP8 virtual platform is installed (python/dwsep/toolchain.py:
find_gvsoc), each build is also linked with the bare-metal GAP8 runtime and
run on it, bit-exact and with the same traffic, and the table adds the
measured cluster cycles (L3 copies, which are no HyperRAM timing, excluded),
MAC/cycle, the busiest and idlest core, and the deepest stack; --layers
prints modelled against measured cycles per layer; --placements N measures
each build with N placements of its code in the cluster's instruction
cache and reports their mean (one code placement against another moves a
network by up to 4%). Without it, one line says so and the table is QEMU's.
"""
import re
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "python"))
from dwsep import toolchain  # noqa: E402

ROWS = [
    ("L3->L2 weights (B)", lambda r: r["traffic"][("l3_l2", "weights")]),
    ("L3<->L2 activations (B)", lambda r: r["traffic"][("l3_l2", "act")] + r["traffic"][("l2_l3", "act")]),
    ("L2->L1 activations (B)", lambda r: r["traffic"][("l2_l1", "act")]),
    ("L2->L1 weights (B)", lambda r: r["traffic"][("l2_l1", "weights")]),
    ("L1->L2 activations (B)", lambda r: r["traffic"][("l1_l2", "act")]),
    ("L2<->L1 activations (B)", lambda r: r["traffic"][("l2_l1", "act")] + r["traffic"][("l1_l2", "act")]),
    ("DMA transfers", lambda r: r["transfers"]),
    ("executed instructions (QEMU)", lambda r: r["instructions"]),
    ("modelled GAP8 cycles", lambda r: r["cycles"]),
    ("layers", lambda r: r["layers"]),
    ("peak L2 (B)", lambda r: r["l2_peak"]),
    ("L3 image (B)", lambda r: r["l3_image"]),
    ("L3 activations (B)", lambda r: r["l3_activations"]),
    ("L2 the plan may use (B)", lambda r: r["l2_size"]),
    ("compile time (s)", lambda r: round(r["compile_s"], 2)),
    ("code bytes (.text+.rodata, no image)", lambda r: r["code_bytes"]),
    ("stack need core 0 / others (B)", lambda r: f"{r['stack']['main']}/{r['stack']['worker']}"),
    ("GAP8 build (XpulpV2) code bytes", lambda r: r["gap8_code_bytes"]),
    ("GAP8 build compile time (s)", lambda r: round(r["gap8_compile_s"], 2)),
    ("GAP8 build in dwsep-opt alone (s / peak MB)",
     lambda r: f"{r['alone'][0]:.2f} / {r['alone'][1]:.0f}"),
]
GVSOC_ROWS = [
    ("GVSoC cluster cycles", lambda r: r["gvsoc"]["cycles"]),
    ("  placements: min / max cycles",
     lambda r: f"{min(r['placements']):,}/{max(r['placements']):,}" if len(r["placements"]) > 1
     else "1 placement"),
    ("GVSoC MAC/cycle", lambda r: round(r["macs"] / r["gvsoc"]["cycles"], 3)),
    ("measured / modelled cycles", lambda r: round(r["gvsoc"]["cycles"] / r["cycles"], 2)),
    ("busiest / idlest core (cycles)", lambda r: f"{max(r['gvsoc']['busy'])}/{min(r['gvsoc']['busy'])}"),
    ("deepest stack core 0 / others (B)",
     lambda r: f"{r['gvsoc']['stack'][0]}/{max(r['gvsoc']['stack'][1:])}"),
    ("L3 copy cycles (excluded above)", lambda r: r["gvsoc"]["l3_copy_cycles"]),
]


def count_macs(net):
    """MACs of the network as written: every weighted op's output elements
    times its weight elements per output channel (dwsep.add and
    dwsep.avgpool, v2's residuals and the pool, count none)."""
    numel = lambda dims: eval("*".join(dims.split("x")[:-1]) or "1")
    macs = 0
    for m in re.finditer(r"dwsep\.(conv2d|depthwise|pointwise|linear) ins\(%\w+, %\w+, %\w+ : "
                         r"tensor<([\dx]+)x\w+>, tensor<([\dx]+)x\w+>, [^)]*\) outs\(%\w+ : "
                         r"tensor<([\dx]+)x\w+>", open(net).read()):
        out, w = m.group(4) + "x_", m.group(3) + "x_"
        macs += numel(out) * numel(w) // int(m.group(4).split("x")[-1])
    return macs


def write_network(path, network, alpha, size=None):
    """examples/mobilenet.py NETWORK --alpha ALPHA [--size SIZE] > PATH."""
    gen = [sys.executable, os.path.join(os.path.dirname(HERE), "examples", "mobilenet.py"),
           network, "--alpha", str(alpha)] + (["--size", str(size)] if size else [])
    with open(path, "w") as f:
        subprocess.run(gen, stdout=f, check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--network", default="v1", choices=["v1", "v2", "v1-block", "v2-block"])
    ap.add_argument("--alpha", default=None, help="width multiplier (v1: 0.25, v2: 0.35)")
    ap.add_argument("--size", default=None)
    ap.add_argument("--configs", default="fusion=none,variant=unfused,fusion=auto",
                    help="comma-separated --dwsep-gap8-pipeline settings to compare; "
                         "fusion=none: layer by layer as written (HWC, DORY-like); "
                         "variant=unfused: layer by layer with the layouts select-variant "
                         "picks; fusion=auto: fused where the cost model says so")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--build", default=None, help="build directory (default: build/)")
    ap.add_argument("--json", default=None, help="also write the numbers here")
    ap.add_argument("--layers", action="store_true",
                    help="with GVSoC: modelled against measured cycles for every layer, and "
                         "where each layer's core cycles go (the runtime reads the stall "
                         "counters around every fork then, which costs about 1%%)")
    ap.add_argument("--placements", type=int, default=1,
                    help="with GVSoC: link and run each configuration with N placements "
                         "of its code in the cluster's 4 KiB instruction cache (the code "
                         "after the runtime's per-step section moved by k * 1024 / N "
                         "bytes); the cycles are their mean (placement alone moves a "
                         "network by up to 4%%: docs/design.md, seventeenth session); "
                         "the per-layer table is placement 0's")
    a = ap.parse_args()
    shifts = toolchain.placements(max(1, a.placements))

    tmp = tempfile.mkdtemp(prefix="dwsep-bench-")
    net = os.path.join(tmp, f"{a.network}.mlir")
    a.alpha = a.alpha or ("0.35" if a.network == "v2" else "0.25")
    a.size = a.size or {"v1": "128", "v2": "96"}.get(a.network)
    write_network(net, a.network, a.alpha, a.size)
    expected = toolchain.interpret(net, a.seed, a.build)
    macs = count_macs(net)
    gvsoc = toolchain.find_gvsoc()
    if not gvsoc:
        print(toolchain.GVSOC_MISSING)

    runs = {}
    for fusion in a.configs.split(","):
        prefix = os.path.join(tmp, f"{a.network}-{fusion.replace('=', '-')}")
        # The GAP8 build first: it finds the L2 the plan may use next to
        # the code (toolchain.build_gap8); the QEMU build plans with the same.
        c8 = toolchain.build_gap8(net, prefix + ".gap8", fusion, a.build, a.seed,
                                  events=a.layers, shift=shifts[-1])
        pipeline = f"{fusion} l2-size={c8.l2_size}" if c8.l2_size else fusion
        c = toolchain.compile_network(net, prefix, pipeline, a.build)
        toolchain.link_sim(c, prefix + ".elf", a.seed)
        r = toolchain.run_qemu(prefix + ".elf")
        if r.results != expected:
            sys.exit(f"fusion={fusion}: outputs differ from the reference (see {prefix}.*)")
        bad = toolchain.traffic_mismatches(r, c.report)
        if bad:
            sys.exit(f"fusion={fusion}: runtime traffic != report (entry, counter, "
                     f"counted, reported): {bad}")
        traffic = next(iter(r.traffic.values()))
        runs[fusion] = {
            "traffic": traffic, "transfers": r.transfers, "instructions": r.instructions,
            "cycles": c.report["predicted_cycles"], "layers": len(c.report["layers"]),
            "l2_peak": c.report["l2_peak"], "l3_image": c.report["l3_image"],
            "l3_activations": c.report.get("l3_activations", 0),
            "compile_s": c.compile_seconds, "code_bytes": c.code_bytes,
            "stack": next(iter(c.stack.values())), "macs": macs,
            "l2_size": c8.l2_size or "target's",
            "gap8_code_bytes": c8.code_bytes, "gap8_compile_s": c8.compile_seconds,
            # The same compile in a process of its own: its time and memory.
            "alone": toolchain.compile_alone(net, c8, a.build),
        }
        if gvsoc:
            # The GAP8 build: the same pipeline with the XpulpV2 kernels,
            # linked once per placement (the last shift first: built with it).
            placed = []
            for shift in reversed(shifts):
                if shift != shifts[-1]:
                    toolchain.link_gap8(c8, prefix + ".gap8.elf", a.seed, events=a.layers,
                                        shift=shift)
                g = toolchain.run_gvsoc(prefix + ".gap8.elf", gvsoc)
                if g.results != expected:
                    sys.exit(f"fusion={fusion}: GVSoC outputs differ from the reference "
                             f"(see {prefix}.*)")
                if g.traffic != r.traffic:
                    sys.exit(f"fusion={fusion}: GVSoC traffic {g.traffic} != QEMU {r.traffic}")
                cl = next(iter(g.cluster.values()))
                # L3 transfers are copies inside L2 there: not HyperRAM timing.
                placed.append(cl["cycles"] - cl["l3_copy_cycles"])
            # g and cl are placement 0's (shift 0, run last).
            runs[fusion]["placements"] = placed[::-1]
            runs[fusion]["gvsoc"] = dict(cl, cycles=round(sum(placed) / len(placed)))
            modelled = {l["name"]: l["predicted_cycles"] for l in c.report["layers"]}
            events = next(iter(g.layer_events.values()), {})
            control = next(iter(g.layer_control.values()), {})
            runs[fusion]["layers_measured"] = [
                (name, modelled.get(name, 0), cycles, events.get(name), control.get(name))
                for name, cycles, _ in next(iter(g.layers.values()))]

    names = list(runs)
    title = {"v1": f"MobileNetV1 {a.alpha} @{a.size}", "v2": f"MobileNetV2 {a.alpha} @{a.size}",
             "v1-block": "MobileNetV1 block", "v2-block": "MobileNetV2 block"}[a.network]
    print(f"{title} for GAP8 (8 cores, 64 KiB L1), {macs:,} MACs; sim runtime in "
          f"qemu-system-riscv32" + ("; bare-metal GAP8 runtime on GVSoC (gap8_revc)" if gvsoc else ""))
    print("columns: " + "; ".join(f"{i + 1} = {n}" for i, n in enumerate(names)))
    print(f"outputs bit-exact against the C reference: yes ({len(expected) // 2} output tensors, "
          f"checksum {list(expected.values())[-1].split()[-1]}); runtime traffic == compiler report: yes")
    # Ratios: every setting against the first, and the last against the one
    # before it (with the defaults: fused vs unfused with the same layout
    # choices, the paper's comparison).
    pairs = [(i, 0) for i in range(1, len(names))]
    if len(names) > 2:
        pairs.append((len(names) - 1, len(names) - 2))
    head = f"{'':38}" + "".join(f"{n:>19}" for n in names)
    head += "".join(f"{'ratio %d/%d' % (i + 1, j + 1):>12}" for i, j in pairs)
    print(head)
    for label, get in ROWS + (GVSOC_ROWS if gvsoc else []):
        vals = [get(runs[n]) for n in names]
        line = f"{label:38}" + "".join(f"{v:>19,}" if isinstance(v, int) else f"{v:>19}" for v in vals)
        for i, j in pairs:
            if all(isinstance(v, (int, float)) for v in (vals[i], vals[j])):
                line += f"{(vals[i] / vals[j] if vals[j] else 0):>12.3f}"
        print(line)
    if gvsoc and a.layers:
        for n in names:
            print(f"\nper layer, {n}: modelled and measured (GVSoC) cluster cycles; where the "
                  f"cores' cycles went (RI5CY counters, 8 cores): idle = outside forks or waiting; "
                  f"of the busy cycles: instructions, load-use stalls, fetch stalls, TCDM "
                  f"contention, other (multi-cycle instructions, taken branches); then the "
                  f"cluster cycles between forks (core 0's control code while the other cores "
                  f"sleep), of them core 0's waits for transfers and its calls that record or "
                  f"start them (issue), and the cycles core 0 starts its fork shares late by, "
                  f"starting the recorded transfers while the others compute (fork start); "
                  f"of the cycles between forks, those before the layer's first fork "
                  f"(prologue: its first transfers waited for) and after its last "
                  f"(epilogue: the last write-back), % of measured")
            print(f"  {'':24}{'modelled':>12}{'measured':>12}{'ratio':>8}{'idle':>7}{'instr':>7}"
                  f"{'ld-use':>7}{'fetch':>7}{'tcdm':>7}{'other':>7}{'no fork':>9}{'wait':>7}"
                  f"{'issue':>7}{'fork start':>12}{'prologue':>10}{'epilogue':>10}")
            for name, model, meas, ev, ctl in runs[n]["layers_measured"]:
                line = f"  {name:24}{model:>12,}{meas:>12,}{meas / max(model, 1):>8.2f}"
                if ev:
                    total = max(8 * meas, 1)
                    parts = [total - ev["busy"], ev["instructions"], ev["load_stalls"],
                             ev["fetch_stalls"], ev["tcdm_stalls"],
                             ev["busy"] - ev["instructions"] - ev["load_stalls"]
                             - ev["fetch_stalls"] - ev["tcdm_stalls"] - ev["jump_stalls"]]
                    line += "".join(f"{100 * x / total:>6.0f}%" for x in parts)
                if ctl:
                    line += "".join(
                        f"{100 * ctl[k] / max(meas, 1):>{w}.0f}%"
                        for k, w in (("cycles", 8), ("dma_wait_cycles", 6),
                                     ("issue_cycles", 6), ("fork_start_cycles", 11),
                                     ("prologue_cycles", 9), ("epilogue_cycles", 9)))
                print(line)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({n: {k: (v if k != "traffic" else {f"{d}.{t}": b for (d, t), b in v.items()})
                           for k, v in r.items()} for n, r in runs.items()}, f, indent=2)


if __name__ == "__main__":
    try:
        main()
    except toolchain.ToolError as e:
        sys.exit(str(e))
