package org.gradcam.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.gradcam.cam.Heatmap;
import org.gradcam.data.GroundTruthBox;
import org.gradcam.data.VocBox;
import org.junit.jupiter.api.Test;

class EnergyPointingGameTest {
  /** VOC (1,1)-(2,2): the 0-based pixels (0..1, 0..1) of a 4x4 image. */
  static final GroundTruthBox TOP_LEFT = new GroundTruthBox(new VocBox(1, 1, 2, 2), false);

  @Test
  void shareOfTheNonNegativeMapInsideTheBox() {
    float[] map = new float[16];
    map[0] = 1;      // (0,0) inside
    map[5] = -2;     // (1,1) inside, clamped to 0
    map[2] = 1;      // (2,0) just right of the box: VOC xmax 2 is column 1
    map[15] = 2;     // (3,3) outside
    assertThat(EnergyPointingGame.score(map, 4, 4, List.of(TOP_LEFT))).isCloseTo(0.25, within(1e-12));
  }

  @Test
  void unionOfBoxesCountsOverlapOnce() {
    float[] map = new float[16];
    java.util.Arrays.fill(map, 1f);
    GroundTruthBox overlapping = new GroundTruthBox(new VocBox(2, 1, 3, 2), true);
    // Union covers columns 0..2 of rows 0..1: 6 of 16 pixels.
    assertThat(EnergyPointingGame.score(map, 4, 4, List.of(TOP_LEFT, overlapping)))
        .isCloseTo(6.0 / 16, within(1e-12));
  }

  @Test
  void scaleInvariantAndZeroForAnEmptyMap() {
    float[] map = {0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    float[] scaled = map.clone();
    for (int i = 0; i < scaled.length; i++) {
      scaled[i] *= 7;
    }
    double s = EnergyPointingGame.score(map, 4, 4, List.of(TOP_LEFT));
    assertThat(s).isCloseTo(0.75, within(1e-12));
    assertThat(EnergyPointingGame.score(scaled, 4, 4, List.of(TOP_LEFT))).isCloseTo(s, within(1e-12));
    assertThat(EnergyPointingGame.score(new float[16], 4, 4, List.of(TOP_LEFT))).isEqualTo(0.0);
  }

  @Test
  void layerResolutionMapIsUpsampledFirst() {
    // A uniform 2x2 map stays uniform at 8x8: the share is the box's area fraction, 4 / 64.
    Heatmap map = new Heatmap(2, 2, new float[] {1, 1, 1, 1});
    assertThat(EnergyPointingGame.score(map, 8, 8, List.of(TOP_LEFT)))
        .isCloseTo(4.0 / 64, within(1e-9));
  }
}
