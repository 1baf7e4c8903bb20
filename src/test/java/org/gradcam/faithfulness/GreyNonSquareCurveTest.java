package org.gradcam.faithfulness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.gradcam.TestData;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.GradCam;
import org.gradcam.cam.Heatmap;
import org.gradcam.cam.Target;
import org.gradcam.data.Assets;
import org.gradcam.image.Images;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.gradcam.model.Predictions;
import org.gradcam.model.onnx.OnnxTestGraphs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deletion and insertion on a 1-channel, non-square model (ONNX, 1 x 28 x 36, raw01). */
class GreyNonSquareCurveTest {
  static final Path BENGAL =
      TestData.path("oxford-iiit-pet-3class/test/Bengal/Bengal_1.jpg");

  @Test
  void greyZeroLevelSolvesTheAffinePreprocessing() {
    // raw01: v / 255 is 0 at v = 0; tf-like v / 127.5 - 1 at v = 127.5.
    assertThat(InputZero.colour((p, h, w) -> new float[] {p[0] / 255f}, 1)).containsExactly(0f);
    assertThat(InputZero.colour((p, h, w) -> new float[] {p[0] / 127.5f - 1}, 1)[0])
        .isCloseTo(127.5f, within(1e-3f));
  }

  @Test
  void curvesStartAtThePictureAndEndAtTheSubstrate(@TempDir Path tmp) throws Exception {
    Path file = OnnxTestGraphs.writeGreyNonSquare(OnnxTestGraphs.greyNonSquare(1, 28, 36, 3, 7),
        tmp, "grey", false);
    try (Model model = Models.load(file.toString(), Assets.defaults(), Models.Options.DEFAULT)) {
      BufferedImage photo = Images.read(BENGAL);
      float[] x = model.spec().input(photo, Interpolation.NEAREST);
      Heatmap map = new Explainer(model, model.defaultLayer(), new GradCam())
          .explain(x, 1, Target.classIndex(2)).get(0).heatmap();
      Curve deletion = CausalMetric.deletion().run(model, photo, Interpolation.NEAREST, map,
          new int[] {2});
      Curve insertion = CausalMetric.insertion().run(model, photo, Interpolation.NEAREST, map,
          new int[] {2});
      double start = Predictions.softmax(model.logits(x, 1), 0, 3)[2];
      // Deleted to the grey level whose raw01 input is 0: an all-zero input.
      double deleted = Predictions.softmax(model.logits(new float[28 * 36], 1), 0, 3)[2];
      int last = CausalMetric.DEFAULT_STEPS;
      assertThat(deletion.fractions()).hasSize(last + 1);
      assertThat(deletion.fractions()[0]).isZero();
      assertThat(deletion.fractions()[last]).isEqualTo(1.0);
      assertThat(deletion.probabilities()[0]).isCloseTo(start, within(1e-6));
      assertThat(deletion.probabilities()[last]).isCloseTo(deleted, within(1e-6));
      assertThat(insertion.probabilities()[last]).isCloseTo(start, within(1e-6));
      assertThat(deletion.auc()).isBetween(0.0, 1.0);
      assertThat(insertion.auc()).isBetween(0.0, 1.0);
    }
  }
}
