package org.gradcam.cam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.gradcam.registry.Registry;

/**
 * The CAM methods by command-line name, for {@code --method}: each call returns a new instance.
 * A method registers itself ({@code @AutoService(MapMethod.class)} or {@code
 * (SaliencyMethod.class)}, listed by its {@code @Priority}; see {@link Registry}). The map
 * methods ({@link #names()}) give a map at a layer's resolution and run everywhere (explain,
 * localize, benchmark, serve, analyze-errors); the saliency methods ({@link #saliencyNames()}:
 * Guided Backpropagation, Guided Grad-CAM) give an input-resolution picture through the backward
 * pass to the input, so only {@code explain} takes them.
 */
public final class CamMethods {
  private static final Map<String, ServiceLoader.Provider<MapMethod>> METHODS =
      byTheirName(Registry.of(MapMethod.class), MapMethod::name);
  private static final Map<String, ServiceLoader.Provider<SaliencyMethod>> SALIENCY =
      byTheirName(Registry.of(SaliencyMethod.class), SaliencyMethod::name);

  /** The default method's name. */
  public static final String DEFAULT = "gradcam";

  private CamMethods() {}

  private static <T> Map<String, ServiceLoader.Provider<T>> byTheirName(
      List<ServiceLoader.Provider<T>> providers, Function<T, String> name) {
    Map<String, ServiceLoader.Provider<T>> out = new LinkedHashMap<>();
    for (ServiceLoader.Provider<T> p : providers) {
      out.put(name.apply(p.get()), p);
    }
    return out;
  }

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
    ServiceLoader.Provider<MapMethod> p = name == null ? null
        : METHODS.get(name.toLowerCase(Locale.ROOT));
    if (p == null) {
      throw new IllegalArgumentException("unknown CAM method '" + name + "'; valid methods: "
          + String.join(", ", names()) + " (explain also takes "
          + String.join(", ", saliencyNames()) + ")");
    }
    return p.get();
  }

  /** A new instance of the named saliency method; the name is case-insensitive. */
  public static SaliencyMethod saliency(String name) {
    if (!isSaliency(name)) {
      throw new IllegalArgumentException("unknown saliency method '" + name + "'; valid: "
          + String.join(", ", saliencyNames()));
    }
    return SALIENCY.get(name.toLowerCase(Locale.ROOT)).get();
  }
}
