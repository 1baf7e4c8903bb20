package org.gradcam.eval;

import org.gradcam.cam.Heatmap;
import org.gradcam.data.BinaryMask;
import org.gradcam.image.HeatmapUpsampler;

/**
 * The mask focus score (the seeds' "Pulmonary Focus Score"): the share of a map's energy inside
 * a segmentation mask, {@code sum(map * mask) / sum(map)}, in [0, 1]. 1 means every bit of the
 * evidence lies on the object, and a map spread evenly scores the mask's area share. As for
 * {@link EnergyPointingGame}: the map is taken at the mask's (the image's) resolution, bilinearly
 * upsampled; negative values count as 0 and an all-zero map scores 0; the score does not depend
 * on the map's normalisation.
 */
public final class MaskFocus {
  private MaskFocus() {}

  /** The score of a layer-resolution map upsampled to the mask's size. */
  public static double score(Heatmap map, BinaryMask mask) {
    float[] up = HeatmapUpsampler.upsample(map.raw(), map.height(), map.width(), mask.height(),
        mask.width());
    return score(up, mask.inside());
  }

  /** The score of a map already at the mask's resolution (same length, row-major). */
  public static double score(float[] map, boolean[] inside) {
    if (map.length != inside.length) {
      throw new IllegalArgumentException("the map has " + map.length + " values but the mask "
          + inside.length + " pixels; they must cover the same grid");
    }
    double in = 0;
    double all = 0;
    for (int i = 0; i < map.length; i++) {
      if (Float.isNaN(map[i])) {
        throw new IllegalArgumentException("the map holds NaN at index " + i);
      }
      double v = Math.max(0, map[i]);
      all += v;
      if (inside[i]) {
        in += v;
      }
    }
    return all == 0 ? 0 : in / all;
  }
}
