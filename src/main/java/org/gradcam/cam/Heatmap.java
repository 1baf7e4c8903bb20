package org.gradcam.cam;

/**
 * A class activation map at the target layer's resolution, {@code height x width} row-major,
 * non-negative (after the method's ReLU) and not yet normalised.
 */
public record Heatmap(int height, int width, float[] raw) {

  public float max() {
    float max = 0;
    for (float v : raw) {
      max = Math.max(max, v);
    }
    return max;
  }

  /**
   * The map divided by its maximum, in [0,1]. An all-zero map (the class found no positive
   * evidence) stays all zeros instead of becoming NaN.
   */
  public float[] normalized() {
    float max = max();
    float[] out = new float[raw.length];
    if (max > 0) {
      for (int i = 0; i < raw.length; i++) {
        out[i] = raw[i] / max;
      }
    }
    return out;
  }
}
