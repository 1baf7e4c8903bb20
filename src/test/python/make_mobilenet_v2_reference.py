#!/usr/bin/env python3
"""Independent references for the MobileNet V2 float rebuild (MobileNetV2ReferenceTest).

Not run by the build. Rerun by hand from the repository root:

    /usr/bin/python3 src/test/python/make_mobilenet_v2_reference.py [mirror]

(mirror defaults to ../shared/data). Needs Debian python3-numpy and python3-pil; generated with
NumPy 1.24.2 and Pillow 9.4.0. No TFLite interpreter is available here (Debian has no
python3-tflite-runtime or python3-tensorflow, PyPI is not reachable), so this script is its
own, independent implementation, sharing no code with the Java side:

* a minimal FlatBuffers reader of the TFLite schema (tables by vtable slot), written from
  tensorflow/lite/schema/schema.fbs;
* ``uint8``: the quantised model computed with integer arithmetic as TFLite's reference uint8
  kernels do: int32 accumulation of (q - zero_point) products plus the int32 bias, requantised
  to the output scale and zero point and clamped to the fused activation's range (ReLU6 ->
  [quantize(0), quantize(6)]). Requantisation rounds in float64 instead of TFLite's fixed-point
  multiplier, and ADD rescales in float64, so single values may differ from TFLite by 1 step;
* ``float``: the same network with dequantised weights and float activations, i.e. what the
  Java graph is meant to compute (checks layout, padding and layer wiring exactly).

Input: the VOC2007 test image 001150.jpg (a Shih-Tzu), decoded and resized to 224x224 with
Pillow BILINEAR. The uint8 pixels are stored so the Java test feeds exactly the same input.

Writes into src/test/resources/org/gradcam/model/mobilenet_v2/:

* input_001150_uint8.npy  [224,224,3] uint8, the quantised model's input
* conv1_rows0-15_uint8.npy  [16,112,32] uint8: rows 0..15 of the first conv's output (tensor
  "MobilenetV2/Conv/Relu6"), uint8 reference; the Java test dequantises with the file's scale
* conv_1_uint8.npy  [7,7,1280] uint8: output of Conv_1 (last conv), uint8 reference
* logits_uint8.npy  [1001] float32: dequantised uint8 logits (input of the softmax)
* logits_float.npy  [1001] float32: logits of the float rebuild in NumPy
"""
import os
import struct
import sys

import numpy as np
from PIL import Image

MIRROR = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
TFLITE = os.path.join(MIRROR, "models/mobilenet_v2_coral_tflite/mobilenet_v2_1.0_224_quant.tflite")
IMAGE = os.path.join(MIRROR, "voc2007-test/JPEGImages/001150.jpg")
OUT = "src/test/resources/org/gradcam/model/mobilenet_v2"


class Table:
    """A FlatBuffers table at absolute position ``pos`` of ``buf``."""

    def __init__(self, buf, pos):
        self.buf, self.pos = buf, pos
        vt = pos - struct.unpack_from("<i", buf, pos)[0]
        self.vt_size = struct.unpack_from("<H", buf, vt)[0]
        self.vt = vt

    def _field(self, slot):
        off = 4 + 2 * slot
        if off >= self.vt_size:
            return 0
        return struct.unpack_from("<H", self.buf, self.vt + off)[0]

    def scalar(self, slot, fmt, default=0):
        o = self._field(slot)
        return struct.unpack_from("<" + fmt, self.buf, self.pos + o)[0] if o else default

    def _vector(self, slot):
        o = self._field(slot)
        if not o:
            return None, 0
        p = self.pos + o
        p += struct.unpack_from("<I", self.buf, p)[0]
        return p + 4, struct.unpack_from("<I", self.buf, p)[0]

    def vector(self, slot, dtype):
        start, n = self._vector(slot)
        if start is None:
            return np.zeros(0, dtype)
        return np.frombuffer(self.buf, dtype=dtype, count=n, offset=start)

    def tables(self, slot):
        start, n = self._vector(slot)
        if start is None:
            return []
        out = []
        for i in range(n):
            p = start + 4 * i
            out.append(Table(self.buf, p + struct.unpack_from("<I", self.buf, p)[0]))
        return out

    def table(self, slot):
        o = self._field(slot)
        if not o:
            return None
        p = self.pos + o
        return Table(self.buf, p + struct.unpack_from("<I", self.buf, p)[0])

    def string(self, slot):
        start, n = self._vector(slot)
        return None if start is None else self.buf[start:start + n].decode("utf-8")


def load_model(path):
    buf = open(path, "rb").read()
    assert buf[4:8] == b"TFL3"
    model = Table(buf, struct.unpack_from("<I", buf, 0)[0])
    # Model: 1 operator_codes, 2 subgraphs, 4 buffers
    codes = [max(c.scalar(3, "i"), c.scalar(0, "b")) for c in model.tables(1)]
    buffers = [b.vector(0, np.uint8) for b in model.tables(4)]
    sub = model.tables(2)[0]
    tensors = []
    for t in sub.tables(0):  # Tensor: 0 shape, 1 type, 2 buffer, 3 name, 4 quantization
        q = t.table(4)
        tensors.append(dict(
            shape=tuple(t.vector(0, "<i4")), type=t.scalar(1, "b"), buffer=t.scalar(2, "I"),
            name=t.string(3),
            scale=None if q is None else q.vector(2, "<f4"),
            zp=None if q is None else q.vector(3, "<i8")))
    ops = []
    for o in sub.tables(3):  # Operator: 0 opcode_index, 1 inputs, 2 outputs, 4 builtin_options
        ops.append(dict(code=codes[o.scalar(0, "I")], inputs=list(o.vector(1, "<i4")),
                        outputs=list(o.vector(2, "<i4")), options=o.table(4)))
    return tensors, ops, buffers, list(sub.vector(1, "<i4")), list(sub.vector(2, "<i4"))


TYPES = {0: "<f4", 2: "<i4", 3: "u1"}


def const(t, buffers):
    return np.frombuffer(buffers[t["buffer"]].tobytes(), TYPES[t["type"]]).reshape(t["shape"])


def same_pad(size, k, s):
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return out, total // 2, total - total // 2


def pad(x, kh, kw, sh, sw, padding, value):
    h, w = x.shape[:2]
    if padding == 0:  # SAME
        oh, t, b = same_pad(h, kh, sh)
        ow, l, r = same_pad(w, kw, sw)
    else:
        oh, ow, t, b, l, r = (h - kh) // sh + 1, (w - kw) // sw + 1, 0, 0, 0, 0
    xp = np.pad(x, ((t, b), (l, r), (0, 0)), constant_values=value)
    return xp, oh, ow


def conv(x, w, bias, sh, sw, padding, pad_value=0.0):
    """x [H,W,C], w [O,kh,kw,C] -> [oh,ow,O], float64 (exact for integer inputs)."""
    o, kh, kw, _ = w.shape
    xp, oh, ow = pad(x, kh, kw, sh, sw, padding, pad_value)
    acc = np.zeros((oh, ow, o))
    for ky in range(kh):
        for kx in range(kw):
            patch = xp[ky:ky + sh * (oh - 1) + 1:sh, kx:kx + sw * (ow - 1) + 1:sw, :]
            acc += patch @ w[:, ky, kx, :].T
    return acc + bias


def depthwise(x, w, bias, sh, sw, padding, pad_value=0.0):
    """x [H,W,C], w [1,kh,kw,C] (depth multiplier 1) -> [oh,ow,C]."""
    _, kh, kw, c = w.shape
    assert x.shape[2] == c
    xp, oh, ow = pad(x, kh, kw, sh, sw, padding, pad_value)
    acc = np.zeros((oh, ow, c))
    for ky in range(kh):
        for kx in range(kw):
            acc += xp[ky:ky + sh * (oh - 1) + 1:sh, kx:kx + sw * (ow - 1) + 1:sw, :] * w[0, ky, kx, :]
    return acc + bias


def act_range(act, scale, zp):
    lo, hi = 0, 255
    if act in (1, 3):
        lo = max(lo, zp + int(round(0.0 / scale)))
    if act == 3:
        hi = min(hi, zp + int(round(6.0 / scale)))
    return lo, hi


def requantize(real_acc_scaled, zp, lo, hi):
    return np.clip(np.round(real_acc_scaled) + zp, lo, hi).astype(np.int64)


def run(tensors, ops, buffers, inputs, outputs, q_input):
    """Returns ({tensor: uint8 values}, {tensor: float values}) of every computed tensor."""
    q = {inputs[0]: q_input.astype(np.int64)}
    t0 = tensors[inputs[0]]
    f = {inputs[0]: (q_input.astype(np.float64) - t0["zp"][0]) * t0["scale"][0]}
    for op in ops:
        code, ins, out = op["code"], op["inputs"], op["outputs"][0]
        opt = op["options"]
        to = tensors[out]
        so, zo = float(to["scale"][0]), int(to["zp"][0])
        if code in (3, 4):  # CONV_2D, DEPTHWISE_CONV_2D
            ti, tw, tb = tensors[ins[0]], tensors[ins[1]], tensors[ins[2]]
            si, zi = float(ti["scale"][0]), int(ti["zp"][0])
            sw_, zw = float(tw["scale"][0]), int(tw["zp"][0])
            wq = const(tw, buffers).astype(np.int64) - zw
            bq = const(tb, buffers).astype(np.int64)
            padding = opt.scalar(0, "b")
            stride_w, stride_h = opt.scalar(1, "i"), opt.scalar(2, "i")
            act = opt.scalar(3 if code == 3 else 4, "b")
            fn = conv if code == 3 else depthwise
            # Integer path: inputs minus zero point; padding with the zero point is 0 here.
            acc = fn((q[ins[0]] - zi).astype(np.float64), wq.astype(np.float64), bq, stride_h,
                     stride_w, padding)
            lo, hi = act_range(act, so, zo)
            q[out] = requantize(acc * (si * sw_ / so), zo, lo, hi)
            # Float path: dequantised weights and bias, float activations.
            bf = bq * float(tb["scale"][0])
            y = fn(f[ins[0]], wq * sw_, bf, stride_h, stride_w, padding)
            if act == 3:
                y = np.clip(y, 0, 6)
            elif act == 1:
                y = np.maximum(y, 0)
            f[out] = y
        elif code == 0:  # ADD
            a, b = tensors[ins[0]], tensors[ins[1]]
            real = (a["scale"][0] * (q[ins[0]] - a["zp"][0])
                    + b["scale"][0] * (q[ins[1]] - b["zp"][0]))
            lo, hi = act_range(opt.scalar(0, "b"), so, zo)
            q[out] = requantize(real / so, zo, lo, hi)
            f[out] = f[ins[0]] + f[ins[1]]
        elif code == 1:  # AVERAGE_POOL_2D, here over the whole 7x7 map (VALID, filter = map)
            fw, fh = opt.scalar(3, "i"), opt.scalar(4, "i")
            x = q[ins[0]]
            assert x.shape[:2] == (fh, fw) and opt.scalar(0, "b") == 1
            ti = tensors[ins[0]]
            assert ti["scale"][0] == so and ti["zp"][0] == zo
            n = fh * fw
            s = x.reshape(-1, x.shape[2]).sum(axis=0)
            q[out] = ((s + n // 2) // n).reshape(1, 1, -1)  # TFLite rounds half up
            f[out] = f[ins[0]].reshape(-1, x.shape[2]).mean(axis=0).reshape(1, 1, -1)
        elif code == 22:  # RESHAPE
            q[out] = q[ins[0]].reshape(-1)
            f[out] = f[ins[0]].reshape(-1)
        elif code == 25:  # SOFTMAX: stop at the logits
            continue
        else:
            raise ValueError("unsupported op %d" % code)
    return q, f


def main():
    tensors, ops, buffers, inputs, outputs = load_model(TFLITE)
    assert len(tensors) == 174 and len(ops) == 66, (len(tensors), len(ops))
    img = Image.open(IMAGE).convert("RGB").resize((224, 224), Image.BILINEAR)
    x = np.asarray(img, dtype=np.uint8)
    q, f = run(tensors, ops, buffers, inputs, outputs, x)

    def tensor_id(prefix):
        return next(i for i, t in enumerate(tensors) if t["name"].split(";")[0] == prefix)

    conv1 = tensor_id("MobilenetV2/Conv/Relu6")
    conv_1 = tensor_id("MobilenetV2/Conv_1/Relu6")
    logits = tensor_id("MobilenetV2/Logits/Squeeze1")
    lt = tensors[logits]
    logits_uint8 = ((q[logits] - lt["zp"][0]) * lt["scale"][0]).astype(np.float32)
    logits_float = f[logits].astype(np.float32)
    os.makedirs(OUT, exist_ok=True)
    np.save(os.path.join(OUT, "input_001150_uint8.npy"), x)
    np.save(os.path.join(OUT, "conv1_rows0-15_uint8.npy"), q[conv1][:16].astype(np.uint8))
    np.save(os.path.join(OUT, "conv_1_uint8.npy"), q[conv_1].astype(np.uint8))
    np.save(os.path.join(OUT, "logits_uint8.npy"), logits_uint8)
    np.save(os.path.join(OUT, "logits_float.npy"), logits_float)
    r = np.corrcoef(logits_uint8, logits_float)[0, 1]
    print("top-1 uint8 %d (%.3f), float %d (%.3f); corr %.5f; max |diff| %.3f" % (
        logits_uint8.argmax(), logits_uint8.max(), logits_float.argmax(), logits_float.max(), r,
        np.abs(logits_uint8 - logits_float).max()))
    print("top-5 uint8", np.argsort(-logits_uint8)[:5], "float", np.argsort(-logits_float)[:5])


if __name__ == "__main__":
    main()
