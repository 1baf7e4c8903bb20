package org.gradcam.image;

import java.awt.image.BufferedImage;

/**
 * Resizes a picture to a model's input size with the same pixel results as Pillow, so that a
 * model ported from Keras sees exactly the input it saw in Python.
 *
 * <p>{@link Interpolation#NEAREST} reproduces {@code PIL.Image.resize(size, Image.NEAREST)}, the
 * default of Keras' {@code load_img(target_size=...)}. {@link Interpolation#BILINEAR} reproduces
 * {@code Image.BILINEAR}, including its antialiasing when shrinking (the triangle filter's support
 * grows with the scale factor) and its 22-bit fixed-point arithmetic with rounding to 8 bits
 * between the horizontal and the vertical pass.
 */
public final class Resize {
  /** Pillow's fixed-point precision for 8-bit images: 32 - 8 - 2 bits. */
  private static final int PRECISION_BITS = 32 - 8 - 2;

  /** How output pixels are computed from input pixels. */
  public enum Interpolation {
    /** Pillow {@code NEAREST}: the input pixel whose area contains the output pixel centre. */
    NEAREST,
    /** Pillow {@code BILINEAR}: triangle filter, widened when downscaling (antialiasing). */
    BILINEAR
  }

  private Resize() {}

  /**
   * Resizes to {@code width} x {@code height} (Pillow's {@code size=(width, height)} order; Keras'
   * {@code target_size} is {@code (height, width)}). The result is a new {@code TYPE_INT_RGB}
   * image; the source is converted with {@link Images#toRgb} first and never modified.
   */
  public static BufferedImage resize(
      BufferedImage source, int width, int height, Interpolation interpolation) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "Target size must be positive, got " + width + "x" + height);
    }
    int[] in = Images.packedRgb(source);
    int inW = source.getWidth();
    int inH = source.getHeight();
    int[] out =
        switch (interpolation) {
          case NEAREST -> nearest(in, inW, inH, width, height);
          case BILINEAR -> bilinear(in, inW, inH, width, height);
        };
    return Images.fromPackedRgb(out, width, height);
  }

  /** Pillow's {@code ImagingScaleAffine}: positions accumulated in double, as Pillow does. */
  static int[] nearest(int[] in, int inW, int inH, int outW, int outH) {
    double sx = (double) inW / outW;
    double sy = (double) inH / outH;
    int[] xin = new int[outW];
    double xo = sx * 0.5;
    for (int x = 0; x < outW; x++) {
      xin[x] = Math.min((int) xo, inW - 1);
      xo += sx;
    }
    int[] out = new int[outW * outH];
    double yo = sy * 0.5;
    for (int y = 0; y < outH; y++) {
      int row = Math.min((int) yo, inH - 1) * inW;
      int o = y * outW;
      for (int x = 0; x < outW; x++) {
        out[o + x] = in[row + xin[x]];
      }
      yo += sy;
    }
    return out;
  }

  /** Pillow's {@code ImagingResample}: horizontal pass, then vertical, each rounded to 8 bits. */
  static int[] bilinear(int[] in, int inW, int inH, int outW, int outH) {
    int[] horizontal = in;
    if (outW != inW) {
      Kernel k = new Kernel(inW, outW);
      horizontal = new int[outW * inH];
      for (int y = 0; y < inH; y++) {
        int rowIn = y * inW;
        int rowOut = y * outW;
        for (int x = 0; x < outW; x++) {
          horizontal[rowOut + x] = k.apply(in, rowIn, 1, x);
        }
      }
    }
    if (outH == inH) {
      return horizontal == in ? in.clone() : horizontal;
    }
    Kernel k = new Kernel(inH, outH);
    int[] out = new int[outW * outH];
    for (int y = 0; y < outH; y++) {
      for (int x = 0; x < outW; x++) {
        out[y * outW + x] = k.apply(horizontal, x, outW, y);
      }
    }
    return out;
  }

  /** Pillow's {@code precompute_coeffs} + {@code normalize_coeffs_8bpc} for the triangle filter. */
  private static final class Kernel {
    private final int size;
    private final int[] bounds;
    private final int[] coefficients;

    Kernel(int inSize, int outSize) {
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = 1.0 * filterScale;
      size = (int) Math.ceil(support) * 2 + 1;
      bounds = new int[outSize * 2];
      coefficients = new int[outSize * size];
      double[] w = new double[size];
      for (int xx = 0; xx < outSize; xx++) {
        double center = (xx + 0.5) * scale;
        double ss = 1.0 / filterScale;
        int xmin = Math.max((int) (center - support + 0.5), 0);
        int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
        double sum = 0.0;
        for (int x = 0; x < xmax; x++) {
          w[x] = triangle((x + xmin - center + 0.5) * ss);
          sum += w[x];
        }
        for (int x = 0; x < xmax; x++) {
          double normalised = sum != 0.0 ? w[x] / sum : w[x];
          coefficients[xx * size + x] =
              (int) (normalised < 0 ? -0.5 + normalised * (1 << PRECISION_BITS)
                  : 0.5 + normalised * (1 << PRECISION_BITS));
        }
        bounds[xx * 2] = xmin;
        bounds[xx * 2 + 1] = xmax;
      }
    }

    private static double triangle(double x) {
      x = Math.abs(x);
      return x < 1.0 ? 1.0 - x : 0.0;
    }

    /**
     * One output pixel: the weighted sum of input pixels {@code base + (bounds + i) * stride},
     * rounded and clipped per channel like Pillow's {@code clip8}.
     */
    int apply(int[] pixels, int base, int stride, int outIndex) {
      int xmin = bounds[outIndex * 2];
      int n = bounds[outIndex * 2 + 1];
      int k0 = outIndex * size;
      int r = 1 << (PRECISION_BITS - 1);
      int g = r;
      int b = r;
      int p = base + xmin * stride;
      for (int i = 0; i < n; i++, p += stride) {
        int c = coefficients[k0 + i];
        int px = pixels[p];
        r += ((px >>> 16) & 0xFF) * c;
        g += ((px >>> 8) & 0xFF) * c;
        b += (px & 0xFF) * c;
      }
      return (clip8(r) << 16) | (clip8(g) << 8) | clip8(b);
    }

    private static int clip8(int v) {
      if (v >= (1 << PRECISION_BITS << 8)) {
        return 255;
      }
      if (v <= 0) {
        return 0;
      }
      return v >> PRECISION_BITS;
    }
  }
}
