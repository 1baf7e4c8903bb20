package org.gradcam.cam;

import com.google.auto.service.AutoService;
import jakarta.annotation.Priority;
import java.util.ArrayList;
import java.util.List;
import org.gradcam.image.HeatmapUpsampler;
import org.gradcam.model.Model;

/**
 * Guided Grad-CAM (Selvaraju et al. 2017): Guided Backpropagation times the Grad-CAM map,
 * bilinearly upsampled to the input size and divided by its maximum ({@link
 * Heatmap#normalized()}), the same map for all three colour channels. pytorch-grad-cam's example
 * multiplies by its min-max scaled map instead; the two differ only where Grad-CAM's minimum is
 * above zero.
 */
@AutoService(SaliencyMethod.class)
@Priority(20)
public final class GuidedGradCam implements SaliencyMethod {
  /** The command-line name. */
  public static final String NAME = "guidedgradcam";

  @Override
  public String name() {
    return NAME;
  }

  /** One saliency per image and target, in {@link Explainer#explain}'s order. */
  @Override
  public List<Saliency> explain(Model model, String layer, float[] batch, int n, Target target) {
    Explainer gradCam = new Explainer(model, layer != null ? layer : model.defaultLayer(),
        new GradCam());
    List<Explanation> cams = gradCam.explain(batch, n, target);
    int[] images = cams.stream().mapToInt(Explanation::image).toArray();
    int[] classes = cams.stream().mapToInt(Explanation::targetClass).toArray();
    List<Saliency> gb = GuidedBackprop.saliency(model, batch, images, classes, target);
    List<Saliency> out = new ArrayList<>(cams.size());
    for (int r = 0; r < cams.size(); r++) {
      Heatmap map = cams.get(r).heatmap();
      Saliency s = gb.get(r);
      float[] up = HeatmapUpsampler.upsample(map.normalized(), map.height(), map.width(),
          s.height(), s.width());
      float[] v = s.values().clone();
      int channels = s.channels();
      for (int p = 0; p < up.length; p++) {
        for (int c = 0; c < channels; c++) {
          v[p * channels + c] *= up[p];
        }
      }
      out.add(new Saliency(s.image(), s.targetClass(), s.height(), s.width(), v));
    }
    return out;
  }
}
