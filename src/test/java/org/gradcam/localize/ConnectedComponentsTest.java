package org.gradcam.localize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.gradcam.localize.MaskTestSupport.label;
import static org.gradcam.localize.MaskTestSupport.mask;

import org.gradcam.data.PixelBox;
import org.junit.jupiter.api.Test;

/** Hand-worked {@code scipy.ndimage.label} + {@code find_objects} cases. */
class ConnectedComponentsTest {

  @Test
  void diagonalPixelsAreSeparateComponents() {
    ConnectedComponents components = label(mask(
        "#.",
        ".#"));

    assertThat(components.count()).isEqualTo(2);
    assertThat(components.boxes())
        .containsExactly(new PixelBox(0, 0, 1, 1), new PixelBox(1, 1, 2, 2));
  }

  @Test
  void labelsFollowTheRasterOrderOfEachComponentsFirstPixel() {
    // The right-hand bar starts in row 0, so it is label 1 although it lies further right;
    // the U is one component although its arms only meet in the last row.
    ConnectedComponents components = label(mask(
        ".....#",
        "#.#..#",
        "#.#..#",
        "###..."));

    assertThat(components.count()).isEqualTo(2);
    assertThat(components.labelAt(0, 5)).isEqualTo(1);
    assertThat(components.labelAt(1, 0)).isEqualTo(2);
    assertThat(components.labelAt(1, 2)).isEqualTo(2);
    assertThat(components.labelAt(0, 0)).isZero();
    assertThat(components.boxes())
        .containsExactly(new PixelBox(5, 0, 6, 3), new PixelBox(0, 1, 3, 4));
    assertThat(components.size(1)).isEqualTo(3);
    assertThat(components.size(2)).isEqualTo(7);
  }

  @Test
  void emptyMaskHasNoComponents() {
    ConnectedComponents components = ConnectedComponents.label(new boolean[12], 4, 3);

    assertThat(components.count()).isZero();
    assertThat(components.boxes()).isEmpty();
  }

  @Test
  void rejectsAMaskWithoutPixels() {
    assertThatThrownBy(() -> ConnectedComponents.label(new boolean[0], 0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mask is empty");
    assertThatThrownBy(() -> BinaryMorphology.fillHoles(new boolean[0], 0, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mask is empty");
  }

  @Test
  void rejectsAMaskOfAnotherLengthThanItsShape() {
    assertThatThrownBy(() -> ConnectedComponents.label(new boolean[5], 2, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 pixels, not 2x3");
    assertThatThrownBy(() -> BinaryMorphology.fillHoles(new boolean[7], 2, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7 pixels, not 2x3");
  }
}
