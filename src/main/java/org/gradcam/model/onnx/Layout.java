package org.gradcam.model.onnx;

import java.util.Arrays;

/**
 * NCHW (ONNX) and NHWC (TensorFlow's CPU kernels) axis orders, and constant data rearranged
 * between them while importing, so that the graph gets the weights already in its layout.
 */
final class Layout {
  static final int[] TO_NHWC = {0, 2, 3, 1};
  static final int[] TO_NCHW = {0, 3, 1, 2};
  /** Physical NHWC axis of each NCHW-logical axis. */
  static final int[] L2P = {0, 3, 1, 2};

  private Layout() {}

  static long[] leftPad(long[] s, int rank) {
    long[] out = new long[rank];
    Arrays.fill(out, 1);
    System.arraycopy(s, 0, out, rank - s.length, s.length);
    return out;
  }

  static long[] permute(long[] s, int[] perm) {
    long[] out = new long[perm.length];
    for (int i = 0; i < perm.length; i++) {
      out[i] = s[perm[i]];
    }
    return out;
  }

  /** C-order data of {@code shape} transposed by {@code perm} (output axis i = input perm[i]). */
  static float[] transpose(float[] data, long[] shape, int[] perm) {
    int rank = shape.length;
    long[] outShape = permute(shape, perm);
    long[] inStrides = new long[rank];
    long st = 1;
    for (int i = rank - 1; i >= 0; i--) {
      inStrides[i] = st;
      st *= shape[i];
    }
    long[] strideOfOut = new long[rank];
    for (int i = 0; i < rank; i++) {
      strideOfOut[i] = inStrides[perm[i]];
    }
    float[] out = new float[data.length];
    int[] idx = new int[rank];
    long src = 0;
    for (int o = 0; o < out.length; o++) {
      out[o] = data[(int) src];
      for (int d = rank - 1; d >= 0; d--) {
        idx[d]++;
        src += strideOfOut[d];
        if (idx[d] < outShape[d]) {
          break;
        }
        src -= strideOfOut[d] * idx[d];
        idx[d] = 0;
      }
    }
    return out;
  }
}
