package org.gradcam.model;

import java.util.Arrays;

/**
 * One row of a model summary: a named layer, its kind, its output shape without the batch
 * axis (height, width, channels for spatial layers) and its number of parameters.
 */
public record LayerInfo(String name, String type, long[] outputShape, long params) {

  /** Spatial layers (conv, pool, Fire) can be Grad-CAM targets; dense layers cannot. */
  public boolean isSpatial() {
    return outputShape.length == 3;
  }

  @Override
  public String toString() {
    return String.format("%-22s %-12s %-18s %,d", name, type, Arrays.toString(outputShape), params);
  }
}
