package org.gradcam.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Access to the fixtures written by {@code src/test/python/make_image_fixtures.py}. */
final class Fixtures {
  private Fixtures() {}

  static Path path(String name) {
    URL url = Fixtures.class.getResource("/image/" + name);
    assertThat(url).as("test resource image/%s", name).isNotNull();
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static BufferedImage image(String name) throws IOException {
    return Images.read(path(name));
  }

  /** Largest absolute difference of any channel of any pixel; sizes must match. */
  static int maxChannelDifference(BufferedImage a, BufferedImage b) {
    assertThat(a.getWidth()).as("width").isEqualTo(b.getWidth());
    assertThat(a.getHeight()).as("height").isEqualTo(b.getHeight());
    int[] pa = Images.packedRgb(a);
    int[] pb = Images.packedRgb(b);
    int max = 0;
    for (int i = 0; i < pa.length; i++) {
      for (int shift = 0; shift <= 16; shift += 8) {
        int d = Math.abs(((pa[i] >>> shift) & 0xFF) - ((pb[i] >>> shift) & 0xFF));
        max = Math.max(max, d);
      }
    }
    return max;
  }

  /** Number of pixels differing in any channel. */
  static int differingPixels(BufferedImage a, BufferedImage b) {
    int[] pa = Images.packedRgb(a);
    int[] pb = Images.packedRgb(b);
    int n = 0;
    for (int i = 0; i < pa.length; i++) {
      if (pa[i] != pb[i]) {
        n++;
      }
    }
    return n;
  }
}
