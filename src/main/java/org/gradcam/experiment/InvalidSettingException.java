package org.gradcam.experiment;

/**
 * A setting of an experiment that cannot work, named as the settings record names it (e.g.
 * {@code thresholds}); a command line names it as its own option instead ({@link #problem} is
 * the message without the setting's name).
 */
public final class InvalidSettingException extends IllegalArgumentException {
  private final String setting;
  private final String problem;

  public InvalidSettingException(String setting, String problem) {
    super(setting + " " + problem);
    this.setting = setting;
    this.problem = problem;
  }

  /** The record component, e.g. {@code boxMethod}. */
  public String setting() {
    return setting;
  }

  /** What is wrong, e.g. {@code must be course or paper, got box}. */
  public String problem() {
    return problem;
  }
}
