package org.gradcam.model;

import java.util.List;
import java.util.stream.IntStream;

/** Ranking helpers over logits, and their probabilities. */
public final class Predictions {
  /** How probabilities come from logits: softmax (one class) or sigmoid (multi-label). */
  public static final List<String> ACTIVATIONS = List.of("softmax", "sigmoid");

  private Predictions() {}

  /** {@code activation}, checked to be one of {@link #ACTIVATIONS}. */
  public static String activation(String activation) {
    if (!ACTIVATIONS.contains(activation)) {
      throw new IllegalArgumentException("unknown output activation '" + activation
          + "'; available: " + String.join(", ", ACTIVATIONS));
    }
    return activation;
  }

  /** The probabilities of {@code count} logits from {@code offset} by {@code activation}. */
  public static double[] probabilities(String activation, float[] logits, int offset,
      int count) {
    if (activation(activation).equals("softmax")) {
      return softmax(logits, offset, count);
    }
    double[] p = new double[count];
    for (int i = 0; i < count; i++) {
      p[i] = 1 / (1 + Math.exp(-(double) logits[offset + i]));
    }
    return p;
  }

  /** Indices of the {@code k} largest of {@code count} values starting at {@code offset}. */
  public static int[] topIndices(float[] values, int offset, int count, int k) {
    return IntStream.range(0, count).boxed()
        .sorted((a, b) -> Float.compare(values[offset + b], values[offset + a]))
        .limit(k).mapToInt(Integer::intValue).toArray();
  }

  /** Softmax of {@code count} logits starting at {@code offset}, computed stably. */
  public static double[] softmax(float[] logits, int offset, int count) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < count; i++) {
      max = Math.max(max, logits[offset + i]);
    }
    double[] out = new double[count];
    double sum = 0;
    for (int i = 0; i < count; i++) {
      out[i] = Math.exp(logits[offset + i] - max);
      sum += out[i];
    }
    for (int i = 0; i < count; i++) {
      out[i] /= sum;
    }
    return out;
  }
}
