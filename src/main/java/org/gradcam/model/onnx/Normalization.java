package org.gradcam.model.onnx;

import static org.gradcam.model.onnx.OnnxAttributes.attrF;
import static org.gradcam.model.onnx.OnnxAttributes.attrI;
import static org.gradcam.model.onnx.Value.logical;

import ai.onnx.proto.OnnxMl;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Normalisations: BatchNormalization (inference, folded to a scale and shift),
 * LayerNormalization and Softmax.
 */
final class Normalization {
  private Normalization() {}

  static Value batchNorm(ImportContext ctx, OnnxMl.NodeProto n) {
    Ops tf = ctx.tf;
    Value x = ctx.tensorIn(n, 0);
    float[][] p = new float[4][];
    for (int i = 0; i < 4; i++) {
      Value c = ctx.constIn(n, i + 1);
      if (c.floats == null) {
        throw ctx.unsupported(n, "non-float parameter " + i);
      }
      p[i] = c.floats;
    }
    if (attrI(n, "training_mode", 0) != 0) {
      throw ctx.unsupported(n, "training_mode=1");
    }
    float eps = attrF(n, "epsilon", 1e-5f);
    int c = p[0].length;
    float[] scale = new float[c];
    float[] shift = new float[c];
    for (int i = 0; i < c; i++) {
      scale[i] = (float) (p[0][i] / Math.sqrt((double) p[3][i] + eps));
      shift[i] = (float) (p[1][i] - (double) p[2][i] * scale[i]);
    }
    long[] s = logical(x);
    if (s.length < 2 || s[1] != c) {
      throw ctx.bad(n, "input " + Arrays.toString(s) + " does not have " + c + " channels");
    }
    long[] cs;
    Operand<TFloat32> t = x.op;
    if (x.nhwc || s.length == 2) {
      cs = new long[] {c};
    } else {
      cs = new long[s.length - 1];
      Arrays.fill(cs, 1);
      cs[0] = c;
    }
    Operand<TFloat32> y = tf.math.add(tf.math.mul(t, ctx.floatConst(scale, cs)),
        ctx.floatConst(shift, cs));
    return Value.tensor(y, x.nhwc);
  }

  static Value softmax(ImportContext ctx, OnnxMl.NodeProto n) {
    Ops tf = ctx.tf;
    Value x = ctx.tensorIn(n, 0);
    Operand<TFloat32> t = ctx.plain(x);
    int rank = t.shape().numDimensions();
    int axis = (int) ctx.norm(n, attrI(n, "axis", ctx.opset >= 13 ? -1 : 1), rank);
    // Before opset 13 Softmax flattens from axis on; on a matrix with axis 1 both agree.
    if (axis != rank - 1) {
      throw ctx.unsupported(n, "Softmax over axis " + axis + " of a rank-" + rank + " tensor "
          + "(only the last axis is supported)");
    }
    return Value.tensor(tf.nn.softmax(t), false);
  }

  /**
   * LayerNormalization (opset 17): {@code (x - mean) / sqrt(var + epsilon) * Scale + B} over the
   * axes from {@code axis} on, in the NCHW-logical order and in float32 (stash_type 1), as
   * ONNX's function body defines it.
   */
  static Value layerNorm(ImportContext ctx, OnnxMl.NodeProto n) {
    if (ctx.opset < 17) {
      throw ctx.unsupported(n, "LayerNormalization before opset 17, which added it");
    }
    for (int i = 1; i < n.getOutputCount(); i++) {
      if (!n.getOutput(i).isEmpty()) {
        throw ctx.unsupported(n, "the Mean and InvStdDev outputs of LayerNormalization");
      }
    }
    long stash = attrI(n, "stash_type", 1);
    if (stash != 1) {
      throw ctx.unsupported(n, "stash_type " + stash + " (only 1, float32)");
    }
    Ops tf = ctx.tf;
    Operand<TFloat32> x = ctx.plain(ctx.tensorIn(n, 0));
    int rank = x.shape().numDimensions();
    int axis = (int) ctx.norm(n, attrI(n, "axis", -1), rank);
    Operand<TInt32> axes = tf.constant(IntStream.range(axis, rank).toArray());
    Operand<TFloat32> d = tf.math.sub(x, tf.math.mean(x, axes, Mean.keepDims(true)));
    Operand<TFloat32> variance = tf.math.mean(tf.math.mul(d, d), axes, Mean.keepDims(true));
    Operand<TFloat32> y = tf.math.div(d, tf.math.sqrt(tf.math.add(variance,
        tf.constant(attrF(n, "epsilon", 1e-5f)))));
    y = tf.math.mul(y, ctx.plain(ctx.tensorIn(n, 1)));
    if (ctx.in(n, 2) != null) {
      y = tf.math.add(y, ctx.plain(ctx.tensorIn(n, 2)));
    }
    return Value.tensor(y, false);
  }
}
