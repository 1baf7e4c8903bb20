package org.gradcam.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Close names and the edit distance behind them, on hand-checked cases. */
class CloseNamesTest {
  static final List<String> CATS = List.of("tabby", "tiger cat", "Persian cat", "Siamese cat",
      "Egyptian cat", "cougar", "lynx", "leopard", "tiger", "catamaran");

  @Test
  void containingNamesFirstThenNearOnes() {
    // "cat" is inside five names, listed in their order; the limit cuts the list.
    assertThat(CloseNames.of("cat", CATS, 5)).containsExactly("tiger cat", "Persian cat",
        "Siamese cat", "Egyptian cat", "catamaran");
    assertThat(CloseNames.of("cat", CATS, 2)).containsExactly("tiger cat", "Persian cat");
    // "tigr" is one insertion from "tiger", five edits from "tiger cat" (beyond 2).
    assertThat(CloseNames.of("tigr", CATS, 5)).containsExactly("tiger");
    assertThat(CloseNames.of("Tiger_Cat ", CATS, 5)).containsExactly("tiger cat");
    assertThat(CloseNames.of("zebra", CATS, 5)).isEmpty();
  }

  @Test
  void editDistanceOfHandCheckedPairs() {
    assertThat(CloseNames.editDistance("kitten", "sitting")).isEqualTo(3);
    assertThat(CloseNames.editDistance("", "abc")).isEqualTo(3);
    assertThat(CloseNames.editDistance("flaw", "lawn")).isEqualTo(2);
    assertThat(CloseNames.editDistance("same", "same")).isZero();
  }
}
