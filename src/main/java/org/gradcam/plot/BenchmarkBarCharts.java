package org.gradcam.plot;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.gradcam.io.AtomicFiles;

/**
 * Grouped bar charts of a model x method benchmark: one chart per metric, the methods along the
 * x axis, one bar series per model. Missing cells (NaN, e.g. no pointing pair) are drawn as 0 and
 * named in the chart's title so a 0 bar is never mistaken for a measured 0.
 */
public final class BenchmarkBarCharts {
  /** One measured value: {@code metric} of {@code method} on {@code model}. */
  public record Cell(String model, String method, double value) {}

  private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14),
      new Color(44, 160, 44), new Color(214, 39, 40)};

  private BenchmarkBarCharts() {}

  /**
   * The chart of one metric.
   *
   * @param title chart title, e.g. "Insertion AUC (higher is better)"
   * @param yLabel y-axis title
   */
  public static CategoryChart chart(String title, String yLabel, List<Cell> cells) {
    return chart(title, yLabel, cells, false);
  }

  /**
   * As {@link #chart(String, String, List)}, with a logarithmic y axis when {@code logarithmic}
   * (e.g. times, where Score-CAM's hundredfold cost flattens every other bar); every value must
   * then be present and positive.
   */
  public static CategoryChart chart(String title, String yLabel, List<Cell> cells,
      boolean logarithmic) {
    if (cells.isEmpty()) {
      throw new IllegalArgumentException("no values to chart for " + title);
    }
    Set<String> methods = new LinkedHashSet<>();
    Map<String, Map<String, Double>> byModel = new LinkedHashMap<>();
    for (Cell c : cells) {
      methods.add(c.method());
      byModel.computeIfAbsent(c.model(), k -> new LinkedHashMap<>()).put(c.method(), c.value());
    }
    List<String> missing = new ArrayList<>();
    CategoryChart chart = new CategoryChartBuilder().width(1100).height(500).title(title)
        .xAxisTitle("CAM method").yAxisTitle(yLabel).build();
    chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setAvailableSpaceFill(0.7);
    chart.getStyler().setOverlapped(false);
    chart.getStyler().setYAxisDecimalPattern("#0.###");
    chart.getStyler().setSeriesColors(PALETTE);
    if (logarithmic) {
      // Bars grow from the axis minimum, which a log axis needs below the data and above 0.
      double min = cells.stream().mapToDouble(Cell::value).filter(v -> v > 0).min().orElse(1);
      chart.getStyler().setYAxisLogarithmic(true);
      chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
    }
    for (Map.Entry<String, Map<String, Double>> m : byModel.entrySet()) {
      List<String> xs = new ArrayList<>(methods);
      List<Double> ys = new ArrayList<>();
      for (String method : xs) {
        Double v = m.getValue().get(method);
        if (logarithmic && (v == null || !(v > 0))) {
          throw new IllegalArgumentException("a logarithmic chart needs positive values; "
              + m.getKey() + "/" + method + " has " + v);
        }
        if (v == null || v.isNaN()) {
          missing.add(m.getKey() + "/" + method);
          ys.add(0.0);
        } else {
          ys.add(v);
        }
      }
      chart.addSeries(m.getKey(), xs, ys);
    }
    if (!missing.isEmpty()) {
      chart.setTitle(title + " (no value: " + String.join(", ", missing) + ")");
    }
    // Long titles (they carry the data label) shrink to fit instead of being clipped.
    int size = (int) Math.floor((chart.getWidth() - 40) / (0.62 * chart.getTitle().length()));
    chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD,
        Math.max(9, Math.min(16, size))));
    return chart;
  }

  /** Writes {@code chart} as a PNG at {@code file} ({@code .png} added by XChart if absent). */
  public static Path writePng(CategoryChart chart, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    String name = file.toString();
    String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
    Path png = Path.of(base + ".png");
    AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapFormat.PNG));
    return png;
  }
}
