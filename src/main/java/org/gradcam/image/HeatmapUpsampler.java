package org.gradcam.image;

/**
 * Enlarges a coarse class-activation map (e.g. 14 x 14) to the size of the picture it explains.
 *
 * <p>Bilinear with half-pixel centres and clamped edges: output pixel {@code x} samples the input
 * at {@code (x + 0.5) * inW / outW - 0.5}, clamped to {@code [0, inW - 1]}. This is what OpenCV's
 * {@code cv2.resize(..., INTER_LINEAR)} does when enlarging and what {@code tf.image.resize(...,
 * "bilinear")} (half_pixel_centers=True, align_corners=False) does, so heatmaps line up with those
 * of the Python reference implementations. No antialiasing: it is meant for enlarging (shrinking
 * works but just samples).
 *
 * <p>All arrays are row-major with the height first ({@code map[y * width + x]}), like the NumPy
 * and TensorFlow arrays they come from.
 */
public final class HeatmapUpsampler {
  private HeatmapUpsampler() {}

  /**
   * Resamples {@code map}, {@code height x width}, to {@code outHeight x outWidth}.
   *
   * @return a new array of {@code outHeight * outWidth} values
   */
  public static float[] upsample(float[] map, int height, int width, int outHeight, int outWidth) {
    if (height <= 0 || width <= 0 || outHeight <= 0 || outWidth <= 0) {
      throw new IllegalArgumentException("Sizes must be positive, got map " + height + "x" + width
          + " to " + outHeight + "x" + outWidth);
    }
    if (map.length != height * width) {
      throw new IllegalArgumentException("Map has " + map.length + " values, expected "
          + height + "x" + width + " = " + height * width);
    }
    Axis xs = new Axis(width, outWidth);
    Axis ys = new Axis(height, outHeight);
    float[] out = new float[outHeight * outWidth];
    for (int y = 0; y < outHeight; y++) {
      int row0 = ys.lo[y] * width;
      int row1 = ys.hi[y] * width;
      float fy = ys.frac[y];
      int o = y * outWidth;
      for (int x = 0; x < outWidth; x++) {
        int x0 = xs.lo[x];
        int x1 = xs.hi[x];
        float fx = xs.frac[x];
        float top = map[row0 + x0] + (map[row0 + x1] - map[row0 + x0]) * fx;
        float bottom = map[row1 + x0] + (map[row1 + x1] - map[row1 + x0]) * fx;
        out[o + x] = top + (bottom - top) * fy;
      }
    }
    return out;
  }

  /** Per output coordinate: the two neighbouring input indices and the weight of the second. */
  private static final class Axis {
    final int[] lo;
    final int[] hi;
    final float[] frac;

    Axis(int in, int out) {
      lo = new int[out];
      hi = new int[out];
      frac = new float[out];
      double scale = (double) in / out;
      for (int i = 0; i < out; i++) {
        double src = Math.min(Math.max((i + 0.5) * scale - 0.5, 0.0), in - 1);
        int i0 = (int) Math.floor(src);
        lo[i] = i0;
        hi[i] = Math.min(i0 + 1, in - 1);
        frac[i] = (float) (src - i0);
      }
    }
  }
}
