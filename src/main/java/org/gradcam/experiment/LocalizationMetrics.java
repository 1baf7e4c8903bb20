package org.gradcam.experiment;

import java.util.ArrayList;
import java.util.List;
import org.gradcam.data.Detection;
import org.gradcam.data.GroundTruth;
import org.gradcam.eval.DifficultMode;
import org.gradcam.eval.Protocol;
import org.gradcam.eval.VocEvaluator;

/** AP and recall (percent) per IoU threshold for one heatmap threshold and one protocol. */
public final class LocalizationMetrics {
  private LocalizationMetrics() {}

  /** AP and recall in percent; NaN when the protocol leaves no positive GT box. */
  public record Cell(double iou, double apPercent, double recallPercent) {}

  /**
   * {@link VocEvaluator} on the detections; no detection at all gives AP 0 and recall 0 (the
   * evaluator refuses an empty list), and no countable GT box gives NaN ("n/a").
   */
  public static List<Cell> evaluate(GroundTruth gt, List<Detection> detections, double[] ious,
      Protocol protocol) {
    long positives = protocol.difficult() == DifficultMode.IGNORE
        ? gt.boxCount() - gt.difficultCount() : gt.boxCount();
    List<Cell> out = new ArrayList<>();
    if (positives == 0) {
      for (double t : ious) {
        out.add(new Cell(t, Double.NaN, Double.NaN));
      }
      return out;
    }
    if (detections.isEmpty()) {
      for (double t : ious) {
        out.add(new Cell(t, 0, 0));
      }
      return out;
    }
    VocEvaluator.evaluate(gt, detections, ious, protocol)
        .forEach(r -> out.add(new Cell(r.iouThreshold(), 100 * r.ap(), 100 * r.recall())));
    return out;
  }
}
