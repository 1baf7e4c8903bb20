package org.gradcam.model;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * A CNN classifier built as one TensorFlow graph, with its named layers and one session. The
 * graph and its weight variables (loaded once, then only read) are the only state shared between
 * calls: each call feeds its own tensors and closes them, so nothing of one image can leak into
 * the next. Immutable: {@link #withLabels} and {@link #atGraphBatch} are copies sharing the graph
 * ({@link ModelGraph}, with the gradient ops) and layers ({@link ModelLayers}); {@link
 * GraphRuns} feeds and fetches.
 */
public final class Model implements AutoCloseable {
  private final String name;
  private final ModelSpec spec;
  private final ModelGraph graph;
  private final ModelLayers layers;
  private final GraphRuns runs;
  /** Class names in output order; null: ImageNet's for 1000 classes, else class_N. */
  private final List<String> labels;
  /** A user model's preprocessing preset, for summaries; null for the built-ins. */
  private final Preprocessing preprocessing;
  /** How probabilities come from the logits: softmax (one class) or sigmoid (multi-label). */
  private final String outputActivation;
  /** False for a view: the model it was made from closes the session and the graph. */
  private final boolean owner;

  /** With the session whose variables already hold the weights (see {@link NetBuilder}). */
  Model(String name, ModelSpec spec, Graph graph, Session session, Operand<TFloat32> input,
      Operand<TFloat32> logits, Map<String, Operand<TFloat32>> layers, List<LayerInfo> summary,
      List<LayerOp> layerOps) {
    this(name, spec, new ModelGraph(graph, session, input, logits, layers, layerOps), summary,
        UnaryOperator.identity());
  }

  private Model(String name, ModelSpec spec, ModelGraph graph, List<LayerInfo> summary,
      UnaryOperator<String> layerNames) {
    this(name, spec, graph, new ModelLayers(name, summary, graph.layers.keySet(),
        graph.input.op().name(), spec.defaultLayer(), layerNames), null, null, "softmax", true);
  }

  private Model(String name, ModelSpec spec, ModelGraph graph, ModelLayers layers,
      List<String> labels, Preprocessing preprocessing, String outputActivation, boolean owner) {
    this.name = name;
    this.spec = spec;
    this.graph = graph;
    this.layers = layers;
    this.runs = new GraphRuns(graph, spec, name);
    this.labels = labels;
    this.preprocessing = preprocessing;
    this.outputActivation = outputActivation;
    this.owner = owner;
  }

  /**
   * A model built outside this package (the importers): {@code layers} maps each layer name to
   * its output, {@code [N, H, W, C]} if spatial; {@code session} holds the weight variables.
   */
  public static Model of(String name, ModelSpec spec, Graph graph, Session session,
      Operand<TFloat32> input, Operand<TFloat32> logits, Map<String, Operand<TFloat32>> layers,
      List<LayerInfo> summary) {
    return of(name, spec, graph, session, input, logits, layers, summary,
        UnaryOperator.identity());
  }

  /**
   * As {@link #of(String, ModelSpec, Graph, Session, Operand, Operand, Map, List)}, with a
   * translation of the other names a user may give a layer to its name here ({@link
   * #resolveLayer}); it throws {@link IllegalArgumentException} for a name it cannot resolve.
   */
  public static Model of(String name, ModelSpec spec, Graph graph, Session session,
      Operand<TFloat32> input, Operand<TFloat32> logits, Map<String, Operand<TFloat32>> layers,
      List<LayerInfo> summary, UnaryOperator<String> layerNames) {
    return new Model(name, spec, new ModelGraph(graph, session, input, logits, layers, List.of()),
        summary, layerNames);
  }

  /**
   * This model with the given class names, in output order (checked against the output size);
   * the copy shares the graph and session: close the copy (closing both is harmless).
   */
  public Model withLabels(List<String> names) {
    return new Model(name, spec, graph, layers, ClassNames.checked(names, numClasses(), name),
        preprocessing, outputActivation, owner);
  }

  /** This model with a user model's preprocessing preset, sharing the graph as withLabels. */
  Model withPreprocessing(Preprocessing p) {
    return new Model(name, spec, graph, layers, labels, p, outputActivation, owner);
  }

  /** This model behind torchvision's resize and center crop (see ModelSpec), as withLabels. */
  Model withCrop(org.gradcam.image.CenterCrop crop) {
    return new Model(name, spec.withCrop(crop), graph, layers, labels, preprocessing,
        outputActivation, owner);
  }

  /** This model with another output activation ({@link Predictions#ACTIVATIONS}), as withLabels. */
  Model withOutputActivation(String activation) {
    return new Model(name, spec, graph, layers, labels, preprocessing,
        Predictions.activation(activation), owner);
  }

  /** {@code softmax}, or {@code sigmoid} for a multi-label model (an ONNX file's Sigmoid). */
  public String outputActivation() {
    return outputActivation;
  }

  /** The probabilities of {@code k} logits from {@code offset}, by {@link #outputActivation}. */
  public double[] probabilities(float[] logits, int offset, int k) {
    return Predictions.probabilities(outputActivation, logits, offset, k);
  }

  /**
   * The same graph, weights and session run at another graph batch, to measure what the graph
   * batch costs (a lone image at batch 1 against a padded run). Its numbers may differ from this
   * model's in the last bits, which is why nothing but {@code speed} uses it. Closing the view
   * closes nothing; it must not outlive this model. It runs this model's kernels, so it is for a
   * model that runs at no other batch: with {@code TF_ONEDNN_ASSUME_FROZEN_WEIGHTS=1} a fused
   * MatMul that has run at one row count reorders its weights on every run at another (README
   * "Cold start").
   */
  public Model atGraphBatch(int graphBatch) {
    return new Model(name, spec.withGraphBatch(graphBatch), graph, layers, labels, preprocessing,
        outputActivation, false);
  }

  /**
   * The layer a user's name means: itself, else what the other names say (an ONNX node name, a
   * PyTorch module path such as {@code layer4}), else unchanged for {@link #layer} to refuse.
   */
  public String resolveLayer(String layerName) {
    return layers.resolve(layerName);
  }

  /** The graph, for tests that inspect what was built. */
  Graph graph() {
    return graph.graph;
  }

  /** The session holding the weights, for profiling its runs ({@link RunProfile}). */
  Session session() {
    return graph.session;
  }

  /**
   * The value of a graph tensor that needs no fed input, such as a weight a layer reads (a
   * {@link LayerOp#kernel()} or the bias beside it), in C order: to export the weights the
   * session holds (ONNX) rather than the ones the model was built from.
   */
  public float[] value(Operand<TFloat32> weight) {
    return graph.value(weight);
  }

  public String name() {
    return name;
  }

  public ModelSpec spec() {
    return spec;
  }

  public int numClasses() {
    return graph.numClasses();
  }

  /** Class names in output order: the given labels, else ImageNet's for 1000, else class_N. */
  public List<String> labels() {
    return ClassNames.of(labels, numClasses());
  }

  /** Whether the classes are ImageNet's (a built-in, or a 1000-class model without labels). */
  public boolean hasImageNetClasses() {
    return labels == null && numClasses() == ImageNetLabels.COUNT;
  }

  /** The user model's preprocessing, or null for a built-in with its own. */
  public Preprocessing preprocessing() {
    return preprocessing;
  }

  /** The Keras-style summary: every layer in order with output shape and parameter count. */
  public List<LayerInfo> summary() {
    return layers.summary();
  }

  public long parameterCount() {
    return summary().stream().mapToLong(LayerInfo::params).sum();
  }

  /** Layers with a spatial map larger than 1x1: a 1x1 "map" covers the image whatever the class. */
  public List<String> targetLayers() {
    return layers.targets();
  }

  /** The layer to explain when none is named: the spec's, else {@link #lastConvLayer()}. */
  public String defaultLayer() {
    return layers.defaultLayer();
  }

  /**
   * The last map larger than 1x1 that is not a pooling's: the last conv feature map before the
   * classifier (Selvaraju et al.); VGG16 {@code block5_conv3}, SqueezeNet 1.1 {@code conv10}.
   */
  public String lastConvLayer() {
    return layers.lastConvLayer();
  }

  public LayerInfo layer(String layerName) {
    return layers.target(layerName);
  }

  /** Logits {@code [n, classes]} for a batch laid out as {@link ModelSpec#inputShape()}. */
  public float[] logits(float[] batch, int n) {
    return runs.logits(batch, n);
  }

  /**
   * Logits and a layer's activations {@code [n, h, w, c]}, forward only (no gradient op in the
   * run), for methods that perturb the input (Score-CAM): {@code [logits, activations]}.
   */
  public float[][] forward(String layerName, float[] batch, int n) {
    return runs.forward(layerName, layer(layerName), batch, n);
  }

  /** Logits from given activations of a layer, fed there (finite differences, perturbations). */
  public float[] logitsFromLayer(String layerName, float[] activations, int n) {
    return runs.logitsFromLayer(layerName, layer(layerName), activations, n);
  }

  /**
   * One graph run: logits, the layer's activations and the gradient of each image's target
   * logit (pre-softmax) with respect to them. A negative target class means the image's top-1.
   */
  public ForwardBackward forwardBackward(String layerName, float[] batch, int n, int[] classes) {
    LayerInfo info = layer(layerName);
    runs.requireInput(batch, n);
    runs.requireClasses(classes, n);
    return runs.forwardBackward(layerName, info,
        graph.gradientOps(layerName, layers.scopeName(layerName)), batch, n, classes);
  }

  /**
   * One graph run with a given gradient seed {@code [n, classes]} row-major: the gradient is
   * that of {@code sum_c seed[i, c] * logit[i, c]} for each image {@code i}, e.g. a multi-hot row
   * for the sum of a set of class logits. The returned target classes are all -1.
   */
  public ForwardBackward forwardBackward(String layerName, float[] batch, int n, float[] seed) {
    LayerInfo info = layer(layerName);
    runs.requireInput(batch, n);
    runs.requireSeed(seed, n);
    return runs.forwardBackward(layerName, info,
        graph.seededGradientOps(layerName, layers.scopeName(layerName)), batch, n, seed);
  }

  /** What NetBuilder built for each layer, in build order (empty if not recorded). */
  public List<LayerOp> layerOps() {
    return graph.layerOps;
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
   * As {@link #inputGradient(float[], int, float[])} through a backward pass written out op by
   * op: {@link ReluBackward#GUIDED} gives Guided Backpropagation, PLAIN equals autodiff.
   */
  public float[] inputGradient(float[] batch, int n, float[] seed, ReluBackward rule) {
    return inputGradient(batch, n, seed,
        "explicit_" + rule.name().toLowerCase(java.util.Locale.ROOT), rule);
  }

  private float[] inputGradient(float[] batch, int n, float[] seed, String kind,
      ReluBackward rule) {
    runs.requireInput(batch, n);
    runs.requireSeed(seed, n);
    return runs.inputGradient(graph.inputGradientOps(kind, rule), batch, n, seed);
  }

  /** The one batch size every graph run has; see {@link ModelSpec#graphBatch()}. */
  public int graphBatch() {
    return spec.graphBatch();
  }

  @Override
  public void close() {
    if (owner) {
      graph.close();
    }
  }
}
