package org.gradcam.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradcam.TestData;
import org.gradcam.cli.CliTest;
import org.gradcam.data.Assets;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's ONNX model served beside a built-in: listed by its API name, explained as the CLI does. */
class ServeModelFileTest extends CliTest {
  static final Path PETS3_DIR = TestData.path("models/pets3-squeezenet");
  static final String PETS3 = PETS3_DIR.resolve("model.onnx").toString();
  static final Path BENGAL =
      TestData.path("oxford-iiit-pet-3class/test/Bengal/Bengal_1.jpg");

  @TempDir Path tmp;

  @Test
  void aModelFileIsListedAndExplainedByteForByteAsTheCommandLine() throws Exception {
    Models.Options options = new Models.Options(PETS3_DIR.resolve("labels.txt"), "torch", null,
        null);
    Map<String, Model> models = new LinkedHashMap<>();
    try (Model squeezenet = Models.load("squeezenet1.1", Assets.defaults());
        Model pets3 = Models.load(PETS3, Assets.defaults(), options)) {
      models.put("squeezenet1.1", squeezenet);
      models.put("pets3", pets3);
      try (GradcamServer server = GradcamServer.start(models, "squeezenet1.1",
          ServeSettings.defaults(0, null))) {
        Http http = new Http(server.port());
        JsonNode listed = http.get("/api/models").json().get("models");
        assertThat(listed.findValuesAsText("name")).containsExactly("squeezenet1.1", "pets3");
        assertThat(listed.get(1).get("classes").asInt()).isEqualTo(3);
        JsonNode layers = http.get("/api/models/pets3/layers").json();
        assertThat(layers.get("default").asText()).isEqualTo(pets3.defaultLayer());

        Path npy = tmp.resolve("b.npy");
        assertThat(run("explain", "--model", PETS3, "--labels",
            PETS3_DIR.resolve("labels.txt").toString(), "--preprocess", "torch", "--resize",
            "bilinear", "--image", BENGAL.toString(), "--out", tmp.resolve("b.png").toString(),
            "--heatmap-out", npy.toString(), "--json")).as(err.toString()).isZero();
        Http.Response a = http.post("/api/explain", new Http.Form()
            .image("Bengal_1.jpg", GradcamServerTest.bytes(BENGAL)).field("model", "pets3")
            .field("resize", "bilinear"));
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        JsonNode map = a.json().get("maps").get(0);
        assertThat(map.get("top5").get(0).get("label").asText()).isEqualTo("Bengal");
        assertThat(GradcamServerTest.cliFieldsOf(map))
            .isEqualTo(GradcamServerTest.withoutOverlay(Http.JSON.readTree(out.toString())));

        // Classes are looked up in the model's own labels, not ImageNet's first three names.
        JsonNode beng = http.get("/api/classes?model=pets3&q=beng").json();
        assertThat(beng).hasSize(1);
        assertThat(beng.get(0).get("index").asInt()).isEqualTo(1);
        assertThat(beng.get(0).get("name").asText()).isEqualTo("Bengal");
        assertThat(beng.get(0).has("wnid")).isFalse();
        assertThat(http.get("/api/classes?model=pets3&q=tench").json()).isEmpty();
        assertThat(http.get("/api/classes?model=squeezenet1.1&q=tench").json().get(0)
            .get("wnid").asText()).isEqualTo("n01440764");
        Http.Response bulldog = http.post("/api/explain", new Http.Form()
            .image("Bengal_1.jpg", GradcamServerTest.bytes(BENGAL)).field("model", "pets3")
            .field("class", "american bulldog"));
        assertThat(bulldog.status()).as(bulldog.text()).isEqualTo(200);
        assertThat(bulldog.json().get("maps").get(0).get("target").get("index").asInt())
            .isEqualTo(2);
        Http.Response tench = http.post("/api/explain", new Http.Form()
            .image("Bengal_1.jpg", GradcamServerTest.bytes(BENGAL)).field("model", "pets3")
            .field("class", "tench"));
        assertThat(tench.status()).isEqualTo(400);
        assertThat(tench.text()).contains("no class named 'tench'");
        byte[] npyFile = GradcamServerTest.bytes(npy);
        byte[] raw = Base64.getDecoder().decode(map.get("map").get("base64").asText());
        assertThat(raw).isEqualTo(Arrays.copyOfRange(npyFile, npyFile.length - raw.length,
            npyFile.length));
      }
    }
  }

  @Test
  void aGreyNonSquareModelIsListedWithItsSizeAndExplained() throws Exception {
    Path file = org.gradcam.model.onnx.OnnxTestGraphs.writeGreyNonSquare(
        org.gradcam.model.onnx.OnnxTestGraphs.greyNonSquare(1, 28, 36, 3, 7), tmp, "grey",
        false);
    try (Model grey = Models.load(file.toString(), Assets.defaults(), Models.Options.DEFAULT);
        GradcamServer server = GradcamServer.start(Map.of("grey", grey), "grey",
            ServeSettings.defaults(0, null))) {
      Http http = new Http(server.port());
      JsonNode listed = http.get("/api/models").json().get("models").get(0);
      // A non-square input has no one side: height and width, and no input_size.
      assertThat(listed.get("input_height").asInt()).isEqualTo(28);
      assertThat(listed.get("input_width").asInt()).isEqualTo(36);
      assertThat(listed.has("input_size")).isFalse();
      Http.Response a = http.post("/api/explain", new Http.Form()
          .image("Bengal_1.jpg", GradcamServerTest.bytes(BENGAL)).field("model", "grey")
          .field("method", "scorecam"));
      assertThat(a.status()).as(a.text()).isEqualTo(200);
      assertThat(a.json().get("maps").get(0).get("heatmap_shape").toString())
          .isEqualTo("[14,18]");
    }
  }
}
