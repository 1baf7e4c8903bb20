package org.gradcam.cam;

import com.google.auto.service.AutoService;
import jakarta.annotation.Priority;

/**
 * LayerCAM (Jiang et al. 2021), as pytorch-grad-cam's {@code LayerCAM}: the positive part of the
 * gradients multiplies the activations element-wise, {@code map_ij = relu(sum_k relu(g_kij) *
 * A_kij)}.
 */
@AutoService(MapMethod.class)
@Priority(50)
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
