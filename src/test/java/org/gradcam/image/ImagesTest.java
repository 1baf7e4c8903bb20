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
import java.util.List;
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

  /** A baseline JPEG of smooth noise, as the JDK writes it (no fixture needed to cut it). */
  private Path writtenJpeg(String name, int width, int height) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    java.util.Random rnd = new java.util.Random(7);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, ((x * 4) << 16) | ((y * 4) << 8) | rnd.nextInt(64));
      }
    }
    Path file = tmp.resolve(name);
    ImageIO.write(image, "jpeg", file.toFile());
    return file;
  }

  @ParameterizedTest
  @ValueSource(strings = {"baseline", "progressive.jpg", "cmyk.jpg"})
  void everyTruncationOfAJpegIsAnErrorNotGreyPixels(String which) throws IOException {
    Path source = which.equals("baseline") ? writtenJpeg("whole.jpg", 60, 40) : Fixtures.path(which);
    byte[] whole = Files.readAllBytes(source);
    assertThat(Images.read(source).getWidth()).as("the whole file decodes").isPositive();
    // About 100 cuts from inside the first segment on, and the last two bytes (the EOI marker).
    java.util.SortedSet<Integer> lengths = new java.util.TreeSet<>(List.of(whole.length - 2,
        whole.length - 1));
    for (int length = 20; length < whole.length; length += Math.max(1, whole.length / 100)) {
      lengths.add(length);
    }
    for (int length : lengths) {
      Path cut = Files.write(tmp.resolve("cut.jpg"), Arrays.copyOf(whole, length));
      int n = length;
      assertThatThrownBy(() -> Images.read(cut)).as("%s cut to %d of %d bytes", which, n,
          whole.length).isInstanceOf(IOException.class).hasMessageContaining(cut.toString());
    }
  }

  @Test
  void truncatedJpegSaysSo() throws IOException {
    Path source = writtenJpeg("whole.jpg", 160, 120);
    byte[] whole = Files.readAllBytes(source);
    Path cut = Files.write(tmp.resolve("cut.jpg"), Arrays.copyOf(whole, whole.length * 9 / 10));
    assertThatThrownBy(() -> Images.read(cut)).isInstanceOf(IOException.class)
        .hasMessageStartingWith(cut + ": truncated or corrupt JPEG (")
        .hasMessageContaining("premature end of data segment");
  }

  @Test
  void onlyDamageWarningsAreErrors() {
    assertThat(Images.isDamage("Corrupt JPEG data: premature end of data segment")).isTrue();
    assertThat(Images.isDamage("Corrupt JPEG data: bad Huffman code")).isTrue();
    assertThat(Images.isDamage("Premature end of JPEG file")).isTrue();
    assertThat(Images.isDamage("Truncated File - Missing EOI marker")).isTrue();
    assertThat(Images.isDamage("Corrupt JPEG data: 3 extraneous bytes before marker 0xd9"))
        .as("junk between segments, pixels intact").isFalse();
    assertThat(Images.isDamage("No embedded ICC color profile, will convert using inaccurate "
        + "CMYK to RGB conversion. Colors may look incorrect.")).isFalse();
    assertThat(Images.isDamage("ICC profile is Perceptual, ignoring, treating as Display class"))
        .isFalse();
  }

  @Test
  void pngWithAlphaNamedJpgIsReadByContent() throws IOException {
    Path renamed = Files.copy(Fixtures.path("rgba.png"), tmp.resolve("rgba.jpg"));
    assertThat(Fixtures.differingPixels(Images.read(renamed), Fixtures.image("rgba.expected.png")))
        .isZero();
  }

  /** A PNG whose header claims {@code width x height}, with one tiny IDAT: a few hundred bytes. */
  static Path pngClaiming(Path file, int width, int height) throws IOException {
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(png, "IHDR", ihdr.array());
    java.util.zip.Deflater deflater = new java.util.zip.Deflater();
    deflater.setInput(new byte[1 + 3 * Math.min(width, 1000)]);
    deflater.finish();
    byte[] idat = new byte[4096];
    chunk(png, "IDAT", Arrays.copyOf(idat, deflater.deflate(idat)));
    chunk(png, "IEND", new byte[0]);
    return Files.write(file, png.toByteArray());
  }

  private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(t);
    out.writeBytes(data);
    out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  @Test
  void pngOverThePixelLimitIsRefusedFromItsHeader() throws IOException {
    Path huge = pngClaiming(tmp.resolve("huge.png"), 20000, 20000);
    assertThat(Files.size(huge)).isLessThan(1000);
    assertThatThrownBy(() -> Images.read(huge)).isInstanceOf(IOException.class)
        .hasMessage(huge + ": image is 20000x20000 = 400 megapixels, above the limit of 100 "
            + "megapixels (--max-pixels raises it)");
    // The file holds no pixel data to decode: only its header can have been read.
  }

  @Test
  void jpegOverThePixelLimitIsRefusedFromItsHeader() throws IOException {
    byte[] jpeg = Files.readAllBytes(writtenJpeg("small.jpg", 60, 40));
    // Patch the frame header (SOF0: FF C0, length, precision, height, width) to 12000x12000.
    int sof = 2;
    while (!((jpeg[sof] & 0xFF) == 0xFF && (jpeg[sof + 1] & 0xFF) == 0xC0)) {
      sof += 2 + (((jpeg[sof + 2] & 0xFF) << 8) | (jpeg[sof + 3] & 0xFF));
    }
    jpeg[sof + 5] = (byte) (12000 >> 8);
    jpeg[sof + 6] = (byte) (12000 & 0xFF);
    jpeg[sof + 7] = (byte) (12000 >> 8);
    jpeg[sof + 8] = (byte) (12000 & 0xFF);
    Path claiming = Files.write(tmp.resolve("claiming.jpg"), jpeg);
    assertThatThrownBy(() -> Images.read(claiming)).isInstanceOf(IOException.class)
        .hasMessageContaining("12000x12000 = 144 megapixels, above the limit of 100 megapixels");
  }

  @Test
  void pixelLimitIsInclusive() throws IOException {
    Path file = Fixtures.path("noise_37x23.png");
    assertThat(Images.read(file, 37 * 23).getWidth()).isEqualTo(37);
    assertThatThrownBy(() -> Images.read(file, 37 * 23 - 1)).isInstanceOf(IOException.class)
        .hasMessageContaining("37x23 = 0.0 megapixels, above the limit of 0.0 megapixels");
  }

  @Test
  void outOfMemoryWhileDecodingIsAClearError() throws Exception {
    // 9000x9000 RGB is 243 MB of samples, within the pixel limit but not within a 64 MB heap.
    Path big = pngClaiming(tmp.resolve("big.png"), 9000, 9000);
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-cp", System.getProperty("java.class.path"), ReadOnce.class.getName(),
        big.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor()).as(output).isEqualTo(3);
    assertThat(output).startsWith(big + ": not enough memory to decode this 9000x9000 png image")
        .contains("Java heap limit ")
        .contains("GRADCAM_JAVA_OPTS=-Xmx");
  }

  /** Reads one image in a small JVM: prints the IOException's message and exits 3. */
  static final class ReadOnce {
    public static void main(String[] args) {
      try {
        Images.read(Path.of(args[0]));
        System.out.println("decoded");
      } catch (IOException e) {
        System.out.println(e.getMessage());
        System.exit(3);
      }
    }
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
        .hasMessage("Cannot write PNG " + file + ": " + blocker + " is a file, not a directory");
    Path dir = Files.createDirectory(tmp.resolve("dir.png"));
    assertThatThrownBy(() -> Images.writePng(Fixtures.image("noise_10x7.png"), dir))
        .hasMessage("Cannot write PNG " + dir + ": it is a directory");
  }

  @Test
  void npyWriteNamesTheReason() throws IOException {
    Path blocker = Files.writeString(tmp.resolve("plain-file"), "x", StandardCharsets.UTF_8);
    Path file = blocker.resolve("deeper/h.npy");
    assertThatThrownBy(() -> org.gradcam.data.Npy.writeFloat32(file, new float[] {1}, 1))
        .isInstanceOf(IOException.class)
        .hasMessage("Cannot write .npy file " + file + ": " + blocker + " is a file, not a directory");
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
