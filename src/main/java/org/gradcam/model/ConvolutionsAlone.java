package org.gradcam.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntSupplier;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Each convolution layer of a model in a graph and session of its own at {@code batch} rows,
 * so that timing them gives what the convolution kernels alone cost, as TensorFlow runs them,
 * with no other op of the network around them. Each is built by {@link NetBuilder#conv} with the
 * layer's own kernel, so grappler fuses it with its bias and ReLU as in the model; its input is a
 * variable of random values of the layer's input shape, in cache from one run to the next as the
 * previous layer leaves it in the model; the bias is zero (values do not change the speed).
 * {@link Layer#run} fetches one value of the output, {@link Layer#empty} one value of the input:
 * the same run without the kernel, whose time the caller subtracts.
 */
public final class ConvolutionsAlone implements AutoCloseable {
  /**
   * One convolution layer.
   *
   * @param flops multiplications and additions per image
   */
  public record Layer(String name, double flops, IntSupplier run, IntSupplier empty) {}

  private final List<Graph> graphs = new ArrayList<>();
  private final List<Session> sessions = new ArrayList<>();
  private final List<Layer> layers = new ArrayList<>();

  /** The model's {@link LayerOp.Kind#CONV} layers; throws if it has none. */
  public ConvolutionsAlone(Model model, int batch) {
    try {
      for (LayerOp op : model.layerOps()) {
        if (op.kind() == LayerOp.Kind.CONV) {
          add(model, op, batch);
        }
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    if (layers.isEmpty()) {
      close();
      throw new IllegalArgumentException(model.name() + " has no convolution layer");
    }
  }

  public List<Layer> layers() {
    return List.copyOf(layers);
  }

  private void add(Model model, LayerOp op, int batch) {
    long[] in = op.inputs().get(0).shape().asArray();
    in[0] = batch;
    long[] kernel = op.kernel().shape().asArray();
    long[] out = op.output().shape().asArray();
    Graph graph = new Graph();
    graphs.add(graph);
    Operand<TFloat32> y;
    Operand<TFloat32> x;
    try (NetBuilder b = new NetBuilder(graph)) {
      x = b.weight(op.name(), "input", in, random(in, layers.size()));
      y = b.conv(op.name(), x, model.value(op.kernel()), kernel, new float[(int) kernel[3]],
          op.stride(), op.padding(), op.relu());
      sessions.add(b.weightsSession());
    }
    Session session = sessions.get(sessions.size() - 1);
    Ops tf = Ops.create(graph);
    Operand<TFloat32> output = corner(tf, y);
    Operand<TFloat32> input = corner(tf, x);
    double flops = 2.0 * out[1] * out[2] * kernel[0] * kernel[1] * kernel[2] * kernel[3];
    layers.add(new Layer(op.name(), flops, () -> fetch(session, output),
        () -> fetch(session, input)));
  }

  private static Operand<TFloat32> corner(Ops tf, Operand<TFloat32> t) {
    return tf.slice(t, tf.constant(new long[] {0, 0, 0, 0}), tf.constant(new long[] {1, 1, 1, 1}));
  }

  private static int fetch(Session session, Operand<TFloat32> value) {
    try (Result r = session.runner().fetch(value).run()) {
      return (int) r.get(0).shape().size();
    }
  }

  private static float[] random(long[] shape, long seed) {
    long size = 1;
    for (long d : shape) {
      size *= d;
    }
    Random rnd = new Random(seed);
    float[] x = new float[Math.toIntExact(size)];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    return x;
  }

  @Override
  public void close() {
    sessions.forEach(Session::close);
    graphs.forEach(Graph::close);
  }
}
