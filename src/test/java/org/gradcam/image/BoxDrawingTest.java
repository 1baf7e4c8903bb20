package org.gradcam.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import org.gradcam.data.PixelBox;
import org.gradcam.data.VocBox;
import org.junit.jupiter.api.Test;

class BoxDrawingTest {
  private static final int GREEN = BoxDrawing.GROUND_TRUTH.getRGB() & 0xFFFFFF;
  private static final int RED = BoxDrawing.OURS.getRGB() & 0xFFFFFF;

  private static BufferedImage grey(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, 0x808080);
      }
    }
    return img;
  }

  private static int rgb(BufferedImage img, int x, int y) {
    return img.getRGB(x, y) & 0xFFFFFF;
  }

  @Test
  void oursIsDrawnOnTheCoveredPixelsExclusiveStop() {
    BufferedImage out = BoxDrawing.on(grey(20, 10), 1)
        .ours(List.of(new PixelBox(2, 3, 8, 7))).image();
    // columns 2..7, rows 3..6
    assertThat(rgb(out, 2, 3)).isEqualTo(RED);
    assertThat(rgb(out, 7, 6)).isEqualTo(RED);
    assertThat(rgb(out, 7, 4)).isEqualTo(RED);
    assertThat(rgb(out, 8, 4)).isEqualTo(0x808080);
    assertThat(rgb(out, 4, 7)).isEqualTo(0x808080);
    assertThat(rgb(out, 4, 5)).as("inside stays").isEqualTo(0x808080);
  }

  @Test
  void groundTruthIsOneBasedInclusive() {
    BufferedImage out = BoxDrawing.on(grey(20, 10), 1)
        .groundTruth(List.of(new VocBox(3, 4, 8, 7))).image();
    // VOC 3..8 x 4..7 = 0-based columns 2..7, rows 3..6: the same pixels as the box above
    assertThat(rgb(out, 2, 3)).isEqualTo(GREEN);
    assertThat(rgb(out, 7, 6)).isEqualTo(GREEN);
    assertThat(rgb(out, 8, 4)).isEqualTo(0x808080);
    assertThat(rgb(out, 1, 4)).isEqualTo(0x808080);
  }

  @Test
  void fullImageBoxStaysInsideAndInputIsUntouched() {
    BufferedImage in = grey(12, 9);
    BufferedImage out = BoxDrawing.on(in, 2)
        .ours(List.of(PixelBox.fullImage(12, 9))).image();
    assertThat(rgb(out, 0, 0)).isEqualTo(RED);
    assertThat(rgb(out, 11, 8)).isEqualTo(RED);
    assertThat(rgb(out, 10, 7)).as("2-pixel stroke").isEqualTo(RED);
    assertThat(rgb(out, 5, 4)).isEqualTo(0x808080);
    assertThat(rgb(in, 0, 0)).isEqualTo(0x808080);
    assertThat(out).isNotSameAs(in);
  }

  @Test
  void captionAndColouredBoxes() {
    BufferedImage out = BoxDrawing.on(grey(200, 100))
        .boxes(List.of(new PixelBox(150, 50, 190, 90)), Color.BLUE)
        .caption("hello").image();
    assertThat(rgb(out, 150, 50)).isEqualTo(0x0000FF);
    boolean white = false;
    for (int x = 0; x < 60 && !white; x++) {
      for (int y = 0; y < 15 && !white; y++) {
        white = rgb(out, x, y) == 0xFFFFFF;
      }
    }
    assertThat(white).as("caption text in the corner").isTrue();
  }

  @Test
  void longCaptionShrinksToFitTheWidth() {
    String text = "a rather long caption for a narrow picture";
    BufferedImage out = BoxDrawing.on(grey(400, 400)).caption(text).image();
    // the strip is dark wherever the text may be; the right edge column past the text is not
    int rightmostDark = -1;
    for (int x = 0; x < 400; x++) {
      if (rgb(out, x, 1) != 0x808080) {
        rightmostDark = x;
      }
    }
    assertThat(rightmostDark).as("strip ends inside the image").isBetween(100, 398);
  }

  @Test
  void gridLaysOutCellsAndKeepsAspect() {
    BufferedImage wide = grey(100, 50);
    BufferedImage g = BoxDrawing.grid(List.of(wide, wide, wide), 2, 50, 50);
    assertThat(g.getWidth()).isEqualTo(2 * 50 + 4);
    assertThat(g.getHeight()).isEqualTo(2 * 50 + 4);
    // first cell: 50x25 centred vertically (rows 12..36)
    assertThat(rgb(g, 25, 25)).isEqualTo(0x808080);
    assertThat(rgb(g, 25, 5)).isEqualTo(0xFFFFFF);
    // the fourth cell is empty
    assertThat(rgb(g, 54 + 25, 54 + 25)).isEqualTo(0xFFFFFF);
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> BoxDrawing.on(grey(2, 2), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BoxDrawing.grid(List.of(), 2, 10, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void captionStripBelowKeepsThePhotoAndWraps(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    BufferedImage photo = new BufferedImage(120, 60, BufferedImage.TYPE_INT_RGB);
    photo.setRGB(5, 5, 0x123456);
    BufferedImage captioned = BoxDrawing.withCaption(photo,
        "a long caption that has to wrap onto more than one line here");
    assertThat(captioned.getWidth()).isEqualTo(120);
    assertThat(captioned.getHeight()).as("two or more 12-point lines").isGreaterThan(60 + 2 * 12);
    for (int y = 0; y < 60; y++) {
      for (int x = 0; x < 120; x++) {
        assertThat(captioned.getRGB(x, y)).isEqualTo(photo.getRGB(x, y));
      }
    }
    java.nio.file.Path file = dir.resolve("a/b.png");
    Images.writeCompressedPng(captioned, file);
    assertThat(Images.read(file).getRGB(5, 5) & 0xFFFFFF).isEqualTo(0x123456);
  }
}
