package org.gradcam.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decoding behind {@link Images#read}: the reader choice (TwelveMonkeys first), the pixel limit
 * checked from the header, source subsampling for the fast decode, and one clear message for
 * each way a file can fail (missing, empty, not an image, damaged, too large, out of memory).
 */
final class ImageDecoder {
  private static final String TWELVEMONKEYS = "com.twelvemonkeys.";

  private ImageDecoder() {}

  /** The picture as sRGB {@code TYPE_INT_RGB}; {@code reduceTo > 0} subsamples large JPEGs. */
  static BufferedImage read(Path file, long maxPixels, int reduceTo) throws IOException {
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
            ? Images.reductionFor(width, height, reduceTo) : 1;
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
      return Pixels.toRgb(decoded);
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
}
