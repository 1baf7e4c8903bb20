package org.gradcam.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.gradcam.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The opt-in reduced JPEG decode: every s-th pixel of the full decode, only for large JPEGs. */
class ReducedDecodeTest {
  static final Path PHOTO = TestData.path("voc2007-test/JPEGImages/001150.jpg");
  @TempDir Path tmp;

  /** A JPEG three times the photo's size (1500x1125 from 500x375). */
  private Path largeJpeg() throws IOException {
    BufferedImage photo = Images.read(PHOTO);
    BufferedImage big = Resize.resize(photo, 3 * photo.getWidth(), 3 * photo.getHeight(),
        Resize.Interpolation.BILINEAR);
    Path file = tmp.resolve("big.jpg");
    Images.write(big, file, ImageEncoding.jpeg(95));
    return file;
  }

  @Test
  void factorKeepsTheShortSideAtLeastTheInput() {
    assertThat(Images.reductionFor(500, 375, 224)).isEqualTo(1);
    assertThat(Images.reductionFor(447, 1000, 224)).isEqualTo(1);
    assertThat(Images.reductionFor(448, 1000, 224)).isEqualTo(2);
    assertThat(Images.reductionFor(4000, 3000, 224)).isEqualTo(13); // 3000 / 13 = 230 >= 224
    assertThatThrownBy(() -> Images.readReduced(PHOTO, 0)).hasMessageContaining(">= 1");
  }

  @Test
  void largeJpegKeepsEverySthPixelOfTheFullDecode() throws IOException {
    Path file = largeJpeg();
    BufferedImage full = Images.read(file);
    BufferedImage reduced = Images.readReduced(file, 224);
    int s = Images.reductionFor(full.getWidth(), full.getHeight(), 224);
    assertThat(s).isEqualTo(5); // 1125 / 224
    assertThat(reduced.getWidth()).isEqualTo((full.getWidth() + s - 1) / s);
    assertThat(reduced.getHeight()).isEqualTo((full.getHeight() + s - 1) / s);
    assertThat(Math.min(reduced.getWidth(), reduced.getHeight())).isGreaterThanOrEqualTo(224);
    int differ = 0;
    for (int y = 0; y < reduced.getHeight(); y++) {
      for (int x = 0; x < reduced.getWidth(); x++) {
        if ((reduced.getRGB(x, y) & 0xFFFFFF) != (full.getRGB(s * x, s * y) & 0xFFFFFF)) {
          differ++;
        }
      }
    }
    assertThat(differ).isZero();
    assertThat(reduced.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
  }

  @Test
  void smallJpegsAndPngsAreReadWhole() throws IOException {
    BufferedImage photo = Images.read(PHOTO);
    assertThat(Fixtures.differingPixels(Images.readReduced(PHOTO, 224), photo)).isZero();
    Path png = tmp.resolve("big.png");
    BufferedImage big = Resize.resize(photo, 1000, 750, Resize.Interpolation.NEAREST);
    Images.writePng(big, png);
    BufferedImage back = Images.readReduced(png, 224);
    assertThat(back.getWidth()).isEqualTo(1000);
    assertThat(Fixtures.differingPixels(back, big)).isZero();
  }

  @Test
  void damageIsStillAnError() throws IOException {
    Path file = largeJpeg();
    byte[] bytes = java.nio.file.Files.readAllBytes(file);
    Path cut = tmp.resolve("cut.jpg");
    java.nio.file.Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> Images.readReduced(cut, 224)).isInstanceOf(IOException.class)
        .hasMessageContaining("cut.jpg");
  }
}
