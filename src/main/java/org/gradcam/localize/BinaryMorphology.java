package org.gradcam.localize;

/** Binary-mask operations of {@code scipy.ndimage} that the box extractors need. */
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
  public static boolean[][] fillHoles(boolean[][] mask) {
    requireNonEmpty(mask);
    int height = mask.length;
    int width = mask[0].length;
    boolean[][] outside = new boolean[height][width];
    int[] queue = new int[height * width];
    int tail = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        boolean border = y == 0 || x == 0 || y == height - 1 || x == width - 1;
        if (border && !mask[y][x]) {
          outside[y][x] = true;
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
        if (ny >= 0 && ny < height && nx >= 0 && nx < width && !mask[ny][nx] && !outside[ny][nx]) {
          outside[ny][nx] = true;
          queue[tail++] = ny * width + nx;
        }
      }
    }
    boolean[][] filled = new boolean[height][width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        filled[y][x] = !outside[y][x];
      }
    }
    return filled;
  }

  /** Rejects masks without pixels, which have no border to fill from. */
  static void requireNonEmpty(boolean[][] mask) {
    if (mask == null || mask.length == 0 || mask[0] == null || mask[0].length == 0) {
      throw new IllegalArgumentException("mask is empty: it needs at least one row and column");
    }
  }
}
