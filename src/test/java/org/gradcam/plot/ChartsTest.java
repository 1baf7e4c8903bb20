package org.gradcam.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.gradcam.data.Detection;
import org.gradcam.data.GroundTruth;
import org.gradcam.data.GroundTruthBox;
import org.gradcam.data.VocBox;
import org.gradcam.eval.ApMethod;
import org.gradcam.eval.PrCurve;
import org.gradcam.eval.Protocol;
import org.gradcam.eval.ThresholdResult;
import org.gradcam.eval.VocEvaluator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** The chart builders plot exactly the evaluator's curves and AP values. */
class ChartsTest {
  static final double[] IOUS = {0.3, 0.5};

  /** Three images, one GT box each; per heatmap threshold a different set of detections. */
  static GroundTruth gt() {
    Map<String, List<GroundTruthBox>> m = new LinkedHashMap<>();
    m.put("a", List.of(new GroundTruthBox(new VocBox(1, 1, 100, 100), false)));
    m.put("b", List.of(new GroundTruthBox(new VocBox(1, 1, 50, 50), false)));
    m.put("c", List.of(new GroundTruthBox(new VocBox(10, 10, 60, 80), true)));
    return new GroundTruth(m);
  }

  static Map<Double, List<Detection>> detections() {
    Map<Double, List<Detection>> d = new LinkedHashMap<>();
    d.put(0.01, List.of(new Detection("a", new VocBox(0, 0, 100, 100), 0.9),
        new Detection("b", new VocBox(0, 0, 200, 200), 0.8),
        new Detection("c", new VocBox(10, 10, 60, 80), 0.3)));
    d.put(0.06, List.of(new Detection("a", new VocBox(20, 20, 100, 100), 0.7),
        new Detection("a", new VocBox(0, 0, 10, 10), 0.6),
        new Detection("b", new VocBox(0, 0, 45, 50), 0.5),
        new Detection("c", new VocBox(0, 0, 30, 30), 0.4),
        new Detection("c", new VocBox(10, 10, 60, 80), 0.2)));
    return d;
  }

  @Test
  void prCurveChartHasOneSeriesPerHeatmapThresholdWithTheCurvesPoints() {
    Map<Double, List<Detection>> dets = detections();
    for (double iou : IOUS) {
      XYChart chart = PrCurveChart.of("test data", iou, gt(), dets, Protocol.PUBLISHED);
      assertThat(chart.getTitle()).contains("test data").contains("IoU " + iou);
      assertThat(chart.getXAxisTitle()).isEqualTo("recall");
      assertThat(chart.getYAxisTitle()).isEqualTo("precision");
      Map<String, XYSeries> series = chart.getSeriesMap();
      List<String> expectedNames = new ArrayList<>();
      for (var e : dets.entrySet()) {
        PrCurve c = VocEvaluator.curve(gt(), e.getValue(), iou, Protocol.PUBLISHED);
        String name = PrCurveChart.seriesName(e.getKey(), 100 * c.ap(ApMethod.ALL_POINT));
        expectedNames.add(name);
        XYSeries s = series.get(name);
        assertThat(s).as(name).isNotNull();
        assertThat(s.getXData()).hasSize(e.getValue().size()).containsExactly(c.recall());
        assertThat(s.getYData()).containsExactly(c.precision());
      }
      assertThat(series.keySet()).containsExactlyElementsOf(expectedNames);
    }
    assertThat(PrCurveChart.seriesName(0.02, 42.3171)).isEqualTo("heatmap threshold 0.02 (AP 42.3)");
  }

  @Test
  void apVsThresholdChartHasOneLinePerIouWithTheEvaluatorsAp() {
    Map<Double, List<ThresholdResult>> results = new LinkedHashMap<>();
    // Inserted out of order: the x axis must still ascend.
    results.put(0.06, VocEvaluator.evaluate(gt(), detections().get(0.06), IOUS,
        Protocol.PUBLISHED));
    results.put(0.01, VocEvaluator.evaluate(gt(), detections().get(0.01), IOUS,
        Protocol.PUBLISHED));
    XYChart chart = ApVsThresholdChart.of("test data", "all-point, difficult counted", results);
    assertThat(chart.getTitle()).contains("test data");
    assertThat(chart.getYAxisTitle()).contains("AP").contains("all-point, difficult counted");
    assertThat(chart.getSeriesMap().keySet()).containsExactly("IoU 0.3", "IoU 0.5");
    for (int i = 0; i < IOUS.length; i++) {
      XYSeries s = chart.getSeriesMap().get(ApVsThresholdChart.seriesName(IOUS[i]));
      assertThat(s.getXData()).containsExactly(0.01, 0.06);
      assertThat(s.getYData()).containsExactly(100 * results.get(0.01).get(i).ap(),
          100 * results.get(0.06).get(i).ap());
    }
    assertThatThrownBy(() -> ApVsThresholdChart.of("x", "p", new double[] {0.1}, IOUS,
        new double[][] {{1}})).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void savesAn800x600Png(@TempDir Path dir) throws Exception {
    XYChart chart = PrCurveChart.of("test data", 0.5, gt(), detections(), Protocol.PUBLISHED);
    Path file = PrCurveChart.save(chart, dir.resolve("sub/pr.png"));
    BufferedImage png = ImageIO.read(file.toFile());
    assertThat(png.getWidth()).isEqualTo(Charts.WIDTH);
    assertThat(png.getHeight()).isEqualTo(Charts.HEIGHT);
  }
}
