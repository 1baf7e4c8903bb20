package org.gradcam.eval;

/**
 * The choices that make VOC-style evaluations differ.
 *
 * @param iou how the IoU measures boxes: {@link Iou.Convention#INCLUSIVE_PIXELS} is the VOC
 *     devkit's {@code +1} on widths and heights, {@link Iou.Convention#CONTINUOUS} treats boxes
 *     as continuous
 * @param strictThreshold a match needs IoU {@code >} threshold (devkit); {@code false}: {@code >=}
 */
public record Protocol(ApMethod apMethod, DifficultMode difficult, Iou.Convention iou,
    boolean strictThreshold) {
  /** VOC devkit / detectron2 voc_eval with all-point AP and every GT box counted: the published setting. */
  public static final Protocol PUBLISHED =
      new Protocol(ApMethod.ALL_POINT, DifficultMode.COUNT, Iou.Convention.INCLUSIVE_PIXELS, true);

  public Protocol with(ApMethod m) {
    return new Protocol(m, difficult, iou, strictThreshold);
  }

  public Protocol with(DifficultMode d) {
    return new Protocol(apMethod, d, iou, strictThreshold);
  }

  public Protocol with(Iou.Convention c) {
    return new Protocol(apMethod, difficult, c, strictThreshold);
  }

  public Protocol withStrictThreshold(boolean s) {
    return new Protocol(apMethod, difficult, iou, s);
  }
}
