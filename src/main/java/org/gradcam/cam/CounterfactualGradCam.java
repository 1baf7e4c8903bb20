package org.gradcam.cam;

import com.google.auto.service.AutoService;
import jakarta.annotation.Priority;

/**
 * Counterfactual Grad-CAM (Selvaraju et al. 2017, section 5.3): Grad-CAM with negated gradients,
 * {@code w_k = mean_ij(-g_ij)}, so the map shows the regions whose activation lowers the class
 * score, i.e. the evidence against the class.
 */
@AutoService(MapMethod.class)
@Priority(70)
public final class CounterfactualGradCam extends ChannelWeightedCam {

  @Override
  public String name() {
    return "counterfactual";
  }

  @Override
  protected float[] channelWeights(FeatureMaps activations, FeatureMaps gradients) {
    float[] w = gradients.spatialMean();
    for (int k = 0; k < w.length; k++) {
      w[k] = -w[k];
    }
    return w;
  }
}
