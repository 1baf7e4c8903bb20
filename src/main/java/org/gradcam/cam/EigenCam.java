package org.gradcam.cam;

import java.util.Random;

/**
 * Eigen-CAM (Muhammad and Yeasin 2020), as pytorch-grad-cam's {@code get_2d_projection}:
 * gradient-free. The activations, reshaped to an {@code (h*w) x k} matrix {@code X}, are centred
 * per channel (column), and each pixel's row is projected on the first right singular vector
 * {@code v} of {@code X}: {@code map = relu(X v)}.
 *
 * <p>{@code v} is found by power iteration on the smaller of the two Gram matrices ({@code X^T X},
 * {@code k x k}, or {@code X X^T}, {@code hw x hw}, then {@code X v = sigma u}), in double
 * precision, so no linear-algebra library is needed.
 *
 * <p>A singular vector's sign is arbitrary (pytorch-grad-cam keeps whatever its SVD returns).
 * Here it is fixed: the projection must correlate positively with each pixel's total activation
 * {@code sum_k A_ijk}, so strongly activated pixels come out positive. (A majority vote on the
 * signs of the projection would not work: with centred columns the projection sums to zero and
 * a small strongly activated object is typically outnumbered by the background.)
 */
public final class EigenCam implements CamMethod {
  private static final int MAX_ITERATIONS = 2000;
  private static final double TOLERANCE = 1e-12;

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
    double[] proj = new double[n];
    if (k <= n) {
      double[] v = topEigenvector(gram(x, n, k, true));
      for (int p = 0; p < n; p++) {
        for (int c = 0; c < k; c++) {
          proj[p] += x[p][c] * v[c];
        }
      }
    } else {
      double[][] g = gram(x, n, k, false);
      double[] u = topEigenvector(g);
      // X v = X X^T u / sigma = sigma u, with sigma^2 = u^T (X X^T) u.
      double lambda = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          lambda += u[i] * g[i][j] * u[j];
        }
      }
      double sigma = Math.sqrt(Math.max(0, lambda));
      for (int p = 0; p < n; p++) {
        proj[p] = sigma * u[p];
      }
    }
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

  /** {@code X^T X} ({@code k x k}) when {@code columns}, else {@code X X^T} ({@code n x n}). */
  private static double[][] gram(double[][] x, int n, int k, boolean columns) {
    int m = columns ? k : n;
    double[][] g = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int j = i; j < m; j++) {
        double s = 0;
        if (columns) {
          for (int p = 0; p < n; p++) {
            s += x[p][i] * x[p][j];
          }
        } else {
          for (int c = 0; c < k; c++) {
            s += x[i][c] * x[j][c];
          }
        }
        g[i][j] = s;
        g[j][i] = s;
      }
    }
    return g;
  }

  /**
   * Unit eigenvector of the largest eigenvalue of a symmetric positive semi-definite matrix, by
   * power iteration from a fixed pseudo-random start (an all-ones start would be exactly in the
   * null space of {@code X X^T} for centred {@code X}). All zeros when the matrix is zero.
   */
  static double[] topEigenvector(double[][] m) {
    int d = m.length;
    Random rnd = new Random(42);
    double[] v = new double[d];
    for (int i = 0; i < d; i++) {
      v[i] = rnd.nextGaussian();
    }
    if (normalise(v) == 0) {
      return v;
    }
    double[] next = new double[d];
    for (int it = 0; it < MAX_ITERATIONS; it++) {
      for (int i = 0; i < d; i++) {
        double s = 0;
        for (int j = 0; j < d; j++) {
          s += m[i][j] * v[j];
        }
        next[i] = s;
      }
      if (normalise(next) == 0) {
        return new double[d];
      }
      double change = 0;
      for (int i = 0; i < d; i++) {
        change = Math.max(change, Math.abs(next[i] - v[i]));
      }
      System.arraycopy(next, 0, v, 0, d);
      if (change < TOLERANCE) {
        break;
      }
    }
    return v;
  }

  private static double normalise(double[] v) {
    double norm = 0;
    for (double x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] /= norm;
      }
    }
    return norm;
  }
}
