package org.gradcam.model;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A CNN classifier built as one TensorFlow graph, with its named layers and one session. The
 * graph and its constant weights are the only state shared between calls: each call feeds its
 * own tensors and closes them, so nothing of one image can leak into the next.
 */
public final class Model implements AutoCloseable {
  private final String name;
  private final ModelSpec spec;
  private final Graph graph;
  private final Operand<TFloat32> input;
  private final Operand<TFloat32> logits;
  private final Map<String, Operand<TFloat32>> layers;
  private final List<LayerInfo> summary;
  private final Session session;
  private final Map<String, GradientOps> gradientOps = new HashMap<>();
  private final Map<String, SeededGradientOps> seededGradientOps = new HashMap<>();
  private final List<LayerOp> layerOps;
  private final Map<String, SeededGradientOps> inputGradientOps = new HashMap<>();

  /** Graph nodes that give, for one layer, the gradient of each image's target logit. */
  private record GradientOps(Operand<TInt32> classes, Operand<TInt64> chosen,
      Output<?> gradient) {}

  /** Graph nodes that give, for one layer, the gradient of a fed linear combination of logits. */
  private record SeededGradientOps(Operand<TFloat32> seed, Output<?> gradient) {}

  Model(String name, ModelSpec spec, Graph graph, Operand<TFloat32> input, Operand<TFloat32> logits,
      Map<String, Operand<TFloat32>> layers, List<LayerInfo> summary) {
    this(name, spec, graph, input, logits, layers, summary, List.of());
  }

  Model(String name, ModelSpec spec, Graph graph, Operand<TFloat32> input, Operand<TFloat32> logits,
      Map<String, Operand<TFloat32>> layers, List<LayerInfo> summary, List<LayerOp> layerOps) {
    this.layerOps = List.copyOf(layerOps);
    this.name = name;
    this.spec = spec;
    this.graph = graph;
    this.input = input;
    this.logits = logits;
    this.layers = Map.copyOf(layers);
    this.summary = List.copyOf(summary);
    this.session = new Session(graph);
  }

  public String name() {
    return name;
  }

  public ModelSpec spec() {
    return spec;
  }

  public int numClasses() {
    return (int) logits.shape().size(1);
  }

  /** The Keras-style summary: every layer in order with output shape and parameter count. */
  public List<LayerInfo> summary() {
    return summary;
  }

  public long parameterCount() {
    return summary.stream().mapToLong(LayerInfo::params).sum();
  }

  /**
   * Layers whose output is a spatial map larger than 1x1, hence valid Grad-CAM targets: a 1x1
   * output (global pooling, MobileNet V2's {@code Logits}) would give a one-pixel "map" that
   * covers the whole image whatever the class.
   */
  public List<String> targetLayers() {
    return summary.stream().filter(Model::isTarget).map(LayerInfo::name)
        .filter(n -> !n.equals(input.op().name())).collect(Collectors.toList());
  }

  private static boolean isTarget(LayerInfo l) {
    return l.isSpatial() && l.outputShape()[0] * l.outputShape()[1] > 1;
  }

  /**
   * The layer to explain when none is named: the last layer whose output is a spatial map
   * larger than 1x1 and that is not a pooling layer, i.e. the last convolutional feature map
   * before the classifier's global pooling or flattening (Selvaraju et al. use the last conv).
   * VGG16: {@code block5_conv3}; SqueezeNet 1.1: {@code conv10}; MobileNet V2: {@code Conv_1}.
   */
  public String lastConvLayer() {
    String last = null;
    for (LayerInfo l : summary) {
      long[] s = l.outputShape();
      if (l.isSpatial() && s[0] * s[1] > 1 && !l.type().contains("Pool")
          && !l.name().equals(input.op().name())) {
        last = l.name();
      }
    }
    if (last == null) {
      throw new IllegalStateException("model " + name + " has no spatial layer larger than 1x1");
    }
    return last;
  }

  public LayerInfo layer(String layerName) {
    if (!targetLayers().contains(layerName)) {
      LayerInfo known = summary.stream().filter(l -> l.name().equals(layerName)).findFirst()
          .orElse(null);
      String why = known == null ? "unknown layer '" + layerName + "' for model " + name
          : "layer '" + layerName + "' of model " + name + " has output shape "
              + java.util.Arrays.toString(known.outputShape())
              + ", not a spatial map larger than 1x1, so it cannot be a Grad-CAM target";
      throw new IllegalArgumentException(why + "; valid target layers: "
          + String.join(", ", targetLayers()));
    }
    return summary.stream().filter(l -> l.name().equals(layerName)).findFirst().orElseThrow();
  }

  /** Logits {@code [n, classes]} for a batch laid out as {@link ModelSpec#inputShape()}. */
  public float[] logits(float[] batch, int n) {
    try (TFloat32 x = inputTensor(batch, n);
        Result r = session.runner().feed(input, x).fetch(logits).run()) {
      return toArray((TFloat32) r.get(0));
    }
  }

  /**
   * Logits computed from given activations of a layer instead of from an image: the graph is
   * fed at that layer, so everything upstream is skipped. Used to check gradients by finite
   * differences and by methods that perturb activations.
   */
  public float[] logitsFromLayer(String layerName, float[] activations, int n) {
    long[] s = layer(layerName).outputShape();
    try (TFloat32 a = TFloat32.tensorOf(Shape.of(n, s[0], s[1], s[2]),
            DataBuffers.of(activations, true, false));
        Result r = session.runner().feed(layers.get(layerName), a).fetch(logits).run()) {
      return toArray((TFloat32) r.get(0));
    }
  }

  /**
   * One graph run: logits, the layer's activations and the gradient of each image's target
   * logit (pre-softmax) with respect to them. A negative target class means the image's top-1.
   */
  public ForwardBackward forwardBackward(String layerName, float[] batch, int n, int[] classes) {
    LayerInfo info = layer(layerName);
    if (classes.length != n) {
      throw new IllegalArgumentException("need one target class per image: " + n + " images, "
          + classes.length + " classes");
    }
    for (int c : classes) {
      if (c >= numClasses()) {
        throw new IllegalArgumentException("class index " + c + " out of range: model " + name
            + " has " + numClasses() + " classes (0.." + (numClasses() - 1) + ")");
      }
    }
    GradientOps ops = gradientOps(layerName);
    try (TFloat32 x = inputTensor(batch, n);
        TInt32 c = TInt32.tensorOf(Shape.of(n), DataBuffers.of(classes, true, false));
        Result r = session.runner().feed(input, x).feed(ops.classes(), c)
            .fetch(logits).fetch(layers.get(layerName)).fetch(ops.gradient()).fetch(ops.chosen())
            .run()) {
      TInt64 chosen = (TInt64) r.get(3);
      int[] target = new int[n];
      for (int i = 0; i < n; i++) {
        target[i] = (int) chosen.getLong(i);
      }
      long[] s = info.outputShape();
      return new ForwardBackward(n, numClasses(), (int) s[0], (int) s[1], (int) s[2],
          toArray((TFloat32) r.get(0)), toArray((TFloat32) r.get(1)), toArray((TFloat32) r.get(2)),
          target);
    }
  }

  /**
   * One graph run with a given gradient seed {@code [n, classes]} row-major: the gradient is
   * that of {@code sum_c seed[i, c] * logit[i, c]} for each image {@code i}, e.g. a multi-hot row
   * for the sum of a set of class logits. The returned target classes are all -1.
   */
  public ForwardBackward forwardBackward(String layerName, float[] batch, int n, float[] seed) {
    LayerInfo info = layer(layerName);
    if (seed.length != (long) n * numClasses()) {
      throw new IllegalArgumentException("need a seed of " + n + " x " + numClasses()
          + " values, got " + seed.length);
    }
    for (float v : seed) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("gradient seed has a non-finite value " + v);
      }
    }
    SeededGradientOps ops = seededGradientOps(layerName);
    try (TFloat32 x = inputTensor(batch, n);
        TFloat32 s = TFloat32.tensorOf(Shape.of(n, numClasses()), DataBuffers.of(seed, true, false));
        Result r = session.runner().feed(input, x).feed(ops.seed(), s)
            .fetch(logits).fetch(layers.get(layerName)).fetch(ops.gradient()).run()) {
      int[] target = new int[n];
      Arrays.fill(target, -1);
      long[] sh = info.outputShape();
      return new ForwardBackward(n, numClasses(), (int) sh[0], (int) sh[1], (int) sh[2],
          toArray((TFloat32) r.get(0)), toArray((TFloat32) r.get(1)), toArray((TFloat32) r.get(2)),
          target);
    }
  }

  /** What NetBuilder built for each layer, in build order (empty if not recorded). */
  public List<LayerOp> layerOps() {
    return layerOps;
  }

  /**
   * The gradient of {@code sum_c seed[i, c] * logit[i, c]} with respect to each image's input,
   * {@code [n, input shape]} in the model's input layout, by {@link Graph#addGradients} (the
   * registered gradients: a plain saliency map).
   */
  public float[] inputGradient(float[] batch, int n, float[] seed) {
    return inputGradient(batch, n, seed, "autodiff", null);
  }

  /**
   * As {@link #inputGradient(float[], int, float[])}, but through a backward pass written out op
   * by op from {@link #layerOps()}, with the given ReLU rule: {@link ReluBackward#GUIDED} gives
   * Guided Backpropagation, {@link ReluBackward#PLAIN} the same as automatic differentiation.
   */
  public float[] inputGradient(float[] batch, int n, float[] seed, ReluBackward rule) {
    return inputGradient(batch, n, seed, "explicit_" + rule.name().toLowerCase(java.util.Locale.ROOT),
        rule);
  }

  private float[] inputGradient(float[] batch, int n, float[] seed, String kind,
      ReluBackward rule) {
    if (seed.length != (long) n * numClasses()) {
      throw new IllegalArgumentException("need a seed of " + n + " x " + numClasses()
          + " values, got " + seed.length);
    }
    SeededGradientOps ops = inputGradientOps(kind, rule);
    try (TFloat32 x = inputTensor(batch, n);
        TFloat32 s = TFloat32.tensorOf(Shape.of(n, numClasses()), DataBuffers.of(seed, true, false));
        Result r = session.runner().feed(input, x).feed(ops.seed(), s).fetch(ops.gradient())
            .run()) {
      return toArray((TFloat32) r.get(0));
    }
  }

  private synchronized SeededGradientOps inputGradientOps(String kind, ReluBackward rule) {
    return inputGradientOps.computeIfAbsent(kind, k -> {
      String prefix = "input_gradient_" + k;
      Ops tf = Ops.create(graph).withSubScope(prefix);
      Operand<TFloat32> seed = tf.withName("seed")
          .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, numClasses())));
      Output<?> grad = rule == null
          ? graph.addGradients(prefix + "_grad", new Output<?>[] {logits.asOutput()},
              new Output<?>[] {input.asOutput()}, new Output<?>[] {seed.asOutput()})[0]
          : ExplicitBackward.build(graph, tf, prefix + "_grad", layerOps, logits, input, seed, rule);
      return new SeededGradientOps(seed, grad);
    });
  }

  private synchronized SeededGradientOps seededGradientOps(String layerName) {
    return seededGradientOps.computeIfAbsent(layerName, l -> {
      Ops tf = Ops.create(graph).withSubScope("gradcam_seeded_" + l);
      // The fed seed is the initial gradient dy of the logits, so backprop computes
      // d(sum_c seed_c * logit_c)/d layer; a separate op keeps the one-hot path untouched.
      Operand<TFloat32> seed = tf.withName("seed")
          .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, numClasses())));
      Output<?>[] grad = graph.addGradients("gradcam_seeded_" + l + "_grad",
          new Output<?>[] {logits.asOutput()},
          new Output<?>[] {layers.get(l).asOutput()},
          new Output<?>[] {seed.asOutput()});
      return new SeededGradientOps(seed, grad[0]);
    });
  }

  private synchronized GradientOps gradientOps(String layerName) {
    return gradientOps.computeIfAbsent(layerName, l -> {
      Ops tf = Ops.create(graph).withSubScope("gradcam_" + l);
      Operand<TInt32> classes = tf.withName("target_class")
          .placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      // Negative entries select the top-1 class inside the graph, so one run suffices.
      Operand<TInt64> top1 = tf.math.argMax(logits, tf.constant(1), TInt64.class);
      Operand<TInt64> chosen = tf.withName("chosen_class").select(
          tf.math.greaterEqual(classes, tf.constant(0)), tf.dtypes.cast(classes, TInt64.class), top1);
      // The one-hot seed is the initial gradient dy of the logits: backprop starts at the logits
      // and never traverses the argmax/one-hot ops, which have no gradient.
      Operand<TFloat32> seed = tf.oneHot(chosen, tf.constant(numClasses()), tf.constant(1f),
          tf.constant(0f));
      Output<?>[] grad = graph.addGradients("gradcam_" + l + "_grad",
          new Output<?>[] {logits.asOutput()},
          new Output<?>[] {layers.get(l).asOutput()},
          new Output<?>[] {seed.asOutput()});
      return new GradientOps(classes, chosen, grad[0]);
    });
  }

  private TFloat32 inputTensor(float[] batch, int n) {
    long[] shape = spec.inputShape();
    if (n <= 0 || batch.length != (long) n * spec.inputLength()) {
      throw new IllegalArgumentException("model " + name + " expects " + n + " x "
          + Arrays.toString(shape) + " = " + (long) n * spec.inputLength() + " input values, got "
          + batch.length);
    }
    return TFloat32.tensorOf(Shape.of(n, shape[0], shape[1], shape[2]),
        DataBuffers.of(batch, true, false));
  }

  private static float[] toArray(TFloat32 t) {
    float[] out = new float[(int) t.shape().size()];
    t.asRawTensor().data().asFloats().read(out);
    return out;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
