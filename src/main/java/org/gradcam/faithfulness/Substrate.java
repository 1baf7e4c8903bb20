package org.gradcam.faithfulness;

import org.gradcam.model.ModelSpec;

/**
 * What a pixel becomes when it is deleted (deletion curve), or what the picture starts from
 * before pixels are revealed (insertion curve): RISE's {@code substrate_fn}. Works on the resized
 * picture in pixel space (0..255, height x width x channels row-major: RGB, or grey for a
 * 1-channel model), before the model's preprocessing.
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
    return (pixels, height, width, preprocessor) -> fill(InputZero.colour(preprocessor,
        channels(pixels, height, width)), pixels.length);
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
        InputZero.colour(preprocessor, channels(pixels, height, width)));
  }

  /** {@code blur(11, 5)}, the RISE notebook's insertion substrate. */
  static Substrate riseBlur() {
    return blur(11, 5);
  }

  private static float[] fill(float[] colour, int length) {
    float[] out = new float[length];
    for (int i = 0; i < length; i++) {
      out[i] = colour[i % colour.length];
    }
    return out;
  }

  /** 1 (grey) or 3 (RGB), from the picture's length. */
  private static int channels(float[] pixels, int height, int width) {
    return pixels.length == height * width ? 1 : 3;
  }
}
