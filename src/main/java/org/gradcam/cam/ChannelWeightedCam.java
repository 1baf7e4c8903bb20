package org.gradcam.cam;

/**
 * The CAM family whose map is {@code ReLU(sum_k w_k A_k)}: a method only says how the channel
 * weights {@code w_k} come from the activations and gradients.
 */
public abstract class ChannelWeightedCam implements CamMethod {

  /** One weight per channel. */
  protected abstract float[] channelWeights(FeatureMaps activations, FeatureMaps gradients);

  @Override
  public final float[] map(FeatureMaps activations, FeatureMaps gradients) {
    return weightedSum(activations, channelWeights(activations, gradients));
  }

  /** {@code ReLU(sum_k w_k A_k)} at each pixel. */
  static float[] weightedSum(FeatureMaps activations, float[] w) {
    int pixels = activations.height() * activations.width();
    int channels = activations.channels();
    float[] a = activations.values();
    float[] out = new float[pixels];
    for (int p = 0; p < pixels; p++) {
      double sum = 0;
      for (int k = 0; k < channels; k++) {
        sum += w[k] * a[p * channels + k];
      }
      out[p] = (float) Math.max(0, sum);
    }
    return out;
  }
}
