package org.gradcam.eval;

/**
 * The choices that make VOC-style evaluations differ.
 *
 * @param plusOne IoU with the VOC devkit's {@code +1} on widths and heights (inclusive pixel
 *     coordinates); {@code false} treats boxes as continuous
 * @param strictThreshold a match needs IoU {@code >} threshold (devkit); {@code false}: {@code >=}
 */
public record Protocol(ApMethod apMethod, DifficultMode difficult, boolean plusOne,
    boolean strictThreshold) {
  /** VOC devkit / detectron2 voc_eval with all-point AP and every GT box counted: the published setting. */
  public static final Protocol PUBLISHED =
      new Protocol(ApMethod.ALL_POINT, DifficultMode.COUNT, true, true);

  public Protocol with(ApMethod m) {
    return new Protocol(m, difficult, plusOne, strictThreshold);
  }

  public Protocol with(DifficultMode d) {
    return new Protocol(apMethod, d, plusOne, strictThreshold);
  }

  public Protocol withPlusOne(boolean p) {
    return new Protocol(apMethod, difficult, p, strictThreshold);
  }

  public Protocol withStrictThreshold(boolean s) {
    return new Protocol(apMethod, difficult, plusOne, s);
  }
}
