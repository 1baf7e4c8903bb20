package org.gradcam.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.util.Arrays;
import org.gradcam.data.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeatmapUpsamplerTest {
  @Test
  void twoByTwoToFourByFourByHand() {
    // Output x samples input (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped to [0, 1]:
    // weights of the second column 0, 0.25, 0.75, 1; the same for rows.
    float[] map = {0, 1,
                   2, 3};
    float[] out = HeatmapUpsampler.upsample(map, 2, 2, 4, 4);
    assertThat(out).containsExactly(new float[] {
        0.0f, 0.25f, 0.75f, 1.0f,
        0.5f, 0.75f, 1.25f, 1.5f,
        1.5f, 1.75f, 2.25f, 2.5f,
        2.0f, 2.25f, 2.75f, 3.0f}, within(1e-6f));
  }

  @ParameterizedTest
  @ValueSource(strings = {"heat_14x14_to_37x50", "heat_7x5_to_31x23", "heat_2x3_to_9x4"})
  void equalsNumpyAndScipy(String stem) throws IOException {
    Npy in = Npy.read(Fixtures.path(stem + ".npy"));
    Npy expected = Npy.read(Fixtures.path(stem + "_expected.npy"));
    long[] s = in.shape();
    long[] t = expected.shape();

    float[] out = HeatmapUpsampler.upsample(
        in.floats(), (int) s[0], (int) s[1], (int) t[0], (int) t[1]);

    assertThat(out).containsExactly(expected.floats(), within(1e-6f));
  }

  @Test
  void constantMapStaysConstant() {
    float[] map = new float[14 * 14];
    Arrays.fill(map, 0.3f);
    assertThat(HeatmapUpsampler.upsample(map, 14, 14, 375, 500)).containsOnly(0.3f);
  }

  @Test
  void rejectsWrongLength() {
    assertThatThrownBy(() -> HeatmapUpsampler.upsample(new float[5], 2, 3, 4, 4))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2x3 = 6");
  }
}
