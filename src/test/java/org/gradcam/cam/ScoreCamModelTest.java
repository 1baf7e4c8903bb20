package org.gradcam.cam;

import org.gradcam.model.Predictions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.gradcam.image.HeatmapUpsampler;
import org.gradcam.model.ForwardBackward;
import org.gradcam.model.Model;
import org.junit.jupiter.api.Test;

/** Score-CAM through Explainer equals the weights computed here one masked input at a time. */
class ScoreCamModelTest {

  @Test
  void weightsAreTheTargetProbabilityOfEachMaskedInput() {
    try (Model model = GradientFiniteDifferenceTest.smallVgg(7)) {
      float[] image = GradientFiniteDifferenceTest.gauss(new Random(11), 8 * 8 * 3, 1.0);
      int target = 3;
      // Batches of 4 over 6 channels: two scorer runs, the second partial.
      Explanation e = new Explainer(model, "pool", new ScoreCam(4))
          .explain(image, 1, Target.classIndex(target)).get(0);
      ForwardBackward run = model.forwardBackward("pool", image, 1, new int[] {target});
      int h = run.height();
      int w = run.width();
      int k = run.channels();
      float[] a = run.activations();
      double[] weights = new double[k];
      int informative = 0;
      for (int c = 0; c < k; c++) {
        float[] plane = new float[h * w];
        for (int p = 0; p < h * w; p++) {
          plane[p] = a[p * k + c];
        }
        float[] up = HeatmapUpsampler.upsample(plane, h, w, 8, 8);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : up) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
        if (max == min) {
          continue;
        }
        informative++;
        float[] masked = new float[image.length];
        for (int p = 0; p < 64; p++) {
          for (int ch = 0; ch < 3; ch++) {
            masked[p * 3 + ch] = image[p * 3 + ch] * (up[p] - min) / (max - min);
          }
        }
        weights[c] = Predictions.softmax(model.logits(masked, 1), 0, 5)[target];
      }
      assertThat(informative).isGreaterThan(2);
      float[] expected = new float[h * w];
      for (int p = 0; p < h * w; p++) {
        double s = 0;
        for (int c = 0; c < k; c++) {
          s += weights[c] * a[p * k + c];
        }
        expected[p] = (float) Math.max(0, s);
      }
      assertThat(e.targetClass()).isEqualTo(target);
      assertThat(e.heatmap().height()).isEqualTo(4);
      assertThat(e.heatmap().max()).isGreaterThan(0f);
      float[] raw = e.heatmap().raw();
      for (int p = 0; p < raw.length; p++) {
        assertThat(raw[p]).isCloseTo(expected[p], within(1e-5f * Math.max(1f, e.heatmap().max())));
      }
    }
  }

  @Test
  void aClassSetScoresTheSumOfItsProbabilities() {
    try (Model model = GradientFiniteDifferenceTest.smallVgg(7)) {
      float[] image = GradientFiniteDifferenceTest.gauss(new Random(11), 8 * 8 * 3, 1.0);
      // The set's score is the sum of its classes' probabilities, so are its weights.
      Explainer ex = new Explainer(model, "pool", new ScoreCam());
      List<Explanation> set = ex.explain(image, 1, Target.classSet(1, 3));
      float[] one = ex.explain(image, 1, Target.classIndex(1)).get(0).heatmap().raw();
      float[] three = ex.explain(image, 1, Target.classIndex(3)).get(0).heatmap().raw();
      assertThat(set.get(0).targetClass()).isEqualTo(-1);
      float[] raw = set.get(0).heatmap().raw();
      // Weights are probabilities (>= 0) and pool activations follow a ReLU (>= 0), so the map's
      // ReLU never clips and the map is linear in the weights: the set's map is the sum.
      for (int p = 0; p < raw.length; p++) {
        assertThat(raw[p]).isCloseTo(one[p] + three[p], within(1e-5f));
      }
    }
  }
}
