package org.gradcam.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Turns heatmaps into pictures: coloured on their own, blended over the photo they explain, or as
 * enlarged grey cells that show the raw resolution of the map.
 *
 * <p>Heatmaps are row-major {@code float[]} with the height first ({@code map[y * width + x]}),
 * values expected in [0, 1] (out-of-range values are clamped, NaN is rejected, see {@link
 * Colormap#rgb}). Everything works on {@code int[]} rasters without per-pixel allocation, since a
 * web page or a batch run colours thousands of maps.
 */
public final class Overlay {
  private Overlay() {}

  /** The heatmap coloured with {@code colormap}, one pixel per value. */
  public static BufferedImage colorize(float[] heatmap, int height, int width, Colormap colormap) {
    checkMap(heatmap, height, width);
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] dst = pixels(out);
    int[] lut = colormap.sharedTable();
    for (int i = 0; i < dst.length; i++) {
      dst[i] = lut[Colormap.index(heatmap[i])];
    }
    return out;
  }

  /**
   * Blends the coloured heatmap over the image: per channel {@code out = alpha * colour + (1 -
   * alpha) * image}, computed in double and rounded to the nearest integer, halves upwards ({@code
   * (int) (x + 0.5)}).
   *
   * @param heatmap values for every image pixel, {@code image.getHeight() x image.getWidth()};
   *     enlarge a coarse map first with {@link HeatmapUpsampler} or use {@link #blend(BufferedImage,
   *     float[], int, int, Colormap, double)}
   * @param alpha weight of the colour, in [0, 1]
   * @return a new {@code TYPE_INT_RGB} image; the input is not modified
   */
  public static BufferedImage blend(
      BufferedImage image, float[] heatmap, Colormap colormap, double alpha) {
    if (!(alpha >= 0.0 && alpha <= 1.0)) {
      throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
    }
    int w = image.getWidth();
    int h = image.getHeight();
    if (heatmap.length != w * h) {
      throw new IllegalArgumentException("Heatmap has " + heatmap.length
          + " values but the image is " + w + "x" + h + " = " + w * h + " pixels;"
          + " upsample it to the image size first");
    }
    int[] src = Images.packedRgb(image);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] dst = pixels(out);
    int[] lut = colormap.sharedTable();
    double beta = 1.0 - alpha;
    for (int i = 0; i < dst.length; i++) {
      int c = lut[Colormap.index(heatmap[i])];
      int p = src[i];
      int r = (int) (alpha * ((c >>> 16) & 0xFF) + beta * ((p >>> 16) & 0xFF) + 0.5);
      int g = (int) (alpha * ((c >>> 8) & 0xFF) + beta * ((p >>> 8) & 0xFF) + 0.5);
      int b = (int) (alpha * (c & 0xFF) + beta * (p & 0xFF) + 0.5);
      dst[i] = (r << 16) | (g << 8) | b;
    }
    return out;
  }

  /**
   * Enlarges a coarse map ({@code mapHeight x mapWidth}) to the image size with {@link
   * HeatmapUpsampler} and blends it as {@link #blend(BufferedImage, float[], Colormap, double)}.
   */
  public static BufferedImage blend(BufferedImage image, float[] map, int mapHeight, int mapWidth,
      Colormap colormap, double alpha) {
    float[] full = HeatmapUpsampler.upsample(
        map, mapHeight, mapWidth, image.getHeight(), image.getWidth());
    return blend(image, full, colormap, alpha);
  }

  /**
   * A grey picture of a raw map for teaching: each value becomes a {@code cellSize x cellSize}
   * square (nearest neighbour, so the cells stay visible) of grey {@code round(255 * v)}, with
   * {@code v} clamped to [0, 1].
   */
  public static BufferedImage grayCells(float[] map, int height, int width, int cellSize) {
    checkMap(map, height, width);
    if (cellSize <= 0) {
      throw new IllegalArgumentException("cellSize must be positive, got " + cellSize);
    }
    int outW = width * cellSize;
    BufferedImage out = new BufferedImage(outW, height * cellSize, BufferedImage.TYPE_INT_RGB);
    int[] dst = pixels(out);
    for (int y = 0; y < height * cellSize; y++) {
      int row = (y / cellSize) * width;
      for (int x = 0; x < outW; x++) {
        float v = map[row + x / cellSize];
        if (Float.isNaN(v)) {
          throw new IllegalArgumentException("Cannot draw NaN: the map contains NaN values");
        }
        int g = (int) (255.0 * Math.min(Math.max(v, 0.0), 1.0) + 0.5);
        dst[y * outW + x] = (g << 16) | (g << 8) | g;
      }
    }
    return out;
  }

  private static void checkMap(float[] map, int height, int width) {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("Map size must be positive, got " + height + "x" + width);
    }
    if (map.length != height * width) {
      throw new IllegalArgumentException("Map has " + map.length + " values, expected "
          + height + "x" + width + " = " + height * width);
    }
  }

  private static int[] pixels(BufferedImage rgb) {
    return ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
  }
}
