package org.gradcam.localize;

/** Builds masks and maps from ASCII art ('#' = on) so hand-computed cases stay readable. */
final class MaskTestSupport {
  private MaskTestSupport() {}

  static boolean[][] mask(String... rows) {
    boolean[][] mask = new boolean[rows.length][];
    for (int y = 0; y < rows.length; y++) {
      mask[y] = new boolean[rows[y].length()];
      for (int x = 0; x < rows[y].length(); x++) {
        mask[y][x] = rows[y].charAt(x) == '#';
      }
    }
    return mask;
  }

  static String[] art(boolean[][] mask) {
    String[] rows = new String[mask.length];
    for (int y = 0; y < mask.length; y++) {
      StringBuilder row = new StringBuilder();
      for (boolean on : mask[y]) {
        row.append(on ? '#' : '.');
      }
      rows[y] = row.toString();
    }
    return rows;
  }
}
