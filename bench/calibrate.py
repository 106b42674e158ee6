#!/usr/bin/python3
"""Fit the kernel costs of #dwsep.target to cluster cycles measured on GAP8.

  /usr/bin/python3 bench/calibrate.py [--seeds 101,102,103] [--layers 60]
      [--train v1:0.25:128,v1-block,v2-block] [--train-configs C1,C2,...]
      [--network-weight 3]
      [--rows ROUND1.json,...] [--validate NETWORKS] [--no-fit] [--json FILE]

Needs the GAP8 virtual platform (python/dwsep/toolchain.py: find_gvsoc).

1. Microbenchmarks: the layers of the --train networks (MobileNetV1
   0.25 at 96/128/160, the v1 and v2 blocks; fusion=none, auto and every
   fused variant forced, so every kernel the compiler picks for them or
   could pick under other prices) and random single-layer modules (test/.../random_layers.py:
   every op kind and fused variant, both layouts, strides 1/2, kernels
   1/3/5, odd sizes), each seed with a tight and the full GAP8 L1, compiled
   by --dwsep-gap8-pipeline (fusion=none keeps them as written), linked with
   the bare-metal GAP8 runtime and run on GVSoC; every output is checked
   bit for bit against the C reference.
2. For every layer, --dwsep-report gives the work the cost model charges
   ("work": the busiest core's MACs and outputs per cost class, forks,
   tiles, and the DMA cycles compute does not hide) and GVSoC the measured
   cycles (dwsep_rt_layer stamps, L3 copies excluded). The model is linear in
   the costs, so they are fitted by non-negative least squares on the
   relative error, a network layer weighing --network-weight random ones.
3. Prints the fitted costs as the `#dwsep.target` fields and as the
   DWSEP_GAP8_COSTS line of lib/Dialect/Dwsep/IR/DwsepAttrs.cpp, and the
   per-layer error of the fit. --validate NETWORKS compiles them with the
   compiler's current costs (install the fitted ones first) and prints the
   model against the measurement per layer and per network; give it
   networks the fit did not see too (e.g. v1:0.25:96).

The tiles and layouts the compiler chooses depend on the prices in force:
install the fitted prices, run again with --rows of every earlier round's
--json (so that the fit keeps what earlier choices measured), until the
validation stops moving.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(SRC, "python"))
from dwsep import toolchain  # noqa: E402

CLASSES = ["conv_hwc", "conv_chw", "pointwise_hwc", "pointwise_chw", "depthwise_hwc",
           "depthwise_chw", "linear", "add", "avgpool_hwc", "avgpool_chw", "relayout_hwc",
           "relayout_chw"]
# Cost order of #dwsep.target (DwsepAttrs.h: costMac, costOut, kCostFork, kCostTile).
COSTS = [f"{c}_{k}" for c in CLASSES for k in ("mac", "out")] + ["fork_cycles", "tile_cycles"]
# Per-MAC and per-output costs are milli-cycles; fork and tile are cycles.
SCALE = np.array([1e-3] * (2 * len(CLASSES)) + [1.0, 1.0])


def measure(net, prefix, pipeline, seed=1):
    """[(function, layer, work vector, exposed DMA, measured cycles)] and the
    kernel costs the compiler priced them with."""
    c = toolchain.compile_network(net, prefix, pipeline, xpulpv2=True)
    toolchain.link_gap8(c, prefix + ".gap8.elf", seed)
    run = toolchain.run_gvsoc(prefix + ".gap8.elf")
    expected = toolchain.interpret(net, seed)
    bad = [k for k, v in expected.items() if run.results.get(k) != v]
    if bad:
        sys.exit(f"{net}: GVSoC output differs from the reference: {bad[:3]}")
    measured = {}
    for entry, layers in run.layers.items():
        for name, cycles, _ in layers:
            measured[(entry, name)] = cycles
    single = len(run.layers) == 1 and "" in run.layers
    rows = []
    for layer in c.report["layers"]:
        work = layer.get("work")
        key = ("" if single else layer["function"], layer["name"])
        if not work or key not in measured:
            continue
        rows.append((layer["function"], layer["name"],
                     np.array([work[k] for k in COSTS], dtype=float) * SCALE,
                     work["exposed_dma_cycles"], measured[key]))
    return rows, np.array([c.report["costs"][k] for k in COSTS], dtype=float)


def dma_probe(tmp):
    """Fits cycles = latency + bytes / bandwidth to bench/gap8_dma_probe.c's
    timings (both directions together: the model has one figure)."""
    rt = os.path.join(SRC, "runtime")
    elf = os.path.join(tmp, "dma_probe.elf")
    toolchain._run(toolchain.GAP8_CC + [
        f"-I{rt}/include", f"-I{rt}/gap8-bare", "-T", f"{rt}/gap8-bare/link.ld",
        "-Wl,--defsym=__dwsep_stack_main=3500,--defsym=__dwsep_stack_worker=3400",
        f"{rt}/gap8-bare/crt0.S", f"{rt}/gap8-bare/dwsep_rt_gap8_bare.c",
        os.path.join(HERE, "gap8_dma_probe.c"), "-o", elf])
    out = toolchain._run([toolchain.find_gvsoc(), elf])
    pts = [tuple(int(v) for v in l.split()[1:]) for l in out.splitlines() if l.startswith("dma ")]
    n = np.array([p[0] for p in pts] * 2, dtype=float)
    cycles = np.array([p[1] for p in pts] + [p[2] for p in pts], dtype=float)
    slope, latency = np.polyfit(n, cycles, 1)
    print("L2<->L1 transfer (dwsep_rt_dma_start + wait), cycles by bytes: " +
          ", ".join(f"{p[0]}: {p[1]}/{p[2]}" for p in pts))
    print(f"  fit: l2_dma_latency = {latency:.0f}, l2_dma_bytes_per_cycle = {1 / slope:.1f}")
    return round(latency), max(1, round(1 / slope))


def nnls(a, b, iters=500):
    """Lawson-Hanson non-negative least squares: min |a x - b|, x >= 0."""
    n = a.shape[1]
    x = np.zeros(n)
    passive = np.zeros(n, dtype=bool)
    for _ in range(iters):
        w = a.T @ (b - a @ x)
        if passive.all() or w[~passive].max(initial=0) <= 1e-9:
            break
        j = np.argmax(np.where(passive, -np.inf, w))
        passive[j] = True
        while True:
            z = np.zeros(n)
            z[passive] = np.linalg.lstsq(a[:, passive], b, rcond=None)[0]
            if (z[passive] > 0).all():
                x = z
                break
            neg = passive & (z <= 0)
            alpha = np.min(x[neg] / (x[neg] - z[neg]))
            x = x + alpha * (z - x)
            passive &= x > 1e-12
    return x


def errors(rows, costs):
    out = []
    for fn, name, feat, exposed, meas in rows:
        pred = feat @ costs + exposed
        out.append((fn, name, pred, meas, (pred - meas) / meas))
    return out


def summary(errs, label):
    e = np.abs([x[4] for x in errs])
    print(f"{label}: {len(e)} layers, |model - measured| / measured: median {np.median(e):.1%}, "
          f"90th pct {np.percentile(e, 90):.1%}, max {e.max():.1%}, within 15%: "
          f"{(e <= 0.15).sum()}/{len(e)}")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default="101,102,103")
    ap.add_argument("--layers", type=int, default=60)
    ap.add_argument("--train", default="v1:0.25:128,v1:0.25:96,v1:0.25:160,v1-block,v2-block",
                    help="networks whose layers join the fit (in every --train-configs)")
    ap.add_argument("--train-configs",
                    default="fusion=none,fusion=auto," + ",".join(f"variant={v}"
                                                                 for v in range(1, 8)),
                    help="the --dwsep-gap8-pipeline settings each --train network is "
                         "measured with: besides none and auto, every fused variant "
                         "forced, so that the fit sees each at network scale (a variant "
                         "the current prices never pick is otherwise fitted on the small "
                         "random layers alone); a setting that does not compile for a "
                         "network is skipped with its diagnostic")
    ap.add_argument("--validate", default="",
                    help="networks to check the compiler's current costs on, e.g. "
                         "v1:0.25:128,v1-block,v2-block,v1:0.5:128")
    ap.add_argument("--network-weight", type=float, default=3.0)
    ap.add_argument("--rows", default="",
                    help="comma-separated --json files of earlier rounds whose measured "
                         "layers join the fit")
    ap.add_argument("--no-fit", action="store_true",
                    help="only --validate (after installing fitted costs)")
    ap.add_argument("--json", default=None)
    a = ap.parse_args()
    if not toolchain.find_gvsoc():
        sys.exit(toolchain.GVSOC_MISSING)
    tmp = tempfile.mkdtemp(prefix="dwsep-calibrate-")
    global result
    result = {}
    if not a.no_fit:
        latency, bandwidth = dma_probe(tmp)
        result["l2_dma"] = {"latency": latency, "bytes_per_cycle": bandwidth}
    gen = os.path.join(SRC, "test", "Dialect", "Dwsep", "Transforms", "Inputs", "random_layers.py")
    rows = []
    for seed in [int(s) for s in a.seeds.split(",")] if not a.no_fit else []:
        for l1 in (65536, 30000):
            net = os.path.join(tmp, f"rl{seed}-{l1}.mlir")
            with open(net, "w") as f:
                subprocess.run([sys.executable, gen, "--seed", str(seed), "--modules", "1",
                                "--layers", str(a.layers), "--l1", str(l1), "--random-weights"],
                               stdout=f, check=True)
            rows += measure(net, os.path.join(tmp, f"rl{seed}-{l1}"), "fusion=none")[0]
    examples = os.path.join(SRC, "examples", "mobilenet.py")

    def network(spec):
        """v1-block, v2-block, or v1:ALPHA:SIZE."""
        name, *rest = spec.split(":")
        net = os.path.join(tmp, spec.replace(":", "_") + ".mlir")
        args = [name] + (["--alpha", rest[0], "--size", rest[1]] if rest else [])
        with open(net, "w") as f:
            subprocess.run([sys.executable, examples] + args, stdout=f, check=True)
        return net

    # MobileNet-shaped layers too: the random ones are small, where borders
    # and per-tile overheads weigh more than in real networks.
    random_rows = len(rows)
    for spec in a.train.split(",") if a.train and not a.no_fit else []:
        net = network(spec)
        for config in a.train_configs.split(","):
            try:
                rows += measure(net, net[:-5] + "-" + config.replace("=", "-"), config)[0]
            except toolchain.ToolError as e:
                print(f"{spec} {config}: skipped, does not compile or link: "
                      f"{str(e).strip().splitlines()[-1][:200]}")
    importance = [1.0] * random_rows + [a.network_weight] * (len(rows) - random_rows)
    # Earlier rounds' measurements: the layers the compiler chose under
    # earlier prices. Without them a class the current prices avoid (say a
    # CHW first convolution) is fitted on random layers alone, looks cheap
    # again, and the next compile picks it: the rounds oscillate.
    for path in a.rows.split(",") if a.rows else []:
        with open(path) as f:
            for r in json.load(f).get("rows", []):
                rows.append((r["function"], r["layer"], np.array(r["work"]), r["exposed"],
                             r["measured"]))
                importance.append(a.network_weight if r["function"].startswith("mobilenet")
                                  else 1.0)
    if rows:
        # The networks' layers count --network-weight times a random one:
        # they are what the compiler is for, and fewer.
        fit(rows, importance)
    for spec in a.validate.split(",") if a.validate else []:
        net = network(spec)
        for fusion in ("none", "auto"):
            v, now = measure(net, net[:-5] + "-" + fusion, f"fusion={fusion}")
            errs = errors(v, now)
            summary(errs, f"{spec} fusion={fusion}, the compiler's current costs")
            total_p = sum(e[2] for e in errs)
            total_m = sum(e[3] for e in errs)
            print(f"  whole network: model {total_p:,.0f}, measured {total_m:,.0f} "
                  f"({(total_p - total_m) / total_m:+.1%})")
            for fn, name, p, m, e in errs:
                print(f"    {name:20}{p:>12,.0f}{m:>12,}{e:>+8.1%}")
            result[f"{spec}-{fusion}"] = {"model": total_p, "measured": total_m}
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=2)


def fit(rows, importance):
    feats = np.array([r[2] for r in rows])
    target = np.array([r[4] - r[3] for r in rows], dtype=float)
    weight = np.array(importance) / np.array([r[4] for r in rows], dtype=float)
    x = nnls(feats * weight[:, None], target * weight)
    costs = np.round(x).astype(int)
    summary(errors(rows, costs.astype(float)), f"fit on {len(rows)} layers (GVSoC)")
    print("fitted kernel costs (milli-cycles per MAC / per output per core; cycles per fork "
          "and tile):")
    for k, v in zip(COSTS, costs):
        print(f"  {k:22} {v}")
    print("#dwsep.target fields: " + ", ".join(f"{k} = {v}" for k, v in zip(COSTS, costs)))
    print("DWSEP_GAP8_COSTS: " + ", ".join(str(v) for v in costs))
    result["costs"] = dict(zip(COSTS, costs.tolist()))
    result["layers"] = len(rows)
    result["rows"] = [{"function": f, "layer": n, "work": w.tolist(), "exposed": e,
                       "measured": m} for f, n, w, e, m in rows]


if __name__ == "__main__":
    try:
        main()
    except toolchain.ToolError as e:
        sys.exit(str(e))
