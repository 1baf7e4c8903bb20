package org.gradcam.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one lookup of a class by its label, used by explain's --class and localize's --target. */
class ClassNamesTest {
  static final List<String> PETS = List.of("Abyssinian", "Bengal", "american_bulldog");
  static final List<String> CATS = List.of("tabby", "tiger cat", "Persian cat", "Siamese cat",
      "Egyptian cat", "cougar", "lynx", "leopard", "tiger", "catamaran");

  @Test
  void aLabelIsItsOutputIndexExactlyAsWritten() {
    assertThat(ClassNames.indexOf(PETS, "Abyssinian")).isZero();
    assertThat(ClassNames.indexOf(PETS, "american_bulldog")).isEqualTo(2);
    assertThat(ClassNames.indexOf(CATS, "tiger")).isEqualTo(8);
    // Case and '_' for ' ' only make a label close, not the same.
    assertThatThrownBy(() -> ClassNames.indexOf(PETS, "bengal"))
        .isInstanceOf(ClassNames.UnknownLabel.class);
  }

  @Test
  void anUnknownLabelSaysWhatTheModelHas() {
    // Few labels: all of them.
    assertThatThrownBy(() -> ClassNames.indexOf(PETS, "poodle"))
        .isInstanceOf(ClassNames.UnknownLabel.class)
        .hasMessage("'poodle' is not a label of the model (3 classes; its labels: Abyssinian, "
            + "Bengal, american_bulldog)");
    // Many: the close ones, nearest first (containing it, then within a few edits).
    assertThatThrownBy(() -> ClassNames.indexOf(CATS, "Tiger_Cat"))
        .hasMessage("'Tiger_Cat' is not a label of the model (10 classes; close: tiger cat)");
    assertThatThrownBy(() -> ClassNames.indexOf(CATS, "cat"))
        .hasMessage("'cat' is not a label of the model (10 classes; close: tiger cat, Persian "
            + "cat, Siamese cat, Egyptian cat, catamaran)");
    assertThatThrownBy(() -> ClassNames.indexOf(CATS, "zebra"))
        .hasMessage("'zebra' is not a label of the model (10 classes; none is close to it)");
  }
}
