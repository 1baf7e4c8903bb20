package org.gradcam.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverlayTest {
  @TempDir Path tmp;

  @Test
  void colorizeUsesTheTable() {
    float[] map = {0f, 0.5f, 1f, 0.25f, 2f, -1f};
    BufferedImage img = Overlay.colorize(map, 2, 3, Colormap.VIRIDIS);

    assertThat(img.getWidth()).isEqualTo(3);
    assertThat(img.getHeight()).isEqualTo(2);
    for (int i = 0; i < map.length; i++) {
      assertThat(img.getRGB(i % 3, i / 3) & 0xFFFFFF).isEqualTo(Colormap.VIRIDIS.rgb(map[i]));
    }
  }

  @Test
  void blendIsWeightedSumRoundedHalfUp() {
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 0x204060);
    image.setRGB(1, 0, 0x000000);
    float[] heat = {1f, 1f}; // jet(1) = 0x7F0000

    BufferedImage out = Overlay.blend(image, heat, Colormap.JET, 0.4);
    // r = 0.4*127 + 0.6*32 = 70.0, g = 0.6*64 = 38.4, b = 0.6*96 = 57.6
    assertThat(out.getRGB(0, 0) & 0xFFFFFF).isEqualTo((70 << 16) | (38 << 8) | 58);

    BufferedImage half = Overlay.blend(image, heat, Colormap.JET, 0.5);
    // r = 0.5*127 = 63.5 rounds up to 64
    assertThat(half.getRGB(1, 0) & 0xFFFFFF).isEqualTo(64 << 16);
  }

  @Test
  void alphaZeroKeepsImageAndAlphaOneGivesColours() throws IOException {
    BufferedImage image = Fixtures.image("noise_37x23.png");
    float[] heat = randomMap(23, 37, 1);

    assertThat(Fixtures.differingPixels(Overlay.blend(image, heat, Colormap.MAGMA, 0), image))
        .isZero();
    assertThat(Fixtures.differingPixels(
        Overlay.blend(image, heat, Colormap.MAGMA, 1), Overlay.colorize(heat, 23, 37,
            Colormap.MAGMA))).isZero();
  }

  @Test
  void blendDoesNotModifyInput() throws IOException {
    BufferedImage image = Fixtures.image("noise_10x7.png");
    int[] before = image.getRGB(0, 0, 10, 7, null, 0, 10);
    Overlay.blend(image, randomMap(7, 10, 2), Colormap.JET, 0.5);
    assertThat(image.getRGB(0, 0, 10, 7, null, 0, 10)).containsExactly(before);
  }

  @Test
  void coarseMapIsUpsampledToImageSize() throws IOException {
    BufferedImage image = Fixtures.image("noise_37x23.png");
    float[] map = randomMap(14, 14, 3);
    float[] full = HeatmapUpsampler.upsample(map, 14, 14, 23, 37);

    assertThat(Fixtures.differingPixels(
        Overlay.blend(image, map, 14, 14, Colormap.TURBO, 0.4),
        Overlay.blend(image, full, Colormap.TURBO, 0.4))).isZero();
  }

  @Test
  void rejectsBadAlphaSizeAndNan() {
    BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
    float[] heat = new float[4];
    assertThatThrownBy(() -> Overlay.blend(image, heat, Colormap.JET, 1.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha");
    assertThatThrownBy(() -> Overlay.blend(image, heat, Colormap.JET, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha");
    assertThatThrownBy(() -> Overlay.blend(image, new float[3], Colormap.JET, 0.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("upsample");
    assertThatThrownBy(() -> Overlay.blend(image, new float[] {0, Float.NaN, 0, 0},
        Colormap.JET, 0.5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
  }

  @Test
  void grayCellsShowRawResolution() {
    float[] map = {0f, 1f, 0.5f, 0.25f};
    BufferedImage img = Overlay.grayCells(map, 2, 2, 3);

    assertThat(img.getWidth()).isEqualTo(6);
    assertThat(img.getHeight()).isEqualTo(6);
    int[] grey = {0, 255, 128, 64};
    for (int y = 0; y < 6; y++) {
      for (int x = 0; x < 6; x++) {
        int g = grey[(y / 3) * 2 + x / 3];
        assertThat(img.getRGB(x, y) & 0xFFFFFF).as("(%d,%d)", x, y)
            .isEqualTo((g << 16) | (g << 8) | g);
      }
    }
  }

  @Test
  void overlayWrittenAsPngReadsBackUnchanged() throws IOException {
    BufferedImage image = Fixtures.image("noise_37x23.png");
    BufferedImage out = Overlay.blend(image, randomMap(14, 14, 4), 14, 14, Colormap.JET, 0.4);
    Path file = tmp.resolve("overlays/x.png");

    Images.writePng(out, file);

    assertThat(Fixtures.differingPixels(Images.read(file), out)).isZero();
  }

  private static float[] randomMap(int h, int w, long seed) {
    Random random = new Random(seed);
    float[] map = new float[h * w];
    for (int i = 0; i < map.length; i++) {
      map[i] = random.nextFloat();
    }
    return map;
  }
}
