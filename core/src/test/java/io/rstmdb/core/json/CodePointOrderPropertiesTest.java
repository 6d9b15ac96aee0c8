package io.rstmdb.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The fast char-wise path of the code point order must agree with comparing code points. */
class CodePointOrderPropertiesTest {
  private static final Comparator<String> ORDER = CanonicalJson.codePointOrder();

  @Property(tries = 2000)
  void agreesWithComparingCodePointArrays(
      @ForAll("tricky") String prefix, @ForAll("tricky") String a, @ForAll("tricky") String b) {
    String x = prefix + a;
    String y = prefix + b;
    int expected =
        Integer.signum(Arrays.compare(x.codePoints().toArray(), y.codePoints().toArray()));
    assertThat(Integer.signum(ORDER.compare(x, y))).isEqualTo(expected);
    assertThat(Integer.signum(ORDER.compare(y, x))).isEqualTo(-expected);
  }

  @Property(tries = 200)
  void equalStringsCompareEqual(@ForAll("tricky") String s) {
    assertThat(ORDER.compare(s, new String(s))).isZero();
  }

  /** ASCII, U+E000–U+FFFF, valid surrogate pairs and lone surrogates, mixed. */
  @Provide
  Arbitrary<String> tricky() {
    Arbitrary<String> pieces =
        Arbitraries.oneOf(
            Arbitraries.chars().range('a', 'c').map(String::valueOf),
            Arbitraries.chars().range('\uE000', '\uE001').map(String::valueOf),
            Arbitraries.chars().range('\uFFFE', '\uFFFF').map(String::valueOf),
            Arbitraries.integers().between(0x10000, 0x10002).map(Character::toString),
            Arbitraries.integers().between(0x10FFFE, 0x10FFFF).map(Character::toString),
            Arbitraries.chars().range('\uD800', '\uD801').map(String::valueOf),
            Arbitraries.chars().range('\uDC00', '\uDC01').map(String::valueOf));
    return pieces.list().ofMaxSize(6).map(l -> String.join("", l));
  }
}
