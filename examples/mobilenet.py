#!/usr/bin/env python3
"""Writes MobileNet networks in the dwsep dialect, with synthetic weights.

  mobilenet.py v1 [--alpha 0.25] [--size 128] [--classes 1000]
  mobilenet.py v2 [--alpha 0.35] [--size 96] [--classes 1000]
  mobilenet.py v2-block [--size 32] [--channels 16] [--expand 6]
  mobilenet.py v1-block [--size 32] [--channels 16] [--stride 1]

Weights, biases and requantizations are deterministic: every tensor is
drawn from one 32-bit LCG (state = state * 1664525 + 1013904223, the value
is the top byte) seeded from --seed, so two runs print the same network.
Activations are uint8 with PULP-NN-style folded requantization
(`clip((k * acc + l) >> d, 0, 255)`, ReLU in the clamp); each layer's
multiplier is chosen from the expected accumulator spread so that outputs
use the uint8 range instead of saturating.

v2 is MobileNetV2 whole (Sandler et al. 2018, the Keras/TF-slim table):
a 3x3 stride-2 conv, 17 inverted residual blocks (1x1 expansion, 3x3
depthwise, 1x1 linear projection, residual add when the shape allows), a
1x1 conv to 1280 channels and the average pool + linear head. Unlike v1,
whose clamps are the whole uint8 range, its ReLU6 layers clamp at the
output zero point (docs/numerics.md 8.3: ReLU6 = [zp, zp + 6 / scale], here
[64, 255], i.e. 6 at the top of the range); the linear bottlenecks
(projections) and the adds keep the whole range [0, 255]. Their
multipliers are scaled up to make up for the half of each ReLU output
that sits at the zero point, so that 50+ layers neither die out nor
saturate.
"""
import argparse
import math


class Lcg:
    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def next_byte(self):
        self.state = (self.state * 1664525 + 1013904223) & 0xFFFFFFFF
        return self.state >> 24

    def small(self, bound):
        """A value in [-bound, bound]."""
        return self.next_byte() % (2 * bound + 1) - bound


def hex_i8(values):
    return '"0x' + "".join(f"{v & 0xFF:02X}" for v in values) + '"'


def hex_i32(values):
    out = []
    for v in values:
        v &= 0xFFFFFFFF
        out.append("".join(f"{(v >> (8 * i)) & 0xFF:02X}" for i in range(4)))
    return '"0x' + "".join(out) + '"'


class Net:
    WEIGHT_BOUND = 8

    def __init__(self, seed):
        self.rng = Lcg(seed)
        self.lines = []
        self.n = 0

    def name(self, prefix):
        self.n += 1
        return f"%{prefix}{self.n}"

    def const_i8(self, shape, count):
        v = self.name("w")
        vals = [self.rng.small(self.WEIGHT_BOUND) for _ in range(count)]
        t = f"tensor<{'x'.join(map(str, shape))}xi8>"
        self.lines.append(f"    {v} = arith.constant dense<{hex_i8(vals)}> : {t}")
        return v, t

    def const_i32(self, count, bound=64):
        v = self.name("b")
        vals = [self.rng.small(bound) for _ in range(count)]
        t = f"tensor<{count}xi32>"
        self.lines.append(f"    {v} = arith.constant dense<{hex_i32(vals)}> : {t}")
        return v, t

    def requant(self, channels, taps, gain=1.0, relu=False):
        """uint8 output centred at 64 for inputs centred at 64; `gain` scales
        the multipliers, `relu` clamps at the zero point (ReLU6, v2)."""
        spread = math.sqrt(taps) * 64 * (self.WEIGHT_BOUND / math.sqrt(3)) * 1.5 / gain
        shift = 16
        mult = [max(1, int(64 / spread * (1 << shift) * (0.75 + 0.5 * (self.rng.next_byte() / 255))))
                for _ in range(channels)]
        # The output zero point 64 is the requantization's zp (with floor
        # rounding, bit-identical to adding 64 << shift), so that it equals
        # the consumer's input_zp, as --dwsep-fuse requires of a fused pair.
        return (f"requant <mult = [{', '.join(map(str, mult))}], shift = [{shift}], "
                f"zp = 64, clamp = [{64 if relu else 0}, 255], rounding = floor>")

    def empty(self, t):
        e = self.name("e")
        self.lines.append(f"    {e} = tensor.empty() : {t}")
        return e

    @staticmethod
    def act(h, w, c):
        return f"tensor<{h}x{w}x{c}xui8>"

    @staticmethod
    def pad(size, k, stride):
        # TensorFlow "same": the extra padding goes to the bottom/right.
        out = (size + stride - 1) // stride
        total = max((out - 1) * stride + k - size, 0)
        return total // 2, total - total // 2, out

    def conv2d(self, x, h, w, cin, cout, k, stride, gain=1.0, relu=False):
        pt, pb, oh = self.pad(h, k, stride)
        pl, pr, ow = self.pad(w, k, stride)
        wv, wt = self.const_i8([cout, k, k, cin], cout * k * k * cin)
        bv, bt = self.const_i32(cout)
        out_t = self.act(oh, ow, cout)
        e = self.empty(out_t)
        y = self.name("a")
        self.lines.append(
            f"    {y} = dwsep.conv2d ins({x}, {wv}, {bv} : {self.act(h, w, cin)}, {wt}, {bt}) "
            f"outs({e} : {out_t}) stride [{stride}, {stride}] pad [{pt}, {pl}, {pb}, {pr}] "
            f"input_zp 128 {self.requant(cout, k * k * cin, gain, relu)} -> {out_t}")
        return y, oh, ow, cout

    def depthwise(self, x, h, w, c, stride, gain=1.0, relu=False):
        pt, pb, oh = self.pad(h, 3, stride)
        pl, pr, ow = self.pad(w, 3, stride)
        wv, wt = self.const_i8([3, 3, c], 9 * c)
        bv, bt = self.const_i32(c)
        out_t = self.act(oh, ow, c)
        e = self.empty(out_t)
        y = self.name("a")
        self.lines.append(
            f"    {y} = dwsep.depthwise ins({x}, {wv}, {bv} : {self.act(h, w, c)}, {wt}, {bt}) "
            f"outs({e} : {out_t}) stride [{stride}, {stride}] pad [{pt}, {pl}, {pb}, {pr}] "
            f"input_zp 64 {self.requant(c, 9, gain, relu)} -> {out_t}")
        return y, oh, ow, c

    def pointwise(self, x, h, w, cin, cout, gain=1.0, relu=False):
        wv, wt = self.const_i8([cout, cin], cout * cin)
        bv, bt = self.const_i32(cout)
        out_t = self.act(h, w, cout)
        e = self.empty(out_t)
        y = self.name("a")
        self.lines.append(
            f"    {y} = dwsep.pointwise ins({x}, {wv}, {bv} : {self.act(h, w, cin)}, {wt}, {bt}) "
            f"outs({e} : {out_t}) input_zp 64 {self.requant(cout, cin, gain, relu)} -> {out_t}")
        return y, h, w, cout

    def add(self, a, b, h, w, c):
        t = self.act(h, w, c)
        e = self.empty(t)
        y = self.name("a")
        wide = "<mult = [1], shift = [0], clamp = [-2147483648, 2147483647]>"
        self.lines.append(
            f"    {y} = dwsep.add ins({a}, {b} : {t}, {t}) outs({e} : {t}) lhs_zp 64 rhs_zp 64 "
            f"lhs_requant {wide} rhs_requant {wide} "
            f"requant <mult = [1], shift = [1], zp = 64, clamp = [0, 255]> -> {t}")
        return y

    def head(self, x, h, w, c, classes):
        out_t = self.act(1, 1, c)
        e = self.empty(out_t)
        p = self.name("a")
        n = h * w
        shift = 16
        mult = round((1 << shift) / n)
        self.lines.append(
            f"    {p} = dwsep.avgpool ins({x} : {self.act(h, w, c)}) outs({e} : {out_t}) "
            f"kernel [{h}, {w}] stride [{h}, {w}] input_zp 64 "
            f"requant <mult = [{mult}], shift = [{shift}], zp = 64, clamp = [0, 255]> -> {out_t}")
        wv, wt = self.const_i8([classes, c], classes * c)
        bv, bt = self.const_i32(classes)
        out_t2 = f"tensor<{classes}xi8>"
        e2 = self.empty(out_t2)
        y = self.name("a")
        spread = math.sqrt(c) * 64 * (self.WEIGHT_BOUND / math.sqrt(3)) * 1.5
        lm = max(1, int(64 / spread * (1 << shift)))
        self.lines.append(
            f"    {y} = dwsep.linear ins({p}, {wv}, {bv} : {out_t}, {wt}, {bt}) outs({e2} : {out_t2}) "
            f"input_zp 64 requant <mult = [{lm}], shift = [{shift}], clamp = [-128, 127]> -> {out_t2}")
        return y, out_t2


def module(target, fn, in_t, out_t, lines, result):
    body = "\n".join(lines)
    return (f'module attributes {{dwsep.target = #dwsep.target<"{target}">}} {{\n'
            f"  func.func @{fn}(%x: {in_t}) -> {out_t} {{\n{body}\n"
            f"    return {result} : {out_t}\n  }}\n}}\n")


def v1(args):
    net = Net(args.seed)
    ch = lambda c: max(8, int(c * args.alpha))
    x, h, w, c = net.conv2d("%x", args.size, args.size, 3, ch(32), 3, 2)
    blocks = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + \
             [(512, 1)] * 5 + [(1024, 2), (1024, 1)]
    for cout, stride in blocks:
        x, h, w, c = net.depthwise(x, h, w, c, stride)
        x, h, w, c = net.pointwise(x, h, w, c, ch(cout))
    y, out_t = net.head(x, h, w, c, args.classes)
    return module(args.target, "mobilenet_v1", Net.act(args.size, args.size, 3), out_t,
                  net.lines, y)


def make_divisible(v, divisor=8):
    """The reference's channel rounding (examples/onnx_mobilenet.py uses it
    too)."""
    new = max(divisor, int(v + divisor / 2) // divisor * divisor)
    return new + divisor if new < 0.9 * v else new


# MobileNetV2's inverted residual blocks: expansion t, output channels c,
# repetitions n, stride s of the first repetition.
V2_BLOCKS = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
             (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]
# Multiplier gains (Net.requant): a layer fed by a ReLU6 output (half of it
# at the zero point) gets RELU_IN, one fed by a linear bottleneck or an add
# LINEAR_IN, the projections PROJECT (lower: their ReLU-fed inputs have a
# positive mean, which the weights turn into per-channel offsets). Chosen
# with dwsep-interp so that activations keep their spread through all
# blocks without clamping much (0.35 @96, seed 1: the ReLU6 outputs are
# 45-58% at the zero point and at most 4.5% at 255 (1.7% but for two
# depthwise layers), the last 1x1 conv's output has a standard deviation
# of 26, the 1000 logits 19, in [-59, 48]; every alpha and size asked for,
# 96-224, gives 80-127 distinct logits, none at -128 or 127).
V2_RELU_IN, V2_LINEAR_IN, V2_PROJECT = 2.5, 1.8, 2.2


def v2(args):
    net = Net(args.seed)
    x, h, w, c = net.conv2d("%x", args.size, args.size, 3, make_divisible(32 * args.alpha), 3, 2,
                            relu=True)
    linear = False  # whether x is a linear bottleneck (or add) output
    for t, cout, n, s in V2_BLOCKS:
        cout = make_divisible(cout * args.alpha)
        for i in range(n):
            stride = s if i == 0 else 1
            y, yc = x, c
            if t != 1:
                gain = V2_LINEAR_IN if linear else V2_RELU_IN
                y, h2, w2, yc = net.pointwise(y, h, w, c, t * c, gain, relu=True)
            y, h2, w2, _ = net.depthwise(y, h, w, yc, stride, V2_RELU_IN, relu=True)
            y, h2, w2, _ = net.pointwise(y, h2, w2, yc, cout, V2_PROJECT)
            if stride == 1 and c == cout:
                y = net.add(y, x, h2, w2, cout)
            x, h, w, c, linear = y, h2, w2, cout, True
    last = make_divisible(1280 * args.alpha) if args.alpha > 1.0 else 1280
    x, h, w, c = net.pointwise(x, h, w, c, last, V2_LINEAR_IN, relu=True)
    y, out_t = net.head(x, h, w, c, args.classes)
    return module(args.target, "mobilenet_v2", Net.act(args.size, args.size, 3), out_t,
                  net.lines, y)


def v1_block(args):
    net = Net(args.seed)
    c = args.channels
    x, h, w, _ = net.depthwise("%x", args.size, args.size, c, args.stride)
    y, h, w, c2 = net.pointwise(x, h, w, c, 2 * c)
    return module(args.target, "mobilenet_v1_block", Net.act(args.size, args.size, c),
                  Net.act(h, w, c2), net.lines, y)


def v2_block(args):
    net = Net(args.seed)
    c, e = args.channels, args.channels * args.expand
    x, h, w, _ = net.pointwise("%x", args.size, args.size, c, e)
    x, h, w, _ = net.depthwise(x, h, w, e, 1)
    x, h, w, _ = net.pointwise(x, h, w, e, c)
    y = net.add(x, "%x", h, w, c)
    return module(args.target, "mobilenet_v2_block", Net.act(args.size, args.size, c),
                  Net.act(h, w, c), net.lines, y)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("network", choices=["v1", "v2", "v1-block", "v2-block"])
    ap.add_argument("--alpha", type=float, default=None, help="0.25 for v1, 0.35 for v2")
    ap.add_argument("--size", type=int, default=None)
    ap.add_argument("--classes", type=int, default=1000)
    ap.add_argument("--channels", type=int, default=16)
    ap.add_argument("--expand", type=int, default=6)
    ap.add_argument("--stride", type=int, default=1)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--target", default="gap8")
    args = ap.parse_args()
    if args.alpha is None:
        args.alpha = 0.35 if args.network == "v2" else 0.25
    if args.size is None:
        args.size = {"v1": 128, "v2": 96}.get(args.network, 32)
    print({"v1": v1, "v2": v2, "v1-block": v1_block, "v2-block": v2_block}[args.network](args),
          end="")


if __name__ == "__main__":
    main()
