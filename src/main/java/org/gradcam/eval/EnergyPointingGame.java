package org.gradcam.eval;

import java.util.List;
import org.gradcam.cam.Heatmap;
import org.gradcam.data.GroundTruthBox;
import org.gradcam.data.PixelBox;
import org.gradcam.image.HeatmapUpsampler;

/**
 * The energy-based pointing game of Score-CAM (Wang et al. 2020, "Score-CAM: Score-Weighted
 * Visual Explanations for Convolutional Neural Networks", section 5.2): the share of the map's
 * energy that falls inside the ground truth,
 *
 * <pre>  proportion = sum(map inside) / (sum(map inside) + sum(map outside))</pre>
 *
 * <p>Choices fixed here:
 *
 * <ul>
 *   <li>the map is taken at image resolution (bilinear upsampling as for the pointing game) and
 *       negative values are clamped to 0, so the share lies in [0, 1]; dividing by the maximum
 *       (our normalisation) does not change the ratio. Score-CAM min-max normalises its maps,
 *       which differs only for a map whose minimum is positive (a ReLU'd Grad-CAM map upsampled
 *       almost always reaches 0);
 *   <li>"inside" is the union of all the class's boxes (difficult ones included), as 0-based
 *       pixels ({@link PixelBox#fromVoc});
 *   <li>an all-zero map (no positive evidence) scores 0.
 * </ul>
 */
public final class EnergyPointingGame {
  private EnergyPointingGame() {}

  /** The share for a layer-resolution map, upsampled to {@code imageWidth x imageHeight}. */
  public static double score(Heatmap map, int imageWidth, int imageHeight,
      List<GroundTruthBox> classBoxes) {
    float[] up = HeatmapUpsampler.upsample(map.raw(), map.height(), map.width(), imageHeight,
        imageWidth);
    return score(up, imageWidth, imageHeight, classBoxes);
  }

  /** The share for a map already at image resolution, {@code width x height} row-major. */
  public static double score(float[] map, int width, int height, List<GroundTruthBox> classBoxes) {
    if (map.length != (long) width * height) {
      throw new IllegalArgumentException("map has " + map.length + " values, expected "
          + width + "x" + height);
    }
    boolean[] inside = new boolean[map.length];
    for (GroundTruthBox b : classBoxes) {
      PixelBox r = PixelBox.fromVoc(b.box(), width, height);
      for (int y = r.ymin(); y < r.ymax(); y++) {
        java.util.Arrays.fill(inside, y * width + r.xmin(), y * width + r.xmax(), true);
      }
    }
    double in = 0;
    double total = 0;
    for (int i = 0; i < map.length; i++) {
      if (Float.isNaN(map[i])) {
        throw new IllegalArgumentException("map has NaN at index " + i);
      }
      double v = Math.max(map[i], 0.0);
      total += v;
      if (inside[i]) {
        in += v;
      }
    }
    return total > 0 ? in / total : 0.0;
  }
}
