package org.gradcam.model.onnx;

import static org.gradcam.model.onnx.Layout.transpose;
import static org.gradcam.model.onnx.OnnxAttributes.attrF;
import static org.gradcam.model.onnx.OnnxAttributes.attrI;

import ai.onnx.proto.OnnxMl;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/** Matrix products with a constant weight: Gemm and MatMul. */
final class Linear {
  private Linear() {}

  static Value gemm(ImportContext ctx, OnnxMl.NodeProto n) {
    Ops tf = ctx.tf;
    Value a = ctx.tensorIn(n, 0);
    Operand<TFloat32> x = ctx.plain(a);
    if (x.shape().numDimensions() != 2) {
      throw ctx.bad(n, "input A has shape " + x.shape() + "; Gemm needs a matrix");
    }
    if (attrI(n, "transA", 0) != 0) {
      throw ctx.unsupported(n, "transA=1");
    }
    Value b = ctx.constIn(n, 1);
    if (b.floats == null || b.shape.length != 2) {
      throw ctx.unsupported(n, "B that is not a constant float matrix");
    }
    float alpha = attrF(n, "alpha", 1f);
    float beta = attrF(n, "beta", 1f);
    boolean transB = attrI(n, "transB", 0) != 0;
    // The weight stored as [K, N] so the graph needs no transpose.
    float[] w = transB ? transpose(b.floats, b.shape, new int[] {1, 0}) : b.floats.clone();
    long[] ws = transB ? new long[] {b.shape[1], b.shape[0]} : b.shape;
    if (alpha != 1f) {
      for (int i = 0; i < w.length; i++) {
        w[i] *= alpha;
      }
    }
    Operand<TFloat32> y = tf.linalg.matMul(x, ctx.floatConst(w, ws));
    Value c = ctx.in(n, 2);
    if (c != null) {
      if (c.floats == null) {
        throw ctx.unsupported(n, "C that is not a constant float tensor");
      }
      float[] cv = c.floats.clone();
      for (int i = 0; i < cv.length; i++) {
        cv[i] *= beta;
      }
      y = tf.math.add(y, ctx.floatConst(cv, c.shape));
    }
    return Value.tensor(y, false);
  }

  static Value matMul(ImportContext ctx, OnnxMl.NodeProto n) {
    Ops tf = ctx.tf;
    Value a = ctx.tensorIn(n, 0);
    Value b = ctx.required(n, 1);
    if (b.op != null || b.floats == null || b.shape.length != 2) {
      throw ctx.unsupported(n, "second operand that is not a constant float matrix");
    }
    Operand<TFloat32> x = ctx.plain(a);
    long[] s = x.shape().asArray();
    long kdim = b.shape[0];
    if (s.length < 2 || s[s.length - 1] != kdim) {
      throw ctx.bad(n, "shapes " + Arrays.toString(s) + " and " + Arrays.toString(b.shape)
          + " do not multiply");
    }
    Operand<TFloat32> w = ctx.floatConst(b.floats, b.shape);
    if (s.length == 2) {
      return Value.tensor(tf.linalg.matMul(x, w), false);
    }
    long[] outShape = s.clone();
    outShape[s.length - 1] = b.shape[1];
    Operand<TFloat32> y = tf.linalg.matMul(tf.reshape(x, ctx.int32(new long[] {-1, kdim})), w,
        MatMul.transposeA(false));
    return Value.tensor(tf.reshape(y, ctx.int32(outShape)), false);
  }
}
