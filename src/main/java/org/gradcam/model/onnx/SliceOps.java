package org.gradcam.model.onnx;

import static org.gradcam.model.onnx.Layout.L2P;
import static org.gradcam.model.onnx.Layout.TO_NHWC;
import static org.gradcam.model.onnx.Layout.permute;
import static org.gradcam.model.onnx.OnnxAttributes.attrF;
import static org.gradcam.model.onnx.OnnxAttributes.attrI;
import static org.gradcam.model.onnx.OnnxAttributes.attrInts;
import static org.gradcam.model.onnx.OnnxAttributes.attrS;
import static org.gradcam.model.onnx.Value.BATCH;
import static org.gradcam.model.onnx.Value.logical;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TFloat32;

/**
 * Ops that pick, join or extend along axes: Gather, Slice, Concat and Pad, in either layout,
 * on integer shape values too (evaluated while importing).
 */
final class SliceOps {
  private SliceOps() {}

  static Value concat(ImportContext ctx, OnnxMl.NodeProto n) {
    Ops tf = ctx.tf;
    List<Value> ins = new ArrayList<>();
    for (int i = 0; i < n.getInputCount(); i++) {
      ins.add(ctx.required(n, i));
    }
    long axis = attrI(n, "axis", Long.MIN_VALUE);
    if (axis == Long.MIN_VALUE) {
      throw ctx.bad(n, "no axis");
    }
    if (ins.stream().allMatch(v -> v.ints != null)) {
      if (ins.stream().anyMatch(v -> v.shape.length > 1)) {
        throw ctx.unsupported(n, "Concat of integer tensors of rank > 1");
      }
      long[] out = ins.stream().flatMapToLong(v -> Arrays.stream(v.ints)).toArray();
      return Value.ints(out, new long[] {out.length});
    }
    if (ins.size() == 1) {
      return ins.get(0); // TF's ConcatV2 needs two inputs at least
    }
    boolean toNhwc = ins.stream().anyMatch(v -> v.op != null && v.nhwc);
    int rank = logical(ins.get(0)).length;
    int ax = (int) ctx.norm(n, axis, rank);
    List<Operand<TFloat32>> parts = new ArrayList<>();
    for (Value v : ins) {
      if (v.ints != null) {
        throw ctx.unsupported(n, "Concat of integer and float tensors");
      }
      parts.add(toNhwc
          ? Elementwise.operand(ctx, n, v.op == null ? v : Value.tensor(v.op, v.nhwc), true)
          : v.op != null ? ctx.plain(v) : ctx.floatConst(v.floats, v.shape));
    }
    return Value.tensor(tf.concat(parts, tf.constant(toNhwc ? L2P[ax] : ax)), toNhwc);
  }

  static Value gather(ImportContext ctx, OnnxMl.NodeProto n) {
    Ops tf = ctx.tf;
    Value data = ctx.required(n, 0);
    long[] idx = ctx.intsIn(n, 1);
    Value iv = ctx.required(n, 1);
    long axis = attrI(n, "axis", 0);
    if (data.ints != null) {
      if (data.shape.length != 1 || axis != 0) {
        throw ctx.unsupported(n, "Gather of integer tensors of rank > 1");
      }
      long[] out = new long[idx.length];
      for (int i = 0; i < idx.length; i++) {
        long j = idx[i] < 0 ? idx[i] + data.ints.length : idx[i];
        if (j < 0 || j >= data.ints.length) {
          throw ctx.bad(n, "index " + idx[i] + " out of range for " + data.ints.length + " values");
        }
        out[i] = data.ints[(int) j];
      }
      return Value.ints(out, iv.shape);
    }
    Value x = data.op != null ? data : ctx.tensorIn(n, 0);
    long[] s = logical(x);
    int ax = (int) ctx.norm(n, axis, s.length);
    if (s[ax] < 0) {
      throw ctx.unsupported(n, "Gather along the dynamic batch axis");
    }
    Operand<TFloat32> t = ctx.plain(x);
    int[] ii = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      ii[i] = (int) (idx[i] < 0 ? idx[i] + s[ax] : idx[i]);
    }
    Operand<TFloat32> y;
    if (iv.shape.length == 0) {
      // A scalar index drops the axis: a slice then squeeze, whose gradients TF registers.
      long[] begin = new long[s.length];
      long[] size = new long[s.length];
      Arrays.fill(size, -1);
      begin[ax] = ii[0];
      size[ax] = 1;
      y = tf.squeeze(tf.slice(t, ctx.int32(begin), ctx.int32(size)),
          Squeeze.axis(List.of((long) ax)));
    } else if (iv.shape.length == 1) {
      y = tf.gather(t, tf.constant(ii), tf.constant(ax));
    } else {
      throw ctx.unsupported(n, "Gather with indices of rank " + iv.shape.length);
    }
    return Value.tensor(y, false);
  }

  static Value slice(ImportContext ctx, OnnxMl.NodeProto n) {
    Ops tf = ctx.tf;
    Value x = ctx.required(n, 0);
    long[] starts;
    long[] ends;
    long[] axes;
    long[] steps;
    if (ctx.opset < 10) {
      starts = attrInts(n, "starts", null);
      ends = attrInts(n, "ends", null);
      axes = attrInts(n, "axes", null);
      steps = null;
    } else {
      starts = ctx.intsIn(n, 1);
      ends = ctx.intsIn(n, 2);
      axes = ctx.in(n, 3) == null ? null : ctx.intsIn(n, 3);
      steps = ctx.in(n, 4) == null ? null : ctx.intsIn(n, 4);
    }
    long[] s = logical(x);
    int rank = s.length;
    long[] begin = new long[rank];
    long[] end = s.clone();
    long[] stride = new long[rank];
    Arrays.fill(stride, 1);
    for (int i = 0; i < starts.length; i++) {
      int ax = (int) ctx.norm(n, axes == null ? i : axes[i], rank);
      long step = steps == null ? 1 : steps[i];
      if (step != 1) {
        throw ctx.unsupported(n, "Slice step " + step);
      }
      long dim = s[ax];
      if (dim < 0 || dim == BATCH) {
        if (starts[i] == 0 && ends[i] >= Integer.MAX_VALUE) {
          begin[ax] = 0;
          end[ax] = -1; // the whole dynamic axis
          continue;
        }
        throw ctx.unsupported(n, "Slice of the dynamic batch axis");
      }
      long b = clampIndex(starts[i], dim);
      long e = clampIndex(ends[i], dim);
      begin[ax] = b;
      end[ax] = Math.max(b, e);
    }
    if (x.ints != null) {
      if (rank != 1) {
        throw ctx.unsupported(n, "Slice of integer tensors of rank > 1");
      }
      long[] out = Arrays.copyOfRange(x.ints, (int) begin[0], (int) end[0]);
      return Value.ints(out, new long[] {out.length});
    }
    Value f = x.op != null ? x : ctx.tensorIn(n, 0);
    Operand<TFloat32> t = f.op;
    long[] b = begin;
    long[] size = new long[rank];
    for (int i = 0; i < rank; i++) {
      size[i] = end[i] < 0 ? -1 : end[i] - begin[i];
    }
    if (f.nhwc) {
      b = permute(begin, TO_NHWC);
      size = permute(size, TO_NHWC);
    }
    return Value.tensor(tf.slice(t, ctx.int32(b), ctx.int32(size)), f.nhwc);
  }

  private static long clampIndex(long i, long dim) {
    if (i < 0) {
      i += dim;
    }
    return Math.max(0, Math.min(dim, i));
  }

  static Value pad(ImportContext ctx, OnnxMl.NodeProto n) {
    Ops tf = ctx.tf;
    Value x = ctx.tensorIn(n, 0);
    String mode = attrS(n, "mode", "constant");
    long[] pads;
    float value = 0f;
    if (ctx.opset < 11) {
      pads = attrInts(n, "pads", null);
      value = attrF(n, "value", 0f);
    } else {
      pads = ctx.intsIn(n, 1);
      Value c = ctx.in(n, 2);
      if (c != null) {
        value = ctx.scalar(n, c, "constant_value");
      }
      if (ctx.in(n, 3) != null) {
        throw ctx.unsupported(n, "axes input");
      }
    }
    int rank = logical(x).length;
    if (pads == null || pads.length != 2 * rank) {
      throw ctx.bad(n, "pads " + Arrays.toString(pads) + " do not fit rank " + rank);
    }
    if (Arrays.stream(pads).anyMatch(p -> p < 0)) {
      throw ctx.unsupported(n, "negative pads (cropping) " + Arrays.toString(pads));
    }
    long[][] spec = new long[rank][2];
    for (int i = 0; i < rank; i++) {
      int p = x.nhwc ? L2P[i] : i;
      spec[p][0] = pads[i];
      spec[p][1] = pads[i + rank];
    }
    Operand<TFloat32> y = switch (mode) {
      case "constant" -> tf.pad(x.op, ctx.int32(spec), tf.constant(value));
      case "reflect" -> tf.mirrorPad(x.op, ctx.int32(spec), "REFLECT");
      default -> throw ctx.unsupported(n, "Pad mode '" + mode + "'");
    };
    return Value.tensor(y, x.nhwc);
  }
}
