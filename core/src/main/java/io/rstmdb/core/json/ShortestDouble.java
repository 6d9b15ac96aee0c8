package io.rstmdb.core.json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats a double the way serde_json (via the Rust {@code ryu} crate) does: the shortest decimal
 * digits that parse back to the same double, laid out as {@code 1.0}, {@code 99.99}, {@code
 * 0.00001}, {@code 1e21}, {@code 1.5e-7}.
 *
 * <p>The digits are searched with exact {@link BigDecimal} arithmetic rather than taken from {@link
 * Double#toString(double)}, because before JDK 19 that method is not always shortest (it prints
 * {@code 4.9E-324} where the shortest form is {@code 5e-324}).
 */
final class ShortestDouble {
  /** Largest number of significant digits any double needs to round-trip. */
  private static final int MAX_DIGITS = 17;

  /** Layout switches to scientific notation beyond this decimal-point position. */
  private static final int MAX_PLAIN_EXPONENT = 16;

  /** Layout switches to scientific notation at or below this decimal-point position. */
  private static final int MIN_PLAIN_EXPONENT = -5;

  private ShortestDouble() {}

  /** Appends {@code value} to {@code out}; non-finite values are written as {@code null}. */
  static void append(StringBuilder out, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      // serde_json's serializer writes non-finite floats as null; JSON has no spelling for them.
      out.append("null");
      return;
    }
    if (value == 0.0) {
      out.append(Double.doubleToRawLongBits(value) < 0 ? "-0.0" : "0.0");
      return;
    }
    if (value < 0) {
      out.append('-');
    }
    BigDecimal shortest = shortest(Math.abs(value)).stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    // value = 0.d1...dn x 10^pointPos
    int pointPos = digits.length() - shortest.scale();
    layout(out, digits, pointPos);
  }

  private static BigDecimal shortest(double positive) {
    BigDecimal exact = new BigDecimal(positive);
    for (int precision = 1; precision <= MAX_DIGITS; precision++) {
      BigDecimal down = exact.round(new MathContext(precision, RoundingMode.DOWN));
      BigDecimal up = exact.round(new MathContext(precision, RoundingMode.UP));
      boolean downOk = down.doubleValue() == positive;
      boolean upOk = up.doubleValue() == positive;
      if (downOk && upOk) {
        return closer(exact, down, up, precision);
      }
      if (downOk) {
        return down;
      }
      if (upOk) {
        return up;
      }
    }
    return exact.round(new MathContext(MAX_DIGITS, RoundingMode.HALF_EVEN));
  }

  /** Of two round-tripping candidates, the one nearer the exact value (ties: even last digit). */
  private static BigDecimal closer(
      BigDecimal exact, BigDecimal down, BigDecimal up, int precision) {
    int cmp = exact.subtract(down).compareTo(up.subtract(exact));
    if (cmp < 0) {
      return down;
    }
    if (cmp > 0) {
      return up;
    }
    return exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
  }

  private static void layout(StringBuilder out, String digits, int pointPos) {
    int n = digits.length();
    if (n <= pointPos && pointPos <= MAX_PLAIN_EXPONENT) {
      out.append(digits);
      out.append("0".repeat(pointPos - n));
      out.append(".0");
    } else if (0 < pointPos && pointPos <= MAX_PLAIN_EXPONENT) {
      out.append(digits, 0, pointPos).append('.').append(digits, pointPos, n);
    } else if (MIN_PLAIN_EXPONENT < pointPos && pointPos <= 0) {
      out.append("0.");
      out.append("0".repeat(-pointPos));
      out.append(digits);
    } else {
      out.append(digits.charAt(0));
      if (n > 1) {
        out.append('.').append(digits, 1, n);
      }
      out.append('e').append(pointPos - 1);
    }
  }
}
