package org.gradcam.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strip and the grid: layout and where each picture lands. */
class OverlayPanelsTest {
  static BufferedImage filled(int w, int h, int rgb) {
    BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        b.setRGB(x, y, rgb);
      }
    }
    return b;
  }

  @Test
  void aStripPutsThePicturesSideBySideInOrder() {
    BufferedImage red = filled(40, 20, 0xFF0000);
    BufferedImage blue = filled(20, 40, 0x0000FF);
    BufferedImage s = OverlayPanels.strip(List.of(red, blue), List.of("", ""), 32);
    // two 32-pixel cells and the grid's 4-pixel gap; no captions, so one cell high
    assertThat(s.getWidth()).isEqualTo(2 * 32 + 4);
    assertThat(s.getHeight()).isEqualTo(32);
    assertThat(s.getRGB(16, 16) & 0xFFFFFF).isEqualTo(0xFF0000); // centre of cell 1
    assertThat(s.getRGB(36 + 16, 16) & 0xFFFFFF).isEqualTo(0x0000FF); // centre of cell 2
    // red 40x20 fits 32x16, centred: the rows above it stay white
    assertThat(s.getRGB(16, 2) & 0xFFFFFF).isEqualTo(0xFFFFFF);
  }

  @Test
  void aGridWrapsIntoRowsAndCaptionsAddABand() {
    List<BufferedImage> p = List.of(filled(10, 10, 0x00FF00), filled(10, 10, 0x00FF00),
        filled(10, 10, 0x00FF00));
    BufferedImage g = OverlayPanels.grid(p, List.of("a", "b", "c"), 2, 32);
    assertThat(g.getWidth()).isEqualTo(2 * 32 + 4);
    assertThat(g.getHeight()).isGreaterThan(2 * 32 + 4); // two rows plus caption bands
    assertThat(g.getRGB(16, 16) & 0xFFFFFF).isEqualTo(0x00FF00);
    assertThatThrownBy(() -> OverlayPanels.grid(p, List.of("a"), 2, 32))
        .hasMessageContaining("3 pictures but 1 captions");
    assertThatThrownBy(() -> OverlayPanels.strip(List.of(), List.of(), 32))
        .hasMessageContaining("no pictures");
  }
}
