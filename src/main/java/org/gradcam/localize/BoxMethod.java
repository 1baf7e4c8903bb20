package org.gradcam.localize;

import java.util.Locale;

/**
 * The box procedures by name, one constant per {@link BoxExtractor}, so commands and settings
 * name a procedure by this type and get its extractor from one factory.
 */
public enum BoxMethod {
  /** The published experiment's SciPy procedure, {@link CourseBoxExtractor}. */
  COURSE,
  /** The Grad-CAM paper's largest segment, {@link PaperBoxExtractor}. */
  PAPER;

  /** The name commands and result files use: {@code course}, {@code paper}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The extractor of this procedure.
   *
   * @param smooth the uniform filter size (course only)
   * @param precision the dtype the map had in NumPy (course only; paper compares in double)
   */
  public BoxExtractor extractor(int smooth, Precision precision) {
    return this == PAPER ? new PaperBoxExtractor() : new CourseBoxExtractor(smooth, precision);
  }
}
