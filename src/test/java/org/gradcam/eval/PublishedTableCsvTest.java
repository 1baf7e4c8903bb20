package org.gradcam.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gradcam.TestData;
import org.junit.jupiter.api.Test;

class PublishedTableCsvTest {
  static final Path MIRROR_TABLE =
      TestData.path("published/rayanramoul-GradCAM/published_table.csv");

  /** The table the project carries is the mirror's transcription of the README, byte for byte. */
  @Test
  void bundledTableEqualsTheMirrorsCopy() throws Exception {
    assumeTrue(Files.isRegularFile(MIRROR_TABLE), "no data mirror");
    try (InputStream in = PublishedTableCsv.class.getResourceAsStream("published_table.csv")) {
      assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(MIRROR_TABLE));
    }
    var bundled = PublishedTableCsv.bundled();
    assertThat(bundled).hasSize(6).containsOnlyKeys(PublishedTableCsv.read(MIRROR_TABLE).keySet());
    // The README's "threshold = 0.06" table, first row: ap 47.716435 at IoU 0.3.
    assertThat(bundled.get("0.06,ap")[0]).isEqualTo(47.716435);
  }

  @Test
  void aBadRowNamesFileAndLine(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    Path table = Files.writeString(tmp.resolve("t.csv"), "heatmap_threshold,metric,iou_0.3,"
        + "iou_0.4,iou_0.5\n0.02,ap,1,2,3\n\n0.06,ap,1,x,3\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PublishedTableCsv.read(table))
        .isInstanceOf(java.io.IOException.class).hasMessageContaining("t.csv:4: ")
        .hasMessageContaining("\"x\"");
    Files.writeString(table, "threshold,metric\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PublishedTableCsv.read(table))
        .hasMessageContaining("t.csv:1: expected header heatmap_threshold,metric,");
  }
}
