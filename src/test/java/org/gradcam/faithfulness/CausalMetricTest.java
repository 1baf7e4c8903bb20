package org.gradcam.faithfulness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.gradcam.faithfulness.CausalMetric.Mode;
import org.gradcam.model.Model;
import org.gradcam.model.ModelSpec;
import org.gradcam.model.NetBuilder;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

class CausalMetricTest {
  /** Pixels 0..3 of a 2x2 picture (raster order); the map ranks 1 > 0 > 3 > 2. */
  static final float[] SALIENCY = {0.5f, 0.9f, 0.1f, 0.2f};
  /** Red 1 everywhere, green and blue 0. */
  static final float[] RED = {1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0};

  /**
   * A 2x2 RGB linear classifier with identity preprocessing and two classes: logit0 = sum over
   * pixels of w[p] * red(p), logit1 = 0, so P(class 0) = sigmoid(logit0).
   */
  static Model linear(float[] redWeights, float bias0) {
    Graph graph = new Graph();
    NetBuilder net = new NetBuilder(graph);
    Operand<TFloat32> in = net.input("input", 2, 2, 3);
    Operand<TFloat32> x = net.flatten("flatten", in);
    float[] kernel = new float[12 * 2]; // [in = (y*2+x)*3+c, out]
    for (int p = 0; p < 4; p++) {
      kernel[(p * 3) * 2] = redWeights[p];
    }
    x = net.dense("logits", x, kernel, new long[] {12, 2}, new float[] {bias0, 0}, false);
    return net.build("linear", new ModelSpec(2, false, "flatten", (px, h, w) -> px.clone()), in, x);
  }

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  @Test
  void deletionCurveByHand() {
    try (Model model = linear(new float[] {1, 2, 0, 0}, 0)) {
      CausalMetric deletion = new CausalMetric(Mode.DELETION, 4, Substrate.inputZero(), 15);
      Curve c = deletion.run(model, RED, SALIENCY, new int[] {0});
      // Identity preprocessing: the zero input is black. Pixel 1 (weight 2) goes first, then
      // pixel 0 (weight 1), then the weightless ones.
      double[] want = {sigmoid(3), sigmoid(1), 0.5, 0.5, 0.5};
      assertThat(c.fractions()).containsExactly(0, 0.25, 0.5, 0.75, 1);
      assertThat(c.probabilities()).hasSize(5);
      for (int i = 0; i < 5; i++) {
        assertThat(c.probabilities()[i]).as("point %d", i).isCloseTo(want[i], within(1e-6));
      }
      double auc = 0.25 * ((want[0] + want[1]) / 2 + (want[1] + want[2]) / 2 + 0.5 + 0.5);
      assertThat(c.auc()).isCloseTo(auc, within(1e-6));
    }
  }

  @Test
  void insertionCurveByHandWithUnevenSteps() {
    try (Model model = linear(new float[] {1, 2, 0, 0}, 0)) {
      CausalMetric insertion = new CausalMetric(Mode.INSERTION, 3, Substrate.constant(0, 0, 0), 2);
      Curve c = insertion.run(model, RED, SALIENCY, new int[] {0});
      // floor(i * 4 / 3) pixels revealed: 0, 1, 2, 4.
      assertThat(c.fractions()).containsExactly(0, 0.25, 0.5, 1);
      double[] want = {0.5, sigmoid(2), sigmoid(3), sigmoid(3)};
      for (int i = 0; i < 4; i++) {
        assertThat(c.probabilities()[i]).as("point %d", i).isCloseTo(want[i], within(1e-6));
      }
      double auc = 0.25 * (want[0] + want[1]) / 2 + 0.25 * (want[1] + want[2]) / 2
          + 0.5 * (want[2] + want[3]) / 2;
      assertThat(c.auc()).isCloseTo(auc, within(1e-6));
    }
  }

  @Test
  void tiesAreTakenInRasterOrder() {
    assertThat(CausalMetric.descendingOrder(new float[] {0, 3, 0, 3, -0f, 1}))
        .containsExactly(1, 3, 5, 0, 2, 4);
    assertThatThrownBy(() -> CausalMetric.descendingOrder(new float[] {Float.NaN}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constantModelGivesAConstantCurveWhoseAucIsThatConstant() {
    try (Model model = linear(new float[] {0, 0, 0, 0}, 1.5f)) {
      for (CausalMetric m : new CausalMetric[] {CausalMetric.deletion().withSteps(4),
          CausalMetric.insertion().withSteps(4)}) {
        Curve c = m.run(model, RED, SALIENCY, new int[] {0});
        assertThat(c.auc()).isCloseTo(sigmoid(1.5), within(1e-6));
      }
      // Summing both classes' probabilities always gives 1.
      Curve both = CausalMetric.deletion().withSteps(4).run(model, RED, SALIENCY, new int[] {0, 1});
      assertThat(both.auc()).isCloseTo(1.0, within(1e-6));
    }
  }

  @Test
  void curvesHaveStepsPlusOnePointsEndingAtTheFinishedPicture() {
    try (Model model = linear(new float[] {0.7f, -1.3f, 0.4f, 2.1f}, 0.2f)) {
      float[] picture = random(12, 3);
      float[] saliency = random(4, 4);
      for (int steps : new int[] {1, 2, 3, 4}) {
        Curve del = CausalMetric.deletion().withSteps(steps).run(model, picture, saliency,
            new int[] {0});
        Curve ins = CausalMetric.insertion().withSteps(steps).run(model, picture, saliency,
            new int[] {0});
        assertThat(del.probabilities()).hasSize(steps + 1);
        assertThat(ins.fractions()).hasSize(steps + 1);
        double original = probability(model, picture);
        float[] zero = Substrate.inputZero().of(picture, 2, 2, model.spec().preprocessor());
        float[] blurred = Substrate.riseBlur().of(picture, 2, 2, model.spec().preprocessor());
        assertThat(del.probabilities()[0]).isCloseTo(original, within(1e-6));
        assertThat(del.probabilities()[steps]).isCloseTo(probability(model, zero), within(1e-6));
        assertThat(ins.probabilities()[0]).isCloseTo(probability(model, blurred), within(1e-6));
        assertThat(ins.probabilities()[steps]).isCloseTo(original, within(1e-6));
      }
    }
  }

  @Test
  void batchSizeDoesNotChangeTheCurve() {
    try (Model model = linear(new float[] {0.7f, -1.3f, 0.4f, 2.1f}, 0.2f)) {
      float[] picture = random(12, 5);
      float[] saliency = random(4, 6);
      for (CausalMetric m : new CausalMetric[] {CausalMetric.deletion(), CausalMetric.insertion()}) {
        m = m.withSteps(4);
        Curve one = m.withBatchSize(1).run(model, picture, saliency, new int[] {0});
        Curve two = m.withBatchSize(2).run(model, picture, saliency, new int[] {0});
        Curve all = m.withBatchSize(5).run(model, picture, saliency, new int[] {0});
        for (int i = 0; i < 5; i++) {
          assertThat(two.probabilities()[i]).isCloseTo(one.probabilities()[i], within(1e-7));
          assertThat(all.probabilities()[i]).isCloseTo(one.probabilities()[i], within(1e-7));
        }
      }
    }
  }

  @Test
  void rejectsMismatchedInputs() {
    try (Model model = linear(new float[] {1, 2, 0, 0}, 0)) {
      CausalMetric m = CausalMetric.deletion();
      assertThatThrownBy(() -> m.run(model, RED, new float[3], new int[] {0}))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> m.run(model, RED, SALIENCY, new int[] {2}))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> m.withSteps(0)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  static double probability(Model model, float[] picture) {
    float[] logits = model.logits(model.spec().preprocessor().apply(picture, 2, 2), 1);
    return org.gradcam.model.Predictions.softmax(logits, 0, 2)[0];
  }

  static float[] random(int n, long seed) {
    Random rnd = new Random(seed);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = rnd.nextFloat() * 255;
    }
    return out;
  }
}
