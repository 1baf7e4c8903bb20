package org.gradcam.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Column names of the published-reproduction tables. */
class PublishedTablesTest {
  @Test
  void protocolColumnNamesDoNotDependOnTheDefaultLocale() {
    Locale before = Locale.getDefault();
    try {
      // Turkish lower-cases I to a dotless i: "IGNORE" would become "ıgnore".
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));
      assertThat(PublishedTables.shortLabel(Protocol.PUBLISHED.with(DifficultMode.IGNORE)
          .with(ApMethod.ELEVEN_POINT))).isEqualTo("11-pt ignore");
      assertThat(PublishedReproduction.protocolLabel(Protocol.PUBLISHED))
          .isEqualTo("all-point, difficult counted");
    } finally {
      Locale.setDefault(before);
    }
  }
}
