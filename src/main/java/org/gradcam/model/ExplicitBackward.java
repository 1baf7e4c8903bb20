package org.gradcam.model;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * Builds, into a model's graph, the backward pass from a seed on the logits to the input, op by op
 * from the {@link LayerOp}s NetBuilder recorded, with a chosen ReLU rule. TF Java cannot override
 * the gradient registered for Relu, so Guided Backpropagation is written out: conv via {@code
 * Conv2DBackpropInput} (bias-add passes through), max-pool via {@code MaxPoolGrad} on the tensor
 * actually pooled (then the ceil-mode padding is sliced off), concat by slicing the channels,
 * global average pool by broadcasting {@code dy / (h*w)}, flatten by reshaping, dense by {@code dy
 * W^T}. These are the ops the registered gradients use, so with {@link ReluBackward#PLAIN} the
 * result equals {@link Graph#addGradients}.
 *
 * <p>Layers reach each other directly in NetBuilder graphs; the one exception, a linear glue op
 * between the model input and the first layer (SqueezeNet's NCHW-to-NHWC transpose), contains no
 * ReLU and is differentiated by {@link Graph#addGradients}.
 */
final class ExplicitBackward {
  private final Graph graph;
  private final Ops tf;
  private final ReluBackward rule;
  private final Map<String, Operand<TFloat32>> grads = new HashMap<>();

  private ExplicitBackward(Graph graph, Ops tf, ReluBackward rule) {
    this.graph = graph;
    this.tf = tf;
    this.rule = rule;
  }

  /** The gradient of {@code sum(seed * logits)} with respect to {@code input}. */
  static Output<?> build(Graph graph, Ops tf, String prefix, List<LayerOp> ops,
      Operand<TFloat32> logits, Operand<TFloat32> input, Operand<TFloat32> seed,
      ReluBackward rule) {
    return new ExplicitBackward(graph, tf, rule).run(prefix, ops, logits, input, seed);
  }

  private Output<?> run(String prefix, List<LayerOp> ops, Operand<TFloat32> logits,
      Operand<TFloat32> input, Operand<TFloat32> seed) {
    if (ops.isEmpty() || !key(ops.get(ops.size() - 1).output()).equals(key(logits))) {
      throw new IllegalStateException("the logits are not the output of the last recorded layer; "
          + "an explicit backward pass needs a graph built by NetBuilder throughout");
    }
    Set<String> produced = new HashSet<>();
    for (LayerOp op : ops) {
      produced.add(key(op.output()));
    }
    accumulate(logits, seed);
    Map<String, Operand<TFloat32>> unrecorded = new HashMap<>();
    for (int i = ops.size() - 1; i >= 0; i--) {
      LayerOp op = ops.get(i);
      Operand<TFloat32> dy = grads.get(key(op.output()));
      if (dy == null) {
        continue; // not on a path to the logits
      }
      backward(op, dy);
      for (Operand<TFloat32> x : op.inputs()) {
        if (!produced.contains(key(x))) {
          unrecorded.put(key(x), x);
        }
      }
    }
    Operand<TFloat32> direct = grads.get(key(input));
    if (unrecorded.isEmpty()) {
      if (direct == null) {
        throw new IllegalStateException("the logits do not depend on the input");
      }
      return direct.asOutput();
    }
    // Glue between the input and the first layers: linear, so the registered gradients are exact.
    List<Operand<TFloat32>> ys = List.copyOf(unrecorded.values());
    Output<?>[] y = new Output<?>[ys.size()];
    Output<?>[] dy = new Output<?>[ys.size()];
    for (int i = 0; i < ys.size(); i++) {
      y[i] = ys.get(i).asOutput();
      dy[i] = grads.get(key(ys.get(i))).asOutput();
    }
    Output<?> bridged = graph.addGradients(prefix + "_glue", y, new Output<?>[] {input.asOutput()},
        dy)[0];
    if (direct == null) {
      return bridged;
    }
    @SuppressWarnings("unchecked")
    Operand<TFloat32> b = (Operand<TFloat32>) (Operand<?>) bridged;
    return tf.math.add(direct, b).asOutput();
  }

  private void backward(LayerOp op, Operand<TFloat32> dOut) {
    switch (op.kind()) {
      case INPUT -> { }
      case CONV -> {
        Operand<TFloat32> x = op.inputs().get(0);
        Operand<TFloat32> dy = op.relu() ? relu(dOut, op.output()) : dOut;
        // Bias-add passes the gradient through unchanged.
        accumulate(x, tf.nn.conv2dBackpropInput(tf.shape(x), op.kernel(), dy,
            List.of(1L, (long) op.stride(), (long) op.stride(), 1L), op.padding()));
      }
      case MAX_POOL -> {
        Operand<TFloat32> x = op.inputs().get(0);
        Operand<TFloat32> d = tf.nn.maxPoolGrad(op.poolInput(), op.output(), dOut,
            tf.constant(new int[] {1, op.window(), op.window(), 1}),
            tf.constant(new int[] {1, op.stride(), op.stride(), 1}), op.padding());
        if (!key(op.poolInput()).equals(key(x))) {
          d = tf.slice(d, tf.constant(new int[] {0, 0, 0, 0}), tf.shape(x));
        }
        accumulate(x, d);
      }
      case CONCAT -> {
        int offset = 0;
        for (Operand<TFloat32> x : op.inputs()) {
          int c = (int) x.shape().size(3);
          accumulate(x, tf.slice(dOut, tf.constant(new int[] {0, 0, 0, offset}),
              tf.constant(new int[] {-1, -1, -1, c})));
          offset += c;
        }
      }
      case GLOBAL_AVERAGE_POOL -> {
        Operand<TFloat32> x = op.inputs().get(0);
        long h = x.shape().size(1);
        long w = x.shape().size(2);
        long c = x.shape().size(3);
        Operand<TFloat32> spread = tf.broadcastTo(
            tf.reshape(dOut, tf.constant(new long[] {-1, 1, 1, c})), tf.shape(x));
        accumulate(x, tf.math.mul(spread, tf.constant(1f / (h * w))));
      }
      case FLATTEN -> {
        Operand<TFloat32> x = op.inputs().get(0);
        accumulate(x, tf.reshape(dOut, tf.shape(x)));
      }
      case DENSE -> {
        Operand<TFloat32> dy = op.relu() ? relu(dOut, op.output()) : dOut;
        accumulate(op.inputs().get(0),
            tf.linalg.matMul(dy, op.kernel(), MatMul.transposeB(true)));
      }
      default -> throw new IllegalStateException("no explicit backward for " + op.kind());
    }
  }

  /** The ReLU rule; {@code y > 0} exactly where the ReLU's input {@code x > 0}. */
  private Operand<TFloat32> relu(Operand<TFloat32> dy, Operand<TFloat32> y) {
    Operand<TFloat32> open = tf.dtypes.cast(tf.math.greater(y, tf.constant(0f)), TFloat32.class);
    return switch (rule) {
      case GUIDED -> tf.math.mul(tf.nn.relu(dy), open);
      case PLAIN -> tf.math.mul(dy, open);
    };
  }

  private void accumulate(Operand<TFloat32> x, Operand<TFloat32> d) {
    grads.merge(key(x), d, (a, b) -> tf.math.add(a, b));
  }

  private static String key(Operand<?> x) {
    Output<?> o = x.asOutput();
    return o.op().name() + ":" + o.index();
  }
}
