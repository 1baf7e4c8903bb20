package org.gradcam.model.onnx;

import static org.gradcam.model.onnx.Layout.TO_NCHW;
import static org.gradcam.model.onnx.Layout.TO_NHWC;
import static org.gradcam.model.onnx.OnnxAttributes.attrInts;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.gradcam.model.WeightVariables;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What every op converter reads and writes while one file is imported: the values computed so
 * far by tensor name, the initializers, the graph and its weight variables, and the errors that
 * name the node and opset. Op converters ({@link OnnxOps}) take their inputs through it.
 */
final class ImportContext {
  /** Float initializers at least this large become variables (see {@link WeightVariables}). */
  private static final int VARIABLE_FLOATS = 1024;

  final Path file;
  final int opset;
  final Ops tf;
  final WeightVariables variables;
  final Map<String, Value> values = new HashMap<>();
  private final Map<String, OnnxMl.TensorProto> initializers = new HashMap<>();
  private int weightCount;

  ImportContext(Path file, OnnxMl.GraphProto g, int opset, Ops tf, WeightVariables variables) {
    this.file = file;
    this.opset = opset;
    this.tf = tf;
    this.variables = variables;
    for (OnnxMl.TensorProto t : g.getInitializerList()) {
      initializers.put(t.getName(), t);
    }
  }

  OnnxMl.TensorProto initializer(String name) {
    return initializers.get(name);
  }

  OnnxImportException unsupported(OnnxMl.NodeProto n, String what) {
    return new OnnxImportException(file + ": unsupported " + what + " in node '" + n.getName()
        + "' (op " + n.getOpType() + ", opset " + opset + ")");
  }

  OnnxImportException bad(OnnxMl.NodeProto n, String what) {
    return new OnnxImportException(file + ": node '" + n.getName() + "' (op " + n.getOpType()
        + ", opset " + opset + "): " + what);
  }

  /** Input {@code i} of the node, or null when it is absent or the empty name. */
  Value in(OnnxMl.NodeProto n, int i) {
    if (i >= n.getInputCount() || n.getInput(i).isEmpty()) {
      return null;
    }
    String name = n.getInput(i);
    Value v = values.get(name);
    if (v == null) {
      OnnxMl.TensorProto t = initializers.get(name);
      if (t == null) {
        throw bad(n, "input '" + name + "' is neither computed before this node nor an "
            + "initializer");
      }
      v = TensorData.decode(t, n, file, opset);
      values.put(name, v);
    }
    return v;
  }

  Value required(OnnxMl.NodeProto n, int i) {
    Value v = in(n, i);
    if (v == null) {
      throw bad(n, "input " + i + " is missing");
    }
    return v;
  }

  /** A float tensor input: constants become graph constants or variables. */
  Value tensorIn(OnnxMl.NodeProto n, int i) {
    Value v = required(n, i);
    if (v.op != null) {
      return v;
    }
    if (v.floats == null) {
      throw unsupported(n, "integer tensor as float data (input '" + n.getInput(i) + "')");
    }
    return Value.tensor(floatConst(v.floats, v.shape), false);
  }

  Value constIn(OnnxMl.NodeProto n, int i) {
    Value v = required(n, i);
    if (v.op != null) {
      throw unsupported(n, "computed value as input " + i + " (it must be a constant)");
    }
    return v;
  }

  long[] intsIn(OnnxMl.NodeProto n, int i) {
    Value v = required(n, i);
    if (v.ints == null) {
      throw unsupported(n, (v.op != null ? "a value computed from the image" : "a float value")
          + " as input " + i + " (it must be an integer constant or computed from shapes)");
    }
    return v.ints;
  }

  Operand<TFloat32> floatConst(float[] data, long[] shape) {
    if (data.length >= VARIABLE_FLOATS) {
      return variables.create(tf, "onnx_w" + weightCount++, shape, data);
    }
    return tf.constant(Shape.of(shape), DataBuffers.of(data, true, false));
  }

  Operand<TFloat32> nhwc(Value v) {
    if (v.nhwc) {
      return v.op;
    }
    if (v.op.shape().numDimensions() != 4) {
      throw new IllegalStateException("expected a 4-D tensor, got " + v.op.shape());
    }
    return tf.linalg.transpose(v.op, tf.constant(TO_NHWC));
  }

  Operand<TFloat32> plain(Value v) {
    return v.nhwc ? tf.linalg.transpose(v.op, tf.constant(TO_NCHW)) : v.op;
  }


  Value rank4Nhwc(OnnxMl.NodeProto n, Value v) {
    if (v.op.shape().numDimensions() != 4) {
      throw unsupported(n, "input of rank " + v.op.shape().numDimensions() + " (only 2-D "
          + "images, rank 4, are supported)");
    }
    return Value.tensor(nhwc(v), true);
  }

  /**
   * An integer list that opset {@code since} moved from attribute {@code attr} to input
   * {@code i} (Slice's starts, Squeeze's axes...); null when the node gives none.
   */
  long[] intsSince(int since, OnnxMl.NodeProto n, int i, String attr) {
    if (opset < since) {
      return attrInts(n, attr, null);
    }
    return in(n, i) == null ? null : intsIn(n, i);
  }

  long norm(OnnxMl.NodeProto n, long axis, int rank) {
    long a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw bad(n, "axis " + axis + " out of range for rank " + rank);
    }
    return a;
  }

  float scalar(OnnxMl.NodeProto n, Value v, String what) {
    if (v.op != null || v.floats == null || v.floats.length != 1) {
      throw unsupported(n, what + " that is not a constant float scalar");
    }
    return v.floats[0];
  }

  /** Index constants as int32: the registered gradients of Pad and Slice build int32 ops. */
  Operand<TInt32> int32(long[][] v) {
    int[][] out = new int[v.length][];
    for (int i = 0; i < v.length; i++) {
      out[i] = Arrays.stream(v[i]).mapToInt(Math::toIntExact).toArray();
    }
    return tf.constant(out);
  }

  Operand<TInt32> int32(long[] v) {
    return tf.constant(Arrays.stream(v).mapToInt(Math::toIntExact).toArray());
  }
}
