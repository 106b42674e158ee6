#!/usr/bin/env python3
"""Stride-2 3x3 depthwise layers for the XpulpV2 plane kernel's row forms.

  depthwise_stride2.py [--seed N] > net.mlir

One function per layer, each layer in both layouts (HWC and CHW): output
rows of 1 to 12 pixels (the 4-pixel iterations and every remainder, 0 to 3
pixels after them, and rows under 4 pixels, which take the one-pixel loop),
SAME and VALID padding, channel counts that are and are not multiples of 4,
input and output zero points, random weights, biases and per-channel
multipliers (the 32-bit requantization the row forms need); the last
shapes with int8 activations and clamps other than the 8-bit range (the
p.min / p.max clamp: the most registers the row forms take).
"""
import argparse
import random

# (input rows, input columns, VALID padding)
SHAPES = [(5, 8, False), (6, 9, False), (7, 10, False), (8, 11, False),
          (6, 13, False), (5, 15, False), (9, 17, False), (4, 23, False),
          (7, 12, True), (6, 14, True), (5, 19, True), (6, 9, True),
          (5, 5, False), (6, 6, False), (3, 7, True), (9, 27, True)]
# (input rows, input columns, clamp, output zero point): int8 activations.
SIGNED = [(7, 13, (-100, 100), 5), (9, 17, (-128, 127), -3),
          (6, 11, (-90, 127), 0), (5, 14, (-128, 50), 7)]
# (input rows, input columns, clamp, output zero point): SAME on widths that
# are multiples of 8, whose CHW layers the plane kernel reads in place (the
# last output row's window one row past the input; with an odd height one
# row above it too, which takes the plane at run time); 66 x 64 is split
# into row tiles.
IN_PLACE = [(8, 8, (0, 255), None), (10, 16, (0, 255), None),
            (9, 16, (0, 255), None), (7, 24, (-128, 127), 4),
            (66, 64, (0, 255), None)]


def tensor(layout, h, w, c, et="ui8"):
    return f"tensor<{h}x{w}x{c}x{et}>" if layout == "hwc" else f"tensor<{c}x{h}x{w}x{et}>"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    fns = []
    layers = [(h, w, valid, "ui8", (0, 255), None) for h, w, valid in SHAPES]
    layers += [(h, w, False, "i8", clamp, zp) for h, w, clamp, zp in SIGNED]
    layers += [(h, w, False, "i8" if clamp[0] < 0 else "ui8", clamp, zp)
               for h, w, clamp, zp in IN_PLACE]
    for i, (h, w, valid, et, clamp, zp) in enumerate(layers):
        for layout in ("hwc", "chw"):
            c = rng.choice([3, 5, 8, 12, 16, 24])
            if valid:
                oh, ow, pad = (h - 3) // 2 + 1, (w - 3) // 2 + 1, [0, 0, 0, 0]
            else:
                oh, ow = (h + 1) // 2, (w + 1) // 2
                th, tw = max((oh - 1) * 2 + 3 - h, 0), max((ow - 1) * 2 + 3 - w, 0)
                pad = [th // 2, tw // 2, th - th // 2, tw - tw // 2]
            wts = ", ".join(
                "[" + ", ".join("[" + ", ".join(str(rng.randint(-128, 127)) for _ in range(c))
                                + "]" for _ in range(3)) + "]" for _ in range(3))
            bias = ", ".join(str(rng.randint(-3000, 3000)) for _ in range(c))
            mult = ", ".join(str(rng.randint(2000, 4000)) for _ in range(c))
            it, ot = tensor(layout, h, w, c, et), tensor(layout, oh, ow, c, et)
            izp = rng.choice([0, 64, 128]) if et == "ui8" else rng.choice([0, -7, 20])
            ozp = rng.choice([0, 64]) if zp is None else zp
            lay = "" if layout == "hwc" else "layout <chw> "
            fns.append(
                f"  func.func @s2_{i}_{layout}_{h}x{w}(%x: {it}) -> {ot} {{\n"
                f"    %w = arith.constant dense<[{wts}]> : tensor<3x3x{c}xi8>\n"
                f"    %b = arith.constant dense<[{bias}]> : tensor<{c}xi32>\n"
                f"    %e = tensor.empty() : {ot}\n"
                f"    %y = dwsep.depthwise ins(%x, %w, %b : {it}, tensor<3x3x{c}xi8>, "
                f"tensor<{c}xi32>) outs(%e : {ot}) {lay}stride [2, 2] "
                f"pad [{', '.join(map(str, pad))}] input_zp {izp} "
                f"requant <mult = [{mult}], shift = [16], zp = {ozp}, "
                f"clamp = [{clamp[0]}, {clamp[1]}], rounding = floor> -> {ot}\n"
                f"    return %y : {ot}\n  }}\n")
    print("module {\n" + "".join(fns) + "}")


if __name__ == "__main__":
    main()
