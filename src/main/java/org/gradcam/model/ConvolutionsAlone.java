package org.gradcam.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.IntSupplier;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
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
 * {@link #forward} runs every layer in one run. A Grad-CAM at the model's default layer also
 * runs the input gradient of every convolution after that layer (Conv2DBackpropInput, as {@link
 * Graph#addGradients} builds it), so each of those has its backward convolution here too, its
 * output gradient a variable of random values: {@link #gradCam} runs them with the forward ones.
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
  private final List<Operand<TFloat32>> forward = new ArrayList<>();
  private final List<Operand<TFloat32>> backward = new ArrayList<>();

  /** The model's {@link LayerOp.Kind#CONV} layers; throws if it has none. */
  public ConvolutionsAlone(Model model, int batch) {
    // The outputs that depend on the default layer's (layerOps are in build order, inputs first).
    Set<Output<?>> afterTarget = new HashSet<>();
    try (NetBuilder b = new NetBuilder(graph)) {
      for (LayerOp op : model.layerOps()) {
        boolean after = op.inputs().stream().anyMatch(x -> afterTarget.contains(x.asOutput()));
        if (after || op.name().equals(model.defaultLayer())) {
          afterTarget.add(op.output().asOutput());
        }
        if (op.kind() == LayerOp.Kind.CONV) {
          LayerOp built = add(b, model, op, batch);
          forward.add(built.output());
          if (after) {
            backward.add(addBackward(b, built));
          }
        }
      }
      if (layers.isEmpty()) {
        throw new IllegalArgumentException(model.name() + " has no convolution layer");
      }
      if (afterTarget.isEmpty()) {
        throw new IllegalArgumentException(model.name() + " has no layer "
            + model.defaultLayer());
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

  /** The number of backward convolutions {@link #gradCam} runs besides the forward ones. */
  public int backwardLayers() {
    return backward.size();
  }

  /**
   * Every layer in one run, each output fetched (a target alone would let grappler prune the
   * layers): no layer waits for another, so the executor may run them in any order and two at
   * once, which takes no longer than the layers one after the other in the model. Hands back the
   * number of outputs.
   */
  public int forward() {
    return run(forwardRunner());
  }

  /** As {@link #forward}, with the backward convolutions of a Grad-CAM at the default layer. */
  public int gradCam() {
    return run(gradCamRunner());
  }

  /** The runner of {@link #forward}, for a test to trace. */
  Session.Runner forwardRunner() {
    Session.Runner runner = session.runner();
    forward.forEach(runner::fetch);
    return runner;
  }

  /** The runner of {@link #gradCam}, for a test to trace. */
  Session.Runner gradCamRunner() {
    Session.Runner runner = forwardRunner();
    backward.forEach(runner::fetch);
    return runner;
  }

  private static int run(Session.Runner runner) {
    try (Result r = runner.run()) {
      return r.size();
    }
  }

  /** The layer's convolution at {@code batch} rows, as {@code b} recorded it in this graph. */
  private LayerOp add(NetBuilder b, Model model, LayerOp op, int batch) {
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
    List<LayerOp> built = b.layerOps();
    return built.get(built.size() - 1);
  }

  /**
   * The input gradient of a convolution {@link #add} built, with its kernel variable, from a
   * random gradient of its output.
   */
  private Operand<TFloat32> addBackward(NetBuilder b, LayerOp conv) {
    long[] in = conv.inputs().get(0).shape().asArray();
    long[] out = conv.output().shape().asArray();
    Ops tf = b.ops();
    Operand<TFloat32> dy = b.weight(conv.name(), "output_gradient", out,
        random(out, -1 - backward.size()));
    long stride = conv.stride();
    return tf.nn.conv2dBackpropInput(tf.constant(Arrays.stream(in).mapToInt(Math::toIntExact)
        .toArray()), conv.kernel(), dy, List.of(1L, stride, stride, 1L), conv.padding());
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
