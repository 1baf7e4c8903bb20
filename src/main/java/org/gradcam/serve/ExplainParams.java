package org.gradcam.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.gradcam.cam.CamMethods;
import org.gradcam.cam.MapMethod;
import org.gradcam.cam.Target;
import org.gradcam.image.Colormap;
import org.gradcam.image.Resize.Interpolation;
import org.gradcam.localize.UniformFilter;
import org.gradcam.model.Model;

/**
 * The parameters of one explain request, named as the command line's {@code explain} options
 * ({@code class}, {@code top_k}, {@code layer}, ...), checked before any work is queued: every
 * bad value is a 400 with a message naming the field.
 */
record ExplainParams(Model model, String layer, String methodName, Target target, boolean topK,
    Colormap colormap, double alpha, Interpolation resize, double[] thresholds, int smooth,
    boolean inline) {

  /** The form fields this endpoint knows; any other is an error, not silently ignored. */
  static final Set<String> FIELDS = Set.of("image", "example", "dataset", "dataset_image",
      "model", "layer", "method", "class", "top_k", "colormap", "alpha", "resize", "thresholds",
      "smooth", "inline");

  static final int MAX_THRESHOLDS = 32;

  /** A new method instance per request: methods are cheap and then share nothing. */
  MapMethod method() {
    return CamMethods.byName(methodName);
  }

  static ExplainParams parse(Map<String, String> form, Function<String, Model> models,
      String defaultModel) {
    for (String name : form.keySet()) {
      if (!FIELDS.contains(name)) {
        throw ApiError.badRequest("unknown field '" + name + "'; known fields: "
            + String.join(", ", FIELDS.stream().sorted().toList()));
      }
    }
    Model model = models.apply(form.getOrDefault("model", defaultModel));
    String layer = form.get("layer");
    if (layer == null || layer.isBlank()) {
      layer = model.defaultLayer();
    }
    try {
      model.layer(layer);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
    String method = form.getOrDefault("method", CamMethods.DEFAULT);
    try {
      CamMethods.byName(method);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
    String classText = form.get("class");
    String topKText = form.get("top_k");
    if (classText != null && topKText != null) {
      throw ApiError.badRequest("give class or top_k, not both");
    }
    Target target = Target.top1();
    if (classText != null) {
      target = Target.classIndex(classIndex(classText, model));
    } else if (topKText != null) {
      int k = integer("top_k", topKText);
      if (k < 1 || k > model.numClasses()) {
        throw ApiError.badRequest("top_k must be between 1 and the " + model.numClasses()
            + " classes of model " + model.name() + ", got " + k);
      }
      // One map per class: more than a handful makes a response of megabytes for nobody.
      if (k > 10) {
        throw ApiError.badRequest("top_k must be at most 10 here, got " + k);
      }
      target = Target.topK(k);
    }
    Colormap colormap;
    try {
      colormap = Colormap.byName(form.getOrDefault("colormap", "jet"));
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
    double alpha = number("alpha", form.getOrDefault("alpha", "0.4"));
    if (!(alpha >= 0 && alpha <= 1)) {
      throw ApiError.badRequest("alpha must be in [0, 1], got " + form.get("alpha"));
    }
    Interpolation resize = interpolation(form.getOrDefault("resize", "nearest"));
    double[] thresholds = thresholds(form.getOrDefault("thresholds", "0.06"));
    int smooth = integer("smooth", form.getOrDefault("smooth", "" + UniformFilter.DEFAULT_SIZE));
    if (smooth < 1 || smooth > 200) {
      throw ApiError.badRequest("smooth must be between 1 and 200, got " + smooth);
    }
    String inline = form.getOrDefault("inline", "false").toLowerCase(Locale.ROOT);
    if (!inline.equals("true") && !inline.equals("false")) {
      throw ApiError.badRequest("inline must be true or false, got " + form.get("inline"));
    }
    return new ExplainParams(model, layer, method.toLowerCase(Locale.ROOT), target,
        topKText != null, colormap, alpha, resize, thresholds, smooth, inline.equals("true"));
  }

  /** A class by index, or by its ImageNet name (case-insensitive, spaces or underscores). */
  static int classIndex(String text, Model model) {
    String t = text.strip();
    if (t.matches("-?\\d+")) {
      int c = integer("class", t);
      if (c < 0 || c >= model.numClasses()) {
        throw ApiError.badRequest("class " + c + " out of range: model " + model.name()
            + " has classes 0.." + (model.numClasses() - 1));
      }
      return c;
    }
    String key = normalise(t);
    List<String> labels = model.labels(); // the model's own: a user model's labels, not ImageNet's
    List<String> near = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      String name = normalise(labels.get(i));
      if (name.equals(key)) {
        return i;
      }
      if (name.contains(key) && near.size() < 5) {
        near.add(labels.get(i) + " (" + i + ")");
      }
    }
    throw ApiError.badRequest("no class named '" + t + "'" + (near.isEmpty() ? ""
        : "; did you mean " + String.join(", ", near) + "?") + " (GET /api/classes?q= searches)");
  }

  static String normalise(String name) {
    return name.toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' ').strip();
  }

  static Interpolation interpolation(String text) {
    for (Interpolation i : Interpolation.values()) {
      if (i.name().equalsIgnoreCase(text.strip())) {
        return i;
      }
    }
    throw ApiError.badRequest("resize must be nearest or bilinear, got '" + text + "'");
  }

  static double[] thresholds(String text) {
    String[] parts = text.split(",", -1);
    if (parts.length > MAX_THRESHOLDS) {
      throw ApiError.badRequest("at most " + MAX_THRESHOLDS + " thresholds, got " + parts.length);
    }
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = number("thresholds", parts[i]);
      if (!(out[i] >= 0 && out[i] <= 1)) {
        throw ApiError.badRequest("each threshold must be in [0, 1], got " + parts[i].strip());
      }
    }
    return out;
  }

  static int integer(String field, String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(field + " must be an integer, got '" + text + "'");
    }
  }

  static double number(String field, String text) {
    try {
      double v = Double.parseDouble(text.strip());
      if (!Double.isFinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(field + " must be a number, got '" + text + "'");
    }
  }
}
