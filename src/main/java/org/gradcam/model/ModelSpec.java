package org.gradcam.model;

import java.awt.image.BufferedImage;
import org.gradcam.image.CenterCrop;
import org.gradcam.image.HeatmapUpsampler;
import org.gradcam.image.Images;
import org.gradcam.image.Resize;
import org.gradcam.image.Resize.Interpolation;

/**
 * What a caller must know to feed a model: its input height, width and channels (1 or 3),
 * whether its input tensor is channels-first (NCHW, PyTorch/ONNX weights) or channels-last
 * (NHWC, Keras), the layer Grad-CAM uses by default, the model's own {@code preprocess_input},
 * its graph batch, and, if the model's contract says so, torchvision's resize of the short side
 * and center crop ({@code crop}, null: the whole image resized to the input size).
 *
 * <p>{@code graphBatch} is the one batch size the graph is ever run at: TensorFlow's CPU kernels
 * choose their algorithms (and so their float rounding) by the tensor shapes, so an image gives
 * other bits at batch 3 than at batch 4. {@link Model} therefore cuts every batch into runs of
 * exactly this many rows, padding the last with zeros, which makes every number of an image
 * independent of the batch it came in. Each model module picks the size that gives it the best
 * throughput without making a single image wait for a large run.
 */
public record ModelSpec(int height, int width, int channels, boolean channelsFirst,
    String defaultLayer, Preprocessor preprocessor, int graphBatch, CenterCrop crop) {

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
    if (crop != null && (crop.cropHeight() != height || crop.cropWidth() != width)) {
      throw new IllegalArgumentException("the center crop " + crop.cropHeight() + "x"
          + crop.cropWidth() + " (height x width) must be the model's input size " + height
          + "x" + width);
    }
  }

  /** The whole image resized to the input size (no crop). */
  public ModelSpec(int height, int width, int channels, boolean channelsFirst,
      String defaultLayer, Preprocessor preprocessor, int graphBatch) {
    this(height, width, channels, channelsFirst, defaultLayer, preprocessor, graphBatch, null);
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
    return new ModelSpec(height, width, channels, channelsFirst, defaultLayer, preprocessor, batch,
        crop);
  }

  /** The same contract with another preprocessing. */
  public ModelSpec withPreprocessor(Preprocessor p) {
    return new ModelSpec(height, width, channels, channelsFirst, defaultLayer, p, graphBatch,
        crop);
  }

  /** The same contract with torchvision's resize of the short side and center crop (or none). */
  public ModelSpec withCrop(CenterCrop c) {
    return new ModelSpec(height, width, channels, channelsFirst, defaultLayer, preprocessor,
        graphBatch, c);
  }

  /**
   * The side a decoder may reduce an image to without losing what the input needs: the
   * input's longer side, or with a center crop the short side it is resized to.
   */
  public int decodeSide() {
    return crop != null ? crop.resizeShort() : Math.max(height, width);
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
   * {@code target_size}), or resized on its short side and center-cropped when the contract has
   * a {@link #crop()}, converted to grey for a 1-channel model (Pillow's {@code L}), then the
   * model's own preprocessing.
   */
  public float[] input(BufferedImage image, Interpolation interpolation) {
    return preprocessor.apply(pixels(image, interpolation), height, width);
  }

  /**
   * The pixels (0..255, {@code height x width x channels} row-major) the model's preprocessing
   * takes for {@code image}: {@link #input} before the preprocessing.
   */
  public float[] pixels(BufferedImage image, Interpolation interpolation) {
    BufferedImage resized = crop != null ? crop.apply(image, interpolation)
        : Resize.resize(image, width, height, interpolation);
    float[] rgb = Images.toHwcFloats(resized);
    return channels == 1 ? grey(rgb) : rgb;
  }

  /**
   * A map of the model's input ({@code mapHeight x mapWidth}, e.g. a layer's map) on a {@code
   * width x height} original image: bilinearly upsampled to the whole image, or, with a crop,
   * onto the crop's rectangle with 0 elsewhere ({@link CenterCrop#mapOnImage}).
   */
  public float[] mapOnImage(float[] map, int mapHeight, int mapWidth, int imageWidth,
      int imageHeight) {
    return crop != null ? crop.mapOnImage(map, mapHeight, mapWidth, imageWidth, imageHeight)
        : HeatmapUpsampler.upsample(map, mapHeight, mapWidth, imageHeight, imageWidth);
  }

  /** How an image becomes the input's pixels, for summaries: "resized to 224x224 (bilinear)". */
  public String resizing(Interpolation interpolation) {
    String filter = interpolation.name().toLowerCase(java.util.Locale.ROOT);
    return crop != null ? crop + " (Pillow " + filter + ")"
        : "resized to " + height + "x" + width + " (Pillow " + filter + ")";
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
