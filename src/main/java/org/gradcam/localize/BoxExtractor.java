package org.gradcam.localize;

import java.util.List;
import org.gradcam.data.PixelBox;

/**
 * Turns a Grad-CAM heatmap into bounding boxes. Implementations differ in how they binarise the
 * map and which segments they keep, so localisation results can be compared across procedures.
 *
 * <p>A map is flat and row-major, as everywhere in the project: value {@code (x, y)} is
 * {@code map[y * width + x]}, already upsampled to image size.
 */
public interface BoxExtractor {

  /**
   * Extracts boxes from a float64 map (e.g. a NumPy float64 array: its values need not be
   * floats).
   *
   * @param threshold in [0, 1]; what it is compared against depends on the implementation
   * @return the boxes, never empty unless the implementation documents otherwise
   * @throws IllegalArgumentException for an empty map, one of another length than
   *     {@code width * height}, a non-finite value, or a threshold outside [0, 1]
   */
  List<PixelBox> extract(double[] map, int width, int height, double threshold);

  /**
   * Extracts boxes from a float32 map, the project's map type: every float is a double exactly,
   * so these are the boxes of the same values as a float64 map.
   */
  default List<PixelBox> extract(float[] map, int width, int height, double threshold) {
    if (map == null) {
      return extract((double[]) null, width, height, threshold);
    }
    double[] values = new double[map.length];
    for (int i = 0; i < map.length; i++) {
      values[i] = map[i];
    }
    return extract(values, width, height, threshold);
  }
}
