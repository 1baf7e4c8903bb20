package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OpAlternativesTest {
  /**
   * A short run: every alternative passed its check against the kernel as built (the merged
   * Fire convolution equals the two convolutions and their concat; MaxPoolV2 equals MaxPool;
   * the channels unstacked and stacked last equal the transpose),
   * else the table would have thrown; one row per alternative and batch, times positive.
   */
  @Test
  void eachAlternativeComputesTheSameValuesAndIsTimed() {
    String out = new OpAlternatives(List.of(1, 2), 0.01, 1).table();
    List<String> rows = out.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| comp")
        && !l.startsWith("| ---")).toList();
    assertThat(rows).hasSize(12);
    assertThat(rows).filteredOn(r -> r.contains("| Transpose | Unstack + Stack |")).hasSize(2);
    assertThat(rows).filteredOn(r -> r.contains("| MaxPool | MaxPoolV2 |")).hasSize(2);
    assertThat(rows).filteredOn(r -> r.contains("| 1x1 + 3x3 + ConcatV2 | one merged 3x3 |"))
        .hasSize(8);
    for (String r : rows) {
      String[] cells = r.split("\\|");
      assertThat(Double.parseDouble(cells[5].strip())).isPositive();
      assertThat(Double.parseDouble(cells[6].strip())).isPositive();
    }
    assertThat(out).contains("- Unstack + Stack takes ", "- MaxPoolV2 takes ", "- one merged 3x3 takes ", "over the 8 rows");
  }
}
