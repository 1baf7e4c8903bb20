package org.gradcam.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Set;
import javax.imageio.ImageIO;
import org.gradcam.TestData;
import org.gradcam.cam.Heatmap;
import org.gradcam.data.BinaryMask;
import org.gradcam.image.Images;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mask focus score on maps and masks small enough to work out by hand. */
class MaskFocusTest {
  static final Path TRIMAPS = TestData.path("oxford-iiit-pet-3class/trimaps");

  @Test
  void shareOfTheMapsEnergyInsideTheMask() {
    // map [1 0; 0 3], mask only the top-left pixel: 1 / 4
    assertThat(MaskFocus.score(new float[] {1, 0, 0, 3}, new boolean[] {true, false, false,
        false})).isCloseTo(0.25, within(1e-12));
    // negatives count as 0: [2 -5; 2 0] with the left column inside: 4 / 4
    assertThat(MaskFocus.score(new float[] {2, -5, 2, 0}, new boolean[] {true, false, true,
        false})).isCloseTo(1.0, within(1e-12));
    // an all-zero map has no energy anywhere: 0, not NaN
    assertThat(MaskFocus.score(new float[4], new boolean[] {true, true, true, true})).isZero();
    assertThatThrownBy(() -> MaskFocus.score(new float[3], new boolean[4]))
        .hasMessageContaining("same grid");
  }

  @Test
  void aConstantCoarseMapScoresTheMasksAreaShare() {
    // bilinear upsampling keeps a constant map constant: 5 of 16 pixels inside -> 5/16
    boolean[] inside = new boolean[16];
    inside[0] = inside[1] = inside[5] = inside[10] = inside[15] = true;
    BinaryMask mask = new BinaryMask(4, 4, inside, "test");
    Heatmap map = new Heatmap(2, 2, new float[] {0.7f, 0.7f, 0.7f, 0.7f});
    assertThat(MaskFocus.score(map, mask)).isCloseTo(5.0 / 16, within(1e-6));
    // normalisation does not matter
    Heatmap scaled = new Heatmap(2, 2, new float[] {7, 7, 7, 7});
    assertThat(MaskFocus.score(scaled, mask)).isCloseTo(5.0 / 16, within(1e-6));
  }

  @Test
  void trimapsCountThePetOnlyUnlessTold(@TempDir Path dir) throws Exception {
    // 3x2 trimap: row 0 = 1 2 3, row 1 = 1 1 2
    BufferedImage t = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
    int[] v = {1, 2, 3, 1, 1, 2};
    t.getRaster().setSamples(0, 0, 3, 2, 0, v);
    Path file = dir.resolve("t.png");
    ImageIO.write(t, "png", file.toFile());
    BinaryMask pet = BinaryMask.read(file, null);
    assertThat(pet.inside()).containsExactly(true, false, false, true, true, false);
    assertThat(pet.rule()).contains("trimap").contains("value 1 (pet) inside");
    BinaryMask withBorder = BinaryMask.read(file, Set.of(1, 3));
    assertThat(withBorder.insideCount()).isEqualTo(4);
    // map 1 everywhere but 5 on the border pixel: pet only 3 / 10, with the border 8 / 10
    float[] map = {1, 1, 5, 1, 1, 1};
    assertThat(MaskFocus.score(map, pet.inside())).isCloseTo(0.3, within(1e-12));
    assertThat(MaskFocus.score(map, withBorder.inside())).isCloseTo(0.8, within(1e-12));

    // any other mask: non-zero inside
    BufferedImage m = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    m.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {0, 255});
    Path plain = dir.resolve("m.png");
    ImageIO.write(m, "png", plain.toFile());
    assertThat(BinaryMask.read(plain, null).inside()).containsExactly(false, true);
  }

  @Test
  void aRealPetTrimapIsTheSizeOfItsPhoto() throws Exception {
    BinaryMask mask = BinaryMask.read(TRIMAPS.resolve("Abyssinian_2.png"), null);
    BufferedImage photo = Images.read(
        TestData.path("oxford-iiit-pet-3class/test/Abyssinian/Abyssinian_2.jpg"));
    assertThat(mask.width()).isEqualTo(photo.getWidth());
    assertThat(mask.height()).isEqualTo(photo.getHeight());
    assertThat(mask.rule()).contains("trimap");
    double share = (double) mask.insideCount() / mask.inside().length;
    assertThat(share).isBetween(0.05, 0.95);
  }
}
