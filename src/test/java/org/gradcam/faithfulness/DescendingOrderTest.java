package org.gradcam.faithfulness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The primitive-key sort of the curves' pixel order equals a stable comparator sort. */
class DescendingOrderTest {

  /** The definition: decreasing value by the comparison operators, ties by increasing index. */
  private static int[] reference(float[] values) {
    Integer[] idx = new Integer[values.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> values[a] > values[b] ? -1 : (values[a] < values[b] ? 1 : 0));
    return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
  }

  @Test
  void equalsTheStableComparatorSortWithTiesSignedZerosAndInfinities() {
    Random rnd = new Random(4);
    float[] pool = {0f, -0f, 1f, -1f, 0.5f, -2.5e-38f, 1e-45f, -1e-45f, Float.MAX_VALUE,
        -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 3f};
    for (int trial = 0; trial < 20; trial++) {
      float[] values = new float[trial == 0 ? 224 * 224 : 1 + rnd.nextInt(500)];
      for (int i = 0; i < values.length; i++) {
        values[i] = rnd.nextBoolean() ? pool[rnd.nextInt(pool.length)]
            : (float) rnd.nextGaussian();
      }
      assertThat(CausalMetric.descendingOrder(values)).as("trial %d", trial)
          .containsExactly(reference(values));
    }
  }
}
