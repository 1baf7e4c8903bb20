package org.gradcam.model;

import java.awt.image.BufferedImage;
import org.gradcam.image.Images;
import org.gradcam.image.Resize;
import org.gradcam.image.Resize.Interpolation;

/**
 * What a caller must know to feed a model: its square input size, whether its input tensor is
 * channels-first (NCHW, PyTorch/ONNX weights) or channels-last (NHWC, Keras), the layer
 * Grad-CAM uses by default and the model's own {@code preprocess_input}.
 */
public record ModelSpec(int inputSize, boolean channelsFirst, String defaultLayer,
    Preprocessor preprocessor) {

  /** Turns RGB pixels (0..255, HWC, row-major) of one resized image into the model's input. */
  @FunctionalInterface
  public interface Preprocessor {
    float[] apply(float[] rgbHwc, int height, int width);
  }

  /** The input shape of one image, without the batch axis. */
  public long[] inputShape() {
    return channelsFirst ? new long[] {3, inputSize, inputSize}
        : new long[] {inputSize, inputSize, 3};
  }

  /**
   * One image as the model's input: resized to the input size (as Keras {@code load_img} with
   * {@code target_size}), then the model's own preprocessing.
   */
  public float[] input(BufferedImage image, Interpolation interpolation) {
    BufferedImage resized = Resize.resize(image, inputSize, inputSize, interpolation);
    return preprocessor.apply(Images.toHwcFloats(resized), inputSize, inputSize);
  }

  public int inputLength() {
    return 3 * inputSize * inputSize;
  }
}
