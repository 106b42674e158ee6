#!/usr/bin/env python3
"""Seed corpus for dwsep-fuzz: every --split-input-file chunk of the .mlir
tests under test/, and the example networks and random layers the
end-to-end tests generate (small sizes), one file each.

  make_corpus.py OUT_DIR
"""
import hashlib
import os
import subprocess
import sys

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PY = sys.executable


def chunks():
    for root, _, files in os.walk(os.path.join(SRC, "test")):
        for name in sorted(files):
            if name.endswith(".mlir"):
                with open(os.path.join(root, name)) as f:
                    text = f.read()
                for chunk in text.split("// -----"):
                    # RUN/CHECK lines are noise to the parser's mutations.
                    lines = [l for l in chunk.splitlines()
                             if not l.lstrip().startswith("// RUN") and "CHECK" not in l]
                    yield "\n".join(lines) + "\n"
    gen = lambda *args: subprocess.run([PY, *args], check=True, stdout=subprocess.PIPE,
                                       text=True).stdout
    ex = os.path.join(SRC, "examples", "mobilenet.py")
    yield gen(ex, "v1-block", "--size", "6", "--channels", "4", "--stride", "2")
    yield gen(ex, "v2-block", "--size", "5", "--channels", "4", "--expand", "2")
    layers = os.path.join(SRC, "test", "Dialect", "Dwsep", "Transforms", "Inputs",
                          "random_layers.py")
    for seed in range(1, 4):
        text = gen(layers, "--seed", str(seed), "--modules", "3", "--layers", "2")
        for chunk in text.split("// -----"):
            yield chunk


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    n = 0
    for chunk in chunks():
        if not chunk.strip():
            continue
        data = chunk.encode()
        with open(os.path.join(out, hashlib.sha1(data).hexdigest()), "wb") as f:
            f.write(data)
        n += 1
    print(f"{n} seeds in {out}")


if __name__ == "__main__":
    main()
