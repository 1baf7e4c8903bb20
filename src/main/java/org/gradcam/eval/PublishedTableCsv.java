package org.gradcam.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradcam.io.Csv;

/** Reads {@code published_table.csv}: {@code heatmap_threshold,metric,iou_0.3,iou_0.4,iou_0.5}. */
final class PublishedTableCsv {
  private static final List<String> HEADER =
      List.of("heatmap_threshold", "metric", "iou_0.3", "iou_0.4", "iou_0.5");

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
      return toMap(Csv.read(new InputStreamReader(in, StandardCharsets.UTF_8),
          "published_table.csv", HEADER, PublishedTableCsv::row));
    }
  }

  /** Key {@code "<threshold>,<metric>"}, values in percent for IoU 0.3, 0.4, 0.5. */
  static Map<String, double[]> read(Path file) throws IOException {
    return toMap(Csv.read(file, "published table", HEADER, PublishedTableCsv::row));
  }

  private static Map.Entry<String, double[]> row(String[] f) {
    return Map.entry(f[0] + "," + f[1], new double[] {Double.parseDouble(f[2]),
        Double.parseDouble(f[3]), Double.parseDouble(f[4])});
  }

  private static Map<String, double[]> toMap(List<Map.Entry<String, double[]>> rows) {
    Map<String, double[]> out = new LinkedHashMap<>();
    rows.forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }
}
