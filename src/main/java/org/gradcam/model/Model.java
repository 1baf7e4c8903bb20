package org.gradcam.model;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A CNN classifier built as one TensorFlow graph, with its named layers and one session. The
 * graph and its weight variables (loaded once, then only read) are the only state shared between
 * calls: each call feeds its
 * own tensors and closes them, so nothing of one image can leak into the next.
 */
public final class Model implements AutoCloseable {
  private final String name;
  /** Set once more right after loading if the user asks for a center crop ({@link #cropped}). */
  private volatile ModelSpec spec;
  private final Graph graph;
  private final Operand<TFloat32> input;
  private final Operand<TFloat32> logits;
  private final Map<String, Operand<TFloat32>> layers;
  private final List<LayerInfo> summary;
  private final Session session;
  private final List<LayerOp> layerOps;
  /** The gradient ops added so far, shared with the views of {@link #atGraphBatch}. */
  private final AddedOps added;
  /** False for a view: the model it was made from closes the session and the graph. */
  private final boolean owner;
  /** Class names in output order; null: ImageNet's for 1000 classes, else class_N. */
  private volatile List<String> labels;
  /** A user model's preprocessing preset, for summaries; null for the built-ins. */
  private volatile Preprocessing preprocessing;
  /** How probabilities come from the logits: softmax (one class) or sigmoid (multi-label). */
  private volatile String outputActivation = "softmax";
  /** Other names of the layers (an ONNX file's node names and PyTorch module paths), if any. */
  private UnaryOperator<String> layerNames = UnaryOperator.identity();

  /** Gradient ops added to the graph on first use, per layer or kind; guarded by itself. */
  private static final class AddedOps {
    final Map<String, GradientOps> gradient = new HashMap<>();
    final Map<String, SeededGradientOps> seeded = new HashMap<>();
    final Map<String, SeededGradientOps> input = new HashMap<>();
  }

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
    this(name, spec, graph, new Session(graph), input, logits, layers, summary, layerOps);
  }

  /** With the session whose variables already hold the weights (see {@link NetBuilder}). */
  Model(String name, ModelSpec spec, Graph graph, Session session, Operand<TFloat32> input,
      Operand<TFloat32> logits, Map<String, Operand<TFloat32>> layers, List<LayerInfo> summary,
      List<LayerOp> layerOps) {
    this.layerOps = List.copyOf(layerOps);
    this.name = name;
    this.spec = spec;
    this.graph = graph;
    this.input = input;
    this.logits = logits;
    this.layers = Map.copyOf(layers);
    this.summary = List.copyOf(summary);
    this.session = session;
    this.added = new AddedOps();
    this.owner = true;
  }

  /**
   * A model built outside this package (the ONNX importer): {@code layers} maps each layer name
   * to its output, {@code [N, H, W, C]} for spatial layers, and {@code session} already holds
   * the weight variables.
   */
  public static Model of(String name, ModelSpec spec, Graph graph, Session session,
      Operand<TFloat32> input, Operand<TFloat32> logits, Map<String, Operand<TFloat32>> layers,
      List<LayerInfo> summary) {
    return new Model(name, spec, graph, session, input, logits, layers, summary, List.of());
  }

  /**
   * As {@link #of(String, ModelSpec, Graph, Session, Operand, Operand, Map, List)}, with a
   * translation of the other names a user may give a layer to its name here ({@link
   * #resolveLayer}); it throws {@link IllegalArgumentException} for a name it cannot resolve.
   */
  public static Model of(String name, ModelSpec spec, Graph graph, Session session,
      Operand<TFloat32> input, Operand<TFloat32> logits, Map<String, Operand<TFloat32>> layers,
      List<LayerInfo> summary, UnaryOperator<String> layerNames) {
    Model m = of(name, spec, graph, session, input, logits, layers, summary);
    m.layerNames = layerNames;
    return m;
  }

  /**
   * The layer a user's name means: the name itself when the model has such a layer, else what
   * the model's other names say (an ONNX node name, a PyTorch module path such as
   * {@code layer4}), else the name unchanged, which {@link #layer} then refuses clearly.
   */
  public String resolveLayer(String layerName) {
    return layers.containsKey(layerName) ? layerName : layerNames.apply(layerName);
  }

  private Model(Model of, ModelSpec spec) {
    this.layerOps = of.layerOps;
    this.name = of.name;
    this.spec = spec;
    this.graph = of.graph;
    this.input = of.input;
    this.logits = of.logits;
    this.layers = of.layers;
    this.summary = of.summary;
    this.session = of.session;
    this.added = of.added;
    this.owner = false;
    this.labels = of.labels;
    this.preprocessing = of.preprocessing;
    this.outputActivation = of.outputActivation;
    this.layerNames = of.layerNames;
  }

  /**
   * The same graph, weights and session run at another graph batch, to measure what the graph
   * batch costs (a lone image at batch 1 against a padded run). Its numbers may differ from this
   * model's in the last bits, which is why nothing but {@code speed} uses it. Closing the view
   * closes nothing; it must not outlive this model.
   */
  public Model atGraphBatch(int graphBatch) {
    return new Model(this, spec.withGraphBatch(graphBatch));
  }

  /** The graph, for tests that inspect what was built. */
  Graph graph() {
    return graph;
  }

  /** The session holding the weights, for profiling its runs ({@link RunProfile}). */
  Session session() {
    return session;
  }

  /**
   * The value of a graph tensor that needs no fed input, such as a weight a layer reads (a
   * {@link LayerOp#kernel()} or the bias beside it), in C order: to export the weights the
   * session holds (ONNX) rather than the ones the model was built from.
   */
  public float[] value(Operand<TFloat32> weight) {
    try (Result r = session.runner().fetch(weight).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[(int) t.shape().size()];
      t.asRawTensor().data().asFloats().read(out);
      return out;
    }
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

  /**
   * The class names in output order: a user's labels file, else ImageNet's names for a
   * 1000-class model, else {@code class_0, class_1, ...}.
   */
  public List<String> labels() {
    List<String> l = labels;
    if (l != null) {
      return l;
    }
    int k = numClasses();
    return java.util.stream.IntStream.range(0, k)
        .mapToObj(i -> k == ImageNetLabels.COUNT ? ImageNetLabels.get(i).name() : "class_" + i)
        .toList();
  }

  /** Whether the classes are ImageNet's (a built-in, or a 1000-class model without labels). */
  public boolean hasImageNetClasses() {
    return labels == null && numClasses() == ImageNetLabels.COUNT;
  }

  /** The user model's preprocessing, or null for a built-in with its own. */
  public Preprocessing preprocessing() {
    return preprocessing;
  }

  /** Sets the labels once, right after loading (checked against the output size). */
  Model labelled(List<String> names) {
    if (names.size() != numClasses()) {
      throw new IllegalArgumentException(names.size() + " labels for model " + name + ", which "
          + "has " + numClasses() + " outputs: the labels file needs one line per output");
    }
    this.labels = List.copyOf(names);
    return this;
  }

  Model preprocessed(Preprocessing p) {
    this.preprocessing = p;
    return this;
  }

  /** Sets torchvision's resize and center crop once, right after loading (see ModelSpec). */
  Model cropped(org.gradcam.image.CenterCrop crop) {
    this.spec = spec.withCrop(crop);
    return this;
  }

  /** The output activations {@link #probabilities} knows. */
  public static final List<String> OUTPUT_ACTIVATIONS = List.of("softmax", "sigmoid");

  /** Sets the output activation once, right after loading. */
  Model activated(String activation) {
    if (!OUTPUT_ACTIVATIONS.contains(activation)) {
      throw new IllegalArgumentException("unknown output activation '" + activation
          + "'; available: " + String.join(", ", OUTPUT_ACTIVATIONS));
    }
    this.outputActivation = activation;
    return this;
  }

  /**
   * {@code softmax}, or {@code sigmoid} for a multi-label model (each output its own
   * probability; an ONNX file ending in a Sigmoid, or {@code --output-activation sigmoid}).
   */
  public String outputActivation() {
    return outputActivation;
  }

  /** The probabilities of {@code k} logits from {@code offset}, by {@link #outputActivation}. */
  public double[] probabilities(float[] logits, int offset, int k) {
    if (outputActivation.equals("softmax")) {
      return Predictions.softmax(logits, offset, k);
    }
    double[] p = new double[k];
    for (int i = 0; i < k; i++) {
      p[i] = 1 / (1 + Math.exp(-(double) logits[offset + i]));
    }
    return p;
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

  /**
   * The layer to explain when none is named: the model module's choice ({@link
   * ModelSpec#defaultLayer()}) or else {@link #lastConvLayer()}.
   */
  public String defaultLayer() {
    return spec.defaultLayer() != null ? spec.defaultLayer() : lastConvLayer();
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
    requireInput(batch, n);
    int k = numClasses();
    float[] out = new float[n * k];
    forEachRun(n, (from, m) -> {
      try (TFloat32 x = inputTensor(batch, from, m);
          Result r = session.runner().feed(input, x).fetch(logits).run()) {
        read(r.get(0), m * k, out, from * k);
      }
    });
    return out;
  }

  /**
   * Logits and a layer's activations, forward only: no gradient op is in the run, the cheapest
   * run that still gives the feature maps, for methods that perturb the input (Score-CAM).
   *
   * @return {@code [logits of n images, activations of n images]}, activations {@code [n, h,
   *     w, c]} channels-last as {@link ForwardBackward#activations()}
   */
  public float[][] forward(String layerName, float[] batch, int n) {
    LayerInfo info = layer(layerName);
    requireInput(batch, n);
    long[] s = info.outputShape();
    int mapSize = (int) (s[0] * s[1] * s[2]);
    int k = numClasses();
    float[] outLogits = new float[n * k];
    float[] outActivations = new float[n * mapSize];
    forEachRun(n, (from, m) -> {
      try (TFloat32 x = inputTensor(batch, from, m);
          Result r = session.runner().feed(input, x).fetch(logits).fetch(layers.get(layerName))
              .run()) {
        read(r.get(0), m * k, outLogits, from * k);
        read(r.get(1), m * mapSize, outActivations, from * mapSize);
      }
    });
    return new float[][] {outLogits, outActivations};
  }

  /**
   * Logits computed from given activations of a layer instead of from an image: the graph is
   * fed at that layer, so everything upstream is skipped. Used to check gradients by finite
   * differences and by methods that perturb activations.
   */
  public float[] logitsFromLayer(String layerName, float[] activations, int n) {
    long[] s = layer(layerName).outputShape();
    int len = (int) (s[0] * s[1] * s[2]);
    if (n <= 0 || activations.length != (long) n * len) {
      throw new IllegalArgumentException("layer " + layerName + " of model " + name + " needs "
          + n + " x " + Arrays.toString(s) + " activations, got " + activations.length);
    }
    int k = numClasses();
    float[] out = new float[n * k];
    forEachRun(n, (from, m) -> {
      try (TFloat32 a = TFloat32.tensorOf(Shape.of(graphBatch(), s[0], s[1], s[2]),
              DataBuffers.of(rows(activations, len, from, m), true, false));
          Result r = session.runner().feed(layers.get(layerName), a).fetch(logits).run()) {
        read(r.get(0), m * k, out, from * k);
      }
    });
    return out;
  }

  /**
   * One graph run: logits, the layer's activations and the gradient of each image's target
   * logit (pre-softmax) with respect to them. A negative target class means the image's top-1.
   */
  public ForwardBackward forwardBackward(String layerName, float[] batch, int n, int[] classes) {
    LayerInfo info = layer(layerName);
    requireInput(batch, n);
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
    Runs out = new Runs(n, info);
    forEachRun(n, (from, m) -> {
      int[] c = new int[graphBatch()];
      System.arraycopy(classes, from, c, 0, m);
      try (TFloat32 x = inputTensor(batch, from, m);
          TInt32 ct = TInt32.tensorOf(Shape.of(c.length), DataBuffers.of(c, true, false));
          Result r = session.runner().feed(input, x).feed(ops.classes(), ct)
              .fetch(logits).fetch(layers.get(layerName)).fetch(ops.gradient()).fetch(ops.chosen())
              .run()) {
        out.read(r, from, m);
        TInt64 chosen = (TInt64) r.get(3);
        for (int i = 0; i < m; i++) {
          out.targets[from + i] = (int) chosen.getLong(i);
        }
      }
    });
    return out.result();
  }

  /**
   * One graph run with a given gradient seed {@code [n, classes]} row-major: the gradient is
   * that of {@code sum_c seed[i, c] * logit[i, c]} for each image {@code i}, e.g. a multi-hot row
   * for the sum of a set of class logits. The returned target classes are all -1.
   */
  public ForwardBackward forwardBackward(String layerName, float[] batch, int n, float[] seed) {
    LayerInfo info = layer(layerName);
    requireInput(batch, n);
    requireSeed(seed, n);
    SeededGradientOps ops = seededGradientOps(layerName);
    Runs out = new Runs(n, info);
    Arrays.fill(out.targets, -1);
    forEachRun(n, (from, m) -> {
      try (TFloat32 x = inputTensor(batch, from, m);
          TFloat32 s = seedTensor(seed, from, m);
          Result r = session.runner().feed(input, x).feed(ops.seed(), s)
              .fetch(logits).fetch(layers.get(layerName)).fetch(ops.gradient()).run()) {
        out.read(r, from, m);
      }
    });
    return out.result();
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
    requireInput(batch, n);
    requireSeed(seed, n);
    SeededGradientOps ops = inputGradientOps(kind, rule);
    int len = spec.inputLength();
    float[] out = new float[n * len];
    forEachRun(n, (from, m) -> {
      try (TFloat32 x = inputTensor(batch, from, m);
          TFloat32 s = seedTensor(seed, from, m);
          Result r = session.runner().feed(input, x).feed(ops.seed(), s).fetch(ops.gradient())
              .run()) {
        read(r.get(0), m * len, out, from * len);
      }
    });
    return out;
  }

  private SeededGradientOps inputGradientOps(String kind, ReluBackward rule) {
    synchronized (added) {
      return added.input.computeIfAbsent(kind, k -> {
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
  }

  private SeededGradientOps seededGradientOps(String layerName) {
    synchronized (added) {
      return added.seeded.computeIfAbsent(layerName, l -> {
        Ops tf = Ops.create(graph).withSubScope("gradcam_seeded_" + scopeName(l));
        // The fed seed is the initial gradient dy of the logits, so backprop computes
        // d(sum_c seed_c * logit_c)/d layer; a separate op keeps the one-hot path untouched.
        Operand<TFloat32> seed = tf.withName("seed")
            .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, numClasses())));
        Output<?>[] grad = graph.addGradients("gradcam_seeded_" + scopeName(l) + "_grad",
            new Output<?>[] {logits.asOutput()},
            new Output<?>[] {layers.get(l).asOutput()},
            new Output<?>[] {seed.asOutput()});
        return new SeededGradientOps(seed, grad[0]);
      });
    }
  }

  private GradientOps gradientOps(String layerName) {
    synchronized (added) {
      return added.gradient.computeIfAbsent(layerName, l -> {
        Ops tf = Ops.create(graph).withSubScope("gradcam_" + scopeName(l));
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
        Output<?>[] grad = graph.addGradients("gradcam_" + scopeName(l) + "_grad",
            new Output<?>[] {logits.asOutput()},
            new Output<?>[] {layers.get(l).asOutput()},
            new Output<?>[] {seed.asOutput()});
        return new GradientOps(classes, chosen, grad[0]);
      });
    }
  }

  /**
   * A valid, unique TF scope for the gradient ops of a layer: imported layers are named after
   * ONNX tensors ({@code /layer4/layer4.1/relu_1/Relu_output_0}), which TF names cannot be.
   */
  private String scopeName(String layer) {
    if (layer.matches("[A-Za-z0-9][A-Za-z0-9_.\\-]*")) {
      return layer;
    }
    int index = 0;
    while (index < summary.size() && !summary.get(index).name().equals(layer)) {
      index++;
    }
    return "layer" + index + "_" + layer.replaceAll("[^A-Za-z0-9_.\\-]", "_");
  }

  /** The one batch size every graph run has; see {@link ModelSpec#graphBatch()}. */
  public int graphBatch() {
    return spec.graphBatch();
  }

  /** One graph run over rows {@code [from, from + rows)} of the caller's batch. */
  @FunctionalInterface
  private interface Run {
    void rows(int from, int rows);
  }

  /** Calls {@code run} for consecutive chunks of at most {@link #graphBatch()} of n rows. */
  private void forEachRun(int n, Run run) {
    for (int from = 0; from < n; from += graphBatch()) {
      run.rows(from, Math.min(graphBatch(), n - from));
    }
  }

  /** Rows {@code [from, from + m)} of {@code data}, zero-padded to {@link #graphBatch()} rows. */
  private float[] rows(float[] data, int rowLength, int from, int m) {
    float[] out = new float[graphBatch() * rowLength];
    System.arraycopy(data, from * rowLength, out, 0, m * rowLength);
    return out;
  }

  /** Gathers the logits, activations and gradients of the runs of one batch. */
  private final class Runs {
    final int n;
    final LayerInfo info;
    final int mapSize;
    final float[] logits;
    final float[] activations;
    final float[] gradients;
    final int[] targets;

    Runs(int n, LayerInfo info) {
      this.n = n;
      this.info = info;
      long[] s = info.outputShape();
      this.mapSize = (int) (s[0] * s[1] * s[2]);
      this.logits = new float[n * numClasses()];
      this.activations = new float[n * mapSize];
      this.gradients = new float[n * mapSize];
      this.targets = new int[n];
    }

    void read(Result r, int from, int m) {
      Model.read(r.get(0), m * numClasses(), logits, from * numClasses());
      Model.read(r.get(1), m * mapSize, activations, from * mapSize);
      Model.read(r.get(2), m * mapSize, gradients, from * mapSize);
    }

    ForwardBackward result() {
      long[] s = info.outputShape();
      return new ForwardBackward(n, numClasses(), (int) s[0], (int) s[1], (int) s[2], logits,
          activations, gradients, targets);
    }
  }

  private void requireInput(float[] batch, int n) {
    if (n <= 0 || batch.length != (long) n * spec.inputLength()) {
      throw new IllegalArgumentException("model " + name + " expects " + n + " x "
          + Arrays.toString(spec.inputShape()) + " = " + (long) n * spec.inputLength()
          + " input values, got " + batch.length);
    }
  }

  private void requireSeed(float[] seed, int n) {
    if (seed.length != (long) n * numClasses()) {
      throw new IllegalArgumentException("need a seed of " + n + " x " + numClasses()
          + " values, got " + seed.length);
    }
    for (float v : seed) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("gradient seed has a non-finite value " + v);
      }
    }
  }

  private TFloat32 inputTensor(float[] batch, int from, int m) {
    long[] shape = spec.inputShape();
    int len = spec.inputLength();
    // The rows go straight into the tensor's buffer: a zero-padded Java copy first cost a
    // 4.8 MB allocation and a second copy per SqueezeNet run (0.5-2.8 ms against 0.2 ms of CPU).
    TFloat32 t = TFloat32.tensorOf(Shape.of(graphBatch(), shape[0], shape[1], shape[2]));
    FloatDataBuffer data = t.asRawTensor().data().asFloats();
    data.write(batch, from * len, m * len);
    // TensorFlow's allocator does not clear memory: the padding rows are zeroed explicitly.
    for (long at = (long) m * len; at < (long) graphBatch() * len; at += ZEROS.length) {
      data.offset(at).write(ZEROS, 0, (int) Math.min(ZEROS.length, (long) graphBatch() * len - at));
    }
    return t;
  }

  /** Zeros to clear padding rows with, a chunk at a time. */
  private static final float[] ZEROS = new float[1 << 16];

  private TFloat32 seedTensor(float[] seed, int from, int m) {
    return TFloat32.tensorOf(Shape.of(graphBatch(), numClasses()),
        DataBuffers.of(rows(seed, numClasses(), from, m), true, false));
  }

  /** The first {@code length} values of a fetched float tensor into {@code out} at {@code offset}. */
  private static void read(org.tensorflow.Tensor t, int length, float[] out, int offset) {
    ((TFloat32) t).asRawTensor().data().asFloats().read(out, offset, length);
  }

  @Override
  public void close() {
    if (owner) {
      session.close();
      graph.close();
    }
  }
}
