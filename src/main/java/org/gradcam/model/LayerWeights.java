package org.gradcam.model;

import java.io.IOException;
import java.util.SplittableRandom;

/** Supplies a layer's kernel and bias, checked against the shape the architecture expects. */
@FunctionalInterface
public interface LayerWeights {

  /** Returns {kernel, bias}, flattened in C order, for the named layer. */
  float[][] get(String layer, long[] kernelShape) throws IOException;

  /**
   * He-initialised random kernels (uniform in {@code +-sqrt(6 / fanIn)}, the variance
   * {@code 2 / fanIn} of He's normal) and zero biases for kernels whose last axis is the output
   * (HWIO, or {@code [in, out]}): for tests and benchmarks, where the values do not matter.
   * Uniform from a {@link SplittableRandom}, because Gaussians from {@code Random} took seconds
   * of VGG16's cold start for its 138 M weights.
   */
  static LayerWeights random(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    return (layer, shape) -> {
      long fanIn = 1;
      for (int i = 0; i < shape.length - 1; i++) {
        fanIn *= shape[i];
      }
      float[] w = new float[(int) (fanIn * shape[shape.length - 1])];
      double limit = Math.sqrt(6.0 / fanIn);
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) rnd.nextDouble(-limit, limit);
      }
      return new float[][] {w, new float[(int) shape[shape.length - 1]]};
    };
  }
}
