package org.gradcam.cam;

import java.util.List;
import org.gradcam.model.Model;

/**
 * A method that explains an image at the input's resolution, through the model's backward pass
 * down to the input (Guided Backprop, Guided Grad-CAM), instead of with a map at a layer's
 * resolution ({@link MapMethod}). {@link CamMethods} lists them by name beside the map methods.
 */
public interface SaliencyMethod {

  /** The name used on the command line, e.g. {@code guidedbackprop}. */
  String name();

  /**
   * One saliency per image and target of {@code model}, images and (for top-k) ranks in order,
   * as {@link Explainer#explain} orders its explanations; {@code layer} is the Grad-CAM layer of
   * the methods that use one (Guided Grad-CAM), null for the model's default.
   */
  List<Saliency> explain(Model model, String layer, float[] batch, int n, Target target);
}
