package io.rstmdb.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Evaluation semantics of compiled guards (state-machines.md §6.3–6.5). */
class GuardEvaluationTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static boolean eval(String guard, String ctx) {
    return Guard.compile(guard).test(json(ctx));
  }

  private static final String SPEC_CTX =
      "{\"amount\":150,\"status\":\"active\",\"flags\":{\"vip\":true},\"items\":[1],"
          + "\"zero\":0,\"empty\":\"\"}";

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiterString = "=>",
      value = {
        "ctx.amount > 100 => true",
        "ctx.amount >= 150.0 && ctx.status == \"active\" => true",
        "ctx.flags.vip => true",
        "ctx.flags.gold => false",
        "!ctx.zero => true",
        "ctx.empty => false",
        "ctx.items => true",
        "ctx.items.0 => false",
        "ctx.missing == null => true",
        "ctx.missing != 5 => true",
        "ctx.a || ctx.amount > 100 && ctx.zero => false",
        "(ctx.a || ctx.amount > 100) && !ctx.zero => true",
        "ctx.amount = 1 => true",
      })
  void specExamples(String guard, boolean expected) {
    assertThat(eval(guard, SPEC_CTX)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} is truthy: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "null | false",
        "true | true",
        "false | false",
        "0 | false",
        "0.0 | false",
        "-0.0 | false",
        "1 | true",
        "-1 | true",
        "0.5 | true",
        "1e-300 | true",
        "\"\" | false",
        "\"0\" | true",
        "\"false\" | true",
        "[] | false",
        "[0] | true",
        "{} | false",
        "{\"a\":null} | true",
      })
  void truthiness(String value, boolean truthy) {
    String ctx = "{\"v\":" + value + "}";
    assertThat(eval("ctx.v", ctx)).isEqualTo(truthy);
    assertThat(eval("!ctx.v", ctx)).isEqualTo(!truthy);
    assertThat(eval("!!ctx.v", ctx)).isEqualTo(truthy);
  }

  @Test
  void missingFieldsAreFalsyAndEqualNull() {
    assertThat(eval("ctx.nope", "{}")).isFalse();
    assertThat(eval("!ctx.nope", "{}")).isTrue();
    assertThat(eval("ctx.nope == null", "{}")).isTrue();
    assertThat(eval("ctx.nope != null", "{}")).isFalse();
    assertThat(eval("ctx.nope != 5", "{}")).isTrue();
    assertThat(eval("ctx.nope == false", "{}")).isFalse();
    assertThat(eval("ctx.nope > 5", "{}")).isFalse();
    assertThat(eval("!(ctx.nope > 5)", "{}")).isTrue();
    assertThat(eval("ctx.nope <= 5", "{}")).isFalse();
  }

  @Test
  void aNullContextHasNoFields() {
    assertThat(Guard.compile("ctx.a").test(null)).isFalse();
    assertThat(Guard.compile("!ctx.a").test(null)).isTrue();
    assertThat(Guard.compile("ctx.a == null").test(null)).isTrue();
    assertThat(Guard.compile("ctx.a.b != 1").test(null)).isTrue();
    assertThat(Guard.compile("ctx.a").test(JsonNodeFactory.instance.nullNode())).isFalse();
  }

  @Test
  void aNonObjectContextHasNoFields() {
    assertThat(eval("ctx.a == null", "[1,2]")).isTrue();
    assertThat(eval("ctx.a", "\"text\"")).isFalse();
    assertThat(eval("ctx.length", "\"text\"")).isFalse();
  }

  @Test
  void fieldResolutionWalksObjectsOnly() {
    String ctx = "{\"a\":{\"b\":{\"c\":7}},\"items\":[{\"x\":1}],\"s\":\"str\",\"n\":null}";
    assertThat(eval("ctx.a.b.c == 7", ctx)).isTrue();
    assertThat(eval("ctx.a.b", ctx)).isTrue();
    assertThat(eval("ctx.a.x.c == null", ctx)).isTrue();
    assertThat(eval("ctx.items.0.x == null", ctx)).isTrue();
    assertThat(eval("ctx.items.length == null", ctx)).isTrue();
    assertThat(eval("ctx.s.length == null", ctx)).isTrue();
    assertThat(eval("ctx.n.x == null", ctx)).isTrue();
    assertThat(eval("ctx.a.b.c.d == null", ctx)).isTrue();
  }

  @Test
  void emptyPathSegmentsLookUpTheEmptyKey() {
    assertThat(eval("ctx.a..b", "{\"a\":{\"\":{\"b\":true}}}")).isTrue();
    assertThat(eval("ctx..a", "{\"\":{\"a\":true}}")).isTrue();
    assertThat(eval("ctx.a.", "{\"a\":{\"\":1}}")).isTrue();
    assertThat(eval("ctx.a.", "{\"a\":{\"x\":1}}")).isFalse();
    assertThat(eval("ctx..", "{\"\":{\"\":\"x\"}}")).isTrue();
  }

  @Test
  void unicodeFieldNamesAndStrings() {
    String ctx = "{\"ü\":{\"日本\":\"東京\"},\"x²\":2,\"emoji\":\"😀\"}";
    assertThat(eval("ctx.ü.日本 == \"東京\"", ctx)).isTrue();
    assertThat(eval("ctx.x² > 1", ctx)).isTrue();
    assertThat(eval("ctx.emoji == \"😀\"", ctx)).isTrue();
    assertThat(eval("ctx.emoji != \"😁\"", ctx)).isTrue();
  }

  @Test
  void stringEqualityIsExactWithoutNormalization() {
    // "é" precomposed vs "e" + combining acute: different code units, not equal.
    assertThat(eval("ctx.s == \"é\"", "{\"s\":\"e\u0301\"}")).isFalse();
    assertThat(eval("ctx.s == \"Active\"", "{\"s\":\"active\"}")).isFalse();
    assertThat(eval("ctx.s == \"active\"", "{\"s\":\"active\"}")).isTrue();
  }

  @Test
  void stringLiteralsAreNotUnescaped() {
    // the guard text ctx.s == "a\"b" compares with the four characters a \ " b
    assertThat(eval("ctx.s == \"a\\\"b\"", "{\"s\":\"a\\\\\\\"b\"}")).isTrue();
    assertThat(eval("ctx.s == \"a\\\"b\"", "{\"s\":\"a\\\"b\"}")).isFalse();
    // "\n" in a guard is a backslash and an n, not a newline
    assertThat(eval("ctx.s == \"\\n\"", "{\"s\":\"\\\\n\"}")).isTrue();
    assertThat(eval("ctx.s == \"\\n\"", "{\"s\":\"\\n\"}")).isFalse();
    // an escaped multi-byte character is kept as backslash + that character
    assertThat(eval("ctx.s == \"\\é\"", "{\"s\":\"\\\\é\"}")).isTrue();
    assertThat(eval("ctx.s == \"\\😀\"", "{\"s\":\"\\\\😀\"}")).isTrue();
  }

  @Test
  void keywordLiteralsMatchByPrefix() {
    assertThat(eval("ctx.a == trueish", "{\"a\":true}")).isTrue();
    assertThat(eval("ctx.a == falsehood", "{\"a\":false}")).isTrue();
    assertThat(eval("ctx.a == nullable", "{}")).isTrue();
  }

  @Test
  void trailingTextIsIgnored() {
    assertThat(eval("ctx.a and ctx.b", "{\"a\":true,\"b\":false}")).isTrue();
    assertThat(eval("ctx.a and ctx.b", "{\"a\":false,\"b\":true}")).isFalse();
    assertThat(eval("ctx.a & ctx.b", "{\"a\":true,\"b\":false}")).isTrue();
    assertThat(eval("ctx.a) || ctx.b", "{\"a\":false,\"b\":true}")).isFalse();
    assertThat(eval("ctx.a = 1", "{\"a\":5}")).isTrue();
    // no exponents: "1e3" is read as 1 followed by ignored "e3"
    assertThat(eval("ctx.a > 1e3", "{\"a\":2}")).isTrue();
    assertThat(eval("ctx.a == 1e3", "{\"a\":1}")).isTrue();
  }

  @Test
  void notAppliesToTheWholeComparison() {
    assertThat(eval("!ctx.a == 1", "{\"a\":1}")).isFalse();
    assertThat(eval("!ctx.a == 1", "{\"a\":0}")).isTrue();
    assertThat(eval("!ctx.a == 1", "{}")).isTrue();
  }

  @Test
  void andBindsTighterThanOrAndBothAreLeftToRight() {
    assertThat(eval("ctx.t || ctx.f && ctx.f", "{\"t\":true,\"f\":false}")).isTrue();
    assertThat(eval("(ctx.t || ctx.f) && ctx.f", "{\"t\":true,\"f\":false}")).isFalse();
    assertThat(eval("ctx.f && ctx.f || ctx.t", "{\"t\":true,\"f\":false}")).isTrue();
    assertThat(eval("ctx.f && (ctx.f || ctx.t)", "{\"t\":true,\"f\":false}")).isFalse();
    assertThat(eval("ctx.t && ctx.t && ctx.t", "{\"t\":true}")).isTrue();
    assertThat(eval("ctx.f || ctx.f || ctx.t", "{\"t\":true,\"f\":false}")).isTrue();
  }

  @Test
  void equalityOfMatchingTypes() {
    assertThat(eval("ctx.v == true", "{\"v\":true}")).isTrue();
    assertThat(eval("ctx.v == false", "{\"v\":true}")).isFalse();
    assertThat(eval("ctx.v == null", "{\"v\":null}")).isTrue();
    assertThat(eval("ctx.v == 1", "{\"v\":1.0}")).isTrue();
    assertThat(eval("ctx.v == -2.5", "{\"v\":-2.5}")).isTrue();
    assertThat(eval("ctx.v == 0", "{\"v\":-0.0}")).isTrue();
  }

  @Test
  void equalityAcrossTypesIsFalse() {
    assertThat(eval("ctx.v == 1", "{\"v\":\"1\"}")).isFalse();
    assertThat(eval("ctx.v != 1", "{\"v\":\"1\"}")).isTrue();
    assertThat(eval("ctx.v == \"1\"", "{\"v\":1}")).isFalse();
    assertThat(eval("ctx.v == true", "{\"v\":1}")).isFalse();
    assertThat(eval("ctx.v == 1", "{\"v\":true}")).isFalse();
    assertThat(eval("ctx.v == null", "{\"v\":false}")).isFalse();
    assertThat(eval("ctx.v == null", "{\"v\":[]}")).isFalse();
    assertThat(eval("ctx.v == null", "{\"v\":{}}")).isFalse();
    assertThat(eval("ctx.v != null", "{\"v\":{}}")).isTrue();
  }

  @Test
  void numberEqualityUsesAnAbsoluteMachineEpsilon() {
    assertThat(eval("ctx.v == 0.3", "{\"v\":0.30000000000000004}")).isTrue();
    assertThat(eval("ctx.v == 0", "{\"v\":1e-16}")).isTrue();
    assertThat(eval("ctx.v == 0", "{\"v\":2.220446049250313e-16}")).isFalse();
    assertThat(eval("ctx.v == 0", "{\"v\":3e-16}")).isFalse();
    assertThat(eval("ctx.v != 0", "{\"v\":3e-16}")).isTrue();
    // large integers compare after rounding to double
    assertThat(eval("ctx.v == 9007199254740992", "{\"v\":9007199254740993}")).isTrue();
    // absolute epsilon: neighbouring doubles above 2 are never "equal"
    assertThat(eval("ctx.v == 1000000", "{\"v\":1000000.0000000001}")).isFalse();
  }

  @Test
  void numbersOfEveryJacksonRepresentationCompare() {
    ObjectNode ctx = JsonNodeFactory.instance.objectNode();
    ctx.put("big", new BigInteger("18446744073709551615"));
    ctx.put("dec", new BigDecimal("2.50"));
    ctx.put("lng", 5_000_000_000L);
    ctx.put("flt", 0.5f);
    assertThat(Guard.compile("ctx.big > 1e3 && ctx.big >= 18446744073709551615").test(ctx))
        .isTrue();
    assertThat(Guard.compile("ctx.dec == 2.5").test(ctx)).isTrue();
    assertThat(Guard.compile("ctx.lng > 4999999999.5").test(ctx)).isTrue();
    assertThat(Guard.compile("ctx.flt == 0.5").test(ctx)).isTrue();
  }

  @ParameterizedTest(name = "{0} with v={1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "ctx.v > 5 | 6 | true",
        "ctx.v > 5 | 5 | false",
        "ctx.v >= 5 | 5 | true",
        "ctx.v >= 5 | 4.999 | false",
        "ctx.v < 5 | 4 | true",
        "ctx.v < 5 | 5 | false",
        "ctx.v <= 5 | 5 | true",
        "ctx.v <= 5 | 5.001 | false",
        "ctx.v > -1.5 | -1 | true",
        "ctx.v < -1.5 | -2 | true",
        "ctx.v > 5 | \"6\" | false",
        "ctx.v < 5 | \"4\" | false",
        "ctx.v > 0 | true | false",
        "ctx.v < 1 | null | false",
        "ctx.v > 0 | [1] | false",
        "ctx.v > 0 | {\"a\":1} | false",
      })
  void orderingHoldsOnlyForNumbers(String guard, String value, boolean expected) {
    assertThat(eval(guard, "{\"v\":" + value + "}")).isEqualTo(expected);
  }

  @Test
  void evaluationIsRepeatableAndSharedSafely() throws Exception {
    Guard guard = Guard.compile("ctx.n > 10 && ctx.s == \"ok\"");
    JsonNode yes = json("{\"n\":11,\"s\":\"ok\"}");
    JsonNode no = json("{\"n\":10,\"s\":\"ok\"}");
    Thread[] threads = new Thread[4];
    boolean[] failures = new boolean[threads.length];
    for (int t = 0; t < threads.length; t++) {
      int id = t;
      threads[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 10_000; i++) {
                  if (!guard.test(yes) || guard.test(no)) {
                    failures[id] = true;
                  }
                }
              });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(failures).containsOnly(false);
  }
}
