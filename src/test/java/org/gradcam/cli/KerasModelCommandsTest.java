package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.data.Offset;
import org.gradcam.data.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Keras file through the one model registry: {@code explain --model m.h5} and
 * {@code layers --model m.keras}, against the logits the fixture generator computed with NumPy.
 */
class KerasModelCommandsTest extends CliTest {
  static final Path FIXTURES = Path.of("src/test/resources/org/gradcam/model/keras");

  @TempDir Path tmp;

  @Test
  void explainOfAKerasH5GivesTheGeneratorsLogits() throws Exception {
    Npy input = Npy.read(FIXTURES.resolve("functional_keras2.input.npy"));
    Npy logits = Npy.read(FIXTURES.resolve("functional_keras2.logits.npy"));
    long[] s = input.shape(); // [2, h, w, c], channels-last as Keras
    int len = (int) (s[1] * s[2] * s[3]);
    Path first = tmp.resolve("x.npy");
    Npy.writeFloat32(first, Arrays.copyOf(input.floats(), len), 1, s[1], s[2], s[3]);
    Path png = tmp.resolve("x.png");
    assertThat(run("explain", "--model", FIXTURES.resolve("functional_keras2.h5").toString(),
        "--input-npy", first.toString(), "--out", png.toString(), "--json"))
        .as(err.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    int classes = (int) logits.shape()[1];
    JsonNode top = json.get("top5");
    assertThat(top).hasSize(Math.min(5, classes));
    for (JsonNode p : top) {
      int i = p.get("index").asInt();
      assertThat(p.get("label").asText()).isEqualTo("class_" + i);
      assertThat(p.get("logit").asDouble()).isCloseTo(logits.floats()[i], Offset.offset(1e-4));
    }
    assertThat(json.get("preprocess").get("preset").asText()).isEqualTo("raw255");
    assertThat(Files.size(png)).isPositive();
  }

  @Test
  void layersOfAKeras3ArchiveListTheDefaultLayer() {
    assertThat(run("layers", "--model", FIXTURES.resolve("functional_keras3.keras").toString()))
        .as(err.toString()).isZero();
    assertThat(out.toString()).contains("default");
  }

  @Test
  void aFileThatIsNeitherOnnxNorKerasIsOneClearError() throws Exception {
    Path txt = Files.writeString(tmp.resolve("model.txt"), "not a model");
    assertThat(run("explain", "--model", txt.toString(), "--image", txt.toString(),
        "--out", tmp.resolve("o.png").toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("neither ONNX (.onnx) nor Keras");
    assertThat(tmp.resolve("o.png")).doesNotExist();
  }
}
