package org.gradcam.faithfulness;

import org.gradcam.model.ModelSpec;

/**
 * What a pixel becomes when it is deleted (deletion curve), or what the picture starts from
 * before pixels are revealed (insertion curve): RISE's {@code substrate_fn}. Works on the resized
 * picture in pixel space (RGB 0..255, height x width x 3 row-major), before the model's
 * preprocessing.
 */
@FunctionalInterface
public interface Substrate {

  /** The substrate picture for {@code pixels}, same layout and size. */
  float[] of(float[] pixels, int height, int width, ModelSpec.Preprocessor preprocessor);

  /**
   * Every pixel the colour whose preprocessed value is 0 ({@link InputZero}): RISE's deletion
   * substrate {@code torch.zeros_like} on the normalised input.
   */
  static Substrate inputZero() {
    return (pixels, height, width, preprocessor) -> fill(InputZero.colour(preprocessor),
        pixels.length);
  }

  /** Every pixel one colour, e.g. black. */
  static Substrate constant(float r, float g, float b) {
    return (pixels, height, width, preprocessor) -> fill(new float[] {r, g, b}, pixels.length);
  }

  /**
   * RISE's insertion substrate: the picture blurred by {@code gkern(klen, sigma)} (see
   * {@link GaussianBlur}), {@code klen = 11}, {@code sigma = 5} in the RISE evaluation notebook.
   * RISE convolves the normalised tensor with zero padding; padding the picture with the
   * {@link InputZero} colour instead gives the same input after (affine) preprocessing.
   */
  static Substrate blur(int klen, double sigma) {
    GaussianBlur blur = new GaussianBlur(klen, sigma);
    return (pixels, height, width, preprocessor) -> blur.apply(pixels, height, width,
        InputZero.colour(preprocessor));
  }

  /** {@code blur(11, 5)}, the RISE notebook's insertion substrate. */
  static Substrate riseBlur() {
    return blur(11, 5);
  }

  private static float[] fill(float[] rgb, int length) {
    float[] out = new float[length];
    for (int i = 0; i < length; i++) {
      out[i] = rgb[i % 3];
    }
    return out;
  }
}
