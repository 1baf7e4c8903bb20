package org.gradcam.cam;

import com.google.auto.service.AutoService;
import jakarta.annotation.Priority;

/**
 * Grad-CAM (Selvaraju et al. 2017): each channel is weighted by the spatial mean of the
 * gradient of the class score with respect to it, computed per image.
 */
@AutoService(MapMethod.class)
@Priority(10)
public final class GradCam extends ChannelWeightedCam {

  @Override
  public String name() {
    return "gradcam";
  }

  @Override
  protected float[] channelWeights(FeatureMaps activations, FeatureMaps gradients) {
    return gradients.spatialMean();
  }
}
