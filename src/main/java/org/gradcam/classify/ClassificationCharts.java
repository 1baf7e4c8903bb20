package org.gradcam.classify;

import org.gradcam.plot.Charts;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gradcam.classify.ClassifiedImage;
import org.gradcam.classify.ConfusionMatrix;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;

/**
 * The pictures of a classification error analysis: the confusion matrix (counts and
 * row-normalised side by side), the confidence histogram of correct predictions against errors,
 * and the errors of each true class.
 */
public final class ClassificationCharts {
  private static final Color CORRECT = new Color(44, 160, 44);
  private static final Color WRONG = new Color(214, 39, 40);
  private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final Font BOLD = new Font(Font.SANS_SERIF, Font.BOLD, 14);

  private ClassificationCharts() {}

  /**
   * The confusion matrix twice: left the counts, right each row divided by its sum (so the
   * diagonal is each class's recall); true classes down, predicted across. Cell shade follows the
   * row-normalised value in both, so a small class's errors show as clearly as a large one's.
   */
  public static BufferedImage confusionMatrix(ConfusionMatrix m, String title) {
    int k = m.columns();
    int rows = m.rows();
    BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D sg = scratch.createGraphics();
    FontMetrics fm = sg.getFontMetrics(FONT);
    int labelW = 0;
    for (String n : m.names()) {
      labelW = Math.max(labelW, fm.stringWidth(n));
    }
    sg.dispose();
    labelW = Math.min(labelW, 260) + 10;
    int cell = Math.max(44, fm.stringWidth("100.0%") + 12);
    int titleH = 50;
    int gap = 60;
    int panel = k * cell;
    int left = labelW + 30;
    int top = titleH + 30;
    int width = Math.max(left + panel + gap + labelW + panel + 20, 560);
    int height = top + rows * cell + labelW + 40;
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(Color.BLACK);
      g.setFont(BOLD);
      g.drawString(title, 10, 22);
      g.setFont(FONT);
      g.drawString(String.format(Locale.ROOT, "accuracy %d / %d = %.1f %%; rows: true class, "
          + "columns: predicted class", m.correct(), m.total(), 100 * m.accuracy()), 10, 42);
      for (int p = 0; p < 2; p++) {
        int x0 = p == 0 ? left : left + panel + gap + labelW;
        g.setFont(BOLD);
        g.setColor(Color.BLACK);
        g.drawString(p == 0 ? "counts" : "row-normalised (recall)", x0, top - 12);
        g.setFont(FONT);
        for (int r = 0; r < rows; r++) {
          double[] norm = m.rowNormalized(r);
          for (int c = 0; c < k; c++) {
            int x = x0 + c * cell;
            int y = top + r * cell;
            Color bg = shade(norm[c]);
            g.setColor(bg);
            g.fillRect(x, y, cell, cell);
            g.setColor(new Color(200, 200, 200));
            g.drawRect(x, y, cell, cell);
            String text = p == 0 ? Long.toString(m.count(r, c))
                : String.format(Locale.ROOT, "%.1f%%", 100 * norm[c]);
            g.setColor(luminance(bg) < 0.5 ? Color.WHITE : Color.BLACK);
            FontMetrics f = g.getFontMetrics();
            g.drawString(text, x + (cell - f.stringWidth(text)) / 2,
                y + (cell + f.getAscent() - f.getDescent()) / 2);
          }
          g.setColor(Color.BLACK);
          String name = clip(g, m.names().get(r), labelW - 10);
          g.drawString(name, x0 - 8 - g.getFontMetrics().stringWidth(name),
              top + r * cell + (cell + g.getFontMetrics().getAscent()) / 2 - 2);
        }
        AffineTransform saved = g.getTransform();
        for (int c = 0; c < k; c++) {
          String name = clip(g, m.names().get(c), labelW - 10);
          int x = x0 + c * cell + cell / 2 + g.getFontMetrics().getAscent() / 2 - 2;
          int y = top + rows * cell + 8;
          g.setTransform(saved);
          g.rotate(Math.PI / 2, x, y);
          g.drawString(name, x, y);
        }
        g.setTransform(saved);
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  /** White to dark blue, as matplotlib's Blues runs. */
  private static Color shade(double v) {
    double t = Math.max(0, Math.min(1, v));
    int r = (int) Math.round(247 + t * (8 - 247));
    int gg = (int) Math.round(251 + t * (48 - 251));
    int b = (int) Math.round(255 + t * (107 - 255));
    return new Color(r, gg, b);
  }

  private static double luminance(Color c) {
    return (0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue()) / 255;
  }

  private static String clip(Graphics2D g, String s, int width) {
    FontMetrics f = g.getFontMetrics();
    if (f.stringWidth(s) <= width) {
      return s;
    }
    String t = s;
    while (t.length() > 1 && f.stringWidth(t + "...") > width) {
      t = t.substring(0, t.length() - 1);
    }
    return t + "...";
  }

  /** {@code bins} equal bins over [0, 1] (the last closed): row 0 correct, row 1 wrong images. */
  public static long[][] confidenceBins(List<ClassifiedImage> images, int bins) {
    long[][] counts = new long[2][bins];
    for (ClassifiedImage i : images) {
      int b = Math.min(bins - 1, (int) Math.floor(i.confidence() * bins));
      counts[i.correct() ? 0 : 1][Math.max(0, b)]++;
    }
    return counts;
  }

  /** The confidence (softmax of the prediction) of correct predictions beside that of errors. */
  public static CategoryChart confidenceHistogram(List<ClassifiedImage> images, String title) {
    int bins = 10;
    long[][] counts = confidenceBins(images, bins);
    List<String> x = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      x.add(String.format(Locale.ROOT, "%.1f-%.1f", b / (double) bins, (b + 1) / (double) bins));
    }
    CategoryChart chart = new CategoryChartBuilder().width(Charts.WIDTH).height(Charts.HEIGHT)
        .title(title).xAxisTitle("confidence (softmax probability of the prediction)")
        .yAxisTitle("images").build();
    style(chart, title);
    long correct = images.stream().filter(ClassifiedImage::correct).count();
    chart.addSeries("correct (" + correct + ")", x, toList(counts[0])).setFillColor(CORRECT);
    chart.addSeries("errors (" + (images.size() - correct) + ")", x, toList(counts[1]))
        .setFillColor(WRONG);
    return chart;
  }

  /** Per true class, its images predicted right and wrong, stacked. */
  public static CategoryChart errorsByClass(ConfusionMatrix m, String title) {
    List<String> x = new ArrayList<>();
    List<Long> right = new ArrayList<>();
    List<Long> wrong = new ArrayList<>();
    for (ConfusionMatrix.ClassMetrics c : m.metrics()) {
      if (c.support() == 0) {
        continue; // a class only predicted has no images of its own
      }
      x.add(c.name());
      right.add(c.truePositives());
      wrong.add(c.support() - c.truePositives());
    }
    CategoryChart chart = new CategoryChartBuilder().width(Charts.WIDTH).height(Charts.HEIGHT)
        .title(title).xAxisTitle("true class").yAxisTitle("images").build();
    style(chart, title);
    chart.getStyler().setStacked(true);
    chart.addSeries("errors", x, wrong).setFillColor(WRONG);
    chart.addSeries("correct", x, right).setFillColor(CORRECT);
    return chart;
  }

  private static void style(CategoryChart chart, String title) {
    var s = chart.getStyler();
    s.setLegendPosition(LegendPosition.OutsideS);
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotGridLinesColor(new Color(225, 225, 225));
    s.setChartTitleFont(Charts.titleFont(title));
    s.setLegendBorderColor(Color.WHITE);
    s.setAntiAlias(true);
    s.setOverlapped(false);
  }

  private static List<Long> toList(long[] v) {
    List<Long> out = new ArrayList<>();
    for (long x : v) {
      out.add(x);
    }
    return out;
  }
}
