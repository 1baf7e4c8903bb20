package org.gradcam.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImagesTest {
  /** The six 16x16 blocks of blocks.png, left to right, top to bottom. */
  private static final int[] BLOCKS = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF, 0x000000, 0x808080};

  @TempDir Path tmp;

  @Test
  void jpegsAreDecodedByTwelveMonkeys() throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(Fixtures.path("cmyk.jpg").toFile())) {
      ImageReader reader = Images.readerFor(in);
      assertThat(reader.getClass().getName()).startsWith("com.twelvemonkeys.imageio.plugins.jpeg");
      reader.dispose();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cmyk.jpg", "ycck.jpg"})
  void readsCmykAndYcckJpegs(String name) throws IOException {
    BufferedImage image = Fixtures.image(name);

    assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(image.getWidth()).isEqualTo(48);
    assertThat(image.getHeight()).isEqualTo(32);
    for (int i = 0; i < BLOCKS.length; i++) {
      int rgb = image.getRGB((i % 3) * 16 + 8, (i / 3) * 16 + 8) & 0xFFFFFF;
      assertThat(maxChannelDifference(rgb, BLOCKS[i]))
          .as("block %d: got %06x, expected about %06x", i, rgb, BLOCKS[i]).isLessThanOrEqualTo(8);
    }
  }

  @Test
  void readsProgressiveJpegLikePillow() throws IOException {
    byte[] bytes = Files.readAllBytes(Fixtures.path("progressive.jpg"));
    assertThat(containsMarker(bytes, (byte) 0xC2)).as("fixture is progressive (SOF2)").isTrue();

    BufferedImage image = Fixtures.image("progressive.jpg");

    assertThat(Fixtures.maxChannelDifference(image, Fixtures.image("progressive.expected.png")))
        .as("difference to Pillow's decoding").isLessThanOrEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gray_8bit", "rgba", "gray_alpha", "palette"})
  void convertsLikePillowConvertRgb(String name) throws IOException {
    BufferedImage image = Fixtures.image(name + ".png");

    assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(Fixtures.differingPixels(image, Fixtures.image(name + ".expected.png"))).isZero();
  }

  @Test
  void grayJpegBecomesRgbWithEqualChannels() throws IOException {
    BufferedImage gray = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        gray.getRaster().setSample(x, y, 0, 100);
      }
    }
    Path file = tmp.resolve("gray.jpg");
    ImageIO.write(gray, "jpeg", file.toFile());

    BufferedImage image = Images.read(file);

    int[] px = Images.packedRgb(image);
    assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(px).as("grey levels copied, not gamma-converted").containsOnly(0x646464);
  }

  @Test
  void missingFileNamesIt() {
    Path missing = tmp.resolve("nope.jpg");
    assertThatThrownBy(() -> Images.read(missing))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(missing.toString()).hasMessageContaining("not found");
  }

  @Test
  void emptyFileNamesIt() throws IOException {
    Path empty = Files.createFile(tmp.resolve("empty.jpg"));
    assertThatThrownBy(() -> Images.read(empty))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(empty.toString()).hasMessageContaining("empty");
  }

  @Test
  void directoryIsRejected() {
    assertThatThrownBy(() -> Images.read(tmp))
        .isInstanceOf(IOException.class).hasMessageContaining("directory");
  }

  @Test
  void textFileIsNotAnImage() throws IOException {
    Path text = Files.writeString(tmp.resolve("notes.png"), "hello, not a picture\n");
    assertThatThrownBy(() -> Images.read(text))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(text.toString()).hasMessageContaining("not a readable image");
  }

  @Test
  void truncatedImageNamesFileAndFormat() throws IOException {
    byte[] whole = Files.readAllBytes(Fixtures.path("noise_37x23.png"));
    Path cut = Files.write(tmp.resolve("cut.png"), Arrays.copyOf(whole, whole.length / 2));
    assertThatThrownBy(() -> Images.read(cut))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(cut.toString()).hasMessageContaining("png");
  }

  @Test
  void hwcFloatsFollowKerasImgToArray() {
    BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 0x010203);
    image.setRGB(2, 0, 0x0A0B0C);
    image.setRGB(1, 1, 0xFF8000);

    float[] hwc = Images.toHwcFloats(image);

    assertThat(hwc).hasSize(2 * 3 * 3);
    assertThat(Arrays.copyOfRange(hwc, 0, 3)).containsExactly(1, 2, 3);
    assertThat(Arrays.copyOfRange(hwc, 6, 9)).containsExactly(10, 11, 12);
    assertThat(Arrays.copyOfRange(hwc, (1 * 3 + 1) * 3, (1 * 3 + 1) * 3 + 3))
        .containsExactly(255, 128, 0);
  }

  @Test
  void writePngCreatesDirectoriesAndRoundTrips() throws IOException {
    BufferedImage image = Fixtures.image("noise_10x7.png");
    Path file = tmp.resolve("a/b/c/out.png");

    Images.writePng(image, file);

    assertThat(Fixtures.differingPixels(Images.read(file), image)).isZero();
  }

  @Test
  void writePngNamesUnwritablePath() throws IOException {
    Path blocker = Files.writeString(tmp.resolve("plain-file"), "x", StandardCharsets.UTF_8);
    Path file = blocker.resolve("out.png");
    assertThatThrownBy(() -> Images.writePng(Fixtures.image("noise_10x7.png"), file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Cannot write PNG " + file);
  }

  private static int maxChannelDifference(int a, int b) {
    int max = 0;
    for (int shift = 0; shift <= 16; shift += 8) {
      max = Math.max(max, Math.abs(((a >>> shift) & 0xFF) - ((b >>> shift) & 0xFF)));
    }
    return max;
  }

  private static boolean containsMarker(byte[] jpeg, byte marker) {
    for (int i = 0; i + 1 < jpeg.length; i++) {
      if (jpeg[i] == (byte) 0xFF && jpeg[i + 1] == marker) {
        return true;
      }
    }
    return false;
  }
}
