package org.gradcam.data;

/**
 * The project's one pixel box: whole pixels, 0-based, exclusive stop, in the layout of a
 * {@code scipy.ndimage.find_objects} slice. It covers columns {@code xmin .. xmax-1} and rows
 * {@code ymin .. ymax-1} of a map indexed {@code map[y * width + x]}. Exclusive stops make width
 * and height plain differences and match the published experiment's numbers without off-by-one
 * conversions.
 *
 * <p>VOC boxes ({@link VocBox}) are 1-based and inclusive: {@code xmin = 1} is the first column
 * and {@code xmax} the last one covered. The same pixels here are {@code xmin - 1 .. xmax}
 * (exclusive), which is how TorchRay's {@code voc_as_mask} fills its mask
 * ({@code mask[ymin-1 : ymax, xmin-1 : xmax]}); {@link #fromVoc} and {@link #toVoc} are the two
 * directions of that conversion, and the only ones.
 */
public record PixelBox(int xmin, int ymin, int xmax, int ymax) {

  public PixelBox {
    if (xmin < 0 || ymin < 0 || xmax <= xmin || ymax <= ymin) {
      throw new IllegalArgumentException(
          "box needs 0 <= xmin < xmax and 0 <= ymin < ymax, got " + this);
    }
  }

  /** The box covering a whole {@code width} x {@code height} image. */
  public static PixelBox fullImage(int width, int height) {
    return new PixelBox(0, 0, width, height);
  }

  /**
   * The pixels of a VOC box (1-based, inclusive, whole-pixel coordinates), exactly: VOC
   * {@code (1, 1, 10, 10)} is pixels 0..9 in both axes, {@code PixelBox(0, 0, 10, 10)}.
   *
   * @throws IllegalArgumentException for a fractional coordinate or a box starting before pixel 1
   */
  public static PixelBox fromVoc(VocBox voc) {
    return new PixelBox(integral(voc.xmin(), voc) - 1, integral(voc.ymin(), voc) - 1,
        integral(voc.xmax(), voc), integral(voc.ymax(), voc));
  }

  /**
   * The pixels of a VOC box inside a {@code width x height} image: {@link #fromVoc} clipped to
   * the image, so a box touching the border (e.g. {@code xmax = width}) ends on the last column.
   *
   * @throws IllegalArgumentException for a fractional coordinate or a box wholly outside
   */
  public static PixelBox fromVoc(VocBox voc, int width, int height) {
    int x0 = Math.max(integral(voc.xmin(), voc) - 1, 0);
    int y0 = Math.max(integral(voc.ymin(), voc) - 1, 0);
    int x1 = Math.min(integral(voc.xmax(), voc), width);
    int y1 = Math.min(integral(voc.ymax(), voc), height);
    if (x1 <= x0 || y1 <= y0) {
      throw new IllegalArgumentException("VOC box " + voc + " has no pixel inside a " + width
          + "x" + height + " image");
    }
    return new PixelBox(x0, y0, x1, y1);
  }

  /** The same pixels as a VOC box (1-based, inclusive): {@code (xmin+1, ymin+1, xmax, ymax)}. */
  public VocBox toVoc() {
    return new VocBox(xmin + 1, ymin + 1, xmax, ymax);
  }

  /**
   * This box's coordinates unchanged, read as a VOC box: how the published experiment evaluated
   * its 0-based, exclusive-stop boxes against the 1-based, inclusive VOC ground truth, kept for
   * comparability. Not the same pixels (the exact equivalent is {@link #toVoc}, one pixel
   * further right and down at the min corner).
   */
  public VocBox asPublishedDetection() {
    return new VocBox(xmin, ymin, xmax, ymax);
  }

  public int width() {
    return xmax - xmin;
  }

  public int height() {
    return ymax - ymin;
  }

  /** Number of pixels covered; a long because large boxes overflow an int. */
  public long area() {
    return (long) width() * height();
  }

  public boolean contains(int x, int y) {
    return x >= xmin && x < xmax && y >= ymin && y < ymax;
  }

  /**
   * Squared Euclidean distance from pixel {@code (x, y)} to the nearest pixel of the box, 0
   * inside; distances are between pixel indices, as in TorchRay's pointing game.
   */
  public long squaredDistanceTo(int x, int y) {
    long dx = x < xmin ? xmin - x : (x >= xmax ? x - (xmax - 1) : 0);
    long dy = y < ymin ? ymin - y : (y >= ymax ? y - (ymax - 1) : 0);
    return dx * dx + dy * dy;
  }

  /** {@code [xmin, ymin, xmax, ymax]}, the layout printed by the CLI. */
  public int[] toArray() {
    return new int[] {xmin, ymin, xmax, ymax};
  }

  @Override
  public String toString() {
    return "[" + xmin + ", " + ymin + ", " + xmax + ", " + ymax + "]";
  }

  private static int integral(double v, VocBox voc) {
    if (v != Math.rint(v)) {
      throw new IllegalArgumentException("VOC box coordinates are whole pixels, got " + v
          + " in " + voc);
    }
    return (int) v;
  }
}
