package org.gradcam.kernel;

import java.util.List;

/**
 * The code of a cell threw. The message starts with the class and message of the user's
 * exception, followed by the stack frames that lie inside cells (with their cell line).
 */
public final class CellEvaluationException extends CellException {

  private final String exceptionClass;
  private final String exceptionMessage;

  CellEvaluationException(String exceptionClass, String exceptionMessage, List<String> report) {
    super(report);
    this.exceptionClass = exceptionClass;
    this.exceptionMessage = exceptionMessage;
  }

  /** Fully qualified class name of the exception the cell threw, e.g. {@code java.lang.ArithmeticException}. */
  public String exceptionClass() {
    return exceptionClass;
  }

  /** The message of the exception the cell threw; may be {@code null}. */
  public String exceptionMessage() {
    return exceptionMessage;
  }
}
