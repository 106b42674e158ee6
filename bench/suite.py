#!/usr/bin/env python3
"""The MobileNet family for GAP8: one row per network, width, resolution,
memory budget and fusion setting.

  bench/suite.py [--networks v1,v2] [--widths W,...] [--sizes S,...]
                 [--fusion none,auto[,traffic]] [--budgets gap8,dory] [--quick]
                 [--run qemu|gvsoc|qemu,gvsoc] [--time-budget SECONDS]
                 [--json FILE] [--markdown FILE] [--allow-failures]

MobileNetV1 (examples/mobilenet.py v1) at width 0.25, 0.5, 0.75, 1.0 and
resolution 128, 160, 192, 224; MobileNetV2 (v2) at width 0.35, 0.5, 0.75,
1.0 and resolution 96, 128, 160, 192, 224 (--widths and --sizes pick
among them). Every network is compiled with `--dwsep-gap8-pipeline` in
process (python/dwsep/toolchain.py's compile_network, as bench/mobilenet.py
does) under each fusion setting and each budget:

  gap8  the target's defaults (GAP8: 64 KiB L1, 512 KB L2)
  dory  DORY's budgets for MobileNetV1 on GAP8: `l2-size=380000
        l1-budget=38000` added to the pipeline options

--fusion traffic adds fusion=auto with `byte-price=10000 loop-order=auto`,
the setting that favours L2<->L1 bytes over cycles.

Per row: whether it compiled (else the first line of the diagnostic; the
suite goes on), fused layers / layers of the report, code bytes
(.text+.rodata of the RV32IMC object without the L3 image,
bench/mobilenet.py's "code bytes"), the report's L2<->L1 bytes (both
directions) of activations and of weights, its DMA transfers and modelled
GAP8 cycles, and the compile time.

--run qemu links every compiled build with the sim runtime and runs it in
qemu-system-riscv32; --run gvsoc builds it for GAP8 (XpulpV2,
toolchain.build_gap8: the plan's L2 shrunk when code and plan overflow
GAP8's L2) and runs it on GVSoC when installed. Each run is checked bit for
bit against the C reference (dwsep-interp) and its DMA counters against the
report of the build that ran; the row adds QEMU's executed instructions or
GVSoC's cluster cycles (L3 stand-in copies excluded). A run predicted (from
the network's MACs) to take longer than --time-budget seconds is skipped
and the row says so.

Under the table: DORY's L2<->L1 traffic for MobileNetV1 1.0 @128 under its
budgets beside ours (the dory rows of that network) and our activation
bytes fusion=auto / fusion=none.

Exits non-zero when a configuration did not compile (unless
--allow-failures), a run was not bit-exact, its traffic differed from the
report, or a run failed.
"""
import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(SRC, "python"))
sys.path.insert(0, HERE)
from dwsep import toolchain  # noqa: E402
from mobilenet import count_macs, write_network  # noqa: E402

FAMILY = {
    "v1": ("MobileNetV1", ["0.25", "0.5", "0.75", "1.0"], ["128", "160", "192", "224"]),
    "v2": ("MobileNetV2", ["0.35", "0.5", "0.75", "1.0"], ["96", "128", "160", "192", "224"]),
}
BUDGETS = {"gap8": "", "dory": "l2-size=380000 l1-budget=38000"}
# --fusion settings: the pipeline options of each. `traffic` is fusion=auto
# with the objective turned towards bytes moved (docs/cost-model.md, "The
# objective"): a price of 10,000 milli-cycles a byte and the loop order
# chosen per layer. It is not in the default set (it costs cycles: issue
# 12's traffic targets, not the fastest build).
SETTINGS = {"none": "fusion=none", "auto": "fusion=auto",
            "traffic": "fusion=auto byte-price=10000"}
# --quick: the smallest network of each family, both fusions, both budgets.
QUICK = [("v1", "0.25", "128"), ("v2", "0.35", "96")]

# DORY's generated code for MobileNetV1 1.0 @128 on GAP8 under its budgets
# (L1 38,000 B, L2 380,000 B): bytes moved between L2 and L1.
DORY_V1_128 = {"inputs": 14_065_456, "weights": 4_307_584, "outputs": 1_651_616}
DORY_V1_128_TOTAL = 20_024_656

# Seconds of simulator per MAC, measured on this project's 2-core VM with
# MobileNetV1 0.25 @128 and MobileNetV2 0.35 @96 (QEMU 2.6e-8 and 3.3e-8,
# GVSoC 1.1e-7 and 2.0e-7), rounded up: a run whose prediction exceeds
# --time-budget is skipped.
SECONDS_PER_MAC = {"qemu": 5e-8, "gvsoc": 2.5e-7}


def report_numbers(report):
    """L2<->L1 bytes (both directions) by kind, transfers, cycles."""
    t = toolchain.static_traffic(report)
    total = lambda d, k: sum(e.get((d, k), 0) for e in t.values())
    return {
        "l2_l1_act": total("l2_l1", "act"), "l1_l2_act": total("l1_l2", "act"),
        "l2_l1_weights": total("l2_l1", "weights"), "l1_l2_weights": total("l1_l2", "weights"),
        "act_bytes": total("l2_l1", "act") + total("l1_l2", "act"),
        "weight_bytes": total("l2_l1", "weights") + total("l1_l2", "weights"),
        "transfers": sum(l.get("transfers", 0) for l in report["layers"]),
        "predicted_cycles": report["predicted_cycles"],
        "layers": len(report["layers"]),
        "fused_layers": sum("variant" in l for l in report["layers"]),
        "l2_peak": report["l2_peak"],
    }


def first_diagnostic(err):
    """The first line of the compiler's diagnostic (the CompileError that
    toolchain.compile_network wraps), else of the error."""
    diags = getattr(err.__context__, "diagnostics", None)
    if diags:
        d = diags[0]
        return f"{d.severity}: {d.message.splitlines()[0]}"
    lines = str(err).splitlines()
    return (lines[1] if len(lines) > 1 and "does not compile" in lines[0] else lines[0]).strip()


def traffic_equal(run, report):
    """The run's DMA counters against the report (as e2e.py checks)."""
    return bool(run.traffic) and not toolchain.traffic_mismatches(run, report)


def run_qemu(row, c, prefix, expected, seed):
    toolchain.link_sim(c, prefix + ".elf", seed)
    start = time.monotonic()
    r = toolchain.run_qemu(prefix + ".elf")
    return {"bit_exact": r.results == expected, "traffic_equal": traffic_equal(r, c.report),
            "instructions": r.instructions, "transfers": r.transfers,
            "seconds": round(time.monotonic() - start, 2)}


def run_gvsoc(row, net, prefix, pipeline, expected, build, seed, gvsoc):
    # The GAP8 build: XpulpV2 kernels, the plan's L2 shrunk if code and
    # plan overflow L2 (then its traffic is not the compile-only row's).
    g = toolchain.build_gap8(net, prefix + ".gap8", pipeline, build, seed)
    start = time.monotonic()
    r = toolchain.run_gvsoc(prefix + ".gap8.elf", gvsoc)
    cycles = sum(x["cycles"] - x["l3_copy_cycles"] for x in r.cluster.values())
    return {"bit_exact": r.results == expected, "traffic_equal": traffic_equal(r, g.report),
            "cycles": cycles, "transfers": r.transfers, "l2_size": g.l2_size,
            "gap8_code_bytes": g.code_bytes,
            "seconds": round(time.monotonic() - start, 2)}


def configurations(a):
    if a.quick:
        nets = [q for q in QUICK if q[0] in a.networks.split(",")]
    else:
        nets = []
        for n in a.networks.split(","):
            if n not in FAMILY:
                sys.exit(f"--networks: {n} is not one of {', '.join(FAMILY)}")
            _, widths, sizes = FAMILY[n]
            pick = lambda want, have: [x for x in have if not want or
                                       any(float(x) == float(w) for w in want.split(","))]
            nets += [(n, w, s) for w in pick(a.widths, widths) for s in pick(a.sizes, sizes)]
    return nets


def fmt(v):
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)


def columns(runs):
    cols = [("network", lambda r: FAMILY[r["network"]][0]), ("width", lambda r: r["width"]),
            ("res", lambda r: r["size"]), ("budget", lambda r: r["budget"]),
            ("fusion", lambda r: r["fusion"]),
            ("compiled", lambda r: "yes" if r["compiled"] else r["diagnostic"]),
            ("fused", lambda r: f"{r['fused_layers']}/{r['layers']}" if r["compiled"] else None),
            ("code B", lambda r: r.get("code_bytes")),
            ("L2<->L1 act B", lambda r: r.get("act_bytes")),
            ("L2<->L1 weights B", lambda r: r.get("weight_bytes")),
            ("transfers", lambda r: r.get("transfers")),
            ("modelled cycles", lambda r: r.get("predicted_cycles")),
            ("compile s", lambda r: r.get("compile_s"))]
    for sim, label, key in (("qemu", "QEMU instructions", "instructions"),
                            ("gvsoc", "GVSoC cycles", "cycles")):
        if sim in runs:
            cols += [(f"{sim} bit-exact", lambda r, s=sim: run_field(r, s, "bit_exact")),
                     (label, lambda r, s=sim, k=key: run_field(r, s, k)),
                     (f"{sim} traffic == report", lambda r, s=sim: run_field(r, s, "traffic_equal"))]
    return cols


def run_field(row, sim, key):
    r = row.get(sim)
    if r is None:
        return None
    if "skipped" in r or "error" in r:
        return r.get("skipped") or r["error"] if key == "bit_exact" else None
    return r[key]


def dory_lines(rows):
    """DORY's MobileNetV1 1.0 @128 beside ours under the same budgets."""
    ours = {r["fusion"]: r for r in rows if r["network"] == "v1" and float(r["width"]) == 1.0
            and r["size"] == "128" and r["budget"] == "dory" and r["compiled"]}
    if not ours:
        return []
    out = ["", "Reference: DORY's generated code for MobileNetV1 1.0 @128 under its budgets "
           "(L1 38,000 B, L2 380,000 B), bytes between L2 and L1:",
           f"  {'':28}{'total':>14}{'inputs':>14}{'weights+BN':>14}{'outputs':>14}{'ratio ours/DORY':>18}",
           f"  {'DORY':28}{DORY_V1_128_TOTAL:>14,}{DORY_V1_128['inputs']:>14,}"
           f"{DORY_V1_128['weights']:>14,}{DORY_V1_128['outputs']:>14,}"]
    for fusion, r in ours.items():
        total = r["act_bytes"] + r["weight_bytes"]
        out.append(f"  {'ours, dory, fusion=' + fusion:28}{total:>14,}{r['l2_l1_act']:>14,}"
                   f"{r['l2_l1_weights'] + r['l1_l2_weights']:>14,}{r['l1_l2_act']:>14,}"
                   f"{total / DORY_V1_128_TOTAL:>18.3f}")
    for budget in ("dory", "gap8"):
        pair = {r["fusion"]: r for r in rows if r["network"] == "v1" and float(r["width"]) == 1.0
                and r["size"] == "128" and r["budget"] == budget and r["compiled"]}
        for fused in ("auto", "traffic"):
            if fused in pair and "none" in pair:
                a, n = pair[fused]["act_bytes"], pair["none"]["act_bytes"]
                out.append(f"  MobileNetV1 1.0 @128, budget {budget}: L2<->L1 activation bytes "
                           f"{fused} / none = {a:,} / {n:,} = {a / n:.3f}")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--networks", default="v1,v2")
    ap.add_argument("--widths", default=None, help="comma-separated; default: all of each family")
    ap.add_argument("--sizes", default=None, help="comma-separated; default: all of each family")
    ap.add_argument("--fusion", default="none,auto")
    ap.add_argument("--budgets", default="gap8,dory")
    ap.add_argument("--quick", action="store_true",
                    help="MobileNetV1 0.25 @128 and MobileNetV2 0.35 @96 only (both fusions "
                         "and budgets unless given)")
    ap.add_argument("--run", default="", help="qemu, gvsoc or qemu,gvsoc: also run every build")
    ap.add_argument("--time-budget", type=float, default=60,
                    help="seconds per run: skip runs predicted to take longer (default 60)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--build", default=None, help="build directory (default: build/)")
    ap.add_argument("--json", default=None, help="also write the rows here")
    ap.add_argument("--markdown", default=None, help="also write the table here as markdown")
    ap.add_argument("--allow-failures", action="store_true",
                    help="exit 0 even when a configuration does not compile")
    a = ap.parse_args()
    started = time.monotonic()

    runs = [s for s in a.run.split(",") if s]
    for s in runs:
        if s not in ("qemu", "gvsoc"):
            sys.exit(f"--run: {s} is not qemu or gvsoc")
    for f in a.fusion.split(","):
        if f not in SETTINGS:
            sys.exit(f"--fusion: {f} is not one of {', '.join(SETTINGS)}")
    for b in a.budgets.split(","):
        if b not in BUDGETS:
            sys.exit(f"--budgets: {b} is not one of {', '.join(BUDGETS)}")
    gvsoc = None
    if "gvsoc" in runs:
        gvsoc = toolchain.find_gvsoc()
        if not gvsoc:
            print(toolchain.GVSOC_MISSING)
            runs.remove("gvsoc")

    tmp = tempfile.mkdtemp(prefix="dwsep-suite-")
    rows = []
    for network, width, size in configurations(a):
        net = os.path.join(tmp, f"{network}-{width}-{size}.mlir")
        write_network(net, network, width, size)
        macs = count_macs(net)
        expected = toolchain.interpret(net, a.seed, a.build) if runs else None
        for budget in a.budgets.split(","):
            for fusion in a.fusion.split(","):
                row = {"network": network, "width": width, "size": size, "budget": budget,
                       "fusion": fusion, "macs": macs}
                pipeline = f"{SETTINGS[fusion]} {BUDGETS[budget]}".strip()
                prefix = os.path.join(tmp, f"{network}-{width}-{size}-{budget}-{fusion}")
                try:
                    c = toolchain.compile_network(net, prefix, pipeline, a.build)
                except toolchain.ToolError as e:
                    row.update(compiled=False, diagnostic=first_diagnostic(e), error=str(e))
                    rows.append(row)
                    print_progress(row)
                    continue
                row.update(compiled=True, code_bytes=c.code_bytes,
                           compile_s=round(c.compile_seconds, 2), **report_numbers(c.report))
                for sim in runs:
                    predicted = macs * SECONDS_PER_MAC[sim]
                    if predicted > a.time_budget:
                        row[sim] = {"skipped": f"skipped (~{predicted:.0f} s predicted > "
                                               f"{a.time_budget:g} s)"}
                        continue
                    try:
                        row[sim] = (run_qemu(row, c, prefix, expected, a.seed) if sim == "qemu"
                                    else run_gvsoc(row, net, prefix, pipeline, expected,
                                                   a.build, a.seed, gvsoc))
                    except toolchain.ToolError as e:
                        row[sim] = {"error": "run failed: " + str(e).splitlines()[0][:200],
                                    "message": str(e)}
                rows.append(row)
                print_progress(row)

    wall = time.monotonic() - started
    cols = columns(runs)
    table = [[fmt(get(r)) for _, get in cols] for r in rows]
    widths = [max([len(h)] + [len(t[i]) for t in table]) for i, (h, _) in enumerate(cols)]
    numeric = [i >= 6 for i in range(len(cols))]
    line = lambda cells: "  ".join(c.rjust(w) if numeric[i] else c.ljust(w)
                                   for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    compiled = sum(r["compiled"] for r in rows)
    print()
    print(f"The MobileNet family for GAP8: {compiled} of {len(rows)} configurations compiled"
          + (f"; runs: {', '.join(runs)}" if runs else "; compile only"))
    print("budget gap8: the target's defaults; dory: " + BUDGETS["dory"]
          + "; L2<->L1 bytes: both directions, from the compiler's report")
    print(line([h for h, _ in cols]))
    for t in table:
        print(line(t))
    extra = dory_lines(rows)
    for l in extra:
        print(l)
    failed = [r for r in rows if not r["compiled"]]
    for r in failed:
        print(f"did not compile: {FAMILY[r['network']][0]} {r['width']} @{r['size']} "
              f"budget={r['budget']} fusion={r['fusion']}: {r['diagnostic']}")
    bad = [(r, s) for r in rows for s in runs if s in r and "skipped" not in r[s]
           and ("error" in r[s] or not r[s]["bit_exact"] or not r[s]["traffic_equal"])]
    for r, s in bad:
        what = r[s].get("error") or ("not bit-exact" if not r[s]["bit_exact"]
                                     else "runtime traffic differs from the report")
        print(f"{s} FAILED: {FAMILY[r['network']][0]} {r['width']} @{r['size']} "
              f"budget={r['budget']} fusion={r['fusion']}: {what}")
    ran = sum(1 for r in rows for s in runs if s in r and "skipped" not in r[s])
    skipped = sum(1 for r in rows for s in runs if s in r and "skipped" in r[s])
    if runs:
        print(f"runs: {ran} ran, {len(bad)} failed, {skipped} skipped over the time budget")
    print(f"wall time {wall:.0f} s")

    if a.json:
        with open(a.json, "w") as f:
            json.dump({"rows": rows, "runs": runs, "wall_seconds": round(wall, 1),
                       "dory_v1_1.0_128": dict(DORY_V1_128, total=DORY_V1_128_TOTAL)}, f, indent=1)
    if a.markdown:
        write_markdown(a.markdown, cols, table, extra, failed, runs, wall)
    if bad or (failed and not a.allow_failures):
        sys.exit(1)


def print_progress(row):
    status = "compiled" if row["compiled"] else row["diagnostic"]
    print(f"# {row['network']} {row['width']} @{row['size']} {row['budget']} "
          f"fusion={row['fusion']}: {status}", flush=True)


def write_markdown(path, cols, table, extra, failed, runs, wall):
    try:
        commit = subprocess.run(["git", "-C", SRC, "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    with open(path, "w") as f:
        f.write(f"{datetime.date.today().isoformat()}, commit {commit}, "
                f"`{' '.join(['bench/suite.py'] + sys.argv[1:])}`, wall time {wall:.0f} s\n\n")
        f.write("| " + " | ".join(h for h, _ in cols) + " |\n")
        f.write("|" + "|".join("---" if i < 6 else "---:" for i in range(len(cols))) + "|\n")
        for t in table:
            f.write("| " + " | ".join(c.replace("|", "\\|") for c in t) + " |\n")
        if extra:
            f.write("\n```\n" + "\n".join(l for l in extra if l) + "\n```\n")
        for r in failed:
            f.write(f"\nDid not compile: {FAMILY[r['network']][0]} {r['width']} @{r['size']} "
                    f"budget={r['budget']} fusion={r['fusion']}:\n\n```\n{r['error']}\n```\n")


if __name__ == "__main__":
    try:
        main()
    except toolchain.ToolError as e:
        sys.exit(str(e))
