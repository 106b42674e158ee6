#!/usr/bin/env python3
"""Writes the TOSA int8 networks of equivalence.mlir (deterministic).

Usage: gen_networks.py  (prints the split-file sections `nets.mlir` and
`main.mlir` that follow the RUN lines of equivalence.mlir).
Each network is a function @<name>() with every input and weight a tosa.const;
@main calls each one and prints its result with printMemrefI32.
"""
import random

rng = random.Random(2024)


def dense(vals, shape, ty):
    def nest(v, s):
        if not s:
            return str(v[0])
        n = len(v) // s[0]
        return "[" + ", ".join(nest(v[i * n:(i + 1) * n], s[1:]) for i in range(s[0])) + "]"
    t = f"tensor<{'x'.join(map(str, shape))}x{ty}>"
    return f"dense<{nest(vals, shape)}> : {t}", t


def count(shape):
    n = 1
    for d in shape:
        n *= d
    return n


class Net:
    def __init__(self, name):
        self.name, self.lines, self.n = name, [], 0

    def tmp(self):
        self.n += 1
        return f"%v{self.n}"

    def const(self, vals, shape, ty):
        d, t = dense(vals, shape, ty)
        v = self.tmp()
        self.lines.append(f'{v} = "tosa.const"() {{values = {d}}} : () -> {t}')
        return v, t

    def rand(self, shape, lo, hi, ty="i8"):
        return self.const([rng.randint(lo, hi) for _ in range(count(shape))], shape, ty)

    def scalar(self, v, ty):
        return self.const([v], [1], ty)[0]

    def rescale(self, x, xt, out_shape, out_ty, mult, shift, izp, ozp, in_ty, rounding, per_channel):
        n = len(mult)
        m, mt = self.const(mult, [n], "i32")
        s, st = self.const(shift, [n], "i8")
        iz = self.scalar(izp, in_ty)
        oz = self.scalar(ozp, out_ty)
        v = self.tmp()
        ot = f"tensor<{'x'.join(map(str, out_shape))}x{out_ty}>"
        self.lines.append(
            f"{v} = tosa.rescale {x}, {m}, {s}, {iz}, {oz} {{scale32 = true, rounding_mode = {rounding}, "
            f"per_channel = {'true' if per_channel else 'false'}, input_unsigned = false, output_unsigned = false}} : "
            f"({xt}, {mt}, {st}, tensor<1x{in_ty}>, tensor<1x{out_ty}>) -> {ot}")
        return v, ot

    def clamp(self, x, xt, lo, hi):
        v = self.tmp()
        self.lines.append(f"{v} = tosa.clamp {x} {{min_val = {lo} : i8, max_val = {hi} : i8}} : ({xt}) -> {xt}")
        return v, xt

    def requant_params(self, c, shift_lo, shift_hi):
        return ([rng.randint(1 << 30, (1 << 31) - 1) for _ in range(c)],
                [rng.randint(shift_lo, shift_hi) for _ in range(c)])

    def conv(self, kind, x, xt, in_shape, cout, k, stride, pad, izp, rounding, shift, clamp=None, ozp=0):
        h, w, cin = in_shape
        if kind == "dw":
            wv, wt = self.rand([k, k, cin, 1], -60, 60)
            cout = cin
        else:
            wv, wt = self.rand([cout, k, k, cin], -60, 60)
        bv, bt = self.rand([cout], -3000, 3000, "i32")
        iz = self.scalar(izp, "i8")
        wz = self.scalar(0, "i8")
        ho = (h + pad[0] + pad[1] - k) // stride + 1
        wo = (w + pad[2] + pad[3] - k) // stride + 1
        v = self.tmp()
        at = f"tensor<1x{ho}x{wo}x{cout}xi32>"
        op = "tosa.depthwise_conv2d" if kind == "dw" else "tosa.conv2d"
        self.lines.append(
            f"{v} = {op} {x}, {wv}, {bv}, {iz}, {wz} {{acc_type = i32, dilation = array<i64: 1, 1>, "
            f"pad = array<i64: {', '.join(map(str, pad))}>, stride = array<i64: {stride}, {stride}>}} : "
            f"({xt}, {wt}, {bt}, tensor<1xi8>, tensor<1xi8>) -> {at}")
        mult, shifts = self.requant_params(cout, *shift)
        r, rt = self.rescale(v, at, [1, ho, wo, cout], "i8", mult, shifts, 0, ozp, "i32", rounding, True)
        if clamp:
            r, rt = self.clamp(r, rt, *clamp)
        return r, rt, (ho, wo, cout)

    def emit(self, ret, rt):
        body = "\n".join("  " + l for l in self.lines)
        return f"func.func @{self.name}() -> {rt} {{\n{body}\n  return {ret} : {rt}\n}}\n"


def v1_block():
    n = Net("mobilenet_v1_block")
    x, xt = n.rand([1, 6, 6, 8], -128, 127)
    y, yt, s = n.conv("dw", x, xt, (6, 6, 8), 8, 3, 1, [1, 1, 1, 1], -3, "DOUBLE_ROUND", (37, 39),
                      clamp=(-128, 90), ozp=-128)
    z, zt, s = n.conv("pw", y, yt, s, 12, 1, 1, [0, 0, 0, 0], -128, "DOUBLE_ROUND", (37, 39),
                      clamp=(-128, 100), ozp=-128)
    return n.emit(z, zt)


def v1_block_s2():
    n = Net("mobilenet_v1_block_s2")
    x, xt = n.rand([1, 7, 7, 6], -128, 127)
    y, yt, s = n.conv("dw", x, xt, (7, 7, 6), 6, 3, 2, [1, 1, 1, 1], 5, "SINGLE_ROUND", (36, 38),
                      clamp=(-20, 127), ozp=-20)
    z, zt, s = n.conv("pw", y, yt, s, 10, 1, 1, [0, 0, 0, 0], -20, "DOUBLE_ROUND", (36, 38), ozp=7)
    return n.emit(z, zt)


def v2_block():
    n = Net("mobilenet_v2_block")
    x, xt = n.rand([1, 5, 5, 8], -128, 127)
    izp = 4
    e, et, s = n.conv("pw", x, xt, (5, 5, 8), 16, 1, 1, [0, 0, 0, 0], izp, "SINGLE_ROUND", (36, 38),
                      clamp=(-128, 110), ozp=-128)
    d, dt, s = n.conv("dw", e, et, s, 16, 3, 1, [1, 1, 1, 1], -128, "SINGLE_ROUND", (37, 39),
                      clamp=(-128, 110), ozp=-128)
    p, pt, s = n.conv("pw", d, dt, s, 8, 1, 1, [0, 0, 0, 0], -128, "DOUBLE_ROUND", (37, 39), ozp=-6)
    # Residual: rescale both to i32 (TFLite style, left shift 20), add, rescale back.
    it = "tensor<1x5x5x8xi32>"
    a, _ = n.rescale(x, xt, [1, 5, 5, 8], "i32", [1518500250], [11], izp, 0, "i8", "SINGLE_ROUND", False)
    b, _ = n.rescale(p, pt, [1, 5, 5, 8], "i32", [1073741824], [10], -6, 0, "i8", "SINGLE_ROUND", False)
    v = n.tmp()
    n.lines.append(f"{v} = tosa.add {a}, {b} : ({it}, {it}) -> {it}")
    r, rt = n.rescale(v, it, [1, 5, 5, 8], "i8", [1431655765], [50], 0, 2, "i32", "DOUBLE_ROUND", False)
    return n.emit(r, rt)


def head():
    n = Net("classifier_head")
    x, xt = n.rand([1, 5, 5, 8], -128, 127)
    iz = n.scalar(-7, "i8")
    oz = n.scalar(3, "i8")
    p = n.tmp()
    pt = "tensor<1x1x1x8xi8>"
    n.lines.append(
        f"{p} = tosa.avg_pool2d {x}, {iz}, {oz} {{acc_type = i32, kernel = array<i64: 5, 5>, "
        f"stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>}} : ({xt}, tensor<1xi8>, tensor<1xi8>) -> {pt}")
    shp = n.tmp()
    n.lines.append(f"{shp} = tosa.const_shape {{values = dense<[1, 1, 8]> : tensor<3xindex>}} : () -> !tosa.shape<3>")
    f = n.tmp()
    ft = "tensor<1x1x8xi8>"
    n.lines.append(f"{f} = tosa.reshape {p}, {shp} : ({pt}, !tosa.shape<3>) -> {ft}")
    w, wt = n.rand([1, 8, 10], -100, 100)
    az = n.scalar(3, "i8")
    bz = n.scalar(0, "i8")
    mm = n.tmp()
    mt = "tensor<1x1x10xi32>"
    n.lines.append(f"{mm} = tosa.matmul {f}, {w}, {az}, {bz} : ({ft}, {wt}, tensor<1xi8>, tensor<1xi8>) -> {mt}")
    bias, bt = n.rand([1, 1, 10], -2000, 2000, "i32")
    ad = n.tmp()
    n.lines.append(f"{ad} = tosa.add {mm}, {bias} : ({mt}, {bt}) -> {mt}")
    mult, shifts = n.requant_params(10, 36, 38)
    r, rt = n.rescale(ad, mt, [1, 1, 10], "i8", mult, shifts, 0, -1, "i32", "DOUBLE_ROUND", True)
    return n.emit(r, rt)


MAIN_PRELUDE = """func.func private @printMemrefI32(memref<*xi32>) attributes {llvm.emit_c_interface}
func.func @main() {"""


def main_wrapper(nets):
    """@main for the upstream path: call each network, print it as i32."""
    lines = [MAIN_PRELUDE]
    for i, (name, shape) in enumerate(nets):
        n = count(shape)
        t = f"tensor<{'x'.join(map(str, shape))}xi8>"
        reassoc = "[[" + ", ".join(map(str, range(len(shape)))) + "]]"
        lines += [
            f"  %r{i} = call @{name}() : () -> {t}",
            f"  %f{i} = tensor.collapse_shape %r{i} {reassoc} : {t} into tensor<{n}xi8>",
            f"  %e{i} = arith.extsi %f{i} : tensor<{n}xi8> to tensor<{n}xi32>",
            f"  %b{i} = bufferization.to_buffer %e{i} : tensor<{n}xi32> to memref<{n}xi32>",
            f"  %u{i} = memref.cast %b{i} : memref<{n}xi32> to memref<*xi32>",
            f"  call @printMemrefI32(%u{i}) : (memref<*xi32>) -> ()",
        ]
    lines += ["  return", "}"]
    return "\n".join(lines) + "\n"


nets = []
print("//--- nets.mlir")
for f in (v1_block, v1_block_s2, v2_block, head):
    text = f()
    name = text.split("@", 1)[1].split("(", 1)[0]
    shape = [int(d) for d in text.split("-> tensor<", 1)[1].split("xi8>", 1)[0].split("x")]
    nets.append((name, shape))
    print(text)
print("//--- main.mlir")
print(main_wrapper(nets), end="")
