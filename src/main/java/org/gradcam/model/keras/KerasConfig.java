package org.gradcam.model.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A Keras model config ({@code model_config} of an HDF5 file, {@code config.json} of a
 * {@code .keras} file) as a list of layers in topological order, each with the names of the
 * layers it reads. Reads Sequential and functional ({@code Functional}, {@code Model}) configs
 * in both the Keras 2 form ({@code inbound_nodes} as {@code [[[name, node, tensor, kwargs]]]},
 * {@code batch_input_shape}) and the Keras 3 form ({@code inbound_nodes} as
 * {@code [{"args": [...]}]} with {@code keras_history}, {@code batch_shape}).
 */
final class KerasConfig {
  /** One layer: its name, Keras class, config object and the layers it reads, in order. */
  record Layer(String name, String className, JsonNode config, List<String> inputs,
      JsonNode callKwargs) {}

  private static final JsonNode EMPTY = new ObjectMapper().createObjectNode();

  final String modelName;
  final List<Layer> layers;
  final String output;
  /** {@code [H, W, C]} of the model input. */
  final long[] inputShape;
  final String inputName;

  private KerasConfig(String modelName, List<Layer> layers, String output, long[] inputShape,
      String inputName) {
    this.modelName = modelName;
    this.layers = layers;
    this.output = output;
    this.inputShape = inputShape;
    this.inputName = inputName;
  }

  static KerasConfig parse(String json, String source) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new IOException(source + ": the model config is not valid JSON: " + e.getMessage(), e);
    }
    return of(root.path("class_name").asText(""), root.path("config"), source);
  }

  /** The model config of a model used as a layer of another (e.g. a pretrained base). */
  static KerasConfig nested(Layer layer, String source) throws IOException {
    return of(layer.className(), layer.config(), source + " (nested model '" + layer.name()
        + "')");
  }

  static boolean isModel(String className) {
    return className.equals("Sequential") || className.equals("Functional")
        || className.equals("Model");
  }

  private static KerasConfig of(String cls, JsonNode config, String source) throws IOException {
    return switch (cls) {
      case "Sequential" -> sequential(config, source);
      case "Functional", "Model" -> functional(config, source);
      default -> throw new IOException(source + ": model class '" + cls + "' is not supported "
          + "(a Keras Sequential or functional model is; a subclassed model has no config to "
          + "rebuild it from)");
    };
  }

  private static KerasConfig sequential(JsonNode config, String source) throws IOException {
    // Keras before 2.2.3 wrote the layer list as the config itself.
    JsonNode list = config.isArray() ? config : config.path("layers");
    String name = config.isArray() ? "sequential" : config.path("name").asText("sequential");
    List<Layer> layers = new ArrayList<>();
    long[] inputShape = null;
    String inputName = null;
    String previous = null;
    for (JsonNode l : list) {
      String cls = l.path("class_name").asText();
      JsonNode c = l.path("config");
      String layerName = c.path("name").asText(l.path("name").asText());
      if (cls.equals("InputLayer")) {
        if (inputName != null) {
          throw new IOException(source + ": Sequential model with an InputLayer after its first "
              + "layer");
        }
        inputShape = batchShape(c, layerName, source);
        inputName = layerName;
        previous = layerName;
        continue;
      }
      if (inputName == null) {
        // Keras 2 Sequential without an InputLayer: the first layer carries the input shape,
        // unless the model is nested in another, whose tensor it takes.
        inputShape = c.has("batch_input_shape") || c.has("batch_shape")
            ? batchShape(c, layerName, source) : null;
        inputName = name + "_input";
        previous = inputName;
      }
      layers.add(new Layer(layerName, cls, c, List.of(previous), EMPTY));
      previous = layerName;
    }
    if (layers.isEmpty()) {
      throw new IOException(source + ": Sequential model without layers");
    }
    return new KerasConfig(name, layers, previous, inputShape, inputName);
  }

  private static KerasConfig functional(JsonNode config, String source) throws IOException {
    String name = config.path("name").asText("model");
    List<String> inputLayers = tensorNames(config.path("input_layers"));
    List<String> outputLayers = tensorNames(config.path("output_layers"));
    if (inputLayers.size() != 1 || outputLayers.size() != 1) {
      throw new IOException(source + ": functional model with " + inputLayers.size()
          + " inputs and " + outputLayers.size() + " outputs; only one input and one output "
          + "are supported");
    }
    List<Layer> layers = new ArrayList<>();
    long[] inputShape = null;
    Set<String> seen = new HashSet<>();
    for (JsonNode l : config.path("layers")) {
      String cls = l.path("class_name").asText();
      JsonNode c = l.path("config");
      String layerName = l.path("name").asText(c.path("name").asText());
      JsonNode nodes = l.path("inbound_nodes");
      if (nodes.size() > 1) {
        throw new IOException(source + ": layer " + cls + " '" + layerName + "' is called "
            + nodes.size() + " times (a shared layer); not supported");
      }
      if (cls.equals("InputLayer")) {
        if (!layerName.equals(inputLayers.get(0))) {
          throw new IOException(source + ": InputLayer '" + layerName + "' is not the model input");
        }
        inputShape = batchShape(c, layerName, source);
        seen.add(layerName);
        continue;
      }
      List<String> inputs = new ArrayList<>();
      JsonNode kwargs = EMPTY;
      if (nodes.size() == 1) {
        JsonNode node = nodes.get(0);
        if (node.isArray() && node.size() > 0 && node.get(0).isTextual()) {
          // Keras 2 TFOpLambda keeps its single input unwrapped: [name, 0, 0, kwargs].
          node = new ObjectMapper().createArrayNode().add(node);
        }
        collectInbound(node, inputs, layerName, source);
        kwargs = node.isObject() ? node.path("kwargs")
            : node.size() > 0 && node.get(0).size() > 3 ? node.get(0).get(3) : EMPTY;
      }
      for (String in : inputs) {
        if (!seen.contains(in)) {
          throw new IOException(source + ": layer '" + layerName + "' reads '" + in
              + "', which is not defined before it");
        }
      }
      if (inputs.isEmpty()) {
        throw new IOException(source + ": layer " + cls + " '" + layerName + "' has no input");
      }
      layers.add(new Layer(layerName, cls, c, List.copyOf(inputs), kwargs));
      seen.add(layerName);
    }
    if (inputShape == null) {
      throw new IOException(source + ": functional model without an InputLayer");
    }
    if (!seen.contains(outputLayers.get(0))) {
      throw new IOException(source + ": output layer '" + outputLayers.get(0) + "' is not defined");
    }
    return new KerasConfig(name, layers, outputLayers.get(0), inputShape, inputLayers.get(0));
  }

  /** {@code [[name, 0, 0], ...]} (Keras 2) or a single {@code [name, 0, 0]} (Keras 3). */
  private static List<String> tensorNames(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray() && node.size() > 0 && node.get(0).isTextual()) {
      out.add(node.get(0).asText());
      return out;
    }
    for (JsonNode t : node) {
      out.add(t.get(0).asText());
    }
    return out;
  }

  /** The layers an inbound node reads, in argument order. */
  private static void collectInbound(JsonNode node, List<String> out, String layer, String source)
      throws IOException {
    if (node.isObject() && node.has("args")) { // Keras 3
      collectHistory(node.get("args"), out, layer, source);
      return;
    }
    for (JsonNode t : node) { // Keras 2: [name, node index, tensor index, kwargs]
      history(t, out, layer, source);
    }
  }

  private static void collectHistory(JsonNode n, List<String> out, String layer, String source)
      throws IOException {
    if (n.isObject() && n.path("class_name").asText().equals("__keras_tensor__")) {
      history(n.path("config").path("keras_history"), out, layer, source);
    } else if (n.isArray() || n.isObject()) {
      for (JsonNode child : n) {
        collectHistory(child, out, layer, source);
      }
    }
  }

  private static void history(JsonNode t, List<String> out, String layer, String source)
      throws IOException {
    if (!t.isArray() || t.size() < 3) {
      throw new IOException(source + ": cannot read the inputs of layer '" + layer + "': " + t);
    }
    if (t.get(2).asInt() != 0) {
      throw new IOException(source + ": layer '" + layer + "' reads output " + t.get(2).asInt()
          + " of layer '" + t.get(0).asText() + "'; multi-output layers are not supported");
    }
    out.add(t.get(0).asText());
  }

  private static long[] batchShape(JsonNode c, String layer, String source) throws IOException {
    JsonNode s = c.has("batch_shape") ? c.get("batch_shape") : c.get("batch_input_shape");
    if (s == null || !s.isArray()) {
      throw new IOException(source + ": input layer '" + layer + "' has no batch_input_shape "
          + "or batch_shape");
    }
    if (s.size() != 4) {
      throw new IOException(source + ": input layer '" + layer + "' has shape " + s
          + "; only image inputs [batch, height, width, channels] are supported");
    }
    long[] out = new long[3];
    for (int i = 0; i < 3; i++) {
      if (!s.get(i + 1).isNumber()) {
        throw new IOException(source + ": input layer '" + layer + "' has shape " + s
            + "; height, width and channels must be fixed");
      }
      out[i] = s.get(i + 1).asLong();
    }
    return out;
  }
}
