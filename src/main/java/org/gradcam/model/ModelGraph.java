package org.gradcam.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A model's graph and the session holding its weights, its input, logits and layer outputs, and
 * the gradient ops added to the graph on first use (per layer or kind, guarded by the cache), so
 * that every copy and view of a {@link Model} shares one set of them.
 */
final class ModelGraph implements AutoCloseable {
  final Graph graph;
  final Session session;
  final Operand<TFloat32> input;
  final Operand<TFloat32> logits;
  final Map<String, Operand<TFloat32>> layers;
  final List<LayerOp> layerOps;
  private final Map<String, Object> added = new HashMap<>();
  private boolean closed;

  /** Graph nodes that give, for one layer, the gradient of each image's target logit. */
  record GradientOps(Operand<TInt32> classes, Operand<TInt64> chosen, Output<?> gradient) {}

  /** Graph nodes that give, for one layer, the gradient of a fed linear combination of logits. */
  record SeededGradientOps(Operand<TFloat32> seed, Output<?> gradient) {}

  ModelGraph(Graph graph, Session session, Operand<TFloat32> input, Operand<TFloat32> logits,
      Map<String, Operand<TFloat32>> layers, List<LayerOp> layerOps) {
    this.graph = graph;
    this.session = session;
    this.input = input;
    this.logits = logits;
    this.layers = Map.copyOf(layers);
    this.layerOps = List.copyOf(layerOps);
  }

  int numClasses() {
    return (int) logits.shape().size(1);
  }

  /** The value of a graph tensor that needs no fed input, in C order. */
  float[] value(Operand<TFloat32> weight) {
    try (Result r = session.runner().fetch(weight).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[(int) t.shape().size()];
      t.asRawTensor().data().asFloats().read(out);
      return out;
    }
  }

  /** Ops added once under {@code key}, for every later run of any copy of the model. */
  @SuppressWarnings("unchecked")
  private <T> T once(String key, java.util.function.Supplier<T> build) {
    synchronized (added) {
      return (T) added.computeIfAbsent(key, k -> build.get());
    }
  }

  /**
   * The gradient of {@code sum_c seed[i, c] * logit[i, c]} with respect to the input: by {@link
   * Graph#addGradients} when {@code rule} is null, else through the explicit backward pass of
   * {@link #layerOps} with that ReLU rule.
   */
  SeededGradientOps inputGradientOps(String kind, ReluBackward rule) {
    return once("input/" + kind, () -> {
      String prefix = "input_gradient_" + kind;
      Ops tf = Ops.create(graph).withSubScope(prefix);
      Operand<TFloat32> seed = seedPlaceholder(tf);
      Output<?> grad = rule == null
          ? graph.addGradients(prefix + "_grad", new Output<?>[] {logits.asOutput()},
              new Output<?>[] {input.asOutput()}, new Output<?>[] {seed.asOutput()})[0]
          : ExplicitBackward.build(graph, tf, prefix + "_grad", logits, input, seed, rule);
      return new SeededGradientOps(seed, grad);
    });
  }

  /** As {@link #inputGradientOps}, with respect to a layer; {@code scope} names its ops. */
  SeededGradientOps seededGradientOps(String layer, String scope) {
    return once("seeded/" + layer, () -> {
      Ops tf = Ops.create(graph).withSubScope("gradcam_seeded_" + scope);
      // The fed seed is the initial gradient dy of the logits, so backprop computes
      // d(sum_c seed_c * logit_c)/d layer; a separate op keeps the one-hot path untouched.
      Operand<TFloat32> seed = seedPlaceholder(tf);
      Output<?>[] grad = graph.addGradients("gradcam_seeded_" + scope + "_grad",
          new Output<?>[] {logits.asOutput()},
          new Output<?>[] {layers.get(layer).asOutput()},
          new Output<?>[] {seed.asOutput()});
      return new SeededGradientOps(seed, grad[0]);
    });
  }

  /** The gradient of each image's target logit (fed; negative: its top-1) at a layer. */
  GradientOps gradientOps(String layer, String scope) {
    return once("gradient/" + layer, () -> {
      Ops tf = Ops.create(graph).withSubScope("gradcam_" + scope);
      Operand<TInt32> classes = tf.withName("target_class")
          .placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      // Negative entries select the top-1 class inside the graph, so one run suffices.
      Operand<TInt64> top1 = tf.math.argMax(logits, tf.constant(1), TInt64.class);
      Operand<TInt64> chosen = tf.withName("chosen_class").select(
          tf.math.greaterEqual(classes, tf.constant(0)), tf.dtypes.cast(classes, TInt64.class),
          top1);
      // The one-hot seed is the initial gradient dy of the logits: backprop starts at the logits
      // and never traverses the argmax/one-hot ops, which have no gradient.
      Operand<TFloat32> seed = tf.oneHot(chosen, tf.constant(numClasses()), tf.constant(1f),
          tf.constant(0f));
      Output<?>[] grad = graph.addGradients("gradcam_" + scope + "_grad",
          new Output<?>[] {logits.asOutput()},
          new Output<?>[] {layers.get(layer).asOutput()},
          new Output<?>[] {seed.asOutput()});
      return new GradientOps(classes, chosen, grad[0]);
    });
  }

  private Operand<TFloat32> seedPlaceholder(Ops tf) {
    return tf.withName("seed")
        .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, numClasses())));
  }

  /** Closes the session and the graph once, whichever copy of the model closes first. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      session.close();
      graph.close();
    }
  }
}
