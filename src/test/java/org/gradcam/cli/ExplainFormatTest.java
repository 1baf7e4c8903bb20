package org.gradcam.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.gradcam.TestData;
import org.gradcam.image.Images;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** explain --format png|jpg and --quality: what is written, and the errors for bad values. */
class ExplainFormatTest extends CliTest {
  static final Path VOC = TestData.path("voc2007-test/JPEGImages");
  static final String IMG = VOC.resolve("001150.jpg").toString();
  @TempDir Path tmp;

  private void assertUsageError(int exit, String message) {
    assertThat(exit).as(err.toString()).isEqualTo(2);
    List<String> lines = err.toString().lines().toList();
    assertThat(lines).as(err.toString()).hasSize(1);
    assertThat(lines.get(0)).startsWith("error: ").contains(message);
    assertThat(err.toString()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void jpegOutputsAtTheGivenQuality() throws Exception {
    Path high = tmp.resolve("high.jpg");
    Path low = tmp.resolve("low.jpeg");
    Path png = tmp.resolve("same.png");
    assertThat(run("explain", "--image", IMG, "--out", high.toString(), "--format", "jpg",
        "--quality", "95")).as(err.toString()).isZero();
    assertThat(run("explain", "--image", IMG, "--out", low.toString(), "--format", "jpg",
        "--quality", "20")).as(err.toString()).isZero();
    assertThat(run("explain", "--image", IMG, "--out", png.toString())).as(err.toString()).isZero();
    byte[] bytes = Files.readAllBytes(high);
    assertThat(bytes[0] & 0xFF).isEqualTo(0xFF);
    assertThat(bytes[1] & 0xFF).isEqualTo(0xD8);
    assertThat(Files.size(low)).isLessThan(Files.size(high));
    assertThat(Files.size(high)).isLessThan(Files.size(png));
    var fromJpeg = Images.read(high);
    var fromPng = Images.read(png);
    assertThat(fromJpeg.getWidth()).isEqualTo(fromPng.getWidth());
    assertThat(fromJpeg.getHeight()).isEqualTo(fromPng.getHeight());
    // The same overlay, up to JPEG's loss at quality 95.
    assertThat(meanChannelDifference(fromJpeg, fromPng)).isLessThan(3);
  }

  @Test
  void severalImagesGetTheFormatsExtension() throws Exception {
    Path dir = tmp.resolve("maps");
    assertThat(run("explain", "--image", IMG, "--image", VOC.resolve("000001.jpg").toString(),
        "--out", dir.toString(), "--format", "jpg")).as(err.toString()).isZero();
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("000001.jpg", "001150.jpg");
    }
  }

  @Test
  void badValuesArePicocliErrors() throws Exception {
    String out = tmp.resolve("x.jpg").toString();
    assertUsageError(run("explain", "--image", IMG, "--out", out, "--format", "gif"),
        "Invalid value for option '--format': expected one of [png, jpg]");
    for (String q : new String[] {"0", "101", "0.9", "high"}) {
      assertUsageError(run("explain", "--image", IMG, "--out", out, "--format", "jpg",
          "--quality", q), "Invalid value for option '--quality': expected a whole number 1..100");
    }
    assertUsageError(run("explain", "--image", IMG, "--out", tmp.resolve("x.png").toString(),
        "--quality", "80"), "--quality applies to --format jpg only");
    assertUsageError(run("explain", "--image", IMG, "--out", out),
        "names a .jpg file but the format is png; give --format jpg");
    assertUsageError(run("explain", "--image", IMG, "--out", tmp.resolve("x.png").toString(),
        "--format", "jpg"), "names a .png file but the format is jpg; give --format png");
    assertUsageError(run("explain", "--image", IMG, "--out", tmp.resolve("x.gif").toString(),
        "--format", "jpg"), "does not end in .jpg");
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.toList()).isEmpty();
    }
  }

  @Test
  void fastDecodeReducesOnlyLargeJpegs() throws Exception {
    Path small = tmp.resolve("small.png");
    Path smallFast = tmp.resolve("small-fast.png");
    assertThat(run("explain", "--image", IMG, "--out", small.toString())).isZero();
    assertThat(run("explain", "--image", IMG, "--out", smallFast.toString(), "--fast-decode"))
        .as(err.toString()).isZero();
    // 500x375 is less than twice 224: decoded whole, the same overlay byte for byte.
    assertThat(Files.readAllBytes(smallFast)).isEqualTo(Files.readAllBytes(small));
    var photo = Images.read(Path.of(IMG));
    Path big = tmp.resolve("big.jpg");
    Images.write(org.gradcam.image.Resize.resize(photo, 1000, 750,
        org.gradcam.image.Resize.Interpolation.BILINEAR), big,
        org.gradcam.image.ImageEncoding.jpeg(95));
    Path full = tmp.resolve("full.png");
    Path fast = tmp.resolve("fast.png");
    assertThat(run("explain", "--image", big.toString(), "--out", full.toString())).isZero();
    assertThat(run("explain", "--image", big.toString(), "--out", fast.toString(),
        "--fast-decode")).isZero();
    assertThat(Images.read(full).getWidth()).isEqualTo(1000);
    // 750 / 224 = 3: every third pixel, the overlay at that size.
    assertThat(Images.read(fast).getWidth()).isEqualTo(334);
    assertThat(Images.read(fast).getHeight()).isEqualTo(250);
  }

  private static double meanChannelDifference(java.awt.image.BufferedImage a,
      java.awt.image.BufferedImage b) {
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
