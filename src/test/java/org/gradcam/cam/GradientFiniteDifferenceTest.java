package org.gradcam.cam;

import org.gradcam.model.Predictions;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.gradcam.model.ForwardBackward;
import org.gradcam.model.Model;
import org.gradcam.model.ModelSpec;
import org.gradcam.model.NetBuilder;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The graph-mode gradient equals central finite differences of the logit. */
class GradientFiniteDifferenceTest {

  /** A small VGG-style net: conv-relu, conv-relu, max-pool, flatten, dense-relu, dense logits. */
  static Model smallVgg(long seed) {
    Random rnd = new Random(seed);
    Graph graph = new Graph();
    NetBuilder net = new NetBuilder(graph);
    Operand<TFloat32> in = net.input("input", 8, 8, 3);
    Operand<TFloat32> x = net.conv("conv1", in, gauss(rnd, 3 * 3 * 3 * 4, 0.5), new long[] {3, 3, 3, 4},
        gauss(rnd, 4, 0.1), 1, "SAME", true);
    x = net.conv("conv2", x, gauss(rnd, 3 * 3 * 4 * 6, 0.4), new long[] {3, 3, 4, 6},
        gauss(rnd, 6, 0.1), 1, "SAME", true);
    x = net.maxPool("pool", x, 2, 2, false);
    x = net.flatten("flatten", x);
    x = net.dense("fc", x, gauss(rnd, 96 * 10, 0.3), new long[] {96, 10}, gauss(rnd, 10, 0.1), true);
    x = net.dense("logits", x, gauss(rnd, 10 * 5, 0.5), new long[] {10, 5}, gauss(rnd, 5, 0.1), false);
    return net.build("small-vgg", new ModelSpec(8, false, "conv2", (p, h, w) -> p), in, x);
  }

  static float[] gauss(Random rnd, int n, double scale) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (rnd.nextGaussian() * scale);
    }
    return out;
  }

  @Test
  void gradientMatchesCentralDifferences() {
    try (Model model = smallVgg(7)) {
      float[] image = gauss(new Random(11), 8 * 8 * 3, 1.0);
      int target = 2;
      ForwardBackward run = model.forwardBackward("conv2", image, 1, new int[] {target});
      float[] a = run.activations();
      float[] g = run.gradients();
      assertThat(a).hasSize(8 * 8 * 6);
      double eps = 1e-2;
      int checked = 0;
      int nonZero = 0;
      for (int i = 0; i < a.length; i += 3) {
        float[] plus = a.clone();
        float[] minus = a.clone();
        plus[i] += eps;
        minus[i] -= eps;
        double fd = (model.logitsFromLayer("conv2", plus, 1)[target]
            - model.logitsFromLayer("conv2", minus, 1)[target]) / (2 * eps);
        assertThat((double) g[i]).as("d logit / d a[%d]", i).isCloseTo(fd,
            org.assertj.core.data.Offset.offset(2e-3 + 1e-2 * Math.abs(fd)));
        checked++;
        if (Math.abs(fd) > 1e-3) {
          nonZero++;
        }
      }
      assertThat(checked).isGreaterThan(100);
      assertThat(nonZero).as("enough non-trivial gradient entries").isGreaterThan(20);
    }
  }

  @Test
  void topOneTargetIsChosenInsideTheGraph() {
    try (Model model = smallVgg(3)) {
      float[] image = gauss(new Random(5), 8 * 8 * 3, 1.0);
      float[] logits = model.logits(image, 1);
      int best = Predictions.topIndices(logits, 0, 5, 1)[0];
      ForwardBackward top = model.forwardBackward("conv2", image, 1, new int[] {-1});
      ForwardBackward explicit = model.forwardBackward("conv2", image, 1, new int[] {best});
      assertThat(top.targetClasses()).containsExactly(best);
      assertThat(top.gradients()).containsExactly(explicit.gradients());
    }
  }
}
