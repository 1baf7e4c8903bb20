package org.gradcam.model.keras;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gradcam.model.NetBuilder;
import org.gradcam.model.keras.KerasWeights.Weight;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Builds one Keras layer into the graph with the semantics of Keras' TensorFlow backend in
 * inference mode, channels-last. Each layer's output is an op named after the layer (its
 * internals in a sub-scope of that name), recorded in the model summary with its parameter
 * count, so every layer can be a Grad-CAM target by its Keras name.
 *
 * <p>The layer classes are one table, {@link #BY_CLASS}: adding a layer class is one entry here
 * and one builder in the class of its family ({@link KerasConvLayers}, {@link
 * KerasNormalizationLayers}, {@link KerasActivationLayers}, {@link KerasShapeLayers}, {@link
 * KerasOpLayers}), which reads the layer through {@link LayerBuild}.
 */
final class KerasLayers {
  /** Builds one layer's output from what {@link LayerBuild} holds. */
  @FunctionalInterface
  interface Builder {
    Operand<TFloat32> build(LayerBuild b) throws IOException;
  }

  static final Map<String, Builder> BY_CLASS = new HashMap<>();

  static {
    add(KerasConvLayers::conv, "Conv2D", "Convolution2D");
    add(KerasConvLayers::depthwise, "DepthwiseConv2D");
    add(KerasConvLayers::separable, "SeparableConv2D", "SeparableConvolution2D");
    add(KerasConvLayers::dense, "Dense");
    add(KerasNormalizationLayers::batchNorm, "BatchNormalization");
    add(KerasNormalizationLayers::rescaling, "Rescaling");
    add(KerasNormalizationLayers::normalization, "Normalization");
    add(KerasActivationLayers::activationLayer, "Activation");
    add(KerasActivationLayers::softmaxLayer, "Softmax");
    add(KerasActivationLayers::reluLayer, "ReLU");
    add(b -> KerasShapeLayers.pool(b, true), "MaxPooling2D", "MaxPool2D");
    add(b -> KerasShapeLayers.pool(b, false), "AveragePooling2D", "AvgPool2D");
    add(b -> KerasShapeLayers.globalPool(b, false), "GlobalAveragePooling2D", "GlobalAvgPool2D");
    add(b -> KerasShapeLayers.globalPool(b, true), "GlobalMaxPooling2D", "GlobalMaxPool2D");
    add(KerasShapeLayers::flatten, "Flatten");
    add(KerasShapeLayers::reshape, "Reshape");
    add(KerasShapeLayers::zeroPadding, "ZeroPadding2D");
    // Inference: no dropout, noise or random augmentation.
    add(KerasShapeLayers::identity, "Dropout", "SpatialDropout2D", "GaussianNoise",
        "GaussianDropout", "AlphaDropout", "ActivityRegularization", "RandomFlip",
        "RandomRotation", "RandomZoom", "RandomTranslation", "RandomContrast", "RandomBrightness");
    add(KerasOpLayers::merge, "Add", "Multiply", "Subtract", "Average", "Maximum", "Minimum");
    add(KerasOpLayers::concatenate, "Concatenate");
    add(KerasOpLayers::tfOp, "TFOpLambda");
    add(KerasOpLayers::slicing, "SlicingOpLambda");
  }

  private static void add(Builder builder, String... classNames) {
    for (String c : classNames) {
      BY_CLASS.put(c, builder);
    }
  }

  private final NetBuilder net;
  private final String source;

  KerasLayers(NetBuilder net, String source) {
    this.net = net;
    this.source = source;
  }

  /** The layer's output; {@code last}: the model output, whose softmax is left out. */
  Operand<TFloat32> build(KerasConfig.Layer layer, List<Operand<TFloat32>> in,
      List<Weight> weights, boolean last) throws IOException {
    Builder builder = BY_CLASS.get(layer.className());
    if (builder == null) {
      throw new IOException(source + ": Keras layer class " + layer.className()
          + " (layer '" + layer.name() + "') is not supported");
    }
    LayerBuild l = new LayerBuild(net, source, layer, in, weights, last);
    Operand<TFloat32> out = builder.build(l);
    if (l.expectedWeights >= 0 && weights.size() > l.expectedWeights) {
      throw l.error("the file holds " + weights.size() + " weights " + LayerBuild.names(weights)
          + ", the layer uses " + l.expectedWeights);
    }
    long params = weights.stream().mapToLong(w -> w.values().length).sum();
    return net.layer(layer.name(), l.type, out, params);
  }
}
