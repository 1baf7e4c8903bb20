package org.gradcam.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.gradcam.data.GroundTruthBox;
import org.gradcam.data.PixelBox;
import org.gradcam.data.VocBox;
import org.gradcam.experiment.LocalizationErrors.Analysis;
import org.gradcam.experiment.LocalizationErrors.Category;
import org.junit.jupiter.api.Test;

/**
 * The error categories on hand-made boxes. Ground truth is VOC (1-based, inclusive): {@code [11,
 * 11, 110, 110]} is 100 x 100 = 10000 pixels with the devkit's +1. Predicted boxes are ours
 * (0-based, exclusive stop), compared as they are, so {@code [10, 10, 110, 110]} measures 101 x
 * 101.
 */
class LocalizationErrorsTest {
  static final GroundTruthBox DOG = gt(11, 11, 110, 110);
  /** A second dog 100 px to the right of {@link #DOG}, same size. */
  static final GroundTruthBox OTHER_DOG = gt(211, 11, 310, 110);

  static GroundTruthBox gt(double x1, double y1, double x2, double y2) {
    return new GroundTruthBox(new VocBox(x1, y1, x2, y2), false);
  }

  static ScoredBox ours(int x1, int y1, int x2, int y2, double score) {
    return new ScoredBox(0.06, new PixelBox(x1, y1, x2, y2), score);
  }

  static Analysis one(List<GroundTruthBox> gts, int index, List<ScoredBox> boxes) {
    return LocalizationErrors.analyze("img", gts, boxes, false).get(index);
  }

  @Test
  void tightBoxIsOk() {
    Analysis a = one(List.of(DOG), 0, List.of(ours(10, 10, 110, 110, 1)));
    assertThat(a.category()).isEqualTo(Category.OK);
    assertThat(a.iou()).isCloseTo(10000.0 / 10201, within(1e-12));
    assertThat(a.gtCovered()).isEqualTo(1.0);
  }

  @Test
  void noBoxAndTheFullImageFallbackAreNoBox() {
    Analysis none = one(List.of(DOG), 0, List.of());
    assertThat(none.category()).isEqualTo(Category.NO_BOX);
    assertThat(none.best()).isEmpty();
    assertThat(none.iou()).isZero();
    // Nothing above the threshold: the published procedure answers the full image. Even on a
    // close-up where that box would overlap well, it is not a localisation.
    Analysis fallback = LocalizationErrors.analyze("img", List.of(gt(1, 1, 120, 110)),
        List.of(ours(0, 0, 120, 110, 1)), true).get(0);
    assertThat(fallback.iou()).isGreaterThan(0.9);
    assertThat(fallback.fallback()).isTrue();
    assertThat(fallback.category()).isEqualTo(Category.NO_BOX);
  }

  @Test
  void okAtExactlyHalfAndTooBigJustBelow() {
    // Holds the dog, twice its area: IoU 10000 / 20000 = 0.5, ok.
    Analysis half = one(List.of(DOG), 0, List.of(ours(11, 11, 110, 210, 1)));
    assertThat(half.iou()).isEqualTo(0.5);
    assertThat(half.category()).isEqualTo(Category.OK);
    // One row more: 10000 / 20100 < 0.5, holds the whole dog: too big.
    Analysis big = one(List.of(DOG), 0, List.of(ours(11, 11, 110, 211, 1)));
    assertThat(big.iou()).isLessThan(0.5);
    assertThat(big.areaRatio()).isGreaterThan(2.0);
    assertThat(big.category()).isEqualTo(Category.BOX_TOO_BIG);
  }

  @Test
  void boxHoldingTheDogInALargeSceneIsTooBig() {
    Analysis a = one(List.of(DOG), 0, List.of(ours(0, 0, 300, 300, 1)));
    assertThat(a.gtCovered()).isEqualTo(1.0);
    assertThat(a.iou()).isCloseTo(10000.0 / (301 * 301), within(1e-12));
    assertThat(a.category()).isEqualTo(Category.BOX_TOO_BIG);
  }

  @Test
  void headOnlyIsTooSmall() {
    Analysis a = one(List.of(DOG), 0, List.of(ours(20, 20, 60, 60, 1)));
    assertThat(a.boxOnGt()).isEqualTo(1.0);
    assertThat(a.iou()).isCloseTo(1681.0 / 10000, within(1e-12));
    assertThat(a.category()).isEqualTo(Category.BOX_TOO_SMALL);
  }

  @Test
  void shiftedPartialOverlapIsMisplaced() {
    Analysis a = one(List.of(DOG), 0, List.of(ours(60, 60, 160, 160, 1)));
    // Intersection 51 x 51 = 2601 of 10000 (dog) and 10201 (box).
    assertThat(a.gtCovered()).isCloseTo(0.2601, within(1e-12));
    assertThat(a.iou()).isCloseTo(2601.0 / (10000 + 10201 - 2601), within(1e-12));
    assertThat(a.category()).isEqualTo(Category.MISPLACED);
  }

  @Test
  void boxOnTheOtherDogIsWrongDogForThisOneAndOkForThatOne() {
    List<GroundTruthBox> two = List.of(DOG, OTHER_DOG);
    List<ScoredBox> boxes = List.of(ours(200, 0, 320, 120, 1));
    List<Analysis> a = LocalizationErrors.analyze("img", two, boxes, false);
    assertThat(a.get(0).iou()).isZero();
    assertThat(a.get(0).category()).isEqualTo(Category.WRONG_DOG);
    assertThat(a.get(1).iou()).isCloseTo(10000.0 / (121 * 121), within(1e-12));
    assertThat(a.get(1).category()).isEqualTo(Category.OK);
  }

  @Test
  void boxOverlappingTheOtherDogBetterIsWrongDogEvenIfItTouchesThisOne() {
    // Covers 20 columns of DOG and all of OTHER_DOG: IoU with DOG tiny, with OTHER_DOG higher.
    Analysis a = one(List.of(DOG, OTHER_DOG), 0, List.of(ours(90, 10, 330, 110, 1)));
    assertThat(a.iou()).isGreaterThan(0);
    assertThat(a.category()).isEqualTo(Category.WRONG_DOG);
  }

  @Test
  void boxOnTheBackgroundIsWrongDog() {
    Analysis a = one(List.of(DOG), 0, List.of(ours(400, 400, 450, 450, 1)));
    assertThat(a.iou()).isZero();
    assertThat(a.category()).isEqualTo(Category.WRONG_DOG);
  }

  @Test
  void oneBoxOverBothDogsIsTwoDogsMergedForEach() {
    List<Analysis> a = LocalizationErrors.analyze("img", List.of(DOG, OTHER_DOG),
        List.of(ours(0, 0, 320, 120, 1)), false);
    for (Analysis x : a) {
      assertThat(x.gtCovered()).isEqualTo(1.0);
      assertThat(x.iou()).isLessThan(0.5);
      // Also "too big" by its geometry: merged is tested first.
      assertThat(x.category()).isEqualTo(Category.TWO_DOGS_MERGED);
    }
  }

  @Test
  void aBoxHoldingLessThanHalfOfTheSecondDogIsNotAMerge() {
    // Holds DOG and 30 of OTHER_DOG's 100 columns.
    Analysis a = one(List.of(DOG, OTHER_DOG), 0, List.of(ours(0, 0, 240, 120, 1)));
    assertThat(a.category()).isEqualTo(Category.BOX_TOO_BIG);
  }

  @Test
  void bestBoxIsTheHighestIouThenTheHigherScore() {
    ScoredBox tight = ours(10, 10, 110, 110, 0.2);
    ScoredBox wide = ours(0, 0, 300, 300, 0.9);
    Analysis a = one(List.of(DOG), 0, List.of(wide, tight));
    assertThat(a.best()).contains(tight);
    assertThat(a.boxes()).isEqualTo(2);
    assertThat(a.category()).isEqualTo(Category.OK);
    // Both miss the dog: the higher-scoring box is reported.
    ScoredBox low = ours(400, 400, 420, 420, 0.1);
    ScoredBox high = ours(430, 430, 450, 450, 0.8);
    assertThat(one(List.of(DOG), 0, List.of(low, high)).best()).contains(high);
  }

  @Test
  void labelsAndSlugs() {
    assertThat(Category.TWO_DOGS_MERGED.label()).isEqualTo("two dogs merged");
    assertThat(Category.BOX_TOO_BIG.slug()).isEqualTo("box-too-big");
  }
}
