package org.gradcam.model;

import java.io.IOException;
import java.util.Random;

/** Supplies a layer's kernel and bias, checked against the shape the architecture expects. */
@FunctionalInterface
public interface LayerWeights {

  /** Returns {kernel, bias}, flattened in C order, for the named layer. */
  float[][] get(String layer, long[] kernelShape) throws IOException;

  /**
   * He-initialised random kernels and zero biases for kernels whose last axis is the output
   * (HWIO, or {@code [in, out]}): for tests and benchmarks, where the values do not matter.
   */
  static LayerWeights random(long seed) {
    Random rnd = new Random(seed);
    return (layer, shape) -> {
      long fanIn = 1;
      for (int i = 0; i < shape.length - 1; i++) {
        fanIn *= shape[i];
      }
      float[] w = new float[(int) (fanIn * shape[shape.length - 1])];
      float scale = (float) Math.sqrt(2.0 / fanIn);
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) rnd.nextGaussian() * scale;
      }
      return new float[][] {w, new float[(int) shape[shape.length - 1]]};
    };
  }
}
