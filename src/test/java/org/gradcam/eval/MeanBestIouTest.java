package org.gradcam.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.gradcam.data.GroundTruthBox;
import org.gradcam.localize.Box;
import org.junit.jupiter.api.Test;

class MeanBestIouTest {
  /** VOC 1..10 inclusive = 0-based pixels 0..9 = exclusive Box(0, 0, 10, 10). */
  static final GroundTruthBox G1 = gt(1, 1, 10, 10, false);
  static final GroundTruthBox G2 = gt(21, 21, 30, 30, false);

  static GroundTruthBox gt(int x0, int y0, int x1, int y1, boolean difficult) {
    return new GroundTruthBox(new org.gradcam.data.Box(x0, y0, x1, y1), difficult);
  }

  @Test
  void identicalPixelsGiveOne() {
    assertThat(MeanBestIou.of(List.of(new Box(0, 0, 10, 10)), List.of(G1), 50, 50)).isEqualTo(1.0);
    // Off by one pixel (VOC coordinates taken as 0-based): 9x9 of 100 + 100 - 81.
    assertThat(MeanBestIou.of(List.of(new Box(1, 1, 11, 11)), List.of(G1), 50, 50))
        .isCloseTo(81.0 / 119, within(1e-12));
  }

  @Test
  void bestPredictionPerGroundTruthThenMeanOverGroundTruth() {
    List<Box> pred = List.of(new Box(0, 0, 5, 10), new Box(0, 0, 10, 10), new Box(40, 40, 50, 50));
    // G1: best is the exact box (1.0); G2: nothing overlaps (0.0).
    assertThat(MeanBestIou.of(pred, List.of(G1, G2), 50, 50)).isEqualTo(0.5);
    // Only the half box: 50 / 100.
    assertThat(MeanBestIou.of(List.of(new Box(0, 0, 5, 10)), List.of(G1), 50, 50)).isEqualTo(0.5);
    assertThat(MeanBestIou.of(List.of(), List.of(G1), 50, 50)).isEqualTo(0.0);
  }

  @Test
  void difficultGroundTruthIsIgnored() {
    GroundTruthBox hard = gt(21, 21, 30, 30, true);
    assertThat(MeanBestIou.of(List.of(new Box(0, 0, 10, 10)), List.of(G1, hard), 50, 50))
        .isEqualTo(1.0);
    assertThat(MeanBestIou.of(List.of(new Box(0, 0, 10, 10)), List.of(hard), 50, 50)).isNaN();
  }

  @Test
  void equalsTheDevkitPlusOneIouOnShiftedPredictions() {
    Box p = new Box(3, 4, 17, 12);
    org.gradcam.data.Box oneBased = new org.gradcam.data.Box(p.xmin() + 1, p.ymin() + 1,
        p.xmax(), p.ymax());
    assertThat(MeanBestIou.of(List.of(p), List.of(G1), 50, 50))
        .isCloseTo(Iou.of(oneBased, G1.box(), true), within(1e-12));
  }
}
