package org.gradcam.model.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Activation, Softmax and ReLU layers (fused activations are {@link LayerBuild#activation}'s). */
final class KerasActivationLayers {
  private KerasActivationLayers() {}

  static Operand<TFloat32> activationLayer(LayerBuild b) throws IOException {
    return b.activation(b.x(), b.activationName());
  }

  static Operand<TFloat32> softmaxLayer(LayerBuild b) throws IOException {
    Operand<TFloat32> x = b.x();
    if (b.axis(x.shape().numDimensions(), -1) != x.shape().numDimensions() - 1) {
      throw b.unsupported("axis", b.c.get("axis"), "-1");
    }
    return b.activation(x, "softmax");
  }

  static Operand<TFloat32> reluLayer(LayerBuild b) throws IOException {
    Operand<TFloat32> x = b.x();
    JsonNode maxNode = b.c.get("max_value");
    Float max = maxNode == null || maxNode.isNull() ? null : maxNode.floatValue();
    float slope = (float) b.c.path("negative_slope").asDouble(0);
    float threshold = (float) b.c.path("threshold").asDouble(0);
    if (slope == 0 && threshold == 0) {
      if (max == null) {
        return b.named.nn.relu(x);
      }
      if (max == 6f) {
        return b.named.nn.relu6(x);
      }
    }
    // Keras: max_value above it, x from threshold on, negative_slope * (x - threshold) below.
    Operand<TFloat32> t = b.scope.constant(threshold);
    Operand<TFloat32> y = b.scope.select(b.scope.math.greaterEqual(x, t), x,
        b.scope.math.mul(b.scope.constant(slope), b.scope.math.sub(x, t)));
    if (max != null) {
      y = b.scope.math.minimum(y, b.scope.constant(max));
    }
    return b.named.identity(y);
  }
}
