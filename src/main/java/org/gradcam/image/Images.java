package org.gradcam.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.gradcam.io.AtomicFiles;
import org.gradcam.data.WriteErrors;

/**
 * Reading and writing pictures, and the conversions between pictures and plain pixel arrays.
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
  private static final String TWELVEMONKEYS = "com.twelvemonkeys.";

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
    return read(file, maxPixels, 0);
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
    return read(file, maxPixels, minSide);
  }

  private static BufferedImage read(Path file, long maxPixels, int reduceTo) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "image file not found");
    }
    if (Files.isDirectory(file)) {
      throw new IOException(file + ": is a directory, not an image file");
    }
    if (Files.size(file) == 0) {
      throw new IOException(file + ": file is empty (0 bytes), not an image");
    }
    BufferedImage decoded;
    String format;
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) {
        throw new IOException(file + ": cannot open for reading");
      }
      ImageReader reader = readerFor(in);
      if (reader == null) {
        throw new IOException(file + ": not a readable image (no decoder recognises its format)");
      }
      format = reader.getFormatName();
      long width = 0;
      long height = 0;
      List<String> damage = new ArrayList<>();
      try {
        reader.setInput(in, true, true);
        width = reader.getWidth(0);
        height = reader.getHeight(0);
        if (width * height > maxPixels) {
          throw new ImageTooLargeException(file + ": image is " + width + "x" + height + " = "
              + megapixels(width * height) + " megapixels, above the limit of "
              + megapixels(maxPixels) + " megapixels (--max-pixels raises it)");
        }
        reader.addIIOReadWarningListener((source, warning) -> {
          if (isDamage(warning)) {
            damage.add(warning);
          }
        });
        int s = reduceTo > 0 && format.equalsIgnoreCase("jpeg")
            ? reductionFor(width, height, reduceTo) : 1;
        if (s > 1) {
          javax.imageio.ImageReadParam param = reader.getDefaultReadParam();
          param.setSourceSubsampling(s, s, 0, 0);
          decoded = reader.read(0, param);
        } else {
          decoded = reader.read(0);
        }
      } catch (ImageTooLargeException e) {
        throw e;
      } catch (OutOfMemoryError e) {
        throw outOfMemory(file, format, width, height, e);
      } catch (IOException | RuntimeException e) {
        OutOfMemoryError oom = outOfMemoryCause(e);
        if (oom != null) {
          throw outOfMemory(file, format, width, height, oom);
        }
        throw new IOException(
            file + ": cannot decode " + format + " image: " + e.getMessage(), e);
      } finally {
        reader.dispose();
      }
      if (!damage.isEmpty()) {
        // The decoder filled what it could not read with grey: a wrong picture, not a warning.
        throw new IOException(file + ": truncated or corrupt " + format + " ("
            + String.join("; ", new LinkedHashSet<>(damage)) + ")");
      }
    }
    try {
      return toRgb(decoded);
    } catch (OutOfMemoryError e) {
      throw outOfMemory(file, format, decoded.getWidth(), decoded.getHeight(), e);
    }
  }

  /** An image over the pixel limit; kept apart so the decoder's wrapping does not reword it. */
  private static final class ImageTooLargeException extends IOException {
    ImageTooLargeException(String message) {
      super(message);
    }
  }

  /**
   * Whether a decoder warning means pixels are missing or wrong. These are libjpeg's texts (the
   * JDK's and TwelveMonkeys' JPEG readers forward them) and the JDK's end-of-file warning, which
   * is the only sign of a progressive JPEG cut between two scans; extraneous bytes between
   * segments and colour-profile notes leave the pixels intact, as Pillow reads them too.
   */
  static boolean isDamage(String warning) {
    if (warning == null) {
      return false;
    }
    if (warning.startsWith("Corrupt JPEG data")) {
      return !warning.contains("extraneous bytes");
    }
    return warning.startsWith("Truncated File") || warning.startsWith("Premature end of JPEG")
        || warning.startsWith("Invalid SOS parameters")
        || warning.startsWith("Inconsistent progression sequence");
  }

  private static String megapixels(long pixels) {
    return String.format(Locale.ROOT, pixels % 1_000_000 == 0 ? "%.0f" : "%.1f", pixels / 1e6);
  }

  private static OutOfMemoryError outOfMemoryCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError oom) {
        return oom;
      }
    }
    return null;
  }

  private static IOException outOfMemory(Path file, String format, long width, long height,
      OutOfMemoryError e) {
    long heapMb = Runtime.getRuntime().maxMemory() >> 20;
    IOException out = new IOException(file + ": not enough memory to decode this " + width + "x"
        + height + " " + format + " image (Java heap limit " + heapMb + " MB; give Java more, "
        + "e.g. GRADCAM_JAVA_OPTS=-Xmx16g, or shrink the image)");
    out.initCause(e);
    return out;
  }

  /**
   * The reader ImageIO would use for this stream, preferring TwelveMonkeys' over any other that
   * claims the same format; null when no reader recognises the content.
   */
  static ImageReader readerFor(ImageInputStream in) {
    ImageReader chosen = null;
    for (Iterator<ImageReader> it = ImageIO.getImageReaders(in); it.hasNext(); ) {
      ImageReader candidate = it.next();
      if (chosen == null) {
        chosen = candidate;
      } else if (candidate.getClass().getName().startsWith(TWELVEMONKEYS)
          && !chosen.getClass().getName().startsWith(TWELVEMONKEYS)) {
        chosen.dispose();
        chosen = candidate;
      } else {
        candidate.dispose();
      }
    }
    return chosen;
  }

  /**
   * Converts any decoded picture to 8-bit sRGB {@code TYPE_INT_RGB}: returns the argument itself
   * when it already is one, grey levels are copied into R, G and B unchanged (Java would otherwise
   * treat them as linear light and brighten them), alpha is discarded, other colour spaces are
   * converted to sRGB by their colour model.
   */
  public static BufferedImage toRgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    ColorModel cm = image.getColorModel();
    if (!(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
      Raster raster = image.getRaster();
      int max = (1 << cm.getComponentSize(0)) - 1;
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          int g = max == 255 ? row[x] : (int) ((row[x] * 255L + max / 2) / max);
          dst[y * w + x] = (g << 16) | (g << 8) | g;
        }
      }
    } else {
      image.getRGB(0, 0, w, h, dst, 0, w);
      for (int i = 0; i < dst.length; i++) {
        dst[i] &= 0xFFFFFF;
      }
    }
    return out;
  }

  /**
   * The packed {@code 0xRRGGBB} pixels of an image, row-major. For a plain {@code TYPE_INT_RGB}
   * image this is its own backing array (so callers must not modify it); otherwise a copy after
   * {@link #toRgb}.
   */
  static int[] packedRgb(BufferedImage image) {
    BufferedImage rgb = toRgb(image);
    Raster raster = rgb.getRaster();
    if (raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm
        && sm.getScanlineStride() == rgb.getWidth()
        && raster.getSampleModelTranslateX() == 0
        && raster.getSampleModelTranslateY() == 0
        && raster.getDataBuffer().getOffset() == 0) {
      int[] data = ((DataBufferInt) raster.getDataBuffer()).getData();
      if (data.length == rgb.getWidth() * rgb.getHeight()) {
        return data;
      }
    }
    return rgb.getRGB(0, 0, rgb.getWidth(), rgb.getHeight(), null, 0, rgb.getWidth());
  }

  /** Wraps packed {@code 0xRRGGBB} pixels (taken over, not copied) as a {@code TYPE_INT_RGB} image. */
  static BufferedImage fromPackedRgb(int[] pixels, int width, int height) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    System.arraycopy(pixels, 0, dst, 0, width * height);
    return out;
  }

  /**
   * The pixels as {@code float} values 0..255 in height x width x RGB order, row-major: the layout
   * of Keras' {@code img_to_array}, left unnormalised so each model applies its own preprocessing.
   */
  public static float[] toHwcFloats(BufferedImage image) {
    int[] px = packedRgb(image);
    float[] out = new float[px.length * 3];
    for (int i = 0, j = 0; i < px.length; i++, j += 3) {
      int p = px[i];
      out[j] = (p >>> 16) & 0xFF;
      out[j + 1] = (p >>> 8) & 0xFF;
      out[j + 2] = p & 0xFF;
    }
    return out;
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
    Path parent = file.toAbsolutePath().getParent();
    try {
      if (parent != null) {
        Files.createDirectories(parent);
      }
      AtomicFiles.write(file, out -> encode(image, out, encoding));
    } catch (IOException e) {
      throw WriteErrors.of(encoding.format() == ImageEncoding.Format.PNG ? "PNG" : "JPEG", file, e);
    }
  }

  /**
   * Writes a PNG at deflate's maximum (ImageIO's writer, unfiltered): for the few pictures kept
   * in the repository, whose bytes stay as they were.
   */
  public static void writeCompressedPng(BufferedImage image, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    try {
      if (parent != null) {
        Files.createDirectories(parent);
      }
      AtomicFiles.write(file, out -> writeImageIo(image, out, "png", 0f));
    } catch (IOException e) {
      throw WriteErrors.of("PNG", file, e);
    }
  }

  /** The bytes {@link #writePng(BufferedImage, Path)} writes, for an HTTP response. */
  public static byte[] pngBytes(BufferedImage image) throws IOException {
    return bytes(image, ImageEncoding.PNG);
  }

  /** The bytes {@link #write(BufferedImage, Path, ImageEncoding)} writes. */
  public static byte[] bytes(BufferedImage image, ImageEncoding encoding) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    encode(image, out, encoding);
    return out.toByteArray();
  }

  /** The one encoder of the project's overlays, for files and responses alike. */
  public static void encode(BufferedImage image, java.io.OutputStream out, ImageEncoding encoding)
      throws IOException {
    BufferedImage rgb = toRgb(image);
    if (encoding.format() == ImageEncoding.Format.PNG) {
      PngEncoder.write(packedRgb(rgb), rgb.getWidth(), rgb.getHeight(), out);
    } else {
      writeImageIo(rgb, out, "jpeg", encoding.quality() / 100f);
    }
  }

  private static void writeImageIo(BufferedImage image, java.io.OutputStream out, String format,
      float quality) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(quality);
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(toRgb(image), null, null), param);
    } finally {
      writer.dispose();
    }
  }
}
