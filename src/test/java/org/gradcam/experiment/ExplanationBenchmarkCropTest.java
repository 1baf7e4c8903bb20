package org.gradcam.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.GradCam;
import org.gradcam.cam.Target;
import org.gradcam.data.Assets;
import org.gradcam.data.VocBox;
import org.gradcam.data.VocObject;
import org.gradcam.experiment.ExplanationBenchmark.ImageResult;
import org.gradcam.image.CenterCrop;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.gradcam.model.Predictions;
import org.gradcam.model.onnx.OnnxTestGraphs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's metrics for a model behind torchvision's resize and center crop, on a case
 * computed by hand: a 120 x 40 picture, short side already 40, so the 28 x 36 crop of the grey
 * 1 x 28 x 36 ONNX model is the picture's pixels x 42..77, y 6..33 (corner round((120 - 36) / 2),
 * round((40 - 28) / 2)), unresized. ONNX Runtime scores that hand-cut crop.
 */
class ExplanationBenchmarkCropTest {
  static final int WIDTH = 120;
  static final int HEIGHT = 40;
  static final int X0 = 42;
  static final int Y0 = 6;
  static final int CROP_W = 36;
  static final int CROP_H = 28;

  @TempDir Path tmp;

  private static BufferedImage picture() {
    BufferedImage p = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Random r = new Random(11);
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        p.setRGB(x, y, r.nextInt(0x1000000));
      }
    }
    return p;
  }

  /** The crop cut by hand, as the grey model's contract makes it its input: Pillow L, / 255. */
  private static float[] handCutInput(BufferedImage p) {
    float[] x = new float[CROP_H * CROP_W];
    for (int y = 0; y < CROP_H; y++) {
      for (int c = 0; c < CROP_W; c++) {
        int rgb = p.getRGB(X0 + c, Y0 + y);
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        x[y * CROP_W + c] = ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16) / 255f;
      }
    }
    return x;
  }

  private static VocObject dog(int xmin, int ymin, int xmax, int ymax) {
    return new VocObject("p", WIDTH, HEIGHT, "dog", false, new VocBox(xmin, ymin, xmax, ymax));
  }

  @Test
  void localisationMetricsSeeTheMapOnTheCropAndTheCurvesPerturbTheCrop() throws Exception {
    Path file = OnnxTestGraphs.writeGreyNonSquare(
        OnnxTestGraphs.greyNonSquare(1, CROP_H, CROP_W, 3, 7), tmp, "grey", false);
    BufferedImage picture = picture();
    try (Model model = Models.load(file.toString(), Assets.defaults(),
        new Models.Options(null, null, null, null, 40, null, null))) {
      assertThat(model.spec().crop()).isEqualTo(new CenterCrop(40, CROP_H, CROP_W));
      CenterCrop.Region region = model.spec().crop().region(WIDTH, HEIGHT);
      assertThat(region).isEqualTo(new CenterCrop.Region(X0, Y0, X0 + CROP_W, Y0 + CROP_H));

      ExplanationBenchmark bench = new ExplanationBenchmark(
          new Explainer(model, model.defaultLayer(), new GradCam()), Target.top1(), "dog",
          ExplanationBenchmark.Settings.defaults());
      // VOC boxes are 1-based and inclusive: (43, 7)..(78, 34) are exactly the crop's pixels.
      List<Explanation> explained = new ArrayList<>();
      ImageResult onCrop = bench.run(new ExplanationBenchmark.Image("p", picture,
          List.of(dog(X0 + 1, Y0 + 1, X0 + CROP_W, Y0 + CROP_H))), explained::add);
      ImageResult leftOfCrop = bench.run(new ExplanationBenchmark.Image("p", picture,
          List.of(dog(1, 1, X0, HEIGHT))));
      Explanation e = explained.get(0);
      assertThat(e.heatmap().max()).as("a map with some evidence").isPositive();

      // All the map's energy lies in the crop, none left of it (stretched over the whole
      // picture, as before the crop was wired, it would reach the left strip).
      assertThat(onCrop.energy()).isCloseTo(1.0, within(1e-9));
      assertThat(leftOfCrop.energy()).isZero();
      assertThat(onCrop.point().x()).isBetween(X0, X0 + CROP_W - 1);
      assertThat(onCrop.point().y()).isBetween(Y0, Y0 + CROP_H - 1);
      assertThat(onCrop.meanBestIou()).isGreaterThan(0.0).isLessThanOrEqualTo(1.0);

      // The curves start (deletion) and end (insertion) on the model's own input, the crop: the
      // explained class's probability there, as ONNX Runtime gives it for the hand-cut crop.
      float[] ort = OnnxTestGraphs.ort(file, "input", handCutInput(picture),
          new long[] {1, 1, CROP_H, CROP_W});
      double p = Predictions.softmax(ort, 0, ort.length)[e.targetClass()];
      double[] del = onCrop.deletion().probabilities();
      double[] ins = onCrop.insertion().probabilities();
      assertThat(del[0]).isCloseTo(p, within(1e-5));
      assertThat(ins[ins.length - 1]).isCloseTo(p, within(1e-5));
      // Steps of the crop's pixels, not the picture's: 28 steps of 1008 / 28 = 36 pixels.
      assertThat(onCrop.deletion().fractions()[1]).isEqualTo(36 / 1008.0);
    }
  }
}
