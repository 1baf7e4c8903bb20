package org.gradcam.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.gradcam.data.Npy;
import org.gradcam.model.Model;

/** {@code explain --input-npy}: an already preprocessed tensor, checked against the model. */
final class InputTensor {
  private InputTensor() {}

  /** The tensor's values, when its shape is the model's input of one image and all are finite. */
  static float[] read(Model model, Path file) throws IOException {
    Npy npy = Npy.read(file);
    long[] expected = new long[4];
    expected[0] = 1;
    System.arraycopy(model.spec().inputShape(), 0, expected, 1, 3);
    if (!Arrays.equals(npy.shape(), expected)) {
      throw new IllegalArgumentException(file + " has shape " + Arrays.toString(npy.shape())
          + "; model " + model.name() + " takes " + Arrays.toString(expected));
    }
    float[] x = npy.floats();
    for (int i = 0; i < x.length; i++) {
      if (!Float.isFinite(x[i])) {
        // NaN or Inf would flow through the graph into a map of NaNs, drawn as a flat colour.
        throw new IllegalArgumentException(file + " holds " + x[i] + " at index "
            + Arrays.toString(unravel(i, npy.shape())) + ": an input must be finite numbers only");
      }
    }
    return x;
  }

  /** The C-order index of flat position {@code i} in an array of this shape. */
  private static long[] unravel(long i, long[] shape) {
    long[] index = new long[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      index[d] = i % shape[d];
      i /= shape[d];
    }
    return index;
  }
}
