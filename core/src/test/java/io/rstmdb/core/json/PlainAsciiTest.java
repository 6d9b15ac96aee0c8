package io.rstmdb.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

class PlainAsciiTest {

  private static boolean plainByDefinition(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7f || c == '"' || c == '\\' || c == '?') {
        return false;
      }
    }
    return true;
  }

  @Provide
  Arbitrary<String> strings() {
    return Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.chars().range(' ', '\u007f')),
            Tuple.of(1, Arbitraries.chars().range('\u0000', '\u00ff')),
            Tuple.of(1, Arbitraries.chars().range('\ud800', '\udfff')),
            Tuple.of(1, Arbitraries.chars()))
        .list()
        .ofMaxSize(40)
        .map(
            chars -> {
              StringBuilder sb = new StringBuilder();
              chars.forEach(sb::append);
              return sb.toString();
            });
  }

  @Property(tries = 3000)
  void agreesWithTheDefinition(@ForAll("strings") String s) {
    byte[] bytes = PlainAscii.bytesOf(s);
    if (plainByDefinition(s)) {
      assertThat(bytes).isEqualTo(s.getBytes(StandardCharsets.US_ASCII));
    } else {
      assertThat(bytes).isNull();
    }
  }

  @Test
  void everyOffendingCharAtEveryPositionOfALongString() {
    String base = "x".repeat(23);
    for (char bad :
        new char[] {'"', '\\', '?', '\u0000', '\u001f', '\u0080', 'é', '\ud800', '\uffff'}) {
      for (int at = 0; at < base.length(); at++) {
        String s = base.substring(0, at) + bad + base.substring(at + 1);
        assertThat(PlainAscii.bytesOf(s)).as("%04x at %d", (int) bad, at).isNull();
      }
    }
    assertThat(PlainAscii.bytesOf(base + " ~\u007f/")).isNotNull();
    assertThat(PlainAscii.bytesOf("")).isEmpty();
  }
}
