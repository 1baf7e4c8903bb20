package org.gradcam.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ColormapTest {
  @Test
  void knownMatplotlibColours() {
    // Printed by matplotlib 3.6.3: cmap(v, bytes=True).
    assertThat(Colormap.VIRIDIS.rgb(0.0)).isEqualTo(0x440154);
    assertThat(Colormap.VIRIDIS.rgb(1.0)).isEqualTo(0xFDE724);
    assertThat(Colormap.JET.rgb(0.5)).isEqualTo(0x7CFF79);
    assertThat(Colormap.JET.rgb(0.0)).isEqualTo(0x00007F);
    assertThat(Colormap.GRAY.rgb(1.0)).isEqualTo(0xFFFFFF);
  }

  /**
   * The seven maps added for users of the seeds' guides, from matplotlib's published definitions
   * ({@code _cm.py}) by hand: entry {@code i} is the curve at {@code x = i / 255}, each component
   * truncated from {@code 255 * value}.
   */
  @Test
  void addedMapsFollowMatplotlibsSegmentData() {
    // rainbow = (|2x - 0.5|, sin(pi x), cos(pi x / 2)), clipped to [0, 1]
    assertThat(Colormap.RAINBOW.rgb(0.0)).isEqualTo(0x7F00FF); // 0.5 * 255 = 127.5
    assertThat(Colormap.RAINBOW.rgb(1.0)).isEqualTo(0xFF0000);
    // cool: red x, green 1 - x, blue 1; spring: red 1, green x, blue 1 - x
    assertThat(Colormap.COOL.rgb(0.0)).isEqualTo(0x00FFFF);
    assertThat(Colormap.COOL.rgb(1.0)).isEqualTo(0xFF00FF);
    assertThat(Colormap.COOL.rgb(0.5)).isEqualTo(rgb(128, 127, 255)); // 128/255, 127/255
    assertThat(Colormap.SPRING.rgb(0.0)).isEqualTo(0xFF00FF);
    assertThat(Colormap.SPRING.rgb(1.0)).isEqualTo(0xFFFF00);
    // summer: red x, green 0.5 + x / 2, blue 0.4; autumn: red 1, green x, blue 0
    assertThat(Colormap.SUMMER.rgb(0.0)).isEqualTo(rgb(0, 127, 102));
    assertThat(Colormap.SUMMER.rgb(1.0)).isEqualTo(rgb(255, 255, 102));
    assertThat(Colormap.AUTUMN.rgb(0.0)).isEqualTo(0xFF0000);
    assertThat(Colormap.AUTUMN.rgb(1.0)).isEqualTo(0xFFFF00);
    // winter: red 0, green x, blue 1 - x / 2
    assertThat(Colormap.WINTER.rgb(0.0)).isEqualTo(0x0000FF);
    assertThat(Colormap.WINTER.rgb(1.0)).isEqualTo(rgb(0, 255, 127));
    // bone, at entry 128 (x = 128/255 = 0.50196): red 0.652778 x / 0.746032 = 7/8 x = 0.43922
    // -> 112 (255 * 7/8 * 128/255 = 112 exactly; a hair below with the 6-digit constants);
    // green 0.319444 + (x - 0.365079) (0.777778 - 0.319444) / (0.746032 - 0.365079) = 0.48335
    // -> 123; blue 0.444444 + (x - 0.365079) 0.555556 / 0.634921 = 0.56422 -> 143
    assertThat(Colormap.BONE.rgb(0.5)).isEqualTo(rgb(112, 123, 143));
    assertThat(Colormap.BONE.rgb(0.0)).isEqualTo(0x000000);
    assertThat(Colormap.BONE.rgb(1.0)).isEqualTo(0xFFFFFF);
  }

  private static int rgb(int r, int g, int b) {
    return (r << 16) | (g << 8) | b;
  }

  @Test
  void equalsMatplotlibSamples() throws IOException {
    List<String> lines = Files.readAllLines(Fixtures.path("colormap_samples.csv"));
    assertThat(lines).hasSizeGreaterThan(15 * 10);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      int expected = (Integer.parseInt(f[2]) << 16) | (Integer.parseInt(f[3]) << 8)
          | Integer.parseInt(f[4]);
      assertThat(Colormap.byName(f[0]).rgb(Double.parseDouble(f[1])))
          .as("%s(%s)", f[0], f[1]).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @EnumSource(Colormap.class)
  void everyMapHas256Entries(Colormap map) {
    assertThat(map.table()).hasSize(256);
  }

  @Test
  void indexFollowsMatplotlib() {
    assertThat(Colormap.index(0.0)).isZero();
    assertThat(Colormap.index(1.0 / 256 - 1e-12)).isZero();
    assertThat(Colormap.index(1.0 / 256)).isEqualTo(1);
    assertThat(Colormap.index(0.5)).isEqualTo(128);
    assertThat(Colormap.index(1.0)).isEqualTo(255);
    assertThat(Colormap.index(-3)).isZero();
    assertThat(Colormap.index(7)).isEqualTo(255);
    assertThat(Colormap.index(Double.POSITIVE_INFINITY)).isEqualTo(255);
  }

  @Test
  void nanIsRejected() {
    assertThatThrownBy(() -> Colormap.JET.rgb(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
  }

  @Test
  void byNameIgnoresCaseAndListsValidNames() {
    assertThat(Colormap.byName("Viridis")).isEqualTo(Colormap.VIRIDIS);
    assertThat(Colormap.byName(" turbo ")).isEqualTo(Colormap.TURBO);
    assertThat(Colormap.byName("Bone")).isEqualTo(Colormap.BONE);
    assertThatThrownBy(() -> Colormap.byName("cividis"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'cividis'")
        .hasMessageContaining("jet, viridis, inferno, magma, plasma, hot, turbo, gray, rainbow, "
            + "cool, spring, summer, autumn, winter, bone");
  }

  @Test
  void tableIsACopy() {
    int[] table = Colormap.HOT.table();
    table[0] = 42;
    assertThat(Colormap.HOT.table()[0]).isNotEqualTo(42);
  }
}
