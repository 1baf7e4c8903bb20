package org.gradcam.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.gradcam.data.GroundTruthBox;
import org.gradcam.data.VocBox;
import org.gradcam.eval.Iou;

/**
 * Why a dog was or was not localised: each ground-truth dog box of an image gets one category
 * from the boxes predicted on that image at one heatmap threshold.
 *
 * <p>Geometry is that of the published evaluation: the ground truth is VOC (1-based, inclusive),
 * our boxes are 0-based with an exclusive stop, and both are measured as they are with the
 * devkit's {@code +1} (a box {@code [x1, x2]} is {@code x2 - x1 + 1} wide), exactly as
 * {@link BestIou} and the AP do. For a ground-truth box {@code g} and a predicted box {@code b},
 * with {@code I = |b ∩ g|}:
 *
 * <ul>
 *   <li>{@code IoU = I / (|b| + |g| - I)};
 *   <li>{@code gt_covered = I / |g|}, the share of the dog inside the box;
 *   <li>{@code box_on_gt = I / |b|}, the share of the box on the dog;
 *   <li>{@code area_ratio = |b| / |g|}.
 * </ul>
 *
 * The <b>best box</b> of {@code g} is the predicted box of highest IoU with it (ties: the higher
 * score, then the earlier box). The categories are tested in this order, the first that applies
 * wins:
 *
 * <ol>
 *   <li>{@link Category#NO_BOX}: the image has no predicted box (smoothing erased every pixel
 *       above the threshold), or only the full-image fallback box that the published procedure
 *       returns when no pixel of the map exceeds the threshold ({@code fallback}).
 *   <li>{@link Category#OK}: the best box has IoU {@code >= 0.5}.
 *   <li>{@link Category#TWO_DOGS_MERGED}: the best box holds at least half
 *       ({@code I / |h| >= 0.5}) of at least two ground-truth dogs {@code h}, {@code g} one of
 *       them: one box over several dogs.
 *   <li>{@link Category#WRONG_DOG}: the best box overlaps another ground-truth dog with a higher
 *       IoU than {@code g}, or overlaps no ground-truth dog of the image at all (a box on the
 *       background; then every predicted box misses {@code g}).
 *   <li>{@link Category#BOX_TOO_BIG}: the box holds the dog, {@code gt_covered >= 0.9}, but IoU
 *       {@code < 0.5}; a box that holds all of the dog has IoU {@code |g| / |b|}, so this is a
 *       box more than twice the dog's area (more than 1.7 times at 90% cover).
 *   <li>{@link Category#BOX_TOO_SMALL}: the converse, the box lies on the dog,
 *       {@code box_on_gt >= 0.9}, but covers too little of it (e.g. only the head): less than
 *       half of the dog's area (under 0.59 of it at 90%).
 *   <li>{@link Category#MISPLACED}: anything else: the box overlaps the dog partly, shifted or of
 *       the wrong shape, without holding it or lying within it.
 * </ol>
 */
public final class LocalizationErrors {
  public static final double OK_IOU = 0.5;
  /** Share of one box inside the other for "holds" / "lies on". */
  public static final double CONTAIN = 0.9;
  /** Share of each dog a merged box must hold. */
  public static final double MERGE_COVER = 0.5;
  /** Overlaps are measured as the published evaluation measures IoU: the devkit's +1. */
  private static final Iou.Convention DEVKIT = Iou.Convention.INCLUSIVE_PIXELS;

  public enum Category {
    OK("ok"), NO_BOX("no box"), BOX_TOO_BIG("box too big"), BOX_TOO_SMALL("box too small"),
    WRONG_DOG("wrong dog"), TWO_DOGS_MERGED("two dogs merged"), MISPLACED("misplaced");

    private final String label;

    Category(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    /** A file-name form of the label, e.g. {@code box-too-big}. */
    public String slug() {
      return label.replace(' ', '-');
    }
  }

  /**
   * The analysis of one ground-truth box.
   *
   * @param index the box's position among the image's ground-truth dogs
   * @param best its best predicted box (empty when the image has none)
   * @param boxes how many boxes the image has at this threshold
   * @param fallback whether the boxes are the full-image fallback (nothing above the threshold)
   */
  public record Analysis(String imageId, int index, GroundTruthBox groundTruth,
      Optional<ScoredBox> best, double iou, double gtCovered, double boxOnGt, double areaRatio,
      int boxes, boolean fallback, Category category) {}

  private LocalizationErrors() {}

  /** Every ground-truth box of one image, in order, analysed against {@code predicted}. */
  public static List<Analysis> analyze(String imageId, List<GroundTruthBox> groundTruth,
      List<ScoredBox> predicted, boolean fallback) {
    List<Analysis> out = new ArrayList<>();
    for (int i = 0; i < groundTruth.size(); i++) {
      out.add(analyze(imageId, i, groundTruth, predicted, fallback));
    }
    return out;
  }

  static Analysis analyze(String imageId, int index, List<GroundTruthBox> groundTruth,
      List<ScoredBox> predicted, boolean fallback) {
    GroundTruthBox gt = groundTruth.get(index);
    VocBox g = gt.box();
    ScoredBox best = null;
    double bestIou = -1;
    for (ScoredBox p : predicted) {
      double iou = Iou.of(g, voc(p), DEVKIT);
      if (best == null || iou > bestIou || (iou == bestIou && p.score() > best.score())) {
        best = p;
        bestIou = iou;
      }
    }
    if (best == null) {
      return new Analysis(imageId, index, gt, Optional.empty(), 0, 0, 0, 0, 0, fallback,
          Category.NO_BOX);
    }
    VocBox b = voc(best);
    double inter = Iou.intersection(b, g, DEVKIT);
    double covered = inter / Iou.area(g, DEVKIT);
    double onGt = inter / Iou.area(b, DEVKIT);
    double ratio = Iou.area(b, DEVKIT) / Iou.area(g, DEVKIT);
    Category c = categorize(index, groundTruth, b, bestIou, covered, onGt,
        fallback);
    return new Analysis(imageId, index, gt, Optional.of(best), bestIou, covered, onGt, ratio,
        predicted.size(), fallback, c);
  }

  private static Category categorize(int index, List<GroundTruthBox> groundTruth, VocBox b,
      double iou, double covered, double onGt, boolean fallback) {
    if (fallback) {
      return Category.NO_BOX;
    }
    if (iou >= OK_IOU) {
      return Category.OK;
    }
    int held = 0;
    boolean overlapsAny = false;
    boolean betterElsewhere = false;
    for (int j = 0; j < groundTruth.size(); j++) {
      VocBox h = groundTruth.get(j).box();
      double inter = Iou.intersection(b, h, DEVKIT);
      if (inter / Iou.area(h, DEVKIT) >= MERGE_COVER) {
        held++;
      }
      overlapsAny |= inter > 0;
      if (j != index && Iou.of(h, b, DEVKIT) > iou) {
        betterElsewhere = true;
      }
    }
    if (held >= 2 && covered >= MERGE_COVER) {
      return Category.TWO_DOGS_MERGED;
    }
    if (betterElsewhere || !overlapsAny) {
      return Category.WRONG_DOG;
    }
    if (covered >= CONTAIN) {
      return Category.BOX_TOO_BIG;
    }
    if (onGt >= CONTAIN) {
      return Category.BOX_TOO_SMALL;
    }
    return Category.MISPLACED;
  }

  /** Our box as the detection the AP evaluates (coordinates unchanged, see {@link ScoredBox}). */
  private static VocBox voc(ScoredBox p) {
    return p.box().asPublishedDetection();
  }
}
