package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gradcam.data.Npy;
import org.gradcam.image.Images;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExplainCommandTest {
  static final Path VOC = Path.of("../shared/data/voc2007-test/JPEGImages");
  static final Path REFERENCE = Path.of("../shared/data/models/squeezenet1.1/test_data_set");
  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void explainsOneImageWithOverlayRawMapAndJson() throws Exception {
    Path png = tmp.resolve("out/dog.png");
    Path npy = tmp.resolve("dog.npy");
    Run r = run("explain", "--image", VOC.resolve("001150.jpg").toString(), "--out", png.toString(),
        "--heatmap-out", npy.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
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
    Path out = tmp.resolve("maps");
    Run r = run("explain", "--image", VOC.toString(), "--out", out.toString(), "--batch-size", "3");
    assertThat(r.exit()).as(r.err()).isZero();
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("000001.png", "001150.png", "001763.png", "004545.png");
    }
    Path topk = tmp.resolve("topk");
    r = run("explain", "--image", VOC.resolve("000001.jpg").toString(), "--top-k", "2",
        "--out", topk.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines()).hasSize(2);
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
    Run r = run("explain", "--input-npy", x.toString(), "--out", tmp.resolve("x.png").toString(),
        "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("target").get("index").asInt()).isEqualTo(argmax);
    assertThat(json.get("top5").get(0).get("logit").asDouble())
        .isCloseTo(expected[argmax], org.assertj.core.data.Offset.offset(1e-3 * Math.abs(expected[argmax])));
  }

  @Test
  void badInputsAreClearErrors() throws Exception {
    String img = VOC.resolve("001150.jpg").toString();
    String out = tmp.resolve("o.png").toString();
    assertError(run("explain", "--image", "nope.jpg", "--out", out), "nope.jpg");
    Path text = Files.writeString(tmp.resolve("notes.jpg"), "not an image");
    assertError(run("explain", "--image", text.toString(), "--out", out), "notes.jpg");
    assertError(run("explain", "--image", img, "--layer", "block5_conv3", "--out", out),
        "unknown layer 'block5_conv3'");
    assertError(run("explain", "--image", img, "--class", "1000", "--out", out),
        "class index 1000 out of range");
    assertError(run("explain", "--image", img, "--colormap", "cividis", "--out", out), "jet");
    assertError(run("explain", "--image", img, "--alpha", "1.5", "--out", out), "--alpha");
    assertError(run("explain", "--input-npy", REFERENCE.resolve("0/output_0.npy").toString(),
        "--out", out), "takes [1, 3, 224, 224]");
    assertError(run("explain", "--model", "resnet50", "--image", img, "--out", out),
        "unknown model 'resnet50'");
    Run usage = run("explain", "--out", out);
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.err()).contains("--image").contains("--input-npy");
  }

  static void assertError(Run r, String message) {
    assertThat(r.exit()).as(r.out()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: ").contains(message);
  }
}
