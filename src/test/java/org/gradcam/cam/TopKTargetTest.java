package org.gradcam.cam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.gradcam.model.Model;
import org.junit.jupiter.api.Test;

/** {@link Target.TopK}: k maps per image, and k above the number of classes is an error. */
class TopKTargetTest {
  @Test
  void topKBeyondTheClassesIsAnErrorNotAClamp() {
    try (Model model = GradientFiniteDifferenceTest.smallVgg(7)) {
      float[] batch = GradientFiniteDifferenceTest.gauss(new Random(3), 8 * 8 * 3, 1.0);
      Explainer explainer = new Explainer(model, "conv2", new GradCam());
      List<Explanation> all = explainer.explain(batch, 1, Target.topK(model.numClasses()));
      assertThat(all).extracting(Explanation::targetClass).doesNotHaveDuplicates()
          .hasSize(model.numClasses());
      assertThatThrownBy(() -> explainer.explain(batch, 1, Target.topK(model.numClasses() + 1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("top-k " + (model.numClasses() + 1) + " is more than the "
              + model.numClasses() + " classes of model");
    }
  }
}
