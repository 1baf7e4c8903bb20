package org.gradcam.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.gradcam.image.Resize.Interpolation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * torchvision's {@code Resize(N)} + {@code CenterCrop} against its own outputs
 * ({@code src/test/python/make_center_crop_fixtures.py}), and the crop's way back onto the
 * original image.
 */
class CenterCropTest {

  static Stream<Arguments> torchvisionCases() throws IOException {
    List<String> lines = Files.readAllLines(Fixtures.path("center_crop_cases.csv"));
    return lines.stream().skip(1).map(l -> l.split(",")).map(f -> Arguments.of(f[0],
        Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
        Interpolation.valueOf(f[4].toUpperCase()), Integer.parseInt(f[5]),
        Integer.parseInt(f[6]), Integer.parseInt(f[7]), Integer.parseInt(f[8]), f[9]));
  }

  @ParameterizedTest(name = "{0} short {1} crop {2}x{3} {4}")
  @MethodSource("torchvisionCases")
  void equalsTorchvision(String input, int resizeShort, int cropHeight, int cropWidth,
      Interpolation method, int resizedWidth, int resizedHeight, int left, int top,
      String expected) throws IOException {
    BufferedImage source = Fixtures.image(input);
    CenterCrop crop = new CenterCrop(resizeShort, cropHeight, cropWidth);
    assertThat(crop.resized(source.getWidth(), source.getHeight()))
        .containsExactly(resizedWidth, resizedHeight);
    assertThat(crop.offsets(resizedWidth, resizedHeight)).containsExactly(left, top);
    BufferedImage actual = crop.apply(source, method);
    BufferedImage torchvision = Fixtures.image(expected);
    assertThat(actual.getWidth()).isEqualTo(cropWidth);
    assertThat(actual.getHeight()).isEqualTo(cropHeight);
    assertThat(Fixtures.differingPixels(actual, torchvision))
        .as("pixels differing from torchvision, max channel difference %d",
            Fixtures.maxChannelDifference(actual, torchvision))
        .isZero();
  }

  @Test
  void regionOnTheOriginalByHand() {
    // 400x300 -> short side 256: 341x256 (int(256 * 400 / 300) = int(341.33)). Crop 224:
    // left round(58.5) = 58 (half to even), top 16. Back by 400/341 and 300/256:
    // x 58 * 1.17302 = 68.04 -> 68, 282 * 1.17302 = 330.79 -> 331;
    // y 16 * 1.171875 = 18.75 -> 19, 240 * 1.171875 = 281.25 -> 281.
    CenterCrop crop = new CenterCrop(256, 224, 224);
    assertThat(crop.resized(400, 300)).containsExactly(341, 256);
    assertThat(crop.offsets(341, 256)).containsExactly(58, 16);
    assertThat(crop.region(400, 300)).isEqualTo(new CenterCrop.Region(68, 19, 331, 281));
  }

  @Test
  void mapLiesOnTheCropRegionAndIsZeroElsewhere() {
    CenterCrop crop = new CenterCrop(256, 224, 224);
    // A 2x2 map, hot in its top-right cell only.
    float[] map = {0, 1, 0, 0};
    float[] full = crop.mapOnImage(map, 2, 2, 400, 300);
    assertThat(full).hasSize(400 * 300);
    CenterCrop.Region r = crop.region(400, 300);
    float[] inside = HeatmapUpsampler.upsample(map, 2, 2, r.height(), r.width());
    double outside = 0;
    for (int y = 0; y < 300; y++) {
      for (int x = 0; x < 400; x++) {
        boolean in = x >= r.x0() && x < r.x1() && y >= r.y0() && y < r.y1();
        float v = full[y * 400 + x];
        if (in) {
          assertThat(v).isEqualTo(inside[(y - r.y0()) * r.width() + (x - r.x0())]);
        } else {
          outside += Math.abs(v);
        }
      }
    }
    assertThat(outside).isZero();
    // The hot cell's corner pixel (the crop's top-right) is the maximum, at the crop's edge.
    assertThat(full[r.y0() * 400 + r.x1() - 1]).isEqualTo(1f);
    assertThat(full[r.y0() * 400 + r.x1()]).isZero();
  }

  @Test
  void aCropLargerThanTheResizedImageIsRefused() {
    // torchvision would pad with zeros; here it is one clear error naming the sizes.
    CenterCrop crop = new CenterCrop(100, 120, 120);
    assertThatThrownBy(() -> crop.offsets(150, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("120x120").hasMessageContaining("100x150")
        .hasMessageContaining("resize the short side to at least the crop's size");
    assertThatThrownBy(() -> new CenterCrop(0, 224, 224))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
