package org.gradcam.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.gradcam.plot.BenchmarkBarCharts.Cell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;

class BenchmarkBarChartsTest {
  static final List<Cell> CELLS = List.of(new Cell("squeezenet1.1", "gradcam", 0.5),
      new Cell("squeezenet1.1", "scorecam", 0.7), new Cell("mobilenet_v2", "gradcam", 0.4),
      new Cell("mobilenet_v2", "scorecam", Double.NaN));

  @Test
  void oneSeriesPerModelMethodsAlongXMissingNamedInTheTitle(@TempDir Path dir) throws Exception {
    CategoryChart chart = BenchmarkBarCharts.chart("Pointing", "accuracy", CELLS);
    assertThat(chart.getSeriesMap()).containsOnlyKeys("squeezenet1.1", "mobilenet_v2");
    CategorySeries mobile = chart.getSeriesMap().get("mobilenet_v2");
    assertThat(List.copyOf(mobile.getXData())).isEqualTo(List.of("gradcam", "scorecam"));
    assertThat(List.copyOf(mobile.getYData())).isEqualTo(List.of(0.4, 0.0));
    assertThat(chart.getTitle()).isEqualTo("Pointing (no value: mobilenet_v2/scorecam)");

    Path png = BenchmarkBarCharts.writePng(chart, dir.resolve("c.png"));
    assertThat(png).isEqualTo(Path.of(dir.resolve("c").toString() + ".png"));
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(chart.getWidth());
  }

  @Test
  void logarithmicChartNeedsPositiveValues(@TempDir Path dir) throws Exception {
    CategoryChart chart = BenchmarkBarCharts.chart("ms", "ms", List.of(
        new Cell("m", "gradcam", 20), new Cell("m", "scorecam", 2000)), true);
    assertThat(chart.getStyler().isYAxisLogarithmic()).isTrue();
    assertThat(ImageIO.read(BenchmarkBarCharts.writePng(chart, dir.resolve("ms.png")).toFile()))
        .isNotNull();
    assertThatThrownBy(() -> BenchmarkBarCharts.chart("ms", "ms", List.of(
        new Cell("m", "gradcam", 20), new Cell("m", "x", 0)), true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("m/x");
  }

  @Test
  void noCellsIsAnError() {
    assertThatThrownBy(() -> BenchmarkBarCharts.chart("t", "y", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
