package org.gradcam.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.gradcam.image.ImageEncoding;
import org.gradcam.image.ImageEncoding.Format;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --format png|jpg} and {@code --quality 1..100} of the overlay pictures; a wrong value is
 * picocli's "Invalid value for option" line, a quality without JPEG an error too (it would
 * silently do nothing).
 */
final class OutputFormatOptions {
  @Option(names = "--format", defaultValue = "png", paramLabel = "png|jpg",
      converter = FormatConverter.class, completionCandidates = FormatConverter.class,
      description = "overlay format: png (lossless) | jpg (default: ${DEFAULT-VALUE})")
  Format format = Format.PNG;

  @Option(names = "--quality", paramLabel = "1..100", converter = QualityConverter.class,
      description = "JPEG quality for --format jpg, libjpeg's scale (default: "
          + ImageEncoding.DEFAULT_JPEG_QUALITY + ")")
  Integer quality;

  /** The chosen encoding; a quality given for PNG is an error. */
  ImageEncoding encoding() {
    if (format == Format.PNG) {
      if (quality != null) {
        throw new IllegalArgumentException("--quality applies to --format jpg only; PNG is "
            + "lossless");
      }
      return ImageEncoding.PNG;
    }
    return ImageEncoding.jpeg(quality != null ? quality : ImageEncoding.DEFAULT_JPEG_QUALITY);
  }

  static final class FormatConverter implements ITypeConverter<Format>, Iterable<String> {
    static final List<String> NAMES = Arrays.stream(Format.values()).map(Format::option).toList();

    @Override
    public Format convert(String value) {
      String v = value.strip();
      for (Format f : Format.values()) {
        if (f.option().equalsIgnoreCase(v) || (f == Format.JPEG && v.equalsIgnoreCase("jpeg"))) {
          return f;
        }
      }
      throw new TypeConversionException("expected one of " + NAMES + " but was '" + value + "'");
    }

    @Override
    public Iterator<String> iterator() {
      return NAMES.iterator();
    }
  }

  static final class QualityConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int q;
      try {
        q = Integer.parseInt(value.strip());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("expected a whole number 1..100 but was '" + value
            + "'");
      }
      if (q < 1 || q > 100) {
        throw new TypeConversionException("expected a whole number 1..100 but was '" + value
            + "'");
      }
      return q;
    }
  }
}
