package org.gradcam.eval;

import org.gradcam.data.PixelBox;
import org.gradcam.data.VocBox;

/**
 * Intersection over union of two boxes: the project's one implementation. How corners become
 * widths is a named {@link Convention}, not a second formula.
 */
public final class Iou {
  private Iou() {}

  /** How the corners {@code [x1, x2]} of a box measure its width (and likewise its height). */
  public enum Convention {
    /**
     * Corners are inclusive pixel indices, so the width is {@code x2 - x1 + 1} (the VOC devkit's
     * "+1", detectron2 voc_eval): the published evaluation's setting. On whole-pixel VOC boxes it
     * counts pixels, so it is also the IoU of two pixel sets.
     */
    INCLUSIVE_PIXELS(1.0),
    /** Corners are continuous coordinates (or exclusive stops): the width is {@code x2 - x1}. */
    CONTINUOUS(0.0);

    private final double extra;

    Convention(double extra) {
      this.extra = extra;
    }
  }

  /** IoU of two boxes measured in {@code convention}. */
  public static double of(VocBox a, VocBox b, Convention convention) {
    double inter = intersection(a, b, convention);
    return inter / (area(a, convention) + area(b, convention) - inter);
  }

  /**
   * IoU of the pixel sets of two boxes: the devkit's convention on their VOC form, which counts
   * the same pixels (exactly: every term is a whole number, exact in a double below 2^53 pixels).
   */
  public static double of(PixelBox a, PixelBox b) {
    return of(a.toVoc(), b.toVoc(), Convention.INCLUSIVE_PIXELS);
  }

  /** Area shared by the two boxes in {@code convention}, 0 when they do not overlap. */
  public static double intersection(VocBox a, VocBox b, Convention convention) {
    double one = convention.extra;
    double iw = Math.max(Math.min(a.xmax(), b.xmax()) - Math.max(a.xmin(), b.xmin()) + one, 0.0);
    double ih = Math.max(Math.min(a.ymax(), b.ymax()) - Math.max(a.ymin(), b.ymin()) + one, 0.0);
    return iw * ih;
  }

  /** The box's area in {@code convention}. */
  public static double area(VocBox a, Convention convention) {
    double one = convention.extra;
    return (a.xmax() - a.xmin() + one) * (a.ymax() - a.ymin() + one);
  }
}
