package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicInteger;
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
}
