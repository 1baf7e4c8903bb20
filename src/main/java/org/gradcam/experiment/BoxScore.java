package org.gradcam.experiment;

import org.gradcam.data.PixelBox;


/**
 * How a box is ranked for AP. The published code gave every box the same score (4.0), so its AP
 * depended only on how ties were ordered; here a box is scored from the normalised, upsampled
 * heatmap ({@code [0, 1]}) inside it.
 */
public enum BoxScore {
  /** Mean heatmap value over the box's pixels: favours boxes tight around strong evidence. */
  MEAN,
  /** Largest heatmap value in the box. */
  MAX;

  /** The score of {@code box} on {@code map}, row-major {@code height x width}. */
  public double of(float[] map, int width, PixelBox box) {
    double sum = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (int y = box.ymin(); y < box.ymax(); y++) {
      int row = y * width;
      for (int x = box.xmin(); x < box.xmax(); x++) {
        float v = map[row + x];
        sum += v;
        max = Math.max(max, v);
      }
    }
    return this == MEAN ? sum / box.area() : max;
  }
}
