package org.gradcam.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.Explanation;
import org.gradcam.model.ImageNetLabels;

/**
 * The fields of one {@code explain --json} line, built in one place so that {@code serve}'s API
 * answers with exactly what the command line prints for the same map.
 */
public final class ExplainJson {
  private ExplainJson() {}

  /** The line's object: image, model, layer, method, top5, target, heatmap_shape, overlay. */
  public static ObjectNode line(Explainer explainer, Explanation e, String image, String overlay) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("image", image);
    o.put("model", explainer.model().name());
    o.put("layer", explainer.layer());
    o.put("method", explainer.method().name());
    ArrayNode top = o.putArray("top5");
    for (var p : ImageNetLabels.decodePredictions(e.logits(), 5)) {
      top.addObject().put("index", p.index()).put("wnid", p.wnid()).put("name", p.name())
          .put("logit", p.logit()).put("probability", p.probability());
    }
    ObjectNode t = o.putObject("target");
    t.put("index", e.targetClass()).put("name", ImageNetLabels.get(e.targetClass()).name());
    o.putArray("heatmap_shape").add(e.heatmap().height()).add(e.heatmap().width());
    o.put("overlay", overlay);
    return o;
  }
}
