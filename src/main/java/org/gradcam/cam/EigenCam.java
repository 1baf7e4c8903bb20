package org.gradcam.cam;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Eigen-CAM (Muhammad and Yeasin 2020), as pytorch-grad-cam's {@code get_2d_projection}:
 * gradient-free. The activations, reshaped to an {@code (h*w) x k} matrix {@code X}, are centred
 * per channel (column), and each pixel's row is projected on the first right singular vector
 * {@code v} of {@code X}: {@code map = relu(X v)}.
 *
 * <p>{@code v} comes from Commons Math's SVD of {@code X}, in double precision: exact where
 * power iteration converges slowly (two nearly equal top singular values).
 *
 * <p>A singular vector's sign is arbitrary (pytorch-grad-cam keeps whatever its SVD returns).
 * Here it is fixed: the projection must correlate positively with each pixel's total activation
 * {@code sum_k A_ijk}, so strongly activated pixels come out positive. (A majority vote on the
 * signs of the projection would not work: with centred columns the projection sums to zero and
 * a small strongly activated object is typically outnumbered by the background.)
 */
public final class EigenCam implements CamMethod {
  @Override
  public String name() {
    return "eigencam";
  }

  @Override
  public float[] map(FeatureMaps activations, FeatureMaps gradients) {
    double[] projection = projection(activations);
    float[] out = new float[projection.length];
    for (int p = 0; p < out.length; p++) {
      out[p] = (float) Math.max(0, projection[p]);
    }
    return out;
  }

  /** The signed projection {@code X v} of each pixel, {@code h*w} values, before the ReLU. */
  static double[] projection(FeatureMaps activations) {
    int n = activations.height() * activations.width();
    int k = activations.channels();
    float[] a = activations.values();
    double[][] x = new double[n][k];
    double[] total = new double[n];
    for (int p = 0; p < n; p++) {
      for (int c = 0; c < k; c++) {
        x[p][c] = Float.isNaN(a[p * k + c]) ? 0 : a[p * k + c]; // as pytorch-grad-cam: NaN -> 0
        total[p] += x[p][c];
      }
    }
    for (int c = 0; c < k; c++) {
      double mean = 0;
      for (int p = 0; p < n; p++) {
        mean += x[p][c];
      }
      mean /= n;
      for (int p = 0; p < n; p++) {
        x[p][c] -= mean;
      }
    }
    RealMatrix centred = new Array2DRowRealMatrix(x, false);
    // Singular values come sorted, largest first; for a zero matrix v is some unit vector and
    // X v is zero, so the map is all zeros.
    double[] v = new SingularValueDecomposition(centred).getV().getColumn(0);
    double[] proj = centred.operate(v);
    double corr = 0;
    for (int p = 0; p < n; p++) {
      corr += proj[p] * total[p];
    }
    if (corr < 0) {
      for (int p = 0; p < n; p++) {
        proj[p] = -proj[p];
      }
    }
    return proj;
  }
}
