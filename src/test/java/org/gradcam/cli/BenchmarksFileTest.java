package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rewriting the benchmarks file: the parts run now replace theirs, the others are kept. */
class BenchmarksFileTest {
  @TempDir Path tmp;

  private static final String THROUGHPUT = "# Throughput\n\nold throughput\n";
  private static final String ORT = OrtSpeed.HEADING + "old ort\n";
  private static final String COLD = BenchmarksFile.COLD_HEADING + "old cold\n";
  private static final String SERVE = ServeLatency.HEADING + "old serve\n";

  @Test
  void onePartReplacesItsSectionAndKeepsTheOthersWithServeLast() throws Exception {
    Path md = tmp.resolve("sub/benchmarks.md");
    BenchmarksFile.write(md, THROUGHPUT, ORT, COLD);
    assertThat(Files.readString(md)).isEqualTo(THROUGHPUT + "\n" + ORT + "\n" + COLD);
    Files.writeString(md, Files.readString(md) + "\n" + SERVE);

    String ort = OrtSpeed.HEADING + "new ort\n";
    BenchmarksFile.write(md, null, ort, null);
    assertThat(Files.readString(md))
        .isEqualTo(THROUGHPUT + "\n" + ort + "\n" + COLD + "\n" + SERVE);

    String cold = BenchmarksFile.COLD_HEADING + "new cold\n";
    BenchmarksFile.write(md, null, null, cold);
    assertThat(Files.readString(md))
        .isEqualTo(THROUGHPUT + "\n" + ort + "\n" + cold + "\n" + SERVE);
  }

  @Test
  void aMissingFileGetsOnlyThePartsRun() throws Exception {
    Path md = tmp.resolve("benchmarks.md");
    BenchmarksFile.write(md, null, null, COLD);
    assertThat(Files.readString(md)).isEqualTo(COLD);
  }

  @Test
  void templatesAreReadBesideTheClassesAndAMissingOneIsAnError() throws Exception {
    assertThat(BenchmarksFile.template("cold-start.md")).isNotBlank()
        .isEqualTo(BenchmarksFile.template("cold-start.md").strip());
    assertThatThrownBy(() -> BenchmarksFile.template("no-such.md"))
        .hasMessageContaining("missing resource no-such.md");
  }
}
