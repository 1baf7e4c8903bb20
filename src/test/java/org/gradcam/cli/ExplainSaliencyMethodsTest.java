package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.gradcam.cam.CamMethods;
import org.gradcam.data.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code explain --method guidedbackprop|guidedgradcam}: taken like the map methods, each writes
 * a picture of the input gradient at the model's input size (and its raw values with
 * --heatmap-out); options without meaning for them are one clear error; the other commands,
 * which need a layer's map, refuse them by name.
 */
class ExplainSaliencyMethodsTest extends CliTest {
  @TempDir Path tmp;

  static java.util.List<String> saliencyMethods() {
    return CamMethods.saliencyNames();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("saliencyMethods")
  void writesAPictureAtTheInputSizeWithJsonAndRawValues(String method) throws Exception {
    Path png = tmp.resolve(method + ".png");
    Path npy = tmp.resolve(method + ".npy");
    assertThat(run("explain", "--input-npy", ExplainMethodOptionTest.X, "--method", method,
        "--out", png.toString(), "--heatmap-out", npy.toString(), "--json"))
        .as(err.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertThat(json.get("method").asText()).isEqualTo(method);
    assertThat(json.get("saliency_shape").toString()).isEqualTo("[224,224,3]");
    assertThat(json.get("overlay").asText()).isEqualTo(png.toString());
    BufferedImage picture = ImageIO.read(png.toFile());
    assertThat(picture.getWidth()).isEqualTo(224);
    assertThat(picture.getHeight()).isEqualTo(224);
    Npy raw = Npy.read(npy);
    assertThat(raw.shape()).containsExactly(224, 224, 3);
    // The picture is the raw values drawn as pytorch-grad-cam does (RGB: squeezenet's input).
    BufferedImage expected = org.gradcam.image.SaliencyPicture.render(raw.floats(), 224, 224,
        false);
    int same = 0;
    for (int y = 0; y < 224; y++) {
      for (int x = 0; x < 224; x++) {
        same += picture.getRGB(x, y) == expected.getRGB(x, y) ? 1 : 0;
      }
    }
    assertThat(same).isEqualTo(224 * 224);
    double spread = 0;
    for (float v : raw.floats()) {
      spread = Math.max(spread, Math.abs(v));
    }
    assertThat(spread).as("a non-zero saliency").isPositive();
  }

  @Test
  void imagesAndTopKGoToAFolderNamedAsOverlays() throws Exception {
    Path maps = tmp.resolve("maps");
    assertThat(run("explain", "--image",
        ExplainCommandTest.VOC.resolve("001150.jpg").toString(), "--top-k", "2", "--method",
        "guidedbackprop", "--out", maps.toString(), "--json")).as(err.toString()).isZero();
    String[] lines = out.toString().trim().split("\n");
    assertThat(lines).hasSize(2);
    for (String line : lines) {
      JsonNode json = new ObjectMapper().readTree(line);
      Path file = maps.resolve("001150_class" + json.get("target").get("index").asInt() + ".png");
      assertThat(json.get("overlay").asText()).isEqualTo(file.toString());
      assertThat(Files.exists(file)).as(file.toString()).isTrue();
    }
  }

  @Test
  void colourOrderFollowsThePreprocessing() {
    // VGG16 is caffe-preprocessed (BGR): its pictures swap the channels back to RGB.
    assertThat(SaliencyExplain.swapsRedAndBlue(org.gradcam.model.Vgg16.spec())).isTrue();
    assertThat(SaliencyExplain.swapsRedAndBlue(org.gradcam.model.SqueezeNet11.spec())).isFalse();
    assertThat(SaliencyExplain.swapsRedAndBlue(org.gradcam.model.MobileNetV2.spec())).isFalse();
  }

  @Test
  void optionsWithoutMeaningAndOtherCommandsAreOneClearError() {
    Path png = tmp.resolve("x.png");
    assertOneLineError(run("explain", "--input-npy", ExplainMethodOptionTest.X, "--method",
        "guidedbackprop", "--layer", "fire9", "--out", png.toString()),
        "--layer is not used by guidedbackprop");
    assertOneLineError(run("explain", "--image",
        ExplainCommandTest.VOC.resolve("001150.jpg").toString(), "--method", "guidedgradcam",
        "--grid", tmp.resolve("g.png").toString(), "--out", png.toString()),
        "--topk-strip, --grid and --mask are for map methods");
    assertOneLineError(run("explain", "--input-npy", ExplainMethodOptionTest.X, "--method",
        "guidedgradcam", "--layer", "nope", "--out", png.toString()), "nope");
    assertThat(Files.exists(png)).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CamMethods.byName("guidedbackprop"))
        .hasMessageContaining("only explain takes it");
    assertThat(run("explain", "--help")).isZero();
    assertThat(out.toString().replaceAll("\\s+", " "))
        .contains(String.join(", ", CamMethods.allNames()));
  }
}
