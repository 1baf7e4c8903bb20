package org.gradcam.faithfulness;

import org.gradcam.model.ModelSpec;

/**
 * The RGB colour (0..255 scale) that a model's preprocessing maps to an all-zero input: the
 * ImageNet mean colour for both torchvision normalisation and Keras/Caffe mean subtraction.
 * RISE deletes pixels by setting the <em>normalised</em> input to zero ({@code torch.zeros_like}
 * on the normalised tensor); painting this colour in pixel space and then preprocessing gives the
 * same model input.
 *
 * <p>Found by treating the preprocessing of one pixel as an affine map {@code R^3 -> R^3} (any
 * channel order, scale and offset) and solving {@code f(p) = 0}; a preprocessing that is not
 * per-pixel affine is refused, since then no single colour stands for "zero input".
 */
public final class InputZero {
  private InputZero() {}

  /**
   * @throws IllegalArgumentException when the preprocessing is not affine per pixel or is
   *     singular
   */
  public static float[] colour(ModelSpec.Preprocessor preprocessor) {
    return colour(preprocessor, 3);
  }

  /**
   * The colour of {@code channels} values (3: RGB; 1: the grey level of a 1-channel model)
   * whose preprocessed value is 0.
   */
  public static float[] colour(ModelSpec.Preprocessor preprocessor, int channels) {
    if (channels == 1) {
      return new float[] {grey(preprocessor)};
    }
    double[] f0 = apply(preprocessor, 0, 0, 0);
    double[][] j = new double[3][3]; // j[row = output channel][col = input channel]
    for (int k = 0; k < 3; k++) {
      double[] e = new double[3];
      e[k] = 255;
      double[] fk = apply(preprocessor, e[0], e[1], e[2]);
      for (int r = 0; r < 3; r++) {
        j[r][k] = (fk[r] - f0[r]) / 255;
      }
    }
    double det = det(j);
    if (Math.abs(det) < 1e-12) {
      throw new IllegalArgumentException("preprocessing does not depend on each colour channel");
    }
    double[] p = new double[3];
    for (int k = 0; k < 3; k++) {
      double[][] m = new double[3][];
      for (int r = 0; r < 3; r++) {
        m[r] = j[r].clone();
        m[r][k] = -f0[r];
      }
      p[k] = det(m) / det;
    }
    // The map must be affine: check it at the solution and at an unrelated colour.
    checkAffine(preprocessor, f0, j, p);
    checkAffine(preprocessor, f0, j, new double[] {200, 31, 97});
    return new float[] {(float) p[0], (float) p[1], (float) p[2]};
  }

  private static void checkAffine(ModelSpec.Preprocessor preprocessor, double[] f0, double[][] j,
      double[] q) {
    double[] got = apply(preprocessor, q[0], q[1], q[2]);
    for (int r = 0; r < 3; r++) {
      double want = f0[r] + j[r][0] * q[0] + j[r][1] * q[1] + j[r][2] * q[2];
      double scale = 1e-4 * (1 + Math.abs(want) + 255 * Math.abs(j[r][0] + j[r][1] + j[r][2]));
      if (Math.abs(got[r] - want) > scale) {
        throw new IllegalArgumentException("preprocessing is not affine per pixel (channel " + r
            + ": " + got[r] + " vs " + want + "); no colour stands for a zero input");
      }
    }
  }

  /** A grey model's zero: its preprocessing {@code f(v) = a + b v} solved for 0, if affine. */
  private static float grey(ModelSpec.Preprocessor preprocessor) {
    double f0 = grey(preprocessor, 0);
    double slope = (grey(preprocessor, 255) - f0) / 255;
    if (Math.abs(slope) < 1e-12) {
      throw new IllegalArgumentException("preprocessing does not depend on the grey level");
    }
    double v = f0 == 0 ? 0 : -f0 / slope; // not -0.0 for a preprocessing without offset
    for (double q : new double[] {v, 97}) {
      double want = f0 + slope * q;
      double tolerance = 1e-4 * (1 + Math.abs(want) + 255 * Math.abs(slope));
      if (Math.abs(grey(preprocessor, q) - want) > tolerance) {
        throw new IllegalArgumentException("preprocessing is not affine per pixel; no grey "
            + "level stands for a zero input");
      }
    }
    return (float) v;
  }

  private static double grey(ModelSpec.Preprocessor preprocessor, double v) {
    float[] out = preprocessor.apply(new float[] {(float) v}, 1, 1);
    if (out.length != 1) {
      throw new IllegalArgumentException("preprocessing turned one grey pixel into "
          + out.length + " values, expected 1");
    }
    return out[0];
  }

  private static double[] apply(ModelSpec.Preprocessor preprocessor, double r, double g, double b) {
    float[] out = preprocessor.apply(new float[] {(float) r, (float) g, (float) b}, 1, 1);
    if (out.length != 3) {
      throw new IllegalArgumentException("preprocessing turned one pixel into " + out.length
          + " values, expected 3");
    }
    return new double[] {out[0], out[1], out[2]};
  }

  private static double det(double[][] m) {
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  }
}
