package org.gradcam.serve;

import static org.gradcam.serve.Responses.JSON;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gradcam.cam.CamMethods;
import org.gradcam.image.Colormap;
import org.gradcam.model.ImageNetLabels;
import org.gradcam.model.LayerInfo;
import org.gradcam.model.Model;

/** The API's model area: the loaded models, their layers and class names (read only). */
final class ModelRoutes {
  private final Map<String, Model> models;
  private final String defaultModel;

  /** {@code defaultModel} null: the first of {@code models}. */
  ModelRoutes(Map<String, Model> models, String defaultModel) {
    this.models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    this.defaultModel = defaultModel != null ? defaultModel : models.keySet().iterator().next();
    if (!this.models.containsKey(this.defaultModel)) {
      throw new IllegalArgumentException("default model " + defaultModel + " is not loaded");
    }
  }

  String defaultModel() {
    return defaultModel;
  }

  /** The loaded model of this name; another name is a 400 that lists the loaded ones. */
  Model model(String name) {
    Model m = models.get(name);
    if (m == null) {
      throw ApiError.badRequest("unknown model '" + name + "'; loaded models: "
          + String.join(", ", models.keySet()));
    }
    return m;
  }

  void list(Context ctx) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("default", defaultModel);
    ArrayNode list = o.putArray("models");
    for (Map.Entry<String, Model> e : models.entrySet()) {
      Model m = e.getValue();
      ObjectNode entry = list.addObject().put("name", e.getKey())
          .put("default_layer", m.defaultLayer()).put("classes", m.numClasses());
      if (m.spec().height() == m.spec().width()) {
        entry.put("input_size", m.spec().height());
      }
      entry.put("input_height", m.spec().height()).put("input_width", m.spec().width());
    }
    CamMethods.names().forEach(o.putArray("methods")::add);
    Colormap.names().forEach(o.putArray("colormaps")::add);
    Responses.json(ctx, o);
  }

  void layers(Context ctx) throws IOException {
    Model m = models.get(ctx.pathParam("model"));
    if (m == null) {
      throw ApiError.notFound("unknown model '" + ctx.pathParam("model") + "'; loaded models: "
          + String.join(", ", models.keySet()));
    }
    ObjectNode o = JSON.createObjectNode().put("model", ctx.pathParam("model"))
        .put("default", m.defaultLayer());
    ArrayNode list = o.putArray("layers");
    for (String name : m.targetLayers()) {
      LayerInfo l = m.layer(name);
      ObjectNode layer = list.addObject().put("name", name).put("type", l.type());
      ArrayNode shape = layer.putArray("output_shape");
      for (long d : l.outputShape()) {
        shape.add(d);
      }
    }
    Responses.json(ctx, o);
  }

  void classes(Context ctx) throws IOException {
    String q = ExplainParams.normalise(String.valueOf(Responses.query(ctx, "q", "")));
    Model m = model(Responses.query(ctx, "model", defaultModel));
    ArrayNode list = JSON.createArrayNode();
    List<String> labels = m.labels(); // the model's own: a user model's labels, not ImageNet's
    for (int i = 0; i < labels.size() && list.size() < 50; i++) {
      if (q.isEmpty() || ExplainParams.normalise(labels.get(i)).contains(q)) {
        ObjectNode c = list.addObject().put("index", i).put("name", labels.get(i));
        if (m.hasImageNetClasses()) {
          c.put("wnid", ImageNetLabels.get(i).wnid());
        }
      }
    }
    Responses.json(ctx, list);
  }
}
