package org.gradcam.cam;

/**
 * An input-resolution saliency map of one image for one target (class -1: a class set):
 * {@code height x width x 3} signed values, channels-last, row-major ({@code values[(y * width +
 * x) * 3 + c]}), in the colour channel order of the model's input.
 */
public record Saliency(int image, int targetClass, int height, int width, float[] values) {

  public Saliency {
    if (values.length != 3L * height * width) {
      throw new IllegalArgumentException("saliency " + height + "x" + width + "x3 needs "
          + 3L * height * width + " values, got " + values.length);
    }
  }
}
