package org.gradcam.cam;

/**
 * LayerCAM (Jiang et al. 2021), as pytorch-grad-cam's {@code LayerCAM}: the positive part of the
 * gradients multiplies the activations element-wise, {@code map_ij = relu(sum_k relu(g_kij) *
 * A_kij)}.
 */
public final class LayerCam implements CamMethod {

  @Override
  public String name() {
    return "layercam";
  }

  @Override
  public float[] map(FeatureMaps activations, FeatureMaps gradients) {
    return ElementwiseCam.map(activations, gradients, true);
  }
}
