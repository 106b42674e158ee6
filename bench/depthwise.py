#!/usr/bin/env python3
"""The depthwise layers of a MobileNetV1 in both layouts, on GVSoC.

  bench/depthwise.py [--alpha A] [--size S] [--layouts hwc,chw] [--placements N]
                     [--layers depthwise_6,depthwise_11] [--events] [--json FILE]

Takes every `dwsep.depthwise` of examples/mobilenet.py's network (its
shape, stride, padding, weights and requantization as generated) and makes
one function per layer and layout: HWC as written (the layout fusion=none
runs), and CHW (the paper's depthwise layout: input and output permuted,
the same weights). Compiles them with `--dwsep-gap8-pipeline=fusion=none`
for GAP8 (XpulpV2), runs them on GVSoC, checks every output bit for bit
against the C reference (dwsep-interp) and the runtime's DMA counters
against the report, and prints each layer's cluster cycles and MAC/cycle
per layout, with the CHW/HWC ratio; with --placements N, the mean of N
placements of the code in the cluster's instruction cache (one placement
against another moves a layer by a few percent, more than many kernel
changes gain; docs/design.md, twenty-third session). It measures the
depthwise kernels alone: a network gets the CHW numbers only where the
layers around the depthwise write and read that layout.

Needs GVSoC (python/dwsep/toolchain.py: find_gvsoc); without it, one line
says so and it exits 0.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "python"))
from dwsep import toolchain  # noqa: E402

OP = re.compile(r"%(\w+) = dwsep\.depthwise ins\(%(\w+), %(\w+), %(\w+) : "
                r"tensor<(\d+)x(\d+)x(\d+)x(\w+)>, (tensor<[^>]*>), (tensor<[^>]*>)\) "
                r"outs\(%(\w+) : tensor<(\d+)x(\d+)x(\d+)x(\w+)>\) (.*) -> tensor<[^>]*>$")


def layers(net_text):
    """(name, in (h, w, c), out (h, w, c), element types, weight and bias
    types and constant lines, attributes) of every depthwise op."""
    consts = {}
    for line in net_text.splitlines():
        m = re.match(r"\s*%(\w+) = arith\.constant (.*)$", line)
        if m:
            consts[m.group(1)] = m.group(2)
    out = []
    for line in net_text.splitlines():
        m = OP.search(line)
        if not m:
            continue
        out.append(dict(
            name=f"depthwise_{len(out)}",
            inp=tuple(map(int, m.group(5, 6, 7))), in_type=m.group(8),
            outp=tuple(map(int, m.group(12, 13, 14))), out_type=m.group(15),
            w_type=m.group(9), b_type=m.group(10),
            w=consts[m.group(3)], b=consts[m.group(4)], attrs=m.group(16)))
    return out


def shape(layout, hwc, et):
    h, w, c = hwc
    return f"tensor<{h}x{w}x{c}x{et}>" if layout == "hwc" else f"tensor<{c}x{h}x{w}x{et}>"


def function(l, layout):
    it, ot = shape(layout, l["inp"], l["in_type"]), shape(layout, l["outp"], l["out_type"])
    lay = "" if layout == "hwc" else "layout <chw> "
    return (f"  func.func @{l['name']}_{layout}(%x: {it}) -> {ot} {{\n"
            f"    %w = arith.constant {l['w']}\n"
            f"    %b = arith.constant {l['b']}\n"
            f"    %e = tensor.empty() : {ot}\n"
            f"    %y = dwsep.depthwise ins(%x, %w, %b : {it}, {l['w_type']}, {l['b_type']}) "
            f"outs(%e : {ot}) {lay}{l['attrs']} -> {ot}\n"
            f"    return %y : {ot}\n  }}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--alpha", default="1.0")
    ap.add_argument("--size", default="128")
    ap.add_argument("--layouts", default="hwc,chw")
    ap.add_argument("--layers",
                    help="only these layers (comma-separated names as printed, e.g. "
                         "depthwise_6,depthwise_11): one small layer over 16 placements "
                         "runs in under a minute, the whole set in several")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--build", default=os.path.join(os.path.dirname(HERE), "build"))
    ap.add_argument("--json")
    ap.add_argument("--placements", type=int, default=1,
                    help="link and run the build with N placements of its code "
                         "(toolchain.placements) and report each layer's mean cycles; "
                         "the events table is placement 0's")
    ap.add_argument("--events", action="store_true",
                    help="also where the cores' cycles went per layer and layout (RI5CY "
                         "counters): idle, instructions, load-use stalls, TCDM contention, "
                         "other (multi-cycle instructions, taken branches, jumps)")
    a = ap.parse_args()
    gvsoc = toolchain.find_gvsoc()
    if not gvsoc:
        print(toolchain.GVSOC_MISSING)
        return 0
    gen = [sys.executable, os.path.join(os.path.dirname(HERE), "examples", "mobilenet.py"),
           "v1", "--alpha", a.alpha, "--size", a.size]
    net_text = subprocess.run(gen, stdout=subprocess.PIPE, check=True, text=True).stdout
    ls = layers(net_text)
    if not ls:
        sys.exit("no dwsep.depthwise in examples/mobilenet.py's output: "
                 "bench/depthwise.py's pattern (OP) no longer matches it")
    if a.layers:
        want = a.layers.split(",")
        unknown = sorted(set(want) - {l["name"] for l in ls})
        if unknown:
            sys.exit(f"--layers: no layer {', '.join(unknown)} in this network "
                     f"(it has depthwise_0 to depthwise_{len(ls) - 1})")
        ls = [l for l in ls if l["name"] in want]
    layouts = a.layouts.split(",")
    tmp = tempfile.mkdtemp(prefix="dwsep-depthwise-")
    net = os.path.join(tmp, "depthwise.mlir")
    with open(net, "w") as f:
        f.write("module {\n" + "".join(function(l, lay) for l in ls for lay in layouts) + "}\n")
    expected = toolchain.interpret(net, a.seed, a.build)
    shifts = toolchain.placements(max(1, a.placements))
    elf = os.path.join(tmp, "depthwise.gap8.elf")
    # Built with the last shift, linked again for the others; placement 0
    # (shift 0) runs last, so `g` is its run.
    c = toolchain.build_gap8(net, os.path.join(tmp, "depthwise.gap8"), "fusion=none",
                             a.build, a.seed, events=a.events, shift=shifts[-1])
    cycles = {}
    for shift in reversed(shifts):
        if shift != shifts[-1]:
            toolchain.link_gap8(c, elf, a.seed, events=a.events, shift=shift)
        g = toolchain.run_gvsoc(elf, gvsoc)
        if g.results != expected:
            sys.exit(f"GVSoC outputs differ from the reference (see {tmp})")
        bad = toolchain.traffic_mismatches(g, c.report)
        if bad:
            sys.exit(f"runtime traffic != report (entry, counter, counted, reported): {bad}")
        # The harness names the entry only when the module has several.
        for d in (g.cluster, g.layer_events, g.layer_control):
            if "" in d:
                d[f"{ls[0]['name']}_{layouts[0]}"] = d.pop("")
        for fn, cl in g.cluster.items():
            cycles.setdefault(fn, []).append(cl["cycles"] - cl["l3_copy_cycles"])
    tiles = {l["function"]: "x".join(map(str, l["tile"])) for l in c.report["layers"]}
    print(f"MobileNetV1 {a.alpha} @{a.size}: its depthwise layers alone on GVSoC (gap8_revc, "
          f"8 cores, XpulpV2), fusion=none; outputs bit-exact against the C reference, "
          f"runtime traffic == report"
          + (f"; mean of {len(shifts)} code placements" if len(shifts) > 1 else ""))
    head = f"{'layer':14} {'in HxWxC':>12} {'s':>2}"
    for lay in layouts:
        head += f" {lay + ' tile':>9} {lay + ' cycles':>11} {'MAC/c':>6}"
    if len(layouts) == 2:
        head += f" {layouts[1] + '/' + layouts[0]:>8}"
    print(head)
    rows = []
    for l in ls:
        macs = l["outp"][0] * l["outp"][1] * l["outp"][2] * 9
        stride = 1 if l["inp"][0] == l["outp"][0] else 2
        row = {"layer": l["name"], "in": l["inp"], "stride": stride, "macs": macs}
        line = f"{l['name']:14} {'x'.join(map(str, l['inp'])):>12} {stride:>2}"
        for lay in layouts:
            fn = f"{l['name']}_{lay}"
            cyc = round(sum(cycles[fn]) / len(cycles[fn]))
            # (The events table below is placement 0's run, the last.)
            row[lay] = {"cycles": cyc, "cycles0": cycles[fn][-1], "tile": tiles.get(fn)}
            line += f" {tiles.get(fn, '?'):>9} {cyc:>11,} {macs / cyc:>6.2f}"
        if len(layouts) == 2:
            line += f" {row[layouts[1]]['cycles'] / row[layouts[0]]['cycles']:>8.2f}"
        rows.append(row)
        print(line)
    if a.events:
        print(f"\n{'layer':14} {'layout':>6} {'idle':>6} {'instr':>6} {'ld-use':>6} "
              f"{'tcdm':>6} {'other':>6}   (% of 8 x cycles) | between forks: "
              f"{'cycles':>6} {'dma wait':>8} {'issue':>6} (% of cycles) {'c0 instr':>8}"
              f" | {'fork start':>10} {'prologue':>8} {'epilogue':>8}")
        for r in rows:
            for lay in layouts:
                fn = f"{r['layer']}_{lay}"
                ev = next(iter(g.layer_events.get(fn, {}).values()), None)
                if not ev:
                    continue
                total = 8 * r[lay]["cycles0"]
                parts = [total - ev["busy"], ev["instructions"], ev["load_stalls"],
                         ev["tcdm_stalls"], ev["busy"] - ev["instructions"]
                         - ev["load_stalls"] - ev["tcdm_stalls"]]
                line = f"{r['layer']:14} {lay:>6}" + "".join(f"{100 * x / total:>6.0f}%"
                                                             for x in parts)
                # Between forks (the other cores asleep): the cluster cycles,
                # those core 0 waits for transfers and spends recording or
                # starting them (the rest it runs its control code), its
                # instructions; then how late core 0 starts its fork shares,
                # and the layer's prologue and epilogue (of the first).
                ctl = next(iter(g.layer_control.get(fn, {}).values()), None)
                if ctl:
                    cyc = r[lay]["cycles0"]
                    line += (f"   {100 * ctl['cycles'] / cyc:>14.0f}% "
                             f"{100 * ctl['dma_wait_cycles'] / cyc:>8.0f}% "
                             f"{100 * ctl['issue_cycles'] / cyc:>5.0f}% "
                             f"{ctl['instructions']:>21,}"
                             f"   {100 * ctl['fork_start_cycles'] / cyc:>9.0f}%"
                             f" {100 * ctl['prologue_cycles'] / cyc:>7.0f}%"
                             f" {100 * ctl['epilogue_cycles'] / cyc:>7.0f}%")
                print(line)
    for lay in layouts:
        tot = sum(r[lay]["cycles"] for r in rows)
        print(f"total {lay}: {tot:,} cycles, {sum(r['macs'] for r in rows) / tot:.2f} MAC/cycle")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
