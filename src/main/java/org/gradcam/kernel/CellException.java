package org.gradcam.kernel;

import java.util.List;

/**
 * A cell failed: it did not compile, or its code threw. {@link #report()} is what the notebook
 * shows as the error's traceback: plain lines that point at lines of the cell.
 */
public class CellException extends RuntimeException {

  private final List<String> report;

  CellException(List<String> report) {
    super(String.join("\n", report));
    this.report = List.copyOf(report);
  }

  /** The lines shown to the user, first the headline, then the details (no line breaks inside). */
  public List<String> report() {
    return report;
  }
}
