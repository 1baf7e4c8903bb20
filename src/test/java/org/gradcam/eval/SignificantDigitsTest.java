package org.gradcam.eval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SignificantDigitsTest {
  @Test
  void roundsToSevenSignificantDigits() {
    // The two scores of the same box that AVX-512 gave in a batch of 4 and alone: one number.
    assertThat(SignificantDigits.format(0.13496953115706847, 7)).isEqualTo("0.1349695");
    assertThat(SignificantDigits.format(0.13496952913952462, 7)).isEqualTo("0.1349695");
    assertThat(SignificantDigits.format(0.06374228564033538, 7)).isEqualTo("0.06374229");
    assertThat(SignificantDigits.format(1.0, 7)).isEqualTo("1");
    assertThat(SignificantDigits.format(0.0, 7)).isEqualTo("0");
    assertThat(SignificantDigits.format(123456789.0, 7)).isEqualTo("123456800");
    assertThat(SignificantDigits.format(-2.5e-9, 7)).isEqualTo("-0.0000000025");
    // Half-even on the exact binary value: 0.125 has an exact tie at 2 digits.
    assertThat(SignificantDigits.format(0.125, 2)).isEqualTo("0.12");
  }

  @Test
  void valuesParseBackWithinHalfAUnitOfTheLastDigit() {
    java.util.Random r = new java.util.Random(4);
    for (int i = 0; i < 1000; i++) {
      double v = Math.pow(10, r.nextInt(9) - 6) * r.nextDouble();
      double back = Double.parseDouble(SignificantDigits.format(v, 7));
      assertThat(Math.abs(back - v)).isLessThanOrEqualTo(Math.ulp(v) + 0.5e-6 * Math.abs(v));
    }
  }

  @Test
  void undefinedValuesStayReadable() {
    assertThat(SignificantDigits.float32(Double.NaN)).isEqualTo("NaN");
    assertThat(SignificantDigits.float32(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
  }
}
