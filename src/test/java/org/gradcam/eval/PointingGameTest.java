package org.gradcam.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.gradcam.cam.Heatmap;
import org.gradcam.data.GroundTruthBox;
import org.gradcam.data.PixelBox;
import org.gradcam.data.VocBox;
import org.gradcam.eval.PointingGame.Outcome;
import org.gradcam.eval.PointingGame.Point;
import org.gradcam.eval.PointingGame.Tally;
import org.junit.jupiter.api.Test;

class PointingGameTest {
  /** VOC box 11..20 (1-based inclusive) is 0-based pixels 10..19. */
  static final GroundTruthBox BOX = new GroundTruthBox(new VocBox(11, 11, 20, 20), false);

  @Test
  void argmaxTakesTheFirstMaximumInRasterOrder() {
    // 3 wide, 2 high: maxima at (1,0), (2,0), (0,1); the first in raster order wins.
    float[] map = {0, 5, 5, 5, 1, 0};
    assertThat(PointingGame.argmax(map, 3, 2)).isEqualTo(new Point(1, 0));
    assertThat(PointingGame.argmax(new float[] {0, 0, 0, 0}, 2, 2)).isEqualTo(new Point(0, 0));
    assertThatThrownBy(() -> PointingGame.argmax(new float[] {0, Float.NaN}, 2, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void peakIsTakenAtImageResolution() {
    // 2x2 map, maximum bottom-right. Upsampled to 6 wide x 4 high (half-pixel bilinear), only
    // the pixels whose source coordinate clamps to the last cell keep the full value: columns
    // 4..5 (src x = 1.25, 1.75 -> 1) and row 3 (src y = 1.25 -> 1); first of them: (4, 3).
    Heatmap map = new Heatmap(2, 2, new float[] {0, 0, 0, 1});
    assertThat(PointingGame.peak(map, 6, 4)).isEqualTo(new Point(4, 3));
  }

  @Test
  void toleranceIsStrictlyLessThan15PixelsToTheNearestBoxPixel() {
    List<PixelBox> rects = List.of(PixelBox.fromVoc(BOX.box(), 100, 100));
    // Right edge is column 19: 14 px away hits, 15 px away misses (TorchRay: d^2 < 15^2).
    assertThat(PointingGame.hits(new Point(33, 15), rects, 15)).isTrue();
    assertThat(PointingGame.hits(new Point(34, 15), rects, 15)).isFalse();
    // VOC xmin 31 is column 30: 14 px to its left hits, 15 px misses.
    List<PixelBox> right = List.of(PixelBox.fromVoc(new VocBox(31, 31, 40, 40), 100, 100));
    assertThat(PointingGame.hits(new Point(16, 35), right, 15)).isTrue();
    assertThat(PointingGame.hits(new Point(15, 35), right, 15)).isFalse();
  }

  @Test
  void diagonalDistanceIsEuclidean() {
    List<PixelBox> rects = List.of(PixelBox.fromVoc(BOX.box(), 100, 100));
    // Corner pixel (19,19): (29,29) is sqrt(200) away -> hit; (30,30) is sqrt(242) -> miss.
    assertThat(PointingGame.hits(new Point(29, 29), rects, 15)).isTrue();
    assertThat(PointingGame.hits(new Point(30, 30), rects, 15)).isFalse();
  }

  @Test
  void oneBasedInclusiveBoxesMapToZeroBasedPixels() {
    List<PixelBox> rects = List.of(PixelBox.fromVoc(BOX.box(), 100, 100));
    assertThat(rects.get(0)).isEqualTo(new PixelBox(10, 10, 20, 20));
    // Tolerance 1 accepts only the box's own pixels.
    assertThat(PointingGame.hits(new Point(10, 10), rects, 1)).isTrue();
    assertThat(PointingGame.hits(new Point(19, 19), rects, 1)).isTrue();
    assertThat(PointingGame.hits(new Point(9, 10), rects, 1)).isFalse();
    assertThat(PointingGame.hits(new Point(20, 19), rects, 1)).isFalse();
    // A box reaching the border (xmax = width) ends on the last column.
    assertThat(PixelBox.fromVoc(new VocBox(1, 1, 100, 50), 100, 50))
        .isEqualTo(new PixelBox(0, 0, 100, 50));
  }

  @Test
  void pairsWithOnlyDifficultBoxesAreSkippedButDifficultBoxesStillCountAsTarget() {
    GroundTruthBox hard = new GroundTruthBox(new VocBox(61, 61, 70, 70), true);
    assertThat(PointingGame.evaluate(new Point(65, 65), List.of(hard), 100, 100, 15))
        .isEqualTo(Outcome.SKIPPED);
    assertThat(PointingGame.evaluate(new Point(65, 65), List.of(BOX, hard), 100, 100, 15))
        .isEqualTo(Outcome.HIT);
    assertThat(PointingGame.evaluate(new Point(90, 5), List.of(BOX, hard), 100, 100, 15))
        .isEqualTo(Outcome.MISS);
  }

  @Test
  void tallyGivesOverallAndClassMeanAccuracy() {
    Tally t = new Tally();
    assertThat(t.accuracy()).isNaN();
    t.add("dog", Outcome.HIT);
    t.add("dog", Outcome.HIT);
    t.add("dog", Outcome.MISS);
    t.add("dog", Outcome.SKIPPED);
    t.add("cat", Outcome.MISS);
    t.add("bird", Outcome.SKIPPED);
    assertThat(t.hits()).isEqualTo(2);
    assertThat(t.misses()).isEqualTo(2);
    assertThat(t.accuracy()).isEqualTo(0.5);
    assertThat(t.accuracy("dog")).isEqualTo(2.0 / 3);
    assertThat(t.accuracy("bird")).isNaN();
    // Mean of dog 2/3 and cat 0; bird was never played.
    assertThat(t.classMeanAccuracy()).isEqualTo(1.0 / 3);
  }
}
