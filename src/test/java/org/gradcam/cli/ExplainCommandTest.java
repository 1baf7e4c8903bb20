package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gradcam.TestData;
import org.gradcam.data.Npy;
import org.gradcam.image.Images;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainCommandTest extends CliTest {
  static final Path VOC = TestData.path("voc2007-test/JPEGImages");
  static final Path REFERENCE = TestData.path("models/squeezenet1.1/test_data_set");
  @TempDir Path tmp;

  @Test
  void explainsOneImageWithOverlayRawMapAndJson() throws Exception {
    Path png = tmp.resolve("out/dog.png");
    Path npy = tmp.resolve("dog.npy");
    assertThat(run("explain", "--image", VOC.resolve("001150.jpg").toString(), "--out",
        png.toString(), "--heatmap-out", npy.toString(), "--json")).as(err.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("model").asText()).isEqualTo("squeezenet1.1");
    assertThat(json.get("layer").asText()).isEqualTo("fire9");
    assertThat(json.get("top5")).hasSize(5);
    JsonNode top = json.get("top5").get(0);
    assertThat(top.get("index").asInt()).isEqualTo(json.get("target").get("index").asInt());
    // A dog photo: the top class is one of the 118 ImageNet dog breeds.
    assertThat(top.get("index").asInt()).isBetween(151, 268);
    assertThat(top.get("wnid").asText()).startsWith("n0");
    assertThat(json.get("heatmap_shape").toString()).isEqualTo("[13,13]");
    var overlay = Images.read(png);
    var original = Images.read(VOC.resolve("001150.jpg"));
    assertThat(overlay.getWidth()).isEqualTo(original.getWidth());
    assertThat(overlay.getHeight()).isEqualTo(original.getHeight());
    Npy raw = Npy.read(npy);
    assertThat(raw.shape()).containsExactly(13, 13);
    assertThat(java.util.Arrays.stream(raw.values()).min().orElseThrow()).isGreaterThanOrEqualTo(0);
    assertThat(java.util.Arrays.stream(raw.values()).max().orElseThrow()).isGreaterThan(0);
  }

  @Test
  void explainsADirectoryInBatchesAndTopK() throws Exception {
    Path maps = tmp.resolve("maps");
    assertThat(run("explain", "--image", VOC.toString(), "--out", maps.toString(),
        "--batch-size", "3")).as(err.toString()).isZero();
    try (var files = Files.list(maps)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("000001.png", "001150.png", "001763.png", "004545.png");
    }
    Path topk = tmp.resolve("topk");
    assertThat(run("explain", "--image", VOC.resolve("000001.jpg").toString(), "--top-k", "2",
        "--out", topk.toString(), "--json")).as(err.toString()).isZero();
    assertThat(out.toString().lines()).hasSize(2);
    try (var files = Files.list(topk)) {
      assertThat(files).hasSize(2);
    }
  }

  @Test
  void preprocessedInputNpyIsUsedAsIs() throws Exception {
    Path x = REFERENCE.resolve("1/input_0.npy");
    double[] expected = Npy.read(REFERENCE.resolve("1/output_0.npy")).values();
    int argmax = 0;
    for (int i = 1; i < expected.length; i++) {
      if (expected[i] > expected[argmax]) {
        argmax = i;
      }
    }
    assertThat(run("explain", "--input-npy", x.toString(), "--out", tmp.resolve("x.png").toString(),
        "--json")).as(err.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("target").get("index").asInt()).isEqualTo(argmax);
    assertThat(json.get("top5").get(0).get("logit").asDouble())
        .isCloseTo(expected[argmax], org.assertj.core.data.Offset.offset(1e-3 * Math.abs(expected[argmax])));
  }

  @Test
  void badInputsAreClearErrors() throws Exception {
    String img = VOC.resolve("001150.jpg").toString();
    String png = tmp.resolve("o.png").toString();
    assertOneLineError(run("explain", "--image", "nope.jpg", "--out", png), "nope.jpg");
    Path text = Files.writeString(tmp.resolve("notes.jpg"), "not an image");
    assertOneLineError(run("explain", "--image", text.toString(), "--out", png), "notes.jpg");
    assertOneLineError(run("explain", "--image", img, "--layer", "block5_conv3", "--out", png),
        "unknown layer 'block5_conv3'");
    assertOneLineError(run("explain", "--image", img, "--class", "1000", "--out", png),
        "class index 1000 out of range");
    assertOneLineError(run("explain", "--image", img, "--colormap", "cividis", "--out", png),
        "jet");
    assertOneLineError(run("explain", "--image", img, "--alpha", "1.5", "--out", png), "--alpha");
    assertOneLineError(run("explain", "--input-npy",
        REFERENCE.resolve("0/output_0.npy").toString(), "--out", png), "takes [1, 3, 224, 224]");
    assertOneLineError(run("explain", "--model", "resnet50", "--image", img, "--out", png),
        "unknown model 'resnet50'");
    assertThat(run("explain", "--out", png)).isEqualTo(2);
    assertThat(err.toString()).contains("--image").contains("--input-npy");
  }
}
