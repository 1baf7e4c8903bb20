package org.gradcam.cam;

import com.google.auto.service.AutoService;
import jakarta.annotation.Priority;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Eigen-CAM (Muhammad and Yeasin 2020), as pytorch-grad-cam's {@code get_2d_projection}:
 * gradient-free. The activations, reshaped to an {@code (h*w) x k} matrix {@code X}, are centred
 * per channel (column), and each pixel's row is projected on the first right singular vector
 * {@code v} of {@code X}: {@code map = relu(X v)}.
 *
 * <p>{@code v} comes from EJML's SVD of {@code X}, in double precision: exact where power
 * iteration converges slowly (two nearly equal top singular values). Only the smaller factor is
 * built ({@code V}, or {@code U} when there are fewer pixels than channels, as
 * {@code X v = sigma u}), which keeps it as fast as the power iteration was; Commons Math's
 * SVD, building both, took about ten times longer on SqueezeNet's 13x13x512 maps.
 *
 * <p>A singular vector's sign is arbitrary (pytorch-grad-cam keeps whatever its SVD returns).
 * Here it is fixed: the projection must correlate positively with each pixel's total activation
 * {@code sum_k A_ijk}, so strongly activated pixels come out positive. (A majority vote on the
 * signs of the projection would not work: with centred columns the projection sums to zero and
 * a small strongly activated object is typically outnumbered by the background.)
 */
@AutoService(MapMethod.class)
@Priority(60)
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
    DMatrixRMaj x = new DMatrixRMaj(n, k);
    double[] total = new double[n];
    for (int p = 0; p < n; p++) {
      for (int c = 0; c < k; c++) {
        double value = Float.isNaN(a[p * k + c]) ? 0 : a[p * k + c]; // as pytorch-grad-cam
        x.set(p, c, value);
        total[p] += value;
      }
    }
    for (int c = 0; c < k; c++) {
      double mean = 0;
      for (int p = 0; p < n; p++) {
        mean += x.get(p, c);
      }
      mean /= n;
      for (int p = 0; p < n; p++) {
        x.set(p, c, x.get(p, c) - mean);
      }
    }
    // X v = sigma u: with fewer pixels than channels the n x n U is the cheaper factor to build.
    boolean wide = n < k;
    SingularValueDecomposition_F64<DMatrixRMaj> svd =
        DecompositionFactory_DDRM.svd(n, k, wide, !wide, true);
    if (!svd.decompose(svd.inputModified() ? x.copy() : x)) {
      throw new IllegalStateException("Eigen-CAM: the SVD of the activations did not converge");
    }
    // EJML leaves the singular values unsorted: take the largest one's vector. For a zero
    // matrix every value is 0 and X v is zero, so the map is all zeros.
    double[] s = svd.getSingularValues();
    int top = 0;
    for (int i = 1; i < svd.numberOfSingularValues(); i++) {
      top = s[i] > s[top] ? i : top;
    }
    double[] proj = new double[n];
    if (wide) {
      DMatrixRMaj u = svd.getU(null, false);
      for (int p = 0; p < n; p++) {
        proj[p] = s[top] * u.get(p, top);
      }
    } else {
      DMatrixRMaj v = svd.getV(null, false);
      for (int p = 0; p < n; p++) {
        for (int c = 0; c < k; c++) {
          proj[p] += x.get(p, c) * v.get(c, top);
        }
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
}
