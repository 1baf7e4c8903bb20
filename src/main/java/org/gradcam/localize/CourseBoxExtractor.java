package org.gradcam.localize;

import java.util.List;
import org.gradcam.data.PixelBox;

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

  /** The box list of the map at {@code threshold}, compared with {@code >}. */
  @Override
  public List<PixelBox> extract(double[] map, int width, int height, double threshold) {
    HeatmapChecks.requireValidMap(map, width, height);
    HeatmapChecks.requireValidThreshold(threshold);
    Precision precision = filter.precision();
    if (!anyExceeds(map, threshold, precision)) {
      return List.of(PixelBox.fullImage(width, height));
    }
    double[] smoothed = filter.apply(map, width, height);
    boolean[] mask = new boolean[smoothed.length];
    for (int i = 0; i < smoothed.length; i++) {
      mask[i] = precision.exceeds(smoothed[i], threshold);
    }
    return ConnectedComponents.label(BinaryMorphology.fillHoles(mask, width, height), width,
        height).boxes();
  }

  private static boolean anyExceeds(double[] map, double threshold, Precision precision) {
    for (double value : map) {
      if (precision.exceeds(value, threshold)) {
        return true;
      }
    }
    return false;
  }
}
