package org.gradcam.model.tflite;

import static org.gradcam.model.tflite.TfliteModel.ADD;
import static org.gradcam.model.tflite.TfliteModel.AVERAGE_POOL_2D;
import static org.gradcam.model.tflite.TfliteModel.CONV_2D;
import static org.gradcam.model.tflite.TfliteModel.DEPTHWISE_CONV_2D;
import static org.gradcam.model.tflite.TfliteModel.MAX_POOL_2D;
import static org.gradcam.model.tflite.TfliteModel.RESHAPE;
import static org.gradcam.model.tflite.TfliteModel.SOFTMAX;

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
import org.gradcam.model.tflite.TfliteModel.Operator;
import org.gradcam.model.tflite.TfliteModel.Options;
import org.gradcam.model.tflite.TfliteModel.Other;
import org.gradcam.model.tflite.TfliteModel.Padding;
import org.gradcam.model.tflite.TfliteModel.Pool2D;
import org.gradcam.model.tflite.TfliteModel.Quantization;
import org.gradcam.model.tflite.TfliteModel.Reshape;
import org.gradcam.model.tflite.TfliteModel.Softmax;
import org.gradcam.model.tflite.TfliteModel.Tensor;
import org.gradcam.model.tflite.TfliteModel.TensorType;

/**
 * Reads a TFLite file's FlatBuffer ({@link TfliteSchema}) eagerly into {@link TfliteModel}'s
 * records, checking every offset, buffer and tensor reference on the way, so that a truncated
 * or corrupt file fails here with an {@link IOException}, never later.
 */
final class TfliteReader {
  private TfliteReader() {}

  /** See {@link TfliteModel#parse(byte[], String)}. */
  static TfliteModel parse(byte[] bytes, String source) throws IOException {
    if (bytes.length < 8) {
      throw invalid(source, "only " + bytes.length + " bytes");
    }
    ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (!TfliteSchema.Model.hasIdentifier(bb)) {
      throw invalid(source, "no FlatBuffer file identifier \"" + TfliteSchema.FILE_IDENTIFIER
          + "\" at byte 4");
    }
    try {
      return parse(TfliteSchema.Model.root(bb), source, bytes.length);
    } catch (IndexOutOfBoundsException | BufferUnderflowException | IllegalArgumentException
        | NegativeArraySizeException | ArithmeticException e) {
      // FlatBuffers offsets pointing outside the file: truncated or overwritten bytes.
      throw invalid(source, "a FlatBuffer offset points outside the file (" + bytes.length
          + " bytes)" + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }
  }

  private static TfliteModel parse(TfliteSchema.Model m, String source, int fileSize)
      throws IOException {
    if (m.subgraphsLength() < 1) {
      throw invalid(source, "no subgraph");
    }
    int[] opcodes = new int[m.operatorCodesLength()];
    for (int i = 0; i < opcodes.length; i++) {
      opcodes[i] = m.operatorCode(i).builtinCode();
    }
    List<byte[]> buffers = new ArrayList<>();
    for (int i = 0; i < m.buffersLength(); i++) {
      TfliteSchema.Buffer b = m.buffer(i);
      if (b.data().length == 0 && b.size() > 0) {
        long off = b.offset();
        if (off < 0 || off + b.size() > fileSize) {
          throw invalid(source, "buffer " + i + " lies outside the file");
        }
        byte[] data = new byte[(int) b.size()];
        b.getByteBuffer().get((int) off, data);
        buffers.add(data);
      } else {
        buffers.add(b.data());
      }
    }
    TfliteSchema.SubGraph g = m.subgraph(0);
    List<Tensor> tensors = new ArrayList<>();
    for (int i = 0; i < g.tensorsLength(); i++) {
      TfliteSchema.Tensor t = g.tensor(i);
      TfliteSchema.QuantizationParameters q = t.quantization();
      Quantization quant = q == null || q.scale().length == 0 ? null
          : new Quantization(q.scale(), q.zeroPoint(), q.quantizedDimension());
      Tensor tensor = new Tensor(i, t.name(), t.shape(), TensorType.of(t.type()), t.buffer(),
          quant);
      if (tensor.buffer() < 0 || tensor.buffer() >= buffers.size()) {
        throw invalid(source, "tensor " + tensor + " refers to buffer " + tensor.buffer()
            + " of " + buffers.size());
      }
      int size = buffers.get(tensor.buffer()).length;
      if (size > 0 && tensor.type().bytes > 0
          && size != tensor.elementCount() * tensor.type().bytes) {
        throw invalid(source, "tensor " + tensor + " has " + size + " data bytes, expected "
            + tensor.elementCount() * tensor.type().bytes);
      }
      tensors.add(tensor);
    }
    List<Operator> ops = new ArrayList<>();
    for (int i = 0; i < g.operatorsLength(); i++) {
      TfliteSchema.Operator o = g.operator(i);
      if (o.opcodeIndex() < 0 || o.opcodeIndex() >= opcodes.length) {
        throw invalid(source, "operator " + i + " has opcode index " + o.opcodeIndex() + " of "
            + opcodes.length);
      }
      int code = opcodes[o.opcodeIndex()];
      Operator op = new Operator(i, code, TfliteModel.opName(code),
          o.inputs(), o.outputs(), options(code, o));
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
    return new TfliteModel(source, m.version(), m.description(), tensors, ops, g.inputs(),
        g.outputs(), buffers);
  }

  private static Options options(int code, TfliteSchema.Operator o) throws IOException {
    TfliteSchema.Options t = o.builtinOptions();
    if (t == null) {
      return new Other(0);
    }
    return switch (code) {
      case CONV_2D -> new Conv2D(padding(t.byteAt(0)), t.intAt(1, 0), t.intAt(2, 0),
          Activation.of(t.byteAt(3)), t.intAt(4, 1), t.intAt(5, 1));
      case DEPTHWISE_CONV_2D -> new DepthwiseConv2D(padding(t.byteAt(0)), t.intAt(1, 0),
          t.intAt(2, 0), t.intAt(3, 0), Activation.of(t.byteAt(4)), t.intAt(5, 1), t.intAt(6, 1));
      case AVERAGE_POOL_2D, MAX_POOL_2D -> new Pool2D(padding(t.byteAt(0)), t.intAt(1, 0),
          t.intAt(2, 0), t.intAt(3, 0), t.intAt(4, 0), Activation.of(t.byteAt(5)));
      case ADD -> new Add(Activation.of(t.byteAt(0)));
      case RESHAPE -> new Reshape(t.intsAt(0));
      case SOFTMAX -> new Softmax(t.floatAt(0, 0f));
      default -> new Other(o.builtinOptionsType());
    };
  }

  private static Padding padding(int code) throws IOException {
    if (code < 0 || code > 1) {
      throw new IOException("unknown padding code " + code);
    }
    return Padding.values()[code];
  }

  private static IOException invalid(String source, String why) {
    return invalid(source, why, null);
  }

  private static IOException invalid(String source, String why, Throwable cause) {
    return new IOException(source + " is not a valid TFLite model file (truncated or corrupt?): "
        + why, cause);
  }
}
