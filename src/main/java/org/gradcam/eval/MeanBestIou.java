package org.gradcam.eval;

import java.util.List;
import org.gradcam.data.GroundTruthBox;
import org.gradcam.data.PixelBox;

/**
 * Mean best IoU of one image: for each non-difficult ground-truth box of the class, the best IoU
 * with any predicted box; the mean of these over the ground-truth boxes.
 *
 * <pre>  meanBestIou = (1 / |G|) * sum_{g in G} max_{p in P} IoU(p, g)</pre>
 *
 * <p>with {@code G} the non-difficult GT boxes (VOC-difficult objects are not required to be
 * found, as in VOC AP) and {@code P} the predicted boxes. IoU is measured on pixel sets
 * ({@link Iou#of(PixelBox, PixelBox)}): a predicted box covers its pixels, a VOC box the pixels
 * {@link PixelBox#fromVoc} gives, clipped to the image. No predicted box gives 0 per GT box; no
 * non-difficult GT box gives NaN (the image does not count).
 */
public final class MeanBestIou {
  private MeanBestIou() {}

  public static double of(List<PixelBox> predicted, List<GroundTruthBox> classBoxes,
      int imageWidth, int imageHeight) {
    double sum = 0;
    int n = 0;
    for (GroundTruthBox g : classBoxes) {
      if (g.difficult()) {
        continue;
      }
      PixelBox gt = PixelBox.fromVoc(g.box(), imageWidth, imageHeight);
      double best = 0;
      for (PixelBox p : predicted) {
        best = Math.max(best, Iou.of(p, gt));
      }
      sum += best;
      n++;
    }
    return n == 0 ? Double.NaN : sum / n;
  }
}
