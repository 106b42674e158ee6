"""python3 -m dwsep: the command line of the dwsep package.

  python3 -m dwsep compile MODEL.onnx|MODEL.mlir -o OUTDIR [--target gap8]
                           [--fusion auto] [--variant V] [--run qemu|gvsoc]
                           [--plot] [--json]

Compiles MODEL for the cluster (ONNX through dwsep.onnx), writes
OUTDIR/NAME.{ll,o,h,l3.bin,report.json} (NAME: the model's file name), and
prints a table per layer: kind, tile, L1 bytes, L2<->L1 activation and
weight bytes, L3->L2 bytes, DMA transfers, modelled cycles (and measured
ones with --run gvsoc). With --plot it writes
  OUTDIR/NAME.traffic.png   per-layer L2<->L1 bytes, fusion=none against the
                            chosen fusion (a second compile with fusion=none);
  OUTDIR/NAME.cycles.png    modelled against measured cycles per layer, when
                            GVSoC is installed (it runs the build there).
Progress goes to stderr, one line per step with the time it took.
"""
import argparse
import os
import sys
import time

from . import compiler, toolchain


def progress(msg, start=None):
    took = f" ({time.monotonic() - start:.1f} s)" if start is not None else ""
    print(f"[dwsep] {msg}{took}", file=sys.stderr, flush=True)


def layer_table(report, title=None):
    """The per-layer summary table, as text."""
    measured = any(l.measured_cycles is not None for l in report.layers)
    head = (f"{'#':>3} {'layer':24} {'tile':>10} {'L1 B':>8} {'L2<->L1 act':>12} "
            f"{'L2->L1 w':>10} {'L3->L2':>9} {'DMAs':>6} {'model cyc':>11}"
            + (f" {'GVSoC cyc':>11} {'ratio':>6}" if measured else ""))
    lines = [title] if title else []
    lines += [head, "-" * len(head)]
    for i, l in enumerate(report.layers):
        tile = "x".join(map(str, l.tile)) if l.tile else "-"
        l3 = sum(l.bytes["l3_l2"].values())
        line = (f"{i:>3} {l.name[:24]:24} {tile[:10]:>10} {l.l1_bytes:>8,} "
                f"{l.l2_l1_activation_bytes:>12,} {l.bytes['l2_l1']['weights']:>10,} {l3:>9,} "
                f"{l.transfers:>6,} {l.predicted_cycles:>11,}")
        if measured:
            m = l.measured_cycles
            line += (f" {m:>11,} {m / max(l.predicted_cycles, 1):>6.2f}" if m is not None
                     else f" {'-':>11} {'-':>6}")
        lines.append(line)
    total_act = sum(l.l2_l1_activation_bytes for l in report.layers)
    lines.append("-" * len(head))
    lines.append(f"    {'total':24} {'':>10} {'':>8} {total_act:>12,} "
                 f"{report.bytes('l2_l1', 'weights'):>10,} {report.bytes('l3_l2'):>9,} "
                 f"{sum(l.transfers for l in report.layers):>6,} {report.predicted_cycles:>11,}")
    lines.append(f"peak L2 {report.l2_peak:,} B, L3 image {report.l3_image:,} B, "
                 f"L3 activations {report.l3_activations:,} B")
    return "\n".join(lines)


def _figure(n):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(max(6, 0.32 * n + 2), 4))
    return plt, fig, ax


def _finish(plt, fig, ax, names, ylabel, title, path, xlabel=None):
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=90, fontsize=7)
    ax.set_ylabel(ylabel)
    if xlabel:
        ax.set_xlabel(xlabel, fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_traffic(baseline, chosen, label, path, title):
    """Per-layer L2<->L1 activation bytes of fusion=none against `chosen`.
    Layers are matched in order; a fused layer of `chosen` stands where the
    first of its two unfused layers stands in the baseline."""
    plt, fig, ax = _figure(len(baseline.layers))
    kib = lambda layers: [l.l2_l1_activation_bytes / 1024 for l in layers]  # noqa: E731
    ax.bar([x - 0.2 for x in range(len(baseline.layers))], kib(baseline.layers), width=0.4,
           label=f"fusion=none ({sum(kib(baseline.layers)):,.0f} KiB)")
    pos, i = [], 0
    for l in chosen.layers:
        pos.append(i)
        i += 2 if l.kind == "fused" else 1
    ax.bar([p + 0.2 for p in pos], kib(chosen.layers), width=0.4,
           label=f"{label} ({sum(kib(chosen.layers)):,.0f} KiB)")
    _finish(plt, fig, ax, [l.name for l in baseline.layers], "L2<->L1 activation KiB", title,
            path, "layers of fusion=none (a fused layer stands at the first of its two)")


def plot_cycles(report, path, title):
    layers = [l for l in report.layers if l.measured_cycles is not None]
    plt, fig, ax = _figure(len(layers))
    xs = range(len(layers))
    ax.bar([x - 0.2 for x in xs], [l.predicted_cycles / 1e3 for l in layers], width=0.4,
           label="modelled")
    ax.bar([x + 0.2 for x in xs], [l.measured_cycles / 1e3 for l in layers], width=0.4,
           label="measured (GVSoC)")
    _finish(plt, fig, ax, [l.name for l in layers], "cluster kcycles", title, path)


def cmd_compile(a):
    name = os.path.splitext(os.path.basename(a.model))[0]
    source = a.model
    if a.model.endswith(".onnx"):
        from . import onnx as donnx
        start = time.monotonic()
        progress(f"importing {a.model}")
        source = donnx.import_file(a.model, rounding=a.rounding)
        progress(f"imported {source.count('dwsep.')} dwsep ops", start)
        with open(os.path.join(_mkdir(a.output), name + ".mlir"), "w") as f:
            f.write(source)
    settings = dict(target=a.target, variant=a.variant, filename=a.model,
                    options=a.options or "")
    start = time.monotonic()
    progress(f"compiling with fusion={a.fusion} for {a.target or 'the module target'}")
    c = compiler.compile(source, fusion=a.fusion, **settings)
    progress(f"compiled {len(c.report.layers)} layers", start)
    files = c.write(a.output, name)
    report = c.report
    measured = None
    if a.run or a.plot:
        sim = a.run or ("gvsoc" if toolchain.find_gvsoc() else None)
        if sim == "gvsoc" and not toolchain.find_gvsoc():
            print(toolchain.GVSOC_MISSING, file=sys.stderr)
            sim = "qemu" if a.run else None
        if sim:
            start = time.monotonic()
            progress(f"running on {sim}")
            measured = c.run(simulator=sim, workdir=os.path.join(a.output, "run"))
            progress(f"ran: {measured.instructions:,} instructions", start)
            if sim == "gvsoc":
                report = report.with_measured(measured)
        elif a.plot:
            print(toolchain.GVSOC_MISSING + " (no modelled-vs-measured plot)", file=sys.stderr)
    print(layer_table(report, f"{name}: {len(report.layers)} layers, fusion={a.fusion}, "
                              f"compiled in {c.compile_seconds:.1f} s"))
    if measured is not None:
        t = measured.traffic
        print(f"run: {measured.instructions:,} instructions, {measured.transfers:,} DMA "
              f"transfers, L2<->L1 activations {t.get(('l2_l1', 'act'), 0) + t.get(('l1_l2', 'act'), 0):,} B "
              "counted by the runtime")
    if a.plot:
        start = time.monotonic()
        progress("compiling with fusion=none for the traffic plot")
        base = c if a.fusion == "none" else compiler.compile(source, fusion="none", **settings)
        progress("compiled", start)
        path = os.path.join(os.path.abspath(a.output), name + ".traffic.png")
        plot_traffic(base.report, report, f"fusion={a.fusion}", path,
                     f"{name}: L2<->L1 activation bytes per layer")
        files["traffic_png"] = path
        if any(l.measured_cycles is not None for l in report.layers):
            path = os.path.join(os.path.abspath(a.output), name + ".cycles.png")
            plot_cycles(report, path, f"{name}: modelled and measured cluster cycles")
            files["cycles_png"] = path
    for kind, path in files.items():
        print(f"wrote {kind:12} {path}")
    return 0


def _mkdir(d):
    os.makedirs(d, exist_ok=True)
    return d


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m dwsep", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    c = sub.add_parser("compile", help="compile an ONNX or MLIR model for the cluster")
    c.add_argument("model", help="model.onnx (quantized) or model.mlir (dwsep, TOSA, linalg)")
    c.add_argument("-o", "--output", required=True, help="directory for the artifacts")
    c.add_argument("--target", default=None, choices=compiler.TARGETS,
                   help="target preset (default: the module's, GAP8 if none)")
    c.add_argument("--fusion", default="auto", choices=compiler.FUSIONS)
    c.add_argument("--variant", default=None, help="force a fused variant 1-7 or 'unfused'")
    c.add_argument("--options", default="", help="more --dwsep-gap8-pipeline options")
    c.add_argument("--rounding", default="exact", choices=["exact", "onnxruntime"],
                   help="an ONNX model's requantization: the exact product rounded half up "
                        "(default), or ONNX Runtime's float32 rounding, bit-exact with it")
    c.add_argument("--run", choices=["qemu", "gvsoc"], default=None,
                   help="also run the build (seeded inputs) and report what it measured")
    c.add_argument("--plot", action="store_true", help="write the PNG plots")
    a = ap.parse_args(argv)
    try:
        return cmd_compile(a)
    except compiler.CompileError as e:
        print(f"error: {a.model} does not compile:\n{e}", file=sys.stderr)
        return 1
    except toolchain.ToolError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
