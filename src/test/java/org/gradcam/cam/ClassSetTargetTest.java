package org.gradcam.cam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.gradcam.TestData;
import org.gradcam.image.Images;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.model.ForwardBackward;
import org.gradcam.model.ImageNetLabels;
import org.gradcam.model.Model;
import org.gradcam.model.SqueezeNet11;
import org.junit.jupiter.api.Test;

/** The multi-hot {@link Target.ClassSet} seed and the per-image {@link Target.BestOf} choice. */
class ClassSetTargetTest {
  static final Path SQUEEZENET = TestData.path("models/squeezenet1.1/weights");
  static final Path DOG_IMAGE = TestData.path("voc2007-test/JPEGImages/000001.jpg");

  /** Linearity: the gradient of logit1 + logit3 is the sum of the two single-class gradients. */
  @Test
  void classSetGradientIsTheSumOfSingleClassGradients() {
    try (Model model = GradientFiniteDifferenceTest.smallVgg(7)) {
      Random rnd = new Random(13);
      int n = 2;
      float[] batch = GradientFiniteDifferenceTest.gauss(rnd, n * 8 * 8 * 3, 1.0);
      float[] seed = new float[n * 5];
      for (int i = 0; i < n; i++) {
        seed[i * 5 + 1] = 1f;
        seed[i * 5 + 3] = 1f;
      }
      ForwardBackward sum = model.forwardBackward("conv2", batch, n, seed);
      ForwardBackward one = model.forwardBackward("conv2", batch, n, new int[] {1, 1});
      ForwardBackward three = model.forwardBackward("conv2", batch, n, new int[] {3, 3});
      assertThat(sum.targetClasses()).containsExactly(-1, -1);
      assertThat(sum.logits()).containsExactly(one.logits());
      float[] g = sum.gradients();
      double maxAbs = 0;
      for (int i = 0; i < g.length; i++) {
        double expected = (double) one.gradients()[i] + three.gradients()[i];
        maxAbs = Math.max(maxAbs, Math.abs(expected));
        assertThat((double) g[i]).as("entry %d", i).isCloseTo(expected, Offset.offset(1e-5));
      }
      assertThat(maxAbs).as("the test is not trivially zero").isGreaterThan(1e-2);

      // Through the Explainer: same map as the one computed from the summed gradients.
      List<Explanation> ex = new Explainer(model, "conv2", new GradCam())
          .explain(batch, n, Target.classSet(3, 1));
      assertThat(ex).hasSize(n);
      assertThat(ex.get(0).targetClass()).isEqualTo(-1);
      FeatureMaps a = new FeatureMaps(sum.height(), sum.width(), sum.channels(), sum.activationsOf(1));
      FeatureMaps gr = new FeatureMaps(sum.height(), sum.width(), sum.channels(), sum.gradientsOf(1));
      assertThat(ex.get(1).heatmap().raw()).containsExactly(new GradCam().map(a, gr));
    }
  }

  @Test
  void bestOfPicksTheTopCandidateAndExplainsIt() {
    try (Model model = GradientFiniteDifferenceTest.smallVgg(3)) {
      float[] image = GradientFiniteDifferenceTest.gauss(new Random(5), 8 * 8 * 3, 1.0);
      float[] logits = model.logits(image, 1);
      int expected = logits[0] >= logits[4] ? 0 : 4;
      Explanation e = new Explainer(model, "conv2", new GradCam())
          .explain(image, 1, Target.bestOf(4, 0)).get(0);
      assertThat(e.targetClass()).isEqualTo(expected);
      Explanation direct = new Explainer(model, "conv2", new GradCam())
          .explain(image, 1, Target.classIndex(expected)).get(0);
      assertThat(e.heatmap().raw()).containsExactly(direct.heatmap().raw());
    }
  }

  @Test
  void topDogOnARealSqueezeNetImageIsTheArgmaxOverTheDogRange() throws Exception {
    try (Model model = SqueezeNet11.load(SQUEEZENET)) {
      float[] x = model.spec().input(Images.read(DOG_IMAGE), Interpolation.NEAREST);
      float[] logits = model.logits(x, 1);
      int argmax = ImageNetLabels.FIRST_DOG;
      for (int c = ImageNetLabels.FIRST_DOG; c <= ImageNetLabels.LAST_DOG; c++) {
        if (logits[c] > logits[argmax]) {
          argmax = c;
        }
      }
      Explainer explainer = new Explainer(model, model.spec().defaultLayer(), new GradCam());
      Explanation e = explainer.explain(x, 1,
          Target.bestOf(Target.range(ImageNetLabels.FIRST_DOG, ImageNetLabels.LAST_DOG))).get(0);
      assertThat(e.targetClass()).isEqualTo(argmax);
      assertThat(ImageNetLabels.isDog(e.targetClass())).isTrue();
      Explanation dogSum = explainer.explain(x, 1,
          Target.classSet(Target.range(ImageNetLabels.FIRST_DOG, ImageNetLabels.LAST_DOG))).get(0);
      assertThat(dogSum.targetClass()).isEqualTo(-1);
      assertThat(dogSum.heatmap().max()).as("dog evidence on a dog photo").isPositive();
    }
  }

  @Test
  void badSetsAreRejected() {
    assertThatThrownBy(() -> Target.classSet()).hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> Target.classSet(1, 1)).hasMessageContaining("twice");
    assertThatThrownBy(() -> Target.bestOf(-1)).hasMessageContaining(">= 0");
    try (Model model = GradientFiniteDifferenceTest.smallVgg(3)) {
      float[] image = new float[8 * 8 * 3];
      assertThatThrownBy(() -> new Explainer(model, "conv2", new GradCam())
          .explain(image, 1, Target.classSet(2, 5))).hasMessageContaining("out of range");
    }
  }
}
