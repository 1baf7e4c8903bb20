package org.gradcam.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.gradcam.data.Assets;
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

  /** The library says what is wrong in model terms; the command line names its own flags. */
  @Test
  void optionsThatCannotApplyAreRefusedBeforeLoading() {
    assertThatThrownBy(() -> Models.load(SqueezeNet11.NAME, Assets.defaults(),
        new Models.Options(null, "tf", null, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("built-in model squeezenet1.1 keeps its own preprocessing; a preprocessing "
            + "preset, mean and std are for model files");
    assertThatThrownBy(() -> Models.load(SqueezeNet11.NAME, Assets.defaults(),
        new Models.Options(null, null, null, null, null, new int[] {224, 224}, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a center crop needs a resize of the short side (torchvision's Resize(N) "
            + "then CenterCrop)");
  }
}
