package org.gradcam.data;

/**
 * A box as the VOC evaluation reads it: {@code [xmin, ymin, xmax, ymax]} as doubles, in VOC's
 * 1-based, inclusive pixel convention when the coordinates are whole (VOC XML, the published
 * ground-truth pickle, {@code voc2007_test_objects.csv}). Detections are doubles too (a
 * published pickle's float boxes, the centred baselines' fractional ones, a detections CSV),
 * and the evaluation compares them in this frame as they are; the IoU convention
 * ({@code eval.Iou.Convention}) decides how corners become areas. Whole pixels of our own are a
 * {@link PixelBox}; {@link PixelBox#fromVoc} and {@link PixelBox#toVoc} convert.
 */
public record VocBox(double xmin, double ymin, double xmax, double ymax) {
  public VocBox {
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
  public VocBox requireOrdered() {
    if (xmax < xmin || ymax < ymin) {
      throw new IllegalArgumentException("box [" + xmin + "," + ymin + "," + xmax + "," + ymax
          + "] is inverted (" + (xmax < xmin ? "xmax < xmin" : "ymax < ymin") + ")");
    }
    return this;
  }

  /**
   * The same box moved by {@code (dx, dy)} on the min corner only, e.g. {@code (1, 1)} reads
   * 0-based slice corners as VOC's 1-based inclusive ones ({@link PixelBox#toVoc} for whole
   * pixels of ours; this is for detections that are doubles).
   */
  public VocBox shiftMin(double dx, double dy) {
    return new VocBox(xmin + dx, ymin + dy, xmax, ymax);
  }
}
