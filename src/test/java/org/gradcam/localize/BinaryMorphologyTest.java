package org.gradcam.localize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.gradcam.localize.MaskTestSupport.art;
import static org.gradcam.localize.MaskTestSupport.fillHoles;
import static org.gradcam.localize.MaskTestSupport.mask;

import org.junit.jupiter.api.Test;

/** Hand-worked {@code binary_fill_holes} cases; SciPy's own answers are in the holes fixture. */
class BinaryMorphologyTest {

  @Test
  void fillsEnclosedBackgroundOnly() {
    MaskTestSupport.Mask ring = mask(
        "......",
        ".####.",
        ".#..#.",
        ".####.",
        "......");

    assertThat(art(fillHoles(ring))).containsExactly(
        "......",
        ".####.",
        ".####.",
        ".####.",
        "......");
  }

  @Test
  void backgroundLinkedToTheBorderThroughAnEdgeIsNotAHole() {
    MaskTestSupport.Mask open = mask(
        "#####",
        "#...#",
        "#.#.#",
        "#.#..",
        "###..");

    assertThat(art(fillHoles(open))).containsExactly(art(open));
  }

  @Test
  void backgroundTouchingTheOutsideOnlyDiagonallyIsAHole() {
    MaskTestSupport.Mask pocket = mask(
        "####.",
        "#..#.",
        "#..##",
        "#####");

    assertThat(art(fillHoles(pocket))).containsExactly(
        "####.",
        "####.",
        "#####",
        "#####");
  }

  @Test
  void leavesTheInputUntouched() {
    MaskTestSupport.Mask ring = mask("###", "#.#", "###");

    BinaryMorphology.fillHoles(ring.pixels(), ring.width(), ring.height());

    assertThat(art(ring)).containsExactly("###", "#.#", "###");
  }
}
