#!/usr/bin/env python3
"""Checks a QEMU run of compiled dwsep code against the oracle and the plan.

  compare.py <qemu output> <dwsep-interp output> [<--dwsep-report json>]

1. Every `result` line of the reference interpreter (the C reference of
   docs/numerics.md) must appear, identical, in the QEMU output: outputs are
   compared bit for bit, and nothing may be missing.
2. With a report: the runtime's DMA byte counters of each entry point (per
   direction, activations and weights) must equal the sum of the statically
   counted bytes of its layers.
Prints a one-line summary; exits 1 on any difference.
"""
import json
import re
import sys


def main():
    qemu = open(sys.argv[1]).read().splitlines()
    interp = [l for l in open(sys.argv[2]).read().splitlines() if "result" in l]
    qemu_results = {l.split(":")[0]: l for l in qemu if "result" in l}
    errors = []
    for line in interp:
        key = line.split(":")[0]
        got = qemu_results.get(key)
        if got != line:
            errors.append(f"{key}: expected\n  {line[:300]}\ngot\n  {(got or '<missing>')[:300]}")
    checked_traffic = 0
    if len(sys.argv) > 3:
        report = json.load(open(sys.argv[3]))
        static = {}
        for layer in report["layers"]:
            fn = layer.get("function", "")
            acc = static.setdefault(fn, {})
            for d, kinds in layer["bytes"].items():
                for k, v in kinds.items():
                    acc[(d, k)] = acc.get((d, k), 0) + v
        for line in qemu:
            m = re.match(r"(?:(\w+)\.)?traffic: (.*) transfers=", line)
            if not m:
                continue
            fn = m.group(1) or (next(iter(static)) if len(static) == 1 else "")
            for d, act, w in re.findall(r"(\w+)=(\d+)\+(\d+)", m.group(2)):
                for k, v in (("act", int(act)), ("weights", int(w))):
                    want = static.get(fn, {}).get((d, k), 0)
                    if want != v:
                        errors.append(f"{fn}: runtime moved {v} B {d} {k}, report says {want}")
            checked_traffic += 1
    if any("runtime errors" in l for l in qemu):
        errors.append("the sim runtime reported errors")
    for e in errors[:10]:
        print("MISMATCH", e)
    if errors:
        sys.exit(1)
    print(f"bit-exact: {len(interp) // 2} outputs; traffic equal to the report "
          f"for {checked_traffic} entry points")


if __name__ == "__main__":
    main()
