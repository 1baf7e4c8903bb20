package org.gradcam.model.onnx;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A value of the ONNX graph while importing: a float tensor of the TF graph, a float constant or
 * integers. Constants stay Java arrays so that shape arithmetic (Shape, Gather, Concat feeding a
 * Reshape) is evaluated while building and only float data the image flows through is graph ops.
 */
final class Value {
  /** Integer shape values: the dynamic batch size, known only when the graph runs. */
  static final long BATCH = Long.MIN_VALUE;

  Operand<TFloat32> op; // float tensor in the graph
  boolean nhwc; // op is rank 4, stored NHWC, NCHW-logical
  float[] floats; // float constant (initializer or Constant), C order of fshape
  long[] shape; // logical shape of a constant (floats or ints)
  long[] ints; // integer constant, may hold BATCH

  static Value tensor(Operand<TFloat32> op, boolean nhwc) {
    Value v = new Value();
    v.op = op;
    v.nhwc = nhwc;
    return v;
  }

  static Value floats(float[] data, long[] shape) {
    Value v = new Value();
    v.floats = data;
    v.shape = shape;
    return v;
  }

  static Value ints(long[] data, long[] shape) {
    Value v = new Value();
    v.ints = data;
    v.shape = shape;
    return v;
  }

  /** The ONNX (NCHW-logical) shape of a value, -1 for the dynamic batch. */
  static long[] logical(Value v) {
    if (v.op == null) {
      return v.shape;
    }
    long[] p = v.op.shape().asArray();
    return v.nhwc ? new long[] {p[0], p[3], p[1], p[2]} : p;
  }
}
