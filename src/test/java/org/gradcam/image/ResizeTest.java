package org.gradcam.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.gradcam.TestData;
import org.gradcam.image.Resize.Interpolation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Resizing compared pixel by pixel with Pillow's output (see make_image_fixtures.py). */
class ResizeTest {
  private static final Path VOC_PHOTO =
      TestData.path("voc2007-test/JPEGImages/001150.jpg");

  static Stream<Arguments> pillowCases() throws IOException {
    List<String> lines = Files.readAllLines(Fixtures.path("resize_cases.csv"));
    return lines.stream().skip(1).map(line -> line.split(",")).map(f -> Arguments.of(
        f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]),
        Interpolation.valueOf(f[3].toUpperCase()), f[4]));
  }

  @ParameterizedTest(name = "{0} -> {1}x{2} {3}")
  @MethodSource("pillowCases")
  void equalsPillow(String input, int width, int height, Interpolation method, String expected)
      throws IOException {
    BufferedImage actual = Resize.resize(Fixtures.image(input), width, height, method);
    BufferedImage pillow = Fixtures.image(expected);

    assertThat(actual.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(Fixtures.differingPixels(actual, pillow))
        .as("pixels differing from Pillow, max channel difference %d",
            Fixtures.maxChannelDifference(actual, pillow))
        .isZero();
  }

  private static BufferedImage realPhoto() throws IOException {
    assumeTrue(Files.isRegularFile(VOC_PHOTO),
        "VOC2007 photo " + VOC_PHOTO.toAbsolutePath().normalize()
            + " is absent (no data mirror); skipping the real-photo resize check");
    return Images.read(VOC_PHOTO);
  }

  /** What the resize checks below start from: the same pixels as Pillow's. */
  @Test
  void realPhotoDecodesAsPillow() throws IOException, NoSuchAlgorithmException {
    BufferedImage photo = realPhoto();
    List<String> pillowDecoding = Files.readAllLines(Fixtures.path("voc_001150_decoded.txt"));
    assertThat(pillowDecoding)
        .as("Java's JPEG decoding equals Pillow's (size and SHA-256 of the RGB bytes)")
        .contains(
        "width=" + photo.getWidth(), "height=" + photo.getHeight(), "sha256=" + sha256(photo));
  }

  @ParameterizedTest
  @EnumSource(Interpolation.class)
  void realPhotoEqualsPillow(Interpolation method) throws IOException {
    BufferedImage actual = Resize.resize(realPhoto(), 224, 224, method);
    BufferedImage pillow = Fixtures.image(
        "voc_001150_224x224_" + method.name().toLowerCase() + ".png");
    assertThat(Fixtures.differingPixels(actual, pillow)).isZero();
  }

  @ParameterizedTest
  @EnumSource(Interpolation.class)
  void sameSizeIsACopy(Interpolation method) throws IOException {
    BufferedImage source = Fixtures.image("noise_10x7.png");
    BufferedImage copy = Resize.resize(source, 10, 7, method);
    assertThat(copy).isNotSameAs(source);
    assertThat(Fixtures.differingPixels(copy, source)).isZero();
  }

  @Test
  void rejectsEmptyTarget() throws IOException {
    BufferedImage source = Fixtures.image("noise_10x7.png");
    assertThatThrownBy(() -> Resize.resize(source, 0, 5, Interpolation.NEAREST))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x5");
  }

  /** SHA-256 of the RGB bytes, row-major, as NumPy's {@code tobytes()} of Pillow's array. */
  private static String sha256(BufferedImage image) throws NoSuchAlgorithmException {
    int[] px = Images.packedRgb(image);
    byte[] bytes = new byte[px.length * 3];
    for (int i = 0; i < px.length; i++) {
      bytes[3 * i] = (byte) (px[i] >>> 16);
      bytes[3 * i + 1] = (byte) (px[i] >>> 8);
      bytes[3 * i + 2] = (byte) px[i];
    }
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
