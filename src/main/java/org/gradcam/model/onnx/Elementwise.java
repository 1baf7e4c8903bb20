package org.gradcam.model.onnx;

import static org.gradcam.model.onnx.Layout.TO_NHWC;
import static org.gradcam.model.onnx.Layout.leftPad;
import static org.gradcam.model.onnx.Layout.permute;
import static org.gradcam.model.onnx.Layout.transpose;
import static org.gradcam.model.onnx.OnnxAttributes.attrF;
import static org.gradcam.model.onnx.Value.BATCH;
import static org.gradcam.model.onnx.Value.logical;

import ai.onnx.proto.OnnxMl;
import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Element-wise ops: activations and other one-input functions, Clip, and the broadcasting
 * Add, Sub, Mul, Div, Pow (on shape integers too, evaluated while importing).
 */
final class Elementwise {
  private Elementwise() {}

  /** A one-input element-wise op, from its TF expression; it keeps its input's layout. */
  static OnnxOps.Converter unary(BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> f) {
    return (ctx, n) -> apply(ctx, n, t -> f.apply(ctx.tf, t));
  }

  private static Value apply(ImportContext ctx, OnnxMl.NodeProto n,
      UnaryOperator<Operand<TFloat32>> f) {
    Value x = ctx.tensorIn(n, 0);
    return Value.tensor(f.apply(x.op), x.nhwc);
  }

  static Value leakyRelu(ImportContext ctx, OnnxMl.NodeProto n) {
    float alpha = attrF(n, "alpha", 0.01f);
    Ops tf = ctx.tf;
    return apply(ctx, n, t -> tf.math.maximum(t, tf.math.mul(t, tf.constant(alpha))));
  }

  static Value hardSigmoid(ImportContext ctx, OnnxMl.NodeProto n) {
    float alpha = attrF(n, "alpha", 0.2f);
    float beta = attrF(n, "beta", 0.5f);
    return apply(ctx, n, t -> hardSigmoid(ctx.tf, t, alpha, beta));
  }

  static Value hardSwish(ImportContext ctx, OnnxMl.NodeProto n) {
    return apply(ctx, n, t -> ctx.tf.math.mul(t, hardSigmoid(ctx.tf, t, 1f / 6, 0.5f)));
  }

  private static Operand<TFloat32> hardSigmoid(Ops tf, Operand<TFloat32> t, float alpha,
      float beta) {
    return tf.math.maximum(tf.constant(0f), tf.math.minimum(tf.constant(1f),
        tf.math.add(tf.math.mul(t, tf.constant(alpha)), tf.constant(beta))));
  }

  static Value clip(ImportContext ctx, OnnxMl.NodeProto n) {
    Ops tf = ctx.tf;
    Value x = ctx.tensorIn(n, 0);
    float lo = -Float.MAX_VALUE;
    float hi = Float.MAX_VALUE;
    if (ctx.opset < 11) {
      lo = attrF(n, "min", lo);
      hi = attrF(n, "max", hi);
    } else {
      Value a = ctx.in(n, 1);
      Value b = ctx.in(n, 2);
      if (a != null) {
        lo = ctx.scalar(n, a, "min");
      }
      if (b != null) {
        hi = ctx.scalar(n, b, "max");
      }
    }
    Operand<TFloat32> y;
    if (lo == 0f && hi == 6f) {
      y = tf.nn.relu6(x.op);
    } else {
      y = tf.math.maximum(tf.math.minimum(x.op, tf.constant(hi)), tf.constant(lo));
    }
    return Value.tensor(y, x.nhwc);
  }

  static Value binary(ImportContext ctx, OnnxMl.NodeProto n) {
    Ops tf = ctx.tf;
    Value a = ctx.required(n, 0);
    Value b = ctx.required(n, 1);
    if (a.ints != null || b.ints != null) {
      return intBinary(ctx, n, a, b);
    }
    boolean toNhwc = (a.op != null && a.nhwc) || (b.op != null && b.nhwc);
    long[] sa = logical(a);
    long[] sb = logical(b);
    Operand<TFloat32> x = operand(ctx, n, a, toNhwc);
    Operand<TFloat32> y = operand(ctx, n, b, toNhwc);
    Operand<TFloat32> out = switch (n.getOpType()) {
      case "Add" -> tf.math.add(x, y);
      case "Sub" -> tf.math.sub(x, y);
      case "Mul" -> tf.math.mul(x, y);
      case "Div" -> tf.math.div(x, y);
      default -> tf.math.pow(x, y);
    };
    if (!toNhwc && Math.max(sa.length, sb.length) == 4 && out.shape().numDimensions() == 4) {
      return Value.tensor(out, false);
    }
    return Value.tensor(out, toNhwc);
  }

  /** An operand of a broadcasting op, brought to NHWC when the op runs in NHWC. */
  static Operand<TFloat32> operand(ImportContext ctx, OnnxMl.NodeProto n, Value v,
      boolean toNhwc) {
    Ops tf = ctx.tf;
    if (v.op != null) {
      if (!toNhwc || v.nhwc) {
        return v.op;
      }
      long[] s = logical(v);
      if (s.length == 4) {
        return ctx.nhwc(v);
      }
      // A lower-rank tensor broadcast against NHWC: extended to rank 4, then transposed.
      long[] s4 = leftPad(s, 4);
      if (Arrays.stream(s4).anyMatch(d -> d < 0)) {
        throw ctx.unsupported(n, "broadcast of a " + s.length + "-D tensor with a dynamic axis "
            + "against a 4-D one");
      }
      return tf.linalg.transpose(tf.reshape(v.op, ctx.int32(s4)), tf.constant(TO_NHWC));
    }
    if (v.floats == null) {
      throw ctx.unsupported(n, "integer operand of a float op");
    }
    if (!toNhwc) {
      return ctx.floatConst(v.floats, v.shape);
    }
    if (v.shape.length > 4) {
      throw ctx.unsupported(n, "broadcast of a " + v.shape.length
          + "-D constant against a 4-D tensor");
    }
    long[] s4 = leftPad(v.shape, 4);
    return ctx.floatConst(transpose(v.floats, s4, TO_NHWC), permute(s4, TO_NHWC));
  }

  private static Value intBinary(ImportContext ctx, OnnxMl.NodeProto n, Value a, Value b) {
    if (a.ints == null || b.ints == null) {
      throw ctx.unsupported(n, "arithmetic between integer and float values");
    }
    long[] x = a.ints;
    long[] y = b.ints;
    if (x.length != y.length && x.length != 1 && y.length != 1) {
      throw ctx.unsupported(n, "integer broadcast of shapes " + Arrays.toString(a.shape)
          + " and "
          + Arrays.toString(b.shape));
    }
    int len = Math.max(x.length, y.length);
    long[] out = new long[len];
    for (int i = 0; i < len; i++) {
      long p = x[x.length == 1 ? 0 : i];
      long q = y[y.length == 1 ? 0 : i];
      if (p == BATCH || q == BATCH) {
        throw ctx.unsupported(n, "arithmetic on the dynamic batch size");
      }
      out[i] = switch (n.getOpType()) {
        case "Add" -> p + q;
        case "Sub" -> p - q;
        case "Mul" -> p * q;
        case "Div" -> p / q; // truncation, as ORT's integer Div
        default -> (long) Math.pow(p, q);
      };
    }
    return Value.ints(out, x.length >= y.length ? a.shape : b.shape);
  }
}
