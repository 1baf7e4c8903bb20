package org.gradcam.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gradcam.data.Detection;
import org.gradcam.data.GroundTruth;
import org.gradcam.eval.ApMethod;
import org.gradcam.eval.PrCurve;
import org.gradcam.eval.Protocol;
import org.gradcam.eval.VocEvaluator;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Precision-recall curves at one IoU threshold, one series per heatmap threshold: the cumulative
 * precision and recall after each ranked detection ({@link PrCurve}), so a series has exactly as
 * many points as the curve. Each series name carries its AP.
 */
public final class PrCurveChart {
  private static final java.awt.BasicStroke[] LINES = {SeriesLines.SOLID, SeriesLines.DASH_DASH,
      SeriesLines.DOT_DOT, SeriesLines.DASH_DOT};
  private static final org.knowm.xchart.style.markers.Marker[] MARKERS = {SeriesMarkers.CIRCLE,
      SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP};

  private PrCurveChart() {}

  /**
   * @param datasetLabel what the detections and GT are, shown in the title
   * @param iou the IoU threshold the curves were computed at
   * @param curves PR curve per heatmap threshold, in legend order
   * @param apMethod how the AP in the series names is computed
   */
  public static XYChart of(String datasetLabel, double iou, Map<Double, PrCurve> curves,
      ApMethod apMethod) {
    XYChart chart = Charts.xy("Precision-recall at IoU " + Charts.fmt(iou) + ": " + datasetLabel,
        "recall", "precision");
    var s = chart.getStyler();
    s.setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
    s.setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.05);
    s.setXAxisDecimalPattern("0.0").setYAxisDecimalPattern("0.0");
    int i = 0;
    for (var e : curves.entrySet()) {
      PrCurve c = e.getValue();
      var series = chart.addSeries(seriesName(e.getKey(), 100 * c.ap(apMethod)), c.recall(),
          c.precision());
      // Equal curves (common on few images) stay visible: each series has its own dash and
      // marker shape; a curve of a handful of detections is unreadable without its points.
      series.setLineStyle(LINES[i % LINES.length]);
      series.setMarker(c.recall().length <= 30 ? MARKERS[i % MARKERS.length] : SeriesMarkers.NONE);
      i++;
    }
    return chart;
  }

  /** The curves of {@code detections} (per heatmap threshold) against {@code gt}. */
  public static XYChart of(String datasetLabel, double iou, GroundTruth gt,
      Map<Double, List<Detection>> detections, Protocol protocol) {
    Map<Double, PrCurve> curves = new LinkedHashMap<>();
    detections.forEach((t, d) -> curves.put(t, VocEvaluator.curve(gt, d, iou, protocol)));
    return of(datasetLabel, iou, curves, protocol.apMethod());
  }

  /** {@code "heatmap threshold 0.02 (AP 42.3)"}: the legend entry of one series. */
  public static String seriesName(double heatmapThreshold, double apPercent) {
    return "heatmap threshold " + Charts.fmt(heatmapThreshold)
        + String.format(Locale.ROOT, " (AP %.1f)", apPercent);
  }

  public static Path save(XYChart chart, Path file) throws IOException {
    return Charts.savePng(chart, file);
  }
}
