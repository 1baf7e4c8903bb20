package org.gradcam.localize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gradcam.localize.MaskTestSupport.art;
import static org.gradcam.localize.MaskTestSupport.mask;

import org.junit.jupiter.api.Test;

/** Hand-worked {@code binary_fill_holes} cases; SciPy's own answers are in the holes fixture. */
class BinaryMorphologyTest {

  @Test
  void fillsEnclosedBackgroundOnly() {
    boolean[][] ring = mask(
        "......",
        ".####.",
        ".#..#.",
        ".####.",
        "......");

    assertThat(art(BinaryMorphology.fillHoles(ring))).containsExactly(
        "......",
        ".####.",
        ".####.",
        ".####.",
        "......");
  }

  @Test
  void backgroundLinkedToTheBorderThroughAnEdgeIsNotAHole() {
    boolean[][] open = mask(
        "#####",
        "#...#",
        "#.#.#",
        "#.#..",
        "###..");

    assertThat(art(BinaryMorphology.fillHoles(open))).containsExactly(art(open));
  }

  @Test
  void backgroundTouchingTheOutsideOnlyDiagonallyIsAHole() {
    boolean[][] pocket = mask(
        "####.",
        "#..#.",
        "#..##",
        "#####");

    assertThat(art(BinaryMorphology.fillHoles(pocket))).containsExactly(
        "####.",
        "####.",
        "#####",
        "#####");
  }

  @Test
  void leavesTheInputUntouched() {
    boolean[][] ring = mask("###", "#.#", "###");

    BinaryMorphology.fillHoles(ring);

    assertThat(art(ring)).containsExactly("###", "#.#", "###");
  }
}
