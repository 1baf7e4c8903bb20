package org.gradcam.faithfulness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.gradcam.model.ModelSpec;
import org.gradcam.model.SqueezeNet11;
import org.gradcam.model.Vgg16;
import org.junit.jupiter.api.Test;

class SubstrateTest {
  static final ModelSpec.Preprocessor IDENTITY = (p, h, w) -> p.clone();

  @Test
  void riseKernelMatchesScipyGaussianFilterOfADelta() {
    // scipy.ndimage.gaussian_filter(delta 11x11 at (5,5), 5): values printed by SciPy.
    GaussianBlur blur = new GaussianBlur(11, 5);
    assertThat(blur.kernel(5, 5)).isCloseTo(0.008832628216191647, within(1e-15));
    assertThat(blur.kernel(0, 0)).isCloseTo(0.007736635408576913, within(1e-15));
    assertThat(blur.kernel(5, 0)).isCloseTo(0.008266488021414163, within(1e-15));
    assertThat(blur.kernel(2, 7)).isCloseTo(0.00834091731367335, within(1e-15));
    double sum = 0;
    for (int i = 0; i < 11; i++) {
      for (int j = 0; j < 11; j++) {
        sum += blur.kernel(i, j);
      }
    }
    assertThat(sum).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void blurMatchesAZeroPaddedConvolution() {
    // 3 rows x 4 columns x RGB, values 7 * i; reference: NumPy correlation of the zero-padded
    // picture with the SciPy kernel, as RISE's conv2d(x, kern, padding=5) does.
    float[] picture = new float[36];
    for (int i = 0; i < 36; i++) {
      picture[i] = 7 * i;
    }
    float[] out = Substrate.riseBlur().of(picture, 3, 4, IDENTITY);
    double[][] want = {
        {11.865400019164106, 12.589993812721904, 13.314587606279702}, // (0,0)
        {12.122089095276529, 12.855976708598915, 13.5898643219213}, // (1,2)
        {12.04619516824323, 12.77078896180103, 13.495382755358825}}; // (2,3)
    int[] at = {0, 1 * 4 + 2, 2 * 4 + 3};
    for (int k = 0; k < 3; k++) {
      for (int c = 0; c < 3; c++) {
        assertThat((double) out[at[k] * 3 + c]).isCloseTo(want[k][c], within(1e-4));
      }
    }
  }

  @Test
  void inputZeroIsTheImageNetMeanColourForBothPreprocessings() {
    float[] torch = InputZero.colour(SqueezeNet11::preprocessInput);
    assertThat(torch[0]).isCloseTo(0.485f * 255, within(1e-3f));
    assertThat(torch[1]).isCloseTo(0.456f * 255, within(1e-3f));
    assertThat(torch[2]).isCloseTo(0.406f * 255, within(1e-3f));
    float[] caffe = InputZero.colour(Vgg16::preprocessInput);
    assertThat(caffe[0]).isCloseTo(123.68f, within(1e-3f));
    assertThat(caffe[1]).isCloseTo(116.779f, within(1e-3f));
    assertThat(caffe[2]).isCloseTo(103.939f, within(1e-3f));
    for (float v : SqueezeNet11.preprocessInput(torch, 1, 1)) {
      assertThat(v).isCloseTo(0f, within(1e-5f));
    }
    assertThatThrownBy(() -> InputZero.colour((p, h, w) -> new float[] {p[0] * p[0], p[1], p[2]}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Masking and blurring in pixel space, then preprocessing, gives the model input RISE builds by
   * blurring the normalised tensor with zero padding (here SqueezeNet's NCHW normalisation).
   */
  @Test
  void pixelSpaceBlurEqualsRiseBlurOfTheNormalisedInput() {
    int h = 5;
    int w = 7;
    float[] picture = CausalMetricTest.random(h * w * 3, 9);
    float[] ours = SqueezeNet11.preprocessInput(
        Substrate.riseBlur().of(picture, h, w, SqueezeNet11::preprocessInput), h, w);
    float[] chw = SqueezeNet11.preprocessInput(picture, h, w);
    GaussianBlur k = new GaussianBlur(11, 5);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double s = 0;
          for (int i = -5; i <= 5; i++) {
            for (int j = -5; j <= 5; j++) {
              int yy = y + i;
              int xx = x + j;
              if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                s += k.kernel(i + 5, j + 5) * chw[c * h * w + yy * w + xx];
              }
            }
          }
          assertThat((double) ours[c * h * w + y * w + x]).isCloseTo(s, within(1e-4));
        }
      }
    }
  }
}
