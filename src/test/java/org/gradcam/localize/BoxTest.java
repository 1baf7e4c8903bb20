package org.gradcam.localize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BoxTest {

  @Test
  void sizesUseExclusiveUpperBounds() {
    Box box = new Box(2, 3, 10, 7);

    assertThat(box.width()).isEqualTo(8);
    assertThat(box.height()).isEqualTo(4);
    assertThat(box.area()).isEqualTo(32);
    assertThat(box.toArray()).containsExactly(2, 3, 10, 7);
    assertThat(box).hasToString("[2, 3, 10, 7]");
  }

  @Test
  void areaDoesNotOverflow() {
    assertThat(Box.fullImage(100_000, 100_000).area()).isEqualTo(10_000_000_000L);
  }

  @Test
  void rejectsEmptyOrNegativeBoxes() {
    assertThatThrownBy(() -> new Box(3, 0, 3, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Box(0, 5, 3, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Box(-1, 0, 3, 2)).isInstanceOf(IllegalArgumentException.class);
  }
}
