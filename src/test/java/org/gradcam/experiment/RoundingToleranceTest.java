package org.gradcam.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundingToleranceTest {
  @Test
  void scoresThatDifferInTheSeventhDigitAreTheSameResult() {
    // Lines of boxes.csv as oneDNN on and off wrote them for one box.
    assertThat(RoundingTolerance.sameText("001150,0.06,10,20,300,200,0.1349695\n",
        "001150,0.06,10,20,300,200,0.1349698\n")).isTrue();
    assertThat(RoundingTolerance.sameText("a 0.5 b", "a 0.5 b")).isTrue();
  }

  @Test
  void anyOtherChangeIsAChange() {
    // A box edge one pixel off, another image id, an AP at the tables' last digit.
    assertThat(RoundingTolerance.sameText("x,0.06,10,20,300,200,0.13", "x,0.06,11,20,300,200,0.13"))
        .isFalse();
    assertThat(RoundingTolerance.sameText("000001,0.5", "000002,0.5")).isFalse();
    assertThat(RoundingTolerance.sameText("| ap | 45.1234 |", "| ap | 45.1235 |")).isFalse();
    assertThat(RoundingTolerance.sameText("| ap | 100.0000 |", "| ap | 99.9999 |")).isFalse();
    assertThat(RoundingTolerance.sameText("score 0.1349695", "score 0.1350695")).isFalse();
    // Text between numbers, and the count of numbers.
    assertThat(RoundingTolerance.sameText("ap 1.0 counted", "ap 1.0 ignored")).isFalse();
    assertThat(RoundingTolerance.sameText("1,2,3", "1,2")).isFalse();
    assertThat(RoundingTolerance.sameText("1,2", "1,2,")).isFalse();
  }

  @Test
  void picturesMayDifferByOneColourStepInAFewPixelsOnly(@TempDir Path dir) throws Exception {
    BufferedImage base = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = base.createGraphics();
    g.setColor(new Color(40, 80, 120));
    g.fillRect(0, 0, 100, 100);
    g.setColor(Color.RED);
    g.drawRect(20, 20, 40, 40);
    g.dispose();
    Path a = dir.resolve("a.png");
    ImageIO.write(base, "png", a.toFile());

    BufferedImage steps = copy(base);
    steps.setRGB(5, 5, new Color(44, 80, 120).getRGB()); // 10 of 10000 pixels are allowed
    Path b = dir.resolve("b.png");
    ImageIO.write(steps, "png", b.toFile());
    assertThat(RoundingTolerance.same(a, b)).isTrue();

    BufferedImage jump = copy(base);
    jump.setRGB(5, 5, new Color(140, 80, 120).getRGB());
    ImageIO.write(jump, "png", b.toFile());
    assertThat(RoundingTolerance.same(a, b)).isFalse();

    BufferedImage moved = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);
    g = moved.createGraphics();
    g.setColor(new Color(40, 80, 120));
    g.fillRect(0, 0, 100, 100);
    g.setColor(new Color(50, 80, 120)); // within one step, but over far more than 0.1 %
    g.drawRect(21, 20, 40, 40);
    g.dispose();
    for (int y = 0; y < 100; y++) {
      for (int x = 0; x < 100; x++) {
        if (base.getRGB(x, y) == Color.RED.getRGB()) {
          moved.setRGB(x, y, Color.RED.getRGB());
        }
      }
    }
    ImageIO.write(moved, "png", b.toFile());
    assertThat(RoundingTolerance.same(a, b)).isFalse();

    ImageIO.write(new BufferedImage(100, 99, BufferedImage.TYPE_INT_RGB), "png", b.toFile());
    assertThat(RoundingTolerance.same(a, b)).isFalse();
  }

  @Test
  void otherFilesMustBeIdentical(@TempDir Path dir) throws Exception {
    Path a = Files.write(dir.resolve("a.npy"), new byte[] {1, 2, 3});
    Path b = Files.write(dir.resolve("b.npy"), new byte[] {1, 2, 4});
    assertThat(RoundingTolerance.same(a, b)).isFalse();
    Files.write(b, new byte[] {1, 2, 3});
    assertThat(RoundingTolerance.same(a, b)).isTrue();
  }

  private static BufferedImage copy(BufferedImage src) {
    BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), src.getType());
    out.setData(src.getData());
    return out;
  }
}
