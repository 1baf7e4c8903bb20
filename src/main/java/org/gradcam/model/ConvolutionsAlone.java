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
 * The convolution layers of a model at {@code batch} rows with no other op of the network
 * around them, in one graph and session, so that timing them gives what the convolution kernels
 * alone cost as TensorFlow runs them. Each is built by {@link NetBuilder#conv} with the layer's
 * own kernel, so grappler fuses it with its bias and ReLU as in the model; its input is a
 * variable of random values of the layer's input shape, in cache from one run to the next as the
 * previous layer leaves it in the model; the bias is zero (values do not change the speed).
 * {@link Layer#run} runs one layer, fetching one value of its output; {@link Layer#empty} fetches
 * one value of its input, the same run without the kernel, whose time the caller subtracts;
 * {@link #all} runs every layer in one run.
 */
public final class ConvolutionsAlone implements AutoCloseable {
  /**
   * One convolution layer.
   *
   * @param flops multiplications and additions per image
   */
  public record Layer(String name, double flops, IntSupplier run, IntSupplier empty) {}

  private final Graph graph = new Graph();
  private final List<Layer> layers = new ArrayList<>();
  private Session session;
  private final List<Operand<TFloat32>> outputs = new ArrayList<>();

  /** The model's {@link LayerOp.Kind#CONV} layers; throws if it has none. */
  public ConvolutionsAlone(Model model, int batch) {
    try (NetBuilder b = new NetBuilder(graph)) {
      for (LayerOp op : model.layerOps()) {
        if (op.kind() == LayerOp.Kind.CONV) {
          outputs.add(add(b, model, op, batch));
        }
      }
      if (layers.isEmpty()) {
        throw new IllegalArgumentException(model.name() + " has no convolution layer");
      }
      session = b.weightsSession();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  public List<Layer> layers() {
    return List.copyOf(layers);
  }

  /**
   * Every layer in one run, each output fetched (a target alone would let grappler prune the
   * layers): no layer waits for another, so the executor may run them in any order and two at
   * once, which takes no longer than the layers one after the other in the model. Hands back the
   * number of outputs.
   */
  public int all() {
    try (Result r = allRunner().run()) {
      return r.size();
    }
  }

  /** The runner of {@link #all}, for a test to trace. */
  Session.Runner allRunner() {
    Session.Runner runner = session.runner();
    outputs.forEach(runner::fetch);
    return runner;
  }

  private Operand<TFloat32> add(NetBuilder b, Model model, LayerOp op, int batch) {
    long[] in = op.inputs().get(0).shape().asArray();
    in[0] = batch;
    long[] kernel = op.kernel().shape().asArray();
    long[] out = op.output().shape().asArray();
    Operand<TFloat32> x = b.weight(op.name(), "input", in, random(in, layers.size()));
    Operand<TFloat32> y = b.conv(op.name(), x, model.value(op.kernel()), kernel,
        new float[(int) kernel[3]], op.stride(), op.padding(), op.relu());
    Operand<TFloat32> output = corner(b.ops(), y);
    Operand<TFloat32> input = corner(b.ops(), x);
    double flops = 2.0 * out[1] * out[2] * kernel[0] * kernel[1] * kernel[2] * kernel[3];
    layers.add(new Layer(op.name(), flops, () -> fetch(output), () -> fetch(input)));
    return y;
  }

  private static Operand<TFloat32> corner(Ops tf, Operand<TFloat32> t) {
    return tf.slice(t, tf.constant(new long[] {0, 0, 0, 0}), tf.constant(new long[] {1, 1, 1, 1}));
  }

  private int fetch(Operand<TFloat32> value) {
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

  /** The session before the graph: closing a graph waits for its sessions. */
  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
    graph.close();
  }
}
