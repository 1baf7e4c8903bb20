package org.gradcam.localize;

/** Input validation shared by the extractors, so every entry point rejects bad maps alike. */
final class HeatmapChecks {
  private HeatmapChecks() {}

  /** Rejects empty or non-finite maps and maps whose length is not {@code width * height}. */
  static void requireValidMap(double[] map, int width, int height) {
    if (map == null || width < 1 || height < 1) {
      throw new IllegalArgumentException("heatmap is empty: it needs at least one row and column");
    }
    if (map.length != (long) width * height) {
      throw new IllegalArgumentException("heatmap has " + map.length + " values, not "
          + width + "x" + height);
    }
    for (int i = 0; i < map.length; i++) {
      if (!Double.isFinite(map[i])) {
        throw new IllegalArgumentException("heatmap value at (y=" + i / width + ", x="
            + i % width + ") is " + map[i] + ", not a finite number");
      }
    }
  }

  static void requireValidThreshold(double threshold) {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
    }
  }
}
