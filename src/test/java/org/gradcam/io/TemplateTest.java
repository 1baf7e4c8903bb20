package org.gradcam.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Report templates: placeholders filled verbatim, a missing value or resource is an error. */
class TemplateTest {
  @Test
  void fillsEveryPlaceholderAndKeepsTheRestAsItIs() {
    assertThat(Template.fill("# {{a}}: {{b}}, {{a}}\n\n", Map.of("a", "x", "b", "{{y}}")))
        .isEqualTo("# x: {{y}}, x\n\n");
    assertThat(Template.fill("no keys", Map.of())).isEqualTo("no keys");
  }

  @Test
  void aPlaceholderWithoutValueIsABugNotABlank() {
    assertThatThrownBy(() -> Template.fill("a {{missing}} b", Map.of("other", "1")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("{{missing}}");
    assertThatThrownBy(() -> Template.fill("a {{open", Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsTextAndPhrasesBesideAClass() {
    String text = Template.text(org.gradcam.experiment.LocalizationRun.class,
        "localization-summary.md");
    assertThat(text).startsWith("# Grad-CAM dog localisation: {{label}}\n").endsWith("it.\n");
    Map<String, String> phrases = Template.phrases(org.gradcam.experiment.LocalizationRun.class,
        "localization-summary.properties");
    assertThat(phrases.get("boxes.paper"))
        .isEqualTo("largest 4-connected segment of map >= threshold * max");
    assertThatThrownBy(() -> Template.text(TemplateTest.class, "nope.md"))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("nope.md");
  }
}
