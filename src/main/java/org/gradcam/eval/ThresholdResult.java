package org.gradcam.eval;

/** AP and recall (fractions) at one IoU threshold, with the curve they come from. */
public record ThresholdResult(double iouThreshold, double ap, double recall, PrCurve curve) {}
