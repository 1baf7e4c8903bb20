package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.gradcam.data.Assets;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.gradcam.model.SqueezeNet11;
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
    assertThat(out).doesNotContain("caller's thread");
  }

  /**
   * A model's forward pass through the inter-op pool against the caller's thread: both gave the
   * same logits (else it would have thrown), one row per batch before the kernel rows, its line.
   */
  @Test
  void aModelsForwardIsTimedThroughThePoolAgainstTheCallersThread() throws Exception {
    SpeedTiming.Loader loader = () -> Models.load(SqueezeNet11.NAME, Assets.defaults());
    try (Model model = loader.load()) {
      OpAlternatives alternatives = new OpAlternatives(List.of(1, 2), 0.01, 1);
      alternatives.addRunRows(model, loader, "SqueezeNet 1.1", 0.05);
      String out = alternatives.table();
      List<String> rows = out.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| comp")
          && !l.startsWith("| ---")).toList();
      assertThat(rows).hasSize(14);
      assertThat(rows.subList(0, 2)).allSatisfy(r -> assertThat(r).startsWith(
          "| SqueezeNet 1.1 forward | inter-op pool | kernels in the caller's thread |"));
      assertThat(rows.get(0).split("\\|")[4].strip()).isEqualTo("1");
      assertThat(rows.get(1).split("\\|")[4].strip()).isEqualTo("2");
      assertThat(out).contains("- kernels in the caller's thread takes ", "over the 2 rows");
    }
  }
}
