package org.gradcam.localize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.gradcam.localize.MaskTestSupport.boxes;

import org.gradcam.data.PixelBox;
import org.junit.jupiter.api.Test;

/** Hand-computed cases of the Grad-CAM paper's 15%-of-max, largest-segment rule. */
class PaperBoxExtractorTest {
  private static final double FIFTEEN = PaperBoxExtractor.PAPER_FRACTION;
  private final PaperBoxExtractor paper = new PaperBoxExtractor();

  @Test
  void boxesTheLargestSegmentAboveFifteenPercentOfTheMax() {
    // max 1.0, cut 0.15: the left segment has 3 pixels (one of them exactly 0.15), the right 4.
    double[][] map = {
        {0.9, 0.15, 0.0, 0.0, 0.0, 0.0},
        {0.0, 0.2, 0.0, 0.0, 0.3, 0.0},
        {0.0, 0.0, 0.0, 0.2, 1.0, 0.16},
        {0.1, 0.0, 0.0, 0.0, 0.0, 0.0}};

    assertThat(boxes(paper, map, FIFTEEN)).containsExactly(new PixelBox(3, 1, 6, 3));
  }

  @Test
  void pixelsEqualToTheCutAreKept() {
    // Cut = 0.15 * 0.8 = 0.12. With ">=" the 0.12 pixels join the left segment (4 pixels) and
    // it beats the right one (3 pixels); with ">" the right one would win.
    double[][] map = {
        {0.8, 0.12, 0.12, 0.12, 0.0, 0.5, 0.5, 0.5}};

    assertThat(boxes(paper, map, 0.15)).containsExactly(new PixelBox(0, 0, 4, 1));
  }

  @Test
  void diagonalPixelsDoNotJoinASegment() {
    // Four diagonal pixels are four one-pixel segments; the two-pixel bar wins.
    double[][] map = {
        {1, 0, 0, 0, 0},
        {0, 1, 0, 0, 0},
        {0, 0, 1, 0, 0},
        {0, 0, 0, 1, 0},
        {0, 0, 0, 1, 0}};

    assertThat(boxes(paper, map, FIFTEEN)).containsExactly(new PixelBox(3, 3, 4, 5));
  }

  @Test
  void tiesGoToTheSegmentThatStartsFirstInRasterOrder() {
    double[][] map = {
        {0, 0, 0, 1},
        {1, 0, 0, 1},
        {1, 0, 0, 0}};

    assertThat(boxes(paper, map, FIFTEEN)).containsExactly(new PixelBox(3, 0, 4, 2));
  }

  @Test
  void theFractionIsAParameter() {
    double[][] map = {{1.0, 0.4, 0.0, 0.6, 0.6}};

    assertThat(boxes(paper, map, 0.15)).containsExactly(new PixelBox(0, 0, 2, 1));
    assertThat(boxes(paper, map, 0.5)).containsExactly(new PixelBox(3, 0, 5, 1));
    assertThat(boxes(paper, map, 1.0)).containsExactly(new PixelBox(0, 0, 1, 1));
  }

  @Test
  void allZeroMapGivesTheFullImageBox() {
    assertThat(paper.extract(new float[28], 7, 4)).containsExactly(new PixelBox(0, 0, 7, 4));
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> paper.extract(new double[4], 2, 2, 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threshold must be in [0, 1]");
    assertThatThrownBy(() -> paper.extract(new float[] {Float.NaN}, 1, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    assertThatThrownBy(() -> paper.extract(new float[0], 0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
  }
}
