package org.gradcam.model.onnx;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Names close to one that matched nothing, for the error that refuses it. */
final class NearNames {
  private NearNames() {}

  /**
   * "; near: ..." with up to 8 of the candidates close to {@code name}, else "; top-level
   * modules: ..." with the fallback names, else nothing.
   */
  static String suggest(String name, Collection<String> candidates, List<String> fallback) {
    String key = name.toLowerCase(Locale.ROOT);
    int slack = Math.max(2, key.length() / 3);
    List<String> close = candidates.stream()
        .map(c -> Map.entry(c, distance(key, c.toLowerCase(Locale.ROOT))))
        // close as a whole, or a one-edit typo of the candidate's beginning (layer2 ~ layer1.0)
        .filter(e -> e.getValue() <= slack || distance(key, e.getKey().toLowerCase(Locale.ROOT)
            .substring(0, Math.min(key.length(), e.getKey().length()))) <= 1)
        .sorted(Map.Entry.<String, Integer>comparingByValue()
            .thenComparing(Map.Entry.comparingByKey()))
        .limit(8).map(Map.Entry::getKey).toList();
    if (close.isEmpty()) {
      // Nothing close: the top-level modules say what the model has.
      return fallback.isEmpty() ? "" : "; top-level modules: " + String.join(", ", fallback);
    }
    return "; near: " + String.join(", ", close);
  }

  private static int distance(String a, String b) {
    return org.gradcam.model.CloseNames.editDistance(a, b);
  }
}
