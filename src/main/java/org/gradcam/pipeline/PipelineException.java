package org.gradcam.pipeline;

/**
 * A stage of a {@link Pipeline} failed on an item; the message starts with the item's name
 * (e.g. {@code photos/x.jpg: cannot decode JPEG image: ...}) unless the cause already names it.
 */
public final class PipelineException extends Exception {
  private final int item;

  public PipelineException(int item, String name, Throwable cause) {
    super(message(name, cause), cause);
    this.item = item;
  }

  /** The index of the failing item (the first of its batch for a failed run). */
  public int item() {
    return item;
  }

  private static String message(String name, Throwable cause) {
    // "Java heap space" alone does not say what to do about it.
    String m = cause instanceof OutOfMemoryError ? "out of memory (Java heap limit "
        + (Runtime.getRuntime().maxMemory() >> 20) + " MB); give Java more, e.g. "
        + "GRADCAM_JAVA_OPTS=-Xmx16g, or a smaller --batch-size"
        : cause.getMessage() == null ? cause.toString() : cause.getMessage();
    return m.startsWith(name) ? m : name + ": " + m;
  }
}
