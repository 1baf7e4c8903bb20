package org.gradcam.model;

import java.awt.image.BufferedImage;
import org.gradcam.image.Images;
import org.gradcam.image.Resize;
import org.gradcam.image.Resize.Interpolation;

/**
 * What a caller must know to feed a model: its square input size, whether its input tensor is
 * channels-first (NCHW, PyTorch/ONNX weights) or channels-last (NHWC, Keras), the layer
 * Grad-CAM uses by default, the model's own {@code preprocess_input}, and its graph batch.
 *
 * <p>{@code graphBatch} is the one batch size the graph is ever run at: TensorFlow's CPU kernels
 * choose their algorithms (and so their float rounding) by the tensor shapes, so an image gives
 * other bits at batch 3 than at batch 4. {@link Model} therefore cuts every batch into runs of
 * exactly this many rows, padding the last with zeros, which makes every number of an image
 * independent of the batch it came in. Each model module picks the size that gives it the best
 * throughput without making a single image wait for a large run.
 */
public record ModelSpec(int inputSize, boolean channelsFirst, String defaultLayer,
    Preprocessor preprocessor, int graphBatch) {

  /** The graph batch of a model module that does not choose one. */
  public static final int DEFAULT_GRAPH_BATCH = 8;

  public ModelSpec {
    if (graphBatch < 1) {
      throw new IllegalArgumentException("graph batch must be >= 1, got " + graphBatch);
    }
  }

  public ModelSpec(int inputSize, boolean channelsFirst, String defaultLayer,
      Preprocessor preprocessor) {
    this(inputSize, channelsFirst, defaultLayer, preprocessor, DEFAULT_GRAPH_BATCH);
  }

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
