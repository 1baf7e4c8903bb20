package org.gradcam.cam;

/**
 * An input-resolution saliency map of one image for one target (class -1: a class set):
 * {@code height x width x channels} signed values (3, or 1 for a grey model), channels-last,
 * row-major ({@code values[(y * width + x) * channels + c]}), in the colour channel order of the
 * model's input.
 */
public record Saliency(int image, int targetClass, int height, int width, float[] values) {

  public Saliency {
    if (values.length != 3L * height * width && values.length != (long) height * width) {
      throw new IllegalArgumentException("saliency " + height + "x" + width + " needs "
          + 3L * height * width + " values (3 channels) or " + (long) height * width
          + " (1 channel), got " + values.length);
    }
  }

  /** 3, or 1 for a grey model's input. */
  public int channels() {
    return values.length / (height * width);
  }
}
