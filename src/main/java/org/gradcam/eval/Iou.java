package org.gradcam.eval;

import org.gradcam.data.Box;

/** Intersection over union of two boxes. */
public final class Iou {
  private Iou() {}

  /**
   * With {@code plusOne}, a box {@code [x1,x2]} covers pixels x1..x2 inclusive, so its width is
   * {@code x2 - x1 + 1} (VOC devkit, detectron2 voc_eval); without it, {@code x2 - x1}.
   */
  public static double of(Box a, Box b, boolean plusOne) {
    double one = plusOne ? 1.0 : 0.0;
    double iw = Math.max(Math.min(a.xmax(), b.xmax()) - Math.max(a.xmin(), b.xmin()) + one, 0.0);
    double ih = Math.max(Math.min(a.ymax(), b.ymax()) - Math.max(a.ymin(), b.ymin()) + one, 0.0);
    double inter = iw * ih;
    double union = (a.xmax() - a.xmin() + one) * (a.ymax() - a.ymin() + one)
        + (b.xmax() - b.xmin() + one) * (b.ymax() - b.ymin() + one) - inter;
    return inter / union;
  }
}
