package org.gradcam.cam;

import org.gradcam.model.Predictions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.stream.Stream;
import org.gradcam.model.Model;
import org.gradcam.model.ReluBackward;
import org.gradcam.model.SqueezeNet11;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Invariants of every method on the real SqueezeNet 1.1 and its reference inputs. */
class CamMethodsSqueezeNetTest {
  static Model squeezenet;
  static float[][] inputs;

  @BeforeAll
  static void load() throws Exception {
    squeezenet = SqueezeNet11.load(GradCamTest.MIRROR.resolve("weights"));
    inputs = GradCamTest.referenceInputs();
  }

  @AfterAll
  static void close() {
    squeezenet.close();
  }

  /** All but Score-CAM, 512 masked forward passes per image: one image below. */
  static Stream<String> gradientMethods() {
    return CamMethods.names().stream().filter(name -> !name.equals("scorecam"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gradientMethods")
  void everyGradientMethodGivesANonNegativeNonZero13x13Map(String name) {
    Explainer explainer = new Explainer(squeezenet, SqueezeNet11.DEFAULT_LAYER,
        CamMethods.byName(name));
    for (float[] input : inputs) {
      Heatmap map = explainer.explain(input, 1, Target.top1()).get(0).heatmap();
      if (name.equals("counterfactual")) {
        assertNonNegative(name, map); // may be all zero: nothing speaks against the top class
      } else {
        assertValid(name, map);
      }
    }
  }

  @Test
  void counterfactualIsTheNegativePartOfGradCamAndFindsEvidenceAgainstLowerClasses() {
    // For the top classes of SqueezeNet nothing at fire9 speaks against them (Grad-CAM's
    // weighted sum is positive everywhere), so the counterfactual map is all zero; for classes
    // ranked around 100 it mostly is not.
    var model = squeezenet;
    Explainer counter = new Explainer(model, "fire9", new CounterfactualGradCam());
    Explainer grad = new Explainer(model, "fire9", new GradCam());
    for (float[] input : inputs) {
      int[] order = Predictions.topIndices(model.logits(input, 1), 0, 1000, 120);
      int nonZero = 0;
      for (int rank = 100; rank < 120; rank++) {
        Heatmap against = counter.explain(input, 1, Target.classIndex(order[rank])).get(0)
            .heatmap();
        assertNonNegative("counterfactual", against);
        nonZero += against.max() > 0 ? 1 : 0;
        // The same weights negated: where one map is positive the other is zero.
        Heatmap evidence = grad.explain(input, 1, Target.classIndex(order[rank])).get(0)
            .heatmap();
        for (int p = 0; p < 169; p++) {
          assertThat(Math.min(against.raw()[p], evidence.raw()[p])).isEqualTo(0f);
        }
      }
      assertThat(nonZero).as("classes ranked 100..119 with evidence against them").isPositive();
    }
  }

  @Test
  void scoreCamOnOneReferenceInput() {
    Explainer explainer = new Explainer(squeezenet, SqueezeNet11.DEFAULT_LAYER,
        new ScoreCam());
    Explanation e = explainer.explain(inputs[0], 1, Target.top1()).get(0);
    assertValid("scorecam", e.heatmap());
    int top = Predictions.topIndices(e.logits(), 0, 1000, 1)[0];
    assertThat(e.targetClass()).isEqualTo(top);
  }

  @Test
  void guidedBackpropOnSqueezeNet() {
    var model = squeezenet;
    float[] x = inputs[1];
    int top = Predictions.topIndices(model.logits(x, 1), 0, 1000, 1)[0];
    float[] seed = new float[1000];
    seed[top] = 1f;
    // The explicit pass (through Fire concats, ceil-mode pools and the NCHW transpose) with the
    // plain ReLU rule is automatic differentiation.
    GuidedBackpropTest.assertClose(model.inputGradient(x, 1, seed, ReluBackward.PLAIN),
        model.inputGradient(x, 1, seed));
    List<Saliency> gb = new GuidedBackprop().explain(model, null, x, 1, Target.top1());
    Saliency s = gb.get(0);
    assertThat(s.targetClass()).isEqualTo(top);
    assertThat(s.height()).isEqualTo(224);
    assertThat(s.width()).isEqualTo(224);
    assertThat(GradCamTest.maxAbsDiff(s.values(), new float[s.values().length])).isGreaterThan(0);
    // Guided Grad-CAM = guided backprop * Grad-CAM upsampled and max-normalised, per pixel.
    Saliency ggc = new GuidedGradCam().explain(model, "fire9", x, 1, Target.top1()).get(0);
    Heatmap cam = new Explainer(model, "fire9", new GradCam()).explain(x, 1, Target.top1())
        .get(0).heatmap();
    // No layer: the model's default, fire9.
    assertThat(new GuidedGradCam().explain(model, null, x, 1, Target.top1()).get(0).values())
        .isEqualTo(ggc.values());
    float[] up = org.gradcam.image.HeatmapUpsampler.upsample(cam.normalized(), 13, 13, 224, 224);
    for (int p = 0; p < 224 * 224; p += 97) {
      for (int c = 0; c < 3; c++) {
        assertThat(ggc.values()[p * 3 + c])
            .isCloseTo(s.values()[p * 3 + c] * up[p], within(1e-6f));
      }
    }
  }

  static void assertValid(String name, Heatmap map) {
    assertNonNegative(name, map);
    assertThat(map.max()).as(name + " not all zero").isGreaterThan(0f);
  }

  static void assertNonNegative(String name, Heatmap map) {
    assertThat(map.height()).as(name).isEqualTo(13);
    assertThat(map.width()).as(name).isEqualTo(13);
    for (float v : map.raw()) {
      assertThat(v).as(name).isGreaterThanOrEqualTo(0f).isFinite();
    }
  }
}
