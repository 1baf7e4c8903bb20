package org.gradcam.cam;

/**
 * The activations of one layer for one image, or their gradients: {@code height x width x
 * channels} values, channels-last, row-major ({@code values[(y * width + x) * channels + k]}).
 */
public record FeatureMaps(int height, int width, int channels, float[] values) {

  public FeatureMaps {
    if (values.length != (long) height * width * channels) {
      throw new IllegalArgumentException("feature maps " + height + "x" + width + "x" + channels
          + " need " + (long) height * width * channels + " values, got " + values.length);
    }
  }

  public float get(int y, int x, int k) {
    return values[(y * width + x) * channels + k];
  }

  /** Sum of each channel over the spatial axes. */
  public double[] spatialSum() {
    double[] sum = new double[channels];
    for (int p = 0; p < height * width; p++) {
      for (int k = 0; k < channels; k++) {
        sum[k] += values[p * channels + k];
      }
    }
    return sum;
  }

  /** Mean of each channel over the spatial axes. */
  public float[] spatialMean() {
    double[] sum = spatialSum();
    float[] mean = new float[channels];
    for (int k = 0; k < channels; k++) {
      mean[k] = (float) (sum[k] / (height * width));
    }
    return mean;
  }
}
