package org.gradcam.image;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.gradcam.data.Box;

/**
 * Boxes drawn on a photo: ground truth in green, detections in red, as outlines inside the box
 * so the pixels on a box's border are the box's own.
 *
 * <p>Coordinates are pixel edges: a box covers columns {@code round(xmin) .. round(xmax) - 1} and
 * rows {@code round(ymin) .. round(ymax) - 1}, the convention of the heatmap boxes (0-based
 * start, exclusive stop). VOC ground truth (1-based, inclusive) is converted with {@link
 * #fromVoc}. Parts outside the image are clipped.
 */
public final class BoxDrawing {
  /** Ground truth colour. */
  public static final Color GROUND_TRUTH = new Color(0, 255, 0);
  /** Detection colour. */
  public static final Color DETECTION = new Color(255, 0, 0);

  private BoxDrawing() {}

  /** A VOC box (1-based, inclusive) in this class's convention (0-based start, exclusive stop). */
  public static Box fromVoc(Box voc) {
    return voc.shiftMin(-1, -1);
  }

  /**
   * A copy of the image with the GT boxes in green and the detections in red on top (where the
   * two coincide, red is seen). The line width grows with the image: 2 px up to 450 px on the
   * short side.
   */
  public static BufferedImage draw(BufferedImage image, List<Box> groundTruth,
      List<Box> detections) {
    int line = Math.max(2, Math.min(image.getWidth(), image.getHeight()) / 225);
    return draw(image, groundTruth, detections, line);
  }

  public static BufferedImage draw(BufferedImage image, List<Box> groundTruth,
      List<Box> detections, int lineWidth) {
    BufferedImage rgb = Images.toRgb(image);
    BufferedImage out = rgb == image ? copy(image) : rgb; // never draw on the caller's image
    groundTruth.forEach(b -> outline(out, b, GROUND_TRUTH, lineWidth));
    detections.forEach(b -> outline(out, b, DETECTION, lineWidth));
    return out;
  }

  /** Draws the outline of {@code box} into {@code target}, {@code lineWidth} pixels inside it. */
  public static void outline(BufferedImage target, Box box, Color color, int lineWidth) {
    if (lineWidth < 1) {
      throw new IllegalArgumentException("line width must be at least 1, got " + lineWidth);
    }
    int x0 = (int) Math.round(box.xmin());
    int y0 = (int) Math.round(box.ymin());
    int x1 = (int) Math.round(box.xmax()); // exclusive
    int y1 = (int) Math.round(box.ymax());
    int rgb = color.getRGB();
    for (int y = Math.max(0, y0); y < Math.min(target.getHeight(), y1); y++) {
      boolean edgeRow = y < y0 + lineWidth || y >= y1 - lineWidth;
      for (int x = Math.max(0, x0); x < Math.min(target.getWidth(), x1); x++) {
        if (edgeRow || x < x0 + lineWidth || x >= x1 - lineWidth) {
          target.setRGB(x, y, rgb);
        }
      }
    }
  }

  /**
   * The image with a white strip below it holding the caption, wrapped at spaces to the image's
   * width; the photo itself is unchanged.
   */
  public static BufferedImage withCaption(BufferedImage image, String caption) {
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D sg = scratch.createGraphics();
    FontMetrics m = sg.getFontMetrics(font);
    sg.dispose();
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : caption.split(" ")) {
      String candidate = line.isEmpty() ? word : line + " " + word;
      if (!line.isEmpty() && m.stringWidth(candidate) > image.getWidth() - 8) {
        lines.add(line.toString());
        line = new StringBuilder(word);
      } else {
        line = new StringBuilder(candidate);
      }
    }
    lines.add(line.toString());
    int lineHeight = m.getHeight();
    int strip = lines.size() * lineHeight + 6;
    BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight() + strip,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, out.getWidth(), out.getHeight());
      g.drawImage(image, 0, 0, null);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(font);
      g.setColor(Color.BLACK);
      for (int i = 0; i < lines.size(); i++) {
        g.drawString(lines.get(i), 4, image.getHeight() + 3 + i * lineHeight + m.getAscent());
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Writes a compressed PNG (smaller than {@link Images#writePng}, which favours speed). */
  public static Path writePng(BufferedImage image, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("Cannot write PNG " + file + ": no PNG writer");
    }
    return file;
  }

  private static BufferedImage copy(BufferedImage image) {
    BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(),
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.drawImage(image, 0, 0, null);
    g.dispose();
    return out;
  }
}
