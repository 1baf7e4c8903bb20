package org.gradcam.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.gradcam.data.Assets;
import org.gradcam.eval.MarkdownTables;
import org.gradcam.experiment.DogDataset;
import org.gradcam.experiment.ExplanationBenchmark;
import org.gradcam.experiment.LocalizationTarget;
import org.gradcam.experiment.MethodBenchmark;
import org.gradcam.experiment.MethodBenchmark.Row;
import org.gradcam.io.Template;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code benchmark.md} of {@code gradcam benchmark}: what each number is (the template
 * {@code benchmark.md} beside this class), then the table of models x methods.
 */
final class BenchmarkReport {
  static final String TEMPLATE = "benchmark.md";
  private static final String REPORT = Template.sections(BenchmarkReport.class, TEMPLATE)
      .get("report");

  /** A metric charted, in table order. */
  record Metric(String file, String title, String axis, ToDoubleFunction<Row> value,
      boolean logarithmic) {
    Metric(String file, String title, String axis, ToDoubleFunction<Row> value) {
      this(file, title, axis, value, false);
    }
  }

  static final List<Metric> METRICS = List.of(
      new Metric("ap50", "AP@0.5 of the dog boxes (%)", "AP (%)", Row::apPercent),
      new Metric("pointing", "Pointing game accuracy", "accuracy",
          r -> r.summary().pointingAccuracy()),
      new Metric("energy", "Energy pointing game", "energy in the dog boxes",
          r -> r.summary().meanEnergy()),
      new Metric("deletion", "Deletion AUC (lower is better)", "AUC",
          r -> r.summary().meanDeletionAuc()),
      new Metric("insertion", "Insertion AUC (higher is better)", "AUC",
          r -> r.summary().meanInsertionAuc()),
      new Metric("ms", "Milliseconds per image (map only, log scale)", "ms",
          r -> r.summary().meanExplainMillis(), true));

  private BenchmarkReport() {}

  /**
   * The report of {@code rows} on {@code dataset}.
   *
   * @param command the command line that made it, as the reader can rerun it
   * @param threshold the heatmap threshold of the AP boxes
   * @param loadBefore the 1-minute load average before the run, {@code loadAfter} after it
   */
  static String markdown(String command, DogDataset dataset, LocalizationTarget target,
      List<Row> rows, double threshold, double loadBefore, double loadAfter, int cores) {
    String label = dataset.label();
    Table t = Table.create(label);
    t.addColumns(StringColumn.create("model"), StringColumn.create("method"),
        StringColumn.create("images"), DoubleColumn.create("AP@0.5 (%)"),
        DoubleColumn.create("pointing"), DoubleColumn.create("energy pointing"),
        DoubleColumn.create("deletion AUC"), DoubleColumn.create("insertion AUC"),
        StringColumn.create("ms/image"));
    for (Row r : rows) {
      ExplanationBenchmark.Summary sum = r.summary();
      t.stringColumn(0).append(r.model());
      t.stringColumn(1).append(r.method());
      t.stringColumn(2).append("" + r.images());
      t.doubleColumn(3).append(r.apPercent());
      t.doubleColumn(4).append(sum.pointingAccuracy());
      t.doubleColumn(5).append(sum.meanEnergy());
      t.doubleColumn(6).append(sum.meanDeletionAuc());
      t.doubleColumn(7).append(sum.meanInsertionAuc());
      t.stringColumn(8).append(String.format(Locale.ROOT, "%.0f", sum.meanExplainMillis()));
    }
    Map<String, String> values = Map.ofEntries(
        Map.entry("label", label),
        Map.entry("command", command),
        Map.entry("target", target.kind() == LocalizationTarget.Kind.TOP_DOG
            ? "each image's best-scoring ImageNet dog class (151..268)"
            : "class " + target.text() + " of the model"),
        Map.entry("images", "" + dataset.files().size()),
        Map.entry("boxes", "" + dataset.groundTruth().boxCount()),
        Map.entry("difficult", "" + dataset.groundTruth().difficultCount()),
        Map.entry("imagesDir", Assets.display(dataset.images()).toString()),
        Map.entry("groundTruth", Assets.display(dataset.groundTruthSource()).toString()),
        Map.entry("threshold", fmt(threshold)),
        Map.entry("published", threshold == MethodBenchmark.PUBLISHED_THRESHOLD
            ? " (the published one)" : ""),
        Map.entry("cores", "" + cores),
        Map.entry("loadBefore", String.format(Locale.ROOT, "%.1f", loadBefore)),
        Map.entry("loadAfter", String.format(Locale.ROOT, "%.1f", loadAfter)),
        Map.entry("table", MarkdownTables.render(t, 3)),
        Map.entry("charts", METRICS.stream().map(m -> "`chart-" + m.file() + ".png` ")
            .collect(Collectors.joining())));
    return Template.fill(TEMPLATE, REPORT, values) + "\n";
  }

  private static String fmt(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
