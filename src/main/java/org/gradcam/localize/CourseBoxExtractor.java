package org.gradcam.localize;

import java.util.List;

/**
 * The box procedure of the published dog-localisation experiment ("course" in the CLI),
 * reproducing what its SciPy code computes:
 * <ol>
 *   <li>if no pixel of the raw map is {@code > threshold}, the answer is the full-image box;
 *   <li>otherwise smooth with {@link UniformFilter} ({@code uniform_filter(map, size)}), keep
 *       {@code smoothed > threshold}, fill holes ({@link BinaryMorphology#fillHoles}), and
 *       return one box per 4-connected component in SciPy's label order
 *       ({@link ConnectedComponents}).
 * </ol>
 * Smoothing can erase pixels that passed step 1; the procedure then yields no box at all, and so
 * does this class (an empty list), because that is what the experiment's code returned.
 */
public final class CourseBoxExtractor implements BoxExtractor {
  private final UniformFilter filter;

  /** Size 20 on a float64 map, the experiment's setting. */
  public CourseBoxExtractor() {
    this(UniformFilter.DEFAULT_SIZE, Precision.FLOAT64);
  }

  /**
   * @param smoothSize the uniform filter size, at least 1 (1 means no smoothing)
   * @param precision the dtype the map had in NumPy; it changes the smoothed values and the
   *     threshold comparisons, see {@link Precision}
   */
  public CourseBoxExtractor(int smoothSize, Precision precision) {
    this.filter = new UniformFilter(smoothSize, precision);
  }

  /** The box list for {@code map[y][x]} at {@code threshold}, compared with {@code >}. */
  @Override
  public List<Box> extract(double[][] map, double threshold) {
    HeatmapChecks.requireValidMap(map);
    HeatmapChecks.requireValidThreshold(threshold);
    int height = map.length;
    int width = map[0].length;
    Precision precision = filter.precision();
    if (!anyExceeds(map, threshold, precision)) {
      return List.of(Box.fullImage(width, height));
    }
    double[][] smoothed = filter.apply(map);
    boolean[][] mask = new boolean[height][width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        mask[y][x] = precision.exceeds(smoothed[y][x], threshold);
      }
    }
    return ConnectedComponents.label(BinaryMorphology.fillHoles(mask)).boxes();
  }

  private static boolean anyExceeds(double[][] map, double threshold, Precision precision) {
    for (double[] row : map) {
      for (double value : row) {
        if (precision.exceeds(value, threshold)) {
          return true;
        }
      }
    }
    return false;
  }
}
