package org.gradcam.localize;

import java.util.List;

/**
 * Turns a Grad-CAM heatmap into bounding boxes. Implementations differ in how they binarise the
 * map and which segments they keep, so localisation results can be compared across procedures.
 */
public interface BoxExtractor {

  /**
   * Extracts boxes from {@code map}, indexed {@code map[y][x]} (rows are image rows), already
   * upsampled to image size.
   *
   * @param threshold in [0, 1]; what it is compared against depends on the implementation
   * @return the boxes, never empty unless the implementation documents otherwise
   * @throws IllegalArgumentException for an empty or ragged map, a non-finite value, or a
   *     threshold outside [0, 1]
   */
  List<Box> extract(double[][] map, double threshold);
}
