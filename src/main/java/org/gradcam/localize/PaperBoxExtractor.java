package org.gradcam.localize;

import java.util.List;
import org.gradcam.data.PixelBox;

/**
 * The weakly-supervised localisation rule of the Grad-CAM paper (Selvaraju et al.): binarise
 * the map at a fraction of its maximum (the paper uses 15%) and box the largest connected
 * segment.
 *
 * <p>Choices the paper leaves open, fixed here: a pixel is kept when {@code value >= fraction *
 * max}, so the maximum itself always survives and any map with a positive maximum yields a
 * segment; segments are 4-connected; "largest" means most pixels, and a tie goes to the segment
 * whose first pixel comes first in raster order. A map whose maximum is not positive (all
 * zero) has no evidence to localise, so it yields the full-image box. Values are compared in
 * double precision whatever dtype the map came from; unlike {@link CourseBoxExtractor} this is
 * not a reproduction of a particular SciPy script.
 */
public final class PaperBoxExtractor implements BoxExtractor {
  /** The fraction of the maximum used in the paper. */
  public static final double PAPER_FRACTION = 0.15;

  /** The box for the paper's 15% rule. */
  public List<PixelBox> extract(float[] map, int width, int height) {
    return extract(map, width, height, PAPER_FRACTION);
  }

  /**
   * @param fractionOfMax in [0, 1]: pixels {@code >= fractionOfMax * max(map)} form the mask
   * @return exactly one box
   */
  @Override
  public List<PixelBox> extract(double[] map, int width, int height, double fractionOfMax) {
    HeatmapChecks.requireValidMap(map, width, height);
    HeatmapChecks.requireValidThreshold(fractionOfMax);
    double max = Double.NEGATIVE_INFINITY;
    for (double value : map) {
      max = Math.max(max, value);
    }
    if (max <= 0) {
      return List.of(PixelBox.fullImage(width, height));
    }
    double cut = fractionOfMax * max;
    boolean[] mask = new boolean[map.length];
    for (int i = 0; i < map.length; i++) {
      mask[i] = map[i] >= cut;
    }
    ConnectedComponents components = ConnectedComponents.label(mask, width, height);
    int largest = 1;
    for (int label = 2; label <= components.count(); label++) {
      if (components.size(label) > components.size(largest)) {
        largest = label;
      }
    }
    return List.of(components.boxes().get(largest - 1));
  }
}
