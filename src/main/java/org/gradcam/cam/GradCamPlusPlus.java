package org.gradcam.cam;

import com.google.auto.service.AutoService;
import jakarta.annotation.Priority;

/**
 * Grad-CAM++ (Chattopadhyay et al. 2018), as pytorch-grad-cam's {@code GradCAMPlusPlus}: per
 * channel {@code k} and pixel {@code ij},
 *
 * <pre>
 *   alpha_ij = g_ij^2 / (2 g_ij^2 + (sum_ab A_ab) g_ij^3 + eps)   (0 where g_ij == 0)
 *   w_k      = sum_ij alpha_ij * relu(g_ij)
 * </pre>
 *
 * <p>The paper's equation 19 needs the second and third derivatives of the class score. With the
 * score taken as {@code exp(S)} (the paper's section 3.3) those derivatives are powers of the
 * first derivative of {@code S} times {@code exp(S)}, and {@code exp(S)} cancels in alpha; so, as
 * in pytorch-grad-cam, only the ordinary gradient {@code g = dS/dA} is needed. The remaining
 * {@code exp(S)} factor of the weights is a positive per-image constant that the map's max
 * normalisation removes, so it is left out. {@code eps = 1e-6}.
 */
@AutoService(MapMethod.class)
@Priority(20)
public final class GradCamPlusPlus extends ChannelWeightedCam {
  static final double EPS = 1e-6;

  @Override
  public String name() {
    return "gradcam++";
  }

  @Override
  protected float[] channelWeights(FeatureMaps activations, FeatureMaps gradients) {
    int pixels = activations.height() * activations.width();
    int channels = activations.channels();
    float[] g = gradients.values();
    double[] sumA = activations.spatialSum();
    float[] w = new float[channels];
    for (int k = 0; k < channels; k++) {
      double sum = 0;
      for (int p = 0; p < pixels; p++) {
        double gk = g[p * channels + k];
        if (gk > 0) { // relu(g) is 0 otherwise, and alpha is 0 where g == 0
          double g2 = gk * gk;
          sum += g2 / (2 * g2 + sumA[k] * g2 * gk + EPS) * gk;
        }
      }
      w[k] = (float) sum;
    }
    return w;
  }
}
