package org.gradcam.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reading and writing pictures, and the conversions between pictures and plain pixel arrays:
 * the one entry point of the rest of the toolkit; decoding is {@link ImageDecoder}'s, pixel
 * conversion {@link Pixels}' and encoding {@link ImageWriting}'s.
 *
 * <p>Every picture handed to the rest of the toolkit is an 8-bit sRGB {@link
 * BufferedImage#TYPE_INT_RGB}, the same thing Keras' {@code load_img} produces with PIL's {@code
 * convert("RGB")}: grey levels are replicated into R, G and B (no gamma conversion) and alpha is
 * dropped (not composited). Like {@code load_img}, EXIF orientation is not applied.
 *
 * <p>JPEGs are decoded by TwelveMonkeys' reader, preferred over the JDK's whenever both claim a
 * file, because it is built for the CMYK/YCCK JPEGs (with or without ICC profiles) and slightly
 * broken files found in photo collections, which the JDK's reader has historically rejected.
 */
public final class Images {
  static {
    // Picks up plugins that a container class loader may have hidden from ImageIO's first scan.
    ImageIO.scanForPlugins();
  }

  private Images() {}

  /**
   * The default of {@link #maxPixels()}: 100 megapixels, far above any photo the models are meant
   * for (they see 224x224), low enough that one decode stays below about 1.2 GB.
   */
  public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

  // Process-wide because images are decoded in library code on pipeline threads; the command
  // line sets it from --max-pixels before any decoding starts.
  private static volatile long maxPixels = DEFAULT_MAX_PIXELS;

  /** The largest width x height {@link #read(Path)} decodes; larger images are an error. */
  public static long maxPixels() {
    return maxPixels;
  }

  /** Sets {@link #maxPixels()} for every later {@link #read(Path)} of this process. */
  public static void setMaxPixels(long limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("the pixel limit must be at least 1, got " + limit);
    }
    maxPixels = limit;
  }

  /**
   * Reads a JPEG, PNG (or any format ImageIO has a reader for) as an sRGB {@code TYPE_INT_RGB}
   * image, refusing images larger than {@link #maxPixels()}.
   *
   * @throws NoSuchFileException if the file does not exist
   * @throws IOException if the file is empty, a directory, not an image, truncated or corrupt,
   *     larger than the pixel limit, or cannot be decoded; the message names the file
   */
  public static BufferedImage read(Path file) throws IOException {
    return read(file, maxPixels);
  }

  /**
   * {@link #read(Path)} with an explicit pixel limit. The size is read from the header before
   * any pixel is decoded, so a small file claiming a huge size costs nothing.
   */
  public static BufferedImage read(Path file, long maxPixels) throws IOException {
    return ImageDecoder.read(file, maxPixels, 0);
  }

  /**
   * The subsampling factor {@link #readReduced} uses for a {@code width x height} picture: the
   * largest whole {@code s} that keeps the short side at least {@code minSide}, 1 when the
   * picture is less than twice that.
   */
  public static int reductionFor(long width, long height, int minSide) {
    return (int) Math.max(1, Math.min(width, height) / minSide);
  }

  /**
   * Opt-in fast decode for pictures much larger than the model input: a JPEG whose short side
   * is at least twice {@code minSide} is decoded keeping every {@code s}-th pixel of every
   * {@code s}-th row ({@link #reductionFor}; ImageIO's source subsampling, no filtering), so
   * less colour conversion and memory; other files are read whole. The picture, hence the model
   * input and the map, differs from the full decode's: callers must say so.
   */
  public static BufferedImage readReduced(Path file, int minSide) throws IOException {
    if (minSide < 1) {
      throw new IllegalArgumentException("minimum side must be >= 1, got " + minSide);
    }
    return ImageDecoder.read(file, maxPixels, minSide);
  }

  /**
   * Whether a decoder warning means pixels are missing or wrong (libjpeg's texts and the JDK's
   * end-of-file warning; see {@link ImageDecoder#isDamage}).
   */
  static boolean isDamage(String warning) {
    return ImageDecoder.isDamage(warning);
  }

  /** The reader ImageIO would use for this stream, TwelveMonkeys' first; null for none. */
  static ImageReader readerFor(ImageInputStream in) {
    return ImageDecoder.readerFor(in);
  }

  /**
   * Converts any decoded picture to 8-bit sRGB {@code TYPE_INT_RGB}: returns the argument itself
   * when it already is one, grey levels are copied into R, G and B unchanged (Java would otherwise
   * treat them as linear light and brighten them), alpha is discarded, other colour spaces are
   * converted to sRGB by their colour model.
   */
  public static BufferedImage toRgb(BufferedImage image) {
    return Pixels.toRgb(image);
  }

  /**
   * The packed {@code 0xRRGGBB} pixels of an image, row-major. For a plain {@code TYPE_INT_RGB}
   * image this is its own backing array (so callers must not modify it); otherwise a copy after
   * {@link #toRgb}.
   */
  static int[] packedRgb(BufferedImage image) {
    return Pixels.packedRgb(image);
  }

  /** Wraps packed {@code 0xRRGGBB} pixels (taken over, not copied) as a {@code TYPE_INT_RGB} image. */
  static BufferedImage fromPackedRgb(int[] pixels, int width, int height) {
    return Pixels.fromPackedRgb(pixels, width, height);
  }

  /**
   * The pixels as {@code float} values 0..255 in height x width x RGB order, row-major: the layout
   * of Keras' {@code img_to_array}, left unnormalised so each model applies its own preprocessing.
   */
  public static float[] toHwcFloats(BufferedImage image) {
    return Pixels.toHwcFloats(image);
  }

  /**
   * Writes the image as PNG ({@link PngEncoder}: Up-filtered rows, fast deflate), creating
   * missing parent directories.
   *
   * @throws IOException naming the file when it or its directory cannot be created or written
   */
  public static void writePng(BufferedImage image, Path file) throws IOException {
    write(image, file, ImageEncoding.PNG);
  }

  /**
   * Writes the image in the given encoding, creating missing parent directories, through a
   * temporary file moved into place (an interrupted write never leaves a truncated picture).
   *
   * @throws IOException naming the file when it or its directory cannot be created or written
   */
  public static void write(BufferedImage image, Path file, ImageEncoding encoding)
      throws IOException {
    ImageWriting.write(image, file, encoding);
  }

  /**
   * Writes a PNG at deflate's maximum (ImageIO's writer, unfiltered): for the few pictures kept
   * in the repository, whose bytes stay as they were.
   */
  public static void writeCompressedPng(BufferedImage image, Path file) throws IOException {
    ImageWriting.writeCompressedPng(image, file);
  }

  /** The bytes {@link #writePng(BufferedImage, Path)} writes, for an HTTP response. */
  public static byte[] pngBytes(BufferedImage image) throws IOException {
    return bytes(image, ImageEncoding.PNG);
  }

  /** The bytes {@link #write(BufferedImage, Path, ImageEncoding)} writes. */
  public static byte[] bytes(BufferedImage image, ImageEncoding encoding) throws IOException {
    return ImageWriting.bytes(image, encoding);
  }

  /** The one encoder of the project's overlays, for files and responses alike. */
  public static void encode(BufferedImage image, OutputStream out, ImageEncoding encoding)
      throws IOException {
    ImageWriting.encode(image, out, encoding);
  }
}
