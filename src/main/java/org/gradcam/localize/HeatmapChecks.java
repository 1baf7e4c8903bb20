package org.gradcam.localize;

/** Input validation shared by the extractors, so every entry point rejects bad maps alike. */
final class HeatmapChecks {
  private HeatmapChecks() {}

  /** Rejects empty, ragged or non-finite maps. */
  static void requireValidMap(double[][] map) {
    if (map == null || map.length == 0 || map[0] == null || map[0].length == 0) {
      throw new IllegalArgumentException("heatmap is empty: it needs at least one row and column");
    }
    int width = map[0].length;
    for (int y = 0; y < map.length; y++) {
      if (map[y] == null || map[y].length != width) {
        throw new IllegalArgumentException("heatmap is ragged: row " + y + " has "
            + (map[y] == null ? 0 : map[y].length) + " values, row 0 has " + width);
      }
      for (int x = 0; x < width; x++) {
        if (!Double.isFinite(map[y][x])) {
          throw new IllegalArgumentException(
              "heatmap value at (y=" + y + ", x=" + x + ") is " + map[y][x] + ", not a finite number");
        }
      }
    }
  }

  static void requireValidThreshold(double threshold) {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
    }
  }
}
