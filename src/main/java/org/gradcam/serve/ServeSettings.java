package org.gradcam.serve;

import java.nio.file.Path;

/**
 * How {@code gradcam serve} runs.
 *
 * @param host the address to bind (loopback unless asked otherwise)
 * @param port the port, 0 for any free one
 * @param workers explain requests computed at once
 * @param queue explain requests waiting beyond those; more are answered 503
 * @param maxUploadBytes the largest accepted upload (413 above)
 * @param maxPixels the largest accepted image, width x height, read from its header (413 above)
 * @param examples a folder of example images offered by the page, or null
 * @param keptResults how many recent results keep their map for re-rendering and downloads
 */
public record ServeSettings(String host, int port, int workers, int queue, long maxUploadBytes,
    long maxPixels, Path examples, int keptResults) {

  public ServeSettings {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    if (queue < 0) {
      throw new IllegalArgumentException("the queue must be >= 0, got " + queue);
    }
    if (maxUploadBytes < 1) {
      throw new IllegalArgumentException("the upload limit must be >= 1 byte, got " + maxUploadBytes);
    }
    if (maxPixels < 1) {
      throw new IllegalArgumentException("the pixel limit must be >= 1, got " + maxPixels);
    }
    if (keptResults < 1) {
      throw new IllegalArgumentException("the kept results must be >= 1, got " + keptResults);
    }
  }

  /** Loopback, the given port, 2 workers, a queue of 16, 20 MB uploads, 40 megapixels. */
  public static ServeSettings defaults(int port, Path examples) {
    return new ServeSettings("127.0.0.1", port, 2, 16, 20L << 20, 40_000_000L, examples, 64);
  }

  public ServeSettings withQueue(int workers, int queue) {
    return new ServeSettings(host, port, workers, queue, maxUploadBytes, maxPixels, examples,
        keptResults);
  }

  public ServeSettings withLimits(long maxUploadBytes, long maxPixels) {
    return new ServeSettings(host, port, workers, queue, maxUploadBytes, maxPixels, examples,
        keptResults);
  }
}
