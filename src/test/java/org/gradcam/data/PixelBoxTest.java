package org.gradcam.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PixelBoxTest {

  @Test
  void sizesUseExclusiveUpperBounds() {
    PixelBox box = new PixelBox(2, 3, 10, 7);

    assertThat(box.width()).isEqualTo(8);
    assertThat(box.height()).isEqualTo(4);
    assertThat(box.area()).isEqualTo(32);
    assertThat(box.toArray()).containsExactly(2, 3, 10, 7);
    assertThat(box).hasToString("[2, 3, 10, 7]");
  }

  @Test
  void areaDoesNotOverflow() {
    assertThat(PixelBox.fullImage(100_000, 100_000).area()).isEqualTo(10_000_000_000L);
  }

  @Test
  void rejectsEmptyOrNegativeBoxes() {
    assertThatThrownBy(() -> new PixelBox(3, 0, 3, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PixelBox(0, 5, 3, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PixelBox(-1, 0, 3, 2))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void vocOneToTenIsPixelsZeroToNineWidthTen() {
    PixelBox box = PixelBox.fromVoc(new VocBox(1, 1, 10, 10));

    assertThat(box).isEqualTo(new PixelBox(0, 0, 10, 10));
    assertThat(box.width()).isEqualTo(10);
    assertThat(box.height()).isEqualTo(10);
    assertThat(box.contains(0, 0)).isTrue();
    assertThat(box.contains(9, 9)).isTrue();
    assertThat(box.contains(10, 9)).isFalse();
    assertThat(box.contains(9, 10)).isFalse();
  }

  @Test
  void aOnePixelVocBoxHasEqualCorners() {
    // VOC (5, 7, 5, 7) is the single pixel at 0-based column 4, row 6.
    PixelBox box = PixelBox.fromVoc(new VocBox(5, 7, 5, 7));

    assertThat(box).isEqualTo(new PixelBox(4, 6, 5, 7));
    assertThat(box.area()).isEqualTo(1);
  }

  @Test
  void toVocIsTheInverseOfFromVoc() {
    assertThat(new PixelBox(0, 0, 10, 10).toVoc()).isEqualTo(new VocBox(1, 1, 10, 10));
    assertThat(new PixelBox(137, 94, 395, 375).toVoc()).isEqualTo(new VocBox(138, 95, 395, 375));
    for (PixelBox b : new PixelBox[] {new PixelBox(0, 0, 1, 1), new PixelBox(3, 8, 17, 9),
        PixelBox.fullImage(500, 375)}) {
      assertThat(PixelBox.fromVoc(b.toVoc())).isEqualTo(b);
    }
  }

  @Test
  void thePublishedDetectionKeepsTheCoordinatesAndSoIsNotTheSamePixels() {
    PixelBox box = new PixelBox(0, 0, 10, 10);

    assertThat(box.asPublishedDetection()).isEqualTo(new VocBox(0, 0, 10, 10));
    assertThat(box.asPublishedDetection()).isNotEqualTo(box.toVoc());
  }

  @Test
  void fromVocInAnImageClipsToTheImage() {
    // Touching the border: xmax = width ends on the last column.
    assertThat(PixelBox.fromVoc(new VocBox(1, 1, 100, 50), 100, 50))
        .isEqualTo(new PixelBox(0, 0, 100, 50));
    // Reaching outside on every side.
    assertThat(PixelBox.fromVoc(new VocBox(-4, 0, 130, 60), 100, 50))
        .isEqualTo(new PixelBox(0, 0, 100, 50));
    // Inside, the clipped and the exact conversion agree.
    assertThat(PixelBox.fromVoc(new VocBox(11, 21, 30, 40), 100, 50))
        .isEqualTo(PixelBox.fromVoc(new VocBox(11, 21, 30, 40)));
  }

  @Test
  void fromVocRejectsFractionalBoxesAndBoxesWithoutPixels() {
    assertThatThrownBy(() -> PixelBox.fromVoc(new VocBox(1.5, 1, 10, 10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole pixels");
    assertThatThrownBy(() -> PixelBox.fromVoc(new VocBox(1, 1, 10, 10.25), 20, 20))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole pixels");
    // VOC x = 0 is left of the first pixel: only the clipped conversion accepts it.
    assertThatThrownBy(() -> PixelBox.fromVoc(new VocBox(0, 1, 10, 10)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PixelBox.fromVoc(new VocBox(101, 1, 110, 10), 100, 50))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no pixel inside");
  }

  @Test
  void squaredDistanceIsToTheNearestCoveredPixel() {
    PixelBox box = new PixelBox(10, 10, 20, 20); // pixels 10..19

    assertThat(box.squaredDistanceTo(15, 15)).isZero();
    assertThat(box.squaredDistanceTo(19, 19)).isZero();
    assertThat(box.squaredDistanceTo(20, 15)).isEqualTo(1);
    assertThat(box.squaredDistanceTo(5, 15)).isEqualTo(25);
    assertThat(box.squaredDistanceTo(22, 23)).isEqualTo(3 * 3 + 4 * 4);
    assertThat(box.squaredDistanceTo(7, 6)).isEqualTo(3 * 3 + 4 * 4);
  }
}
