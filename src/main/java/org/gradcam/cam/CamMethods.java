package org.gradcam.cam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.gradcam.model.Model;

/**
 * The CAM methods by command-line name, for {@code --method}: each call returns a new instance.
 * The map methods ({@link #names()}) give a map at a layer's resolution and run everywhere
 * (explain, localize, benchmark, serve, analyze-errors); the saliency methods ({@link
 * #saliencyNames()}: Guided Backpropagation, Guided Grad-CAM) give an input-resolution picture
 * through the backward pass to the input, so only {@code explain} takes them.
 */
public final class CamMethods {
  private static final Map<String, Supplier<MapMethod>> METHODS = new LinkedHashMap<>();
  private static final Map<String, BiFunction<Model, String, SaliencyMethod>> SALIENCY =
      new LinkedHashMap<>();

  static {
    for (Supplier<MapMethod> s : List.<Supplier<MapMethod>>of(GradCam::new, GradCamPlusPlus::new,
        XGradCam::new, HiResCam::new, LayerCam::new, EigenCam::new, CounterfactualGradCam::new,
        ScoreCam::new)) {
      METHODS.put(s.get().name(), s);
    }
    SALIENCY.put(GuidedBackprop.NAME, (model, layer) -> new GuidedBackprop(model));
    SALIENCY.put(GuidedGradCam.NAME, GuidedGradCam::new);
  }

  /** The default method's name. */
  public static final String DEFAULT = "gradcam";

  private CamMethods() {}

  /** The map methods' names, the default first. */
  public static List<String> names() {
    return List.copyOf(METHODS.keySet());
  }

  /** The saliency methods' names. */
  public static List<String> saliencyNames() {
    return List.copyOf(SALIENCY.keySet());
  }

  /** Every method's name: the map methods, then the saliency methods. */
  public static List<String> allNames() {
    List<String> all = new ArrayList<>(METHODS.keySet());
    all.addAll(SALIENCY.keySet());
    return List.copyOf(all);
  }

  /** Whether {@code name} (case-insensitive) is a saliency method. */
  public static boolean isSaliency(String name) {
    return name != null && SALIENCY.containsKey(name.toLowerCase(Locale.ROOT));
  }

  /** A new instance of the named map method; the name is case-insensitive. */
  public static MapMethod byName(String name) {
    if (isSaliency(name)) {
      throw new IllegalArgumentException(name + " explains at the input's resolution, not with "
          + "a layer's map, so only explain takes it; map methods: " + String.join(", ", names()));
    }
    Supplier<MapMethod> s = name == null ? null : METHODS.get(name.toLowerCase(Locale.ROOT));
    if (s == null) {
      throw new IllegalArgumentException("unknown CAM method '" + name + "'; valid methods: "
          + String.join(", ", names()) + " (explain also takes "
          + String.join(", ", saliencyNames()) + ")");
    }
    return s.get();
  }

  /**
   * A new instance of the named saliency method on {@code model}; {@code layer} is the Grad-CAM
   * layer of the methods that use one (Guided Grad-CAM).
   */
  public static SaliencyMethod saliency(String name, Model model, String layer) {
    if (!isSaliency(name)) {
      throw new IllegalArgumentException("unknown saliency method '" + name + "'; valid: "
          + String.join(", ", saliencyNames()));
    }
    return SALIENCY.get(name.toLowerCase(Locale.ROOT)).apply(model, layer);
  }
}
