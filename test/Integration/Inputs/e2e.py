#!/usr/bin/env python3
"""Compile a dwsep network for the cluster, run it in QEMU, check it.

  e2e.py NET.mlir --tmp PREFIX --build BUILD_DIR [--pipeline OPTIONS] [--seed N]

Uses python/dwsep/toolchain.py (the same commands as bench/): the
--dwsep-gap8-pipeline (which also emits the object), the sim runtime and generic harness,
qemu-system-riscv32. Then:
1. every output of the C reference (dwsep-interp) must be in the QEMU
   output, identical: bit for bit, nothing missing;
2. the runtime's DMA byte counters of each entry point (per direction,
   activations and weights) must equal the report's static counts.
With --gvsoc, the same object is also linked with the bare-metal GAP8
runtime and run on the GAP8 virtual platform (GVSoC) when it is installed,
under the same checks. Prints one summary line (two with GVSoC); exits 1 on
any difference.
"""
import argparse
import json
import os
import sys

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(SRC, "python"))
from dwsep import toolchain  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("net")
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--build", default=None)
    ap.add_argument("--pipeline", default="")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reference", default=None,
                    help="the dwsep form of NET for dwsep-interp (default: NET itself)")
    ap.add_argument("--target", default="riscv32", choices=["riscv32", "host"],
                    help="riscv32: run in QEMU; host: compile for and run on this machine")
    ap.add_argument("--gvsoc", action="store_true",
                    help="also link the bare-metal GAP8 runtime and run on GVSoC when it is "
                         "installed (one line says so when it is not)")
    ap.add_argument("--expect-variant", default=None,
                    help="N (1-7): every fused layer the report lists is variant N (its "
                         "layouts and split) and there is one; unfused: none is fused")
    ap.add_argument("--json", default=None,
                    help="write what the run measured (runtime traffic, instructions, "
                         "GVSoC cycles) and how many layers are fused to this file")
    a = ap.parse_args()
    c = toolchain.compile_network(a.net, a.tmp, a.pipeline, a.build, a.target)
    if a.expect_variant:
        check_variant(c.report, a.expect_variant)
    toolchain.link_sim(c, a.tmp + ".elf", a.seed, a.target)
    run = (toolchain.run_qemu if a.target == "riscv32" else toolchain.run_host)(a.tmp + ".elf")
    with open(a.tmp + ".qemu", "w") as f:
        f.write(run.stdout)
    expected = toolchain.interpret(a.reference or a.net, a.seed, a.build)
    errors = check(run, expected, c.report, "QEMU")
    gap8 = None
    if a.target == "riscv32" and a.gvsoc:
        if toolchain.find_gvsoc():
            # The GAP8 build: the same pipeline with the XpulpV2 kernels.
            g = toolchain.compile_network(a.net, a.tmp + ".gap8", a.pipeline, a.build,
                                          a.target, xpulpv2=True)
            toolchain.link_gap8(g, a.tmp + ".gap8.elf", a.seed)
            gap8 = toolchain.run_gvsoc(a.tmp + ".gap8.elf")
            with open(a.tmp + ".gvsoc", "w") as f:
                f.write(gap8.stdout)
            errors += check(gap8, expected, g.report, "GVSoC")
        else:
            print(toolchain.GVSOC_MISSING)
    if a.json:
        measured = {
            "traffic": {f"{d}.{k}": sum(t.get((d, k), 0) for t in run.traffic.values())
                        for d, k in {key for t in run.traffic.values() for key in t}},
            "instructions": run.instructions, "transfers": run.transfers,
            "fused_layers": sum("variant" in l for l in c.report["layers"]),
            "predicted_cycles": c.report.get("predicted_cycles")}
        if gap8:
            measured["gvsoc_cycles"] = sum(x["cycles"] - x["l3_copy_cycles"]
                                           for x in gap8.cluster.values())
        with open(a.json, "w") as f:
            json.dump(measured, f, indent=1)
    for e in errors[:10]:
        print("MISMATCH", e)
    if errors:
        sys.exit(1)
    print(f"bit-exact: {len(expected) // 2} outputs; traffic equal to the report "
          f"for {len(run.traffic)} entry points; {run.instructions} instructions")
    if gap8:
        cycles = sum(x["cycles"] - x["l3_copy_cycles"] for x in gap8.cluster.values())
        print(f"GVSoC GAP8: bit-exact, traffic equal to the report, {cycles} cluster cycles "
              f"(L3 copies excluded)")


def check_variant(report, want):
    """The bits are the same whichever variant computes them: check in the
    report (which reads the IR --dwsep-lower-kernels lowers) that the forced
    variant is the one compiled."""
    fused = [(l["name"], l["variant_index"], l["variant"]) for l in report["layers"]
             if "variant" in l]
    if want == "unfused":
        if fused:
            sys.exit(f"MISMATCH variant: expected no fused layer, the report has {fused}")
        print(f"lowered: {len(report['layers'])} layers, none fused")
        return
    wrong = [f for f in fused if f[1] != int(want)]
    if not fused or wrong:
        sys.exit(f"MISMATCH variant: expected variant {want} in every fused layer, "
                 f"the report has {fused or 'no fused layer'}")
    print(f"lowered: variant {want} {fused[0][2]} in {len(fused)} layers")


def check(run, expected, report, where):
    """Outputs bit for bit, runtime traffic against the report."""
    errors = []
    for key, line in expected.items():
        got = run.results.get(key)
        if got != line:
            errors.append(f"{where}: {key}: expected\n  {line[:300]}\ngot\n  {(got or '<missing>')[:300]}")
    for entry, key, value, reported in toolchain.traffic_mismatches(run, report):
        errors.append(f"{where}: {entry or 'entry'}: runtime moved {value} B {key}, "
                      f"the report says {reported}")
    if "runtime errors" in run.stdout:
        errors.append(f"{where}: the runtime reported errors")
    return errors


if __name__ == "__main__":
    try:
        main()
    except toolchain.ToolError as e:
        sys.exit(str(e))
