package org.gradcam.localize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Smoothed values against {@code scipy.ndimage.uniform_filter} output stored in the fixtures. */
class UniformFilterTest {

  static Stream<SciPyFixtures.Run> runsWithSmoothedValues() {
    return Stream.of("holes", "tiny", "border_near_tl", "random_blobs")
        .flatMap(name -> SciPyFixtures.runs(name).stream())
        .filter(run -> !run.smoothed().isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runsWithSmoothedValues")
  void smoothedValuesMatchSciPyWithinOneMillionth(SciPyFixtures.Run run) {
    double[] smoothed = smooth(run);

    for (SciPyFixtures.Sample s : run.smoothed()) {
      assertThat(smoothed[s.y() * run.map().width() + s.x()]).as("(y=%d, x=%d)", s.y(), s.x())
          .isCloseTo(s.value(), within(1e-6));
    }
  }

  /** Same arithmetic in the same order, so not merely close: the same doubles. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("runsWithSmoothedValues")
  void smoothedValuesAreBitForBitSciPys(SciPyFixtures.Run run) {
    double[] smoothed = smooth(run);

    for (SciPyFixtures.Sample s : run.smoothed()) {
      assertThat(smoothed[s.y() * run.map().width() + s.x()]).as("(y=%d, x=%d)", s.y(), s.x())
          .isEqualTo(s.value());
    }
  }

  private static double[] smooth(SciPyFixtures.Run run) {
    SciPyFixtures.FixtureMap m = run.map();
    return new UniformFilter(run.size(), run.precision()).apply(m.values(), m.width(), m.height());
  }

  @Test
  void fixturesCoverBothDtypesAndWindowsLongerThanTheMap() {
    assertThat(runsWithSmoothedValues().map(SciPyFixtures.Run::precision))
        .contains(Precision.FLOAT32, Precision.FLOAT64);
    assertThat(runsWithSmoothedValues().filter(r -> r.size() > r.map().height())).isNotEmpty();
  }

  @Test
  void float32StoresEveryPassAsFloat() {
    SciPyFixtures.FixtureMap map = SciPyFixtures.run("random_blobs", Precision.FLOAT32, 20, 0.06)
        .map();
    double[] smoothed = new UniformFilter(20, Precision.FLOAT32)
        .apply(map.values(), map.width(), map.height());

    for (double v : smoothed) {
      assertThat((double) (float) v).isEqualTo(v);
    }
  }

  @Test
  void sizeOneIsTheIdentity() {
    double[] map = {0.1, 0.7, 0.3, 0.9};

    assertThat(new UniformFilter(1).apply(map, 2, 2)).containsExactly(map);
  }

  @Test
  void reflectionIsHalfSampleSymmetricAndPeriodic() {
    // d c b a | a b c d | d c b a for length 4, repeating with period 8.
    int[] expected = {3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0, 0};
    for (int i = -4; i <= 8; i++) {
      assertThat(UniformFilter.reflect(i, 4)).as("index %d", i).isEqualTo(expected[i + 4]);
    }
    assertThat(UniformFilter.reflect(-7, 1)).isZero();
  }
}
