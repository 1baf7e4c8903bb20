package org.gradcam.cam;

/** The shared sum of HiResCAM and LayerCAM: {@code relu(sum_k g'_k * A_k)} per pixel. */
final class ElementwiseCam {
  private ElementwiseCam() {}

  /** With {@code positiveGradients}, {@code g' = relu(g)}; otherwise {@code g' = g}. */
  static float[] map(FeatureMaps activations, FeatureMaps gradients, boolean positiveGradients) {
    int pixels = activations.height() * activations.width();
    int channels = activations.channels();
    float[] a = activations.values();
    float[] g = gradients.values();
    float[] out = new float[pixels];
    for (int p = 0; p < pixels; p++) {
      double sum = 0;
      for (int k = 0; k < channels; k++) {
        int i = p * channels + k;
        double gk = positiveGradients ? Math.max(0, g[i]) : g[i];
        sum += gk * a[i];
      }
      out[p] = (float) Math.max(0, sum);
    }
    return out;
  }
}
