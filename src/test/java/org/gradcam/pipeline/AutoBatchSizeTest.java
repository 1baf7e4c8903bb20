package org.gradcam.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link AutoBatchSize} with a fake clock: images/s per batch size is given, not measured. */
class AutoBatchSizeTest {
  static final long SMALL = 1000;
  static final long BUDGET = AutoBatchSize.DEFAULT_BUDGET_BYTES;

  /** Seconds per run so that batch b gives {@code rates.get(b)} images/s; records the calls. */
  static AutoBatchSize.Timer fake(Map<Integer, Double> rates, List<Integer> calls) {
    return b -> {
      calls.add(b);
      return b / rates.get(b);
    };
  }

  @Test
  void picksTheFastestImagesPerSecond() throws Exception {
    List<Integer> calls = new ArrayList<>();
    var choice = AutoBatchSize.choose(200, SMALL, BUDGET,
        fake(Map.of(1, 100.0, 2, 180.0, 4, 300.0, 8, 420.0, 16, 350.0), calls));
    assertThat(choice.batchSize()).isEqualTo(8);
    assertThat(choice.imagesPerSecond()).hasSize(5);
    assertThat(choice.imagesPerSecond().get(8)).isCloseTo(420.0, within(1e-9));
    // One warm-up per candidate, all before the two timed runs of each.
    assertThat(calls).containsExactly(1, 2, 4, 8, 16, 1, 1, 2, 2, 4, 4, 8, 8, 16, 16);
    assertThat(choice.describe()).startsWith("batch size 8 (auto: ").contains("8: 420.0");
  }

  @Test
  void aBiggerBatchMustBeClearlyFaster() throws Exception {
    var choice = AutoBatchSize.choose(200, SMALL, BUDGET,
        fake(Map.of(1, 100.0, 2, 300.0, 4, 400.0, 8, 410.0, 16, 415.0), new ArrayList<>()));
    assertThat(choice.batchSize()).isEqualTo(4);
    choice = AutoBatchSize.choose(200, SMALL, BUDGET,
        fake(Map.of(1, 500.0, 2, 300.0, 4, 400.0, 8, 410.0, 16, 415.0), new ArrayList<>()));
    assertThat(choice.batchSize()).isEqualTo(1);
  }

  @Test
  void theBestOfTheTimedRunsCountsAndTheWarmUpDoesNot() throws Exception {
    // Batch 16's warm-up is very slow and one timed run is disturbed; its best run is fastest.
    double[][] seconds = {{1, 0.01, 0.01}, {1, 0.01, 0.01}, {1, 0.02, 0.02}, {1, 0.04, 0.04},
        {9, 0.5, 0.05}};
    int[] count = new int[5];
    var choice = AutoBatchSize.choose(200, SMALL, BUDGET, b -> {
      int k = Integer.numberOfTrailingZeros(b);
      return seconds[k][count[k]++];
    });
    assertThat(choice.batchSize()).isEqualTo(16);
  }

  @Test
  void memoryAndImageCountCapTheCandidates() throws Exception {
    List<Integer> calls = new ArrayList<>();
    Map<Integer, Double> rising = Map.of(1, 1.0, 2, 2.0, 4, 4.0, 8, 8.0, 16, 16.0);
    var choice = AutoBatchSize.choose(200, BUDGET / 5, BUDGET, fake(rising, calls));
    assertThat(choice.batchSize()).isEqualTo(4);
    assertThat(calls).doesNotContain(8, 16);
    assertThat(choice.reason()).contains("memory cap 5");
    assertThat(AutoBatchSize.choose(40, SMALL, BUDGET, fake(rising, new ArrayList<>()))
        .batchSize()).isEqualTo(16);
  }

  @Test
  void fewImagesSkipTheCalibration() throws Exception {
    AutoBatchSize.Timer never = b -> {
      throw new AssertionError("timed batch " + b);
    };
    assertThat(AutoBatchSize.choose(1, SMALL, BUDGET, never).batchSize()).isEqualTo(1);
    assertThat(AutoBatchSize.choose(4, SMALL, BUDGET, never).batchSize()).isEqualTo(4);
    assertThat(AutoBatchSize.choose(31, SMALL, BUDGET, never).batchSize()).isEqualTo(8);
    assertThat(AutoBatchSize.choose(31, BUDGET / 3, BUDGET, never).batchSize()).isEqualTo(3);
  }
}
