package io.rstmdb.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The digit search behind double formatting, checked against a brute-force model: try every
 * precision from 1 digit up, keep the nearest candidate that parses back to the same double.
 */
class ShortestDoubleTest {

  static ShortestDouble.Digits bruteForce(double positive) {
    BigDecimal exact = new BigDecimal(positive);
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal best = null;
      for (RoundingMode mode : new RoundingMode[] {RoundingMode.DOWN, RoundingMode.UP}) {
        BigDecimal candidate = exact.round(new MathContext(precision, mode));
        if (Double.parseDouble(candidate.toString()) != positive) {
          continue;
        }
        int nearer =
            best == null
                ? -1
                : candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs());
        // A true tie (the double lies exactly halfway) goes to the even last digit, as in
        // serde_json's ryu.
        if (nearer < 0 || (nearer == 0 && !candidate.unscaledValue().testBit(0))) {
          best = candidate;
        }
      }
      if (best != null) {
        return ShortestDouble.Digits.of(best);
      }
    }
    throw new AssertionError("no round-tripping decimal for " + positive);
  }

  @Property(tries = 3000)
  void fastPathAndExactSearchAgreeWithBruteForce(@ForAll("positiveDoubles") double positive) {
    ShortestDouble.Digits expected = bruteForce(positive);
    assertThat(ShortestDouble.exactSearch(positive)).isEqualTo(expected);
    ShortestDouble.Digits fast = ShortestDouble.fromJavaString(positive);
    if (fast != null) {
      assertThat(fast).isEqualTo(expected);
    }
  }

  @Test
  void anExactTieGoesToTheEvenDigit() {
    // 625392173702.59375 is a double, exactly halfway between ...5937 and ...5938 at the 16
    // digits it needs (found by the property above, whose model picked the lower one).
    double tie = 625392173702.59375;
    assertThat(new BigDecimal(tie)).isEqualByComparingTo("625392173702.59375");
    ShortestDouble.Digits even = new ShortestDouble.Digits("6253921737025938", 12);
    assertThat(ShortestDouble.exactSearch(tie)).isEqualTo(even);
    assertThat(bruteForce(tie)).isEqualTo(even);
  }

  @Test
  void subnormalsAvoidJavasOverlongDigits() {
    // Double.toString(Double.MIN_VALUE) is "4.9E-324" before JDK 19; one digit suffices.
    StringBuilder out = new StringBuilder();
    ShortestDouble.append(out, Double.MIN_VALUE);
    assertThat(out).hasToString("5e-324");
    assertThat(ShortestDouble.exactSearch(Double.MIN_VALUE))
        .isEqualTo(new ShortestDouble.Digits("5", -323));
  }

  @Test
  void fastPathDeclinesWhenMoreThanFifteenDigitsAreNeeded() {
    assertThat(ShortestDouble.fromJavaString(0.1 + 0.2)).isNull();
    assertThat(ShortestDouble.fromJavaString(99.99))
        .isEqualTo(new ShortestDouble.Digits("9999", 2));
    assertThat(ShortestDouble.fromJavaString(1e21)).isEqualTo(new ShortestDouble.Digits("1", 22));
    assertThat(ShortestDouble.fromJavaString(0.001234))
        .isEqualTo(new ShortestDouble.Digits("1234", -2));
  }

  @Provide
  Arbitrary<Double> positiveDoubles() {
    Arbitrary<Double> anyBits =
        Arbitraries.longs()
            .between(1, Double.doubleToRawLongBits(Double.MAX_VALUE))
            .map(Double::longBitsToDouble);
    Arbitrary<Double> subnormal =
        Arbitraries.longs()
            .between(1, Double.doubleToRawLongBits(Double.MIN_NORMAL))
            .map(Double::longBitsToDouble);
    Arbitrary<Double> humanDecimals =
        Arbitraries.bigDecimals()
            .between(new BigDecimal("0.0001"), new BigDecimal("1e12"))
            .ofScale(4)
            .map(BigDecimal::doubleValue);
    Arbitrary<Double> powersOfTwo =
        Arbitraries.integers().between(-1074, 1023).map(e -> Math.scalb(1.0, e));
    return Arbitraries.oneOf(anyBits, subnormal, humanDecimals, powersOfTwo);
  }
}
