package org.gradcam.localize;

import java.util.ArrayList;
import java.util.List;
import org.gradcam.data.PixelBox;

/**
 * The 4-connected components of a binary mask, labelled like {@code scipy.ndimage.label} with its
 * default structure: pixels that touch only diagonally are separate components, and labels
 * 1, 2, ... follow the raster-scan order (row by row) of each component's first pixel.
 */
public final class ConnectedComponents {
  /** The 4-neighbourhood: up, down, left, right. */
  private static final int[] DY = {-1, 1, 0, 0};
  private static final int[] DX = {0, 0, -1, 1};

  private final int[] labels;
  private final int width;
  private final int count;
  private final long[] sizes;
  private final List<PixelBox> boxes;

  private ConnectedComponents(int[] labels, int width, int count, long[] sizes,
      List<PixelBox> boxes) {
    this.labels = labels;
    this.width = width;
    this.count = count;
    this.sizes = sizes;
    this.boxes = boxes;
  }

  /**
   * Labels a flat, row-major mask (pixel {@code (x, y)} at {@code mask[y * width + x]}) in
   * O(pixels) with a breadth-first fill.
   */
  public static ConnectedComponents label(boolean[] mask, int width, int height) {
    BinaryMorphology.requireValidMask(mask, width, height);
    int[] labels = new int[mask.length];
    int[] queue = new int[mask.length];
    List<Long> sizes = new ArrayList<>();
    List<PixelBox> boxes = new ArrayList<>();
    int count = 0;
    for (int start = 0; start < mask.length; start++) {
      if (!mask[start] || labels[start] != 0) {
        continue;
      }
      int label = ++count;
      labels[start] = label;
      queue[0] = start;
      int tail = 1;
      int xmin = start % width;
      int xmax = xmin;
      int ymin = start / width;
      int ymax = ymin;
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
          int n = ny * width + nx;
          if (ny >= 0 && ny < height && nx >= 0 && nx < width && mask[n] && labels[n] == 0) {
            labels[n] = label;
            queue[tail++] = n;
          }
        }
      }
      sizes.add((long) tail);
      boxes.add(new PixelBox(xmin, ymin, xmax + 1, ymax + 1));
    }
    return new ConnectedComponents(labels, width, count,
        sizes.stream().mapToLong(Long::longValue).toArray(), List.copyOf(boxes));
  }

  /** Number of components; labels run from 1 to this. */
  public int count() {
    return count;
  }

  /** The label of pixel {@code (y, x)}, 0 for background. */
  public int labelAt(int y, int x) {
    return labels[y * width + x];
  }

  /** Pixel count of component {@code label} (1-based). */
  public long size(int label) {
    return sizes[label - 1];
  }

  /**
   * One box per component in label order, as {@code scipy.ndimage.find_objects} gives them:
   * the exclusive slice stops become {@code xmax} and {@code ymax}.
   */
  public List<PixelBox> boxes() {
    return boxes;
  }
}
