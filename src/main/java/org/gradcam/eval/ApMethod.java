package org.gradcam.eval;

/** How the precision/recall curve is summarised into AP. */
public enum ApMethod {
  /** Area under the interpolated curve at every recall change: VOC2010+, detectron2 use_07_metric=False. */
  ALL_POINT("all-point"),
  /** Mean interpolated precision at recall 0, 0.1, ..., 1: VOC2007. */
  ELEVEN_POINT("11-point");

  private final String id;

  ApMethod(String id) {
    this.id = id;
  }

  /** The name tables and commands use: {@code all-point}, {@code 11-point}. */
  public String id() {
    return id;
  }
}
