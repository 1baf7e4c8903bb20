package org.gradcam.model;

import java.awt.image.BufferedImage;
import org.gradcam.image.Images;
import org.gradcam.image.Resize;
import org.gradcam.image.Resize.Interpolation;

/**
 * What a caller must know to feed a model: its input height, width and channels (1 or 3),
 * whether its input tensor is channels-first (NCHW, PyTorch/ONNX weights) or channels-last
 * (NHWC, Keras), the layer Grad-CAM uses by default, the model's own {@code preprocess_input},
 * and its graph batch.
 *
 * <p>{@code graphBatch} is the one batch size the graph is ever run at: TensorFlow's CPU kernels
 * choose their algorithms (and so their float rounding) by the tensor shapes, so an image gives
 * other bits at batch 3 than at batch 4. {@link Model} therefore cuts every batch into runs of
 * exactly this many rows, padding the last with zeros, which makes every number of an image
 * independent of the batch it came in. Each model module picks the size that gives it the best
 * throughput without making a single image wait for a large run.
 */
public record ModelSpec(int height, int width, int channels, boolean channelsFirst,
    String defaultLayer, Preprocessor preprocessor, int graphBatch) {

  /** The graph batch of a model module that does not choose one. */
  public static final int DEFAULT_GRAPH_BATCH = 8;

  public ModelSpec {
    if (graphBatch < 1) {
      throw new IllegalArgumentException("graph batch must be >= 1, got " + graphBatch);
    }
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException("input size must be >= 1, got " + height + "x" + width);
    }
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("input must have 1 or 3 channels, got " + channels);
    }
  }

  /** A square RGB input. */
  public ModelSpec(int inputSize, boolean channelsFirst, String defaultLayer,
      Preprocessor preprocessor, int graphBatch) {
    this(inputSize, inputSize, 3, channelsFirst, defaultLayer, preprocessor, graphBatch);
  }

  public ModelSpec(int inputSize, boolean channelsFirst, String defaultLayer,
      Preprocessor preprocessor) {
    this(inputSize, channelsFirst, defaultLayer, preprocessor, DEFAULT_GRAPH_BATCH);
  }

  /**
   * Turns pixels (0..255, HWC, row-major; RGB, or one grey value per pixel for a 1-channel
   * model) of one resized image into the model's input.
   */
  @FunctionalInterface
  public interface Preprocessor {
    float[] apply(float[] rgbHwc, int height, int width);
  }

  /** The same contract run at another graph batch. */
  public ModelSpec withGraphBatch(int batch) {
    return new ModelSpec(height, width, channels, channelsFirst, defaultLayer, preprocessor, batch);
  }

  /** The same contract with another preprocessing. */
  public ModelSpec withPreprocessor(Preprocessor p) {
    return new ModelSpec(height, width, channels, channelsFirst, defaultLayer, p, graphBatch);
  }

  /**
   * The side of a square input, for code written for square models.
   *
   * @throws IllegalStateException for a non-square input, naming its size
   */
  public int inputSize() {
    if (height != width) {
      throw new IllegalStateException("this needs a square model input; the model's is "
          + height + "x" + width);
    }
    return height;
  }

  /** The input shape of one image, without the batch axis. */
  public long[] inputShape() {
    return channelsFirst ? new long[] {channels, height, width}
        : new long[] {height, width, channels};
  }

  /**
   * One image as the model's input: resized to the input size (as Keras {@code load_img} with
   * {@code target_size}), converted to grey for a 1-channel model (Pillow's {@code L}), then the
   * model's own preprocessing.
   */
  public float[] input(BufferedImage image, Interpolation interpolation) {
    BufferedImage resized = Resize.resize(image, width, height, interpolation);
    float[] rgb = Images.toHwcFloats(resized);
    return preprocessor.apply(channels == 1 ? grey(rgb) : rgb, height, width);
  }

  /** Pillow's RGB to L: {@code L = R * 299/1000 + G * 587/1000 + B * 114/1000}, rounded. */
  static float[] grey(float[] rgb) {
    float[] out = new float[rgb.length / 3];
    for (int i = 0; i < out.length; i++) {
      // Pillow's integer form (ImagingConvert, L24 = 19595, 38470, 7471, rounded by 0x8000).
      int r = (int) rgb[3 * i];
      int g = (int) rgb[3 * i + 1];
      int b = (int) rgb[3 * i + 2];
      out[i] = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
    }
    return out;
  }

  public int inputLength() {
    return channels * height * width;
  }
}
