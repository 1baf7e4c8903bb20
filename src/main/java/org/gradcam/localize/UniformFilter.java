package org.gradcam.localize;

/**
 * The box (mean) filter of {@code scipy.ndimage.uniform_filter(map, size)} with its defaults,
 * reproduced operation for operation so thresholds give the same pixels as SciPy.
 *
 * <p>What SciPy does, and this class therefore does:
 * <ul>
 *   <li>one 1-D pass per axis, first along y (axis 0) then along x (axis 1), the second pass
 *       reading the first pass's stored output;
 *   <li>each output pixel {@code i} averages input offsets {@code -size/2 .. size-size/2-1}
 *       (integer division), so for an even size the window reaches one pixel further up/left
 *       than down/right;
 *   <li>mode {@code reflect}: the line is extended as {@code d c b a | a b c d | d c b a},
 *       repeating the reflection when the window is longer than the line;
 *   <li>a running sum in double precision: the first window is summed in order, then each
 *       step adds {@code (entering - leaving)} and divides the sum by the size, which costs
 *       O(1) per pixel whatever the size;
 *   <li>each pass's output is stored in the input dtype, see {@link Precision};
 *   <li>size 1 skips both passes and returns the input unchanged, as {@code uniform_filter}
 *       does (a running sum of size 1 would not be exact: {@code 0.3 + (0.9 - 0.3) != 0.9}).
 * </ul>
 */
public final class UniformFilter {
  /** The size the published experiment used. */
  public static final int DEFAULT_SIZE = 20;

  /**
   * The largest size accepted: wider than any image line here, small enough that the extended
   * index line ({@code length + size - 1} ints) can neither overflow nor exhaust memory.
   */
  public static final int MAX_SIZE = 1 << 20;

  private final int size;
  private final Precision precision;

  /** A float64 filter, as SciPy applies it to a float64 array. */
  public UniformFilter(int size) {
    this(size, Precision.FLOAT64);
  }

  public UniformFilter(int size, Precision precision) {
    if (size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException(
          "filter size must be between 1 and " + MAX_SIZE + ", got " + size);
    }
    if (precision == null) {
      throw new IllegalArgumentException("precision must not be null");
    }
    this.size = size;
    this.precision = precision;
  }

  public int size() {
    return size;
  }

  public Precision precision() {
    return precision;
  }

  /**
   * Returns the smoothed map, flat and row-major like {@code map} (value {@code (x, y)} at
   * {@code y * width + x}), as a new array; {@code map} is not modified. With
   * {@link Precision#FLOAT32} the input is first rounded to floats, as a float32 array holds it.
   */
  public double[] apply(double[] map, int width, int height) {
    HeatmapChecks.requireValidMap(map, width, height);
    double[] input = new double[map.length];
    for (int i = 0; i < map.length; i++) {
      input[i] = precision.round(map[i]);
    }
    if (size == 1) {
      return input;
    }
    return filterAlongX(filterAlongY(input, width, height), width, height);
  }

  /**
   * Axis 0. Runs the running sums of all columns side by side, row by row, so memory is read in
   * row order; per column the arithmetic is exactly SciPy's 1-D loop.
   */
  private double[] filterAlongY(double[] in, int width, int height) {
    int[] source = extendedIndices(height);
    double[] sum = new double[width];
    for (int k = 0; k < size; k++) {
      int row = source[k] * width;
      for (int x = 0; x < width; x++) {
        sum[x] += in[row + x];
      }
    }
    double[] out = new double[in.length];
    storeMean(sum, out, 0);
    for (int y = 1; y < height; y++) {
      int entering = source[y + size - 1] * width;
      int leaving = source[y - 1] * width;
      for (int x = 0; x < width; x++) {
        sum[x] += in[entering + x] - in[leaving + x];
      }
      storeMean(sum, out, y * width);
    }
    return out;
  }

  /** Axis 1: SciPy's 1-D loop on each row. */
  private double[] filterAlongX(double[] in, int width, int height) {
    int[] source = extendedIndices(width);
    double[] out = new double[in.length];
    for (int y = 0; y < height; y++) {
      int row = y * width;
      double sum = 0.0;
      for (int k = 0; k < size; k++) {
        sum += in[row + source[k]];
      }
      out[row] = precision.round(sum / size);
      for (int x = 1; x < width; x++) {
        sum += in[row + source[x + size - 1]] - in[row + source[x - 1]];
        out[row + x] = precision.round(sum / size);
      }
    }
    return out;
  }

  private void storeMean(double[] sum, double[] target, int offset) {
    for (int x = 0; x < sum.length; x++) {
      target[offset + x] = precision.round(sum[x] / size);
    }
  }

  /**
   * Where each position of the reflect-extended line comes from: position {@code k} of the
   * extended line holds line index {@code k - size/2}, mirrored into {@code [0, length)}.
   */
  private int[] extendedIndices(int length) {
    int[] source = new int[length + size - 1];
    int before = size / 2;
    for (int k = 0; k < source.length; k++) {
      source[k] = reflect(k - before, length);
    }
    return source;
  }

  /** Half-sample symmetric reflection, periodic with period {@code 2 * length}. */
  static int reflect(int index, int length) {
    int period = 2 * length;
    int m = Math.floorMod(index, period);
    return m < length ? m : period - 1 - m;
  }
}
