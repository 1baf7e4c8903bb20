package org.gradcam.plot;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.gradcam.io.AtomicFiles;

/** The common look of the result charts, and saving a chart as PNG. */
public final class Charts {
  /** Size of the saved charts: readable, and small enough to commit. */
  public static final int WIDTH = 800;
  public static final int HEIGHT = 600;

  private Charts() {}

  /**
   * An empty 800x600 XY chart: white background, legend below the plot (so it never covers a
   * curve), axis titles and a title that fits the width.
   */
  static XYChart xy(String title, String xTitle, String yTitle) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    var s = chart.getStyler();
    s.setLegendPosition(LegendPosition.OutsideS);
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotGridLinesColor(new Color(225, 225, 225));
    s.setChartTitleFont(titleFont(title));
    s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    s.setLegendBorderColor(Color.WHITE);
    s.setAntiAlias(true);
    return chart;
  }

  /** Bold sans-serif, 15 pt, smaller (down to 10 pt) until the title fits the chart's width. */
  public static Font titleFont(String title) {
    java.awt.image.BufferedImage scratch =
        new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = scratch.createGraphics();
    try {
      Font font = new Font(Font.SANS_SERIF, Font.BOLD, 15);
      while (font.getSize() > 10 && g.getFontMetrics(font).stringWidth(title) > WIDTH - 40) {
        font = font.deriveFont((float) font.getSize() - 1);
      }
      return font;
    } finally {
      g.dispose();
    }
  }

  /** Writes the chart as a PNG at its own size, creating parent folders; returns {@code file}. */
  public static Path savePng(Chart<?, ?> chart, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapFormat.PNG));
    return file;
  }

  /** {@code 0.02} for 0.02, not {@code 0.020000000000000004}. */
  static String fmt(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
