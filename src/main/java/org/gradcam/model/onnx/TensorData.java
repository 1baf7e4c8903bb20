package org.gradcam.model.onnx;

import ai.onnx.proto.OnnxMl;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** The data of an ONNX tensor (an initializer or a Constant's value) as a constant value. */
final class TensorData {
  private TensorData() {}

  /** {@code n}: the node that uses the tensor, or null for the graph (in error messages). */
  static Value decode(OnnxMl.TensorProto t, OnnxMl.NodeProto n, Path file, int opset) {
    long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
      throw new OnnxImportException(file + ": tensor '" + t.getName() + "' is stored in an "
          + "external data file, which is not supported; save the model as one file");
    }
    int count = (int) count(shape);
    ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    boolean hasRaw = !t.getRawData().isEmpty();
    switch (t.getDataType()) {
      case OnnxMl.TensorProto.DataType.FLOAT_VALUE -> {
        float[] f = new float[count];
        if (hasRaw) {
          checkBytes(file, t, raw.remaining(), 4L * count);
          raw.asFloatBuffer().get(f);
        } else {
          checkBytes(file, t, 4L * t.getFloatDataCount(), 4L * count);
          for (int i = 0; i < count; i++) {
            f[i] = t.getFloatData(i);
          }
        }
        return Value.floats(f, shape);
      }
      case OnnxMl.TensorProto.DataType.INT64_VALUE -> {
        long[] l = new long[count];
        if (hasRaw) {
          checkBytes(file, t, raw.remaining(), 8L * count);
          raw.asLongBuffer().get(l);
        } else {
          checkBytes(file, t, 8L * t.getInt64DataCount(), 8L * count);
          for (int i = 0; i < count; i++) {
            l[i] = t.getInt64Data(i);
          }
        }
        return Value.ints(l, shape);
      }
      case OnnxMl.TensorProto.DataType.INT32_VALUE -> {
        long[] l = new long[count];
        if (hasRaw) {
          checkBytes(file, t, raw.remaining(), 4L * count);
          for (int i = 0; i < count; i++) {
            l[i] = raw.getInt(4 * i);
          }
        } else {
          checkBytes(file, t, 4L * t.getInt32DataCount(), 4L * count);
          for (int i = 0; i < count; i++) {
            l[i] = t.getInt32Data(i);
          }
        }
        return Value.ints(l, shape);
      }
      default -> throw new OnnxImportException(file + ": tensor '" + t.getName() + "' (used by "
          + (n == null ? "the graph" : "node '" + n.getName() + "', op " + n.getOpType())
          + ", opset " + opset + ") has unsupported type " + typeName(t.getDataType()));
    }
  }

  private static void checkBytes(Path file, OnnxMl.TensorProto t, long have, long need) {
    if (have != need) {
      throw new OnnxImportException(file + ": tensor '" + t.getName() + "' holds " + have
          + " bytes of data for shape " + t.getDimsList() + ", which needs " + need
          + " (a corrupt or truncated model?)");
    }
  }

  static long count(long[] shape) {
    long c = 1;
    for (long d : shape) {
      c *= d;
    }
    return c;
  }

  static String typeName(int type) {
    OnnxMl.TensorProto.DataType t = OnnxMl.TensorProto.DataType.forNumber(type);
    return t == null ? "type " + type : t.name().toLowerCase(java.util.Locale.ROOT);
  }
}
