package org.gradcam.cam;

import com.google.auto.service.AutoService;
import jakarta.annotation.Priority;

/**
 * HiResCAM (Draelos and Carin 2020), as pytorch-grad-cam's {@code HiResCAM}: the gradients
 * multiply the activations element-wise, without spatial pooling,
 * {@code map_ij = relu(sum_k g_kij * A_kij)}.
 */
@AutoService(MapMethod.class)
@Priority(40)
public final class HiResCam implements CamMethod {

  @Override
  public String name() {
    return "hirescam";
  }

  @Override
  public float[] map(FeatureMaps activations, FeatureMaps gradients) {
    return ElementwiseCam.map(activations, gradients, false);
  }
}
