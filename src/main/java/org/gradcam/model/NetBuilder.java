package org.gradcam.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Builds a feed-forward CNN into a TensorFlow graph, channels-last (NHWC) throughout because
 * the CPU kernels of Conv2D and MaxPool only support NHWC. Weights become variables of the
 * model's session, filled once as each layer is built ({@link WeightVariables}: graph constants
 * made the first run optimise every weight byte, minutes for VGG16) and only read afterwards, so
 * the graph and its loaded variables are the only state shared between images.
 *
 * <p>Every layer, an importer's too ({@link #layer}), is recorded once, as one {@link LayerOp}: the
 * summary and the Grad-CAM targets derive from that one list. Explicit backward passes (Guided
 * Backprop) derive from the graph itself, so no builder method can leave a layer out of them.
 *
 * <p>A builder whose {@link #build} is not reached must be {@link #close}d (before its graph) to
 * free the session holding the weights loaded so far.
 */
public final class NetBuilder implements AutoCloseable {
  private final Graph graph;
  private final Ops tf;
  /** The one recording: every layer once, in build order. */
  private final List<LayerOp> recorded = new ArrayList<>();
  private final Set<String> names = new HashSet<>();
  private final WeightVariables variables;

  public NetBuilder(Graph graph) {
    this(graph, new WeightVariables(graph));
  }

  /** Assigning small weights in batches of {@code batchFloats} values (tests). */
  NetBuilder(Graph graph, int batchFloats) {
    this(graph, new WeightVariables(graph, batchFloats));
  }

  private NetBuilder(Graph graph, WeightVariables variables) {
    this.graph = graph;
    this.tf = Ops.create(graph);
    this.variables = variables;
  }

  public Ops ops() {
    return tf;
  }

  /** A float input placeholder with a free batch axis. */
  public Operand<TFloat32> input(String name, long... shapeWithoutBatch) {
    long[] dims = new long[shapeWithoutBatch.length + 1];
    dims[0] = -1;
    System.arraycopy(shapeWithoutBatch, 0, dims, 1, shapeWithoutBatch.length);
    return record(LayerOp.input(name, tf.withName(name)
        .placeholder(TFloat32.class, Placeholder.shape(Shape.of(dims)))));
  }

  /**
   * 2-D convolution + bias + optional ReLU, as a Keras Conv2D layer with its activation.
   *
   * @param kernel HWIO layout {@code [kh, kw, in, out]}, flattened in C order
   */
  public Operand<TFloat32> conv(String name, Operand<TFloat32> x, float[] kernel, long[] kernelShape,
      float[] bias, int stride, String padding, boolean relu) {
    Conv c = convolve(name, x, kernel, kernelShape, bias, stride, stride, padding,
        relu ? Activation.RELU : Activation.NONE);
    return record(LayerOp.conv(name, x, c.out(), c.kernel(), stride, padding, relu, c.params()));
  }

  /** The activation fused into a layer, as TFLite's {@code fused_activation_function}. */
  public enum Activation { NONE, RELU, RELU6 }

  /**
   * 2-D convolution + bias + activation with separate strides, as a Keras Conv2D layer with its
   * activation (ReLU6 for MobileNet V2).
   *
   * @param kernel HWIO layout {@code [kh, kw, in, out]}, flattened in C order
   */
  public Operand<TFloat32> conv(String name, Operand<TFloat32> x, float[] kernel,
      long[] kernelShape, float[] bias, int strideH, int strideW, String padding,
      Activation activation) {
    Conv c = convolve(name, x, kernel, kernelShape, bias, strideH, strideW, padding, activation);
    return record(LayerOp.of(name, LayerOp.Kind.FUSED_CONV, List.of(x), c.out(), c.params()));
  }

  private record Conv(Operand<TFloat32> out, Operand<TFloat32> kernel, long params) {}

  private Conv convolve(String name, Operand<TFloat32> x, float[] kernel, long[] kernelShape,
      float[] bias, int strideH, int strideW, String padding, Activation activation) {
    checkSize(name + " kernel", kernel, kernelShape);
    checkSize(name + " bias", bias, new long[] {kernelShape[3]});
    checkChannels(name, x, kernelShape[2]);
    Ops scope = tf.withSubScope(name);
    Operand<TFloat32> w = variables.create(scope, "kernel", kernelShape, kernel);
    Operand<TFloat32> b = variables.create(scope, "bias", new long[] {bias.length}, bias);
    Operand<TFloat32> y = scope.nn.biasAdd(scope.nn.conv2d(x, w,
        List.of(1L, (long) strideH, (long) strideW, 1L), padding), b);
    return new Conv(activate(name, y, activation), w, kernel.length + bias.length);
  }

  /**
   * Depthwise 2-D convolution + bias + activation, as Keras DepthwiseConv2D (one filter per
   * input channel and multiplier; output channel {@code c * multiplier + m}).
   *
   * @param kernel {@code [kh, kw, in, multiplier]}, flattened in C order
   */
  public Operand<TFloat32> depthwiseConv(String name, Operand<TFloat32> x, float[] kernel,
      long[] kernelShape, float[] bias, int strideH, int strideW, String padding,
      Activation activation) {
    checkSize(name + " kernel", kernel, kernelShape);
    checkSize(name + " bias", bias, new long[] {kernelShape[2] * kernelShape[3]});
    checkChannels(name, x, kernelShape[2]);
    Ops scope = tf.withSubScope(name);
    Operand<TFloat32> w = variables.create(scope, "kernel", kernelShape, kernel);
    Operand<TFloat32> b = variables.create(scope, "bias", new long[] {bias.length}, bias);
    Operand<TFloat32> y = scope.nn.biasAdd(scope.nn.depthwiseConv2dNative(x, w,
        List.of(1L, (long) strideH, (long) strideW, 1L), padding), b);
    return record(LayerOp.of(name, LayerOp.Kind.DEPTHWISE_CONV, List.of(x),
        activate(name, y, activation), kernel.length + bias.length));
  }

  /** Element-wise sum of two same-shaped layers (a residual connection), then activation. */
  public Operand<TFloat32> add(String name, Operand<TFloat32> a, Operand<TFloat32> b,
      Activation activation) {
    if (!Arrays.equals(a.shape().asArray(), b.shape().asArray())) {
      throw new IllegalArgumentException(name + ": cannot add shapes " + a.shape() + " and "
          + b.shape());
    }
    Operand<TFloat32> out = activate(name, tf.withSubScope(name).math.add(a, b), activation);
    return record(LayerOp.of(name, LayerOp.Kind.ADD, List.of(a, b), out, 0));
  }

  /** Average pooling over {@code fh x fw} windows (TF/TFLite semantics, padding not counted). */
  public Operand<TFloat32> averagePool(String name, Operand<TFloat32> x, int fh, int fw,
      int strideH, int strideW, String padding) {
    Operand<TFloat32> out = tf.withName(name).nn.avgPool(x, List.of(1L, (long) fh, (long) fw, 1L),
        List.of(1L, (long) strideH, (long) strideW, 1L), padding);
    return record(LayerOp.of(name, LayerOp.Kind.AVERAGE_POOL, List.of(x), out, 0));
  }

  /**
   * Columns {@code begin .. begin+count-1} of a {@code [N, K]} layer, e.g. to drop a leading
   * "background" logit so the classes line up with another label set.
   */
  public Operand<TFloat32> sliceColumns(String name, Operand<TFloat32> x, int begin, int count) {
    if (x.shape().numDimensions() != 2 || begin < 0 || begin + count > x.shape().size(1)) {
      throw new IllegalArgumentException(name + ": cannot take columns " + begin + ".."
          + (begin + count - 1) + " of " + x.shape());
    }
    Ops scope = tf.withSubScope(name);
    Operand<TFloat32> out = tf.withName(name).slice(x, scope.constant(new int[] {0, begin}),
        scope.constant(new int[] {-1, count}));
    return record(LayerOp.of(name, LayerOp.Kind.SLICE, List.of(x), out, 0));
  }

  private Operand<TFloat32> activate(String name, Operand<TFloat32> y, Activation activation) {
    Ops named = tf.withName(name);
    return switch (activation) {
      case NONE -> named.identity(y);
      case RELU -> named.nn.relu(y);
      case RELU6 -> named.nn.relu6(y);
    };
  }

  private static void checkChannels(String name, Operand<TFloat32> x, long expected) {
    long inChannels = x.shape().size(3);
    if (inChannels != expected) {
      throw new IllegalArgumentException(name + ": kernel expects " + expected
          + " input channels, layer input has " + inChannels);
    }
  }

  /** Max pooling; {@code ceilMode} pads bottom/right with -inf as PyTorch's ceil_mode does. */
  public Operand<TFloat32> maxPool(String name, Operand<TFloat32> x, int size, int stride,
      boolean ceilMode) {
    Ops scope = tf.withSubScope(name);
    Operand<TFloat32> in = x;
    if (ceilMode) {
      long padH = ceilPadding(x.shape().size(1), size, stride);
      long padW = ceilPadding(x.shape().size(2), size, stride);
      if (padH > 0 || padW > 0) {
        in = scope.pad(x, scope.constant(new int[][] {{0, 0}, {0, (int) padH}, {0, (int) padW}, {0, 0}}),
            scope.constant(Float.NEGATIVE_INFINITY));
      }
    }
    Operand<TFloat32> out = MaxPool.of(tf.withName(name), in, size, size, stride, stride, "VALID");
    return record(LayerOp.maxPool(name, x, out, in, size, stride));
  }

  /** Channel concatenation, used by SqueezeNet's Fire modules. */
  public Operand<TFloat32> concatChannels(String name, List<Operand<TFloat32>> parts) {
    Operand<TFloat32> out = tf.withName(name).concat(parts, tf.constant(3));
    return record(LayerOp.of(name, LayerOp.Kind.CONCAT, parts, out, 0));
  }

  /** Mean over the spatial axes: {@code [N,H,W,C] -> [N,C]}. */
  public Operand<TFloat32> globalAveragePool(String name, Operand<TFloat32> x) {
    Operand<TFloat32> out = tf.withName(name).math.mean(x, tf.constant(new int[] {1, 2}));
    return record(LayerOp.of(name, LayerOp.Kind.GLOBAL_AVERAGE_POOL, List.of(x), out, 0));
  }

  /** Flattens {@code [N,H,W,C]} in channels-last order, as Keras' Flatten does. */
  public Operand<TFloat32> flatten(String name, Operand<TFloat32> x) {
    long features = 1;
    for (int i = 1; i < x.shape().numDimensions(); i++) {
      features *= x.shape().size(i);
    }
    Operand<TFloat32> out = tf.withName(name).reshape(x, tf.constant(new long[] {-1, features}));
    return record(LayerOp.of(name, LayerOp.Kind.FLATTEN, List.of(x), out, 0));
  }

  /** A dense layer; with {@code relu == false} the output is the pre-activation (logits). */
  public Operand<TFloat32> dense(String name, Operand<TFloat32> x, float[] kernel, long[] kernelShape,
      float[] bias, boolean relu) {
    checkSize(name + " kernel", kernel, kernelShape);
    checkSize(name + " bias", bias, new long[] {kernelShape[1]});
    Ops scope = tf.withSubScope(name);
    Operand<TFloat32> w = variables.create(scope, "kernel", kernelShape, kernel);
    Operand<TFloat32> b = variables.create(scope, "bias", new long[] {bias.length}, bias);
    Operand<TFloat32> y = scope.math.add(scope.linalg.matMul(x, w), b);
    Operand<TFloat32> out = relu ? tf.withName(name).nn.relu(y) : tf.withName(name).identity(y);
    return record(LayerOp.dense(name, x, out, w, relu, kernel.length + bias.length));
  }

  /**
   * A weight of a layer an importer builds with {@link #ops()} (e.g. the Keras loader): a
   * variable of the model's session like NetBuilder's own, named {@code layer/name}.
   */
  public Operand<TFloat32> weight(String layer, String name, long[] shape, float[] values) {
    checkSize(layer + " " + name, values, shape);
    return variables.create(tf.withSubScope(layer), name, shape, values);
  }

  /** Records a layer an importer built with {@link #ops()}: in the summary, a Grad-CAM target. */
  public Operand<TFloat32> layer(String name, String type, Operand<TFloat32> out, long params) {
    return record(LayerOp.imported(name, type, out, params));
  }

  /** The finished model: {@code input} and {@code logits} of shape {@code [N, classes]}. */
  public Model build(String modelName, ModelSpec spec, Operand<TFloat32> input,
      Operand<TFloat32> logits) {
    Map<String, Operand<TFloat32>> layers = new LinkedHashMap<>();
    recorded.forEach(op -> layers.put(op.name(), op.output()));
    Session session = variables.session();
    return new Model(modelName, spec, graph, session != null ? session : new Session(graph), input,
        logits, layers, recorded.stream().map(LayerOp::info).toList(), recorded);
  }

  /**
   * The session holding the weights built so far, handed to the caller (who closes it), for a
   * graph that is not a model ({@link ConvolutionsAlone}).
   */
  Session weightsSession() {
    return variables.session();
  }

  /** Frees the session of the weights loaded so far, unless {@link #build} handed it over. */
  @Override
  public void close() {
    variables.close();
  }

  /** What was built for each layer so far, in build order. */
  public List<LayerOp> layerOps() {
    return List.copyOf(recorded);
  }

  private Operand<TFloat32> record(LayerOp op) {
    if (!names.add(op.name())) {
      throw new IllegalStateException("duplicate layer name " + op.name());
    }
    recorded.add(op);
    return op.output();
  }

  private static long ceilPadding(long size, int window, int stride) {
    long out = (long) Math.ceil((size - window) / (double) stride) + 1;
    // PyTorch drops a last window that would start inside the right padding only.
    if ((out - 1) * stride >= size) {
      out--;
    }
    return Math.max(0, (out - 1) * stride + window - size);
  }

  private static void checkSize(String what, float[] values, long[] shape) {
    long expected = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    if (values.length != expected) {
      throw new IllegalArgumentException(what + ": expected " + expected + " values for shape "
          + Arrays.toString(shape) + ", got " + values.length);
    }
  }
}
