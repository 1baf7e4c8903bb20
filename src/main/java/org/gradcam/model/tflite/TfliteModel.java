package org.gradcam.model.tflite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The first subgraph of a TFLite model file, read eagerly into immutable records: tensors with
 * their quantisation, operators in execution order with their builtin options, and the constant
 * buffers. A truncated or corrupt file fails in {@link #read} with an {@link IOException}, never
 * later. {@link #dequantize(int)} turns a constant tensor into floats,
 * {@code real = scale * (q - zero_point)}, per tensor or per channel.
 */
public final class TfliteModel {
  /** BuiltinOperator codes this toolkit handles (schema.fbs {@code enum BuiltinOperator}). */
  public static final int ADD = 0;
  public static final int AVERAGE_POOL_2D = 1;
  public static final int CONCATENATION = 2;
  public static final int CONV_2D = 3;
  public static final int DEPTHWISE_CONV_2D = 4;
  public static final int FULLY_CONNECTED = 9;
  public static final int MAX_POOL_2D = 17;
  public static final int RESHAPE = 22;
  public static final int SOFTMAX = 25;
  public static final int SQUEEZE = 43;

  private static final Map<Integer, String> OP_NAMES = Map.of(ADD, "ADD", AVERAGE_POOL_2D,
      "AVERAGE_POOL_2D", CONCATENATION, "CONCATENATION", CONV_2D, "CONV_2D", DEPTHWISE_CONV_2D,
      "DEPTHWISE_CONV_2D", FULLY_CONNECTED, "FULLY_CONNECTED", MAX_POOL_2D, "MAX_POOL_2D",
      RESHAPE, "RESHAPE", SOFTMAX, "SOFTMAX", SQUEEZE, "SQUEEZE");

  /** schema.fbs {@code enum TensorType}, in code order. */
  public enum TensorType {
    FLOAT32(4), FLOAT16(2), INT32(4), UINT8(1), INT64(8), STRING(0), BOOL(1), INT16(2),
    COMPLEX64(8), INT8(1), OTHER(0);

    /** Bytes per element, 0 when variable or unknown. */
    public final int bytes;

    TensorType(int bytes) {
      this.bytes = bytes;
    }

    static TensorType of(int code) {
      return code >= 0 && code < OTHER.ordinal() ? values()[code] : OTHER;
    }
  }

  /** schema.fbs {@code enum Padding}. */
  public enum Padding { SAME, VALID }

  /** schema.fbs {@code enum ActivationFunctionType}, in code order. */
  public enum Activation {
    NONE, RELU, RELU_N1_TO_1, RELU6, TANH, SIGN_BIT;

    static Activation of(int code) throws IOException {
      if (code < 0 || code >= values().length) {
        throw new IOException("unknown fused activation code " + code);
      }
      return values()[code];
    }
  }

  /**
   * Asymmetric linear quantisation, {@code real = scale * (q - zeroPoint)}: one entry per tensor,
   * or one per index along {@code quantizedDimension} (per-channel).
   */
  public record Quantization(float[] scale, long[] zeroPoint, int quantizedDimension) {
    public boolean isPerChannel() {
      return scale.length > 1;
    }
  }

  /** One tensor; {@code quantization} is null for float tensors without quantisation. */
  public record Tensor(int index, String name, int[] shape, TensorType type, int buffer,
      Quantization quantization) {
    public long elementCount() {
      long n = 1;
      for (int d : shape) {
        n *= d;
      }
      return n;
    }

    @Override
    public String toString() {
      return index + " " + name + " " + type + " " + Arrays.toString(shape);
    }
  }

  /** The builtin options of an operator that this toolkit reads. */
  public sealed interface Options {}

  /** {@code Conv2DOptions}. */
  public record Conv2D(Padding padding, int strideW, int strideH, Activation activation,
      int dilationW, int dilationH) implements Options {}

  /** {@code DepthwiseConv2DOptions}. */
  public record DepthwiseConv2D(Padding padding, int strideW, int strideH, int depthMultiplier,
      Activation activation, int dilationW, int dilationH) implements Options {}

  /** {@code Pool2DOptions} (average and max pooling). */
  public record Pool2D(Padding padding, int strideW, int strideH, int filterW, int filterH,
      Activation activation) implements Options {}

  /** {@code AddOptions}. */
  public record Add(Activation activation) implements Options {}

  /** {@code ReshapeOptions}; {@code newShape} may be empty (the shape is then an input). */
  public record Reshape(int[] newShape) implements Options {}

  /** {@code SoftmaxOptions}. */
  public record Softmax(float beta) implements Options {}

  /** Options of an operator this reader does not interpret, or none. */
  public record Other(int unionType) implements Options {}

  /** One operator; input index -1 marks an omitted optional input. */
  public record Operator(int index, int opcode, String opName, int[] inputs, int[] outputs,
      Options options) {}

  private final String source;
  private final int version;
  private final String description;
  private final List<Tensor> tensors;
  private final List<Operator> operators;
  private final int[] inputs;
  private final int[] outputs;
  private final List<byte[]> buffers;

  TfliteModel(String source, int version, String description, List<Tensor> tensors,
      List<Operator> operators, int[] inputs, int[] outputs, List<byte[]> buffers) {
    this.source = source;
    this.version = version;
    this.description = description;
    this.tensors = List.copyOf(tensors);
    this.operators = List.copyOf(operators);
    this.inputs = inputs;
    this.outputs = outputs;
    this.buffers = buffers;
  }

  /** Reads a {@code .tflite} file. */
  public static TfliteModel read(Path file) throws IOException {
    return parse(Files.readAllBytes(file), file.toString());
  }

  /** Parses the bytes of a {@code .tflite} file; {@code source} names it in error messages. */
  public static TfliteModel parse(byte[] bytes, String source) throws IOException {
    return TfliteReader.parse(bytes, source);
  }

  /** The name of a builtin operator code, {@code BUILTIN_N} for one this toolkit does not name. */
  static String opName(int code) {
    return OP_NAMES.getOrDefault(code, "BUILTIN_" + code);
  }

  public String source() {
    return source;
  }

  /** The schema version the file was written with (3 for current files). */
  public int version() {
    return version;
  }

  public String description() {
    return description;
  }

  public List<Tensor> tensors() {
    return tensors;
  }

  public Tensor tensor(int index) {
    return tensors.get(index);
  }

  /** Operators in execution order (TFLite stores them topologically sorted). */
  public List<Operator> operators() {
    return operators;
  }

  /** Indices of the subgraph's input tensors. */
  public int[] inputs() {
    return inputs.clone();
  }

  /** Indices of the subgraph's output tensors. */
  public int[] outputs() {
    return outputs.clone();
  }

  /** Whether the tensor is a constant, i.e. has data in its buffer. */
  public boolean isConstant(int tensorIndex) {
    return buffers.get(tensors.get(tensorIndex).buffer()).length > 0;
  }

  /** A copy of the raw little-endian data of a constant tensor. */
  public byte[] data(int tensorIndex) {
    return buffers.get(tensors.get(tensorIndex).buffer()).clone();
  }

  /** A constant tensor as floats: float32 as stored, integer types dequantised. */
  public float[] dequantize(int tensorIndex) {
    Tensor t = tensors.get(tensorIndex);
    byte[] data = buffers.get(t.buffer());
    if (data.length == 0) {
      throw new IllegalArgumentException("tensor " + t + " is not a constant");
    }
    Quantization q = t.quantization();
    if (t.type() == TensorType.FLOAT32) {
      return dequantize(data, t.type(), t.shape(), null);
    }
    if (q == null) {
      throw new IllegalArgumentException("tensor " + t + " has no quantisation parameters");
    }
    return dequantize(data, t.type(), t.shape(), q);
  }

  /**
   * Dequantises raw little-endian data of a tensor of the given shape:
   * {@code real = scale[c] * (q - zero_point[c])} where {@code c} is the index along the
   * quantised dimension (per-channel) or 0 (per-tensor). Float32 data is returned as stored.
   */
  public static float[] dequantize(byte[] data, TensorType type, int[] shape, Quantization q) {
    long count = 1;
    for (int d : shape) {
      count *= d;
    }
    if (type.bytes == 0 || data.length != count * type.bytes) {
      throw new IllegalArgumentException(data.length + " bytes do not hold " + count + " "
          + type + " values");
    }
    ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[(int) count];
    if (type == TensorType.FLOAT32) {
      bb.asFloatBuffer().get(out);
      return out;
    }
    int channels = 1;
    int inner = 1;
    if (q.isPerChannel()) {
      int dim = q.quantizedDimension();
      channels = shape[dim];
      for (int d = dim + 1; d < shape.length; d++) {
        inner *= shape[d];
      }
      if (q.scale().length != channels) {
        throw new IllegalArgumentException(q.scale().length + " scales for " + channels
            + " channels along dimension " + dim);
      }
    }
    for (int i = 0; i < out.length; i++) {
      int c = channels == 1 ? 0 : (i / inner) % channels;
      long zp = q.zeroPoint().length == 0 ? 0 : q.zeroPoint()[Math.min(c, q.zeroPoint().length - 1)];
      long v = switch (type) {
        case UINT8 -> bb.get(i) & 0xFF;
        case INT8 -> bb.get(i);
        case INT16 -> bb.getShort(2 * i);
        case INT32 -> bb.getInt(4 * i);
        case INT64 -> bb.getLong(8 * i);
        default -> throw new IllegalArgumentException("cannot dequantise " + type);
      };
      out[i] = (float) ((double) q.scale()[c] * (v - zp));
    }
    return out;
  }
}
