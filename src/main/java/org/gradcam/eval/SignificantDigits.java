package org.gradcam.eval;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Numbers written at the precision they have. A score computed from float32 maps carries about 7
 * significant digits; printing the 17 digits of its double only records the rounding of one CPU's
 * kernels, so a file written on another machine would differ in every line.
 */
public final class SignificantDigits {
  /** What a float32 value holds (24-bit significand, 7.2 decimal digits). */
  public static final int FLOAT32 = 7;

  private SignificantDigits() {}

  /** {@code value} at {@link #FLOAT32} significant digits. */
  public static String float32(double value) {
    return format(value, FLOAT32);
  }

  /**
   * {@code value} rounded half-even to {@code digits} significant digits, plain notation; NaN
   * and infinities (an undefined metric) as Java writes them.
   */
  public static String format(double value, int digits) {
    if (!Double.isFinite(value)) {
      return Double.toString(value);
    }
    if (value == 0) {
      return "0";
    }
    return new BigDecimal(value).round(new MathContext(digits, RoundingMode.HALF_EVEN))
        .stripTrailingZeros().toPlainString();
  }
}
