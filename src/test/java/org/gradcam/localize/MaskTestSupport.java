package org.gradcam.localize;

import java.util.List;
import org.gradcam.data.PixelBox;

/**
 * Builds flat masks and maps from ASCII art ('#' = on) and row literals, so hand-computed cases
 * stay readable while the code under test takes the project's flat, row-major layout.
 */
final class MaskTestSupport {
  private MaskTestSupport() {}

  /** A flat mask with its shape. */
  record Mask(boolean[] pixels, int width, int height) {}

  static Mask mask(String... rows) {
    int width = rows.length == 0 ? 0 : rows[0].length();
    boolean[] mask = new boolean[rows.length * width];
    for (int y = 0; y < rows.length; y++) {
      if (rows[y].length() != width) {
        throw new IllegalArgumentException("art row " + y + " has another width");
      }
      for (int x = 0; x < width; x++) {
        mask[y * width + x] = rows[y].charAt(x) == '#';
      }
    }
    return new Mask(mask, width, rows.length);
  }

  static String[] art(boolean[] mask, int width) {
    String[] rows = new String[mask.length / width];
    for (int y = 0; y < rows.length; y++) {
      StringBuilder row = new StringBuilder();
      for (int x = 0; x < width; x++) {
        row.append(mask[y * width + x] ? '#' : '.');
      }
      rows[y] = row.toString();
    }
    return rows;
  }

  static String[] art(Mask mask) {
    return art(mask.pixels(), mask.width());
  }

  static Mask fillHoles(Mask mask) {
    return new Mask(BinaryMorphology.fillHoles(mask.pixels(), mask.width(), mask.height()),
        mask.width(), mask.height());
  }

  static ConnectedComponents label(Mask mask) {
    return ConnectedComponents.label(mask.pixels(), mask.width(), mask.height());
  }

  /** The rows {@code map[y][x]} laid out flat, {@code y * width + x}. */
  static double[] flat(double[][] rows) {
    int width = rows[0].length;
    double[] out = new double[rows.length * width];
    for (int y = 0; y < rows.length; y++) {
      System.arraycopy(rows[y], 0, out, y * width, width);
    }
    return out;
  }

  /** The extractor's boxes of a map written as rows. */
  static List<PixelBox> boxes(BoxExtractor extractor, double[][] rows, double threshold) {
    return extractor.extract(flat(rows), rows[0].length, rows.length, threshold);
  }
}
