#!/usr/bin/env python3
"""Compares the predicted totals of --dwsep-report=format=json runs.

  compare_cycles.py NAME BASELINE.json CANDIDATE.json [NAME B.json C.json ...]

Prints one line per network and exits non-zero if a candidate predicts more
cycles than its baseline (fusion=auto must never lose to fusion=none).
"""
import json
import sys


def total(path):
    with open(path) as f:
        return json.load(f)["predicted_cycles"]


def main(argv):
    if len(argv) % 3:
        sys.exit("usage: compare_cycles.py NAME BASELINE CANDIDATE ...")
    ok = True
    for i in range(0, len(argv), 3):
        name, base, cand = argv[i], total(argv[i + 1]), total(argv[i + 2])
        verdict = "ok" if cand <= base else "WORSE"
        ok &= cand <= base
        print(f"{name}: none {base} auto {cand} ({100.0 * (base - cand) / base:.1f}% fewer) {verdict}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main(sys.argv[1:])
