package org.gradcam.localize;

import java.util.ArrayList;
import java.util.List;

/**
 * The 4-connected components of a binary mask, labelled like {@code scipy.ndimage.label} with its
 * default structure: pixels that touch only diagonally are separate components, and labels
 * 1, 2, ... follow the raster-scan order (row by row) of each component's first pixel.
 */
public final class ConnectedComponents {
  /** The 4-neighbourhood: up, down, left, right. */
  private static final int[] DY = {-1, 1, 0, 0};
  private static final int[] DX = {0, 0, -1, 1};

  private final int[][] labels;
  private final int count;
  private final long[] sizes;
  private final List<Box> boxes;

  private ConnectedComponents(int[][] labels, int count, long[] sizes, List<Box> boxes) {
    this.labels = labels;
    this.count = count;
    this.sizes = sizes;
    this.boxes = boxes;
  }

  /** Labels {@code mask} (indexed {@code [y][x]}) in O(pixels) with a breadth-first fill. */
  public static ConnectedComponents label(boolean[][] mask) {
    BinaryMorphology.requireNonEmpty(mask);
    int height = mask.length;
    int width = mask[0].length;
    int[][] labels = new int[height][width];
    int[] queue = new int[height * width];
    List<Long> sizes = new ArrayList<>();
    List<Box> boxes = new ArrayList<>();
    int count = 0;
    for (int sy = 0; sy < height; sy++) {
      for (int sx = 0; sx < width; sx++) {
        if (!mask[sy][sx] || labels[sy][sx] != 0) {
          continue;
        }
        int label = ++count;
        labels[sy][sx] = label;
        queue[0] = sy * width + sx;
        int tail = 1;
        int xmin = sx;
        int xmax = sx;
        int ymin = sy;
        int ymax = sy;
        for (int head = 0; head < tail; head++) {
          int y = queue[head] / width;
          int x = queue[head] % width;
          xmin = Math.min(xmin, x);
          xmax = Math.max(xmax, x);
          ymin = Math.min(ymin, y);
          ymax = Math.max(ymax, y);
          for (int d = 0; d < 4; d++) {
            int ny = y + DY[d];
            int nx = x + DX[d];
            if (ny >= 0 && ny < height && nx >= 0 && nx < width
                && mask[ny][nx] && labels[ny][nx] == 0) {
              labels[ny][nx] = label;
              queue[tail++] = ny * width + nx;
            }
          }
        }
        sizes.add((long) tail);
        boxes.add(new Box(xmin, ymin, xmax + 1, ymax + 1));
      }
    }
    return new ConnectedComponents(labels, count,
        sizes.stream().mapToLong(Long::longValue).toArray(), List.copyOf(boxes));
  }

  /** Number of components; labels run from 1 to this. */
  public int count() {
    return count;
  }

  /** The label of pixel {@code (y, x)}, 0 for background. */
  public int labelAt(int y, int x) {
    return labels[y][x];
  }

  /** Pixel count of component {@code label} (1-based). */
  public long size(int label) {
    return sizes[label - 1];
  }

  /**
   * One box per component in label order, as {@code scipy.ndimage.find_objects} gives them:
   * the exclusive slice stops become {@code xmax} and {@code ymax}.
   */
  public List<Box> boxes() {
    return boxes;
  }
}
