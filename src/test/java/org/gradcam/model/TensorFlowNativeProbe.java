package org.gradcam.model;

import java.util.Random;

/**
 * Run in a fresh JVM by {@link TensorFlowNativeTest}: loads TensorFlow, prints whether straight
 * from the cache, then the logits of SqueezeNet 1.1 (random weights) on a seeded input as hex.
 */
public final class TensorFlowNativeProbe {
  public static void main(String[] args) {
    System.out.println("direct=" + TensorFlowNative.load());
    try (Model model = SqueezeNet11.random(7)) {
      float[] x = new float[model.spec().inputLength()];
      Random rnd = new Random(3);
      for (int i = 0; i < x.length; i++) {
        x[i] = rnd.nextFloat() * 2 - 1;
      }
      StringBuilder logits = new StringBuilder();
      for (float v : model.logits(x, 1)) {
        logits.append(Integer.toHexString(Float.floatToRawIntBits(v))).append(' ');
      }
      System.out.println("logits=" + logits);
    }
  }
}
