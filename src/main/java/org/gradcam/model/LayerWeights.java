package org.gradcam.model;

import java.io.IOException;

/** Supplies a layer's kernel and bias, checked against the shape the architecture expects. */
@FunctionalInterface
public interface LayerWeights {

  /** Returns {kernel, bias}, flattened in C order, for the named layer. */
  float[][] get(String layer, long[] kernelShape) throws IOException;
}
