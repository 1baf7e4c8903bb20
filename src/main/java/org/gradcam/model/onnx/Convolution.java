package org.gradcam.model.onnx;

import static org.gradcam.model.onnx.Layout.transpose;
import static org.gradcam.model.onnx.OnnxAttributes.attrI;
import static org.gradcam.model.onnx.OnnxAttributes.attrInts;
import static org.gradcam.model.onnx.OnnxAttributes.attrS;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.DepthwiseConv2dNative;
import org.tensorflow.types.TFloat32;

/**
 * ONNX Conv (plain, depthwise, grouped, dilated) as TF's NHWC convolutions, and the explicit or
 * automatic pads that convolutions and pools share.
 */
final class Convolution {
  private Convolution() {}

  static Value conv(ImportContext ctx, OnnxMl.NodeProto n) {
    Ops tf = ctx.tf;
    Value x = ctx.rank4Nhwc(n, ctx.tensorIn(n, 0));
    Value w = ctx.constIn(n, 1);
    if (w.floats == null || w.shape.length != 4) {
      throw ctx.unsupported(n, "convolution weight that is not a constant 4-D float tensor "
          + "(only 2-D convolutions are supported)");
    }
    Value b = ctx.in(n, 2);
    long[] ws = w.shape; // [O, I/group, kh, kw]
    long group = attrI(n, "group", 1);
    long[] s = x.op.shape().asArray(); // N H W C
    long inC = s[3];
    if (ws[1] * group != inC) {
      throw ctx.bad(n, "weight " + Arrays.toString(ws) + " with group " + group + " does not fit "
          + inC + " input channels");
    }
    long[] k = {ws[2], ws[3]};
    long[] kernelShape = attrInts(n, "kernel_shape", k);
    if (!Arrays.equals(kernelShape, k)) {
      throw ctx.bad(n, "kernel_shape " + Arrays.toString(kernelShape)
          + " differs from the weight's");
    }
    long[] strides = attrInts(n, "strides", new long[] {1, 1});
    long[] dil = attrInts(n, "dilations", new long[] {1, 1});
    long[] pads = spatialPads(ctx, n, new long[] {s[1], s[2]}, k, strides, dil);
    float[] weights = w.floats;
    if (dil[0] != 1 || dil[1] != 1) {
      // TF's registered Conv2D gradient ignores the dilations attribute (wrong Grad-CAM
      // gradients), so a dilated kernel becomes a dense one with zeros between its taps.
      long kh = (k[0] - 1) * dil[0] + 1;
      long kw = (k[1] - 1) * dil[1] + 1;
      float[] dense = new float[(int) (ws[0] * ws[1] * kh * kw)];
      for (int oi = 0; oi < ws[0] * ws[1]; oi++) {
        for (int y = 0; y < k[0]; y++) {
          for (int xx = 0; xx < k[1]; xx++) {
            dense[(int) ((oi * kh + y * dil[0]) * kw + xx * dil[1])] =
                weights[(int) ((oi * k[0] + y) * k[1] + xx)];
          }
        }
      }
      weights = dense;
      k = new long[] {kh, kw};
      ws = new long[] {ws[0], ws[1], kh, kw};
      dil = new long[] {1, 1};
    }
    Operand<TFloat32> in = x.op;
    String padding = "VALID";
    boolean same = strides[0] == 1 && strides[1] == 1 && pads[0] == pads[2] && pads[1] == pads[3]
        && pads[0] * 2 == (k[0] - 1) * dil[0] && pads[1] * 2 == (k[1] - 1) * dil[1];
    if (same) {
      padding = "SAME"; // TF's SAME is exactly these symmetric pads at stride 1
    } else if (Arrays.stream(pads).anyMatch(p -> p != 0)) {
      in = tf.pad(in, ctx.int32(new long[][] {{0, 0}, {pads[0], pads[2]}, {pads[1], pads[3]},
          {0, 0}}), tf.constant(0f));
    }
    List<Long> st = List.of(1L, strides[0], strides[1], 1L);
    List<Long> dl = List.of(1L, dil[0], dil[1], 1L);
    long out = ws[0];
    Operand<TFloat32> y;
    if (group == 1) {
      Operand<TFloat32> kernel = ctx.floatConst(transpose(weights, ws, new int[] {2, 3, 1, 0}),
          new long[] {k[0], k[1], ws[1], out});
      y = tf.nn.conv2d(in, kernel, st, padding, Conv2d.dilations(dl));
    } else if (group == inC && ws[1] == 1 && dil[0] == 1 && dil[1] == 1) {
      // Depthwise: output channel c * m + j reads input channel c, as in TF's depthwise kernel.
      long mult = out / inC;
      Operand<TFloat32> kernel = ctx.floatConst(transpose(weights,
          new long[] {inC, mult, k[0], k[1]},
          new int[] {2, 3, 0, 1}), new long[] {k[0], k[1], inC, mult});
      y = tf.nn.depthwiseConv2dNative(in, kernel, st, padding,
          DepthwiseConv2dNative.dilations(dl));
    } else {
      // Grouped: one convolution per group on its slice of channels (TF's CPU Conv2D has no
      // groups), concatenated in group order as ONNX's output channels are.
      if (out % group != 0) {
        throw ctx.bad(n, out + " output channels are not divisible by group " + group);
      }
      long og = out / group;
      List<Operand<TFloat32>> parts = new ArrayList<>();
      var split = tf.split(tf.constant(3), in, group);
      int per = (int) (og * ws[1] * k[0] * k[1]);
      for (int gi = 0; gi < group; gi++) {
        float[] wg = Arrays.copyOfRange(weights, gi * per, (gi + 1) * per);
        Operand<TFloat32> kernel = ctx.floatConst(transpose(wg, new long[] {og, ws[1], k[0], k[1]},
            new int[] {2, 3, 1, 0}), new long[] {k[0], k[1], ws[1], og});
        parts.add(tf.nn.conv2d(split.output().get(gi), kernel, st, padding,
            Conv2d.dilations(dl)));
      }
      y = tf.concat(parts, tf.constant(3));
    }
    if (b != null) {
      if (b.floats == null || b.floats.length != out) {
        throw ctx.unsupported(n, "bias that is not a constant of " + out + " floats");
      }
      y = tf.nn.biasAdd(y, ctx.floatConst(b.floats, new long[] {out}));
    }
    return Value.tensor(y, true);
  }

  /**
   * The pads {@code [top, left, bottom, right]} of a conv or pool from {@code pads} or
   * {@code auto_pad}, without ceil mode.
   */
  static long[] spatialPads(ImportContext ctx, OnnxMl.NodeProto n, long[] size, long[] k,
      long[] strides, long[] dil) {
    String auto = attrS(n, "auto_pad", "NOTSET");
    long[] pads = new long[4];
    switch (auto) {
      case "NOTSET" -> {
        long[] p = attrInts(n, "pads", new long[4]);
        if (p.length != 4) {
          throw ctx.unsupported(n, "pads " + Arrays.toString(p) + " (2-D ops need 4 values)");
        }
        pads = p;
      }
      case "VALID" -> { }
      case "SAME_UPPER", "SAME_LOWER" -> {
        for (int i = 0; i < 2; i++) {
          long out = (size[i] + strides[i] - 1) / strides[i];
          long total = Math.max(0, (out - 1) * strides[i] + (k[i] - 1) * dil[i] + 1 - size[i]);
          long small = total / 2;
          long head = auto.equals("SAME_UPPER") ? small : total - small;
          pads[i] = head;
          pads[i + 2] = total - head;
        }
      }
      default -> throw ctx.unsupported(n, "auto_pad " + auto);
    }
    if (Arrays.stream(pads).anyMatch(p -> p < 0)) {
      throw ctx.unsupported(n, "negative pads " + Arrays.toString(pads));
    }
    return pads;
  }
}
