package org.gradcam.model.tflite;

import static org.gradcam.model.tflite.TfliteModel.ADD;
import static org.gradcam.model.tflite.TfliteModel.AVERAGE_POOL_2D;
import static org.gradcam.model.tflite.TfliteModel.CONV_2D;
import static org.gradcam.model.tflite.TfliteModel.DEPTHWISE_CONV_2D;
import static org.gradcam.model.tflite.TfliteModel.MAX_POOL_2D;
import static org.gradcam.model.tflite.TfliteModel.RESHAPE;
import static org.gradcam.model.tflite.TfliteModel.SOFTMAX;

import com.google.flatbuffers.Table;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.gradcam.model.tflite.TfliteModel.Activation;
import org.gradcam.model.tflite.TfliteModel.Add;
import org.gradcam.model.tflite.TfliteModel.Conv2D;
import org.gradcam.model.tflite.TfliteModel.DepthwiseConv2D;
import org.gradcam.model.tflite.TfliteModel.Options;
import org.gradcam.model.tflite.TfliteModel.Other;
import org.gradcam.model.tflite.TfliteModel.Padding;
import org.gradcam.model.tflite.TfliteModel.Pool2D;
import org.gradcam.model.tflite.TfliteModel.Quantization;
import org.gradcam.model.tflite.TfliteModel.Reshape;
import org.gradcam.model.tflite.TfliteModel.Softmax;
import org.gradcam.model.tflite.TfliteModel.TensorType;
import org.tensorflow.lite.schema.AddOptions;
import org.tensorflow.lite.schema.Buffer;
import org.tensorflow.lite.schema.Conv2DOptions;
import org.tensorflow.lite.schema.DepthwiseConv2DOptions;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.Operator;
import org.tensorflow.lite.schema.OperatorCode;
import org.tensorflow.lite.schema.Pool2DOptions;
import org.tensorflow.lite.schema.QuantizationParameters;
import org.tensorflow.lite.schema.ReshapeOptions;
import org.tensorflow.lite.schema.SoftmaxOptions;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.Tensor;

/**
 * Reads a TFLite file's FlatBuffer through the classes flatc generated from TensorFlow's
 * {@code schema.fbs} ({@code org.tensorflow.lite.schema}) eagerly into {@link TfliteModel}'s
 * records, checking every vector, buffer and tensor reference on the way, so that a truncated
 * or corrupt file fails here with an {@link IOException}, never later.
 */
final class TfliteReader {
  private static final String FILE_IDENTIFIER = "TFL3";

  private TfliteReader() {}

  /** See {@link TfliteModel#parse(byte[], String)}. */
  static TfliteModel parse(byte[] bytes, String source) throws IOException {
    if (bytes.length < 8) {
      throw invalid(source, "only " + bytes.length + " bytes");
    }
    ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (!Model.ModelBufferHasIdentifier(bb)) {
      throw invalid(source, "no FlatBuffer file identifier \"" + FILE_IDENTIFIER + "\" at byte 4");
    }
    try {
      // The generated classes come from flatc 23.5.26; only their Model.ValidateVersion() names
      // that release (Constants.FLATBUFFERS_23_5_26(), absent from our flatbuffers-java 25.2.10).
      // getRootAsModel does not call it and the JVM links a method reference only when it runs,
      // so the accessors work on the one flatbuffers runtime; ValidateVersion is never called.
      return parse(Model.getRootAsModel(bb), source, bytes.length);
    } catch (IndexOutOfBoundsException | BufferUnderflowException | IllegalArgumentException
        | NegativeArraySizeException | ArithmeticException e) {
      // FlatBuffers offsets pointing outside the file: truncated or overwritten bytes.
      throw invalid(source, "a FlatBuffer offset points outside the file (" + bytes.length
          + " bytes)" + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }
  }

  private static TfliteModel parse(Model m, String source, int fileSize) throws IOException {
    if (m.subgraphsLength() < 1) {
      throw invalid(source, "no subgraph");
    }
    // Lists, not arrays sized by a length read from the file: a corrupt length fails on the
    // first element past the end instead of allocating gigabytes.
    List<Integer> opcodes = new ArrayList<>();
    for (int i = 0; i < m.operatorCodesLength(); i++) {
      OperatorCode c = m.operatorCodes(i);
      // TFLite's own rule (schema_utils GetBuiltinCode): the larger of the int32 builtin_code
      // and the byte deprecated_builtin_code, the only one in files older than the int32 field.
      opcodes.add(Math.max(c.builtinCode(), c.deprecatedBuiltinCode()));
    }
    List<byte[]> buffers = new ArrayList<>();
    for (int i = 0; i < m.buffersLength(); i++) {
      Buffer b = m.buffers(i);
      byte[] data = bytes(b.dataAsByteBuffer(), b.dataLength());
      if (data.length == 0) {
        BufferExtent e = BufferExtent.of(m.getByteBuffer(), i);
        if (e.size() > 0) {
          if (e.offset() < 0 || e.offset() + e.size() > fileSize) {
            throw invalid(source, "buffer " + i + " lies outside the file");
          }
          data = new byte[(int) e.size()];
          m.getByteBuffer().get((int) e.offset(), data);
        }
      }
      buffers.add(data);
    }
    SubGraph g = m.subgraphs(0);
    List<TfliteModel.Tensor> tensors = new ArrayList<>();
    for (int i = 0; i < g.tensorsLength(); i++) {
      Tensor t = g.tensors(i);
      if (t.buffer() >= buffers.size()) { // an unsigned index: never negative
        throw invalid(source, "tensor " + i + " " + t.name() + " refers to buffer " + t.buffer()
            + " of " + buffers.size());
      }
      QuantizationParameters q = t.quantization();
      Quantization quant = q == null || q.scaleLength() == 0 ? null
          : new Quantization(floats(q.scaleAsByteBuffer(), q.scaleLength()),
              longs(q.zeroPointAsByteBuffer(), q.zeroPointLength()), q.quantizedDimension());
      TfliteModel.Tensor tensor = new TfliteModel.Tensor(i, t.name(),
          ints(t.shapeAsByteBuffer(), t.shapeLength()), TensorType.of(t.type()),
          (int) t.buffer(), quant);
      int size = buffers.get(tensor.buffer()).length;
      if (size > 0 && tensor.type().bytes > 0
          && size != tensor.elementCount() * tensor.type().bytes) {
        throw invalid(source, "tensor " + tensor + " has " + size + " data bytes, expected "
            + tensor.elementCount() * tensor.type().bytes);
      }
      tensors.add(tensor);
    }
    List<TfliteModel.Operator> ops = new ArrayList<>();
    for (int i = 0; i < g.operatorsLength(); i++) {
      Operator o = g.operators(i);
      if (o.opcodeIndex() >= opcodes.size()) { // unsigned
        throw invalid(source, "operator " + i + " has opcode index " + o.opcodeIndex() + " of "
            + opcodes.size());
      }
      int code = opcodes.get((int) o.opcodeIndex());
      TfliteModel.Operator op = new TfliteModel.Operator(i, code, TfliteModel.opName(code),
          ints(o.inputsAsByteBuffer(), o.inputsLength()),
          ints(o.outputsAsByteBuffer(), o.outputsLength()), options(code, o));
      for (int[] refs : new int[][] {op.inputs(), op.outputs()}) {
        for (int r : refs) {
          if (r < -1 || r >= tensors.size()) {
            throw invalid(source, "operator " + i + " (" + op.opName() + ") refers to tensor " + r
                + " of " + tensors.size());
          }
        }
      }
      ops.add(op);
    }
    return new TfliteModel(source, Math.toIntExact(m.version()), m.description(), tensors, ops,
        ints(g.inputsAsByteBuffer(), g.inputsLength()),
        ints(g.outputsAsByteBuffer(), g.outputsLength()), buffers);
  }

  private static Options options(int code, Operator o) throws IOException {
    if (o.builtinOptions(new Table()) == null) { // no options table at all
      return new Other(0);
    }
    return switch (code) {
      case CONV_2D -> {
        Conv2DOptions c = (Conv2DOptions) o.builtinOptions(new Conv2DOptions());
        yield new Conv2D(padding(c.padding()), c.strideW(), c.strideH(),
            Activation.of(c.fusedActivationFunction()), c.dilationWFactor(), c.dilationHFactor());
      }
      case DEPTHWISE_CONV_2D -> {
        DepthwiseConv2DOptions c =
            (DepthwiseConv2DOptions) o.builtinOptions(new DepthwiseConv2DOptions());
        yield new DepthwiseConv2D(padding(c.padding()), c.strideW(), c.strideH(),
            c.depthMultiplier(), Activation.of(c.fusedActivationFunction()), c.dilationWFactor(),
            c.dilationHFactor());
      }
      case AVERAGE_POOL_2D, MAX_POOL_2D -> {
        Pool2DOptions p = (Pool2DOptions) o.builtinOptions(new Pool2DOptions());
        yield new Pool2D(padding(p.padding()), p.strideW(), p.strideH(), p.filterWidth(),
            p.filterHeight(), Activation.of(p.fusedActivationFunction()));
      }
      case ADD -> new Add(Activation.of(
          ((AddOptions) o.builtinOptions(new AddOptions())).fusedActivationFunction()));
      case RESHAPE -> {
        ReshapeOptions r = (ReshapeOptions) o.builtinOptions(new ReshapeOptions());
        yield new Reshape(ints(r.newShapeAsByteBuffer(), r.newShapeLength()));
      }
      case SOFTMAX -> new Softmax(
          ((SoftmaxOptions) o.builtinOptions(new SoftmaxOptions())).beta());
      default -> new Other(o.builtinOptionsType() & 0xFF); // a ubyte
    };
  }

  private static Padding padding(int code) throws IOException {
    if (code < 0 || code > 1) {
      throw new IOException("unknown padding code " + code);
    }
    return Padding.values()[code];
  }

  /**
   * A vector as the generated {@code xAsByteBuffer()} gives it (null when absent), checked to
   * hold {@code length} elements of {@code size} bytes: ByteBuffer.limit already rejects a
   * vector that ends past the file; this rejects a length whose byte count overflowed an int.
   */
  private static ByteBuffer vector(ByteBuffer v, int length, int size) {
    if (v != null && (long) length * size != v.remaining()) {
      throw new IndexOutOfBoundsException("vector of " + length + " x " + size + " bytes at "
          + v.position() + " exceeds the file (" + v.capacity() + " bytes)");
    }
    return v;
  }

  private static int[] ints(ByteBuffer v, int length) {
    ByteBuffer s = vector(v, length, 4);
    int[] out = new int[s == null ? 0 : length];
    if (s != null) {
      s.asIntBuffer().get(out);
    }
    return out;
  }

  private static float[] floats(ByteBuffer v, int length) {
    ByteBuffer s = vector(v, length, 4);
    float[] out = new float[s == null ? 0 : length];
    if (s != null) {
      s.asFloatBuffer().get(out);
    }
    return out;
  }

  private static long[] longs(ByteBuffer v, int length) {
    ByteBuffer s = vector(v, length, 8);
    long[] out = new long[s == null ? 0 : length];
    if (s != null) {
      s.asLongBuffer().get(out);
    }
    return out;
  }

  private static byte[] bytes(ByteBuffer v, int length) {
    ByteBuffer s = vector(v, length, 1);
    byte[] out = new byte[s == null ? 0 : length];
    if (s != null) {
      s.get(out);
    }
    return out;
  }

  private static IOException invalid(String source, String why) {
    return invalid(source, why, null);
  }

  private static IOException invalid(String source, String why, Throwable cause) {
    return new IOException(source + " is not a valid TFLite model file (truncated or corrupt?): "
        + why, cause);
  }
}
