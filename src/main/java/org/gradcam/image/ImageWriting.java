package org.gradcam.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.gradcam.data.WriteErrors;
import org.gradcam.io.AtomicFiles;

/**
 * Encoding and writing behind {@link Images}: the project's PNG encoder or ImageIO's JPEG (and
 * maximum-deflate PNG) writer, always through a temporary file moved into place.
 */
final class ImageWriting {
  private ImageWriting() {}

  static void write(BufferedImage image, Path file, ImageEncoding encoding) throws IOException {
    writeAtomically(file, encoding.format() == ImageEncoding.Format.PNG ? "PNG" : "JPEG",
        out -> encode(image, out, encoding));
  }

  static void writeCompressedPng(BufferedImage image, Path file) throws IOException {
    writeAtomically(file, "PNG", out -> writeImageIo(image, out, "png", 0f));
  }

  /** Creates missing parent directories; a failure names the file and the format. */
  private static void writeAtomically(Path file, String format, AtomicFiles.Body content)
      throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    try {
      if (parent != null) {
        Files.createDirectories(parent);
      }
      AtomicFiles.write(file, content);
    } catch (IOException e) {
      throw WriteErrors.of(format, file, e);
    }
  }

  static byte[] bytes(BufferedImage image, ImageEncoding encoding) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    encode(image, out, encoding);
    return out.toByteArray();
  }

  static void encode(BufferedImage image, OutputStream out, ImageEncoding encoding)
      throws IOException {
    BufferedImage rgb = Pixels.toRgb(image);
    if (encoding.format() == ImageEncoding.Format.PNG) {
      PngEncoder.write(Pixels.packedRgb(rgb), rgb.getWidth(), rgb.getHeight(), out);
    } else {
      writeImageIo(rgb, out, "jpeg", encoding.quality() / 100f);
    }
  }

  private static void writeImageIo(BufferedImage image, OutputStream out, String format,
      float quality) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(quality);
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(Pixels.toRgb(image), null, null), param);
    } finally {
      writer.dispose();
    }
  }
}
