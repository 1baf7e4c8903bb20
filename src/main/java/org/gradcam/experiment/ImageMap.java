package org.gradcam.experiment;

import java.util.ArrayList;
import java.util.List;
import org.gradcam.cam.Explanation;
import org.gradcam.cam.Heatmap;
import org.gradcam.data.PixelBox;
import org.gradcam.image.HeatmapUpsampler;
import org.gradcam.localize.BoxExtractor;
import org.gradcam.localize.Precision;
import org.gradcam.model.ModelSpec;

/**
 * One image's Grad-CAM map as the localisation experiment uses it: divided by its maximum and
 * bilinearly upsampled to the image size, then boxed and scored at heatmap thresholds. It is the
 * one map-to-boxes stage of {@code localize}, {@code analyze-errors}, {@code benchmark}'s AP and
 * {@code serve}'s boxes. Computing the map is the expensive part (a graph run, see {@link
 * ImageMaps}); boxing it at a threshold is cheap, so an exploration computes each map once and
 * boxes it at every threshold.
 *
 * @param imageId the image
 * @param targetClass the class explained, -1 for a class sum
 * @param logits the image's logits (e.g. for its top-1 class)
 * @param coarse the map at the target layer's resolution, not normalised
 * @param width image width in pixels
 * @param height image height in pixels
 * @param values the normalised map, {@code height x width} row-major, in [0, 1]
 */
public record ImageMap(String imageId, int targetClass, float[] logits, Heatmap coarse, int width,
    int height, float[] values) {

  public ImageMap {
    if (values.length != width * height) {
      throw new IllegalArgumentException("map has " + values.length + " values, image is "
          + width + "x" + height);
    }
  }

  /** Normalises and upsamples the explanation's map to a {@code width x height} image. */
  public static ImageMap of(String imageId, Explanation e, int width, int height) {
    Heatmap h = e.heatmap();
    return new ImageMap(imageId, e.targetClass(), e.logits(), h, width, height,
        HeatmapUpsampler.upsample(h.normalized(), h.height(), h.width(), height, width));
  }

  /**
   * As {@link #of(String, Explanation, int, int)} for a model whose input may be a center crop
   * of the image: the map lies on the crop's part of the image, 0 elsewhere
   * ({@link ModelSpec#mapOnImage}).
   */
  public static ImageMap of(String imageId, Explanation e, int width, int height,
      ModelSpec spec) {
    Heatmap h = e.heatmap();
    return new ImageMap(imageId, e.targetClass(), e.logits(), h, width, height,
        spec.mapOnImage(h.normalized(), h.height(), h.width(), width, height));
  }

  /** The boxes at every threshold, in threshold order, each scored on this map. */
  public List<ScoredBox> boxes(BoxExtractor extractor, double[] thresholds, BoxScore score) {
    List<ScoredBox> out = new ArrayList<>();
    for (double t : thresholds) {
      out.addAll(boxes(extractor, t, score));
    }
    return out;
  }

  /**
   * Whether the published procedure falls back to the full image at {@code threshold}: no map
   * value exceeds it (in float32, as the extractor compares).
   */
  public boolean fallback(double threshold) {
    for (float v : values) {
      if (Precision.FLOAT32.exceeds(v, threshold)) {
        return false;
      }
    }
    return true;
  }

  /** The boxes at {@code threshold}, each scored on this map. */
  public List<ScoredBox> boxes(BoxExtractor extractor, double threshold, BoxScore score) {
    List<ScoredBox> out = new ArrayList<>();
    for (PixelBox b : extractor.extract(values, width, height, threshold)) {
      out.add(new ScoredBox(threshold, b, score.of(values, width, b)));
    }
    return out;
  }
}
