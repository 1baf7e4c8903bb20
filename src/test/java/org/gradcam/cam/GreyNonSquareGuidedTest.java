package org.gradcam.cam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.gradcam.image.HeatmapUpsampler;
import org.gradcam.model.Model;
import org.gradcam.model.ModelSpec;
import org.gradcam.model.NetBuilder;
import org.gradcam.model.ReluBackward;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Guided Backprop and Guided Grad-CAM on a 1-channel non-square model (NCHW 1 x 5 x 7), which
 * used to need a square 3-channel input: the saliency has the input's height, width and one
 * channel, and the explicit plain rule still equals TensorFlow's own gradients.
 */
class GreyNonSquareGuidedTest {

  /** NCHW 1x5x7 input, transposed to NHWC; conv 3x3 SAME to 3 + ReLU; flatten; dense to 4. */
  static Model greyNet(long seed) {
    Random rnd = new Random(seed);
    Graph graph = new Graph();
    NetBuilder net = new NetBuilder(graph);
    Operand<TFloat32> nchw = net.input("input", 1, 5, 7);
    Operand<TFloat32> x = net.ops().linalg.transpose(nchw,
        net.ops().constant(new int[] {0, 2, 3, 1}));
    x = net.conv("conv1", x, g(rnd, 9 * 3), new long[] {3, 3, 1, 3}, g(rnd, 3), 1, "SAME", true);
    x = net.flatten("flatten", x);
    x = net.dense("logits", x, g(rnd, 5 * 7 * 3 * 4), new long[] {5 * 7 * 3, 4}, g(rnd, 4),
        false);
    return net.build("grey", new ModelSpec(5, 7, 1, true, "conv1", (p, h, w) -> p, 8), nchw, x);
  }

  private static float[] g(Random rnd, int n) {
    float[] out = GradientFiniteDifferenceTest.gauss(rnd, n, 0.6);
    for (int i = 0; i < out.length; i++) {
      out[i] += 0.05f; // keeps enough ReLUs open
    }
    return out;
  }

  @Test
  void saliencyHasTheInputsShapeAndOneChannel() {
    try (Model model = greyNet(4)) {
      Random rnd = new Random(2);
      float[] x = GradientFiniteDifferenceTest.gauss(rnd, 2 * 35, 1.0);
      float[] seed = GradientFiniteDifferenceTest.gauss(rnd, 2 * 4, 1.0);
      GuidedBackpropTest.assertClose(model.inputGradient(x, 2, seed, ReluBackward.PLAIN),
          model.inputGradient(x, 2, seed));

      List<Saliency> s = new GuidedBackprop().explain(model, null, x, 2, Target.classIndex(3));
      assertThat(s).hasSize(2);
      float[] oneHot = new float[2 * 4];
      oneHot[3] = 1;
      oneHot[4 + 3] = 1;
      float[] guided = model.inputGradient(x, 2, oneHot, ReluBackward.GUIDED);
      for (int i = 0; i < 2; i++) {
        assertThat(s.get(i).height()).isEqualTo(5);
        assertThat(s.get(i).width()).isEqualTo(7);
        assertThat(s.get(i).channels()).isEqualTo(1);
        // One channel: HWC and CHW are the same order.
        assertThat(s.get(i).values()).containsExactly(
            java.util.Arrays.copyOfRange(guided, i * 35, (i + 1) * 35));
      }

      // Guided Grad-CAM: the guided saliency times the Grad-CAM map upsampled to 5x7.
      List<Saliency> gg = new GuidedGradCam().explain(model, "conv1", x, 2, Target.classIndex(3));
      List<Explanation> cams = new Explainer(model, "conv1", new GradCam())
          .explain(x, 2, Target.classIndex(3));
      for (int i = 0; i < 2; i++) {
        Heatmap h = cams.get(i).heatmap();
        float[] up = HeatmapUpsampler.upsample(h.normalized(), h.height(), h.width(), 5, 7);
        for (int p = 0; p < 35; p++) {
          assertThat(gg.get(i).values()[p]).isEqualTo(s.get(i).values()[p] * up[p]);
        }
      }
    }
  }

  @Test
  void scoreCamRunsOnTheGreyNonSquareInput() {
    try (Model model = greyNet(5)) {
      float[] x = GradientFiniteDifferenceTest.gauss(new Random(8), 35, 1.0);
      Explanation e = new Explainer(model, "conv1", new ScoreCam()).explain(x, 1,
          Target.classIndex(1)).get(0);
      assertThat(e.heatmap().height()).isEqualTo(5);
      assertThat(e.heatmap().width()).isEqualTo(7);
      // Score-CAM weights are softmax probabilities of masked inputs: in [0, 1], one per channel.
      float[][] fwd = model.forward("conv1", x, 1);
      float[] w = new ScoreCam().channelWeights(new FeatureMaps(5, 7, 3, fwd[1]),
          new PerturbationCam.Input(x, 5, 7, 1, true, (in, m) -> {
            float[] logits = model.logits(in, m);
            float[] out = new float[m];
            for (int j = 0; j < m; j++) {
              out[j] = (float) org.gradcam.model.Predictions.softmax(logits, j * 4, 4)[1];
            }
            return out;
          }, 8));
      assertThat(w).hasSize(3);
      for (float v : w) {
        assertThat(v).isBetween(0f, 1f);
      }
    }
  }
}
