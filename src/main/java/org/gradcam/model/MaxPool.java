package org.gradcam.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Max pooling as TensorFlow's {@code MaxPool} op, window and strides as attributes. TF Java's
 * {@code nn.maxPool} builds {@code MaxPoolV2}, whose window and strides are tensors: oneDNN's
 * graph rewrite does not take it, so it runs TensorFlow's own kernel, which at batch 1 costs
 * SqueezeNet's first pool several times oneDNN's (see {@code ./gradcam speed --only ort}). The
 * values are the same bit for bit (a maximum does not round).
 */
public final class MaxPool {
  private MaxPool() {}

  /** NHWC max pooling of {@code x}, named by {@code named}'s scope. */
  @SuppressWarnings("unchecked")
  public static Operand<TFloat32> of(Ops named, Operand<TFloat32> x, long windowH, long windowW,
      long strideH, long strideW, String padding) {
    return (Operand<TFloat32>) (Operand<?>) named.scope().opBuilder("MaxPool", "MaxPool")
        .addInput(x.asOutput())
        .setAttr("ksize", new long[] {1, windowH, windowW, 1})
        .setAttr("strides", new long[] {1, strideH, strideW, 1})
        .setAttr("padding", padding)
        .build().output(0);
  }
}
