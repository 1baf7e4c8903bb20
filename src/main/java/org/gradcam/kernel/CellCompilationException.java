package org.gradcam.kernel;

import java.util.List;

/**
 * A cell did not compile, or declared something that refers to a name that does not exist.
 * The message holds each diagnostic and the failing line of the cell with a caret under the error.
 */
public final class CellCompilationException extends CellException {

  private final int line;

  CellCompilationException(int line, List<String> report) {
    super(report);
    this.line = line;
  }

  /** The 1-based line of the cell where the first error is. */
  public int line() {
    return line;
  }
}
