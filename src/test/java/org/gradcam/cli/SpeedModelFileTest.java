package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.gradcam.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code speed --models NAME=FILE}: a model file's rows against the built-in SqueezeNet 1.1 and
 * ONNX Runtime are well formed (no timing is asserted: the machine is shared), and an unknown
 * name is a usage error instead of a random SqueezeNet timed under that name.
 */
class SpeedModelFileTest extends CliTest {
  @TempDir Path tmp;

  static final Path PETS3 = TestData.path("models/pets3-squeezenet/model.onnx");

  @Test
  void modelFileRowsBesideTheBuiltInAndOrt() throws Exception {
    assumeTrue(Files.isRegularFile(PETS3), "the mirror's pets3 model");
    Path md = tmp.resolve("benchmarks.md");
    assertThat(run("speed", "--only", "ort", "--models", "pets3=" + PETS3, "--batches", "1,2",
        "--seconds", "0.02", "--ort-rounds", "1", "--images", "none", "--out", md.toString()))
        .as(err.toString()).isZero();
    String doc = Files.readString(md);
    assertThat(doc).startsWith(OrtSpeed.HEADING).doesNotContain("{{")
        .contains("### Imported model files against the built-in SqueezeNet 1.1 and ONNX Runtime")
        .contains("- pets3 (3 outputs; built-in 1000), batch 1: forward ")
        .contains("- pets3 (3 outputs; built-in 1000), batch 2: forward ");
    List<String> rows = doc.lines().filter(l -> l.startsWith("| pets3 |")).toList();
    assertThat(rows).hasSize(2);
    for (int i = 0; i < rows.size(); i++) {
      String[] cells = Arrays.stream(rows.get(i).split("\\|")).map(String::strip)
          .filter(c -> !c.isEmpty()).toArray(String[]::new);
      assertThat(cells).hasSize(11);
      assertThat(cells[1]).isEqualTo("`" + PETS3 + "`");
      assertThat(Integer.parseInt(cells[2])).isEqualTo(i == 0 ? 1 : 2);
      for (int c = 3; c < cells.length; c++) {
        double v = Double.parseDouble(cells[c]);
        assertThat(v).as("cell %d of %s", c, rows.get(i)).isPositive().isFinite();
      }
    }
  }

  @Test
  void fileWithoutNameIsLabelledByItsStem() {
    assertThat(ImportedSpeed.label("a/b/model.onnx")).isEqualTo("model");
    assertThat(ImportedSpeed.label("pets3=a/model.onnx")).isEqualTo("pets3");
    assertThat(ImportedSpeed.path("pets3=a/model.onnx")).isEqualTo("a/model.onnx");
  }

  @Test
  void unknownModelNameIsOneUsageErrorLine() {
    assertThat(run("speed", "--only", "ort", "--models", "resnet50", "--images", "none"))
        .isEqualTo(2);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString()).startsWith("error: ").contains("--models")
        .contains("unknown model 'resnet50'").doesNotContain("Exception");
    assertThat(out.toString()).isEmpty();
    // A registry name speed cannot time says why instead of calling it unknown.
    assertThat(run("speed", "--only", "ort", "--models", "mobilenet_v2", "--images", "none"))
        .isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("no random-weight variant");
  }

  @Test
  void missingModelFileIsOneUsageErrorLine() {
    assertThat(run("speed", "--only", "ort", "--models", "x=" + tmp.resolve("none.onnx"),
        "--images", "none")).isEqualTo(2);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString()).startsWith("error: ").contains("no such model file");
  }
}
