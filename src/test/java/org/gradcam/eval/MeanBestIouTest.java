package org.gradcam.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.gradcam.data.GroundTruthBox;
import org.gradcam.data.PixelBox;
import org.gradcam.data.VocBox;
import org.junit.jupiter.api.Test;

class MeanBestIouTest {
  /** VOC 1..10 inclusive = 0-based pixels 0..9 = exclusive PixelBox(0, 0, 10, 10). */
  static final GroundTruthBox G1 = gt(1, 1, 10, 10, false);
  static final GroundTruthBox G2 = gt(21, 21, 30, 30, false);

  static GroundTruthBox gt(int x0, int y0, int x1, int y1, boolean difficult) {
    return new GroundTruthBox(new VocBox(x0, y0, x1, y1), difficult);
  }

  @Test
  void identicalPixelsGiveOne() {
    assertThat(MeanBestIou.of(List.of(new PixelBox(0, 0, 10, 10)), List.of(G1), 50, 50))
        .isEqualTo(1.0);
    // Off by one pixel (VOC coordinates taken as 0-based): 9x9 of 100 + 100 - 81.
    assertThat(MeanBestIou.of(List.of(new PixelBox(1, 1, 11, 11)), List.of(G1), 50, 50))
        .isCloseTo(81.0 / 119, within(1e-12));
  }

  @Test
  void bestPredictionPerGroundTruthThenMeanOverGroundTruth() {
    List<PixelBox> pred = List.of(new PixelBox(0, 0, 5, 10), new PixelBox(0, 0, 10, 10),
        new PixelBox(40, 40, 50, 50));
    // G1: best is the exact box (1.0); G2: nothing overlaps (0.0).
    assertThat(MeanBestIou.of(pred, List.of(G1, G2), 50, 50)).isEqualTo(0.5);
    // Only the half box: 50 / 100.
    assertThat(MeanBestIou.of(List.of(new PixelBox(0, 0, 5, 10)), List.of(G1), 50, 50))
        .isEqualTo(0.5);
    assertThat(MeanBestIou.of(List.of(), List.of(G1), 50, 50)).isEqualTo(0.0);
  }

  @Test
  void difficultGroundTruthIsIgnored() {
    GroundTruthBox hard = gt(21, 21, 30, 30, true);
    assertThat(MeanBestIou.of(List.of(new PixelBox(0, 0, 10, 10)), List.of(G1, hard), 50, 50))
        .isEqualTo(1.0);
    assertThat(MeanBestIou.of(List.of(new PixelBox(0, 0, 10, 10)), List.of(hard), 50, 50))
        .isNaN();
  }

  @Test
  void equalsTheDevkitPlusOneIouOnShiftedPredictions() {
    PixelBox p = new PixelBox(3, 4, 17, 12);
    VocBox oneBased = new VocBox(p.xmin() + 1, p.ymin() + 1, p.xmax(), p.ymax());
    assertThat(MeanBestIou.of(List.of(p), List.of(G1), 50, 50))
        .isCloseTo(Iou.of(oneBased, G1.box(), Iou.Convention.INCLUSIVE_PIXELS), within(1e-12));
  }
}
