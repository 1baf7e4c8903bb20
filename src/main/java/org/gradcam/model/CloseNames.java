package org.gradcam.model;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Names close to a mistyped one, for error messages that say what was meant (a class label, a
 * layer or module name).
 */
public final class CloseNames {
  private CloseNames() {}

  /**
   * Up to {@code max} of {@code names} near {@code query}, nearest first, ties in list order:
   * those containing it (case and {@code _} vs space aside), then those within a few edits.
   */
  public static List<String> of(String query, List<String> names, int max) {
    String q = normal(query);
    int limit = Math.max(2, q.length() / 3);
    record Near(int index, int distance) {}
    return IntStream.range(0, names.size())
        .mapToObj(i -> {
          String n = normal(names.get(i));
          return new Near(i, n.contains(q) ? 0 : editDistance(q, n));
        })
        .filter(n -> n.distance() <= limit)
        .sorted(Comparator.comparingInt(Near::distance).thenComparingInt(Near::index))
        .limit(max).map(n -> names.get(n.index())).toList();
  }

  private static String normal(String s) {
    return s.strip().replace('_', ' ').toLowerCase(Locale.ROOT);
  }

  /** Levenshtein distance: insertions, deletions and substitutions, each costing 1. */
  public static int editDistance(String a, String b) {
    int[] prev = IntStream.rangeClosed(0, b.length()).toArray();
    int[] cur = new int[b.length() + 1];
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
