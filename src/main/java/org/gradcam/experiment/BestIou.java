package org.gradcam.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gradcam.data.GroundTruth;
import org.gradcam.data.GroundTruthBox;
import org.gradcam.data.PixelBox;
import org.gradcam.eval.Iou;

/**
 * How well each ground-truth box is covered: its highest IoU with any of our boxes on its image,
 * whatever their scores. IoU as the published evaluation measures it: our 0-based, exclusive-stop
 * boxes against the 1-based VOC boxes as they are, with the devkit's +1.
 */
public final class BestIou {
  private BestIou() {}

  /**
   * One ground-truth box and our box that overlaps it most.
   *
   * @param index the box's position among its image's ground truth
   * @param best our best box, empty when the image has no box of ours
   * @param iou its IoU, 0 without a box
   */
  public record Match(String imageId, int index, GroundTruthBox groundTruth,
      Optional<PixelBox> best, double iou) {}

  /** Every ground-truth box, in ground-truth order, with its best box among {@code ours}. */
  public static List<Match> perGroundTruthBox(GroundTruth gt, Map<String, List<ScoredBox>> ours) {
    List<Match> out = new ArrayList<>();
    gt.byImage().forEach((id, boxes) -> {
      List<ScoredBox> mine = ours.getOrDefault(id, List.of());
      for (int i = 0; i < boxes.size(); i++) {
        GroundTruthBox g = boxes.get(i);
        PixelBox best = null;
        double bestIou = 0;
        for (ScoredBox b : mine) {
          double iou = Iou.of(g.box(), b.box().asPublishedDetection(),
              Iou.Convention.INCLUSIVE_PIXELS);
          if (best == null || iou > bestIou) {
            best = b.box();
            bestIou = iou;
          }
        }
        out.add(new Match(id, i, g, Optional.ofNullable(best), bestIou));
      }
    });
    return out;
  }

  /** Per image, the best IoU of any of its ground-truth boxes, in the order of {@code matches}. */
  public static Map<String, Double> perImage(List<Match> matches) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Match m : matches) {
      out.merge(m.imageId(), m.iou(), Math::max);
    }
    return out;
  }
}
