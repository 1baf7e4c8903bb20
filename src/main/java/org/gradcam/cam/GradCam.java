package org.gradcam.cam;

/**
 * Grad-CAM (Selvaraju et al. 2017): each channel is weighted by the spatial mean of the
 * gradient of the class score with respect to it, computed per image.
 */
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
