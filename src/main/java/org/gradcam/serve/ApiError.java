package org.gradcam.serve;

/** A request the server refuses: answered as {@code {"error": message}} with this HTTP status. */
public final class ApiError extends RuntimeException {
  private final int status;

  public ApiError(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, message);
  }

  static ApiError notFound(String message) {
    return new ApiError(404, message);
  }
}
