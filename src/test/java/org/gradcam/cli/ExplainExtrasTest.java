package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.gradcam.TestData;
import org.gradcam.data.Npy;
import org.gradcam.image.HeatmapUpsampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code explain --topk-strip}, {@code --grid} and {@code --mask} (issue 9, part 7). */
class ExplainExtrasTest extends CliTest {
  static final Path PETS = TestData.path("oxford-iiit-pet-3class");
  static final Path CAT = PETS.resolve("test/Abyssinian/Abyssinian_2.jpg");
  static final Path DOG = PETS.resolve("test/american_bulldog/american_bulldog_2.jpg");

  @Test
  void topKStripAndMaskFocusOfEachClass(@TempDir Path dir) throws Exception {
    Path strip = dir.resolve("strip.png");
    Path trimap = PETS.resolve("trimaps/Abyssinian_2.png");
    assertThat(run("explain", "--image", CAT.toString(), "--top-k", "3", "--out",
        dir.resolve("maps").toString(), "--heatmap-out", dir.resolve("npy").toString(),
        "--topk-strip", strip.toString(), "--mask", trimap.toString(), "--json"))
        .as(err.toString()).isZero();
    BufferedImage s = ImageIO.read(strip.toFile());
    assertThat(s.getWidth()).isEqualTo(3 * 256 + 2 * 4);
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(6); // three maps, then three focus lines
    ObjectMapper json = new ObjectMapper();
    // the mask by hand: trimap value 1 is the pet
    BufferedImage t = ImageIO.read(trimap.toFile());
    int w = t.getWidth();
    int h = t.getHeight();
    int[] v = t.getRaster().getSamples(0, 0, w, h, 0, (int[]) null);
    for (int i = 0; i < 3; i++) {
      JsonNode map = json.readTree(lines.get(i));
      JsonNode focus = json.readTree(lines.get(3 + i));
      int c = map.get("target").get("index").asInt();
      assertThat(focus.get("class").asInt()).isEqualTo(c);
      assertThat(focus.get("mask_rule").asText()).contains("value 1 (pet) inside");
      Npy raw = Npy.read(dir.resolve("npy/Abyssinian_2_class" + c + ".npy"));
      float[] up = HeatmapUpsampler.upsample(raw.floats(), (int) raw.shape()[0],
          (int) raw.shape()[1], h, w);
      double in = 0;
      double all = 0;
      for (int k = 0; k < up.length; k++) {
        all += Math.max(0, up[k]);
        in += v[k] == 1 ? Math.max(0, up[k]) : 0;
      }
      assertThat(focus.get("mask_focus").asDouble()).isCloseTo(in / all, within(1e-6));
    }
  }

  @Test
  void gridOfSeveralImagesAndAMaskFolder(@TempDir Path dir) throws Exception {
    Path grid = dir.resolve("grid.png");
    assertThat(run("explain", "--image", CAT.toString(), "--image", DOG.toString(), "--out",
        dir.resolve("maps").toString(), "--grid", grid.toString(), "--mask",
        PETS.resolve("trimaps").toString())).as(err.toString()).isZero();
    assertThat(ImageIO.read(grid.toFile()).getWidth()).isEqualTo(2 * 224 + 4);
    assertThat(out.toString()).contains("focus Abyssinian_2 class ")
        .contains("focus american_bulldog_2 class ");
  }

  @Test
  void impossibleCombinationsAreErrorLinesAndWriteNothing(@TempDir Path dir) throws Exception {
    Path o = dir.resolve("o.png");
    assertThat(run("explain", "--image", CAT.toString(), "--out", o.toString(),
        "--topk-strip", dir.resolve("s.png").toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("--topk-strip needs --top-k");
    assertThat(run("explain", "--image", CAT.toString(), "--image", DOG.toString(), "--out",
        dir.resolve("m").toString(), "--mask", PETS.resolve("trimaps/Abyssinian_2.png")
            .toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("give a folder");
    // the cat's trimap is not the dog photo's size
    assertThat(run("explain", "--image", DOG.toString(), "--out", o.toString(), "--mask",
        PETS.resolve("trimaps/Abyssinian_2.png").toString(), "--grid",
        dir.resolve("g.png").toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").contains("pixel for pixel");
    try (var left = Files.list(dir)) {
      assertThat(left.toList()).isEmpty();
    }
  }
}
