package org.gradcam.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * What {@link NetBuilder} built for one layer, kept so that a backward pass can be written
 * explicitly (e.g. Guided Backpropagation, whose ReLU rule TF Java cannot substitute for the
 * registered gradient): the kind, the input operands, the output and, by kind, the kernel
 * constant, window, stride, padding and whether a ReLU ends the layer.
 *
 * @param inputs the layer's input operands (none for the input layer, several for a concat)
 * @param output the layer's output (after the ReLU if there is one)
 * @param kernel conv kernel HWIO or dense kernel {@code [in, out]}; null for other kinds
 * @param window max-pool window size; 0 for other kinds
 * @param stride conv or max-pool stride; 0 for other kinds
 * @param padding conv padding ({@code SAME}/{@code VALID}); max-pool: always {@code VALID}
 * @param poolInput max-pool: the tensor actually pooled (the input, padded with -inf in ceil
 *     mode); null for other kinds
 * @param relu whether the layer's output is a ReLU (conv, dense)
 */
public record LayerOp(String name, Kind kind, List<Operand<TFloat32>> inputs,
    Operand<TFloat32> output, Operand<TFloat32> kernel, int window, int stride, String padding,
    Operand<TFloat32> poolInput, boolean relu) {

  /** The layer kinds NetBuilder makes. */
  public enum Kind { INPUT, CONV, MAX_POOL, CONCAT, GLOBAL_AVERAGE_POOL, FLATTEN, DENSE }

  public LayerOp {
    inputs = List.copyOf(inputs);
  }

  static LayerOp input(String name, Operand<TFloat32> out) {
    return new LayerOp(name, Kind.INPUT, List.of(), out, null, 0, 0, null, null, false);
  }

  static LayerOp conv(String name, Operand<TFloat32> x, Operand<TFloat32> out,
      Operand<TFloat32> kernel, int stride, String padding, boolean relu) {
    return new LayerOp(name, Kind.CONV, List.of(x), out, kernel, 0, stride, padding, null, relu);
  }

  static LayerOp maxPool(String name, Operand<TFloat32> x, Operand<TFloat32> out,
      Operand<TFloat32> pooled, int window, int stride) {
    return new LayerOp(name, Kind.MAX_POOL, List.of(x), out, null, window, stride, "VALID", pooled,
        false);
  }

  static LayerOp of(String name, Kind kind, List<Operand<TFloat32>> inputs,
      Operand<TFloat32> out) {
    return new LayerOp(name, kind, inputs, out, null, 0, 0, null, null, false);
  }

  static LayerOp dense(String name, Operand<TFloat32> x, Operand<TFloat32> out,
      Operand<TFloat32> kernel, boolean relu) {
    return new LayerOp(name, Kind.DENSE, List.of(x), out, kernel, 0, 0, null, null, relu);
  }
}
