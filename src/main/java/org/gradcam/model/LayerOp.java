package org.gradcam.model;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * What {@link NetBuilder} built for one layer: its one record, from which the model summary
 * ({@link #info()}) and the layer map derive, and which the ONNX export reads: the kind, the
 * summary's layer type, the input operands, the output, the parameter count and, by kind, the
 * kernel, window, stride, padding and whether a ReLU ends the layer. (The explicit backward pass
 * of Guided Backprop reads the graph itself, so it needs nothing of this.)
 *
 * @param inputs the layer's input operands (none for the input layer or an imported layer,
 *     several for a concat or an add)
 * @param output the layer's output (after the activation if there is one)
 * @param kernel conv kernel HWIO or dense kernel {@code [in, out]} (kinds CONV, DENSE); else null
 * @param window max-pool window size; 0 for other kinds
 * @param stride CONV or MAX_POOL stride; 0 for other kinds
 * @param padding CONV padding ({@code SAME}/{@code VALID}); max-pool: always {@code VALID}
 * @param poolInput max-pool: the tensor actually pooled (the input, padded with -inf in ceil
 *     mode); null for other kinds
 * @param relu whether the layer's output is a ReLU (CONV, DENSE)
 * @param type the layer type the summary shows, e.g. {@code Conv2D}
 * @param params the number of weights of the layer
 */
public record LayerOp(String name, Kind kind, List<Operand<TFloat32>> inputs,
    Operand<TFloat32> output, Operand<TFloat32> kernel, int window, int stride, String padding,
    Operand<TFloat32> poolInput, boolean relu, String type, long params) {

  /**
   * The layer kinds NetBuilder makes. The first seven are the SqueezeNet and VGG16 layers the
   * ONNX export writes; FUSED_CONV (per-axis strides, a TFLite fused activation such as ReLU6)
   * and the next ones are MobileNet V2's; IMPORTED is a layer an importer built itself.
   */
  public enum Kind {
    INPUT("InputLayer"), CONV("Conv2D"), MAX_POOL("MaxPooling2D"), CONCAT("Concatenate"),
    GLOBAL_AVERAGE_POOL("GlobalAvgPool"), FLATTEN("Flatten"), DENSE("Dense"),
    FUSED_CONV("Conv2D"), DEPTHWISE_CONV("DepthwiseConv2D"), ADD("Add"),
    AVERAGE_POOL("AveragePooling2D"), SLICE("Slice"), IMPORTED(null);

    /** The summary's type of a layer of this kind (IMPORTED: the importer's). */
    final String type;

    Kind(String type) {
      this.type = type;
    }
  }

  public LayerOp {
    inputs = List.copyOf(inputs);
  }

  /** The summary row: name, type, output shape without the batch axis, parameters. */
  public LayerInfo info() {
    long[] dims = output.shape().asArray();
    return new LayerInfo(name, type, Arrays.copyOfRange(dims, 1, dims.length), params);
  }

  static LayerOp input(String name, Operand<TFloat32> out) {
    return new LayerOp(name, Kind.INPUT, List.of(), out, null, 0, 0, null, null, false,
        Kind.INPUT.type, 0);
  }

  static LayerOp conv(String name, Operand<TFloat32> x, Operand<TFloat32> out,
      Operand<TFloat32> kernel, int stride, String padding, boolean relu, long params) {
    return new LayerOp(name, Kind.CONV, List.of(x), out, kernel, 0, stride, padding, null, relu,
        Kind.CONV.type, params);
  }

  static LayerOp maxPool(String name, Operand<TFloat32> x, Operand<TFloat32> out,
      Operand<TFloat32> pooled, int window, int stride) {
    return new LayerOp(name, Kind.MAX_POOL, List.of(x), out, null, window, stride, "VALID", pooled,
        false, Kind.MAX_POOL.type, 0);
  }

  static LayerOp dense(String name, Operand<TFloat32> x, Operand<TFloat32> out,
      Operand<TFloat32> kernel, boolean relu, long params) {
    return new LayerOp(name, Kind.DENSE, List.of(x), out, kernel, 0, 0, null, null, relu,
        Kind.DENSE.type, params);
  }

  /** A layer of a kind that keeps no kernel, window or stride. */
  static LayerOp of(String name, Kind kind, List<Operand<TFloat32>> inputs,
      Operand<TFloat32> out, long params) {
    return new LayerOp(name, kind, inputs, out, null, 0, 0, null, null, false, kind.type, params);
  }

  /** A layer an importer built with {@link NetBuilder#ops()}, shown as {@code type}. */
  static LayerOp imported(String name, String type, Operand<TFloat32> out, long params) {
    return new LayerOp(name, Kind.IMPORTED, List.of(), out, null, 0, 0, null, null, false, type,
        params);
  }
}
