package org.gradcam.model.onnx;

import static org.gradcam.model.onnx.Layout.L2P;
import static org.gradcam.model.onnx.OnnxAttributes.attrI;
import static org.gradcam.model.onnx.OnnxAttributes.attrInts;
import static org.gradcam.model.onnx.Value.BATCH;
import static org.gradcam.model.onnx.Value.logical;

import ai.onnx.proto.OnnxMl;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Ops that change a shape, not the data: Shape (evaluated while importing), Reshape, Flatten,
 * Squeeze, Unsqueeze and Transpose. They work on the NCHW-logical order, as ONNX defines them.
 */
final class ShapeOps {
  private ShapeOps() {}

  static Value flatten(ImportContext ctx, OnnxMl.NodeProto n) {
    Ops tf = ctx.tf;
    Value x = ctx.tensorIn(n, 0);
    long[] s = logical(x);
    int axis = (int) ctx.norm(n, attrI(n, "axis", 1), s.length + 1);
    long tail = 1;
    for (int i = axis; i < s.length; i++) {
      if (s[i] < 0) {
        throw ctx.unsupported(n, "Flatten over the dynamic batch axis");
      }
      tail *= s[i];
    }
    long[] shape = axis == 0 ? new long[] {1, tail} : new long[] {-1, tail};
    Operand<TFloat32> t = ctx.plain(x);
    // A 1x1 NHWC map has the same memory order as NCHW: no transpose needed.
    if (x.nhwc && s[2] == 1 && s[3] == 1) {
      t = x.op;
    }
    return Value.tensor(tf.reshape(t, ctx.int32(shape)), false);
  }

  static Value reshape(ImportContext ctx, OnnxMl.NodeProto n) {
    Ops tf = ctx.tf;
    Value x = ctx.required(n, 0);
    long[] target = ctx.intsIn(n, 1).clone();
    if (x.ints != null || x.floats != null) {
      long[] s = resolveShape(ctx, n, x.shape, target, attrI(n, "allowzero", 0) != 0);
      return x.ints != null ? Value.ints(x.ints, s) : Value.floats(x.floats, s);
    }
    long[] s = logical(x);
    long[] shape = resolveShape(ctx, n, s, target, attrI(n, "allowzero", 0) != 0);
    Operand<TFloat32> t = ctx.plain(x);
    return Value.tensor(tf.reshape(t, ctx.int32(shape)), false);
  }

  /**
   * A Reshape target with zeros copied and -1 resolved against the input's static size, the
   * dynamic batch (BATCH) left as TF's -1: the only axis TF then infers.
   */
  private static long[] resolveShape(ImportContext ctx, OnnxMl.NodeProto n, long[] in,
      long[] target, boolean allowZero) {
    long known = 1;
    int dynamicIn = 0;
    for (long d : in) {
      if (d < 0) {
        dynamicIn++;
      } else {
        known *= d;
      }
    }
    long[] out = target.clone();
    int minus = -1;
    int batch = -1;
    long prod = 1;
    for (int i = 0; i < out.length; i++) {
      if (out[i] == 0 && !allowZero) {
        if (i >= in.length) {
          throw ctx.bad(n, "Reshape copies axis " + i + " of a rank-" + in.length + " input");
        }
        out[i] = in[i] < 0 ? BATCH : in[i];
      }
      if (out[i] == BATCH) {
        if (batch >= 0) {
          throw ctx.unsupported(n, "Reshape target with the batch size twice");
        }
        batch = i;
      } else if (out[i] == -1) {
        if (minus >= 0) {
          throw ctx.bad(n, "Reshape target with two -1");
        }
        minus = i;
      } else {
        prod *= out[i];
      }
    }
    if (dynamicIn > 0 && batch < 0 && minus < 0) {
      throw ctx.unsupported(n, "Reshape of a dynamic-batch tensor to a fixed shape "
          + Arrays.toString(target));
    }
    if (minus >= 0 && (dynamicIn == 0 || batch >= 0)) {
      if (prod == 0 || known % prod != 0) {
        throw ctx.bad(n, "cannot reshape " + Arrays.toString(in) + " to "
            + Arrays.toString(target));
      }
      out[minus] = known / prod;
    }
    if (batch >= 0) {
      out[batch] = -1;
    }
    return out;
  }

  static Value transpose(ImportContext ctx, OnnxMl.NodeProto n) {
    Ops tf = ctx.tf;
    Value x = ctx.tensorIn(n, 0);
    int rank = logical(x).length;
    long[] perm = attrInts(n, "perm", null);
    if (perm == null) {
      perm = new long[rank];
      for (int i = 0; i < rank; i++) {
        perm[i] = rank - 1 - i;
      }
    }
    int[] p = new int[rank];
    boolean identity = true;
    for (int i = 0; i < rank; i++) {
      p[i] = x.nhwc ? L2P[(int) perm[i]] : (int) perm[i];
      identity &= p[i] == i;
    }
    // An NHWC value permuted to (0, 2, 3, 1) is its memory order: no op at all.
    return Value.tensor(identity ? x.op : tf.linalg.transpose(x.op, tf.constant(p)), false);
  }

  static Value shape(ImportContext ctx, OnnxMl.NodeProto n) {
    Value x = ctx.required(n, 0);
    long[] s = logical(x).clone();
    for (int i = 0; i < s.length; i++) {
      if (s[i] < 0) {
        s[i] = BATCH;
      }
    }
    int start = (int) attrI(n, "start", 0);
    int end = (int) attrI(n, "end", s.length);
    start = Math.max(0, Math.min(s.length, start < 0 ? start + s.length : start));
    end = Math.max(0, Math.min(s.length, end < 0 ? end + s.length : end));
    long[] out = Arrays.copyOfRange(s, start, Math.max(start, end));
    return Value.ints(out, new long[] {out.length});
  }

  static Value unsqueeze(ImportContext ctx, OnnxMl.NodeProto n) {
    Value x = ctx.required(n, 0);
    long[] axes = ctx.opset >= 13 ? ctx.intsIn(n, 1) : attrInts(n, "axes", null);
    long[] s = logical(x);
    int rank = s.length + axes.length;
    Set<Integer> at = new HashSet<>();
    for (long a : axes) {
      at.add((int) ctx.norm(n, a, rank));
    }
    long[] out = new long[rank];
    for (int i = 0, j = 0; i < rank; i++) {
      out[i] = at.contains(i) ? 1 : s[j++];
    }
    return reshaped(ctx, n, x, out);
  }

  static Value squeeze(ImportContext ctx, OnnxMl.NodeProto n) {
    Value x = ctx.required(n, 0);
    long[] axes = ctx.intsSince(13, n, 1, "axes");
    long[] s = logical(x);
    Set<Integer> at = new HashSet<>();
    for (int i = 0; i < s.length; i++) {
      if (axes == null ? s[i] == 1 : false) {
        at.add(i);
      }
    }
    if (axes != null) {
      for (long a : axes) {
        int ax = (int) ctx.norm(n, a, s.length);
        if (s[ax] != 1) {
          throw ctx.bad(n, "cannot squeeze axis " + ax + " of size " + s[ax]);
        }
        at.add(ax);
      }
    }
    long[] out = new long[s.length - at.size()];
    for (int i = 0, j = 0; i < s.length; i++) {
      if (!at.contains(i)) {
        out[j++] = s[i];
      }
    }
    return reshaped(ctx, n, x, out);
  }

  /** The same data with a new logical shape (dynamic batch as -1). */
  private static Value reshaped(ImportContext ctx, OnnxMl.NodeProto n, Value x, long[] shape) {
    Ops tf = ctx.tf;
    if (x.ints != null) {
      return Value.ints(x.ints, shape);
    }
    if (x.floats != null) {
      return Value.floats(x.floats, shape);
    }
    long dyn = Arrays.stream(shape).filter(d -> d < 0).count();
    if (dyn > 1) {
      throw ctx.unsupported(n, "reshape with two dynamic axes");
    }
    return Value.tensor(tf.reshape(ctx.plain(x), ctx.int32(shape)), false);
  }
}
