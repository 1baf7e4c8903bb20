package org.gradcam.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

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

  @Test
  void equalsMatplotlibSamples() throws IOException {
    List<String> lines = Files.readAllLines(Fixtures.path("colormap_samples.csv"));
    assertThat(lines).hasSizeGreaterThan(8 * 10);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      int expected = (Integer.parseInt(f[2]) << 16) | (Integer.parseInt(f[3]) << 8)
          | Integer.parseInt(f[4]);
      assertThat(Colormap.byName(f[0]).rgb(Double.parseDouble(f[1])))
          .as("%s(%s)", f[0], f[1]).isEqualTo(expected);
    }
  }

  @Test
  void everyMapHas256Entries() {
    for (Colormap map : Colormap.values()) {
      assertThat(map.table()).as(map.matplotlibName()).hasSize(256);
    }
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
    assertThatThrownBy(() -> Colormap.byName("rainbow"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'rainbow'")
        .hasMessageContaining("jet, viridis, inferno, magma, plasma, hot, turbo, gray");
  }

  @Test
  void tableIsACopy() {
    int[] table = Colormap.HOT.table();
    table[0] = 42;
    assertThat(Colormap.HOT.table()[0]).isNotEqualTo(42);
  }
}
