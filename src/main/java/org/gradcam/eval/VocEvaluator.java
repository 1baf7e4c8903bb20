package org.gradcam.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gradcam.data.Detection;
import org.gradcam.data.GroundTruth;
import org.gradcam.data.GroundTruthBox;

/**
 * VOC detection evaluation of one class (the logic of the VOC devkit's / detectron2's voc_eval):
 * detections ranked by descending score, ties in input order (a stable sort, so results do not
 * depend on a sort implementation); each detection is compared with its image's GT box of highest
 * IoU (first such box on ties) and is a TP if that IoU passes the threshold and the box is not
 * taken yet, else a FP.
 */
public final class VocEvaluator {
  private VocEvaluator() {}

  public static List<ThresholdResult> evaluate(GroundTruth gt, List<Detection> detections,
      double[] iouThresholds, Protocol protocol) {
    List<ThresholdResult> out = new ArrayList<>();
    for (double t : iouThresholds) {
      PrCurve c = curve(gt, detections, t, protocol);
      out.add(new ThresholdResult(t, c.ap(protocol.apMethod()), c.finalRecall(), c));
    }
    return out;
  }

  public static PrCurve curve(GroundTruth gt, List<Detection> detections, double iouThreshold,
      Protocol protocol) {
    if (!(iouThreshold > 0.0 && iouThreshold < 1.0)) {
      throw new IllegalArgumentException("IoU threshold must be in (0, 1), got " + iouThreshold);
    }
    if (detections.isEmpty()) {
      throw new IllegalArgumentException("no detections to evaluate");
    }
    for (Detection d : detections) {
      if (!gt.byImage().containsKey(d.imageId())) {
        throw new IllegalArgumentException("detection on image '" + d.imageId()
            + "', which the ground truth does not know (wrong id mapping or GT source?)");
      }
    }
    boolean ignoreDifficult = protocol.difficult() == DifficultMode.IGNORE;
    int positives = 0;
    Map<String, boolean[]> taken = new HashMap<>();
    for (Map.Entry<String, List<GroundTruthBox>> e : gt.byImage().entrySet()) {
      taken.put(e.getKey(), new boolean[e.getValue().size()]);
      for (GroundTruthBox b : e.getValue()) {
        if (!(ignoreDifficult && b.difficult())) {
          positives++;
        }
      }
    }
    if (positives == 0) {
      throw new IllegalArgumentException("the ground truth has no box that counts as positive");
    }
    List<Detection> ranked = new ArrayList<>(detections);
    ranked.sort(Comparator.comparingDouble(Detection::score).reversed()); // List.sort is stable

    int n = ranked.size();
    double[] precision = new double[n];
    double[] recall = new double[n];
    int tp = 0;
    int fp = 0;
    for (int i = 0; i < n; i++) {
      Detection d = ranked.get(i);
      List<GroundTruthBox> boxes = gt.byImage().get(d.imageId());
      double best = Double.NEGATIVE_INFINITY;
      int bestIndex = -1;
      for (int j = 0; j < boxes.size(); j++) {
        double iou = Iou.of(boxes.get(j).box(), d.box(), protocol.iou());
        if (iou > best) {
          best = iou;
          bestIndex = j;
        }
      }
      boolean passes = protocol.strictThreshold() ? best > iouThreshold : best >= iouThreshold;
      if (passes) {
        boolean[] used = taken.get(d.imageId());
        if (ignoreDifficult && boxes.get(bestIndex).difficult()) {
          // Neither TP nor FP: the devkit leaves both at 0 for a match to a difficult box.
        } else if (!used[bestIndex]) {
          used[bestIndex] = true;
          tp++;
        } else {
          fp++;
        }
      } else {
        fp++;
      }
      recall[i] = (double) tp / positives;
      precision[i] = tp / Math.max((double) (tp + fp), Math.ulp(1.0));
    }
    return new PrCurve(precision, recall, positives, tp, fp);
  }
}
