package org.gradcam.eval;

import java.util.List;
import org.gradcam.data.GroundTruthBox;
import org.gradcam.localize.Box;

/**
 * Mean best IoU of one image: for each non-difficult ground-truth box of the class, the best IoU
 * with any predicted box; the mean of these over the ground-truth boxes.
 *
 * <pre>  meanBestIou = (1 / |G|) * sum_{g in G} max_{p in P} IoU(p, g)</pre>
 *
 * <p>with {@code G} the non-difficult GT boxes (VOC-difficult objects are not required to be
 * found, as in VOC AP) and {@code P} the predicted boxes. IoU is measured on pixel sets: a
 * predicted {@link Box} (0-based, exclusive upper bounds) covers columns {@code xmin..xmax-1}; a
 * VOC box (1-based, inclusive) covers 0-based columns {@code xmin-1..xmax-1}
 * ({@link PixelRect}). This equals {@link Iou#of}{@code (pred.shiftMin(1, 1), gt, true)}, the
 * devkit's "+1" convention on 1-based inclusive boxes. No predicted box gives 0 per GT box; no
 * non-difficult GT box gives NaN (the image does not count).
 */
public final class MeanBestIou {
  private MeanBestIou() {}

  public static double of(List<Box> predicted, List<GroundTruthBox> classBoxes, int imageWidth,
      int imageHeight) {
    double sum = 0;
    int n = 0;
    for (GroundTruthBox g : classBoxes) {
      if (g.difficult()) {
        continue;
      }
      PixelRect gt = PixelRect.fromVoc(g.box(), imageWidth, imageHeight);
      double best = 0;
      for (Box p : predicted) {
        best = Math.max(best, PixelRect.fromExclusive(p).iou(gt));
      }
      sum += best;
      n++;
    }
    return n == 0 ? Double.NaN : sum / n;
  }
}
