package org.gradcam.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.gradcam.eval.Iou.Convention.CONTINUOUS;
import static org.gradcam.eval.Iou.Convention.INCLUSIVE_PIXELS;

import java.util.Random;
import org.gradcam.data.PixelBox;
import org.gradcam.data.VocBox;
import org.junit.jupiter.api.Test;

/** The one IoU and its two conventions, against hand-computed cases and pixel counting. */
class IouTest {

  @Test
  void pixelBoxesMeasureTheirPixelSets() {
    // Columns 0..9 and 5..14, rows 0..9: 50 shared of 150 covered.
    assertThat(Iou.of(new PixelBox(0, 0, 10, 10), new PixelBox(5, 0, 15, 10)))
        .isCloseTo(1.0 / 3, within(1e-15));
    // Exclusive stops: boxes that meet at x = 5 share no pixel.
    assertThat(Iou.of(new PixelBox(0, 0, 5, 5), new PixelBox(5, 0, 10, 5))).isZero();
    assertThat(Iou.of(new PixelBox(3, 4, 9, 8), new PixelBox(3, 4, 9, 8))).isEqualTo(1.0);
  }

  @Test
  void pixelIouEqualsCountingPixels() {
    Random random = new Random(12);
    for (int i = 0; i < 500; i++) {
      PixelBox a = randomBox(random);
      PixelBox b = randomBox(random);
      long inter = 0;
      long union = 0;
      for (int y = 0; y < 30; y++) {
        for (int x = 0; x < 30; x++) {
          boolean inA = a.contains(x, y);
          boolean inB = b.contains(x, y);
          inter += inA && inB ? 1 : 0;
          union += inA || inB ? 1 : 0;
        }
      }
      assertThat(Iou.of(a, b)).as("%s %s", a, b).isCloseTo(inter / (double) union, within(1e-12));
    }
  }

  @Test
  void inclusiveVocCornersAndExclusiveStopsAreTheSameMeasure() {
    // The devkit's +1 on 1-based inclusive corners and no +1 on 0-based exclusive stops count
    // the same pixels, so the one formula serves both.
    PixelBox a = new PixelBox(3, 4, 17, 12);
    PixelBox b = new PixelBox(0, 0, 10, 10);
    double continuousOnStops = Iou.of(new VocBox(3, 4, 17, 12), new VocBox(0, 0, 10, 10),
        CONTINUOUS);
    double devkitOnVoc = Iou.of(new VocBox(4, 5, 17, 12), new VocBox(1, 1, 10, 10),
        INCLUSIVE_PIXELS);
    // 7 x 6 shared pixels of 14 * 8 + 100.
    assertThat(continuousOnStops).isCloseTo(42.0 / (112 + 100 - 42), within(1e-15));
    assertThat(devkitOnVoc).isCloseTo(continuousOnStops, within(1e-15));
    assertThat(Iou.of(a, b)).isCloseTo(continuousOnStops, within(1e-15));
  }

  @Test
  void devkitConventionAddsOneToEveryWidthAndHeight() {
    VocBox a = new VocBox(1, 1, 2, 2);
    VocBox b = new VocBox(2, 2, 3, 3);

    assertThat(Iou.area(a, INCLUSIVE_PIXELS)).isEqualTo(4.0);
    assertThat(Iou.area(a, CONTINUOUS)).isEqualTo(1.0);
    assertThat(Iou.intersection(a, b, INCLUSIVE_PIXELS)).isEqualTo(1.0);
    assertThat(Iou.intersection(a, b, CONTINUOUS)).isZero();
    // A one-pixel VOC box has equal corners: one pixel with +1, nothing without.
    VocBox pixel = new VocBox(5, 5, 5, 5);
    assertThat(Iou.area(pixel, INCLUSIVE_PIXELS)).isEqualTo(1.0);
    assertThat(Iou.of(pixel, pixel, INCLUSIVE_PIXELS)).isEqualTo(1.0);
  }

  @Test
  void thePublishedComparisonOfOurBoxesIsOnePixelOff() {
    // Our box covering VOC's pixels 1..10 exactly, compared the published way (0-based,
    // exclusive coordinates read as VOC's): [0, 10] inclusive is 11 x 11 pixels holding the
    // ground truth's 10 x 10, so IoU 100 / 121 instead of 1.
    PixelBox ours = new PixelBox(0, 0, 10, 10);
    VocBox gt = new VocBox(1, 1, 10, 10);

    assertThat(Iou.of(ours.asPublishedDetection(), gt, INCLUSIVE_PIXELS))
        .isCloseTo(100.0 / 121, within(1e-15));
    assertThat(Iou.of(ours.toVoc(), gt, INCLUSIVE_PIXELS)).isEqualTo(1.0);
  }

  @Test
  void disjointBoxesHaveNoIntersectionInEitherConvention() {
    VocBox a = new VocBox(0, 0, 4, 4);
    VocBox far = new VocBox(10, 10, 12, 14);

    assertThat(Iou.of(a, far, INCLUSIVE_PIXELS)).isZero();
    assertThat(Iou.of(a, far, CONTINUOUS)).isZero();
    // Apart in x only: the negative width must not meet a negative height and multiply to > 0.
    assertThat(Iou.intersection(a, new VocBox(10, 10, 12, 2), CONTINUOUS)).isZero();
  }

  private static PixelBox randomBox(Random random) {
    int x0 = random.nextInt(29);
    int y0 = random.nextInt(29);
    return new PixelBox(x0, y0, x0 + 1 + random.nextInt(30 - x0 - 1),
        y0 + 1 + random.nextInt(30 - y0 - 1));
  }
}
