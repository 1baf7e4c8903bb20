package org.gradcam.cam;

/**
 * A CAM method that, besides the target layer's activations, needs the model's score of the
 * target on perturbed copies of the input (e.g. Score-CAM). {@link Explainer} supplies the input
 * and a {@link Scorer}; gradient-only methods stay {@link CamMethod}s.
 */
public interface PerturbationCam extends MapMethod {

  /**
   * The target's score for each of {@code m} inputs laid out back to back in the model's input
   * layout: {@code sum_c seed_c * softmax(logits)_c} with the explanation's seed, i.e. the
   * target class' softmax probability (for a class set, the sum of its probabilities).
   */
  @FunctionalInterface
  interface Scorer {
    float[] score(float[] inputs, int m);
  }

  /**
   * The image being explained: its model input ({@code channels x height x width}, channels-first
   * or channels-last as {@code channelsFirst} says; 1 or 3 channels), a scorer for perturbed
   * copies of it, and the rows of one graph run of the model ({@code ModelSpec#graphBatch}): the
   * scorer is cheapest called with a multiple of it, since every run is padded to that many rows.
   */
  record Input(float[] values, int height, int width, int channels, boolean channelsFirst,
      Scorer scorer, int graphBatch) {
    public Input {
      if (values.length != (long) channels * height * width) {
        throw new IllegalArgumentException("input of " + height + "x" + width + "x" + channels
            + " needs " + (long) channels * height * width + " values, got " + values.length);
      }
      if (graphBatch < 1) {
        throw new IllegalArgumentException("graph batch must be >= 1, got " + graphBatch);
      }
    }

    /** A square RGB input. */
    public Input(float[] values, int size, boolean channelsFirst, Scorer scorer, int graphBatch) {
      this(values, size, size, 3, channelsFirst, scorer, graphBatch);
    }

    /** A square RGB input and a scorer without a preferred batch (graph batch 1). */
    public Input(float[] values, int size, boolean channelsFirst, Scorer scorer) {
      this(values, size, channelsFirst, scorer, 1);
    }

    /** The value of channel {@code c} at pixel {@code p = y * width + x}. */
    public int index(int p, int c) {
      return channelsFirst ? c * height * width + p : p * channels + c;
    }
  }

  /** The raw map, {@code height x width} row-major, at the layer's resolution. */
  float[] map(FeatureMaps activations, Input input);
}
