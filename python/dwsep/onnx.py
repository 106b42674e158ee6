"""ONNX import: quantized ONNX models to tensor-level dwsep (MLIR text).

    from dwsep import onnx as donnx
    imp = donnx.Importer(onnx.load("model.onnx")).run()
    imp.mlir                        # the dwsep module, for dwsep.compile
    imp.to_dwsep([x])               # ONNX inputs -> the entry point's (H x W x C)
    imp.from_dwsep(outputs)         # the entry point's outputs -> ONNX shapes

Both forms of quantized ONNX are read:
* QDQ: DequantizeLinear -> Conv / Gemm / MatMul / Add / AveragePool /
  GlobalAveragePool [-> Relu / Clip] -> QuantizeLinear, the form ONNX
  Runtime's quantizer writes;
* QLinear: QLinearConv, QLinearMatMul and (com.microsoft) QLinearAdd,
  QLinearAveragePool, QLinearGlobalAveragePool.
Depthwise convolutions are Conv with group = channels; scales and weight
zero points are per tensor or per output channel; activations uint8 or int8,
weights int8 (or uint8 whose zero point makes them int8). Reshape, Flatten,
Transpose and Identity are glue: they change no byte of the H x W x C
activation dwsep keeps, or are rejected. A map flattened to N x C*H*W (Flatten,
Reshape) may feed a Gemm / MatMul, whose weights' columns are then reordered
from ONNX's C, H, W feature order to the map's H x W x C bytes. Float scales become dwsep's integer
requantization as docs/numerics.md section 9 says (and where that can differ
from a float reference by one step).

With rounding="onnxruntime" the requantization of every convolution, Gemm /
MatMul and average pooling is ONNX Runtime's own (`rounding = float32`,
docs/numerics.md 4.4: float32 product, ties to even), so that the compiled
network is bit-exact with ONNX Runtime; the default, "exact", rounds the exact
product half up, which costs nothing at run time.

Any node that cannot be imported is an error naming the node, its op type and
the reason (UnsupportedNode); nothing is dropped silently. Batch size 1.
"""
import dataclasses
import math

import numpy as np

import onnx
from onnx import numpy_helper

from .compiler import CompileError, Diagnostic

# The data types of quantized activations.
_ACT_TYPES = {onnx.TensorProto.UINT8: "ui8", onnx.TensorProto.INT8: "i8"}
_RANGE = {"ui8": (0, 255), "i8": (-128, 127)}
_NP = {"ui8": np.uint8, "i8": np.int8}


class UnsupportedNode(CompileError):
    """A node (or graph) dwsep cannot import: names the node, its op type and
    why; its diagnostic's line is the node's position in the graph (1-based)."""

    def __init__(self, node, reason, index=None, filename="model.onnx"):
        self.node_name = (node.name or f"#{(index or 0) + 1}") if node is not None else ""
        self.op_type = node.op_type if node is not None else ""
        self.reason = reason
        self.index = index
        where = f"node {self.node_name!r} ({self.op_type})" if node is not None else "model"
        super().__init__([Diagnostic("error", filename, (index or 0) + 1 if node else 0, 0,
                                     f"{where}: {reason}")])


# --- float scale -> integer requantization (docs/numerics.md section 9) -----

def fixed_point(scale):
    """(mult, shift) with mult * 2^-shift == scale for a float32 scale: a
    float32 has a 24-bit significand, so with mult in [2^30, 2^31) the
    product is exact unless the shift would leave 0..62 (other doubles are
    rounded to 31 bits)."""
    s = float(scale)
    if s < 0 or not math.isfinite(s):
        raise ValueError(f"scale {scale} is not a finite non-negative number")
    if s == 0:
        return 0, 0
    m, e = math.frexp(s)            # s = m * 2^e, m in [0.5, 1)
    shift = 31 - e                  # mult = m * 2^31 in [2^30, 2^31)
    if shift > 62:
        shift = 62
    if shift < 0:
        raise ValueError(f"scale {s} is 2^31 or more")
    mult = round(s * 2.0 ** shift)
    if mult >= 2 ** 31:             # only by rounding at shift = 62: cannot happen
        mult, shift = mult >> 1, shift - 1
    return int(mult), int(shift)


@dataclasses.dataclass
class Q:
    """A quantized activation held by the dwsep function: an SSA value of
    memory shape H x W x C (spatial) or C (a vector)."""
    ssa: str
    shape: tuple              # dwsep memory shape: (H, W, C) or (C,)
    etype: str                # ui8 or i8
    scale: float
    zp: int
    onnx_shape: tuple         # the shape ONNX sees (N, C, H, W) / (N, C) / ...
    perm: tuple = None        # ONNX axis i holds logical NCHW axis perm[i] (4-D only)

    @property
    def type(self):
        return f"tensor<{'x'.join(map(str, self.shape))}x{self.etype}>"

    @property
    def channels(self):
        return self.shape[-1]


@dataclasses.dataclass
class F:
    """A float tensor in a QDQ graph: a dequantized activation, a constant,
    or a pending op (accumulator) waiting for its QuantizeLinear."""
    q: Q = None                       # DequantizeLinear of an activation
    const: np.ndarray = None          # an initializer / Constant
    qconst: tuple = None              # DequantizeLinear of a constant: (ints, scale, zp, axis)
    pending: dict = None              # an op awaiting QuantizeLinear
    node: object = None


def _hex(values, dtype):
    return '"0x' + np.ascontiguousarray(values, dtype=dtype).tobytes().hex().upper() + '"'


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _ident(name):
    out = "".join(c if c.isalnum() or c == "_" else "_" for c in name)
    return out if out and not out[0].isdigit() else "m_" + out


ROUNDINGS = ("exact", "onnxruntime")


def float32_scale(mult):
    """Whether mult * 2^-shift is a float32 (at most 24 significant bits),
    as `rounding = float32` requires."""
    m = abs(int(mult))
    return m == 0 or (m >> ((m & -m).bit_length() - 1)).bit_length() <= 24


class Importer:
    def __init__(self, model, filename="model.onnx", entry=None, rounding="exact"):
        if rounding not in ROUNDINGS:
            raise CompileError([Diagnostic("error", filename, 0, 0,
                                           f"rounding '{rounding}' is not one of "
                                           f"{', '.join(ROUNDINGS)}")])
        self.rounding = rounding
        if isinstance(model, str):
            filename, model = model, onnx.load(model)
        self.model = model
        self.graph = model.graph
        self.filename = filename
        self.entry = _ident(entry or self.graph.name or "main")
        self.values = {}
        self.lines = []
        self.n = 0
        self.inputs = []          # (onnx name, Q, was_float)
        self.outputs = []         # (onnx name, Q, dequantized)
        self.node = None
        self.index = None
        self.emitted = []         # (output Q, input Qs) of every dwsep op
        self.names = {}           # SSA value -> the ONNX tensor that first held it

    # --- helpers -------------------------------------------------------------
    def fail(self, reason):
        raise UnsupportedNode(self.node, reason, self.index, self.filename)

    def fresh(self, prefix):
        self.n += 1
        return f"%{prefix}{self.n}"

    def loc(self):
        name = (self.node.name or f"{self.node.op_type}_{self.index}").replace('"', "'")
        return f'loc("{name}"("{self.filename}":{self.index + 1}:1))'

    def const(self, values, dtype, mlir_type):
        v = self.fresh("c")
        shape = "x".join(map(str, values.shape))
        self.lines.append(f"    {v} = arith.constant dense<{_hex(values, dtype)}> : "
                          f"tensor<{shape}x{mlir_type}>")
        return v, f"tensor<{shape}x{mlir_type}>"

    def empty(self, t):
        e = self.fresh("e")
        self.lines.append(f"    {e} = tensor.empty() : {t}")
        return e

    def get(self, name):
        if name == "":
            return None
        if name not in self.values:
            self.fail(f"input {name!r} is not produced by any node, input or initializer")
        return self.values[name]

    def get_const(self, name, what):
        v = self.get(name)
        if not isinstance(v, F) or v.const is None:
            self.fail(f"{what} ({name!r}) must be a constant")
        return v.const

    def get_q(self, name, what="input"):
        v = self.get(name)
        if isinstance(v, Q):
            return v
        self.fail(f"{what} {name!r} is not a quantized activation")

    def scalar(self, arr, what):
        arr = np.asarray(arr)
        if arr.size != 1:
            self.fail(f"{what} must be per tensor (one value), it has {arr.size}")
        return arr.reshape(-1)[0]

    def requant(self, mults_shifts, zp, lo, hi):
        """The requantization of a float scale. With rounding="onnxruntime",
        ONNX Runtime's float32 rounding where the scale is a float32 (a
        channel whose weights moved a factor g into its scale may not be:
        it keeps the exact rounding)."""
        rounding = ""
        if self.rounding == "onnxruntime" and all(float32_scale(m) for m, _ in mults_shifts):
            rounding = ", rounding = float32"
        mult = ", ".join(str(m) for m, _ in mults_shifts)
        shifts = [s for _, s in mults_shifts]
        if len(set(shifts)) == 1:
            shifts = shifts[:1]
        shift = ", ".join(map(str, shifts))
        if len(set(m for m, _ in mults_shifts)) == 1 and len(shifts) == 1:
            mult = str(mults_shifts[0][0])
        return (f"requant <mult = [{mult}], shift = [{shift}], zp = {zp}, "
                f"clamp = [{lo}, {hi}]{rounding}>")

    # --- the graph -----------------------------------------------------------
    def run(self):
        for init in self.graph.initializer:
            self.values[init.name] = F(const=numpy_helper.to_array(init))
        inits = {i.name for i in self.graph.initializer}
        graph_inputs = [i for i in self.graph.input if i.name not in inits]
        if len(graph_inputs) != 1:
            raise UnsupportedNode(None, filename=self.filename, reason=f"{len(graph_inputs)} graph inputs; dwsep imports "
                                        "networks with one input")
        for inp in graph_inputs:
            self.graph_input(inp)
        for index, node in enumerate(self.graph.node):
            self.index, self.node = index, node
            handler = getattr(self, "op_" + self.node.op_type, None)
            if handler is None:
                self.fail(f"op type {self.node.op_type} is not supported by the dwsep importer")
            if self.node.domain not in ("", "ai.onnx", "com.microsoft"):
                self.fail(f"domain {self.node.domain!r} is not supported")
            handler(self.node, _attrs(self.node))
            for out in node.output:   # (emit() may have moved self.node)
                v = self.values.get(out)
                if isinstance(v, Q):
                    self.names.setdefault(v.ssa, out)
        self.node = None
        for out in self.graph.output:
            self.graph_output(out)
        return self

    def graph_input(self, inp):
        t = inp.type.tensor_type
        dims = tuple(d.dim_value for d in t.shape.dim)
        if len(dims) != 4 or dims[0] not in (0, 1) or 0 in dims[1:]:
            raise UnsupportedNode(None, filename=self.filename, reason=f"input {inp.name!r} has shape {dims}; dwsep takes "
                                        "N x C x H x W with N = 1 and static sizes")
        n, c, h, w = dims
        if t.elem_type in _ACT_TYPES:
            self.values[inp.name] = self.bind_input(inp.name, c, h, w, _ACT_TYPES[t.elem_type],
                                                    None, None, False)
            self.names["%x"] = inp.name
        elif t.elem_type == onnx.TensorProto.FLOAT:
            # Quantized by a QuantizeLinear right away (checked there).
            self.values[inp.name] = F(pending={"graph_input": (inp.name, (1, c, h, w))})
        else:
            raise UnsupportedNode(None, filename=self.filename, reason=f"input {inp.name!r} has element type "
                                        f"{onnx.TensorProto.DataType.Name(t.elem_type)}")

    def bind_input(self, name, c, h, w, etype, scale, zp, was_float):
        q = Q("%x", (h, w, c), etype, scale, zp, (1, c, h, w), (0, 1, 2, 3))
        if self.inputs:
            self.fail("the float graph input is quantized twice")
        self.inputs.append((name, q, was_float))
        return q

    def graph_output(self, out):
        v = self.values.get(out.name)
        if isinstance(v, F) and v.q is not None:        # ends with DequantizeLinear
            self.outputs.append((out.name, v.q, True))
        elif isinstance(v, Q):
            self.outputs.append((out.name, v, False))
        else:
            raise UnsupportedNode(None, filename=self.filename, reason=f"output {out.name!r} is not a quantized activation "
                                        "(nor the DequantizeLinear of one)")
        if len(self.outputs) > 1:
            raise UnsupportedNode(None, filename=self.filename, reason="more than one graph output")

    # --- QDQ -----------------------------------------------------------------
    def qparams(self, node, scale_in=1, zp_in=2):
        scale = self.get_const(node.input[scale_in], "scale")
        zp = (self.get_const(node.input[zp_in], "zero point")
              if len(node.input) > zp_in and node.input[zp_in] else None)
        return scale, zp

    def op_QuantizeLinear(self, node, attrs):
        src = self.get(node.input[0])
        scale, zp = self.qparams(node)
        etype = "i8" if zp is not None and zp.dtype == np.int8 else "ui8"
        y_scale = float(self.scalar(scale, "an activation's QuantizeLinear scale"))
        y_zp = int(self.scalar(zp, "an activation's zero point")) if zp is not None else 0
        if not isinstance(src, F):
            self.fail("QuantizeLinear of an activation that is already quantized")
        if src.pending and "graph_input" in src.pending:
            name, (_, c, h, w) = src.pending["graph_input"]
            self.values[node.output[0]] = self.bind_input(name, c, h, w, etype, y_scale, y_zp,
                                                          True)
            return
        if src.const is not None:
            self.fail("QuantizeLinear of a float constant: quantize weights offline "
                      "(DequantizeLinear of int8 initializers)")
        if src.q is not None:
            if (src.q.scale, src.q.zp, src.q.etype) == (y_scale, y_zp, etype):
                self.values[node.output[0]] = src.q     # a DQ -> Q round trip
                return
            self.fail("requantizing a tensor alone (DequantizeLinear -> QuantizeLinear with "
                      "other parameters) is not supported")
        p = src.pending
        self.values[node.output[0]] = self.emit(p, y_scale, y_zp, etype)

    def op_DequantizeLinear(self, node, attrs):
        src = self.get(node.input[0])
        scale, zp = self.qparams(node)
        if isinstance(src, Q):
            s = float(self.scalar(scale, "an activation's DequantizeLinear scale"))
            z = int(self.scalar(zp, "an activation's zero point")) if zp is not None else 0
            if (s, z) != (src.scale, src.zp) and src.scale is not None:
                self.fail(f"dequantizes with scale {s}, zero point {z}, but the tensor was "
                          f"quantized with {src.scale}, {src.zp}")
            if src.scale is None:
                src = dataclasses.replace(src, scale=s, zp=z)
            self.values[node.output[0]] = F(q=src)
        elif isinstance(src, F) and src.const is not None:
            ints = src.const
            axis = attrs.get("axis", 1)
            self.values[node.output[0]] = F(qconst=(ints, np.asarray(scale, np.float32),
                                                    np.asarray(zp if zp is not None else 0),
                                                    axis))
        else:
            self.fail("DequantizeLinear of something that is neither a quantized activation "
                      "nor a constant")

    def float_act(self, name, what):
        v = self.get(name)
        if isinstance(v, F) and v.q is not None:
            return v.q
        self.fail(f"{what} {name!r} must be a DequantizeLinear of a quantized activation")

    def float_weights(self, name, what):
        v = self.get(name)
        if isinstance(v, F) and v.qconst is not None:
            return v.qconst
        if isinstance(v, F) and v.const is not None:
            self.fail(f"{what} {name!r} is a float constant: dwsep needs it quantized "
                      "(DequantizeLinear of an integer initializer)")
        self.fail(f"{what} {name!r} must be a DequantizeLinear of a constant")

    def check_axis(self, scale, axis, ndim, want, what):
        """Per-channel scales must run along the output channels."""
        if np.asarray(scale).size > 1 and axis % ndim != want:
            self.fail(f"the {what} scales run along axis {axis}, not the output channels "
                      f"(axis {want})")

    def op_Conv(self, node, attrs):
        x = self.float_act(node.input[0], "Conv input")
        w, ws, wzp, axis = self.float_weights(node.input[1], "Conv weight")
        self.check_axis(ws, axis, w.ndim, 0, "weight")
        bias = None
        if len(node.input) > 2 and node.input[2]:
            b, bs, bzp, _ = self.float_weights(node.input[2], "Conv bias")
            bias = self.check_bias(b, bs, bzp, x.scale, ws)
        self.values[node.output[0]] = F(pending=dict(
            op="conv", x=x, w=w, w_scale=ws, w_zp=wzp, bias=bias, attrs=attrs, node=node,
            index=self.index, clamp=None))

    def check_bias(self, b, bs, bzp, x_scale, w_scale):
        if b.dtype != np.int32:
            self.fail(f"the bias is {b.dtype}, not int32")
        if np.any(np.asarray(bzp) != 0):
            self.fail("the bias has a non-zero zero point")
        want = np.float32(x_scale) * np.asarray(w_scale, np.float32)
        if not np.allclose(np.broadcast_to(bs, b.shape), np.broadcast_to(want, b.shape),
                           rtol=1e-6, atol=0):
            self.fail("the bias scale is not input scale * weight scale, so it cannot be "
                      "added to the integer accumulator")
        return b

    def op_Gemm(self, node, attrs):
        if attrs.get("transA", 0) or attrs.get("alpha", 1.0) != 1.0 or \
                attrs.get("beta", 1.0) != 1.0:
            self.fail("only Gemm with transA = 0, alpha = beta = 1 is supported")
        self.matmul(node, transposed=bool(attrs.get("transB", 0)))

    def op_MatMul(self, node, attrs):
        self.matmul(node, transposed=False)

    def matmul(self, node, transposed):
        x = self.float_act(node.input[0], f"{node.op_type} input")
        w, ws, wzp, axis = self.float_weights(node.input[1], f"{node.op_type} weight")
        if w.ndim != 2:
            self.fail(f"the weight has rank {w.ndim}, not 2")
        self.check_axis(ws, axis, 2, 0 if transposed else 1, "weight")
        if not transposed:      # K x N -> N x K (dwsep.linear: Cout x Cin)
            w = w.T
        bias = None
        if len(node.input) > 2 and node.input[2]:
            b, bs, bzp, _ = self.float_weights(node.input[2], f"{node.op_type} bias")
            bias = self.check_bias(b, bs, bzp, x.scale, ws)
        self.values[node.output[0]] = F(pending=dict(
            op="linear", x=x, w=w, w_scale=ws, w_zp=wzp, bias=bias, node=node,
            index=self.index, clamp=None))

    def op_Add(self, node, attrs):
        a = self.float_act(node.input[0], "Add operand")
        b = self.float_act(node.input[1], "Add operand")
        self.values[node.output[0]] = F(pending=dict(op="add", a=a, b=b, node=node,
                                                     index=self.index, clamp=None))

    def op_GlobalAveragePool(self, node, attrs):
        x = self.float_act(node.input[0], "GlobalAveragePool input")
        self.values[node.output[0]] = F(pending=dict(
            op="avgpool", x=x, kernel=x.shape[:2], stride=x.shape[:2], node=node,
            index=self.index, clamp=None))

    def op_AveragePool(self, node, attrs):
        x = self.float_act(node.input[0], "AveragePool input")
        kernel, stride = self.pool_attrs(attrs, x)
        self.values[node.output[0]] = F(pending=dict(
            op="avgpool", x=x, kernel=kernel, stride=stride, node=node, index=self.index,
            clamp=None))

    def pool_attrs(self, attrs, x):
        kernel = tuple(attrs["kernel_shape"])
        stride = tuple(attrs.get("strides", kernel))
        if any(attrs.get("pads", [0])) or attrs.get("auto_pad", b"NOTSET") not in (
                b"NOTSET", b"VALID", "NOTSET", "VALID"):
            self.fail("padded average pooling is not supported (dwsep.avgpool has no padding)")
        if attrs.get("ceil_mode", 0):
            self.fail("ceil_mode = 1 is not supported")
        return kernel, stride

    def activation(self, node, lo, hi):
        v = self.get(node.input[0])
        if isinstance(v, F) and v.pending and "op" in v.pending:
            p = dict(v.pending)
            old = p["clamp"] or (-math.inf, math.inf)
            p["clamp"] = (max(old[0], lo), min(old[1], hi))
            self.values[node.output[0]] = F(pending=p)
            return
        self.fail(f"{node.op_type} must follow a Conv, Gemm, MatMul, Add or pooling before "
                  "its QuantizeLinear (it becomes that op's clamp)")

    def op_Relu(self, node, attrs):
        self.activation(node, 0.0, math.inf)

    def op_Clip(self, node, attrs):
        lo, hi = attrs.get("min", -math.inf), attrs.get("max", math.inf)
        if len(node.input) > 1 and node.input[1]:
            lo = float(self.get_const(node.input[1], "Clip min"))
        if len(node.input) > 2 and node.input[2]:
            hi = float(self.get_const(node.input[2], "Clip max"))
        self.activation(node, lo, hi)

    # --- QLinear -------------------------------------------------------------
    def qlinear_act(self, node, i, what):
        """Input i (the tensor) with its scale (i+1) and zero point (i+2)."""
        q = self.get_q(node.input[i], what)
        s = float(self.scalar(self.get_const(node.input[i + 1], f"{what} scale"), f"{what} scale"))
        z = int(self.scalar(self.get_const(node.input[i + 2], f"{what} zero point"),
                            f"{what} zero point")) if node.input[i + 2] else 0
        if q.scale is None:
            q = dataclasses.replace(q, scale=s, zp=z)
        elif (q.scale, q.zp) != (s, z):
            self.fail(f"{what} is read with scale {s}, zero point {z} but was written with "
                      f"{q.scale}, {q.zp}")
        return q

    def qlinear_out(self, node, i):
        s = float(self.scalar(self.get_const(node.input[i], "output scale"), "output scale"))
        zp = self.get_const(node.input[i + 1], "output zero point") \
            if len(node.input) > i + 1 and node.input[i + 1] else np.uint8(0)
        etype = "i8" if np.asarray(zp).dtype == np.int8 else "ui8"
        return s, int(self.scalar(zp, "output zero point")), etype

    def op_QLinearConv(self, node, attrs):
        x = self.qlinear_act(node, 0, "input")
        w = self.get_const(node.input[3], "weight")
        ws = self.get_const(node.input[4], "weight scale")
        wzp = self.get_const(node.input[5], "weight zero point")
        s, zp, etype = self.qlinear_out(node, 6)
        bias = None
        if len(node.input) > 8 and node.input[8]:
            bias = self.get_const(node.input[8], "bias")
            if bias.dtype != np.int32:
                self.fail(f"the bias is {bias.dtype}, not int32")
        p = dict(op="conv", x=x, w=w, w_scale=ws, w_zp=wzp, bias=bias, attrs=attrs,
                 node=node, index=self.index, clamp=None)
        self.values[node.output[0]] = self.emit(p, s, zp, etype)

    def op_QLinearMatMul(self, node, attrs):
        x = self.qlinear_act(node, 0, "input")
        w = self.get_const(node.input[3], "weight")
        if w.ndim != 2:
            self.fail(f"the weight has rank {w.ndim}, not 2")
        ws = self.get_const(node.input[4], "weight scale")
        wzp = self.get_const(node.input[5], "weight zero point")
        s, zp, etype = self.qlinear_out(node, 6)
        p = dict(op="linear", x=x, w=w.T, w_scale=ws, w_zp=wzp, bias=None, node=node,
                 index=self.index, clamp=None)
        self.values[node.output[0]] = self.emit(p, s, zp, etype)

    def op_QLinearAdd(self, node, attrs):
        a = self.qlinear_act(node, 0, "A")
        b = self.qlinear_act(node, 3, "B")
        s, zp, etype = self.qlinear_out(node, 6)
        p = dict(op="add", a=a, b=b, node=node, index=self.index, clamp=None)
        self.values[node.output[0]] = self.emit(p, s, zp, etype)

    def op_QLinearGlobalAveragePool(self, node, attrs):
        if attrs.get("channels_last", 0):
            self.fail("channels_last = 1 is not supported")
        x = self.qlinear_act(node, 0, "input")
        s, zp, etype = self.qlinear_out(node, 3)
        p = dict(op="avgpool", x=x, kernel=x.shape[:2], stride=x.shape[:2], node=node,
                 index=self.index, clamp=None)
        self.values[node.output[0]] = self.emit(p, s, zp, etype)

    def op_QLinearAveragePool(self, node, attrs):
        if attrs.get("channels_last", 0):
            self.fail("channels_last = 1 is not supported")
        x = self.qlinear_act(node, 0, "input")
        kernel, stride = self.pool_attrs(attrs, x)
        s, zp, etype = self.qlinear_out(node, 3)
        p = dict(op="avgpool", x=x, kernel=kernel, stride=stride, node=node, index=self.index,
                 clamp=None)
        self.values[node.output[0]] = self.emit(p, s, zp, etype)

    def op_ConvInteger(self, node, attrs):
        self.fail("its output is the int32 accumulator itself; every dwsep op ends in an "
                  "8-bit requantization (use QLinearConv or QDQ)")

    op_MatMulInteger = op_ConvInteger

    # --- glue ----------------------------------------------------------------
    def op_Identity(self, node, attrs):
        self.values[node.output[0]] = self.get(node.input[0])

    def glue(self, node, onnx_shape, perm=None):
        """A node that moves no byte of the dwsep value: returns its Q with
        the new ONNX view."""
        v = self.get(node.input[0])
        q = v.q if isinstance(v, F) and v.q is not None else v
        if not isinstance(q, Q):
            self.fail("it must be applied to a quantized activation (or its "
                      "DequantizeLinear)")
        onnx_shape = tuple(int(d) for d in onnx_shape)
        if int(np.prod(onnx_shape)) != int(np.prod(q.onnx_shape)):
            self.fail(f"shape {q.onnx_shape} -> {onnx_shape} changes the element count")
        spatial = [d for d in q.shape[:-1] if d != 1] if len(q.shape) == 3 else []
        vector = len([d for d in onnx_shape if d != 1]) <= 1 and not spatial
        if perm is not None and len(onnx_shape) == 4 and not vector:
            new = Q(q.ssa, q.shape, q.etype, q.scale, q.zp, onnx_shape,
                    tuple(q.perm[p] for p in perm) if q.perm else None)
        elif vector or (len(onnx_shape) == 4 and onnx_shape == q.onnx_shape):
            new = dataclasses.replace(q, onnx_shape=onnx_shape,
                                      perm=(0, 1, 2, 3) if len(onnx_shape) == 4 else None)
        elif (spatial and onnx_shape == (1, int(np.prod(q.onnx_shape)))
              and len(q.onnx_shape) == 4 and q.perm in (None, (0, 1, 2, 3))):
            # A flattened N x C x H x W map: the same bytes (H x W x C), the
            # ONNX view (1, C * H * W) in C, H, W order. Only a Gemm/MatMul
            # reads it (emit_linear reorders its weights to the bytes' order).
            new = dataclasses.replace(q, onnx_shape=onnx_shape, perm=None)
        else:
            self.fail(f"{q.onnx_shape} -> {onnx_shape} reorders the bytes of an H x W x C "
                      f"activation with H x W = {q.shape[0]} x {q.shape[1]} (only "
                      "1 x 1 x C activations can be reshaped)")
        self.values[node.output[0]] = F(q=new) if isinstance(v, F) else new

    def op_Reshape(self, node, attrs):
        shape = [int(d) for d in self.get_const(node.input[1], "Reshape shape")]
        q = self.get(node.input[0])
        q = q.q if isinstance(q, F) else q
        src = list(q.onnx_shape) if isinstance(q, Q) else []
        for i, d in enumerate(shape):
            if d == 0 and not attrs.get("allowzero", 0):
                shape[i] = src[i]
        if -1 in shape:
            known = int(np.prod([d for d in shape if d != -1]))
            shape[shape.index(-1)] = int(np.prod(src)) // max(known, 1)
        self.glue(node, shape)

    def op_Flatten(self, node, attrs):
        q = self.get(node.input[0])
        q = q.q if isinstance(q, F) else q
        axis = attrs.get("axis", 1)
        src = q.onnx_shape if isinstance(q, Q) else (1,)
        self.glue(node, (int(np.prod(src[:axis])), int(np.prod(src[axis:]))))

    def op_Squeeze(self, node, attrs):
        q = self.get(node.input[0])
        q = q.q if isinstance(q, F) else q
        src = q.onnx_shape if isinstance(q, Q) else (1,)
        self.glue(node, tuple(d for d in src if d != 1) or (1,))

    def op_Transpose(self, node, attrs):
        q = self.get(node.input[0])
        q = q.q if isinstance(q, F) else q
        src = q.onnx_shape if isinstance(q, Q) else ()
        perm = tuple(attrs.get("perm", reversed(range(len(src)))))
        self.glue(node, tuple(src[p] for p in perm), perm)

    # --- emitting dwsep ops ----------------------------------------------------
    def need_nchw(self, q, what):
        if len(q.onnx_shape) != 4 or (q.perm and q.perm != (0, 1, 2, 3)):
            self.fail(f"the {what} has ONNX shape {q.onnx_shape} in an order other than "
                      "N x C x H x W (a Transpose that is not undone)")

    def clamp(self, p, scale, zp, etype):
        lo, hi = _RANGE[etype]
        if p["clamp"]:
            flo, fhi = p["clamp"]
            # Rounding is monotonic, so clamping the float before quantizing
            # equals clamping the quantized value at the quantized bounds.
            if flo > -math.inf:
                lo = max(lo, zp + int(np.round(np.float32(flo) / np.float32(scale))))
            if fhi < math.inf:
                hi = min(hi, zp + int(np.round(np.float32(fhi) / np.float32(scale))))
            if lo > hi:
                self.fail(f"the clamp [{flo}, {fhi}] leaves no value of the output type")
        return lo, hi

    def int8_weights(self, w, wzp, axis_len, what, bias):
        """int8 weights w - z_w, the bias and a factor g per output channel
        (axis 0 of w): where w - z_w leaves int8 but a channel's values share
        a factor g that brings them back (uint8 weights far from their zero
        point), g moves into that channel's scale: sum (x - z_x) g w'' =
        g * sum (x - z_x) w'', exact when the bias is a multiple of g too."""
        wzp = np.asarray(wzp).astype(np.int64).reshape(-1)
        w = w.astype(np.int64)
        if wzp.size not in (1, axis_len):
            self.fail(f"{wzp.size} {what} zero points for {axis_len} output channels")
        shift = wzp.reshape((-1,) + (1,) * (w.ndim - 1)) if wzp.size > 1 else wzp[0]
        w = w - shift
        bias = (np.zeros(axis_len, np.int64) if bias is None
                else np.asarray(bias, np.int64).reshape(axis_len))
        g = np.ones(axis_len, np.int64)
        for c in range(axis_len):
            wc = w[c]
            if wc.min(initial=0) >= -128 and wc.max(initial=0) <= 127:
                continue
            g[c] = np.gcd.reduce(np.abs(np.append(wc.ravel(), bias[c])))
            if g[c] == 0 or (wc // g[c]).min() < -128 or (wc // g[c]).max() > 127:
                self.fail(f"the {what}s minus their zero point leave the int8 range "
                          "(dwsep weights are int8 with zero point 0)")
            w[c] //= g[c]
            bias[c] //= g[c]
        return w.astype(np.int8), bias.astype(np.int32), g

    def scales(self, x_scale, w_scale, y_scale, channels, g):
        ws = np.asarray(w_scale, np.float32).reshape(-1)
        if ws.size not in (1, channels):
            self.fail(f"{ws.size} weight scales for {channels} output channels")
        ratio = ((np.float32(x_scale) * ws) / np.float32(y_scale)).astype(np.float32)
        ratio = np.broadcast_to(ratio, (channels,))
        try:
            # float32 * g (< 2^8) is exact in a double.
            return [fixed_point(float(r) * int(f)) for r, f in zip(ratio, g)]
        except ValueError as e:
            self.fail(str(e))

    def emit(self, p, y_scale, y_zp, etype):
        self.node, self.index = p["node"], p["index"]
        lo, hi = self.clamp(p, y_scale, y_zp, etype)
        out = getattr(self, "emit_" + p["op"])(p, y_scale, y_zp, etype, lo, hi)
        self.emitted.append((out, [p[k] for k in ("x", "a", "b") if k in p]))
        return out

    def emit_conv(self, p, y_scale, y_zp, etype, lo, hi):
        x, w, attrs = p["x"], p["w"], p["attrs"]
        self.need_nchw(x, "Conv input")
        if w.ndim != 4:
            self.fail(f"a {w.ndim - 2}-D convolution (only 2-D is supported)")
        cout, cin_g, kh, kw = w.shape
        h, wd, cin = x.shape
        group = attrs.get("group", 1)
        if any(d != 1 for d in attrs.get("dilations", [1, 1])):
            self.fail(f"dilations {attrs['dilations']} (only 1 is supported)")
        sh, sw = attrs.get("strides", [1, 1])
        pads = self.conv_pads(attrs, h, wd, kh, kw, sh, sw)
        oh = (h + pads[0] + pads[2] - kh) // sh + 1
        ow = (wd + pads[1] + pads[3] - kw) // sw + 1
        w8, bias, g = self.int8_weights(w, p["w_zp"], cout, "weight", p["bias"])
        requant = self.requant(self.scales(x.scale, p["w_scale"], y_scale, cout, g), y_zp, lo,
                               hi)
        out = Q(self.fresh("a"), (oh, ow, cout), etype, y_scale, y_zp, (1, cout, oh, ow),
                (0, 1, 2, 3))
        stride_pad = f"stride [{sh}, {sw}] pad [{pads[0]}, {pads[1]}, {pads[2]}, {pads[3]}]"
        if group == 1 and cin_g == cin:
            if (kh, kw, sh, sw) == (1, 1, 1, 1) and not any(pads):
                op, wv, stride_pad = "pointwise", w8.reshape(cout, cin), ""
            else:
                op, wv = "conv2d", w8.transpose(0, 2, 3, 1)
        elif group == cin and cout == cin and cin_g == 1:
            op, wv = "depthwise", w8.reshape(cout, kh, kw).transpose(1, 2, 0)
        else:
            self.fail(f"a grouped convolution with group = {group}, {cin} input and {cout} "
                      "output channels (dwsep has group = 1 and depthwise with channel "
                      "multiplier 1)")
        wc, wt = self.const(wv, np.int8, "i8")
        bc, bt = self.const(np.asarray(bias, np.int32).reshape(cout), np.int32, "i32")
        e = self.empty(out.type)
        self.lines.append(
            f"    {out.ssa} = dwsep.{op} ins({x.ssa}, {wc}, {bc} : {x.type}, {wt}, {bt}) "
            f"outs({e} : {out.type}) {stride_pad}{' ' if stride_pad else ''}input_zp {x.zp} "
            f"{requant} -> {out.type} "
            f"{self.loc()}")
        return out

    def conv_pads(self, attrs, h, w, kh, kw, sh, sw):
        auto = attrs.get("auto_pad", b"NOTSET")
        auto = auto.decode() if isinstance(auto, bytes) else auto
        if auto in ("NOTSET", "VALID"):
            pads = list(attrs.get("pads", [0, 0, 0, 0])) if auto == "NOTSET" else [0, 0, 0, 0]
            return [pads[0], pads[1], pads[2], pads[3]]
        out = []
        for size, k, s in ((h, kh, sh), (w, kw, sw)):
            o = (size + s - 1) // s
            total = max((o - 1) * s + k - size, 0)
            small, big = total // 2, total - total // 2
            out.append((small, big) if auto == "SAME_UPPER" else (big, small))
        return [out[0][0], out[1][0], out[0][1], out[1][1]]

    def emit_linear(self, p, y_scale, y_zp, etype, lo, hi):
        x, w = p["x"], p["w"]
        cout, cin = w.shape
        if len(x.shape) == 3 and x.shape[:2] != (1, 1) and len(x.onnx_shape) == 2:
            # A flattened H x W x C map (glue): ONNX numbers its features
            # c * H * W + y * W + x, dwsep.linear reads them in memory order
            # (y * W + x) * C + c: the weights' columns follow the bytes.
            h, wd, c = x.shape
            if h * wd * c != cin:
                self.fail(f"the input {x.onnx_shape} has {h * wd * c} features, not {cin}")
            w = w.reshape(cout, c, h, wd).transpose(0, 2, 3, 1).reshape(cout, cin)
        elif x.channels != cin or (len(x.shape) == 3 and x.shape[:2] != (1, 1)):
            self.fail(f"the input {x.onnx_shape} is not a vector of {cin} elements")
        w8, bias, g = self.int8_weights(w, p["w_zp"], cout, "weight", p["bias"])
        requant = self.requant(self.scales(x.scale, p["w_scale"], y_scale, cout, g), y_zp, lo,
                               hi)
        out = Q(self.fresh("a"), (cout,), etype, y_scale, y_zp, (1, cout))
        wc, wt = self.const(w8, np.int8, "i8")
        bc, bt = self.const(np.asarray(bias, np.int32).reshape(cout), np.int32, "i32")
        e = self.empty(out.type)
        self.lines.append(
            f"    {out.ssa} = dwsep.linear ins({x.ssa}, {wc}, {bc} : {x.type}, {wt}, {bt}) "
            f"outs({e} : {out.type}) input_zp {x.zp} {requant} -> {out.type} {self.loc()}")
        return out

    def emit_add(self, p, y_scale, y_zp, etype, lo, hi):
        a, b = p["a"], p["b"]
        if a.shape != b.shape:
            self.fail(f"operands of shapes {a.onnx_shape} and {b.onnx_shape} (broadcasting "
                      "is not supported)")
        if len(a.shape) == 3:
            self.need_nchw(a, "Add operand")
            self.need_nchw(b, "Add operand")
        if a.etype != b.etype:
            self.fail("operands of different element types")
        # Both sides to a common fixed point 2^-S of the output scale, the
        # sum rounded once (docs/numerics.md section 9).
        ra = float(np.float32(a.scale) / np.float32(y_scale))
        rb = float(np.float32(b.scale) / np.float32(y_scale))
        big = max(ra, rb)
        shift = min(62, 22 - math.frexp(big)[1])
        if shift < 0:
            self.fail(f"input/output scale ratio {big} is too large")
        ma, mb = round(ra * 2.0 ** shift), round(rb * 2.0 ** shift)
        wide = "clamp = [-2147483648, 2147483647]>"
        out = Q(self.fresh("a"), a.shape, etype, y_scale, y_zp, a.onnx_shape, a.perm)
        e = self.empty(out.type)
        self.lines.append(
            f"    {out.ssa} = dwsep.add ins({a.ssa}, {b.ssa} : {a.type}, {b.type}) "
            f"outs({e} : {out.type}) lhs_zp {a.zp} rhs_zp {b.zp} "
            f"lhs_requant <mult = [{ma}], shift = [0], {wide} "
            f"rhs_requant <mult = [{mb}], shift = [0], {wide} "
            f"requant <mult = [1], shift = [{shift}], zp = {y_zp}, clamp = [{lo}, {hi}]> "
            f"-> {out.type} {self.loc()}")
        return out

    def emit_avgpool(self, p, y_scale, y_zp, etype, lo, hi):
        x = p["x"]
        self.need_nchw(x, "pooling input")
        (kh, kw), (sh, sw) = p["kernel"], p["stride"]
        h, w, c = x.shape
        oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
        # ONNX Runtime's scale: x_scale / (y_scale * window), in float32.
        ratio = np.float32(x.scale) / (np.float32(y_scale) * np.float32(kh * kw))
        try:
            requant = self.requant([fixed_point(ratio)], y_zp, lo, hi)
        except ValueError as e:
            self.fail(str(e))
        out = Q(self.fresh("a"), (oh, ow, c), etype, y_scale, y_zp, (1, c, oh, ow),
                (0, 1, 2, 3))
        e = self.empty(out.type)
        self.lines.append(
            f"    {out.ssa} = dwsep.avgpool ins({x.ssa} : {x.type}) outs({e} : {out.type}) "
            f"kernel [{kh}, {kw}] stride [{sh}, {sw}] input_zp {x.zp} "
            f"{requant} -> {out.type} {self.loc()}")
        return out

    # --- results -------------------------------------------------------------
    @property
    def mlir(self):
        (_, x, _), (_, y, _) = self.inputs[0], self.outputs[0]
        body = "\n".join(self.lines)
        return (f"// Imported from {self.filename} by dwsep.onnx.\n"
                f"module {{\n  func.func @{self.entry}(%x: {x.type}) -> {y.type} {{\n"
                f"{body}\n    return {y.ssa} : {y.type}\n  }}\n}}\n")

    def layers(self):
        """Every imported layer as (ONNX output tensor, [ONNX input tensors],
        {tensor: (ONNX shape, ui8|i8)}): where to cut the model into
        one-layer models (dwsep.ort.compare_layers)."""
        out = []
        for y, xs in self.emitted:
            tensors = {self.names[q.ssa]: (self.value_shape(q), q.etype) for q in [y] + xs}
            out.append((self.names[y.ssa], [self.names[q.ssa] for q in xs], tensors))
        return out

    def value_shape(self, q):
        """The ONNX shape of the tensor that first held q's SSA value."""
        return (1, q.shape[2], q.shape[0], q.shape[1]) if len(q.shape) == 3 else (1, q.shape[0])

    def to_dwsep(self, inputs):
        """ONNX inputs (N x C x H x W; float ones are quantized as the
        model's QuantizeLinear does) -> the entry point's H x W x C arrays."""
        out = []
        for (name, q, was_float), x in zip(self.inputs, inputs):
            x = np.asarray(x)
            if was_float:
                lo, hi = _RANGE[q.etype]
                x = np.clip(np.rint(x.astype(np.float32) / np.float32(q.scale)) + q.zp, lo, hi)
            out.append(x.reshape(q.onnx_shape)[0].transpose(1, 2, 0).astype(_NP[q.etype]))
        return out

    def from_dwsep(self, outputs, dequantize=None):
        """The entry point's outputs -> ONNX shapes (quantized; dequantized
        to float where the ONNX output is a DequantizeLinear, unless
        dequantize=False)."""
        out = []
        for (name, q, deq), y in zip(self.outputs, outputs):
            y = np.asarray(y)
            if len(q.shape) == 3:
                y = y.transpose(2, 0, 1)
                if q.perm and q.perm != (0, 1, 2, 3):
                    y = y[None].transpose(q.perm)
            y = y.reshape(q.onnx_shape)
            if deq if dequantize is None else dequantize:
                y = (y.astype(np.float32) - np.float32(q.zp)) * np.float32(q.scale)
            out.append(y)
        return out


def import_model(model, filename="model.onnx", rounding="exact"):
    """The dwsep MLIR text of a quantized ONNX model (onnx.ModelProto);
    rounding: "exact" or "onnxruntime" (see the module's docstring)."""
    return Importer(model, filename, rounding=rounding).run().mlir


def import_file(path, rounding="exact"):
    return Importer(onnx.load(path), path, rounding=rounding).run().mlir
