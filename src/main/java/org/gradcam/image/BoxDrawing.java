package org.gradcam.image;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.gradcam.data.PixelBox;
import org.gradcam.data.VocBox;

/**
 * Boxes drawn over a copy of a photo, for checking localisations by eye: ground truth in green,
 * our boxes in red, a caption in the top-left corner. Every box is drawn on the pixels it covers
 * as a {@link PixelBox}; VOC ground truth (1-based, inclusive) is converted by
 * {@link PixelBox#fromVoc}, clipped to the image.
 *
 * <p>The outline is drawn inside the covered pixels (its outer edge is the box's edge), so a
 * full-image box stays visible. The input image is never modified.
 */
public final class BoxDrawing {
  public static final Color GROUND_TRUTH = new Color(0, 200, 0);
  public static final Color OURS = new Color(230, 0, 0);

  private final BufferedImage canvas;
  private final int stroke;

  private BoxDrawing(BufferedImage image, int stroke) {
    this.canvas = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas.createGraphics();
    g.drawImage(image, 0, 0, null);
    g.dispose();
    this.stroke = stroke;
  }

  /** A copy of {@code image} to draw on, with 3-pixel outlines. */
  public static BoxDrawing on(BufferedImage image) {
    return on(image, 3);
  }

  /** A copy of {@code image} to draw on, with outlines {@code stroke} pixels wide. */
  public static BoxDrawing on(BufferedImage image, int stroke) {
    if (stroke < 1) {
      throw new IllegalArgumentException("stroke must be at least 1 pixel, got " + stroke);
    }
    return new BoxDrawing(image, stroke);
  }

  /** VOC boxes (1-based, inclusive, whole pixels), green. */
  public BoxDrawing groundTruth(Collection<VocBox> boxes) {
    return boxes(boxes.stream()
        .map(b -> PixelBox.fromVoc(b, canvas.getWidth(), canvas.getHeight())).toList(),
        GROUND_TRUTH);
  }

  /** Our boxes (0-based, exclusive stop), red. */
  public BoxDrawing ours(Collection<PixelBox> boxes) {
    return boxes(boxes, OURS);
  }

  /** Boxes in our convention (0-based, exclusive stop) in any colour. */
  public BoxDrawing boxes(Collection<PixelBox> boxes, Color color) {
    for (PixelBox b : boxes) {
      outline(b.xmin(), b.ymin(), b.xmax() - 1, b.ymax() - 1, color);
    }
    return this;
  }

  /**
   * White text on a dark strip in the top-left corner, sized to the image: a twentieth of its
   * smaller side, made smaller (down to 9 points) until the text fits the width.
   */
  public BoxDrawing caption(String text) {
    Graphics2D g = canvas.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    int size = Math.max(9, Math.min(canvas.getWidth(), canvas.getHeight()) / 20);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
    while (size > 9 && g.getFontMetrics().stringWidth(text) + 8 > canvas.getWidth()) {
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, --size));
    }
    var metrics = g.getFontMetrics();
    g.setColor(new Color(0, 0, 0, 170));
    g.fillRect(0, 0, Math.min(canvas.getWidth(), metrics.stringWidth(text) + 8),
        metrics.getHeight() + 4);
    g.setColor(Color.WHITE);
    g.drawString(text, 4, 2 + metrics.getAscent());
    g.dispose();
    return this;
  }

  /** The drawing (the same object on every call; draw more and it changes). */
  public BufferedImage image() {
    return canvas;
  }

  /**
   * The image with a white strip below it holding the caption, wrapped at spaces to the image's
   * width, for captions too long to sit on the photo; the photo itself is unchanged.
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
    BufferedImage out = new BufferedImage(image.getWidth(),
        image.getHeight() + lines.size() * lineHeight + 6, BufferedImage.TYPE_INT_RGB);
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

  /**
   * Draws the outline of the inclusive pixel rectangle {@code x0..x1, y0..y1} (clipped to the
   * image) as filled strips inside it, so the result does not depend on Java2D stroke rules.
   */
  private void outline(int x0, int y0, int x1, int y1, Color color) {
    x0 = Math.max(0, x0);
    y0 = Math.max(0, y0);
    x1 = Math.min(canvas.getWidth() - 1, x1);
    y1 = Math.min(canvas.getHeight() - 1, y1);
    if (x1 < x0 || y1 < y0) {
      return;
    }
    int w = x1 - x0 + 1;
    int h = y1 - y0 + 1;
    int t = Math.min(stroke, Math.min(w, h));
    Graphics2D g = canvas.createGraphics();
    g.setColor(color);
    g.fillRect(x0, y0, w, t);
    g.fillRect(x0, y1 - t + 1, w, t);
    g.fillRect(x0, y0, t, h);
    g.fillRect(x1 - t + 1, y0, t, h);
    g.dispose();
  }

  /**
   * Pictures side by side in rows of {@code columns}, each scaled (bilinear, aspect ratio kept) to
   * fit a {@code cellWidth x cellHeight} cell on a white background, e.g. a gallery of drawings.
   */
  public static BufferedImage grid(List<BufferedImage> pictures, int columns, int cellWidth,
      int cellHeight) {
    if (pictures.isEmpty()) {
      throw new IllegalArgumentException("no pictures to lay out");
    }
    if (columns < 1 || cellWidth < 1 || cellHeight < 1) {
      throw new IllegalArgumentException("columns and cell size must be positive, got "
          + columns + " columns of " + cellWidth + "x" + cellHeight);
    }
    int cols = Math.min(columns, pictures.size());
    int rows = (pictures.size() + cols - 1) / cols;
    int gap = 4;
    BufferedImage out = new BufferedImage(cols * cellWidth + (cols - 1) * gap,
        rows * cellHeight + (rows - 1) * gap, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    for (int i = 0; i < pictures.size(); i++) {
      BufferedImage p = pictures.get(i);
      double scale = Math.min((double) cellWidth / p.getWidth(), (double) cellHeight / p.getHeight());
      int w = Math.max(1, (int) Math.round(p.getWidth() * scale));
      int h = Math.max(1, (int) Math.round(p.getHeight() * scale));
      int x = (i % cols) * (cellWidth + gap) + (cellWidth - w) / 2;
      int y = (i / cols) * (cellHeight + gap) + (cellHeight - h) / 2;
      g.drawImage(p, x, y, w, h, null);
    }
    g.dispose();
    return out;
  }
}
