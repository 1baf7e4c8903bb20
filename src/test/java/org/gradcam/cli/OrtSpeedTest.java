package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ONNX Runtime part of {@code speed}: its section of benchmarks.md and its template. */
class OrtSpeedTest extends CliTest {
  @TempDir Path tmp;

  private static final String THROUGHPUT = "# Throughput\n\nold throughput tables\n\n";
  private static final String COLD = "## Cold start\n\nold cold-start table\n";

  @Test
  void ortPartReplacesItsOwnSectionAndKeepsTheOthers() throws Exception {
    Path md = tmp.resolve("benchmarks.md");
    Files.writeString(md, THROUGHPUT + OrtSpeed.HEADING + "old ort table\n\n" + COLD);
    assertThat(run("speed", "--only", "ort", "--models", "squeezenet1.1", "--batches", "1",
        "--seconds", "0.05", "--ort-rounds", "1", "--images", "none", "--out", md.toString()))
        .as(err.toString()).isZero();
    String now = Files.readString(md);
    assertThat(now).startsWith(THROUGHPUT).endsWith(COLD).doesNotContain("old ort table")
        .contains(OrtSpeed.HEADING).doesNotContain("{{")
        .contains("| squeezenet1.1 | the mirror's `squeezenet1.1.onnx`")
        .contains("### squeezenet1.1: where our forward pass goes")
        .contains("FusedConv2D").contains("- squeezenet1.1, batch 1: forward ")
        .containsPattern("\\| convolution \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\|")
        .containsPattern("- Batch 1: .*ONNX Runtime's whole untraced call takes .*in its profile "
            + ".*(below the target of 0\\.90x.*\\.|do not rule the target of 0\\.90x out).* Executed graph")
        .containsPattern("its 26 convolutions, each timed alone \\(the table below\\), take [0-9.]+ ms")
        .containsPattern("\\| conv10 \\| 173\\.056 \\| -?[0-9.]+ \\| -?[0-9.]+ \\|");
  }

  @Test
  void sectionsSplitAroundTheOrtSection() {
    assertThat(OrtSpeed.sections(null, "## Cold start\n\n")).containsExactly(null, null, null);
    assertThat(OrtSpeed.sections(THROUGHPUT + COLD, "## Cold start\n\n"))
        .containsExactly(THROUGHPUT, null, COLD);
    String ort = OrtSpeed.HEADING + "x\n\n";
    assertThat(OrtSpeed.sections(THROUGHPUT + ort + COLD, "## Cold start\n\n"))
        .containsExactly(THROUGHPUT, ort, COLD);
    assertThat(OrtSpeed.sections(ort, "## Cold start\n\n")).containsExactly(null, ort, null);
  }

  @Test
  void templateKeysMustAllBeGiven() {
    assertThat(OrtSpeed.fill("a {{x}} b", Map.of("x", "1"))).isEqualTo("a 1 b\n");
    assertThatThrownBy(() -> OrtSpeed.fill("a {{y}}", Map.of("x", "1")))
        .hasMessageContaining("no value for {{y}}");
  }

  @Test
  void badOptionsAreClearErrors() {
    assertThat(run("speed", "--only", "ort", "--ort-rounds", "0")).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("--ort-rounds must be >= 1")
        .doesNotContain("Exception");
  }
}
