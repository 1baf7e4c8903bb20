package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.gradcam.TestData;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.junit.jupiter.api.Test;

/** serve's --model values: built-in names, FILE (named by its stem) and NAME=FILE. */
class ServeModelNamesTest {
  static final String PETS3 = TestData.path("models/pets3-squeezenet/model.onnx").toString();
  static final String LABELS = TestData.path("models/pets3-squeezenet/labels.txt").toString();

  @Test
  void filesAreNamedByStemOrByTheGivenNameAndGetTheFileOptions() throws Exception {
    Map<String, Model> models = ServeCommand.loadModels(List.of(PETS3, "pets3=" + PETS3),
        new Models.Options(java.nio.file.Path.of(LABELS), "torch", null, null));
    try {
      assertThat(models.keySet()).containsExactly("model", "pets3");
      assertThat(models.get("pets3").labels()).containsExactly("Abyssinian", "Bengal",
          "american_bulldog");
    } finally {
      models.values().forEach(Model::close);
    }
  }

  @Test
  void twoModelsUnderOneNameOrABadNameAreRefused() {
    assertThatThrownBy(() -> ServeCommand.loadModels(List.of("a=" + PETS3, "a=other.onnx"),
        Models.Options.DEFAULT)).hasMessageContaining("two models named 'a'");
    assertThatThrownBy(() -> ServeCommand.loadModels(List.of("my model=" + PETS3),
        Models.Options.DEFAULT)).hasMessageContaining("part of the API's URLs");
  }
}
