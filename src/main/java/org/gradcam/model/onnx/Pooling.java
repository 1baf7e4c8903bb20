package org.gradcam.model.onnx;

import static org.gradcam.model.onnx.Layout.L2P;
import static org.gradcam.model.onnx.OnnxAttributes.attrI;
import static org.gradcam.model.onnx.OnnxAttributes.attrInts;
import static org.gradcam.model.onnx.Value.logical;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gradcam.model.MaxPool;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * Windows and reductions: MaxPool and AveragePool (pads, ceil_mode, count_include_pad),
 * GlobalAveragePool, GlobalMaxPool, ReduceMean.
 */
final class Pooling {
  private Pooling() {}

  static Value pool(ImportContext ctx, OnnxMl.NodeProto n) {
    Ops tf = ctx.tf;
    boolean max = n.getOpType().equals("MaxPool");
    if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty()) {
      throw ctx.unsupported(n, "the Indices output of MaxPool");
    }
    Value x = ctx.rank4Nhwc(n, ctx.tensorIn(n, 0));
    long[] k = attrInts(n, "kernel_shape", null);
    if (k == null || k.length != 2) {
      throw ctx.unsupported(n, "kernel_shape " + Arrays.toString(k) + " (2-D pools only)");
    }
    long[] strides = attrInts(n, "strides", new long[] {1, 1});
    long[] dil = attrInts(n, "dilations", new long[] {1, 1});
    if (dil[0] != 1 || dil[1] != 1) {
      throw ctx.unsupported(n, "dilations " + Arrays.toString(dil));
    }
    boolean ceil = attrI(n, "ceil_mode", 0) != 0;
    boolean includePad = attrI(n, "count_include_pad", 0) != 0;
    long[] s = x.op.shape().asArray();
    long[] size = {s[1], s[2]};
    long[] pads = Convolution.spatialPads(ctx, n, size, k, strides, dil);
    long[] outSize = new long[2];
    long[] extra = new long[2];
    for (int i = 0; i < 2; i++) {
      long span = size[i] + pads[i] + pads[i + 2] - k[i];
      long o = (ceil ? Math.floorDiv(span + strides[i] - 1, strides[i])
          : Math.floorDiv(span, strides[i])) + 1;
      if (ceil && (o - 1) * strides[i] >= size[i] + pads[i]) {
        o--; // a last window starting in the tail padding is dropped (PyTorch, ORT)
      }
      outSize[i] = o;
      extra[i] = Math.max(0, (o - 1) * strides[i] + k[i] - (size[i] + pads[i] + pads[i + 2]));
    }
    long[][] padSpec = {{0, 0}, {pads[0], pads[2] + extra[0]}, {pads[1], pads[3] + extra[1]},
        {0, 0}};
    boolean padded = Arrays.stream(padSpec).flatMapToLong(Arrays::stream).anyMatch(p -> p != 0);
    Operand<TFloat32> in = x.op;
    if (max) {
      if (padded) {
        in = tf.pad(in, ctx.int32(padSpec), tf.constant(Float.NEGATIVE_INFINITY));
      }
      return Value.tensor(MaxPool.of(tf, in, k[0], k[1], strides[0], strides[1], "VALID"), true);
    }
    if (padded) {
      in = tf.pad(in, ctx.int32(padSpec), tf.constant(0f));
    }
    Operand<TFloat32> mean = tf.nn.avgPool(in, List.of(1L, k[0], k[1], 1L),
        List.of(1L, strides[0], strides[1], 1L), "VALID");
    if (!padded || includePad) {
      // With count_include_pad ONNX Runtime divides by the whole window, even where ceil mode
      // makes it reach past the pads (PyTorch would not): as avgPool on the zero-padded input.
      return Value.tensor(mean, true);
    }
    // avgPool divided every window by k0*k1; rescale each output by k0*k1 / its count of real
    // input cells, ONNX's divisor without count_include_pad.
    float[] scale = new float[(int) (outSize[0] * outSize[1])];
    for (int oy = 0; oy < outSize[0]; oy++) {
      for (int ox = 0; ox < outSize[1]; ox++) {
        long cy = cells(oy, strides[0], k[0], pads[0], size[0]);
        long cx = cells(ox, strides[1], k[1], pads[1], size[1]);
        scale[(int) (oy * outSize[1] + ox)] = (float) ((double) (k[0] * k[1]) / (cy * cx));
      }
    }
    return Value.tensor(tf.math.mul(mean, ctx.floatConst(scale,
        new long[] {1, outSize[0], outSize[1], 1})), true);
  }

  /** Cells of window {@code o} along one axis that ONNX's average counts. */
  private static long cells(long o, long stride, long k, long head, long size) {
    long start = o * stride - head;
    return Math.max(1, Math.min(start + k, size) - Math.max(start, 0));
  }

  static Value globalAveragePool(ImportContext ctx, OnnxMl.NodeProto n) {
    return globalPool(ctx, n, false);
  }

  static Value globalMaxPool(ImportContext ctx, OnnxMl.NodeProto n) {
    return globalPool(ctx, n, true);
  }

  private static Value globalPool(ImportContext ctx, OnnxMl.NodeProto n, boolean max) {
    Ops tf = ctx.tf;
    Value x = ctx.rank4Nhwc(n, ctx.tensorIn(n, 0));
    var axes = tf.constant(new int[] {1, 2});
    Operand<TFloat32> y = max ? tf.max(x.op, axes, Max.keepDims(true))
        : tf.math.mean(x.op, axes, Mean.keepDims(true));
    return Value.tensor(y, true);
  }

  static Value reduceMean(ImportContext ctx, OnnxMl.NodeProto n) {
    Ops tf = ctx.tf;
    Value x = ctx.tensorIn(n, 0);
    int rank = logical(x).length;
    long[] axes = ctx.intsSince(18, n, 1, "axes");
    if (axes == null) {
      axes = new long[rank];
      for (int i = 0; i < rank; i++) {
        axes[i] = i;
      }
    }
    boolean keep = attrI(n, "keepdims", 1) != 0;
    Set<Integer> reduced = new HashSet<>();
    for (long a : axes) {
      reduced.add((int) ctx.norm(n, a, rank));
    }
    Operand<TFloat32> t = x.op;
    boolean nhwc = x.nhwc;
    if (nhwc && !keep) {
      // The kept axes in memory order must be their logical order, else go plain first.
      List<Integer> kept = new ArrayList<>();
      for (int p = 0; p < 4; p++) {
        int logicalAxis = List.of(0, 2, 3, 1).get(p);
        if (!reduced.contains(logicalAxis)) {
          kept.add(logicalAxis);
        }
      }
      List<Integer> sorted = new ArrayList<>(kept);
      sorted.sort(null);
      if (!kept.equals(sorted)) {
        t = ctx.plain(x);
        nhwc = false;
      }
    }
    boolean physical = nhwc;
    int[] phys = reduced.stream().mapToInt(a -> physical ? L2P[a] : a).sorted().toArray();
    Operand<TFloat32> y = tf.math.mean(t, tf.constant(phys), Mean.keepDims(keep));
    return Value.tensor(y, nhwc && keep);
  }
}
