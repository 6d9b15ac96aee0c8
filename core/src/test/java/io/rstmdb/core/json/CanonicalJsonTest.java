package io.rstmdb.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.POJONode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static String canonical(String json) throws Exception {
    return CanonicalJson.write(MAPPER.readTree(json));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    // integral values up to 16 digits keep a ".0"
    "1.0, 1.0",
    "100.0, 100.0",
    "1e15, 1000000000000000.0",
    "9007199254740992.0, 9007199254740992.0",
    "1e16, 1e16",
    "1e17, 1e17",
    "1e21, 1e21",
    // a decimal point inside the digits
    "12.34, 12.34",
    "99.99, 99.99",
    "0.1, 0.1",
    "-2.5, -2.5",
    "123456.789, 123456.789",
    // small values: up to four leading zeros after the point
    "0.001234, 0.001234",
    "1e-5, 0.00001",
    "0.0001, 0.0001",
    "1e-6, 1e-6",
    "1.5e-7, 1.5e-7",
    "5e-324, 5e-324",
    "4.9e-324, 5e-324",
    "1.234e33, 1.234e33",
    "-1.234e33, -1.234e33",
    "1.7976931348623157e308, 1.7976931348623157e308",
    "2.2250738585072014e-308, 2.2250738585072014e-308",
    "123456789012345680.0, 1.2345678901234568e17",
    "0.30000000000000004, 0.30000000000000004",
    "0.0, 0.0",
    "-0.0, -0.0",
    "1E2, 100.0",
    "2e-3, 0.002",
  })
  void doublesUseTheRyuLayout(String input, String expected) throws Exception {
    assertThat(canonical(input)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "0, 0",
    "42, 42",
    "-7, -7",
    "9223372036854775807, 9223372036854775807",
    "-9223372036854775808, -9223372036854775808",
    // u64 range stays integral
    "18446744073709551615, 18446744073709551615",
    // beyond u64 / i64 it becomes a double
    "18446744073709551616, 1.8446744073709552e19",
    "-9223372036854775809, -9.223372036854776e18",
    "100000000000000000000000, 1e23",
  })
  void integersStayVerbatimWithinU64AndI64(String input, String expected) throws Exception {
    assertThat(canonical(input)).isEqualTo(expected);
  }

  @Test
  void nonFiniteDoublesAreWrittenAsNull() {
    assertThat(CanonicalJson.write(DoubleNode.valueOf(Double.POSITIVE_INFINITY))).isEqualTo("null");
    assertThat(CanonicalJson.write(DoubleNode.valueOf(Double.NaN))).isEqualTo("null");
  }

  @Test
  void floatNodesUseTheDecimalTheyDisplayAs() {
    assertThat(CanonicalJson.write(FloatNode.valueOf(0.1f))).isEqualTo("0.1");
  }

  @Test
  void bigIntegerNodesInLongRangeAreIntegers() {
    assertThat(CanonicalJson.write(JsonNodeFactory.instance.numberNode(BigInteger.TEN)))
        .isEqualTo("10");
  }

  @Test
  void stringsEscapeOnlyQuoteBackslashAndControlCharacters() {
    StringBuilder out = new StringBuilder();
    CanonicalJson.writeString(out, "a\"b\\c/d\b\f\n\r\t\u0000\u001f\u007fé😀\u2028");
    assertThat(out.toString())
        .isEqualTo("\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\\u0000\\u001f\u007fé😀\u2028\"");
  }

  @Test
  void everyControlCharacterWithoutShortFormUsesLowercaseHex() {
    for (char c = 0; c < 0x20; c++) {
      if ("\b\f\n\r\t".indexOf(c) >= 0) {
        continue;
      }
      StringBuilder out = new StringBuilder();
      CanonicalJson.writeString(out, String.valueOf(c));
      assertThat(out.toString()).isEqualTo(String.format("\"\\u%04x\"", (int) c));
    }
  }

  @Test
  void emptyStringAndPlainString() {
    StringBuilder out = new StringBuilder();
    CanonicalJson.writeString(out, "");
    CanonicalJson.writeString(out, "plain");
    assertThat(out.toString()).isEqualTo("\"\"\"plain\"");
  }

  @Test
  void objectKeysAreSortedRecursivelyAndOutputIsCompact() throws Exception {
    String json =
        "{ \"b\": 1, \"a\": { \"z\": [ 3, { \"y\": null, \"x\": true } ], \"m\": false },"
            + " \"\": \"empty\" }";
    assertThat(canonical(json))
        .isEqualTo(
            "{\"\":\"empty\",\"a\":{\"m\":false,\"z\":[3,{\"x\":true,\"y\":null}]},\"b\":1}");
  }

  @Test
  void keysSortByCodePointNotByUtf16Unit() throws Exception {
    // U+FF21 (fullwidth A) is a single UTF-16 unit above the surrogates of U+1F600, so String
    // order puts the emoji first, while UTF-8 byte order puts it last.
    String json = "{\"😀\":1,\"Ａ\":2,\"a\":3,\"é\":4}";
    assertThat(canonical(json)).isEqualTo("{\"a\":3,\"é\":4,\"Ａ\":2,\"😀\":1}");
  }

  @Test
  void codePointOrderEqualsUtf8ByteOrder() {
    List<String> keys = new ArrayList<>(List.of("😀", "Ａ", "", "a", "ab", "é", "\uE000", "b"));
    keys.sort(CanonicalJson.codePointOrder());
    assertThat(keys).containsExactly("", "a", "ab", "b", "é", "\uE000", "Ａ", "😀");
    assertThat(CanonicalJson.codePointOrder().compare("a", "a")).isZero();
    assertThat(CanonicalJson.codePointOrder().compare("ab", "a")).isPositive();
    assertThat(CanonicalJson.codePointOrder().compare("a", "ab")).isNegative();
  }

  @Test
  void scalarsAndEmptyContainers() throws Exception {
    assertThat(canonical("null")).isEqualTo("null");
    assertThat(canonical("true")).isEqualTo("true");
    assertThat(canonical("false")).isEqualTo("false");
    assertThat(canonical("[]")).isEqualTo("[]");
    assertThat(canonical("{}")).isEqualTo("{}");
    assertThat(canonical("\"x\"")).isEqualTo("\"x\"");
    assertThat(CanonicalJson.write(null)).isEqualTo("null");
  }

  @Test
  void writingIntoABuilderAppends() throws Exception {
    JsonNode node = MAPPER.readTree("{\"k\":[1,2.5]}");
    StringBuilder out = new StringBuilder("prefix:");
    CanonicalJson.write(out, node);
    assertThat(out.toString()).isEqualTo("prefix:{\"k\":[1,2.5]}");
  }

  @Test
  void pojoNodesAreRejected() {
    assertThatThrownBy(() -> CanonicalJson.write(new POJONode(new Object())))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
