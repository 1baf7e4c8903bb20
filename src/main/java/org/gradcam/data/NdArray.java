package org.gradcam.data;

import java.util.Arrays;

/** A numeric numpy array read from a pickle: its shape and its values in C order, as doubles. */
public record NdArray(int[] shape, double[] values) {
  public NdArray {
    long count = Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
    if (count != values.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + count + " values, got " + values.length);
    }
  }

  public int rows() {
    return shape.length == 0 ? 1 : shape[0];
  }

  /** Element {@code [row, col]} of a 2-D array. */
  public double get(int row, int col) {
    return values[row * shape[1] + col];
  }
}
