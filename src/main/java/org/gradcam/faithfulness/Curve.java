package org.gradcam.faithfulness;

/**
 * A deletion or insertion curve: at {@code fractions[i]} of the pixels changed, the target's
 * softmax probability {@code probabilities[i]}; {@code steps + 1} points from 0 to 1.
 */
public record Curve(double[] fractions, double[] probabilities) {
  public Curve {
    if (fractions.length != probabilities.length || fractions.length < 2) {
      throw new IllegalArgumentException("a curve needs at least 2 points and as many fractions"
          + " as probabilities, got " + fractions.length + " and " + probabilities.length);
    }
    fractions = fractions.clone();
    probabilities = probabilities.clone();
  }

  @Override
  public double[] fractions() {
    return fractions.clone();
  }

  @Override
  public double[] probabilities() {
    return probabilities.clone();
  }

  /** Number of steps, one less than the number of points. */
  public int steps() {
    return fractions.length - 1;
  }

  /**
   * Area under the curve by the trapezoidal rule over the changed fraction, [0, 1]. With evenly
   * spaced fractions this is RISE's {@code auc}: {@code (sum(p) - p[0]/2 - p[n]/2) / n}.
   */
  public double auc() {
    double area = 0;
    for (int i = 1; i < fractions.length; i++) {
      area += (fractions[i] - fractions[i - 1]) * (probabilities[i] + probabilities[i - 1]) / 2;
    }
    return area;
  }
}
