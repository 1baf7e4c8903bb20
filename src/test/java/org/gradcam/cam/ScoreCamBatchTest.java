package org.gradcam.cam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Score-CAM calls its scorer with whole graph runs: a partial call would pay for one anyway. */
class ScoreCamBatchTest {

  @Test
  void scorerCallsAreRoundedUpToTheGraphBatch() {
    // 5 non-constant channels; batch 2 on a model of graph batch 4: calls of 4 and 1, not 2, 2, 1.
    float[] v = new float[2 * 5];
    for (int k = 0; k < 5; k++) {
      v[k] = k;
      v[5 + k] = 2 * k + 1;
    }
    List<Integer> sizes = new ArrayList<>();
    PerturbationCam.Scorer count = (inputs, m) -> {
      sizes.add(m);
      assertThat(inputs).hasSize(m * 12);
      return new float[m];
    };
    new ScoreCam(2).map(new FeatureMaps(1, 2, 5, v),
        new PerturbationCam.Input(new float[12], 2, false, count, 4));
    assertThat(sizes).containsExactly(4, 1);
    sizes.clear();
    new ScoreCam(5).map(new FeatureMaps(1, 2, 5, v),
        new PerturbationCam.Input(new float[12], 2, false, count, 4));
    assertThat(sizes).containsExactly(5);
  }
}
