package org.gradcam.eval;

/** What to do with GT boxes flagged difficult. */
public enum DifficultMode {
  /** Every GT box is a positive (what the published code does: its GT has no difficult flag). */
  COUNT,
  /** VOC standard: difficult boxes are not positives, and a match to one is neither TP nor FP. */
  IGNORE
}
