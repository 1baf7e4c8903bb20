package org.gradcam.image;

import java.util.Locale;

/**
 * How a picture is written: lossless PNG ({@link PngEncoder}) or JPEG at a quality of 1..100
 * (libjpeg's and Pillow's scale; ImageIO's writer gets {@code quality / 100}).
 */
public record ImageEncoding(Format format, int quality) {
  /** The JPEG quality when none is given: overlays keep fine detail, about 50 KB at 500x375. */
  public static final int DEFAULT_JPEG_QUALITY = 90;

  public enum Format {
    PNG("png", ".png"), JPEG("jpg", ".jpg");

    private final String option;
    private final String extension;

    Format(String option, String extension) {
      this.option = option;
      this.extension = extension;
    }

    /** The name on the command line: png, jpg. */
    public String option() {
      return option;
    }

    /** The file extension outputs get: .png, .jpg. */
    public String extension() {
      return extension;
    }

    /** Whether a file name has this format's extension (.jpeg counts as JPEG). */
    public boolean matches(String fileName) {
      String lower = fileName.toLowerCase(Locale.ROOT);
      return lower.endsWith(extension) || (this == JPEG && lower.endsWith(".jpeg"));
    }
  }

  public ImageEncoding {
    if (format == Format.JPEG && (quality < 1 || quality > 100)) {
      throw new IllegalArgumentException("JPEG quality must be 1..100, got " + quality);
    }
    if (format == Format.PNG && quality != 0) {
      throw new IllegalArgumentException("PNG is lossless and takes no quality, got " + quality);
    }
  }

  public static final ImageEncoding PNG = new ImageEncoding(Format.PNG, 0);

  public static ImageEncoding jpeg(int quality) {
    return new ImageEncoding(Format.JPEG, quality);
  }
}
