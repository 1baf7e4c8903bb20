package org.gradcam.model.onnx;

/**
 * An ONNX file this importer cannot turn into an equivalent graph: not ONNX, truncated, an
 * unsupported op or attribute value, an input it cannot feed. Its message says what and where,
 * so that the command line prints it as its one error line.
 */
public final class OnnxImportException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public OnnxImportException(String message) {
    super(message);
  }

  public OnnxImportException(String message, Throwable cause) {
    super(message, cause);
  }
}
