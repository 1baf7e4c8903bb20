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
import org.tensorflow.op.core.Max;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.types.TFloat32;

/**
 * Builds one Keras layer into the graph with the semantics of Keras' TensorFlow backend in
 * inference mode, channels-last. Each layer's output is an op named after the layer (its
 * internals in a sub-scope of that name), recorded in the model summary with its parameter
 * count, so every layer can be a Grad-CAM target by its Keras name.
 */
final class KerasLayers {
  private final NetBuilder net;
  private final Ops tf;
  private final String source;

  KerasLayers(NetBuilder net, String source) {
    this.net = net;
    this.tf = net.ops();
    this.source = source;
  }

  /** The layer's output; {@code last}: the model output, whose softmax is left out. */
  Operand<TFloat32> build(KerasConfig.Layer layer, List<Operand<TFloat32>> in,
      List<Weight> weights, boolean last) throws IOException {
    L l = new L(layer, in, weights, last);
    Operand<TFloat32> out = switch (layer.className()) {
      case "Conv2D", "Convolution2D" -> l.conv();
      case "DepthwiseConv2D" -> l.depthwise();
      case "SeparableConv2D", "SeparableConvolution2D" -> l.separable();
      case "Dense" -> l.dense();
      case "BatchNormalization" -> l.batchNorm();
      case "Activation" -> l.activationLayer();
      case "Softmax" -> l.softmaxLayer();
      case "ReLU" -> l.reluLayer();
      case "MaxPooling2D", "MaxPool2D" -> l.pool(true);
      case "AveragePooling2D", "AvgPool2D" -> l.pool(false);
      case "GlobalAveragePooling2D", "GlobalAvgPool2D" -> l.globalPool(false);
      case "GlobalMaxPooling2D", "GlobalMaxPool2D" -> l.globalPool(true);
      case "Flatten" -> l.flatten();
      // Inference: no dropout, noise or random augmentation.
      case "Dropout", "SpatialDropout2D", "GaussianNoise", "GaussianDropout", "AlphaDropout",
          "ActivityRegularization", "RandomFlip", "RandomRotation", "RandomZoom",
          "RandomTranslation", "RandomContrast", "RandomBrightness" -> l.identity();
      case "Add", "Multiply", "Subtract", "Average", "Maximum", "Minimum" -> l.merge();
      case "Concatenate" -> l.concatenate();
      case "ZeroPadding2D" -> l.zeroPadding();
      case "Rescaling" -> l.rescaling();
      case "Normalization" -> l.normalization();
      case "Reshape" -> l.reshape();
      case "TFOpLambda" -> l.tfOp();
      case "SlicingOpLambda" -> l.slicing();
      default -> throw new IOException(source + ": Keras layer class " + layer.className()
          + " (layer '" + layer.name() + "') is not supported");
    };
    if (l.expectedWeights >= 0 && weights.size() > l.expectedWeights) {
      throw l.error("the file holds " + weights.size() + " weights " + names(weights)
          + ", the layer uses " + l.expectedWeights);
    }
    long params = weights.stream().mapToLong(w -> w.values().length).sum();
    return net.layer(layer.name(), l.type, out, params);
  }

  private static List<String> names(List<Weight> weights) {
    return weights.stream().map(Weight::name).toList();
  }

  /** One layer being built: its config, inputs, stored weights and the checks on them. */
  private final class L {
    final KerasConfig.Layer layer;
    final JsonNode c;
    final List<Operand<TFloat32>> in;
    final List<Weight> weights;
    final boolean last;
    final Ops scope;
    final Ops named;
    String type;
    int expectedWeights = 0;

    L(KerasConfig.Layer layer, List<Operand<TFloat32>> in, List<Weight> weights, boolean last) {
      this.layer = layer;
      this.c = layer.config();
      this.in = in;
      this.weights = weights;
      this.last = last;
      this.scope = tf.withSubScope(layer.name());
      this.named = tf.withName(layer.name());
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

    // ---- layers ----

    Operand<TFloat32> conv() throws IOException {
      Operand<TFloat32> x = x4();
      channelsLast();
      if (c.path("groups").asInt(1) != 1) {
        throw unsupported("groups", c.get("groups").asInt(), "1");
      }
      int[] k = pair("kernel_size", 1);
      int[] s = pair("strides", 1);
      int[] d = pair("dilation_rate", 1);
      long filters = c.path("filters").asLong();
      boolean bias = c.path("use_bias").asBoolean(true);
      String act = activationName();
      expectedWeights = bias ? 2 : 1;
      Operand<TFloat32> w = weight(0, "kernel", k[0], k[1], channels(x), filters);
      Operand<TFloat32> y = scope.nn.conv2d(x, w, List.of(1L, (long) s[0], (long) s[1], 1L),
          padding(), Conv2d.dilations(List.of(1L, (long) d[0], (long) d[1], 1L)));
      if (bias) {
        y = scope.nn.biasAdd(y, weight(1, "bias", filters));
      }
      return activation(y, act);
    }

    Operand<TFloat32> depthwise() throws IOException {
      Operand<TFloat32> x = x4();
      channelsLast();
      noDilation();
      int[] k = pair("kernel_size", 1);
      int[] s = pair("strides", 1);
      long m = c.path("depth_multiplier").asLong(1);
      boolean bias = c.path("use_bias").asBoolean(true);
      String act = activationName();
      expectedWeights = bias ? 2 : 1;
      Operand<TFloat32> w = weight(0, "depthwise_kernel", k[0], k[1], channels(x), m);
      Operand<TFloat32> y = scope.nn.depthwiseConv2dNative(x, w,
          List.of(1L, (long) s[0], (long) s[1], 1L), padding());
      if (bias) {
        y = scope.nn.biasAdd(y, weight(1, "bias", channels(x) * m));
      }
      return activation(y, act);
    }

    Operand<TFloat32> separable() throws IOException {
      Operand<TFloat32> x = x4();
      channelsLast();
      noDilation();
      int[] k = pair("kernel_size", 1);
      int[] s = pair("strides", 1);
      long m = c.path("depth_multiplier").asLong(1);
      long filters = c.path("filters").asLong();
      boolean bias = c.path("use_bias").asBoolean(true);
      String act = activationName();
      expectedWeights = bias ? 3 : 2;
      long mid = channels(x) * m;
      Operand<TFloat32> dw = weight(0, "depthwise_kernel", k[0], k[1], channels(x), m);
      Operand<TFloat32> pw = weight(1, "pointwise_kernel", 1, 1, mid, filters);
      // As tf.nn.separable_conv2d: depthwise with the layer's strides and padding, then 1x1.
      Operand<TFloat32> y = scope.nn.conv2d(scope.nn.depthwiseConv2dNative(x, dw,
          List.of(1L, (long) s[0], (long) s[1], 1L), padding()), pw, List.of(1L, 1L, 1L, 1L),
          "VALID");
      if (bias) {
        y = scope.nn.biasAdd(y, weight(2, "bias", filters));
      }
      return activation(y, act);
    }

    Operand<TFloat32> dense() throws IOException {
      Operand<TFloat32> x = x();
      if (x.shape().numDimensions() != 2) {
        throw error("input of shape " + x.shape() + "; only 2-D inputs [batch, features] are "
            + "supported (add a Flatten or global pooling before it)");
      }
      long units = c.path("units").asLong();
      boolean bias = c.path("use_bias").asBoolean(true);
      String act = activationName();
      expectedWeights = bias ? 2 : 1;
      Operand<TFloat32> y = scope.linalg.matMul(x, weight(0, "kernel", channels(x), units));
      if (bias) {
        y = scope.math.add(y, weight(1, "bias", units));
      }
      return activation(y, act);
    }

    Operand<TFloat32> batchNorm() throws IOException {
      Operand<TFloat32> x = x();
      int rank = x.shape().numDimensions();
      int axis = axis(rank, -1);
      if (axis != rank - 1) {
        throw unsupported("axis", c.get("axis"), "the last axis (channels-last)");
      }
      for (String opt : List.of("renorm")) {
        if (c.path(opt).asBoolean(false)) {
          throw unsupported(opt, true, "false");
        }
      }
      if (c.hasNonNull("virtual_batch_size")) {
        throw unsupported("virtual_batch_size", c.get("virtual_batch_size"), "null");
      }
      boolean scale = c.path("scale").asBoolean(true);
      boolean center = c.path("center").asBoolean(true);
      float eps = (float) c.path("epsilon").asDouble(1e-3);
      long ch = channels(x);
      int i = 0;
      expectedWeights = (scale ? 1 : 0) + (center ? 1 : 0) + 2;
      Operand<TFloat32> gamma = scale ? weight(i++, "gamma", ch) : null;
      Operand<TFloat32> beta = center ? weight(i++, "beta", ch) : null;
      Operand<TFloat32> mean = weight(i++, "moving_mean", ch);
      Operand<TFloat32> var = weight(i, "moving_variance", ch);
      // As tf.nn.batch_normalization: x * inv + (beta - mean * inv), inv = gamma / sqrt(var + eps).
      Operand<TFloat32> inv = scope.math.rsqrt(scope.math.add(var, scope.constant(eps)));
      if (gamma != null) {
        inv = scope.math.mul(inv, gamma);
      }
      Operand<TFloat32> shift = scope.math.neg(scope.math.mul(mean, inv));
      if (beta != null) {
        shift = scope.math.add(beta, shift);
      }
      return named.identity(scope.math.add(scope.math.mul(x, inv), shift));
    }

    Operand<TFloat32> activationLayer() throws IOException {
      return activation(x(), activationName());
    }

    Operand<TFloat32> softmaxLayer() throws IOException {
      Operand<TFloat32> x = x();
      if (axis(x.shape().numDimensions(), -1) != x.shape().numDimensions() - 1) {
        throw unsupported("axis", c.get("axis"), "-1");
      }
      return activation(x, "softmax");
    }

    Operand<TFloat32> reluLayer() throws IOException {
      Operand<TFloat32> x = x();
      JsonNode maxNode = c.get("max_value");
      Float max = maxNode == null || maxNode.isNull() ? null : maxNode.floatValue();
      float slope = (float) c.path("negative_slope").asDouble(0);
      float threshold = (float) c.path("threshold").asDouble(0);
      if (slope == 0 && threshold == 0) {
        if (max == null) {
          return named.nn.relu(x);
        }
        if (max == 6f) {
          return named.nn.relu6(x);
        }
      }
      // Keras: max_value above it, x from threshold on, negative_slope * (x - threshold) below.
      Operand<TFloat32> t = scope.constant(threshold);
      Operand<TFloat32> y = scope.select(scope.math.greaterEqual(x, t), x,
          scope.math.mul(scope.constant(slope), scope.math.sub(x, t)));
      if (max != null) {
        y = scope.math.minimum(y, scope.constant(max));
      }
      return named.identity(y);
    }

    Operand<TFloat32> pool(boolean max) throws IOException {
      Operand<TFloat32> x = x4();
      channelsLast();
      int[] size = pair("pool_size", 2);
      int[] s = c.hasNonNull("strides") ? pair("strides", 1) : size;
      String padding = padding();
      if (max) {
        return named.nn.maxPool(x, scope.constant(new int[] {1, size[0], size[1], 1}),
            scope.constant(new int[] {1, s[0], s[1], 1}), padding);
      }
      // TF's AvgPool, as Keras: with "same", the padding is not counted in the average.
      return named.nn.avgPool(x, List.of(1L, (long) size[0], (long) size[1], 1L),
          List.of(1L, (long) s[0], (long) s[1], 1L), padding);
    }

    Operand<TFloat32> globalPool(boolean max) throws IOException {
      Operand<TFloat32> x = x4();
      channelsLast();
      boolean keep = c.path("keepdims").asBoolean(false);
      Operand<org.tensorflow.types.TInt32> axes = scope.constant(new int[] {1, 2});
      return max ? named.max(x, axes, Max.keepDims(keep))
          : named.math.mean(x, axes, Mean.keepDims(keep));
    }

    Operand<TFloat32> flatten() throws IOException {
      Operand<TFloat32> x = x();
      channelsLast();
      long features = 1;
      for (int i = 1; i < x.shape().numDimensions(); i++) {
        features *= x.shape().size(i);
      }
      // Row-major over (height, width, channels): Keras' channels-last flatten order.
      return named.reshape(x, scope.constant(new long[] {-1, features}));
    }

    Operand<TFloat32> identity() throws IOException {
      return named.identity(x());
    }

    Operand<TFloat32> merge() throws IOException {
      if (in.size() < 2) {
        throw error("needs at least two inputs, got " + in.size());
      }
      for (Operand<TFloat32> o : in) {
        if (!Arrays.equals(o.shape().asArray(), in.get(0).shape().asArray())) {
          throw error("inputs of different shapes " + in.stream().map(i -> i.shape().toString())
              .toList() + "; only same-shaped inputs are supported");
        }
      }
      if (layer.className().equals("Subtract")) {
        if (in.size() != 2) {
          throw error("Subtract takes two inputs, got " + in.size());
        }
        return named.math.sub(in.get(0), in.get(1));
      }
      Operand<TFloat32> y = in.get(0);
      for (int i = 1; i < in.size(); i++) {
        Operand<TFloat32> b = in.get(i);
        y = switch (layer.className()) {
          case "Add", "Average" -> scope.math.add(y, b);
          case "Multiply" -> scope.math.mul(y, b);
          case "Maximum" -> scope.math.maximum(y, b);
          default -> scope.math.minimum(y, b);
        };
      }
      if (layer.className().equals("Average")) {
        y = scope.math.div(y, scope.constant((float) in.size()));
      }
      return named.identity(y);
    }

    Operand<TFloat32> concatenate() throws IOException {
      if (in.isEmpty()) {
        throw error("has no inputs");
      }
      int rank = in.get(0).shape().numDimensions();
      int axis = axis(rank, -1);
      if (axis < 1 || axis >= rank) {
        throw unsupported("axis", c.get("axis"), "a non-batch axis");
      }
      return named.concat(in, scope.constant(axis));
    }

    Operand<TFloat32> zeroPadding() throws IOException {
      Operand<TFloat32> x = x4();
      channelsLast();
      JsonNode p = c.get("padding");
      int[][] hw;
      if (p == null || p.isNumber()) {
        int v = p == null ? 1 : p.asInt();
        hw = new int[][] {{v, v}, {v, v}};
      } else if (p.isArray() && p.size() == 2 && p.get(0).isNumber()) {
        hw = new int[][] {{p.get(0).asInt(), p.get(0).asInt()}, {p.get(1).asInt(), p.get(1).asInt()}};
      } else if (p.isArray() && p.size() == 2 && p.get(0).isArray()) {
        hw = new int[][] {{p.get(0).get(0).asInt(), p.get(0).get(1).asInt()},
            {p.get(1).get(0).asInt(), p.get(1).get(1).asInt()}};
      } else {
        throw error("cannot read option padding=" + p);
      }
      return named.pad(x, scope.constant(new int[][] {{0, 0}, hw[0], hw[1], {0, 0}}),
          scope.constant(0f));
    }

    Operand<TFloat32> rescaling() throws IOException {
      Operand<TFloat32> x = x();
      long ch = channels(x);
      float[] scale = values(c.path("scale"), ch, "scale");
      float[] offset = c.hasNonNull("offset") ? values(c.get("offset"), ch, "offset")
          : new float[(int) ch];
      return named.math.add(scope.math.mul(x, scope.constant(scale)), scope.constant(offset));
    }

    Operand<TFloat32> normalization() throws IOException {
      Operand<TFloat32> x = x();
      int rank = x.shape().numDimensions();
      if (axis(rank, -1) != rank - 1) {
        throw unsupported("axis", c.get("axis"), "-1 (per channel)");
      }
      if (c.path("invert").asBoolean(false)) {
        throw unsupported("invert", true, "false");
      }
      long ch = channels(x);
      Operand<TFloat32> mean;
      Operand<TFloat32> variance;
      if (c.hasNonNull("mean") && c.hasNonNull("variance")) {
        mean = scope.constant(values(c.get("mean"), ch, "mean"));
        variance = scope.constant(values(c.get("variance"), ch, "variance"));
        expectedWeights = 0;
      } else {
        // Adapted statistics are weights: mean, variance (and Keras 2's sample count).
        expectedWeights = 3;
        mean = weight(0, "mean", ch);
        variance = weight(1, "variance", ch);
      }
      // Keras: (x - mean) / max(sqrt(variance), epsilon()), epsilon() = 1e-7.
      Operand<TFloat32> std = scope.math.maximum(scope.math.sqrt(variance), scope.constant(1e-7f));
      return named.math.div(scope.math.sub(x, mean), std);
    }

    Operand<TFloat32> reshape() throws IOException {
      Operand<TFloat32> x = x();
      JsonNode t = c.path("target_shape");
      long[] shape = new long[t.size() + 1];
      shape[0] = -1;
      long known = 1;
      int free = -1;
      for (int i = 0; i < t.size(); i++) {
        shape[i + 1] = t.get(i).asLong();
        if (shape[i + 1] == -1) {
          free = i + 1;
        } else {
          known *= shape[i + 1];
        }
      }
      long size = 1;
      for (int i = 1; i < x.shape().numDimensions(); i++) {
        size *= x.shape().size(i);
      }
      if (free > 0) {
        shape[free] = size / known;
        known *= shape[free];
      }
      if (known != size) {
        throw error("cannot reshape " + x.shape() + " to target_shape " + t);
      }
      shape[0] = -1;
      return named.reshape(x, scope.constant(shape));
    }

    /**
     * Keras 2's record of a TensorFlow function called on a layer output, e.g. the
     * {@code x / 127.5 - 1} or {@code bias_add} of {@code keras.applications}' preprocess_input
     * inside a model: the element-wise ones with a constant second operand.
     */
    Operand<TFloat32> tfOp() throws IOException {
      Operand<TFloat32> x = x();
      String fn = c.path("function").asText();
      JsonNode kw = layer.callKwargs();
      String operand = fn.equals("nn.bias_add") ? "bias" : "y";
      JsonNode v = kw.get(operand);
      if (v == null || !(v.isNumber() || v.isArray())) {
        throw error("function " + fn + " with " + operand + "=" + v + " is not supported (a "
            + "constant number or per-channel list is)");
      }
      Operand<TFloat32> y = v.isNumber() ? scope.constant(v.floatValue())
          : scope.constant(values(v, channels(x), operand));
      return switch (fn) {
        case "math.truediv", "math.divide" -> named.math.div(x, y);
        case "math.subtract" -> named.math.sub(x, y);
        case "math.multiply" -> named.math.mul(x, y);
        case "__operators__.add", "math.add", "nn.bias_add" -> named.math.add(x, y);
        default -> throw unsupported("function", fn, "math.truediv, math.divide, math.subtract, "
            + "math.multiply, math.add, __operators__.add, nn.bias_add");
      };
    }

    /** {@code x[..., ::-1]}, the RGB to BGR swap of Keras' caffe-mode preprocess_input. */
    Operand<TFloat32> slicing() throws IOException {
      Operand<TFloat32> x = x();
      JsonNode spec = layer.callKwargs().path("slice_spec");
      JsonNode items = spec.path("items");
      boolean reverseChannels = spec.path("class_name").asText().equals("__tuple__")
          && items.size() == 2
          && items.get(0).path("class_name").asText().equals("__ellipsis__")
          && items.get(1).path("start").isNull() && items.get(1).path("stop").isNull()
          && items.get(1).path("step").asInt() == -1;
      if (!reverseChannels) {
        throw error("slice " + spec + " is not supported (only [..., ::-1])");
      }
      return named.reverse(x, scope.constant(new int[] {x.shape().numDimensions() - 1}));
    }

    // ---- activations ----

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
