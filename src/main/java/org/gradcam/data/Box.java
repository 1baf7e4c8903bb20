package org.gradcam.data;

/**
 * An axis-aligned box {@code [xmin, ymin, xmax, ymax]} in pixel coordinates. The convention
 * (VOC 1-based inclusive, or 0-based half-open slices) is the producer's; {@code Iou} decides
 * how to measure it.
 */
public record Box(double xmin, double ymin, double xmax, double ymax) {
  public Box {
    if (!(Double.isFinite(xmin) && Double.isFinite(ymin) && Double.isFinite(xmax)
        && Double.isFinite(ymax))) {
      throw new IllegalArgumentException("box has a non-finite coordinate: "
          + xmin + "," + ymin + "," + xmax + "," + ymax);
    }
  }

  /**
   * This box, checked to have {@code xmax >= xmin} and {@code ymax >= ymin}, for readers of
   * boxes made elsewhere: an inverted box has no area, so it would silently never match
   * (equal corners stay valid, a one-pixel VOC box is {@code xmin == xmax}).
   */
  public Box requireOrdered() {
    if (xmax < xmin || ymax < ymin) {
      throw new IllegalArgumentException("box [" + xmin + "," + ymin + "," + xmax + "," + ymax
          + "] is inverted (" + (xmax < xmin ? "xmax < xmin" : "ymax < ymin") + ")");
    }
    return this;
  }

  /** The same box moved by {@code (dx, dy)} on the min corner only, e.g. to turn 0-based into 1-based. */
  public Box shiftMin(double dx, double dy) {
    return new Box(xmin + dx, ymin + dy, xmax, ymax);
  }
}
