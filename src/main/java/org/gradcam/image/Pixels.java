package org.gradcam.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Pixel conversion behind {@link Images}: any decoded picture to 8-bit sRGB, and between
 * pictures and plain packed or float pixel arrays.
 */
final class Pixels {
  private Pixels() {}

  /**
   * Converts any decoded picture to 8-bit sRGB {@code TYPE_INT_RGB}: returns the argument itself
   * when it already is one, grey levels are copied into R, G and B unchanged (Java would otherwise
   * treat them as linear light and brighten them), alpha is discarded, other colour spaces are
   * converted to sRGB by their colour model.
   */
  static BufferedImage toRgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    ColorModel cm = image.getColorModel();
    if (!(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
      Raster raster = image.getRaster();
      int max = (1 << cm.getComponentSize(0)) - 1;
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          int g = max == 255 ? row[x] : (int) ((row[x] * 255L + max / 2) / max);
          dst[y * w + x] = (g << 16) | (g << 8) | g;
        }
      }
    } else {
      image.getRGB(0, 0, w, h, dst, 0, w);
      for (int i = 0; i < dst.length; i++) {
        dst[i] &= 0xFFFFFF;
      }
    }
    return out;
  }

  /**
   * The packed {@code 0xRRGGBB} pixels of an image, row-major. For a plain {@code TYPE_INT_RGB}
   * image this is its own backing array (so callers must not modify it); otherwise a copy after
   * {@link #toRgb}.
   */
  static int[] packedRgb(BufferedImage image) {
    BufferedImage rgb = toRgb(image);
    Raster raster = rgb.getRaster();
    if (raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm
        && sm.getScanlineStride() == rgb.getWidth()
        && raster.getSampleModelTranslateX() == 0
        && raster.getSampleModelTranslateY() == 0
        && raster.getDataBuffer().getOffset() == 0) {
      int[] data = ((DataBufferInt) raster.getDataBuffer()).getData();
      if (data.length == rgb.getWidth() * rgb.getHeight()) {
        return data;
      }
    }
    return rgb.getRGB(0, 0, rgb.getWidth(), rgb.getHeight(), null, 0, rgb.getWidth());
  }

  /** Wraps packed {@code 0xRRGGBB} pixels (taken over, not copied) as a {@code TYPE_INT_RGB} image. */
  static BufferedImage fromPackedRgb(int[] pixels, int width, int height) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    System.arraycopy(pixels, 0, dst, 0, width * height);
    return out;
  }

  /**
   * The pixels as {@code float} values 0..255 in height x width x RGB order, row-major: the layout
   * of Keras' {@code img_to_array}, left unnormalised so each model applies its own preprocessing.
   */
  static float[] toHwcFloats(BufferedImage image) {
    int[] px = packedRgb(image);
    float[] out = new float[px.length * 3];
    for (int i = 0, j = 0; i < px.length; i++, j += 3) {
      int p = px[i];
      out[j] = (p >>> 16) & 0xFF;
      out[j + 1] = (p >>> 8) & 0xFF;
      out[j + 2] = p & 0xFF;
    }
    return out;
  }
}
