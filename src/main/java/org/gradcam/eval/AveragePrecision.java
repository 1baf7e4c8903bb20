package org.gradcam.eval;

/** AP from a precision/recall curve, as the VOC devkit computes it. */
public final class AveragePrecision {
  private AveragePrecision() {}

  public static double of(double[] recall, double[] precision, ApMethod method) {
    return method == ApMethod.ALL_POINT ? allPoint(recall, precision) : elevenPoint(recall, precision);
  }

  /**
   * Sentinels (recall 0 and 1, precision 0) around the curve, precision made monotone from the
   * right, then the sum of recall steps times the precision at the step's end.
   */
  public static double allPoint(double[] recall, double[] precision) {
    int n = recall.length;
    double[] mrec = new double[n + 2];
    double[] mpre = new double[n + 2];
    System.arraycopy(recall, 0, mrec, 1, n);
    System.arraycopy(precision, 0, mpre, 1, n);
    mrec[n + 1] = 1.0;
    for (int i = mpre.length - 1; i > 0; i--) {
      mpre[i - 1] = Math.max(mpre[i - 1], mpre[i]);
    }
    double ap = 0.0;
    for (int i = 0; i + 1 < mrec.length; i++) {
      if (mrec[i + 1] != mrec[i]) {
        ap += (mrec[i + 1] - mrec[i]) * mpre[i + 1];
      }
    }
    return ap;
  }

  /** Mean over t = 0, 0.1, ..., 1 of the best precision at recall >= t (0 if none). */
  public static double elevenPoint(double[] recall, double[] precision) {
    double ap = 0.0;
    for (int k = 0; k <= 10; k++) {
      double t = k * 0.1; // the same doubles as numpy's arange(0.0, 1.1, 0.1)
      double p = 0.0;
      for (int i = 0; i < recall.length; i++) {
        if (recall[i] >= t) {
          p = Math.max(p, precision[i]);
        }
      }
      ap += p / 11.0;
    }
    return ap;
  }
}
