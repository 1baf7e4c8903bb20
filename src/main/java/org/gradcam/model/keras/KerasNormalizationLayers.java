package org.gradcam.model.keras;

import java.io.IOException;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** BatchNormalization (inference) and the preprocessing layers Rescaling and Normalization. */
final class KerasNormalizationLayers {
  private KerasNormalizationLayers() {}

  static Operand<TFloat32> batchNorm(LayerBuild b) throws IOException {
    Operand<TFloat32> x = b.x();
    int rank = x.shape().numDimensions();
    int axis = b.axis(rank, -1);
    if (axis != rank - 1) {
      throw b.unsupported("axis", b.c.get("axis"), "the last axis (channels-last)");
    }
    for (String opt : List.of("renorm")) {
      if (b.c.path(opt).asBoolean(false)) {
        throw b.unsupported(opt, true, "false");
      }
    }
    if (b.c.hasNonNull("virtual_batch_size")) {
      throw b.unsupported("virtual_batch_size", b.c.get("virtual_batch_size"), "null");
    }
    boolean scale = b.c.path("scale").asBoolean(true);
    boolean center = b.c.path("center").asBoolean(true);
    float eps = (float) b.c.path("epsilon").asDouble(1e-3);
    long ch = b.channels(x);
    int i = 0;
    b.expectedWeights = (scale ? 1 : 0) + (center ? 1 : 0) + 2;
    Operand<TFloat32> gamma = scale ? b.weight(i++, "gamma", ch) : null;
    Operand<TFloat32> beta = center ? b.weight(i++, "beta", ch) : null;
    Operand<TFloat32> mean = b.weight(i++, "moving_mean", ch);
    Operand<TFloat32> var = b.weight(i, "moving_variance", ch);
    // As tf.nn.batch_normalization: x * inv + (beta - mean * inv), inv = gamma / sqrt(var + eps).
    Operand<TFloat32> inv = b.scope.math.rsqrt(b.scope.math.add(var, b.scope.constant(eps)));
    if (gamma != null) {
      inv = b.scope.math.mul(inv, gamma);
    }
    Operand<TFloat32> shift = b.scope.math.neg(b.scope.math.mul(mean, inv));
    if (beta != null) {
      shift = b.scope.math.add(beta, shift);
    }
    return b.named.identity(b.scope.math.add(b.scope.math.mul(x, inv), shift));
  }

  static Operand<TFloat32> rescaling(LayerBuild b) throws IOException {
    Operand<TFloat32> x = b.x();
    long ch = b.channels(x);
    float[] scale = b.values(b.c.path("scale"), ch, "scale");
    float[] offset = b.c.hasNonNull("offset") ? b.values(b.c.get("offset"), ch, "offset")
        : new float[(int) ch];
    return b.named.math.add(b.scope.math.mul(x, b.scope.constant(scale)), b.scope.constant(offset));
  }

  static Operand<TFloat32> normalization(LayerBuild b) throws IOException {
    Operand<TFloat32> x = b.x();
    int rank = x.shape().numDimensions();
    if (b.axis(rank, -1) != rank - 1) {
      throw b.unsupported("axis", b.c.get("axis"), "-1 (per channel)");
    }
    if (b.c.path("invert").asBoolean(false)) {
      throw b.unsupported("invert", true, "false");
    }
    long ch = b.channels(x);
    Operand<TFloat32> mean;
    Operand<TFloat32> variance;
    if (b.c.hasNonNull("mean") && b.c.hasNonNull("variance")) {
      mean = b.scope.constant(b.values(b.c.get("mean"), ch, "mean"));
      variance = b.scope.constant(b.values(b.c.get("variance"), ch, "variance"));
      b.expectedWeights = 0;
    } else {
      // Adapted statistics are weights: mean, variance (and Keras 2's sample count).
      b.expectedWeights = 3;
      mean = b.weight(0, "mean", ch);
      variance = b.weight(1, "variance", ch);
    }
    // Keras: (x - mean) / max(sqrt(variance), epsilon()), epsilon() = 1e-7.
    Operand<TFloat32> std = b.scope.math.maximum(b.scope.math.sqrt(variance),
        b.scope.constant(1e-7f));
    return b.named.math.div(b.scope.math.sub(x, mean), std);
  }
}
