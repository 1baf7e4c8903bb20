package org.gradcam.localize;

/**
 * An axis-aligned box in pixel coordinates, with exclusive upper bounds, in the layout of
 * {@code scipy.ndimage.find_objects} slices: x covers columns {@code xmin .. xmax-1}, y covers
 * rows {@code ymin .. ymax-1}. Exclusive bounds make width and height plain differences and
 * match the published experiment's numbers without off-by-one conversions.
 */
public record Box(int xmin, int ymin, int xmax, int ymax) {

  public Box {
    if (xmin < 0 || ymin < 0 || xmax <= xmin || ymax <= ymin) {
      throw new IllegalArgumentException(
          "box needs 0 <= xmin < xmax and 0 <= ymin < ymax, got " + this);
    }
  }

  /** The box covering a whole {@code width} x {@code height} image. */
  public static Box fullImage(int width, int height) {
    return new Box(0, 0, width, height);
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

  /** {@code [xmin, ymin, xmax, ymax]}, the layout printed by the CLI. */
  public int[] toArray() {
    return new int[] {xmin, ymin, xmax, ymax};
  }

  @Override
  public String toString() {
    return "[" + xmin + ", " + ymin + ", " + xmax + ", " + ymax + "]";
  }
}
