package org.gradcam.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Placeholders and sections of report templates, on hand-written texts. */
class TemplateTest {
  @Test
  void fillsEveryPlaceholderAndRefusesAMissingValue() {
    assertThat(Template.fill("t", "a {{x}} b {{y}}{{x}}", Map.of("x", "1", "y", "{{x}}")))
        .as("values are not filled again").isEqualTo("a 1 b {{x}}1");
    assertThat(Template.fill("t", "no keys\n", Map.of())).isEqualTo("no keys\n");
    assertThatThrownBy(() -> Template.fill("t.md", "a {{z}}", Map.of("x", "1")))
        .isInstanceOf(IllegalStateException.class).hasMessage("t.md: no value for {{z}}");
  }

  @Test
  void sectionsAreTheTextsBetweenTheirMarkersWithoutTheBlankLinesAround() {
    Map<String, String> s = Template.sections(TemplateTest.class, "sections.md");
    assertThat(s).containsExactly(Map.entry("one", "first {{x}}"),
        Map.entry("two", "line 1\n\nline 3"));
    assertThatThrownBy(() -> Template.text(TemplateTest.class, "nothing.md"))
        .hasMessageContaining("missing resource nothing.md");
  }

  @Test
  void readsPhrasesBesideAClass() {
    Map<String, String> phrases = Template.phrases(org.gradcam.experiment.LocalizationRun.class,
        "localization-summary.properties");
    assertThat(phrases.get("boxes.paper"))
        .isEqualTo("largest 4-connected segment of map >= threshold * max");
  }
}
