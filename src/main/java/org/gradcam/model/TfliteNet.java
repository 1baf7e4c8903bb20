package org.gradcam.model;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.gradcam.model.NetBuilder.Activation;
import org.gradcam.model.tflite.TfliteModel;
import org.gradcam.model.tflite.TfliteModel.Operator;
import org.gradcam.model.tflite.TfliteModel.Tensor;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Rebuilds the first subgraph of a quantised (or float) TFLite CNN as a float TensorFlow graph
 * with {@link NetBuilder}: constant weights and biases are dequantised
 * ({@code real = scale * (q - zero_point)}), activations stay float. The result therefore
 * approximates the integer model: it skips the rounding of every activation to 8 bits and the
 * clamping of activations to each tensor's quantised range, so logits differ by a few
 * quantisation steps while the ranking of classes is nearly always the same.
 *
 * <p>Handles CONV_2D, DEPTHWISE_CONV_2D, ADD, AVERAGE_POOL_2D, RESHAPE/SQUEEZE to
 * {@code [batch, features]} and a final SOFTMAX, which is left out so the graph ends at the
 * logits. Anything else fails with an {@link IOException} naming the operator.
 */
final class TfliteNet {
  /** Names the layer an operator becomes, from the operator and its output tensor. */
  @FunctionalInterface
  interface Namer {
    String name(Operator op, Tensor output);
  }

  /** The graph's input placeholder and its logits (the input of a final softmax). */
  record Built(Operand<TFloat32> input, Operand<TFloat32> logits) {}

  private TfliteNet() {}

  static Built build(NetBuilder net, TfliteModel m, Namer namer) throws IOException {
    int[] inputs = m.inputs();
    if (inputs.length != 1 || m.tensor(inputs[0]).shape().length != 4) {
      throw new IOException(m.source() + ": expected one NHWC image input, found "
          + Arrays.toString(inputs));
    }
    int[] s = m.tensor(inputs[0]).shape();
    Map<Integer, Operand<TFloat32>> values = new HashMap<>();
    Operand<TFloat32> input = net.input("input", s[1], s[2], s[3]);
    values.put(inputs[0], input);
    Operand<TFloat32> logits = null;
    int[] outputs = m.outputs();
    if (outputs.length != 1) {
      throw new IOException(m.source() + ": expected one output, found " + outputs.length);
    }
    for (Operator op : m.operators()) {
      Tensor out = m.tensor(op.outputs()[0]);
      String name = namer.name(op, out);
      Operand<TFloat32> y;
      switch (op.opcode()) {
        case TfliteModel.CONV_2D -> {
          TfliteModel.Conv2D o = (TfliteModel.Conv2D) op.options();
          checkDilation(m, op, o.dilationH(), o.dilationW());
          Tensor w = m.tensor(op.inputs()[1]);
          int[] ohwi = w.shape();
          float[] hwio = ohwiToHwio(m.dequantize(w.index()), ohwi);
          y = net.conv(name, value(m, values, op, 0), hwio,
              new long[] {ohwi[1], ohwi[2], ohwi[3], ohwi[0]}, bias(m, op, ohwi[0]), o.strideH(),
              o.strideW(), o.padding().name(), activation(m, op, o.activation()));
        }
        case TfliteModel.DEPTHWISE_CONV_2D -> {
          TfliteModel.DepthwiseConv2D o = (TfliteModel.DepthwiseConv2D) op.options();
          checkDilation(m, op, o.dilationH(), o.dilationW());
          Operand<TFloat32> x = value(m, values, op, 0);
          Tensor w = m.tensor(op.inputs()[1]);
          int[] k = w.shape(); // [1, kh, kw, in * multiplier], the same bytes as [kh, kw, in, mult]
          long in = x.shape().size(3);
          long mult = k[3] / in;
          y = net.depthwiseConv(name, x, m.dequantize(w.index()), new long[] {k[1], k[2], in, mult},
              bias(m, op, k[3]), o.strideH(), o.strideW(), o.padding().name(),
              activation(m, op, o.activation()));
        }
        case TfliteModel.ADD -> {
          TfliteModel.Add o = (TfliteModel.Add) op.options();
          y = net.add(name, value(m, values, op, 0), value(m, values, op, 1),
              activation(m, op, o.activation()));
        }
        case TfliteModel.AVERAGE_POOL_2D -> {
          TfliteModel.Pool2D o = (TfliteModel.Pool2D) op.options();
          if (o.activation() != TfliteModel.Activation.NONE) {
            throw unsupported(m, op, "fused activation " + o.activation());
          }
          y = net.averagePool(name, value(m, values, op, 0), o.filterH(), o.filterW(), o.strideH(),
              o.strideW(), o.padding().name());
        }
        case TfliteModel.RESHAPE, TfliteModel.SQUEEZE -> {
          if (out.shape().length != 2 || out.shape()[0] != 1) {
            throw unsupported(m, op, "only reshapes to [batch, features] are supported, not "
                + Arrays.toString(out.shape()));
          }
          y = net.flatten(name, value(m, values, op, 0));
        }
        case TfliteModel.SOFTMAX -> {
          if (out.index() != outputs[0]) {
            throw unsupported(m, op, "softmax before the output");
          }
          logits = value(m, values, op, 0);
          continue;
        }
        default -> throw unsupported(m, op, "operator not supported");
      }
      long[] expected = Arrays.stream(out.shape()).asLongStream().toArray();
      long[] actual = y.shape().asArray();
      expected[0] = actual[0];
      if (!Arrays.equals(expected, actual)) {
        throw new IOException(m.source() + ": operator " + op.index() + " (" + op.opName()
            + ") gives shape " + Arrays.toString(actual) + " but the file says "
            + Arrays.toString(out.shape()));
      }
      values.put(out.index(), y);
    }
    if (logits == null) {
      logits = values.get(outputs[0]);
    }
    if (logits == null || logits.shape().numDimensions() != 2) {
      throw new IOException(m.source() + ": the output is not a [batch, classes] tensor");
    }
    return new Built(input, logits);
  }

  private static Operand<TFloat32> value(TfliteModel m, Map<Integer, Operand<TFloat32>> values,
      Operator op, int i) throws IOException {
    Operand<TFloat32> v = values.get(op.inputs()[i]);
    if (v == null) {
      throw unsupported(m, op, "input " + i + " (tensor " + op.inputs()[i]
          + ") is not computed by an earlier operator");
    }
    return v;
  }

  /**
   * The bias of a conv as floats. TFLite stores int32 biases with
   * {@code scale = input_scale * weight_scale} and zero point 0; when a file omits the bias
   * scale it is computed so.
   */
  static float[] bias(TfliteModel m, Operator op, int channels) throws IOException {
    if (op.inputs().length < 3 || op.inputs()[2] < 0) {
      return new float[channels];
    }
    Tensor b = m.tensor(op.inputs()[2]);
    if (b.elementCount() != channels) {
      throw unsupported(m, op, "bias has " + b.elementCount() + " values for " + channels
          + " channels");
    }
    if (b.quantization() == null && b.type() != TfliteModel.TensorType.FLOAT32) {
      TfliteModel.Quantization in = m.tensor(op.inputs()[0]).quantization();
      TfliteModel.Quantization w = m.tensor(op.inputs()[1]).quantization();
      float[] scale = new float[w.scale().length];
      for (int c = 0; c < scale.length; c++) {
        scale[c] = in.scale()[0] * w.scale()[c];
      }
      return TfliteModel.dequantize(m.data(b.index()), b.type(), b.shape(),
          new TfliteModel.Quantization(scale, new long[] {0}, 0));
    }
    return m.dequantize(b.index());
  }

  /** TFLite conv filters are {@code [out, kh, kw, in]}; TF wants {@code [kh, kw, in, out]}. */
  static float[] ohwiToHwio(float[] w, int[] s) {
    int o = s[0];
    int h = s[1];
    int wd = s[2];
    int i = s[3];
    float[] out = new float[w.length];
    for (int a = 0; a < o; a++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < wd; x++) {
          for (int b = 0; b < i; b++) {
            out[((y * wd + x) * i + b) * o + a] = w[((a * h + y) * wd + x) * i + b];
          }
        }
      }
    }
    return out;
  }

  private static Activation activation(TfliteModel m, Operator op, TfliteModel.Activation a)
      throws IOException {
    return switch (a) {
      case NONE -> Activation.NONE;
      case RELU -> Activation.RELU;
      case RELU6 -> Activation.RELU6;
      default -> throw unsupported(m, op, "fused activation " + a);
    };
  }

  private static void checkDilation(TfliteModel m, Operator op, int h, int w) throws IOException {
    if (h != 1 || w != 1) {
      throw unsupported(m, op, "dilation " + h + "x" + w);
    }
  }

  private static IOException unsupported(TfliteModel m, Operator op, String why) {
    return new IOException(m.source() + ": cannot rebuild operator " + op.index() + " ("
        + op.opName() + "): " + why);
  }
}
