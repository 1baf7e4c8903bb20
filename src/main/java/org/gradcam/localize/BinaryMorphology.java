package org.gradcam.localize;

/**
 * Binary-mask operations of {@code scipy.ndimage} that the box extractors need. A mask is flat
 * and row-major like a map: pixel {@code (x, y)} is {@code mask[y * width + x]}.
 */
public final class BinaryMorphology {
  /** The 4-neighbourhood: up, down, left, right. */
  private static final int[] DY = {-1, 1, 0, 0};
  private static final int[] DX = {0, 0, -1, 1};

  private BinaryMorphology() {}

  /**
   * {@code scipy.ndimage.binary_fill_holes(mask)} with its default structure: a hole is a
   * background region that no 4-connected background path links to the image border, so a
   * background pocket that touches the outside only diagonally is filled. Returns a new mask.
   */
  public static boolean[] fillHoles(boolean[] mask, int width, int height) {
    requireValidMask(mask, width, height);
    boolean[] outside = new boolean[mask.length];
    int[] queue = new int[mask.length];
    int tail = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        boolean border = y == 0 || x == 0 || y == height - 1 || x == width - 1;
        if (border && !mask[y * width + x]) {
          outside[y * width + x] = true;
          queue[tail++] = y * width + x;
        }
      }
    }
    for (int head = 0; head < tail; head++) {
      int y = queue[head] / width;
      int x = queue[head] % width;
      for (int d = 0; d < 4; d++) {
        int ny = y + DY[d];
        int nx = x + DX[d];
        int n = ny * width + nx;
        if (ny >= 0 && ny < height && nx >= 0 && nx < width && !mask[n] && !outside[n]) {
          outside[n] = true;
          queue[tail++] = n;
        }
      }
    }
    boolean[] filled = new boolean[mask.length];
    for (int i = 0; i < filled.length; i++) {
      filled[i] = !outside[i];
    }
    return filled;
  }

  /**
   * Rejects masks without pixels, which have no border to fill from, and masks whose length is
   * not {@code width * height}.
   */
  static void requireValidMask(boolean[] mask, int width, int height) {
    if (mask == null || width < 1 || height < 1) {
      throw new IllegalArgumentException("mask is empty: it needs at least one row and column");
    }
    if (mask.length != (long) width * height) {
      throw new IllegalArgumentException("mask has " + mask.length + " pixels, not "
          + width + "x" + height);
    }
  }
}
