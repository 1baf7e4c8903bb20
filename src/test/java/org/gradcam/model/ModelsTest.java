package org.gradcam.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The registry is derived from each model class's own entry. */
class ModelsTest {
  @Test
  void namesComeFromTheBuiltInEntriesDefaultFirst() {
    assertThat(Models.NAMES).containsExactly("squeezenet1.1", "vgg16", "mobilenet_v2");
    assertThat(Models.spec(Vgg16.NAME).defaultLayer()).isEqualTo(Vgg16.DEFAULT_LAYER);
  }

  static Stream<Arguments> builtIns() {
    return Models.BUILT_INS.stream().map(b -> Arguments.of(b.name(), b));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("builtIns")
  void eachEntryIsWhatItsNameResolvesTo(String name, BuiltInModel b) {
    assertThat(Models.builtIn(name)).isSameAs(b);
    assertThat(Models.spec(name)).isSameAs(b.spec());
  }

  @Test
  void unknownNamesAndMissingRandomVariantsAreClearErrors() {
    assertThatThrownBy(() -> Models.builtIn("resnet50"))
        .hasMessage("unknown model 'resnet50'; available: squeezenet1.1, vgg16, mobilenet_v2");
    assertThatThrownBy(() -> Models.random(MobileNetV2.NAME, 1))
        .hasMessage("model mobilenet_v2 has no random-weight variant; random weights exist for "
            + "squeezenet1.1, vgg16");
  }
}
