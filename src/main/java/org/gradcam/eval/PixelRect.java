package org.gradcam.eval;

import org.gradcam.data.Box;

/**
 * A rectangle of whole pixels in 0-based image coordinates, both ends included: it covers
 * columns {@code x0..x1} and rows {@code y0..y1} of a map indexed {@code map[y * width + x]}.
 *
 * <p>VOC ground-truth boxes are 1-based and inclusive: {@code xmin = 1} is the first column, and
 * {@code xmax} is the last column covered. The same pixels in 0-based map coordinates are
 * {@code x0 = xmin - 1 .. x1 = xmax - 1}, which is how TorchRay's {@code voc_as_mask} fills its
 * mask ({@code mask[ymin-1 : ymax, xmin-1 : xmax]}). {@link #fromVoc} does that conversion and
 * clips to the image, so a box touching the border (e.g. {@code xmax = width}) ends on the last
 * map column.
 */
public record PixelRect(int x0, int y0, int x1, int y1) {
  public PixelRect {
    if (x1 < x0 || y1 < y0) {
      throw new IllegalArgumentException("empty pixel rectangle [" + x0 + ".." + x1 + "] x ["
          + y0 + ".." + y1 + "]");
    }
  }

  /**
   * The pixels of a VOC box (1-based, inclusive, integral coordinates) in a {@code width x
   * height} image, clipped to the image.
   *
   * @throws IllegalArgumentException for a fractional coordinate or a box wholly outside
   */
  public static PixelRect fromVoc(Box voc, int width, int height) {
    int xmin = integral(voc.xmin());
    int ymin = integral(voc.ymin());
    int xmax = integral(voc.xmax());
    int ymax = integral(voc.ymax());
    int x0 = Math.max(xmin - 1, 0);
    int y0 = Math.max(ymin - 1, 0);
    int x1 = Math.min(xmax - 1, width - 1);
    int y1 = Math.min(ymax - 1, height - 1);
    if (x1 < x0 || y1 < y0) {
      throw new IllegalArgumentException("VOC box " + voc + " has no pixel inside a " + width
          + "x" + height + " image");
    }
    return new PixelRect(x0, y0, x1, y1);
  }

  /** The pixels of a {@link org.gradcam.localize.Box} (0-based, exclusive upper bounds). */
  public static PixelRect fromExclusive(org.gradcam.localize.Box box) {
    return new PixelRect(box.xmin(), box.ymin(), box.xmax() - 1, box.ymax() - 1);
  }

  public int width() {
    return x1 - x0 + 1;
  }

  public int height() {
    return y1 - y0 + 1;
  }

  public long area() {
    return (long) width() * height();
  }

  public boolean contains(int x, int y) {
    return x >= x0 && x <= x1 && y >= y0 && y <= y1;
  }

  /**
   * Squared Euclidean distance from pixel {@code (x, y)} to the nearest pixel of the rectangle,
   * 0 inside; distances are between pixel indices, as in TorchRay's pointing game.
   */
  public long squaredDistanceTo(int x, int y) {
    long dx = x < x0 ? x0 - x : (x > x1 ? x - x1 : 0);
    long dy = y < y0 ? y0 - y : (y > y1 ? y - y1 : 0);
    return dx * dx + dy * dy;
  }

  /** Pixels shared with {@code other}. */
  public long intersection(PixelRect other) {
    long w = Math.min(x1, other.x1) - Math.max(x0, other.x0) + 1L;
    long h = Math.min(y1, other.y1) - Math.max(y0, other.y0) + 1L;
    return w <= 0 || h <= 0 ? 0 : w * h;
  }

  /** Intersection over union of the two pixel sets. */
  public double iou(PixelRect other) {
    long inter = intersection(other);
    return inter / (double) (area() + other.area() - inter);
  }

  private static int integral(double v) {
    if (v != Math.rint(v)) {
      throw new IllegalArgumentException("VOC box coordinates are whole pixels, got " + v);
    }
    return (int) v;
  }
}
