package org.gradcam.model;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * A model's layers by name: the Keras-style summary, which of them can be Grad-CAM targets, the
 * default one, and the other names a user may give a layer (an ONNX file's node names and
 * PyTorch module paths).
 */
final class ModelLayers {
  private final String model;
  private final List<LayerInfo> summary;
  private final Set<String> names;
  private final String inputName;
  private final String specDefault;
  private final UnaryOperator<String> otherNames;

  /**
   * @param model the model's name, for error messages
   * @param names the layers the graph can feed and fetch
   * @param specDefault the model module's default layer, or null for {@link #lastConvLayer()}
   * @param otherNames translates another name of a layer to its name here
   */
  ModelLayers(String model, List<LayerInfo> summary, Set<String> names, String inputName,
      String specDefault, UnaryOperator<String> otherNames) {
    this.model = model;
    this.summary = List.copyOf(summary);
    this.names = Set.copyOf(names);
    this.inputName = inputName;
    this.specDefault = specDefault;
    this.otherNames = otherNames;
  }

  List<LayerInfo> summary() {
    return summary;
  }

  /** See {@link Model#resolveLayer}. */
  String resolve(String layerName) {
    return names.contains(layerName) ? layerName : otherNames.apply(layerName);
  }

  /** See {@link Model#targetLayers}. */
  List<String> targets() {
    return summary.stream().filter(ModelLayers::isTarget).map(LayerInfo::name)
        .filter(n -> !n.equals(inputName)).collect(Collectors.toList());
  }

  String defaultLayer() {
    return specDefault != null ? specDefault : lastConvLayer();
  }

  private static boolean isTarget(LayerInfo l) {
    return l.isSpatial() && l.outputShape()[0] * l.outputShape()[1] > 1;
  }

  /** See {@link Model#lastConvLayer}. */
  String lastConvLayer() {
    String last = null;
    for (LayerInfo l : summary) {
      long[] s = l.outputShape();
      if (l.isSpatial() && s[0] * s[1] > 1 && !l.type().contains("Pool")
          && !l.name().equals(inputName)) {
        last = l.name();
      }
    }
    if (last == null) {
      throw new IllegalStateException("model " + model + " has no spatial layer larger than 1x1");
    }
    return last;
  }

  /** A Grad-CAM target layer, or an error that says why not and lists the valid ones. */
  LayerInfo target(String layerName) {
    if (!targets().contains(layerName)) {
      LayerInfo known = summary.stream().filter(l -> l.name().equals(layerName)).findFirst()
          .orElse(null);
      String why = known == null ? "unknown layer '" + layerName + "' for model " + model
          : "layer '" + layerName + "' of model " + model + " has output shape "
              + Arrays.toString(known.outputShape())
              + ", not a spatial map larger than 1x1, so it cannot be a Grad-CAM target";
      throw new IllegalArgumentException(why + "; valid target layers: "
          + String.join(", ", targets()));
    }
    return summary.stream().filter(l -> l.name().equals(layerName)).findFirst().orElseThrow();
  }

  /**
   * A valid, unique TF scope for the gradient ops of a layer: imported layers are named after
   * ONNX tensors ({@code /layer4/layer4.1/relu_1/Relu_output_0}), which TF names cannot be.
   */
  String scopeName(String layer) {
    if (layer.matches("[A-Za-z0-9][A-Za-z0-9_.\\-]*")) {
      return layer;
    }
    int index = 0;
    while (index < summary.size() && !summary.get(index).name().equals(layer)) {
      index++;
    }
    return "layer" + index + "_" + layer.replaceAll("[^A-Za-z0-9_.\\-]", "_");
  }
}
