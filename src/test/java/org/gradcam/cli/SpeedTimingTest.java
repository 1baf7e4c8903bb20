package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicInteger;
import org.gradcam.data.Assets;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.gradcam.model.SqueezeNet11;
import org.junit.jupiter.api.Test;

/** The helpers every speed table shares, on hand-computed cases. */
class SpeedTimingTest {
  @Test
  void medianOfOddAndEvenCountsIgnoresTheOrderGiven() {
    assertThat(SpeedTiming.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(SpeedTiming.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThat(SpeedTiming.median(new double[] {7})).isEqualTo(7);
  }

  @Test
  void spreadIsMedianAndRangeOrOneValueAlone() {
    assertThat(SpeedTiming.spread(new double[] {38.25, 34.31, 39.5}, 1))
        .isEqualTo("38.3 (34.3-39.5)");
    assertThat(SpeedTiming.spread(new double[] {2.125, 1.5}, 2)).isEqualTo("1.81 (1.50-2.13)");
    assertThat(SpeedTiming.spread(new double[] {512.4}, 0)).isEqualTo("512");
  }

  @Test
  void timedLoopMakesAtLeastTheMinimumCallsAndCountsThem() {
    AtomicInteger calls = new AtomicInteger();
    SpeedTiming.Timed t = SpeedTiming.time(0, 5, calls::incrementAndGet);
    assertThat(t.calls()).isEqualTo(5).isEqualTo(calls.get());
    assertThat(t.seconds()).isPositive();
    // 5 calls of 8 images in t.seconds() seconds.
    assertThat(t.rate(8)).isCloseTo(40 / t.seconds(), within(1e-9 * t.rate(8)));
  }

  @Test
  void timedLoopRunsForTheGivenWallClock() {
    SpeedTiming.Timed t = SpeedTiming.time(0.05, 1, () -> 0);
    assertThat(t.seconds()).isGreaterThanOrEqualTo(0.05);
    assertThat(t.calls()).isGreaterThan(1);
  }

  @Test
  void gapIsTheLargestDifferenceAndTheLargestMagnitudeOfTheFirst() {
    // |1-1.5| = 0.5, |-4-(-4)| = 0, |2-0| = 2: worst 2; scale max(|1|, |-4|, |2|) = 4.
    SpeedTiming.Gap g = SpeedTiming.Gap.of(new float[] {1, -4, 2}, new float[] {1.5f, -4, 0});
    assertThat(g.worst()).isEqualTo(2);
    assertThat(g.scale()).isEqualTo(4);
  }

  /**
   * A graph batch of its own: the base itself at its graph batch (no load, nothing closed), else
   * a new load (so a new session) at that batch, the same logits as the base (float32 rounding
   * aside), the load closed with it.
   */
  @Test
  void aloneLoadsItsOwnSessionAtTheGraphBatchAndClosesIt() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    SpeedTiming.Loader loader = () -> {
      loads.incrementAndGet();
      return Models.load(SqueezeNet11.NAME, Assets.defaults());
    };
    try (Model model = loader.load()) {
      float[] x = SpeedTiming.randomBatch(model, 1, 3);
      float[] padded = model.logits(x, 1);
      try (SpeedTiming.Alone same = SpeedTiming.Alone.of(model, loader, 8)) {
        assertThat(same.model()).isSameAs(model);
        assertThat(same.andBase()).containsExactly(model);
      }
      assertThat(loads.get()).isEqualTo(1);
      SpeedTiming.Alone alone = SpeedTiming.Alone.of(model, loader, 1);
      assertThat(loads.get()).isEqualTo(2);
      assertThat(alone.model().graphBatch()).isEqualTo(1);
      assertThat(alone.andBase()).containsExactly(alone.model(), model);
      assertThat(model.graphBatch()).isEqualTo(8);
      SpeedTiming.Gap gap = SpeedTiming.Gap.of(padded, alone.model().logits(x, 1));
      assertThat(gap.worst()).isLessThanOrEqualTo(1e-5 * gap.scale());
      alone.close();
      assertThatThrownBy(() -> alone.model().logits(x, 1))
          .isInstanceOf(IllegalStateException.class);
      assertThat(model.logits(x, 1)).containsExactly(padded);
    }
  }
}
