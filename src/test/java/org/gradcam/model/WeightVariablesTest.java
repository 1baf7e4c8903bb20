package org.gradcam.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.types.TFloat32;

/**
 * Weights live in variables filled once, not in graph constants (whose first run VGG16 spent
 * minutes optimising): what the graph holds, that batched and lone assignments load every value
 * where it belongs, and that concurrent runs share the variables safely.
 */
class WeightVariablesTest {

  /** The largest constant of a graph, in elements. */
  private static long largestConstant(Graph graph) {
    long largest = 0;
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
      Operation op = it.next();
      if (op.type().equals("Const")) {
        largest = Math.max(largest, op.output(0).shape().size());
      }
    }
    return largest;
  }

  private static int count(Graph graph, String type) {
    int n = 0;
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
      if (it.next().type().equals(type)) {
        n++;
      }
    }
    return n;
  }

  @Test
  void vgg16GraphHoldsNoWeightConstants() {
    try (Model vgg = Vgg16.random(1)) {
      // Kernel and bias of 13 convs and 3 dense layers; constants left: shapes, strides, axes.
      assertThat(count(vgg.graph(), "VarHandleOp")).isEqualTo(32);
      assertThat(largestConstant(vgg.graph())).isLessThanOrEqualTo(8);
    }
  }

  @Test
  void squeezeNetGraphHoldsNoWeightConstants() {
    try (Model squeeze = SqueezeNet11.random(1)) {
      assertThat(count(squeeze.graph(), "VarHandleOp")).isEqualTo(2 * 26);
      assertThat(largestConstant(squeeze.graph())).isLessThanOrEqualTo(8);
    }
  }

  private static float[] values(Random rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return v;
  }

  /**
   * With batches of 9 floats: the 1x1 conv's kernel (6) and bias (2) wait and go together when
   * dense1's kernel (10, large) flushes them before going alone; dense1's bias (5) is flushed
   * the same way by dense2's kernel (20); dense2's bias (4) waits until the model is built.
   * Outputs against the same network computed by hand in double precision.
   */
  @Test
  void batchedAndLoneWeightsGiveTheHandComputedOutput() {
    Random rnd = new Random(3);
    float[] convW = values(rnd, 3 * 2);
    float[] convB = values(rnd, 2);
    float[] d1W = values(rnd, 2 * 5);
    float[] d1B = values(rnd, 5);
    float[] d2W = values(rnd, 5 * 4);
    float[] d2B = values(rnd, 4);
    NetBuilder net = new NetBuilder(new Graph(), 9);
    Operand<TFloat32> x = net.input("x", 1, 1, 3);
    Operand<TFloat32> c = net.conv("conv", x, convW, new long[] {1, 1, 3, 2}, convB, 1, "VALID",
        false);
    Operand<TFloat32> f = net.flatten("flat", c);
    Operand<TFloat32> h = net.dense("dense1", f, d1W, new long[] {2, 5}, d1B, true);
    Operand<TFloat32> y = net.dense("dense2", h, d2W, new long[] {5, 4}, d2B, false);
    try (Model model = net.build("tiny", new ModelSpec(1, false, "conv", (p, hh, w) -> p), x, y)) {
      float[] in = {0.5f, -1.25f, 2f, 1f, 0.25f, -0.75f};
      float[] out = model.logits(in, 2);
      for (int n = 0; n < 2; n++) {
        double[] conv = new double[2];
        for (int o = 0; o < 2; o++) {
          conv[o] = convB[o];
          for (int i = 0; i < 3; i++) {
            conv[o] += in[n * 3 + i] * (double) convW[i * 2 + o];
          }
        }
        double[] hidden = new double[5];
        for (int o = 0; o < 5; o++) {
          hidden[o] = d1B[o];
          for (int i = 0; i < 2; i++) {
            hidden[o] += conv[i] * d1W[i * 5 + o];
          }
          hidden[o] = Math.max(0, hidden[o]);
        }
        for (int o = 0; o < 4; o++) {
          double expected = d2B[o];
          for (int i = 0; i < 5; i++) {
            expected += hidden[i] * d2W[i * 4 + o];
          }
          assertThat((double) out[n * 4 + o]).isCloseTo(expected, within(1e-5));
        }
      }
    }
  }

  /** Several threads running the shared model at once get what one thread gets alone. */
  @Test
  void concurrentRunsAgreeWithSequentialOnes() throws Exception {
    try (Model model = SqueezeNet11.random(2)) {
      int images = 6;
      List<float[]> inputs = new ArrayList<>();
      Random rnd = new Random(4);
      for (int i = 0; i < images; i++) {
        inputs.add(values(rnd, model.spec().inputLength()));
      }
      List<ForwardBackward> sequential = new ArrayList<>();
      for (float[] in : inputs) {
        sequential.add(model.forwardBackward("fire9", in, 1, new int[] {-1}));
      }
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        List<Future<ForwardBackward>> parallel = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
          for (float[] in : inputs) {
            parallel.add(pool.submit(() -> model.forwardBackward("fire9", in, 1, new int[] {-1})));
          }
        }
        for (int i = 0; i < parallel.size(); i++) {
          ForwardBackward got = parallel.get(i).get();
          ForwardBackward want = sequential.get(i % images);
          assertThat(got.targetClasses()).containsExactly(want.targetClasses());
          assertClose(got.logits(), want.logits());
          assertClose(got.gradients(), want.gradients());
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static void assertClose(float[] got, float[] want) {
    assertThat(got).hasSameSizeAs(want);
    for (int i = 0; i < got.length; i++) {
      assertThat(got[i]).isCloseTo(want[i], within(1e-5f + 1e-5f * Math.abs(want[i])));
    }
  }
}
