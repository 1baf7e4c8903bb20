package org.gradcam.serve;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recent results by id, least recently used dropped first: bounded, so a long-running
 * server's memory does not grow with the number of requests served.
 */
final class ResultStore {
  private final Map<String, Explained> results;

  ResultStore(int capacity) {
    this.results = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Explained> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized void put(Explained e) {
    results.put(e.id(), e);
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
