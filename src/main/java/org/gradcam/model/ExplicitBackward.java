package org.gradcam.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.BroadcastGradientArgs;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Builds, into a model's graph, the backward pass from a seed on the logits to the input, op by
 * op over the graph itself: every op on a float path from the input to the logits, in reverse
 * order, with a chosen rule at the rectifiers. TF Java cannot override the gradient registered
 * for Relu, so the pass is written out. Each op gets its own registered gradient ({@link
 * Graph#addGradients} from its outputs to its inputs, seeded with the gradient of its outputs),
 * except, with {@link ReluBackward#GUIDED}, Relu and Relu6, and the sums and products whose inputs
 * depend on each other (residual connections, x * sigmoid(x)): there addGradients would also
 * follow the path from one input to the other, so their local gradient is written here. With
 * {@link ReluBackward#PLAIN} the result therefore equals {@link Graph#addGradients} of the whole.
 *
 * <p>Derived from the graph rather than from a record of layers, the pass covers every model the
 * same way (built-in, ONNX, Keras) and cannot miss a layer.
 */
final class ExplicitBackward {
  private final Graph graph;
  private final Ops tf;
  private final String prefix;
  private final ReluBackward rule;
  private final Map<Output<?>, Operand<TFloat32>> grads = new HashMap<>();
  private Set<GraphOperation> onPath;
  private int registered;

  private ExplicitBackward(Graph graph, Ops tf, String prefix, ReluBackward rule) {
    this.graph = graph;
    this.tf = tf;
    this.prefix = prefix;
    this.rule = rule;
  }

  /** The gradient of {@code sum(seed * logits)} with respect to {@code input}. */
  static Output<?> build(Graph graph, Ops tf, String prefix, Operand<TFloat32> logits,
      Operand<TFloat32> input, Operand<TFloat32> seed, ReluBackward rule) {
    return new ExplicitBackward(graph, tf, prefix, rule).run(logits, input, seed);
  }

  private Output<?> run(Operand<TFloat32> logits, Operand<TFloat32> input,
      Operand<TFloat32> seed) {
    GraphOperation in = (GraphOperation) input.op();
    List<GraphOperation> order = new ArrayList<>();
    onPath = new HashSet<>();
    sort((GraphOperation) logits.op(), downstream(in), new HashSet<>(), order);
    onPath.addAll(order);
    if (!onPath.contains(in)) {
      throw new IllegalStateException("the logits do not depend on the input");
    }
    accumulate(logits.asOutput(), seed);
    for (int i = order.size() - 1; i >= 0; i--) {
      if (!order.get(i).equals(in)) {
        backward(order.get(i));
      }
    }
    return grads.get(input.asOutput()).asOutput();
  }

  /** Every op a float output of {@code from} reaches. */
  private static Set<GraphOperation> downstream(GraphOperation from) {
    Set<GraphOperation> seen = new HashSet<>(List.of(from));
    List<GraphOperation> todo = new ArrayList<>(List.of(from));
    while (!todo.isEmpty()) {
      GraphOperation op = todo.remove(todo.size() - 1);
      for (int i = 0; i < op.numOutputs(); i++) {
        if (op.output(i).dataType() == DataType.DT_FLOAT) {
          for (GraphOperation c : op.consumers(i)) {
            if (seen.add(c)) {
              todo.add(c);
            }
          }
        }
      }
    }
    return seen;
  }

  /** The ops of {@code reach} that {@code op} depends on, itself last, inputs before consumers. */
  private static void sort(GraphOperation op, Set<GraphOperation> reach, Set<GraphOperation> done,
      List<GraphOperation> order) {
    if (!reach.contains(op) || !done.add(op)) {
      return;
    }
    for (Operand<?> x : op.inputs()) {
      sort((GraphOperation) x.op(), reach, done, order);
    }
    order.add(op);
  }

  private void backward(GraphOperation op) {
    List<Output<?>> ys = new ArrayList<>();
    List<Operand<TFloat32>> dys = new ArrayList<>();
    for (int i = 0; i < op.numOutputs(); i++) {
      Operand<TFloat32> d = grads.get(op.output(i));
      if (d != null) {
        ys.add(op.output(i));
        dys.add(d);
      }
    }
    if (ys.isEmpty()) {
      return; // e.g. a float output only an int op uses
    }
    // The distinct inputs a gradient flows to, in input order (Add(x, x) has one).
    Map<Output<?>, Integer> xs = new LinkedHashMap<>();
    List<Operand<?>> inputs = op.inputs();
    for (int j = 0; j < inputs.size(); j++) {
      Output<?> x = inputs.get(j).asOutput();
      if (x.dataType() == DataType.DT_FLOAT && onPath.contains((GraphOperation) x.op())) {
        xs.putIfAbsent(x, j);
      }
    }
    if (xs.isEmpty()) {
      return; // its float inputs are off the path, e.g. a shape computed from the input
    }
    String type = op.type();
    if (rule == ReluBackward.GUIDED && (type.equals("Relu") || type.equals("Relu6"))) {
      accumulate(first(xs), guided(dys.get(0), float32(op.output(0)), type.equals("Relu6")));
    } else if (xs.size() > 1 && dependent(xs.keySet())) {
      local(op, type, dys.get(0), xs);
    } else {
      Output<?>[] x = xs.keySet().toArray(new Output<?>[0]);
      Output<?>[] dx = graph.addGradients(prefix + "_" + registered++,
          ys.toArray(new Output<?>[0]), x, dys.stream().map(Operand::asOutput)
              .toArray(Output<?>[]::new));
      for (int j = 0; j < x.length; j++) {
        if (dx[j] != null) {
          accumulate(x[j], float32(dx[j]));
        }
      }
    }
  }

  /** {@code relu(dy)} where the rectifier passes its input: {@code 0 < y} (and {@code y < 6}). */
  private Operand<TFloat32> guided(Operand<TFloat32> dy, Operand<TFloat32> y, boolean six) {
    Operand<TFloat32> open = tf.dtypes.cast(tf.math.greater(y, tf.constant(0f)), TFloat32.class);
    if (six) {
      open = tf.math.mul(open,
          tf.dtypes.cast(tf.math.less(y, tf.constant(6f)), TFloat32.class));
    }
    return tf.math.mul(tf.nn.relu(dy), open);
  }

  /** Whether one of {@code xs} is computed from another. */
  private boolean dependent(Set<Output<?>> xs) {
    for (Output<?> a : xs) {
      for (Output<?> b : xs) {
        if (!a.equals(b) && dependsOn((GraphOperation) a.op(), (GraphOperation) b.op(),
            new HashSet<>())) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean dependsOn(GraphOperation op, GraphOperation on, Set<GraphOperation> seen) {
    if (op.equals(on)) {
      return true;
    }
    if (!onPath.contains(op) || !seen.add(op)) {
      return false;
    }
    for (Operand<?> x : op.inputs()) {
      if (dependsOn((GraphOperation) x.op(), on, seen)) {
        return true;
      }
    }
    return false;
  }

  /** The local gradient of an op whose inputs are related (a residual add, x * f(x), ...). */
  private void local(GraphOperation op, String type, Operand<TFloat32> dy,
      Map<Output<?>, Integer> xs) {
    List<Operand<?>> in = op.inputs();
    for (Map.Entry<Output<?>, Integer> e : xs.entrySet()) {
      Operand<TFloat32> x = float32(e.getKey());
      int j = e.getValue();
      Operand<TFloat32> d;
      switch (type) {
        case "Add", "AddV2" -> d = reduceTo(dy, x, float32(in.get(1 - j)));
        case "Sub" -> d = reduceTo(j == 0 ? dy : tf.math.neg(dy), x, float32(in.get(1 - j)));
        case "Mul" -> d = reduceTo(tf.math.mul(dy, float32(in.get(1 - j))), x,
            float32(in.get(1 - j)));
        case "ConcatV2" -> d = concatPart(op, dy, j);
        case "Select", "SelectV2" -> { // e.g. Keras' LeakyReLU: select(x > 0, x, alpha * x)
          Operand<TBool> cond = bool(in.get(0));
          Operand<TFloat32> zero = tf.zerosLike(dy);
          d = reduceTo(j == 1 ? tf.select(cond, dy, zero) : tf.select(cond, zero, dy), x,
              float32(in.get(3 - j)));
        }
        case "Maximum", "Minimum" -> { // ties go to the first input, as TF's own gradient
          Operand<TFloat32> a = float32(in.get(0));
          Operand<TFloat32> b = float32(in.get(1));
          Operand<TBool> first = type.equals("Maximum") ? tf.math.greaterEqual(a, b)
              : tf.math.lessEqual(a, b);
          Operand<TFloat32> zero = tf.zerosLike(dy);
          d = reduceTo(j == 0 ? tf.select(first, dy, zero) : tf.select(first, zero, dy), x,
              float32(in.get(1 - j)));
        }
        default -> throw new IllegalStateException("explicit backward pass: op " + op.name() + " ("
            + type + ") takes inputs that depend on each other, and no local gradient for "
            + type + " is written out");
      }
      accumulate(x.asOutput(), d);
    }
  }

  /** {@code g} summed over the axes along which {@code x} was broadcast against {@code other}. */
  private Operand<TFloat32> reduceTo(Operand<TFloat32> g, Operand<TFloat32> x,
      Operand<TFloat32> other) {
    if (java.util.Arrays.equals(x.shape().asArray(), other.shape().asArray())
        && !x.shape().isUnknown()) {
      return g;
    }
    BroadcastGradientArgs<TInt32> axes = tf.broadcastGradientArgs(tf.shape(x), tf.shape(other));
    return tf.reshape(tf.sum(g, axes.r0()), tf.shape(x));
  }

  /** The part of {@code dy} that input {@code j} of a ConcatV2 contributed. */
  private Operand<TFloat32> concatPart(GraphOperation op, Operand<TFloat32> dy, int j) {
    List<Operand<?>> in = op.inputs();
    GraphOperation axisOp = (GraphOperation) in.get(in.size() - 1).op();
    if (!axisOp.type().equals("Const")) {
      throw new IllegalStateException("explicit backward pass: the axis of concat " + op.name()
          + " is not a constant");
    }
    int rank = dy.shape().numDimensions();
    int axis;
    try (Tensor t = axisOp.attributes().getAttrTensor("value")) {
      var data = t.asRawTensor().data(); // the attribute comes back as a raw tensor
      axis = t.dataType() == DataType.DT_INT64 ? (int) data.asLongs().getLong(0)
          : data.asInts().getInt(0);
    }
    axis = axis < 0 ? axis + rank : axis;
    int offset = 0;
    for (int k = 0; k < j; k++) {
      offset += (int) in.get(k).shape().size(axis);
    }
    int[] begin = new int[rank];
    int[] size = new int[rank];
    java.util.Arrays.fill(size, -1);
    begin[axis] = offset;
    size[axis] = (int) in.get(j).shape().size(axis);
    return tf.slice(dy, tf.constant(begin), tf.constant(size));
  }

  private static Output<?> first(Map<Output<?>, Integer> xs) {
    return xs.keySet().iterator().next();
  }

  @SuppressWarnings("unchecked")
  private static Operand<TBool> bool(Operand<?> x) {
    return (Operand<TBool>) x;
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> float32(Operand<?> x) {
    return (Operand<TFloat32>) x;
  }

  private void accumulate(Output<?> x, Operand<TFloat32> d) {
    grads.merge(x, d, (a, b) -> tf.math.add(a, b));
  }
}
