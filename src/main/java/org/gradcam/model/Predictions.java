package org.gradcam.model;

import java.util.stream.IntStream;

/** Ranking helpers over logits. */
public final class Predictions {
  private Predictions() {}

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
