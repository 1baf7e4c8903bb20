package org.gradcam.localize;

/**
 * The NumPy dtype SciPy would work in. SciPy filters in the input's dtype: a float32 map is
 * smoothed in double precision per 1-D pass but each pass's output is stored as float32, and
 * NumPy compares a float32 array with a Python float threshold in float32. Reproducing the
 * published boxes exactly therefore needs to know which dtype the map had.
 */
public enum Precision {
  /** Values are kept as doubles, like a NumPy float64 array. */
  FLOAT64 {
    @Override
    public double round(double value) {
      return value;
    }
  },
  /** Values are rounded to the nearest float after every step, like a NumPy float32 array. */
  FLOAT32 {
    @Override
    public double round(double value) {
      return (float) value;
    }
  };

  /** Stores {@code value} the way an array of this dtype would. */
  public abstract double round(double value);

  /** {@code value > threshold} as NumPy evaluates it for an array of this dtype. */
  public boolean exceeds(double value, double threshold) {
    return round(value) > round(threshold);
  }
}
