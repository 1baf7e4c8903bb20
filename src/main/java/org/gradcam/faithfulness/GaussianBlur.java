package org.gradcam.faithfulness;

/**
 * The blur of RISE's insertion metric: {@code gkern(klen, nsig)} is SciPy's
 * {@code gaussian_filter(delta, nsig)} of a {@code klen x klen} array holding a single 1 at its
 * centre, applied per channel as a {@code klen x klen} convolution with {@code klen / 2} padding
 * ({@code conv2d(x, kern, padding=klen//2)}).
 *
 * <p>SciPy's filter truncates the Gaussian at {@code 4 * sigma} (radius {@code int(4 * sigma +
 * 0.5)}) and extends the array by mirror reflection ({@code mode='reflect'}, {@code d c b a | a b
 * c d | d c b a}); with {@code sigma = 5} the Gaussian is wider than 11 pixels, so the tails fold
 * back into the kernel, which is why its values are nearly flat. The kernel is separable:
 * {@code k2d = outer(k1, k1)}, and sums to 1.
 */
public final class GaussianBlur {
  private final int klen;
  private final double[] k1;

  public GaussianBlur(int klen, double sigma) {
    if (klen < 1 || klen % 2 == 0) {
      throw new IllegalArgumentException("kernel length must be odd and positive, got " + klen);
    }
    if (!(sigma > 0)) {
      throw new IllegalArgumentException("sigma must be positive, got " + sigma);
    }
    this.klen = klen;
    this.k1 = kernel1d(klen, sigma);
  }

  /** The 1-D factor of the kernel, {@code klen} values. */
  public double[] kernel1d() {
    return k1.clone();
  }

  /** The 2-D kernel value at row {@code i}, column {@code j}. */
  public double kernel(int i, int j) {
    return k1[i] * k1[j];
  }

  /**
   * Blurs a height x width x C picture, C the length of {@code padColour} (3 for RGB, 1 for
   * grey); outside the picture every pixel is {@code padColour}.
   */
  public float[] apply(float[] pixels, int height, int width, float[] padColour) {
    int channels = padColour.length;
    if (pixels.length != (long) channels * height * width) {
      throw new IllegalArgumentException("picture has " + pixels.length + " values, expected "
          + height + "x" + width + "x" + channels);
    }
    int r = klen / 2;
    // Separable: rows then columns, each over the picture padded with padColour.
    double[] tmp = new double[pixels.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < channels; c++) {
          double s = 0;
          for (int t = -r; t <= r; t++) {
            int xx = x + t;
            double v = xx < 0 || xx >= width ? padColour[c] : pixels[(y * width + xx) * channels + c];
            s += k1[t + r] * v;
          }
          tmp[(y * width + x) * channels + c] = s;
        }
      }
    }
    // A padded row is padColour everywhere, and its row blur is padColour * sum(k1).
    double k1Sum = 0;
    for (double v : k1) {
      k1Sum += v;
    }
    float[] out = new float[pixels.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < channels; c++) {
          double s = 0;
          for (int t = -r; t <= r; t++) {
            int yy = y + t;
            double v = yy < 0 || yy >= height ? padColour[c] * k1Sum : tmp[(yy * width + x) * channels + c];
            s += k1[t + r] * v;
          }
          out[(y * width + x) * channels + c] = (float) s;
        }
      }
    }
    return out;
  }

  /** {@code gaussian_filter1d(delta at klen/2, sigma, mode='reflect', truncate=4.0)}. */
  static double[] kernel1d(int klen, double sigma) {
    int radius = (int) (4.0 * sigma + 0.5);
    double[] w = new double[2 * radius + 1];
    double sum = 0;
    for (int t = -radius; t <= radius; t++) {
      w[t + radius] = Math.exp(-0.5 * t * t / (sigma * sigma));
      sum += w[t + radius];
    }
    int centre = klen / 2;
    double[] out = new double[klen];
    for (int i = 0; i < klen; i++) {
      double s = 0;
      for (int t = -radius; t <= radius; t++) {
        if (reflect(i + t, klen) == centre) {
          s += w[t + radius] / sum;
        }
      }
      out[i] = s;
    }
    return out;
  }

  /** SciPy's 'reflect' extension: period {@code 2n}, mirrored about the array edges. */
  private static int reflect(int m, int n) {
    int p = Math.floorMod(m, 2 * n);
    return p < n ? p : 2 * n - 1 - p;
  }
}
