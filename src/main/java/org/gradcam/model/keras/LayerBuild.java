package org.gradcam.model.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.gradcam.model.NetBuilder;
import org.gradcam.model.keras.KerasWeights.Weight;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * One Keras layer being built: its config, inputs and stored weights, the checks on them and
 * the errors naming the layer, and its fused activation. The builders of {@link KerasLayers}
 * read everything through it.
 */
final class LayerBuild {
  final KerasConfig.Layer layer;
  final JsonNode c;
  final List<Operand<TFloat32>> in;
  final List<Weight> weights;
  final boolean last;
  /** Ops for the layer's internals, in a sub-scope named after the layer. */
  final Ops scope;
  /** Ops for the layer's output, named after the layer. */
  final Ops named;
  private final NetBuilder net;
  private final String source;
  /** The type in the summary: the class name, or what was left out of it. */
  String type;
  /** How many stored weights the layer uses: more in the file is an error. */
  int expectedWeights = 0;

  LayerBuild(NetBuilder net, String source, KerasConfig.Layer layer, List<Operand<TFloat32>> in,
      List<Weight> weights, boolean last) {
    this.net = net;
    this.source = source;
    this.layer = layer;
    this.c = layer.config();
    this.in = in;
    this.weights = weights;
    this.last = last;
    this.scope = net.ops().withSubScope(layer.name());
    this.named = net.ops().withName(layer.name());
    this.type = layer.className();
  }

  IOException error(String what) {
    return new IOException(source + ": Keras layer " + layer.className() + " '" + layer.name()
        + "': " + what);
  }

  IOException unsupported(String option, Object value, String supported) {
    return error("option " + option + "=" + value + " is not supported (supported: "
        + supported + ")");
  }

  Operand<TFloat32> x() throws IOException {
    if (in.size() != 1) {
      throw error("takes one input, got " + in.size());
    }
    return in.get(0);
  }

  Operand<TFloat32> x4() throws IOException {
    Operand<TFloat32> x = x();
    if (x.shape().numDimensions() != 4) {
      throw error("needs a 4-D input [batch, height, width, channels], got " + x.shape());
    }
    return x;
  }

  long channels(Operand<TFloat32> x) {
    return x.shape().size(x.shape().numDimensions() - 1);
  }

  // ---- config access ----

  int[] pair(String key, int dflt) throws IOException {
    JsonNode v = c.get(key);
    if (v == null || v.isNull()) {
      return new int[] {dflt, dflt};
    }
    if (v.isNumber()) {
      return new int[] {v.asInt(), v.asInt()};
    }
    if (v.isArray() && v.size() == 2) {
      return new int[] {v.get(0).asInt(), v.get(1).asInt()};
    }
    throw error("cannot read option " + key + "=" + v);
  }

  String padding() throws IOException {
    String p = c.path("padding").asText("valid").toLowerCase(Locale.ROOT);
    if (!p.equals("valid") && !p.equals("same")) {
      throw unsupported("padding", p, "valid, same");
    }
    return p.toUpperCase(Locale.ROOT);
  }

  void channelsLast() throws IOException {
    JsonNode f = c.get("data_format");
    if (f != null && !f.isNull() && !f.asText().equals("channels_last")) {
      throw unsupported("data_format", f.asText(), "channels_last");
    }
  }

  void noDilation() throws IOException {
    int[] d = pair("dilation_rate", 1);
    if (d[0] != 1 || d[1] != 1) {
      throw unsupported("dilation_rate", Arrays.toString(d), "[1, 1]");
    }
  }

  /** The axis option as a non-negative axis of a rank-{@code rank} tensor (batch included). */
  int axis(int rank, int dflt) throws IOException {
    JsonNode a = c.get("axis");
    if (a != null && a.isArray()) {
      if (a.size() != 1) {
        throw unsupported("axis", a, "one axis");
      }
      a = a.get(0);
    }
    int axis = a == null || a.isNull() ? dflt : a.asInt();
    return axis < 0 ? axis + rank : axis;
  }

  /** A weight checked against the shape the layer needs. */
  Operand<TFloat32> weight(int index, String role, long... shape) throws IOException {
    if (index >= weights.size()) {
      throw error("the file holds " + weights.size() + " weights " + names(weights)
          + ", the layer needs its " + role + " (weight " + (index + 1) + ")");
    }
    Weight w = weights.get(index);
    if (!Arrays.equals(w.shape(), shape)) {
      throw error(role + " '" + w.name() + "' has shape " + Arrays.toString(w.shape())
          + ", the layer needs " + Arrays.toString(shape));
    }
    return net.weight(layer.name(), role, shape, w.values());
  }

  float[] values(JsonNode v, long channels, String key) throws IOException {
    if (v.isNumber()) {
      float[] out = new float[(int) channels];
      Arrays.fill(out, v.floatValue());
      return out;
    }
    List<Float> list = new ArrayList<>();
    flattenJson(v, list);
    if (list.size() == 1) {
      return values(v.isArray() ? firstNumber(v) : v, channels, key);
    }
    if (list.size() != channels) {
      throw error("option " + key + " has " + list.size() + " values for " + channels
          + " channels");
    }
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  // ---- fused activations ----

  String activationName() throws IOException {
    JsonNode a = c.get("activation");
    if (a == null || a.isNull()) {
      return "linear";
    }
    if (a.isObject()) { // Keras 3 may serialise a built-in activation as an object
      JsonNode inner = a.path("config");
      a = inner.isTextual() ? inner : a.path("class_name");
    }
    String name = a.asText().toLowerCase(Locale.ROOT);
    if (!List.of("linear", "relu", "relu6", "sigmoid", "softmax", "swish", "silu", "tanh", "elu")
        .contains(name)) {
      throw unsupported("activation", a.asText(),
          "linear, relu, relu6, sigmoid, softmax, swish, silu, tanh, elu");
    }
    return name;
  }

  Operand<TFloat32> activation(Operand<TFloat32> y, String act) {
    if (act.equals("softmax") && last) {
      // Grad-CAM needs the scores before the softmax: the model's logits are its input.
      type = layer.className() + " (softmax left out: logits)";
      return named.identity(y);
    }
    return switch (act) {
      case "relu" -> named.nn.relu(y);
      case "relu6" -> named.nn.relu6(y);
      case "sigmoid" -> named.math.sigmoid(y);
      case "softmax" -> named.nn.softmax(y);
      case "swish", "silu" -> named.math.mul(y, scope.math.sigmoid(y));
      case "tanh" -> named.math.tanh(y);
      case "elu" -> named.nn.elu(y);
      default -> named.identity(y);
    };
  }

  static List<String> names(List<Weight> weights) {
    return weights.stream().map(Weight::name).toList();
  }

  private static void flattenJson(JsonNode v, List<Float> out) {
    if (v.isArray()) {
      for (JsonNode e : v) {
        flattenJson(e, out);
      }
    } else {
      out.add(v.floatValue());
    }
  }

  private static JsonNode firstNumber(JsonNode v) {
    while (v.isArray()) {
      v = v.get(0);
    }
    return v;
  }
}
