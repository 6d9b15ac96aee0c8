package io.rstmdb.core.json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats a double the way serde_json (via the Rust {@code ryu} crate) does: the shortest decimal
 * digits that parse back to the same double, laid out as {@code 1.0}, {@code 99.99}, {@code
 * 0.00001}, {@code 1e21}, {@code 1.5e-7}.
 *
 * <p>Before JDK 19 {@link Double#toString(double)} is not always shortest (it prints {@code
 * 4.9E-324} where {@code 5e-324} suffices) nor the closest of the shortest candidates. Its digits
 * are used only where they are provably right (normal doubles needing at most 15 digits, the common
 * case); everything else is decided by an exact {@link BigDecimal} search.
 */
final class ShortestDouble {
  /** Largest number of significant digits any double needs to round-trip. */
  private static final int MAX_DIGITS = 17;

  /** Decimals with up to this many significant digits survive a trip through a normal double. */
  private static final int SAFE_DIGITS = 15;

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
    double positive = Math.abs(value);
    Digits digits = fromJavaString(positive);
    if (digits == null) {
      digits = Digits.of(shortest(positive));
    }
    layout(out, digits.digits(), digits.pointPos());
  }

  /**
   * Decimal digits {@code d1...dn} (no leading or trailing zeros) and the position of the decimal
   * point: value = 0.d1...dn &times; 10^pointPos.
   */
  record Digits(String digits, int pointPos) {
    static Digits of(BigDecimal positive) {
      BigDecimal stripped = positive.stripTrailingZeros();
      String digits = stripped.unscaledValue().toString();
      return new Digits(digits, digits.length() - stripped.scale());
    }
  }

  /**
   * Fast path for normal doubles: {@link Double#toString} always round-trips, and when it needs at
   * most 15 significant digits its digits are the only decimal of that length that does (any
   * decimal of up to 15 digits survives a trip through a normal double), so they are shortest.
   * Returns null for subnormals and when more digits are needed: the exact search decides then.
   */
  static Digits fromJavaString(double positive) {
    if (positive < Double.MIN_NORMAL) {
      return null;
    }
    String s = Double.toString(positive);
    int e = s.indexOf('E');
    int exponent = e < 0 ? 0 : Integer.parseInt(s, e + 1, s.length(), 10);
    String mantissa = e < 0 ? s : s.substring(0, e);
    int dot = mantissa.indexOf('.');
    String all = mantissa.substring(0, dot) + mantissa.substring(dot + 1);
    int first = 0;
    while (first < all.length() - 1 && all.charAt(first) == '0') {
      first++;
    }
    int last = all.length();
    while (last > first + 1 && all.charAt(last - 1) == '0') {
      last--;
    }
    if (last - first > SAFE_DIGITS) {
      return null;
    }
    return new Digits(all.substring(first, last), dot + exponent - first);
  }

  /** The shortest round-tripping digits by exact search; used for subnormals and 16–17 digits. */
  static Digits exactSearch(double positive) {
    return Digits.of(shortest(positive));
  }

  private static BigDecimal shortest(double positive) {
    BigDecimal exact = new BigDecimal(positive);
    if (positive >= Double.MIN_NORMAL) {
      // At most one decimal of up to 15 digits maps to a normal double: the 15-digit rounding.
      BigDecimal rounded = exact.round(new MathContext(SAFE_DIGITS, RoundingMode.HALF_EVEN));
      if (toDouble(rounded) == positive) {
        return rounded;
      }
    }
    int from = positive >= Double.MIN_NORMAL ? SAFE_DIGITS + 1 : 1;
    for (int precision = from; precision <= MAX_DIGITS; precision++) {
      BigDecimal down = exact.round(new MathContext(precision, RoundingMode.DOWN));
      BigDecimal up = exact.round(new MathContext(precision, RoundingMode.UP));
      boolean downOk = toDouble(down) == positive;
      boolean upOk = toDouble(up) == positive;
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

  /**
   * Correctly rounded conversion. Not {@link BigDecimal#doubleValue()}: before JDK 19 it can be off
   * by one ulp (e.g. near the subnormal range), which would break the round-trip test.
   */
  static double toDouble(BigDecimal decimal) {
    return Double.parseDouble(decimal.toString());
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
