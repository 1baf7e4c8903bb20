package org.gradcam.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.gradcam.cam.Explainer;
import org.gradcam.cam.Explanation;
import java.util.List;
import org.gradcam.image.CenterCrop;
import org.gradcam.model.Predictions;
import org.gradcam.model.ImageNetLabels;
import org.gradcam.model.Model;
import org.gradcam.model.ModelSpec;

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
    Model model = explainer.model();
    if (model.hasImageNetClasses()) {
      for (var p : ImageNetLabels.decodePredictions(e.logits(), 5)) {
        top.addObject().put("index", p.index()).put("wnid", p.wnid()).put("name", p.name())
            .put("logit", p.logit()).put("probability", p.probability());
      }
      ObjectNode t = o.putObject("target");
      t.put("index", e.targetClass()).put("name", ImageNetLabels.get(e.targetClass()).name());
    } else {
      // A user's classes: their labels, and how the input was made, so the line says it all.
      float[] logits = e.logits();
      List<String> labels = model.labels();
      // Sigmoid for a multi-label model: each output's own probability, not a share of 1.
      double[] p = model.probabilities(logits, 0, logits.length);
      for (int i : Predictions.topIndices(logits, 0, logits.length, Math.min(5, logits.length))) {
        top.addObject().put("index", i).put("label", labels.get(i)).put("logit", logits[i])
            .put("probability", p[i]);
      }
      ObjectNode t = o.putObject("target");
      t.put("index", e.targetClass()).put("label", labels.get(e.targetClass()));
      ModelSpec s = model.spec();
      o.putObject("input").put("height", s.height()).put("width", s.width())
          .put("channels", s.channels()).put("layout", s.channelsFirst() ? "NCHW" : "NHWC");
      if (model.preprocessing() != null) {
        o.set("preprocess", model.preprocessing().toJson());
      }
      if (!model.outputActivation().equals("softmax")) {
        o.put("output_activation", model.outputActivation());
      }
    }
    CenterCrop crop = model.spec().crop();
    if (crop != null) {
      // The map covers this crop only; the overlay puts it on the crop's part of the image.
      o.putObject("center_crop").put("resize_short", crop.resizeShort())
          .put("height", crop.cropHeight()).put("width", crop.cropWidth());
    }
    o.putArray("heatmap_shape").add(e.heatmap().height()).add(e.heatmap().width());
    o.put("overlay", overlay);
    return o;
  }
}
