package org.gradcam.serve;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recent results by id, least recently used dropped first: bounded both in count and in
 * bytes (a kept result holds its decoded image, up to the pixel limit), so a long-running
 * server's memory does not grow with the number or the size of the requests served.
 */
final class ResultStore {
  private final int capacity;
  private final long maxBytes;
  private final LinkedHashMap<String, Explained> results = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  ResultStore(int capacity, long maxBytes) {
    this.capacity = capacity;
    this.maxBytes = maxBytes;
  }

  /** About what a result holds: its RGB image and its maps. */
  static long sizeOf(Explained e) {
    long size = 4L * e.original().getWidth() * e.original().getHeight();
    for (Explained.Map m : e.maps()) {
      size += 4L * (m.explanation().heatmap().raw().length + m.explanation().logits().length);
    }
    return size;
  }

  synchronized void put(Explained e) {
    Explained before = results.put(e.id(), e);
    if (before != null) {
      bytes -= sizeOf(before);
    }
    bytes += sizeOf(e);
    var eldest = results.entrySet().iterator();
    // The newest stays even when alone over the budget: its page needs it for the next slider.
    while (results.size() > 1 && (results.size() > capacity || bytes > maxBytes)) {
      bytes -= sizeOf(eldest.next().getValue());
      eldest.remove();
    }
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized Explained get(String id) {
    Explained e = results.get(id);
    if (e == null) {
      throw ApiError.notFound("no result '" + id + "' (results are kept for the most recent "
          + "requests only; explain the image again)");
    }
    return e;
  }

  synchronized int size() {
    return results.size();
  }
}
