package org.gradcam.localize;

import java.util.List;

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
  public List<Box> extract(double[][] map) {
    return extract(map, PAPER_FRACTION);
  }

  /**
   * @param fractionOfMax in [0, 1]: pixels {@code >= fractionOfMax * max(map)} form the mask
   * @return exactly one box
   */
  @Override
  public List<Box> extract(double[][] map, double fractionOfMax) {
    HeatmapChecks.requireValidMap(map);
    HeatmapChecks.requireValidThreshold(fractionOfMax);
    int height = map.length;
    int width = map[0].length;
    double max = Double.NEGATIVE_INFINITY;
    for (double[] row : map) {
      for (double value : row) {
        max = Math.max(max, value);
      }
    }
    if (max <= 0) {
      return List.of(Box.fullImage(width, height));
    }
    double cut = fractionOfMax * max;
    boolean[][] mask = new boolean[height][width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        mask[y][x] = map[y][x] >= cut;
      }
    }
    ConnectedComponents components = ConnectedComponents.label(mask);
    int largest = 1;
    for (int label = 2; label <= components.count(); label++) {
      if (components.size(label) > components.size(largest)) {
        largest = label;
      }
    }
    return List.of(components.boxes().get(largest - 1));
  }
}
