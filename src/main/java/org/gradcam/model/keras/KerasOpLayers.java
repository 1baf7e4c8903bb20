package org.gradcam.model.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Layers that combine tensors (merges, Concatenate) and Keras 2's records of TensorFlow ops on
 * layer outputs (TFOpLambda, SlicingOpLambda).
 */
final class KerasOpLayers {
  private KerasOpLayers() {}

  static Operand<TFloat32> merge(LayerBuild b) throws IOException {
    if (b.in.size() < 2) {
      throw b.error("needs at least two inputs, got " + b.in.size());
    }
    for (Operand<TFloat32> o : b.in) {
      if (!Arrays.equals(o.shape().asArray(), b.in.get(0).shape().asArray())) {
        throw b.error("inputs of different shapes " + b.in.stream().map(i -> i.shape().toString())
            .toList() + "; only same-shaped inputs are supported");
      }
    }
    if (b.layer.className().equals("Subtract")) {
      if (b.in.size() != 2) {
        throw b.error("Subtract takes two inputs, got " + b.in.size());
      }
      return b.named.math.sub(b.in.get(0), b.in.get(1));
    }
    Operand<TFloat32> y = b.in.get(0);
    for (int i = 1; i < b.in.size(); i++) {
      Operand<TFloat32> next = b.in.get(i);
      y = switch (b.layer.className()) {
        case "Add", "Average" -> b.scope.math.add(y, next);
        case "Multiply" -> b.scope.math.mul(y, next);
        case "Maximum" -> b.scope.math.maximum(y, next);
        default -> b.scope.math.minimum(y, next);
      };
    }
    if (b.layer.className().equals("Average")) {
      y = b.scope.math.div(y, b.scope.constant((float) b.in.size()));
    }
    return b.named.identity(y);
  }

  static Operand<TFloat32> concatenate(LayerBuild b) throws IOException {
    if (b.in.isEmpty()) {
      throw b.error("has no inputs");
    }
    int rank = b.in.get(0).shape().numDimensions();
    int axis = b.axis(rank, -1);
    if (axis < 1 || axis >= rank) {
      throw b.unsupported("axis", b.c.get("axis"), "a non-batch axis");
    }
    return b.named.concat(b.in, b.scope.constant(axis));
  }

  /**
   * Keras 2's record of a TensorFlow function called on a layer output, e.g. the
   * {@code x / 127.5 - 1} or {@code bias_add} of {@code keras.applications}' preprocess_input
   * inside a model: the element-wise ones with a constant second operand.
   */
  static Operand<TFloat32> tfOp(LayerBuild b) throws IOException {
    Operand<TFloat32> x = b.x();
    String fn = b.c.path("function").asText();
    JsonNode kw = b.layer.callKwargs();
    String operand = fn.equals("nn.bias_add") ? "bias" : "y";
    JsonNode v = kw.get(operand);
    if (v == null || !(v.isNumber() || v.isArray())) {
      throw b.error("function " + fn + " with " + operand + "=" + v + " is not supported (a "
          + "constant number or per-channel list is)");
    }
    Operand<TFloat32> y = v.isNumber() ? b.scope.constant(v.floatValue())
        : b.scope.constant(b.values(v, b.channels(x), operand));
    return switch (fn) {
      case "math.truediv", "math.divide" -> b.named.math.div(x, y);
      case "math.subtract" -> b.named.math.sub(x, y);
      case "math.multiply" -> b.named.math.mul(x, y);
      case "__operators__.add", "math.add", "nn.bias_add" -> b.named.math.add(x, y);
      default -> throw b.unsupported("function", fn, "math.truediv, math.divide, math.subtract, "
          + "math.multiply, math.add, __operators__.add, nn.bias_add");
    };
  }

  /** {@code x[..., ::-1]}, the RGB to BGR swap of Keras' caffe-mode preprocess_input. */
  static Operand<TFloat32> slicing(LayerBuild b) throws IOException {
    Operand<TFloat32> x = b.x();
    JsonNode spec = b.layer.callKwargs().path("slice_spec");
    JsonNode items = spec.path("items");
    boolean reverseChannels = spec.path("class_name").asText().equals("__tuple__")
        && items.size() == 2
        && items.get(0).path("class_name").asText().equals("__ellipsis__")
        && items.get(1).path("start").isNull() && items.get(1).path("stop").isNull()
        && items.get(1).path("step").asInt() == -1;
    if (!reverseChannels) {
      throw b.error("slice " + spec + " is not supported (only [..., ::-1])");
    }
    return b.named.reverse(x, b.scope.constant(new int[] {x.shape().numDimensions() - 1}));
  }
}
