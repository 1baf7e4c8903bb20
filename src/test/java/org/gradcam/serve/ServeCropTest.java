package org.gradcam.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import javax.imageio.ImageIO;
import org.gradcam.TestData;
import org.gradcam.cli.CliTest;
import org.gradcam.data.Assets;
import org.gradcam.image.CenterCrop;
import org.gradcam.image.Colormap;
import org.gradcam.image.Images;
import org.gradcam.image.Overlay;
import org.gradcam.model.Model;
import org.gradcam.model.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model behind torchvision's resize 256 and center crop 224 (the pets3 ONNX file, as its
 * training evaluated it) served: the kept result's overlay and boxes lie on the crop's part of
 * the original image, as {@code explain} draws them.
 */
class ServeCropTest extends CliTest {
  static final Path PETS3_DIR = TestData.path("models/pets3-squeezenet");
  static final String PETS3 = PETS3_DIR.resolve("model.onnx").toString();
  /** 600 x 901: resized to 256 x 384, the crop's corner (16, 80), in the photo x 38..562. */
  static final Path BENGAL =
      TestData.path("oxford-iiit-pet-3class/test/Bengal/Bengal_1.jpg");
  /** The course procedure's uniform filter (size 20) lets a box reach 10 px beyond the map. */
  static final int FILTER_REACH = 10;

  @TempDir Path tmp;

  private static BufferedImage png(byte[] bytes) throws Exception {
    return ImageIO.read(new ByteArrayInputStream(bytes));
  }

  private static int[] rgb(BufferedImage image) {
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }

  private static void assertInside(JsonNode boxes, CenterCrop.Region r) {
    assertThat(boxes.size()).as("some box").isPositive();
    for (JsonNode b : boxes) {
      assertThat(b.get(0).asInt()).as(b.toString()).isGreaterThanOrEqualTo(r.x0() - FILTER_REACH);
      assertThat(b.get(1).asInt()).as(b.toString()).isGreaterThanOrEqualTo(r.y0() - FILTER_REACH);
      assertThat(b.get(2).asInt()).as(b.toString()).isLessThanOrEqualTo(r.x1() + FILTER_REACH);
      assertThat(b.get(3).asInt()).as(b.toString()).isLessThanOrEqualTo(r.y1() + FILTER_REACH);
    }
  }

  @Test
  void overlayAndBoxesOfAKeptResultLieOnTheCropAsExplainDrawsThem() throws Exception {
    Path labels = PETS3_DIR.resolve("labels.txt");
    BufferedImage photo = Images.read(BENGAL);
    try (Model pets3 = Models.load(PETS3, Assets.defaults(),
            new Models.Options(labels, null, null, null, 256, null, null));
        GradcamServer server = GradcamServer.start(Map.of("pets3", pets3), "pets3",
            ServeSettings.defaults(0, null))) {
      CenterCrop.Region r = pets3.spec().crop().region(photo.getWidth(), photo.getHeight());
      assertThat(r).isEqualTo(new CenterCrop.Region(38, 188, 563, 713));

      Http http = new Http(server.port());
      Http.Response a = http.post("/api/explain", new Http.Form()
          .image("Bengal_1.jpg", Files.readAllBytes(BENGAL)).field("model", "pets3")
          .field("resize", "bilinear"));
      assertThat(a.status()).as(a.text()).isEqualTo(200);
      JsonNode map = a.json().get("maps").get(0);
      assertThat(map.get("center_crop").toString())
          .isEqualTo("{\"resize_short\":256,\"height\":224,\"width\":224}");
      JsonNode boxes = map.get("boxes").get(0).get("boxes");
      assertInside(boxes, r);

      // The overlay re-rendered from the kept result is explain's, pixel for pixel.
      BufferedImage overlay = png(http.get(map.get("overlay_url").asText()).body());
      Path explained = tmp.resolve("b.png");
      assertThat(run("explain", "--model", PETS3, "--labels", labels.toString(),
          "--resize-short", "256", "--resize", "bilinear", "--image", BENGAL.toString(),
          "--out", explained.toString())).as(err.toString()).isZero();
      BufferedImage fromExplain = Images.read(explained);
      // Arrays.mismatch: a message for a million pixels would take AssertJ minutes to format.
      assertThat(Arrays.mismatch(rgb(overlay), rgb(fromExplain))).as("first differing pixel")
          .isEqualTo(-1);

      // Outside the crop the photo is blended with the colour of 0 only; inside, the map shows.
      BufferedImage zero = Overlay.blend(photo, new float[photo.getWidth() * photo.getHeight()],
          Colormap.JET, 0.4);
      int[] o = rgb(overlay);
      int[] z = rgb(zero);
      int differing = 0;
      for (int y = 0; y < photo.getHeight(); y++) {
        for (int x = 0; x < photo.getWidth(); x++) {
          int i = y * photo.getWidth() + x;
          boolean inside = x >= r.x0() && x < r.x1() && y >= r.y0() && y < r.y1();
          if (!inside) {
            assertThat(o[i]).as("(%d, %d)", x, y).isEqualTo(z[i]);
          } else if (o[i] != z[i]) {
            differing++;
          }
        }
      }
      assertThat(differing).as("pixels the map colours").isGreaterThan(r.width() * r.height() / 4);

      // Boxes asked for again at other thresholds: the same at 0.06, inside the crop at all.
      JsonNode again = http.get("/api/results/" + a.json().get("id").asText()
          + "/0/boxes?thresholds=0.06,0.5").json();
      assertThat(again.get(0).get("boxes")).isEqualTo(boxes);
      assertInside(again.get(1).get("boxes"), r);
    }
  }
}
