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

  /** The same box moved by {@code (dx, dy)} on the min corner only, e.g. to turn 0-based into 1-based. */
  public Box shiftMin(double dx, double dy) {
    return new Box(xmin + dx, ymin + dy, xmax, ymax);
  }
}
