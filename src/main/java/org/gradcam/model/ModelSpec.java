package org.gradcam.model;

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

  public int inputLength() {
    return 3 * inputSize * inputSize;
  }
}
