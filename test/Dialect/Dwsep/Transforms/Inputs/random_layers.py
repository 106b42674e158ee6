#!/usr/bin/env python3
"""Random dwsep layers for the tiling property test (random-tiling.test).

Prints `--split-input-file` chunks: each a module with its own L1 size (a
tight, a medium or the full GAP8 L1) and many single-layer functions with
odd sizes, channel counts that are not multiples of 4 or 8, strides 1 and 2,
kernels 1/3/5, asymmetric padding, both layouts, every op kind and every
fused variant. Shapes are kept small enough that the smallest tile fits the
module's budget (a conservative estimate below), so every layer must tile;
--dwsep-report then proves for each one that the DMA traffic equals the plan
and that every output element is written exactly once, and
--dwsep-check-memory that every buffer lies in its arena.
"""
import argparse
import math
import random
import re

RANDOM_WEIGHTS = False
EDGE_REQUANT = False
WIDE_LINEAR = False
FLOAT32_RNG = [random.Random(0)]
ONE_PIXEL_RNG = [random.Random(0)]

STACKS = 3500 + 7 * 3400  # GAP8 preset: core 0 + 7 workers

VARIANTS = [
    ("dw_pw", "hwc", "hwc", "hwc", "rows"),
    ("dw_pw", "chw", "hwc", "chw", "rows"),
    ("pw_dw", "hwc", "hwc", "hwc", "rows"),
    ("pw_dw", "hwc", "chw", "hwc", "rows"),
    ("pw_dw", "hwc", "hwc", "hwc", "channels"),
    ("pw_dw", "hwc", "chw", "hwc", "channels"),
    ("pw_dw", "chw", "chw", "chw", "channels"),
    ("dw_pw", "hwc", "chw", "chw", "rows"),  # legal, not one of the paper's
]


def shape(layout, h, w, c):
    return f"{h}x{w}x{c}" if layout == "hwc" else f"{c}x{h}x{w}"


def requant(rng, channels, signed, taps=1, wide=False, zp_in_type=False):
    """Scaled to the accumulator spread of `taps` products, so that outputs
    rarely saturate and a wrong tap shows in the output."""
    if EDGE_REQUANT:
        return edge_requant(rng, channels, signed, taps, wide, zp_in_type)
    lo, hi = (-128, 127) if signed else (0, 255)
    if rng.random() < 0.5 and channels > 1:
        mult = ", ".join(str(rng.randint(1, 50)) for _ in range(channels))
    else:
        mult = str(rng.randint(1, 50))
    shift = max(0, round(math.log2(max(taps, 1))) + 7 + rng.randint(-1, 1))
    zp = rng.randint(-20, 20) if signed else rng.randint(100, 150)
    rounding = rng.choice(["", ", rounding = floor", ", rounding = double_round"])
    # A quarter of the half_up ones become float32 (ONNX Runtime's), drawn
    # from their own generator: the shapes of a seed do not change.
    if not rounding and FLOAT32_RNG[0].random() < 0.25:
        rounding = ", rounding = float32"
    return (f"<mult = [{mult}], shift = [{shift}], zp = {zp}, clamp = [{lo}, {hi}]"
            f"{rounding}>")


# --requant-edge: every requantization is one of these profiles in turn, and
# the rounding modes in turn, so that each specialised lowering of the
# requantization (LowerKernels.cpp, RequantPlan) is exercised by every op
# kind: per tensor with shift < 32, >= 32 and 0; per channel with shifts on
# both sides of 32 (rescaled to a per-channel shift >= 32), TOSA-like
# multipliers near 2^30 with large shifts, and mixes that need the general
# i64 formula; negative multipliers, addends, zero points from 0 to huge,
# narrow and full clamps.
EDGE_PROFILES = ["small", "big", "shift0", "mixed", "tosa", "general", "extreme"]
EDGE_ROUNDINGS = ["", ", rounding = floor", ", rounding = double_round", ", rounding = float32"]
EDGE_COUNT = [0]
I32 = (-2 ** 31, 2 ** 31 - 1)


def edge_requant(rng, channels, signed, taps, wide, zp_in_type):
    n = EDGE_COUNT[0]
    EDGE_COUNT[0] += 1
    profile = EDGE_PROFILES[n % len(EDGE_PROFILES)]
    rounding = EDGE_ROUNDINGS[(n // len(EDGE_PROFILES)) % len(EDGE_ROUNDINGS)]
    # Scale from the accumulator spread (random weights in [-8, 8], inputs
    # spread over the 8-bit range) to about +-60.
    f = 60.0 / (400.0 * math.sqrt(max(taps, 1)))

    def scaled(s):
        m = int(round(f * 2 ** s))
        return max(1, min(m, 2 ** 31 - 1))

    def one(kind):
        if kind == "small":
            s = rng.randint(1, 20)
            m = scaled(s)
        elif kind == "big":
            s = rng.randint(32, 50)
            while f * 2 ** s >= 2 ** 31:
                s -= 1
            m = scaled(s)
        elif kind == "tosa":
            m = rng.randint(2 ** 30, 2 ** 31 - 1)
            s = min(62, max(0, int(round(math.log2(m / f)))))
        elif kind == "shift0":
            s, m = 0, rng.choice([1, 2, 3])
        else:  # extreme: the largest multipliers and shifts
            s, m = rng.choice([(62, 2 ** 31 - 1), (61, 2 ** 31 - 1), (31, 2 ** 31 - 1), (1, 2 ** 31 - 1)])
        if rng.random() < 0.3:
            m = -m if m < 2 ** 31 else -(2 ** 31)
        return m, s

    kinds = {"small": ["small"], "big": ["big"], "shift0": ["shift0"],
             "mixed": ["small", "big", "tosa"], "tosa": ["tosa"],
             "general": ["small", "big", "tosa", "shift0"],
             "extreme": ["extreme", "tosa", "small"]}[profile]
    per_channel = profile in ("mixed", "general", "extreme") or (channels > 1 and rng.random() < 0.5)
    count = channels if per_channel else 1
    ms = [one(rng.choice(kinds)) for _ in range(count)]
    if "float32" in rounding:
        # A float32 scale: at most 24 significant bits.
        ms = [(m if abs(m) < 2 ** 24 else
               (1 if m > 0 else -1) * (abs(m) >> (abs(m).bit_length() - 24) << (abs(m).bit_length() - 24)), s)
              for m, s in ms]
    mult = [m for m, _ in ms]
    shift = [s for _, s in ms]
    if profile == "tosa" and rng.random() < 0.5:
        shift = [shift[0]]  # per-channel multipliers, one shift
    if len(set(shift)) == 1:
        shift = shift[:1]
    add = ""
    r = rng.random()
    if "float32" in rounding:
        pass  # ONNX Runtime's requantization adds nothing
    elif r < 0.4:
        adds = [rng.randint(-2 ** min(s + 3, 31), 2 ** min(s + 3, 31) - 1) for s in
                (shift * count if len(shift) == 1 else shift)]
        add = f", add = [{', '.join(map(str, adds))}]"
    elif r < 0.5:
        add = f", add = [{rng.choice(I32)}]"
    r = rng.random()
    zp = (rng.randint(-20, 20) if r < 0.85 else
          rng.choice([0, 100000, -100000, 2 ** 31 - 1, -2 ** 31]))
    if zp_in_type:  # a fused kernel's intermediate zero point
        zp = rng.randint(-128, 127) if signed else rng.randint(0, 255)
    if wide:
        lo, hi = I32
        if rng.random() < 0.5:
            lo, hi = sorted([rng.randint(-100000, 100000), rng.randint(-100000, 100000)])
    else:
        lo, hi = (-128, 127) if signed else (0, 255)
        r = rng.random()
        if r < 0.3:
            lo, hi = lo + rng.randint(0, 100), hi - rng.randint(0, 100)
        elif r < 0.35:
            lo = hi = rng.randint(lo, hi)
    return (f"<mult = [{', '.join(map(str, mult))}], shift = [{', '.join(map(str, shift))}]"
            f"{add}, zp = {zp}, clamp = [{lo}, {hi}]{rounding}>")


def weights_literal(rng, count, bits, splat):
    if not RANDOM_WEIGHTS:
        return f"dense<{splat}>"
    bound = 8 if bits == 8 else 400
    vals = [rng.randint(-bound, bound) for _ in range(count)]
    nbytes = bits // 8
    raw = "".join("".join(f"{((v & ((1 << bits) - 1)) >> (8 * i)) & 0xFF:02X}"
                          for i in range(nbytes)) for v in vals)
    return f'dense<"0x{raw}">'


def count_of(t):
    dims = t[len("tensor<"):].split("x")[:-1]
    n = 1
    for d in dims:
        n *= int(d)
    return n


KINDS = ["conv2d", "depthwise", "pointwise", "fused", "add", "avgpool",
         "linear", "relayout"]
MAX_CIN = 37


def window(rng, size, k):
    stride = rng.choice([1, 2])
    while True:
        pad = [rng.randint(0, k - 1), rng.randint(0, k - 1)]
        if size + pad[0] + pad[1] >= k:
            return stride, pad, (size + pad[0] + pad[1] - k) // stride + 1


def layer(rng, name, budget):
    """One function with one random layer; returns its text."""
    flat_map = [None]
    while True:
        kind = rng.choice(KINDS)
        h, w = rng.randint(1, 19), rng.randint(1, 19)
        cin, cout = rng.randint(1, MAX_CIN), rng.randint(1, 37)
        if WIDE_LINEAR:
            # Linear layers around the budget: some fit over all input
            # features, the others need K tiling (an odd count at times);
            # weights up to 200 KB.
            kind = "linear"
            cin = rng.randint(max(8, budget // 2), 3 * budget)
            cout = rng.randint(1, max(1, min(37, 200000 // cin)))
            # Half of them over a flattened H x W x C map (features in
            # HWC order).
            if rng.random() < 0.5:
                h, w = rng.randint(1, 7), rng.randint(2, 7)
                cin = max(1, cin // (h * w))
                flat_map[0] = (h, w, cin)
                cin *= h * w
            break
        k = rng.choice([1, 3, 3, 5])
        k = min(k, max(1, min(h, w) + 2 * (k // 2)))
        # Conservative smallest-tile estimate: k input rows of all input
        # channels, double-buffered, plus one output row and weights.
        est = 2 * (k * w * cin * 2) + 2 * w * cout + k * k * cin * 2 + 8 * cin + 4 * cin + 256
        if kind in ("fused",):
            est += k * w * max(cin, cout) * 2 + cin * cout
        if est <= budget:
            break
    signed = rng.random() < 0.5
    et = "i8" if signed else "ui8"
    layout = rng.choice(["hwc", "chw"])
    weights = []  # (name, type, value)

    def const(n, t, v):
        if v.startswith("dense<") and RANDOM_WEIGHTS:
            bits = 32 if t.endswith("xi32>") else 8
            v = weights_literal(rng, count_of(t), bits, v[len("dense<"):-1])
        weights.append((n, t, v))
        return f"%{n}"

    body = []
    if kind in ("conv2d", "depthwise"):
        c_out = cout if kind == "conv2d" else cin
        sh, ph, oh = window(rng, h, k)
        sw, pw_, ow = window(rng, w, k)
        pad = f"[{ph[0]}, {pw_[0]}, {ph[1]}, {pw_[1]}]"
        in_t = f"tensor<{shape(layout, h, w, cin)}x{et}>"
        out_t = f"tensor<{shape(layout, oh, ow, c_out)}x{et}>"
        wt = (f"tensor<{c_out}x{k}x{k}x{cin}xi8>" if kind == "conv2d"
              else f"tensor<{k}x{k}x{cin}xi8>")
        wv = const("w", wt, f"dense<{rng.randint(-3, 3)}>")
        bv = const("b", f"tensor<{c_out}xi32>", f"dense<{rng.randint(-9, 9)}>")
        body.append(f"%e = tensor.empty() : {out_t}")
        body.append(f"%y = dwsep.{kind} ins(%x, {wv}, {bv} : {in_t}, {wt}, tensor<{c_out}xi32>) "
                    f"outs(%e : {out_t}) layout <{layout}> stride [{sh}, {sw}] pad {pad} "
                    f"requant {requant(rng, c_out, signed, k * k * (cin if kind == 'conv2d' else 1))} -> {out_t}")
    elif kind == "pointwise":
        in_t = f"tensor<{shape(layout, h, w, cin)}x{et}>"
        out_t = f"tensor<{shape(layout, h, w, cout)}x{et}>"
        wv = const("w", f"tensor<{cout}x{cin}xi8>", "dense<1>")
        bv = const("b", f"tensor<{cout}xi32>", "dense<0>")
        body.append(f"%e = tensor.empty() : {out_t}")
        body.append(f"%y = dwsep.pointwise ins(%x, {wv}, {bv} : {in_t}, tensor<{cout}x{cin}xi8>, "
                    f"tensor<{cout}xi32>) outs(%e : {out_t}) layout <{layout}> "
                    f"requant {requant(rng, cout, signed, cin)} -> {out_t}")
    elif kind == "fused":
        order, vin, vmid, vout, split = rng.choice(VARIANTS)
        if order == "dw_pw":
            mid_c, dw_c = cin, cin
            sh, ph, oh = window(rng, h, k)
            sw, pw_, ow = window(rng, w, k)
        else:
            mid_c, dw_c = cout, cout
            sh, ph, oh = window(rng, h, k)
            sw, pw_, ow = window(rng, w, k)
        out_c = cout
        pad = f"[{ph[0]}, {pw_[0]}, {ph[1]}, {pw_[1]}]"
        in_t = f"tensor<{shape(vin, h, w, cin)}x{et}>"
        out_t = f"tensor<{shape(vout, oh, ow, out_c)}x{et}>"
        pw_in = cin
        dww = const("dww", f"tensor<{k}x{k}x{dw_c}xi8>", "dense<1>")
        dwb = const("dwb", f"tensor<{dw_c}xi32>", "dense<2>")
        pww = const("pww", f"tensor<{mid_c if order == 'pw_dw' else cout}x{pw_in}xi8>", "dense<-1>")
        pwb = const("pwb", f"tensor<{mid_c if order == 'pw_dw' else cout}xi32>", "dense<3>")
        pw_rows = mid_c if order == "pw_dw" else cout
        dw_rq = requant(rng, dw_c, signed, k * k, zp_in_type=True)
        pw_rq = requant(rng, pw_rows, signed, pw_in, zp_in_type=True)
        body.append(f"%e = tensor.empty() : {out_t}")
        body.append(
            f"%y = dwsep.fused ins(%x : {in_t}) "
            f"dw({dww}, {dwb} : tensor<{k}x{k}x{dw_c}xi8>, tensor<{dw_c}xi32>) "
            f"pw({pww}, {pwb} : tensor<{pw_rows}x{pw_in}xi8>, tensor<{pw_rows}xi32>) "
            f"outs(%e : {out_t}) variant <{order}, input = {vin}, mid = {vmid}, output = {vout}, "
            f"split = {split}> mid_type {et} stride [{sh}, {sw}] pad {pad} "
            f"dw_requant {dw_rq} pw_requant {pw_rq} -> {out_t}")
    elif kind == "add":
        t = in_t = out_t = f"tensor<{shape(layout, h, w, cin)}x{et}>"
        wide = "<mult = [1], shift = [0], clamp = [-2147483648, 2147483647]>"
        lhs = rhs = wide
        if EDGE_REQUANT:
            lhs = requant(rng, cin, signed, 1, wide=True)
            rhs = requant(rng, cin, signed, 1, wide=True)
        body.append(f"%e = tensor.empty() : {t}")
        body.append(f"%y = dwsep.add ins(%x, %x : {t}, {t}) outs(%e : {t}) layout <{layout}> "
                    f"lhs_requant {lhs} rhs_requant {rhs} requant {requant(rng, cin, signed)} -> {t}")
    elif kind == "avgpool":
        kh, kw = rng.randint(1, h), rng.randint(1, w)
        sh, sw = rng.choice([1, 2]), rng.choice([1, 2])
        oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
        in_t = f"tensor<{shape(layout, h, w, cin)}x{et}>"
        out_t = f"tensor<{shape(layout, oh, ow, cin)}x{et}>"
        body.append(f"%e = tensor.empty() : {out_t}")
        body.append(f"%y = dwsep.avgpool ins(%x : {in_t}) outs(%e : {out_t}) kernel [{kh}, {kw}] "
                    f"stride [{sh}, {sw}] layout <{layout}> "
                    f"requant {requant(rng, cin if EDGE_REQUANT else 1, signed, kh * kw)} -> {out_t}")
    elif kind == "linear":
        in_t = f"tensor<1x1x{cin}x{et}>" if rng.random() < 0.5 else f"tensor<{cin}x{et}>"
        if flat_map[0]:
            in_t = f"tensor<{'x'.join(map(str, flat_map[0]))}x{et}>"
        out_t = f"tensor<{cout}x{et}>"
        # With --wide-linear, half of the 1 x 1 x C ones are written as a
        # pointwise over one pixel (a classifier as a 1x1 convolution),
        # which the pipeline canonicalizes to the linear layer. Drawn from
        # a generator of its own: the shapes of a seed do not change.
        op = "linear"
        if WIDE_LINEAR and in_t.startswith("tensor<1x1x") and ONE_PIXEL_RNG[0].random() < 0.5:
            op, out_t = "pointwise", f"tensor<1x1x{cout}x{et}>"
        wv = const("w", f"tensor<{cout}x{cin}xi8>", "dense<1>")
        bv = const("b", f"tensor<{cout}xi32>", "dense<1>")
        body.append(f"%e = tensor.empty() : {out_t}")
        body.append(f"%y = dwsep.{op} ins(%x, {wv}, {bv} : {in_t}, tensor<{cout}x{cin}xi8>, "
                    f"tensor<{cout}xi32>) outs(%e : {out_t}) requant {requant(rng, cout, signed, cin)} -> {out_t}")
    else:  # relayout
        to = "chw" if layout == "hwc" else "hwc"
        in_t = f"tensor<{shape(layout, h, w, cin)}x{et}>"
        out_t = f"tensor<{shape(to, h, w, cin)}x{et}>"
        body.append(f"%e = tensor.empty() : {out_t}")
        body.append(f"%y = dwsep.relayout ins(%x : {in_t}) outs(%e : {out_t}) from <{layout}> to <{to}> -> {out_t}")

    if EDGE_REQUANT and kind != "relayout":
        # Input zero points too (folded into the biases by the kernels).
        def izp():
            return rng.randint(-128, 127) if signed else rng.randint(0, 255)
        op = body[-1]
        if kind == "add":
            op = op.replace(" lhs_requant ", f" lhs_zp {izp()} rhs_zp {izp()} lhs_requant ", 1)
        elif kind == "fused":
            op = op.replace(" dw_requant ", f" input_zp {izp()} dw_requant ", 1)
        else:
            op = op.replace(" requant ", f" input_zp {izp()} requant ", 1)
        body[-1] = op

    lines = [f"  func.func @{name}(%x: {in_t}) -> {out_t} {{"]
    for n, t, v in weights:
        lines.append(f"    %{n} = arith.constant {v} : {t}")
    lines += [f"    {b}" for b in body]
    lines.append(f"    return %y : {out_t}")
    lines.append("  }")
    return "\n".join(lines)


def weight_bytes(func):
    """Bytes of the constants (weights and biases) of a generated function."""
    total = 0
    for line in func.splitlines():
        if "arith.constant" not in line:
            continue
        dims = line.rsplit("tensor<", 1)[1].rstrip(">").split("x")
        elem = 4 if dims[-1] == "i32" else 1
        total += elem * math.prod(int(d) for d in dims[:-1])
    return total


def activation_bytes(func):
    """Bytes of the arguments and result of a generated function."""
    sig = next(l for l in func.splitlines() if "func.func" in l)
    total = 0
    for t in re.findall(r"tensor<([0-9x]+)x(u?i8|i32)>", sig):
        total += math.prod(int(d) for d in t[0].split("x"))
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--modules", type=int, default=6)
    ap.add_argument("--layers", type=int, default=40)
    ap.add_argument("--l1", type=int, default=0,
                    help="L1 size of every module (default: tight, medium, full in turn)")
    ap.add_argument("--cores", type=int, default=8,
                    help="cluster cores of the target (stacks: 3500 + 3400 per extra core)")
    ap.add_argument("--l2", type=int, default=0,
                    help="L2 size of every module (default: GAP8's 512 KiB); small "
                         "sizes move activations to L3 and stream them in row bands")
    ap.add_argument("--random-weights", action="store_true",
                    help="random weights and biases (default: splats, enough for tiling)")
    ap.add_argument("--requant-edge", action="store_true",
                    help="requantizations from EDGE_PROFILES (edge cases of each "
                         "lowering) instead of well-scaled ones")
    ap.add_argument("--kinds", default=None,
                    help="comma-separated op kinds to draw from (default: all)")
    ap.add_argument("--wide-linear", action="store_true",
                    help="only linear layers with 1/2 to 3 times the L1 budget "
                         "of input features (input-feature tiling)")
    ap.add_argument("--max-cin", type=int, default=37,
                    help="largest input channel count (4: a first layer's "
                         "few-channel conv kernels)")
    args = ap.parse_args()
    global RANDOM_WEIGHTS, EDGE_REQUANT, KINDS, MAX_CIN, WIDE_LINEAR
    WIDE_LINEAR = args.wide_linear
    KINDS = args.kinds.split(",") if args.kinds else KINDS
    MAX_CIN = args.max_cin
    RANDOM_WEIGHTS = args.random_weights
    EDGE_REQUANT = args.requant_edge
    rng = random.Random(args.seed)
    FLOAT32_RNG[0] = random.Random(args.seed + 7919)
    ONE_PIXEL_RNG[0] = random.Random(args.seed + 104729)
    chunks = []
    for m in range(args.modules):
        stacks = 3500 + (args.cores - 1) * 3400
        l1 = args.l1 or [stacks + 1200, stacks + 6000, 65536][m % 3]
        budget = l1 - stacks
        # (No layer fits a budget under the smallest estimate: fail, not hang.)
        if budget <= 256:
            ap.error(f"--l1 {l1} leaves {budget} B after the stacks of "
                     f"{args.cores} cores ({stacks} B)")
        funcs = []
        for i in range(args.layers):
            f = layer(rng, f"l{m}_{i}", budget)
            # Weights are staged whole in L2 and a band needs its window's
            # rows: with a small L2, keep layers whose weights take at most
            # half of it and whose activations are not much bigger.
            while args.l2 and (2 * weight_bytes(f) > args.l2
                               or 2 * activation_bytes(f) > 3 * args.l2):
                f = layer(rng, f"l{m}_{i}", budget)
            funcs.append(f)
        cores = "" if args.cores == 8 else f", cores = {args.cores}"
        if args.l2:
            cores += f", l2_size = {args.l2}"
        chunks.append(f'module attributes {{dwsep.target = #dwsep.target<"gap8", l1_size = {l1}{cores}>}} {{\n'
                      + "\n".join(funcs) + "\n}")
    print("\n// -----\n".join(chunks))


if __name__ == "__main__":
    main()
