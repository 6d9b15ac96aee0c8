package io.rstmdb.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalJsonWriterTest {

  private final MessageCodec codec = new MessageCodec();
  private final ObjectMapper mapper = codec.mapper();

  @ParameterizedTest
  @CsvSource({
    "1.0, 1.0",
    "100, 100.0",
    "99.99, 99.99",
    "1e15, 1000000000000000.0",
    "1e16, 1e16",
    "1e21, 1e21",
    "12.34, 12.34",
    "0.001234, 0.001234",
    "1e-5, 0.00001",
    "1e-6, 1e-6",
    "1.5e-7, 1.5e-7",
    "1.234e33, 1.234e33",
    "5e-324, 5e-324",
    "1e-323, 1e-323",
    "2e-322, 2e-322",
    "0, 0.0",
    "-2.5, -2.5",
    "0.1, 0.1",
    "123456789012345680000, 1.2345678901234568e20"
  })
  void formatsDoublesLikeRyu(double value, String expected) {
    assertThat(CanonicalJsonWriter.formatDouble(value)).isEqualTo(expected);
  }

  @Test
  void negativeZeroAndNonFinite() {
    assertThat(CanonicalJsonWriter.formatDouble(-0.0)).isEqualTo("-0.0");
    assertThat(CanonicalJsonWriter.formatDouble(Double.NaN)).isEqualTo("null");
  }

  @Test
  void shortestDigitsEvenWhereJdk17IsLonger() {
    // Double.toString(2e23) is "2.0000000000000002E23" before JDK 19; ryu prints 2e23.
    assertThat(CanonicalJsonWriter.formatDouble(2e23)).isEqualTo("2e23");
    assertThat(CanonicalJsonWriter.formatDouble(1.0E23)).isEqualTo("1e23");
  }

  @Property(tries = 1000)
  void doublesRoundTrip(@ForAll double value) {
    String text = CanonicalJsonWriter.formatDouble(value);
    if (Double.isFinite(value)) {
      assertThat(Double.parseDouble(text)).isEqualTo(value);
      assertThat(text).doesNotContain("E").doesNotContain("+");
    }
  }

  @Test
  void integersStayIntegersWithinU64AndI64() throws Exception {
    assertThat(write("[18446744073709551615,-9223372036854775808,7]"))
        .isEqualTo("[18446744073709551615,-9223372036854775808,7]");
    assertThat(write("[18446744073709551616]")).isEqualTo("[1.8446744073709552e19]");
    assertThat(
            CanonicalJsonWriter.formatDouble(new BigInteger("-9223372036854775809").doubleValue()))
        .isEqualTo("-9.223372036854776e18");
  }

  @Test
  void escapesLikeSerde() throws Exception {
    JsonNode node =
        mapper.readTree("\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0000 \\u001f / \\u007f é 😀\"");
    assertThat(codec.writeString(node))
        .isEqualTo("\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0000 \\u001f / \u007f é 😀\"");
  }

  @Test
  void sortsKeysByCodePointNotUtf16() throws Exception {
    // U+FF5E sorts before U+1F600 by code point, although its UTF-16 unit 0xFF5E > 0xD83D.
    assertThat(write("{\"😀\":1,\"～\":2,\"b\":3,\"a\":4,\"B\":5}"))
        .isEqualTo("{\"B\":5,\"a\":4,\"b\":3,\"～\":2,\"😀\":1}");
  }

  @Test
  void codePointComparatorAgreesWithUtf8ByteOrder() {
    List<String> keys = new ArrayList<>(List.of("😀", "～", "z", "", "ä", "a\u0000"));
    keys.sort(CanonicalJsonWriter.CODE_POINT_ORDER);
    List<String> byBytes = new ArrayList<>(keys);
    byBytes.sort(
        (x, y) ->
            java.util.Arrays.compareUnsigned(
                x.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                y.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(keys).containsExactlyElementsOf(byBytes);
  }

  private String write(String json) throws Exception {
    return codec.writeString(mapper.readTree(json));
  }
}
