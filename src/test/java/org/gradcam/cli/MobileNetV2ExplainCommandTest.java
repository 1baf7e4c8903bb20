package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.gradcam.data.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gradcam explain --model mobilenet_v2}: the model resolved as an asset, end to end. */
class MobileNetV2ExplainCommandTest extends CliTest {
  @TempDir Path tmp;

  @Test
  void explainsTheDogOnConv1() throws Exception {
    Path png = tmp.resolve("dog.png");
    Path npy = tmp.resolve("dog.npy");
    assertThat(run("explain", "--model", "mobilenet_v2",
        "--image", ExplainCommandTest.VOC.resolve("001150.jpg").toString(), "--out",
        png.toString(), "--heatmap-out", npy.toString(), "--resize", "bilinear", "--json"))
        .as(err.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("model").asText()).isEqualTo("mobilenet_v2");
    assertThat(json.get("layer").asText()).isEqualTo("Conv_1");
    assertThat(json.get("top5").get(0).get("index").asInt()).isBetween(151, 268);
    assertThat(json.get("heatmap_shape").toString()).isEqualTo("[7,7]");
    Npy raw = Npy.read(npy);
    assertThat(raw.shape()).containsExactly(7, 7);
    assertThat(java.util.Arrays.stream(raw.values()).max().orElseThrow()).isGreaterThan(0);
  }
}
