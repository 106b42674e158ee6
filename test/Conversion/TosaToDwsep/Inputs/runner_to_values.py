#!/usr/bin/env python3
"""Turns mlir-runner's printMemrefI32 output into dwsep-interp's format.

Usage: mlir-runner ... | runner_to_values.py NAME... > values.txt

The i-th printed memref becomes, with the i-th NAME,
  NAME.result0: [v0, v1, ...]
  NAME.result0 fnv1a: 0x........
where the checksum is FNV-1a (32 bit) over the low byte of every value (the
int8 tensor as stored), exactly as dwsep_checksum computes it.
"""
import re
import sys


def fnv1a(values):
    h = 2166136261
    for v in values:
        h ^= v & 0xFF
        h = (h * 16777619) & 0xFFFFFFFF
    return h


def main():
    names = sys.argv[1:]
    text = sys.stdin.read()
    blocks = text.split("Unranked Memref")[1:]
    if len(blocks) != len(names):
        sys.exit(f"expected {len(names)} printed memrefs, got {len(blocks)}")
    for name, block in zip(names, blocks):
        data = block.split("data =", 1)[1]
        values = [int(v) for v in re.findall(r"-?\d+", data)]
        print(f"{name}.result0: [{', '.join(map(str, values))}]")
        print(f"{name}.result0 fnv1a: 0x{fnv1a(values):08x}")


if __name__ == "__main__":
    main()
