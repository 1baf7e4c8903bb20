package org.gradcam.cam;

import com.google.auto.service.AutoService;
import jakarta.annotation.Priority;

/**
 * XGrad-CAM (Fu et al. 2020), as pytorch-grad-cam's {@code XGradCAM}: each channel is weighted
 * by its gradient averaged with the channel's own normalised activations as weights,
 * {@code w_k = sum_ij(g_ij * A_ij) / (sum_ij A_ij + eps)}, {@code eps = 1e-7}.
 */
@AutoService(MapMethod.class)
@Priority(30)
public final class XGradCam extends ChannelWeightedCam {
  static final double EPS = 1e-7;

  @Override
  public String name() {
    return "xgradcam";
  }

  @Override
  protected float[] channelWeights(FeatureMaps activations, FeatureMaps gradients) {
    int pixels = activations.height() * activations.width();
    int channels = activations.channels();
    float[] a = activations.values();
    float[] g = gradients.values();
    double[] sumA = activations.spatialSum();
    double[] ga = new double[channels];
    for (int p = 0; p < pixels; p++) {
      for (int k = 0; k < channels; k++) {
        int i = p * channels + k;
        ga[k] += (double) g[i] * a[i];
      }
    }
    float[] w = new float[channels];
    for (int k = 0; k < channels; k++) {
      w[k] = (float) (ga[k] / (sumA[k] + EPS));
    }
    return w;
  }
}
