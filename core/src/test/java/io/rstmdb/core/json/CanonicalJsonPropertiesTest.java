package io.rstmdb.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CanonicalJsonPropertiesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Property(tries = 200)
  void parsingTheOutputGivesTheSameValue(@ForAll("json") JsonNode value) throws Exception {
    String written = CanonicalJson.write(value);
    assertThat(MAPPER.readTree(written)).isEqualTo(value);
  }

  @Property(tries = 200)
  void writingIsIdempotent(@ForAll("json") JsonNode value) throws Exception {
    String once = CanonicalJson.write(value);
    assertThat(CanonicalJson.write(MAPPER.readTree(once))).isEqualTo(once);
  }

  @Property(tries = 500)
  void doublesRoundTripWithNoMoreDigitsThanJavaUses(@ForAll("finiteDoubles") double value) {
    String written = CanonicalJson.write(DoubleNode.valueOf(value));
    assertThat(Double.parseDouble(written)).isEqualTo(value);
    assertThat(significantDigits(written))
        .isLessThanOrEqualTo(significantDigits(Double.toString(value)));
  }

  @Property(tries = 500)
  void noShorterDecimalRoundTrips(@ForAll("finiteDoubles") double value) {
    double positive = Math.abs(value);
    if (positive == 0.0) {
      return;
    }
    String written = CanonicalJson.write(DoubleNode.valueOf(positive));
    int digits = significantDigits(written);
    if (digits == 1) {
      return;
    }
    BigDecimal exact = new BigDecimal(positive);
    // Any decimal with fewer digits that lies between the neighbours of the value would round-trip;
    // the nearest candidates at that precision are the ones rounding toward and away from zero.
    for (java.math.RoundingMode mode :
        List.of(java.math.RoundingMode.DOWN, java.math.RoundingMode.UP)) {
      BigDecimal shorter = exact.round(new java.math.MathContext(digits - 1, mode));
      assertThat(shorter.doubleValue()).isNotEqualTo(positive);
    }
  }

  private static int significantDigits(String number) {
    String mantissa = number.replaceFirst("[eE].*$", "").replace("-", "").replace(".", "");
    String stripped = mantissa.replaceFirst("^0+", "").replaceFirst("0+$", "");
    return Math.max(1, stripped.length());
  }

  @Provide
  Arbitrary<Double> finiteDoubles() {
    Arbitrary<Double> fromBits =
        Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite);
    Arbitrary<Double> decimals =
        Arbitraries.bigDecimals()
            .between(new BigDecimal("-1e9"), new BigDecimal("1e9"))
            .ofScale(4)
            .map(BigDecimal::doubleValue);
    return Arbitraries.oneOf(fromBits, decimals, Arbitraries.doubles());
  }

  @Provide
  Arbitrary<JsonNode> json() {
    return value(2);
  }

  private Arbitrary<JsonNode> value(int depth) {
    Arbitrary<JsonNode> scalars =
        Arbitraries.oneOf(
            Arbitraries.just(NODES.nullNode()),
            Arbitraries.of(true, false).map(NODES::booleanNode),
            Arbitraries.integers().map(NODES::numberNode),
            Arbitraries.longs()
                .between(Integer.MAX_VALUE + 1L, Long.MAX_VALUE)
                .map(l -> NODES.numberNode(l % 2 == 0 ? l : -l - 1)),
            Arbitraries.bigIntegers()
                .between(
                    java.math.BigInteger.valueOf(Long.MAX_VALUE).add(java.math.BigInteger.ONE),
                    java.math.BigInteger.ONE.shiftLeft(64).subtract(java.math.BigInteger.ONE))
                .map(NODES::numberNode),
            finiteDoubles().map(NODES::numberNode),
            text().map(NODES::textNode));
    if (depth == 0) {
      return scalars;
    }
    Arbitrary<JsonNode> arrays =
        value(depth - 1)
            .list()
            .ofMaxSize(4)
            .map(
                items -> {
                  ArrayNode array = NODES.arrayNode();
                  items.forEach(array::add);
                  return array;
                });
    Arbitrary<JsonNode> objects =
        Arbitraries.maps(text(), value(depth - 1))
            .ofMaxSize(4)
            .map(
                fields -> {
                  ObjectNode object = NODES.objectNode();
                  fields.forEach(object::set);
                  return object;
                });
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, scalars),
        net.jqwik.api.Tuple.of(1, arrays),
        net.jqwik.api.Tuple.of(1, objects));
  }

  private static Arbitrary<String> text() {
    return Arbitraries.strings()
        .withCharRange('\u0000', '\u00ff')
        .withChars('"', '\\', '/', 'é', '\u2028', '\uFF21', '\uE000')
        .withChars("😀")
        .ofMaxLength(6);
  }
}
