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
        .containsPattern("- squeezenet1.1, batch 1: forward [0-9.]+x ORT .*; its forward "
            + "convolutions alone run at [0-9.]+x ORT's forward, its Grad-CAM's at [0-9.]+x"
            + "(: neither|: the forward|: the Grad-CAM|, which leaves)")
        .containsPattern("\\| ours forward convolutions alone img/s \\| forward convolutions "
            + "alone / ORT \\| ours grad-cam convolutions alone img/s \\| grad-cam convolutions "
            + "alone / ORT \\|")
        .containsPattern("- Batch 1: .*its 26 convolutions, each timed alone \\(the table below\\), "
            + "take [0-9.]+ ms summed, and the other [0-9.]+ ms go to the other kernels .*In ONNX "
            + "Runtime's profile a run takes [0-9.]+ ms.* Executed graph")
        .containsPattern("\\| conv10 \\| 173\\.056 \\| -?[0-9.]+ \\| -?[0-9.]+ \\|");
  }

  @Test
  void targetsLineSaysWhatTheConvolutionsAloneLeaveOfEachTarget() {
    assertThat(OrtSpeed.verdict("m", 1, 0.8391, 0.5772, 0.8049, 0.6512)).isEqualTo("- m, batch "
        + "1: forward 0.839x ORT (target 0.90x: not met), Grad-CAM 0.577x ORT's forward (target "
        + "0.67x: not met); its forward convolutions alone run at 0.805x ORT's forward, its "
        + "Grad-CAM's at 0.651x: neither target can be met on this run's convolution kernels.");
    assertThat(OrtSpeed.verdict("m", 1, 0.85, 0.7, 0.8, 0.75))
        .contains("(target 0.67x: met)").endsWith("0.800x ORT's forward, its Grad-CAM's at "
            + "0.750x: the forward target cannot be met on this run's convolution kernels.");
    assertThat(OrtSpeed.verdict("m", 1, 0.85, 0.6, 0.95, 0.66))
        .endsWith("its Grad-CAM's at 0.660x: the Grad-CAM target cannot be met on this run's "
            + "convolution kernels.");
    assertThat(OrtSpeed.verdict("m", 8, 0.95, 0.7, 1.2, 0.9)).contains("(target 0.90x: met)")
        .endsWith("1.200x ORT's forward, its Grad-CAM's at 0.900x, which leaves room for both "
            + "targets.");
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
