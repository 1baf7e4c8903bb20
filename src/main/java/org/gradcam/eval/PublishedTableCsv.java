package org.gradcam.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code published_table.csv}: {@code heatmap_threshold,metric,iou_0.3,iou_0.4,iou_0.5}. */
final class PublishedTableCsv {
  private PublishedTableCsv() {}

  /**
   * The table as the project carries it ({@code published_table.csv} beside this class): the 18
   * numbers of the "Results" section of rayanramoul/GradCAM's README.md at commit f5a619b,
   * transcribed; a test checks it equals the data mirror's copy. Carried rather than fetched
   * because the README has no digest we could check a download against.
   */
  static Map<String, double[]> bundled() throws IOException {
    try (InputStream in = PublishedTableCsv.class.getResourceAsStream("published_table.csv")) {
      if (in == null) {
        throw new IOException("published_table.csv missing from the jar");
      }
      List<String> lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
          .lines().toList();
      return parse(lines, Path.of("published_table.csv"));
    }
  }

  /** Key {@code "<threshold>,<metric>"}, values in percent for IoU 0.3, 0.4, 0.5. */
  static Map<String, double[]> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("No such published table: " + file);
    }
    return parse(Files.readAllLines(file), file);
  }

  private static Map<String, double[]> parse(List<String> lines, Path file) throws IOException {
    if (lines.isEmpty() || !lines.get(0).strip().equals("heatmap_threshold,metric,iou_0.3,iou_0.4,iou_0.5")) {
      throw new IOException(file + ":1: unexpected header");
    }
    Map<String, double[]> out = new LinkedHashMap<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).strip().split(",");
      if (f.length != 5) {
        throw new IOException(file + ":" + (i + 1) + ": expected 5 fields");
      }
      try {
        out.put(f[0] + "," + f[1], new double[] {Double.parseDouble(f[2]),
            Double.parseDouble(f[3]), Double.parseDouble(f[4])});
      } catch (NumberFormatException e) {
        throw new IOException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return out;
  }
}
