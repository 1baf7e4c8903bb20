package org.gradcam.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.gradcam.eval.ThresholdResult;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** AP (percent) against the heatmap threshold, one line per IoU threshold. */
public final class ApVsThresholdChart {
  private ApVsThresholdChart() {}

  /**
   * @param heatmapThresholds x values, ascending
   * @param ious one series per IoU threshold
   * @param apPercent {@code apPercent[i][j]}: AP at {@code ious[i]} and {@code heatmapThresholds[j]}
   */
  public static XYChart of(String datasetLabel, String protocolLabel, double[] heatmapThresholds,
      double[] ious, double[][] apPercent) {
    if (apPercent.length != ious.length) {
      throw new IllegalArgumentException("need one AP row per IoU: " + apPercent.length
          + " rows for " + ious.length + " IoU thresholds");
    }
    XYChart chart = Charts.xy("AP vs heatmap threshold: " + datasetLabel,
        "heatmap threshold", "AP (%, " + protocolLabel + ")");
    var s = chart.getStyler();
    s.setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
    s.setYAxisMin(0.0).setYAxisMax(100.0);
    s.setXAxisDecimalPattern("0.00#");
    s.setMarkerSize(8);
    for (int i = 0; i < ious.length; i++) {
      if (apPercent[i].length != heatmapThresholds.length) {
        throw new IllegalArgumentException("AP row " + i + " has " + apPercent[i].length
            + " values for " + heatmapThresholds.length + " heatmap thresholds");
      }
      chart.addSeries(seriesName(ious[i]), heatmapThresholds.clone(), apPercent[i].clone())
          .setMarker(SeriesMarkers.CIRCLE);
    }
    return chart;
  }

  /**
   * From evaluator results per heatmap threshold (each list: one {@link ThresholdResult} per IoU,
   * the same IoUs in every list); the x axis is sorted ascending.
   */
  public static XYChart of(String datasetLabel, String protocolLabel,
      Map<Double, List<ThresholdResult>> resultsByHeatmapThreshold) {
    TreeMap<Double, List<ThresholdResult>> sorted = new TreeMap<>(resultsByHeatmapThreshold);
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("no heatmap threshold to plot");
    }
    double[] xs = sorted.keySet().stream().mapToDouble(Double::doubleValue).toArray();
    List<ThresholdResult> first = sorted.firstEntry().getValue();
    double[] ious = first.stream().mapToDouble(ThresholdResult::iouThreshold).toArray();
    double[][] ap = new double[ious.length][xs.length];
    int j = 0;
    for (List<ThresholdResult> rs : sorted.values()) {
      for (int i = 0; i < ious.length; i++) {
        if (rs.get(i).iouThreshold() != ious[i]) {
          throw new IllegalArgumentException("results use different IoU thresholds");
        }
        ap[i][j] = 100 * rs.get(i).ap();
      }
      j++;
    }
    return of(datasetLabel, protocolLabel, xs, ious, ap);
  }

  /** {@code "IoU 0.5"}: the legend entry of one line. */
  public static String seriesName(double iou) {
    return "IoU " + Charts.fmt(iou);
  }

  public static Path save(XYChart chart, Path file) throws IOException {
    return Charts.savePng(chart, file);
  }
}
