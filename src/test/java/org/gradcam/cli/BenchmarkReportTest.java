package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gradcam.TestData;
import org.gradcam.experiment.DogDataset;
import org.gradcam.experiment.ExplanationBenchmark;
import org.gradcam.experiment.MethodBenchmark.Row;
import org.junit.jupiter.api.Test;

/**
 * The report's prose lives in a template: rendered from the committed run's own CSV (every
 * number of the table at 7 digits) it is the committed {@code benchmark.md} byte for byte.
 */
class BenchmarkReportTest {
  static final Path RUN = Path.of("results/benchmark/voc2007-test-4-images");
  static final Path VOC = TestData.path("voc2007-test");

  @Test
  void rendersTheCommittedReportFromItsCsv() throws Exception {
    String committed = Files.readString(RUN.resolve("benchmark.md"));
    String label = committed.lines().findFirst().orElseThrow()
        .substring("# CAM benchmark: ".length());
    String command = committed.lines().skip(3).findFirst().orElseThrow();
    Matcher load = Pattern.compile("on this machine \\((\\d+) cores; 1-minute load average "
        + "([\\d.]+) at the start, ([\\d.]+) at the end").matcher(committed);
    assertThat(load.find()).isTrue();

    DogDataset data = DogDataset.open(VOC.resolve("JPEGImages"),
        VOC.resolve("voc2007_test_objects.csv"), label);
    List<Row> rows = new ArrayList<>();
    List<String> csv = Files.readAllLines(RUN.resolve("benchmark.csv"));
    assertThat(csv.get(0)).isEqualTo(BenchmarkCommand.CSV_HEADER);
    for (String line : csv.subList(1, csv.size())) {
      // The dataset label is quoted (it has commas); the other fields are plain.
      String[] f = line.substring(line.lastIndexOf('"') + 2).split(",");
      ExplanationBenchmark.Summary s = new ExplanationBenchmark.Summary(
          Integer.parseInt(f[3]), Long.parseLong(f[8]), Long.parseLong(f[9]), d(f[7]), 0, 0,
          Double.NaN, d(f[10]), d(f[11]), d(f[12]), d(f[13]), d(f[14]), d(f[15]));
      rows.add(new Row(f[0], f[1], f[2], Integer.parseInt(f[3]), d(f[4]), d(f[5]),
          Integer.parseInt(f[6]), s));
    }
    assertThat(rows).hasSize(16);

    String md = BenchmarkReport.markdown(command, data,
        org.gradcam.experiment.LocalizationTarget.TOP_DOG, rows, 0.06, d(load.group(2)),
        d(load.group(3)), Integer.parseInt(load.group(1)));
    assertThat(md).isEqualTo(committed);
  }

  private static double d(String s) {
    return Double.parseDouble(s);
  }
}
