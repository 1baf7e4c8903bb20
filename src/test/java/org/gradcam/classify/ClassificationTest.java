package org.gradcam.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.gradcam.image.Colormap;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classification with a stand-in model whose logits are worked out by hand: the mean red and
 * green of the input, so a red image is class 0 and a green one class 1.
 */
class ClassificationTest {
  /** 4x4 input, raw 0..255 channels last. */
  static final ModelSpec SPEC = new ModelSpec(4, false, "none", (rgb, h, w) -> rgb);

  static final Classification.Logits MEANS = (batch, n) -> {
    float[] z = new float[n * 3];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < 16; p++) {
        z[i * 3] += batch[i * 48 + p * 3] / 255f / 16;
        z[i * 3 + 1] += batch[i * 48 + p * 3 + 1] / 255f / 16;
      }
      z[i * 3 + 2] = 0.5f; // class 2: a constant, the top-1 of a black image
    }
    return z;
  };

  static void png(Path file, int rgb, String format) throws Exception {
    BufferedImage b = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        b.setRGB(x, y, rgb);
      }
    }
    Files.createDirectories(file.getParent());
    ImageIO.write(b, format, file.toFile());
  }

  @Test
  void predictionsConfidencesAndTopKFromTheLogits(@TempDir Path dir) throws Exception {
    png(dir.resolve("red/a.jpg"), 0xFF0000, "png"); // a PNG named .jpg: read by content
    png(dir.resolve("red/b.png"), 0x00FF00, "png"); // a mistake: green in the red folder
    png(dir.resolve("green/c.png"), 0x00FF00, "png");
    png(dir.resolve("green/d.png"), 0x000000, "png"); // black: class 2, outside the folders
    List<String> labels = List.of("red", "green", "other");
    ImageFolder data = ImageFolder.open(dir, labels);
    List<Integer> steps = new ArrayList<>();
    List<ClassifiedImage> out = Classification.run(SPEC, 3, MEANS, data, Interpolation.NEAREST,
        2, 3, steps::add);
    assertThat(steps).containsExactly(3, 1);
    assertThat(out).extracting(ClassifiedImage::predicted).containsExactly(1, 2, 0, 1);
    // folders sorted: green (c, d) then red (a, b)
    assertThat(out).extracting(i -> i.file().getFileName().toString())
        .containsExactly("c.png", "d.png", "a.jpg", "b.png");
    // c: logits (0, 1, 0.5): softmax of the top = e / (1 + e + e^0.5)
    double e = Math.E;
    assertThat(out.get(0).confidence()).isCloseTo(e / (1 + e + Math.sqrt(e)), within(1e-6));
    assertThat(out.get(0).topK()).containsExactly(1, 2);
    // d: logits (0, 0, 0.5): class 2, true class green has 1 / (2 + e^0.5)
    assertThat(out.get(1).trueProbability()).isCloseTo(1 / (2 + Math.sqrt(e)), within(1e-6));

    ErrorAnalysis a = new ErrorAnalysis(data, labels, out, new ErrorAnalysis.Settings("means",
        dir, "raw", Interpolation.NEAREST, 5, 1, 3, "-", "-", Colormap.JET, 0.4));
    assertThat(a.matrix().columns()).isEqualTo(3); // green, red, then "other" only predicted
    assertThat(a.matrix().accuracy()).isCloseTo(0.5, within(1e-12));
    // the two errors, most confident first: b (red folder, predicted green), then d
    List<ClassifiedImage> errors = a.errorsByConfidence();
    assertThat(errors).extracting(i -> i.file().getFileName().toString())
        .containsExactly("b.png", "d.png");
    assertThat(a.meanConfidence(false)).isCloseTo(
        (errors.get(0).confidence() + errors.get(1).confidence()) / 2, within(1e-12));
  }

  @Test
  void theSeededGalleryRepeatsWithItsSeed(@TempDir Path dir) throws Exception {
    for (int i = 0; i < 6; i++) {
      png(dir.resolve("red/r" + i + ".png"), 0xFF0000, "png");
    }
    png(dir.resolve("green/g.png"), 0x00FF00, "png");
    List<String> labels = List.of("red", "green", "other");
    ImageFolder data = ImageFolder.open(dir, labels);
    List<ClassifiedImage> out = Classification.run(SPEC, 3, MEANS, data, Interpolation.NEAREST,
        1, 8, n -> { });
    ErrorAnalysis a = new ErrorAnalysis(data, labels, out, new ErrorAnalysis.Settings("means",
        dir, "raw", Interpolation.NEAREST, 5, 3, 3, "-", "-", Colormap.JET, 0.4));
    Map<Integer, List<ClassifiedImage>> one = a.samples(3, 42);
    assertThat(one.get(0)).hasSize(3);
    assertThat(one.get(1)).hasSize(1); // fewer images than asked for
    assertThat(a.samples(3, 42)).isEqualTo(one);
    boolean differs = false;
    for (long seed = 0; seed < 5 && !differs; seed++) {
      differs = !a.samples(3, seed).get(0).equals(one.get(0));
    }
    assertThat(differs).as("another seed draws another gallery").isTrue();
  }

  @Test
  void aNonFiniteLogitIsAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
    png(dir.resolve("red/a.png"), 0xFF0000, "png");
    ImageFolder data = ImageFolder.open(dir, List.of("red", "green", "other"));
    assertThatThrownBy(() -> Classification.run(SPEC, 3, (b, n) -> new float[] {Float.NaN, 0, 0},
        data, Interpolation.NEAREST, 1, 1, n -> { })).hasMessageContaining("a.png")
        .hasMessageContaining("non-finite");
  }
}
