package org.gradcam.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradcam.data.Detection;
import org.gradcam.data.GroundTruth;
import org.gradcam.data.PixelBox;
import org.gradcam.eval.Protocol;
import org.gradcam.localize.BoxExtractor;

/**
 * The boxes of a set of maps at many heatmap thresholds, each map boxed at every threshold
 * (the maps are computed once, see {@link ImageMap}), and their AP and recall per threshold.
 */
public final class ThresholdSweep {
  /** AP and recall (percent) of all boxes of one heatmap threshold at one IoU threshold. */
  public record Point(double threshold, double iou, double apPercent, double recallPercent,
      int boxes) {}

  private final double[] thresholds;
  private final Map<Double, Map<String, List<ScoredBox>>> boxes;

  private ThresholdSweep(double[] thresholds, Map<Double, Map<String, List<ScoredBox>>> boxes) {
    this.thresholds = thresholds.clone();
    this.boxes = boxes;
  }

  /** Boxes every map at every threshold. */
  public static ThresholdSweep run(Map<String, ImageMap> maps, double[] thresholds,
      BoxExtractor extractor, BoxScore score) {
    if (thresholds.length == 0) {
      throw new IllegalArgumentException("need at least one heatmap threshold");
    }
    Map<Double, Map<String, List<ScoredBox>>> boxes = new LinkedHashMap<>();
    for (double t : thresholds) {
      if (boxes.put(t, new LinkedHashMap<>()) != null) {
        throw new IllegalArgumentException("heatmap threshold " + t + " given twice");
      }
    }
    for (ImageMap m : maps.values()) {
      for (double t : thresholds) {
        boxes.get(t).put(m.imageId(), List.copyOf(m.boxes(extractor, t, score)));
      }
    }
    return new ThresholdSweep(thresholds, boxes);
  }

  public double[] thresholds() {
    return thresholds.clone();
  }

  /** Each image's boxes at {@code threshold}, in map order. */
  public Map<String, List<ScoredBox>> boxesAt(double threshold) {
    Map<String, List<ScoredBox>> b = boxes.get(threshold);
    if (b == null) {
      throw new IllegalArgumentException("threshold " + threshold + " was not swept; swept: "
          + java.util.Arrays.toString(thresholds));
    }
    return java.util.Collections.unmodifiableMap(b);
  }

  /** The boxes at {@code threshold} as detections, in map order. */
  public List<Detection> detectionsAt(double threshold) {
    List<Detection> out = new ArrayList<>();
    boxesAt(threshold).forEach((id, list) -> list.forEach(b -> out.add(b.toDetection(id))));
    return out;
  }

  /** AP and recall for every threshold (outer) and IoU (inner), via {@link LocalizationMetrics}. */
  public List<Point> evaluate(GroundTruth gt, double[] ious, Protocol protocol) {
    List<Point> out = new ArrayList<>();
    for (double t : thresholds) {
      List<Detection> dets = detectionsAt(t);
      for (LocalizationMetrics.Cell c : LocalizationMetrics.evaluate(gt, dets, ious, protocol)) {
        out.add(new Point(t, c.iou(), c.apPercent(), c.recallPercent(), dets.size()));
      }
    }
    return out;
  }

  /** The baseline: one full-image box {@code [0, 0, width, height]} per map, all scored 1. */
  public static List<Detection> fullImageBoxes(Map<String, ImageMap> maps) {
    List<Detection> out = new ArrayList<>();
    maps.values().forEach(m -> out.add(new Detection(m.imageId(),
        PixelBox.fullImage(m.width(), m.height()).asPublishedDetection(), 1.0)));
    return out;
  }
}
