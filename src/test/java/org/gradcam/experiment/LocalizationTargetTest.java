package org.gradcam.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.gradcam.cam.Target;
import org.junit.jupiter.api.Test;

/** Parsing a localize target from its text, and resolving it against a model's classes. */
class LocalizationTargetTest {
  static final List<String> PETS = List.of("Abyssinian", "Bengal", "american_bulldog");
  static final List<String> IMAGENET = Collections.nCopies(1000, "x");

  @Test
  void parsesTheFourForms() {
    assertThat(LocalizationTarget.parse("top-dog")).isSameAs(LocalizationTarget.TOP_DOG);
    assertThat(LocalizationTarget.parse("dog-sum")).isSameAs(LocalizationTarget.DOG_SUM);
    assertThat(LocalizationTarget.parse("254").kind()).isEqualTo(LocalizationTarget.Kind.INDEX);
    assertThat(LocalizationTarget.parse("Bengal").kind())
        .isEqualTo(LocalizationTarget.Kind.LABEL);
    // The text is its name in settings and cache keys, as typed.
    assertThat(LocalizationTarget.parse("american_bulldog")).hasToString("american_bulldog");
    assertThat(LocalizationTarget.TOP_DOG.dogSet()).isTrue();
    assertThat(LocalizationTarget.parse("3").dogSet()).isFalse();
    assertThatThrownBy(() -> LocalizationTarget.parse("")).hasMessageContaining("empty value");
    assertThatThrownBy(() -> LocalizationTarget.parse("2147483648"))
        .hasMessage("class index 2147483648 is out of range");
  }

  @Test
  void resolvesAgainstTheModelsClasses() {
    assertThat(LocalizationTarget.parse("american_bulldog").resolve(3, PETS))
        .isEqualTo(Target.classIndex(2));
    assertThat(LocalizationTarget.parse("1").resolve(3, PETS)).isEqualTo(Target.classIndex(1));
    int[] dogs = IntStream.rangeClosed(151, 268).toArray();
    assertThat(LocalizationTarget.TOP_DOG.resolve(1000, IMAGENET))
        .isEqualTo(Target.bestOf(dogs));
    assertThat(LocalizationTarget.DOG_SUM.resolve(1000, IMAGENET))
        .isEqualTo(Target.classSet(dogs));
  }

  @Test
  void aClassTheModelLacksIsUnresolvedSayingWhatItHas() {
    assertThatThrownBy(() -> LocalizationTarget.parse("3").resolve(3, PETS))
        .isInstanceOf(LocalizationTarget.Unresolved.class)
        .hasMessage("class 3 is out of range: the model has 3 classes (0..2)");
    assertThatThrownBy(() -> LocalizationTarget.TOP_DOG.resolve(3, PETS))
        .isInstanceOf(LocalizationTarget.Unresolved.class)
        .hasMessage("top-dog is the ImageNet dog classes, but the model has 3 outputs; give a "
            + "class index or label");
    // Few labels: all of them.
    assertThatThrownBy(() -> LocalizationTarget.parse("poodle").resolve(3, PETS))
        .isInstanceOf(LocalizationTarget.Unresolved.class)
        .hasMessage("'poodle' is not a label of the model (3 classes; its labels: Abyssinian, "
            + "Bengal, american_bulldog)");
    List<String> many = List.of("tabby", "tiger cat", "Persian cat", "Siamese cat", "Egyptian cat",
        "cougar", "lynx", "leopard", "tiger", "catamaran");
    assertThatThrownBy(() -> LocalizationTarget.parse("Tiger_Cat ").resolve(10, many))
        .hasMessage("'Tiger_Cat ' is not a label of the model (10 classes; close: tiger cat)");
    assertThatThrownBy(() -> LocalizationTarget.parse("zebra").resolve(10, many))
        .hasMessage("'zebra' is not a label of the model (10 classes; none is close to it)");
  }
}
