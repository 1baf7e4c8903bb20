package org.gradcam.model.keras;

import java.io.IOException;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.types.TFloat32;

/** Convolutions and the dense layer, each with its bias and fused activation. */
final class KerasConvLayers {
  private KerasConvLayers() {}

  static Operand<TFloat32> conv(LayerBuild b) throws IOException {
    Operand<TFloat32> x = b.x4();
    b.channelsLast();
    if (b.c.path("groups").asInt(1) != 1) {
      throw b.unsupported("groups", b.c.get("groups").asInt(), "1");
    }
    int[] k = b.pair("kernel_size", 1);
    int[] s = b.pair("strides", 1);
    int[] d = b.pair("dilation_rate", 1);
    long filters = b.c.path("filters").asLong();
    boolean bias = b.c.path("use_bias").asBoolean(true);
    String act = b.activationName();
    b.expectedWeights = bias ? 2 : 1;
    Operand<TFloat32> w = b.weight(0, "kernel", k[0], k[1], b.channels(x), filters);
    Operand<TFloat32> y = b.scope.nn.conv2d(x, w, List.of(1L, (long) s[0], (long) s[1], 1L),
        b.padding(), Conv2d.dilations(List.of(1L, (long) d[0], (long) d[1], 1L)));
    if (bias) {
      y = b.scope.nn.biasAdd(y, b.weight(1, "bias", filters));
    }
    return b.activation(y, act);
  }

  /** The kernel size, strides and depth multiplier of a depthwise step, after its checks. */
  private record Depthwise(int[] k, int[] s, long m) {
    static Depthwise read(LayerBuild b) throws IOException {
      b.channelsLast();
      b.noDilation();
      return new Depthwise(b.pair("kernel_size", 1), b.pair("strides", 1),
          b.c.path("depth_multiplier").asLong(1));
    }

    Operand<TFloat32> apply(LayerBuild b, Operand<TFloat32> x) throws IOException {
      Operand<TFloat32> w = b.weight(0, "depthwise_kernel", k[0], k[1], b.channels(x), m);
      return b.scope.nn.depthwiseConv2dNative(x, w, List.of(1L, (long) s[0], (long) s[1], 1L),
          b.padding());
    }
  }

  static Operand<TFloat32> depthwise(LayerBuild b) throws IOException {
    Operand<TFloat32> x = b.x4();
    Depthwise dw = Depthwise.read(b);
    boolean bias = b.c.path("use_bias").asBoolean(true);
    String act = b.activationName();
    b.expectedWeights = bias ? 2 : 1;
    Operand<TFloat32> y = dw.apply(b, x);
    if (bias) {
      y = b.scope.nn.biasAdd(y, b.weight(1, "bias", b.channels(x) * dw.m()));
    }
    return b.activation(y, act);
  }

  static Operand<TFloat32> separable(LayerBuild b) throws IOException {
    Operand<TFloat32> x = b.x4();
    Depthwise dw = Depthwise.read(b);
    long filters = b.c.path("filters").asLong();
    boolean bias = b.c.path("use_bias").asBoolean(true);
    String act = b.activationName();
    b.expectedWeights = bias ? 3 : 2;
    // As tf.nn.separable_conv2d: depthwise with the layer's strides and padding, then 1x1.
    Operand<TFloat32> depth = dw.apply(b, x);
    Operand<TFloat32> pw = b.weight(1, "pointwise_kernel", 1, 1, b.channels(x) * dw.m(), filters);
    Operand<TFloat32> y = b.scope.nn.conv2d(depth, pw, List.of(1L, 1L, 1L, 1L), "VALID");
    if (bias) {
      y = b.scope.nn.biasAdd(y, b.weight(2, "bias", filters));
    }
    return b.activation(y, act);
  }

  static Operand<TFloat32> dense(LayerBuild b) throws IOException {
    Operand<TFloat32> x = b.x();
    if (x.shape().numDimensions() != 2) {
      throw b.error("input of shape " + x.shape() + "; only 2-D inputs [batch, features] are "
          + "supported (add a Flatten or global pooling before it)");
    }
    long units = b.c.path("units").asLong();
    boolean bias = b.c.path("use_bias").asBoolean(true);
    String act = b.activationName();
    b.expectedWeights = bias ? 2 : 1;
    Operand<TFloat32> y = b.scope.linalg.matMul(x, b.weight(0, "kernel", b.channels(x), units));
    if (bias) {
      y = b.scope.math.add(y, b.weight(1, "bias", units));
    }
    return b.activation(y, act);
  }
}
