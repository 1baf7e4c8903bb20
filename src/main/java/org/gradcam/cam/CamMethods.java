package org.gradcam.cam;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The map methods by command-line name, for {@code --method}: each call returns a new instance.
 * Guided Backpropagation and Guided Grad-CAM are not here: they give input-resolution saliency,
 * not a layer-resolution map (see {@link GuidedBackprop}, {@link GuidedGradCam}).
 */
public final class CamMethods {
  private static final Map<String, Supplier<MapMethod>> METHODS = new LinkedHashMap<>();

  static {
    for (Supplier<MapMethod> s : List.<Supplier<MapMethod>>of(GradCam::new, GradCamPlusPlus::new,
        XGradCam::new, HiResCam::new, LayerCam::new, EigenCam::new, CounterfactualGradCam::new,
        ScoreCam::new)) {
      METHODS.put(s.get().name(), s);
    }
  }

  /** The default method's name. */
  public static final String DEFAULT = "gradcam";

  private CamMethods() {}

  /** All valid names, the default first. */
  public static List<String> names() {
    return List.copyOf(METHODS.keySet());
  }

  /** A new instance of the named method; the name is case-insensitive. */
  public static MapMethod byName(String name) {
    Supplier<MapMethod> s = name == null ? null
        : METHODS.get(name.toLowerCase(java.util.Locale.ROOT));
    if (s == null) {
      throw new IllegalArgumentException("unknown CAM method '" + name + "'; valid methods: "
          + String.join(", ", names()));
    }
    return s.get();
  }
}
