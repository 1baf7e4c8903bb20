package org.gradcam.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** pytorch-grad-cam's deprocess_image, computed by hand. */
class SaliencyPictureTest {

  private static int[] rgb(BufferedImage img, int x, int y) {
    int v = img.getRGB(x, y);
    return new int[] {(v >> 16) & 255, (v >> 8) & 255, v & 255};
  }

  @Test
  void standardisedAroundMidGreyAndTruncated() {
    // Two pixels, values 0 0 0 | 0 0 6: mean 1, std sqrt(5) = 2.2360680 (+1e-5).
    // 0 -> (0 - 1) / 2.2360780 * 0.1 + 0.5 = 0.4552788, * 255 = 116.10 -> 116;
    // 6 -> 5 / 2.2360780 * 0.1 + 0.5 = 0.7236059, * 255 = 184.52 -> 184.
    float[] v = {0, 0, 0, 0, 0, 6};
    BufferedImage rgbOrder = SaliencyPicture.render(v, 1, 2, false);
    assertThat(rgb(rgbOrder, 0, 0)).containsExactly(116, 116, 116);
    assertThat(rgb(rgbOrder, 1, 0)).containsExactly(116, 116, 184);
    // Blue-first input: the third value is red.
    BufferedImage bgr = SaliencyPicture.render(v, 1, 2, true);
    assertThat(rgb(bgr, 1, 0)).containsExactly(184, 116, 116);
  }

  @Test
  void clippedToTheByteRange() {
    // 27 values, one 1: mean 1/27, std sqrt(26)/27 = 0.1888526; the 1 is 5.099 std above the
    // mean -> 1.0099, clipped to 1 -> 255; a 0 -> 0.5 - 0.0196106 = 0.4803894 -> 122.499 -> 122.
    float[] v = new float[27];
    v[13] = 1;
    BufferedImage img = SaliencyPicture.render(v, 3, 3, false);
    assertThat(rgb(img, 1, 1)).containsExactly(122, 255, 122);
    assertThat(rgb(img, 0, 0)).containsExactly(122, 122, 122);
  }

  @Test
  void wrongLengthIsRefused() {
    assertThatThrownBy(() -> SaliencyPicture.render(new float[5], 1, 2, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 6 values");
  }
}
