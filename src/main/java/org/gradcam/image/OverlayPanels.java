package org.gradcam.image;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Several labelled pictures in one PNG: a strip (one row, e.g. one overlay per top-k class of an
 * image) or a grid (many images' overlays). Each picture is scaled to a common cell, aspect ratio
 * kept, with its caption in a white band below it.
 */
public final class OverlayPanels {
  private OverlayPanels() {}

  /** The pictures side by side, each {@code cell x cell} with its caption below. */
  public static BufferedImage strip(List<BufferedImage> pictures, List<String> captions,
      int cell) {
    return grid(pictures, captions, Math.max(1, pictures.size()), cell);
  }

  /**
   * The pictures in rows of {@code columns}, each scaled to fit {@code cell x cell} and captioned
   * below (wrapped to the cell's width); captions may be empty strings, never missing.
   */
  public static BufferedImage grid(List<BufferedImage> pictures, List<String> captions,
      int columns, int cell) {
    if (pictures.isEmpty()) {
      throw new IllegalArgumentException("no pictures to lay out");
    }
    if (captions.size() != pictures.size()) {
      throw new IllegalArgumentException(pictures.size() + " pictures but " + captions.size()
          + " captions");
    }
    if (cell < 16) {
      throw new IllegalArgumentException("cell size must be >= 16 pixels, got " + cell);
    }
    List<BufferedImage> labelled = new ArrayList<>();
    int tallest = 0;
    for (int i = 0; i < pictures.size(); i++) {
      BufferedImage p = fit(pictures.get(i), cell);
      BufferedImage c = captions.get(i).isEmpty() ? p : BoxDrawing.withCaption(p, captions.get(i));
      labelled.add(c);
      tallest = Math.max(tallest, c.getHeight());
    }
    return BoxDrawing.grid(labelled, columns, cell, tallest);
  }

  /** {@code p} scaled (bilinear) to fit a {@code cell x cell} square, centred in it. */
  static BufferedImage fit(BufferedImage p, int cell) {
    double scale = Math.min((double) cell / p.getWidth(), (double) cell / p.getHeight());
    int w = Math.max(1, (int) Math.round(p.getWidth() * scale));
    int h = Math.max(1, (int) Math.round(p.getHeight() * scale));
    BufferedImage out = new BufferedImage(cell, cell, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = out.createGraphics();
    try {
      g.setColor(java.awt.Color.WHITE);
      g.fillRect(0, 0, cell, cell);
      g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION,
          java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(p, (cell - w) / 2, (cell - h) / 2, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
