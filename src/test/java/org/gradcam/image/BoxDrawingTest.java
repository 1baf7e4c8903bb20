package org.gradcam.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.gradcam.data.Box;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoxDrawingTest {
  static final int GREY = 0x808080;

  static BufferedImage grey(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, GREY);
      }
    }
    return img;
  }

  static int rgb(BufferedImage img, int x, int y) {
    return img.getRGB(x, y) & 0xFFFFFF;
  }

  @Test
  void greenGtAndRedDetectionsOnTheBoxBorders() {
    BufferedImage img = grey(100, 80);
    // VOC GT [11, 21, 40, 50] (1-based inclusive) covers 0-based pixels 10..39 x 20..49.
    Box gt = BoxDrawing.fromVoc(new Box(11, 21, 40, 50));
    Box det = new Box(50, 5, 90, 30); // 0-based start, exclusive stop: pixels 50..89 x 5..29
    BufferedImage out = BoxDrawing.draw(img, List.of(gt), List.of(det), 2);

    assertThat(rgb(img, 10, 20)).as("input untouched").isEqualTo(GREY);
    int green = 0x00FF00;
    int red = 0xFF0000;
    for (int x = 10; x < 40; x++) {
      assertThat(rgb(out, x, 20)).isEqualTo(green);
      assertThat(rgb(out, x, 21)).isEqualTo(green);
      assertThat(rgb(out, x, 49)).isEqualTo(green);
    }
    for (int y = 20; y < 50; y++) {
      assertThat(rgb(out, 10, y)).isEqualTo(green);
      assertThat(rgb(out, 39, y)).isEqualTo(green);
    }
    for (int x = 50; x < 90; x++) {
      assertThat(rgb(out, x, 5)).isEqualTo(red);
      assertThat(rgb(out, x, 29)).isEqualTo(red);
    }
    for (int y = 5; y < 30; y++) {
      assertThat(rgb(out, 50, y)).isEqualTo(red);
      assertThat(rgb(out, 89, y)).isEqualTo(red);
    }
    // Inside (beyond the line width) and outside stay as they were.
    assertThat(rgb(out, 25, 35)).isEqualTo(GREY);
    assertThat(rgb(out, 9, 20)).isEqualTo(GREY);
    assertThat(rgb(out, 40, 20)).isEqualTo(GREY);
    assertThat(rgb(out, 70, 15)).isEqualTo(GREY);
    assertThat(rgb(out, 90, 5)).isEqualTo(GREY);
    assertThat(rgb(out, 50, 30)).isEqualTo(GREY);
  }

  @Test
  void boxesPastTheImageAreClippedAndDetectionsDrawOverGt() {
    BufferedImage img = grey(30, 20);
    Box same = new Box(0, 0, 30, 20);
    BufferedImage out = BoxDrawing.draw(img, List.of(same), List.of(same, new Box(20, 10, 60, 60)));
    assertThat(rgb(out, 0, 0)).isEqualTo(0xFF0000);
    assertThat(rgb(out, 20, 15)).isEqualTo(0xFF0000);
  }

  @Test
  void captionStripKeepsThePhotoAndIsWritten(@TempDir Path dir) throws Exception {
    BufferedImage img = BoxDrawing.draw(grey(120, 60), List.of(new Box(0, 0, 10, 10)), List.of());
    BufferedImage captioned = BoxDrawing.withCaption(img,
        "a long caption that has to wrap onto more than one line here");
    assertThat(captioned.getWidth()).isEqualTo(120);
    assertThat(captioned.getHeight()).isGreaterThan(60 + 2 * 12);
    for (int y = 0; y < 60; y++) {
      for (int x = 0; x < 120; x++) {
        assertThat(captioned.getRGB(x, y)).isEqualTo(img.getRGB(x, y));
      }
    }
    Path file = BoxDrawing.writePng(captioned, dir.resolve("a/b.png"));
    BufferedImage back = ImageIO.read(file.toFile());
    assertThat(back.getWidth()).isEqualTo(120);
    assertThat(back.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x00FF00);
  }
}
