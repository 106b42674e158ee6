#!/usr/bin/env python3
"""Writes quantized MobileNets as ONNX models, with synthetic weights.

  onnx_mobilenet.py v1|v2|v1-block|v2-block -o model.onnx [--form qdq|qlinear]
                    [--alpha A] [--size S] [--channels C] [--act uint8|int8] [--per-tensor] [--seed N]

Two forms of the same network: QDQ (DequantizeLinear -> Conv/Gemm/Add/
GlobalAveragePool [-> Relu/Clip] -> QuantizeLinear, float input quantized by
a first QuantizeLinear, as ONNX Runtime's quantizer writes them) and QLinear
(QLinearConv, QLinearMatMul, com.microsoft QLinearAdd and
QLinearGlobalAveragePool on a uint8/int8 input). Depthwise convolutions are
Conv with group = channels. Weights are 7-bit int8 ([-64, 63], what ONNX
Runtime's quantizer writes with reduce_range: its x86 uint8 x int8 kernels
add pairs of products in int16 with saturation, so 255 * 127 * 2 would
overflow there and ONNX Runtime itself would be off) with per-channel (or per-tensor)
scales, biases int32 at input scale * weight scale; each activation's scale
and zero point are calibrated on one random input (numpy, rounding half to
even like ONNX Runtime) so that no layer saturates or collapses.
"""
import argparse

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# The reference's channel rounding and MobileNetV2's block table, shared
# with the dwsep-dialect generator beside this file.
from mobilenet import V2_BLOCKS, make_divisible

_QRANGE = {"uint8": (0, 255), "int8": (-128, 127)}
_NP = {"uint8": np.uint8, "int8": np.int8}
_TP = {"uint8": TensorProto.UINT8, "int8": TensorProto.INT8}


class Act:
    def __init__(self, name, scale, zp, dtype, value):
        self.name, self.scale, self.zp, self.dtype = name, np.float32(scale), int(zp), dtype
        self.value = value            # calibration sample, C x H x W (or C) ints

    @property
    def shape(self):
        return self.value.shape


class Builder:
    def __init__(self, form="qdq", act="uint8", per_channel=True, seed=0):
        assert form in ("qdq", "qlinear")
        self.form, self.act, self.per_channel = form, act, per_channel
        self.rng = np.random.default_rng(seed)
        self.nodes, self.inits, self.n = [], [], 0
        self.graph_input = None

    def name(self, prefix):
        self.n += 1
        return f"{prefix}{self.n}"

    def init(self, prefix, array):
        name = self.name(prefix)
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def scalar(self, prefix, value, dtype):
        return self.init(prefix, np.array(value, dtype=dtype))

    def input(self, c, h, w):
        lo, hi = _QRANGE[self.act]
        value = self.rng.integers(lo, hi + 1, size=(c, h, w))
        scale, zp = np.float32(1 / 64), (0 if self.act == "uint8" else -128) + 128
        zp = min(max(zp, lo), hi)
        if self.form == "qdq":
            self.graph_input = helper.make_tensor_value_info("input", TensorProto.FLOAT,
                                                             [1, c, h, w])
            q = self.name("xq")
            self.nodes.append(helper.make_node(
                "QuantizeLinear", ["input", *self.qp(scale, zp, self.act)], [q], name="quant_in"))
        else:
            q = "input"
            self.graph_input = helper.make_tensor_value_info("input", _TP[self.act], [1, c, h, w])
        return Act(q, scale, zp, self.act, value)

    # --- calibration: integer accumulators, float outputs -------------------
    def out_params(self, y, relu):
        lo = 0.0 if relu else min(float(np.percentile(y, 0.1)), 0.0)
        hi = max(float(np.percentile(y, 99.9)), 1e-3)
        if relu == 6:
            hi = min(hi, 6.0)
        qlo, qhi = _QRANGE[self.act]
        scale = np.float32((hi - lo) / (qhi - qlo))
        zp = int(np.clip(round(qlo - lo / scale), qlo, qhi))
        return scale, zp

    def calibrate(self, y, relu):
        """Output scale and zero point for the float outputs y, and y quantized."""
        scale, zp = self.out_params(y, relu)
        return scale, zp, self.quantize(y, scale, zp, relu)

    def quantize(self, y, scale, zp, relu):
        if relu:
            y = np.maximum(y, 0)
            if relu == 6:
                y = np.minimum(y, 6)
        lo, hi = _QRANGE[self.act]
        return np.clip(np.rint(y / scale) + zp, lo, hi).astype(np.int64)

    def conv(self, x, cout, k=1, stride=1, group=1, relu=6):
        cin, h, w = x.shape
        cin_g = cin // group
        wq = self.rng.integers(-64, 64, size=(cout, cin_g, k, k))
        spread = np.sqrt(cin_g * k * k) * 20.0
        ws = (self.rng.uniform(0.5, 1.5, size=cout) / spread).astype(np.float32)
        if not self.per_channel:
            ws = ws[:1]
        pad = (k - 1) // 2
        xi = np.pad(x.value - x.zp, ((0, 0), (pad, pad), (pad, pad)))
        oh, ow = (h + 2 * pad - k) // stride + 1, (w + 2 * pad - k) // stride + 1
        acc = np.zeros((cout, oh, ow), np.int64)
        for ky in range(k):
            for kx in range(k):
                tap = xi[:, ky:ky + stride * oh:stride, kx:kx + stride * ow:stride]
                if group == 1:
                    acc += np.tensordot(wq[:, :, ky, kx], tap, axes=([1], [0]))
                else:
                    acc += wq[:, 0, ky, kx][:, None, None] * tap
        wsb = np.broadcast_to(ws, (cout,)).astype(np.float32)
        bias = self.rng.integers(-200, 200, size=cout)
        acc += bias[:, None, None]
        y = acc * (x.scale * wsb)[:, None, None]
        scale, zp, value = self.calibrate(y, relu)
        out = self.name("a")
        wname = self.init("w", wq.astype(np.int8))
        wsname = self.init("ws", ws if self.per_channel else ws[0])
        bname = self.init("b", bias.astype(np.int32))
        attrs = dict(kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4, group=group)
        node = self.name("conv")
        if self.form == "qlinear":
            self.nodes.append(helper.make_node(
                "QLinearConv", [x.name, *self.qp(x.scale, x.zp, x.dtype), wname, wsname,
                                self.scalar("z", 0, np.int8), *self.qp(scale, zp, self.act), bname],
                [out], name=node, **attrs))
        else:
            xf, wf, bf, yf = (self.dq(x), self.name("wf"), self.name("bf"), self.name("y"))
            axis = {"axis": 0} if self.per_channel else {}
            self.nodes.append(helper.make_node(
                "DequantizeLinear", [wname, wsname, self.scalar("z", np.zeros(cout, np.int8)
                                                                if self.per_channel else 0,
                                                                np.int8)], [wf], **axis))
            self.nodes.append(helper.make_node(
                "DequantizeLinear", [bname, self.init("bs", (x.scale * wsb).astype(np.float32)
                                                      if self.per_channel
                                                      else np.float32(x.scale * ws[0])),
                                     self.scalar("z", np.zeros(cout, np.int32)
                                                 if self.per_channel else 0, np.int32)],
                [bf], **axis))
            self.nodes.append(helper.make_node("Conv", [xf, wf, bf], [yf], name=node, **attrs))
            yf = self.relu(yf, relu)
            self.quantize_node(yf, scale, zp, out)
        return Act(out, scale, zp, self.act, value)

    def qp(self, scale, zp, dtype):
        """Initializers for a scale and a zero point of type dtype."""
        return [self.scalar("s", scale, np.float32), self.scalar("z", zp, _NP[dtype])]

    def quantize_node(self, yf, scale, zp, out):
        self.nodes.append(helper.make_node(
            "QuantizeLinear", [yf, *self.qp(scale, zp, self.act)], [out]))

    def dq(self, x):
        f = self.name("f")
        self.nodes.append(helper.make_node(
            "DequantizeLinear", [x.name, *self.qp(x.scale, x.zp, x.dtype)], [f]))
        return f

    def relu(self, yf, relu):
        if not relu:
            return yf
        out = self.name("r")
        if relu == 6:
            self.nodes.append(helper.make_node(
                "Clip", [yf, self.scalar("lo", 0.0, np.float32), self.scalar("hi", 6.0, np.float32)],
                [out]))
        else:
            self.nodes.append(helper.make_node("Relu", [yf], [out]))
        return out

    def add(self, a, b):
        y = (a.value - a.zp) * a.scale + (b.value - b.zp) * b.scale
        scale, zp, value = self.calibrate(y, False)
        out, node = self.name("a"), self.name("add")
        if self.form == "qlinear":
            self.nodes.append(helper.make_node(
                "QLinearAdd", [a.name, *self.qp(a.scale, a.zp, a.dtype),
                               b.name, *self.qp(b.scale, b.zp, b.dtype),
                               *self.qp(scale, zp, self.act)], [out], name=node,
                domain="com.microsoft"))
        else:
            yf = self.name("y")
            self.nodes.append(helper.make_node("Add", [self.dq(a), self.dq(b)], [yf], name=node))
            self.quantize_node(yf, scale, zp, out)
        return Act(out, scale, zp, self.act, value)

    def global_pool(self, x):
        c, h, w = x.shape
        y = (x.value - x.zp).sum(axis=(1, 2)) * (x.scale / (h * w))
        scale, zp, value = self.calibrate(y, False)
        value = value.reshape(c, 1, 1)
        out, node = self.name("a"), self.name("pool")
        if self.form == "qlinear":
            self.nodes.append(helper.make_node(
                "QLinearGlobalAveragePool", [x.name, *self.qp(x.scale, x.zp, x.dtype),
                                             *self.qp(scale, zp, self.act)],
                [out], name=node, domain="com.microsoft", channels_last=0))
        else:
            yf = self.name("y")
            self.nodes.append(helper.make_node("GlobalAveragePool", [self.dq(x)], [yf], name=node))
            self.quantize_node(yf, scale, zp, out)
        return Act(out, scale, zp, self.act, value)

    def flatten(self, x):
        out = self.name("flat")
        if self.form == "qlinear":
            self.nodes.append(helper.make_node("Flatten", [x.name], [out], axis=1))
        else:
            self.nodes.append(helper.make_node(
                "Reshape", [x.name, self.init("shape", np.array([1, -1], np.int64))], [out]))
        return Act(out, x.scale, x.zp, x.dtype, x.value.reshape(-1))

    def linear(self, x, cout):
        cin = x.shape[0]
        wq = self.rng.integers(-64, 64, size=(cout, cin))
        ws = (self.rng.uniform(0.5, 1.5, size=cout) / (np.sqrt(cin) * 20.0)).astype(np.float32)
        if not self.per_channel or self.form == "qlinear":
            ws = ws[:1]
        wsb = np.broadcast_to(ws, (cout,)).astype(np.float32)
        bias = self.rng.integers(-200, 200, size=cout) if self.form == "qdq" else np.zeros(cout)
        acc = wq @ (x.value - x.zp) + bias
        y = acc * (x.scale * wsb)
        scale, zp, value = self.calibrate(y, False)
        out, node = self.name("logits"), self.name("fc")
        if self.form == "qlinear":
            self.nodes.append(helper.make_node(
                "QLinearMatMul", [x.name, *self.qp(x.scale, x.zp, x.dtype),
                                  self.init("w", wq.T.astype(np.int8).copy()),
                                  self.scalar("s", ws[0], np.float32), self.scalar("z", 0, np.int8),
                                  *self.qp(scale, zp, self.act)], [out], name=node))
        else:
            axis = {"axis": 0} if self.per_channel else {}
            wf, bf, yf = self.name("wf"), self.name("bf"), self.name("y")
            zw = np.zeros(cout, np.int8) if self.per_channel else np.int8(0)
            self.nodes.append(helper.make_node(
                "DequantizeLinear", [self.init("w", wq.astype(np.int8)),
                                     self.init("ws", ws if self.per_channel else ws[0]),
                                     self.init("z", zw)], [wf], **axis))
            self.nodes.append(helper.make_node(
                "DequantizeLinear", [self.init("b", bias.astype(np.int32)),
                                     self.init("bs", (x.scale * wsb).astype(np.float32)
                                               if self.per_channel
                                               else np.float32(x.scale * ws[0])),
                                     self.init("z", np.zeros(cout, np.int32) if self.per_channel
                                               else np.int32(0))], [bf], **axis))
            self.nodes.append(helper.make_node("Gemm", [self.dq(x), wf, bf], [yf], name=node,
                                               transB=1))
            self.quantize_node(yf, scale, zp, out)
        return Act(out, scale, zp, self.act, value)

    def model(self, out, name):
        shape = [1] + list(out.shape)
        outputs = [helper.make_tensor_value_info(out.name, _TP[out.dtype], shape)]
        graph = helper.make_graph(self.nodes, name, [self.graph_input], outputs, self.inits)
        opsets = [helper.make_opsetid("", 13)]
        if self.form == "qlinear":
            opsets.append(helper.make_opsetid("com.microsoft", 1))
        m = helper.make_model(graph, opset_imports=opsets, producer_name="dwsep-examples")
        m.ir_version = 8
        onnx.checker.check_model(m)
        return m


def v1(b, alpha=0.25, size=128, classes=1000):
    ch = lambda c: max(8, int(c * alpha))  # noqa: E731  (as examples/mobilenet.py)
    x = b.conv(b.input(3, size, size), ch(32), 3, 2)
    for cout, stride in [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + \
            [(512, 1)] * 5 + [(1024, 2), (1024, 1)]:
        x = b.conv(x, x.shape[0], 3, stride, group=x.shape[0])
        x = b.conv(x, ch(cout))
    return b.linear(b.flatten(b.global_pool(x)), classes)


def v2(b, alpha=0.35, size=96, classes=1000):
    x = b.conv(b.input(3, size, size), make_divisible(32 * alpha), 3, 2)
    for t, c, n, s in V2_BLOCKS:
        for i in range(n):
            x = bottleneck(b, x, make_divisible(c * alpha), t, s if i == 0 else 1)
    x = b.conv(x, 1280)
    return b.linear(b.flatten(b.global_pool(x)), classes)


def bottleneck(b, x, cout, expand, stride):
    cin = x.shape[0]
    y = b.conv(x, cin * expand) if expand != 1 else x
    y = b.conv(y, y.shape[0], 3, stride, group=y.shape[0])
    y = b.conv(y, cout, relu=None)
    return b.add(y, x) if stride == 1 and cin == cout else y


def v1_block(b, size=16, channels=16, stride=1):
    x = b.input(channels, size, size)
    x = b.conv(x, channels, 3, stride, group=channels)
    return b.conv(x, 2 * channels)


def v2_block(b, size=16, channels=16, expand=6):
    x = b.input(channels, size, size)
    return bottleneck(b, x, channels, expand, 1)


def flat_classifier(b, size=14, channels=16, classes=10):
    """A small CNN's head: a stride-2 convolution, its map flattened (N x C x
    H x W -> N x C*H*W: a Flatten or Reshape) into a classifier, as in
    LeNet-style networks."""
    x = b.input(channels, size, size)
    x = b.conv(x, 4 * channels, 3, 2)
    return b.linear(b.flatten(x), classes)


def build(network, form="qdq", act="uint8", per_channel=True, seed=0, alpha=None, size=None,
          channels=None):
    b = Builder(form, act, per_channel, seed)
    kw = {k: v for k, v in (("alpha", alpha), ("size", size), ("channels", channels))
          if v is not None}
    out = {"v1": v1, "v2": v2, "v1-block": v1_block, "v2-block": v2_block,
           "flat": flat_classifier}[network](b, **kw)
    return b.model(out, f"mobilenet_{network.replace('-', '_')}_{form}")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("network", choices=["v1", "v2", "v1-block", "v2-block", "flat"])
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--form", default="qdq", choices=["qdq", "qlinear"])
    ap.add_argument("--act", default="uint8", choices=["uint8", "int8"])
    ap.add_argument("--per-tensor", action="store_true")
    ap.add_argument("--alpha", type=float, default=None)
    ap.add_argument("--size", type=int, default=None)
    ap.add_argument("--channels", type=int, default=None, help="blocks: input channels")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    onnx.save(build(a.network, a.form, a.act, not a.per_tensor, a.seed, a.alpha, a.size,
                    a.channels), a.output)


if __name__ == "__main__":
    main()
