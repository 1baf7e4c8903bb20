package org.gradcam.faithfulness;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.gradcam.cam.Heatmap;
import org.gradcam.model.Predictions;
import org.gradcam.image.HeatmapUpsampler;
import org.gradcam.image.Resize;
import org.gradcam.model.Model;
import org.gradcam.model.ModelSpec;

/**
 * RISE's causal metrics (Petsiuk et al. 2018, section 4.1; {@code eclique/RISE evaluation.py},
 * class {@code CausalMetric}), for one picture and one saliency map:
 *
 * <ul>
 *   <li><b>deletion</b>: starting from the picture, pixels are replaced by the substrate in order
 *       of decreasing saliency; a faithful map makes the probability drop fast (low AUC is good).
 *       RISE's substrate: zeros of the normalised input ({@link Substrate#inputZero()});
 *   <li><b>insertion</b>: starting from the substrate, the picture's pixels are revealed in the
 *       same order; the probability should rise fast (high AUC is good). RISE's substrate: the
 *       blurred picture ({@link Substrate#riseBlur()}).
 * </ul>
 *
 * <p>Definitions as implemented:
 *
 * <ul>
 *   <li><b>Where</b>: on the picture as the model's input ({@link ModelSpec#pixels}: resized to
 *       the input size, or resized on its short side and center-cropped), in pixel space (RGB
 *       0..255; grey for a 1-channel model); each of the {@code steps + 1} pictures is then
 *       preprocessed like any input. A pixel is changed in all its channels at once. The map is upsampled (bilinear, half-pixel
 *       centres) from the layer's resolution to the input size.
 *   <li><b>Order</b>: decreasing map value; ties (e.g. the zero region of a ReLU'd map) in raster
 *       order, first pixel first. RISE flips NumPy's unstable ascending {@code argsort}, which
 *       leaves the order of ties unspecified.
 *   <li><b>Steps</b>: after step {@code i} the first {@code floor(i * N / steps)} pixels of the
 *       order are changed ({@code N = height * width}); point {@code i} is at fraction {@code
 *       floor(i * N / steps) / N}. RISE changes {@code 224} pixels per step (224 steps at
 *       224 x 224, {@link #RISE_STEPS}); the default here is {@value #DEFAULT_STEPS} steps of
 *       1792 pixels at 224 x 224 to keep a benchmark affordable on CPU. The first point is
 *       the unchanged start, the last the finished picture (all substrate for deletion, the
 *       picture itself for insertion).
 *   <li><b>Score</b>: the softmax probability of the explained class, or the summed probability
 *       of a class set (e.g. all ImageNet dog classes). RISE scores the top-1 class of the
 *       picture.
 *   <li><b>AUC</b>: {@link Curve#auc()}, trapezoidal over the fraction in [0, 1].
 *   <li><b>Batching</b>: the {@code steps + 1} inputs go through {@link Model#logits} in batches
 *       of {@code batchSize}; the batch size does not change the result.
 * </ul>
 */
public record CausalMetric(Mode mode, int steps, Substrate substrate, int batchSize) {
  /** RISE's step of 224 pixels at 224 x 224. */
  public static final int RISE_STEPS = 224;
  public static final int DEFAULT_STEPS = 28;
  public static final int DEFAULT_BATCH = 15;

  public enum Mode {
    DELETION, INSERTION
  }

  public CausalMetric {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
  }

  /** Deletion to the zero input, {@value #DEFAULT_STEPS} steps. */
  public static CausalMetric deletion() {
    return new CausalMetric(Mode.DELETION, DEFAULT_STEPS, Substrate.inputZero(), DEFAULT_BATCH);
  }

  /** Insertion from the RISE blur, {@value #DEFAULT_STEPS} steps. */
  public static CausalMetric insertion() {
    return new CausalMetric(Mode.INSERTION, DEFAULT_STEPS, Substrate.riseBlur(), DEFAULT_BATCH);
  }

  public CausalMetric withSteps(int newSteps) {
    return new CausalMetric(mode, newSteps, substrate, batchSize);
  }

  public CausalMetric withBatchSize(int newBatchSize) {
    return new CausalMetric(mode, steps, substrate, newBatchSize);
  }

  /**
   * The curve of an image and a layer-resolution map: the image is made the model's input as
   * {@link ModelSpec#input} does ({@link ModelSpec#pixels}: resized or center-cropped, grey for a
   * 1-channel model) and the map upsampled to it.
   */
  public Curve run(Model model, BufferedImage image, Resize.Interpolation interpolation,
      Heatmap map, int[] classes) {
    ModelSpec spec = model.spec();
    float[] pixels = spec.pixels(image, interpolation);
    float[] saliency = HeatmapUpsampler.upsample(map.raw(), map.height(), map.width(),
        spec.height(), spec.width());
    return run(model, pixels, saliency, classes);
  }

  /**
   * @param pixels the resized picture, 0..255, {@code height x width x channels} row-major in
   *     the model's input size and channels (RGB, or grey for a 1-channel model)
   * @param saliency {@code height x width} row-major, higher = more important
   * @param classes the scored classes; their probabilities are summed
   */
  public Curve run(Model model, float[] pixels, float[] saliency, int[] classes) {
    ModelSpec spec = model.spec();
    int height = spec.height();
    int width = spec.width();
    int channels = spec.channels();
    int n = height * width;
    if (pixels.length != channels * n || saliency.length != n) {
      throw new IllegalArgumentException("need a " + height + "x" + width + "x" + channels
          + " picture and a " + height + "x" + width + " map, got " + pixels.length
          + " pixel values and " + saliency.length + " map values");
    }
    if (classes.length == 0) {
      throw new IllegalArgumentException("no class to score");
    }
    for (int c : classes) {
      if (c < 0 || c >= model.numClasses()) {
        throw new IllegalArgumentException("class " + c + " out of range 0.."
            + (model.numClasses() - 1));
      }
    }
    int[] order = descendingOrder(saliency);
    float[] sub = substrate.of(pixels, height, width, spec.preprocessor());
    float[] current = (mode == Mode.DELETION ? pixels : sub).clone();
    float[] finish = mode == Mode.DELETION ? sub : pixels;

    double[] fractions = new double[steps + 1];
    double[] probabilities = new double[steps + 1];
    int length = spec.inputLength();
    float[] batch = new float[Math.min(batchSize, steps + 1) * length];
    int inBatch = 0;
    int first = 0;
    int changed = 0;
    for (int i = 0; i <= steps; i++) {
      int target = (int) ((long) i * n / steps);
      for (; changed < target; changed++) {
        int p = order[changed] * channels;
        for (int c = 0; c < channels; c++) {
          current[p + c] = finish[p + c];
        }
      }
      fractions[i] = changed / (double) n;
      float[] input = spec.preprocessor().apply(current, height, width);
      System.arraycopy(input, 0, batch, inBatch * length, length);
      inBatch++;
      if (inBatch * length == batch.length || i == steps) {
        score(model, batch, inBatch, classes, probabilities, first);
        first += inBatch;
        inBatch = 0;
      }
    }
    return new Curve(fractions, probabilities);
  }

  private static void score(Model model, float[] batch, int count, int[] classes, double[] out,
      int first) {
    float[] in = count * model.spec().inputLength() == batch.length ? batch
        : Arrays.copyOf(batch, count * model.spec().inputLength());
    float[] logits = model.logits(in, count);
    int k = model.numClasses();
    for (int j = 0; j < count; j++) {
      double[] p = Predictions.softmax(logits, j * k, k);
      double sum = 0;
      for (int c : classes) {
        sum += p[c];
      }
      out[first + j] = sum;
    }
  }

  /** Indices by decreasing value, ties by increasing index. */
  static int[] descendingOrder(float[] values) {
    for (int i = 0; i < values.length; i++) {
      if (Float.isNaN(values[i])) {
        throw new IllegalArgumentException("saliency map has NaN at index " + i);
      }
    }
    // One primitive sort of (value, index) keys instead of a comparator over boxed indices,
    // which cost about a third of a curve's graph time: high half the value's bits mapped to a
    // descending order, low half the index, so ties keep raster order.
    long[] keys = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      // -0.0 ties with 0.0, as the comparison operators have it.
      int bits = Float.floatToIntBits(values[i] == 0f ? 0f : values[i]);
      int ascending = bits ^ ((bits >> 31) & 0x7FFFFFFF); // signed-int order = float order
      keys[i] = ((long) ~ascending << 32) | i;
    }
    Arrays.sort(keys);
    int[] out = new int[keys.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (int) keys[i];
    }
    return out;
  }
}
