package org.gradcam.eval;

/**
 * The cumulative precision/recall after each ranked detection (fractions, not percent), kept for
 * plotting. {@code positives} is the number of GT boxes that count.
 */
public record PrCurve(double[] precision, double[] recall, int positives, int truePositives,
    int falsePositives) {
  /** Recall after the last detection (0 without detections). */
  public double finalRecall() {
    return recall.length == 0 ? 0.0 : recall[recall.length - 1];
  }

  public double ap(ApMethod method) {
    return AveragePrecision.of(recall, precision, method);
  }
}
