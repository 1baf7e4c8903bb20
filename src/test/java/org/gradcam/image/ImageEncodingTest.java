package org.gradcam.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.gradcam.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The overlay encoders: PNG decodes to the same pixels and is compressed; JPEG at a quality. */
class ImageEncodingTest {
  static final Path PHOTO = TestData.path("voc2007-test/JPEGImages/001150.jpg");
  @TempDir Path tmp;

  /** Decoded by the JDK's own PNG reader, independent of the encoder under test. */
  private static BufferedImage decodeWithJdk(byte[] bytes, String format) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format); it.hasNext(); ) {
        ImageReader reader = it.next();
        if (reader.getClass().getName().startsWith("com.sun.")) {
          reader.setInput(in);
          try {
            return Images.toRgb(reader.read(0));
          } finally {
            reader.dispose();
          }
        }
      }
    }
    throw new AssertionError("no JDK reader for " + format);
  }

  private static BufferedImage noise(int w, int h, long seed) {
    Random rnd = new Random(seed);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, rnd.nextInt(1 << 24));
      }
    }
    return image;
  }

  @Test
  void pngDecodesToTheSamePixelsAtEverySize() throws IOException {
    // 1x1, one row, one column, and sizes whose rows cross the encoder's 64 KB chunks.
    int[][] sizes = {{1, 1}, {17, 1}, {1, 9}, {10, 7}, {300, 250}};
    for (int[] s : sizes) {
      BufferedImage image = noise(s[0], s[1], s[0] * 31L + s[1]);
      byte[] png = Images.bytes(image, ImageEncoding.PNG);
      BufferedImage back = decodeWithJdk(png, "png");
      assertThat(back.getWidth()).isEqualTo(s[0]);
      assertThat(back.getHeight()).isEqualTo(s[1]);
      assertThat(Fixtures.differingPixels(back, image)).as("%dx%d", s[0], s[1]).isZero();
    }
  }

  @Test
  void pngOfNonRgbPicturesIsItsRgbConversion() throws IOException {
    BufferedImage grey = new BufferedImage(5, 4, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(2, 1, 0, 200);
    BufferedImage back = decodeWithJdk(Images.bytes(grey, ImageEncoding.PNG), "png");
    assertThat(back.getRGB(2, 1) & 0xFFFFFF).isEqualTo(0xC8C8C8);
    assertThat(back.getRGB(0, 0) & 0xFFFFFF).isZero();
  }

  @Test
  void photoOverlayPngIsReallyCompressed() throws IOException {
    BufferedImage photo = Images.read(PHOTO);
    float[] map = new float[13 * 13];
    for (int i = 0; i < map.length; i++) {
      map[i] = (i % 13) / 12f;
    }
    BufferedImage overlay = Overlay.blend(photo, map, 13, 13, Colormap.JET, 0.4);
    Path file = tmp.resolve("o.png");
    Images.writePng(overlay, file);
    long raw = 3L * overlay.getWidth() * overlay.getHeight();
    // The unfiltered ImageIO PNG was 103% of the raw pixels stored, 94% deflated; filtered: ~70%.
    assertThat(Files.size(file)).isLessThan(raw * 8 / 10);
    assertThat(Fixtures.differingPixels(decodeWithJdk(Files.readAllBytes(file), "png"), overlay))
        .isZero();
    // The bytes for a response are those of the file: one encoder.
    assertThat(Images.pngBytes(overlay)).isEqualTo(Files.readAllBytes(file));
  }

  @Test
  void jpegFollowsItsQuality() throws IOException {
    BufferedImage photo = Images.read(PHOTO);
    byte[] high = Images.bytes(photo, ImageEncoding.jpeg(95));
    byte[] low = Images.bytes(photo, ImageEncoding.jpeg(30));
    assertThat(high[0] & 0xFF).isEqualTo(0xFF);
    assertThat(high[1] & 0xFF).isEqualTo(0xD8);
    assertThat(low.length).isLessThan(high.length / 2);
    double errHigh = meanAbsoluteError(decodeWithJdk(high, "jpeg"), photo);
    double errLow = meanAbsoluteError(decodeWithJdk(low, "jpeg"), photo);
    assertThat(errHigh).isLessThan(2.5);
    assertThat(errLow).isGreaterThan(errHigh);
    Path file = tmp.resolve("d/o.jpg");
    Images.write(photo, file, ImageEncoding.jpeg(95));
    assertThat(Files.readAllBytes(file)).isEqualTo(high);
  }

  @Test
  void qualityIsChecked() {
    assertThatThrownBy(() -> ImageEncoding.jpeg(0)).hasMessageContaining("1..100");
    assertThatThrownBy(() -> ImageEncoding.jpeg(101)).hasMessageContaining("1..100");
    assertThatThrownBy(() -> new ImageEncoding(ImageEncoding.Format.PNG, 80))
        .hasMessageContaining("lossless");
    assertThat(ImageEncoding.Format.JPEG.matches("A.JPEG")).isTrue();
    assertThat(ImageEncoding.Format.PNG.matches("a.jpg")).isFalse();
  }

  private static double meanAbsoluteError(BufferedImage a, BufferedImage b) {
    long sum = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        for (int s = 0; s < 24; s += 8) {
          sum += Math.abs(((p >> s) & 0xFF) - ((q >> s) & 0xFF));
        }
      }
    }
    return sum / (3.0 * a.getWidth() * a.getHeight());
  }
}
