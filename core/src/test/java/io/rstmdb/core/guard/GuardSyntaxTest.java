package io.rstmdb.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Accept/reject decisions and error messages of the guard parser (state-machines.md §6.1–6.2). */
class GuardSyntaxTest {

  private static void assertRejected(String text, String reason, int position) {
    assertThatThrownBy(() -> Guard.compile(text))
        .isInstanceOfSatisfying(
            RstmdbException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
              assertThat(e.retryable()).isFalse();
              assertThat(e.getMessage())
                  .isEqualTo("invalid guard expression: " + reason + " at position " + position);
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "   \t\n ", "\u00a0\u3000"})
  void emptyOrBlankTextIsRejected(String text) {
    assertRejected(text, "empty guard expression", 0);
  }

  @Test
  void fieldsMustStartWithCtxDot() {
    assertRejected("amount > 1", "field must start with 'ctx.'", 0);
    assertRejected("  amount", "field must start with 'ctx.'", 2);
    assertRejected("Ctx.a", "field must start with 'ctx.'", 0);
    assertRejected("ctx", "field must start with 'ctx.'", 0);
    assertRejected("ctx.a || ", "field must start with 'ctx.'", 8);
    assertRejected("ctx.a &&", "field must start with 'ctx.'", 8);
    assertRejected("!", "field must start with 'ctx.'", 1);
    assertRejected("()", "field must start with 'ctx.'", 1);
    assertRejected("ctx.a == 1 && 5 > ctx.b", "field must start with 'ctx.'", 14);
  }

  @Test
  void keywordOperatorsAreNotOperators() {
    // "and"/"or"/"not" are not keywords; after a complete expression they are trailing text,
    // but at the start of an expression they are a field without "ctx.".
    assertRejected("not ctx.a", "field must start with 'ctx.'", 0);
  }

  @Test
  void fieldNamesMustNotBeEmpty() {
    assertRejected("ctx.", "empty field name", 4);
    assertRejected("ctx.-a", "empty field name", 4);
    assertRejected("ctx. a", "empty field name", 4);
    assertRejected("ctx.$x", "empty field name", 4);
    assertRejected("ctx.a && ctx.[0]", "empty field name", 13);
  }

  @Test
  void parenthesesMustClose() {
    assertRejected("(ctx.a", "expected ')'", 6);
    assertRejected("(ctx.a ctx.b", "expected ')'", 7);
    assertRejected("((ctx.a)", "expected ')'", 8);
    assertRejected("(ctx.a]", "expected ')'", 6);
  }

  @Test
  void stringsMustClose() {
    assertRejected("ctx.s == \"abc", "unterminated string", 9);
    assertRejected("ctx.s == \"", "unterminated string", 9);
    // the backslash protects the quote, so the literal never ends
    assertRejected("ctx.s == \"a\\\"", "unterminated string", 9);
    // a backslash as the very last character (the reference panics here)
    assertRejected("ctx.s == \"abc\\", "unterminated string", 9);
    assertRejected("ctx.s == \"abc\\ ", "unterminated string", 9);
  }

  @Test
  void orderingOperatorsNeedANumber() {
    assertRejected("ctx.a > \"5\"", "invalid number: ''", 8);
    assertRejected("ctx.a >= true", "invalid number: ''", 9);
    assertRejected("ctx.a <", "invalid number: ''", 7);
    assertRejected("ctx.a <= ", "invalid number: ''", 8);
  }

  @Test
  void numbersNeedADigit() {
    assertRejected("ctx.a == -", "invalid number: '-'", 9);
    assertRejected("ctx.a > .", "invalid number: '.'", 8);
    assertRejected("ctx.a > -.", "invalid number: '-.'", 8);
    assertRejected("ctx.a == ", "invalid number: ''", 8);
    assertRejected("ctx.a == +1", "invalid number: ''", 9);
  }

  /**
   * From halfway between the largest double and 2^1024 on, IEEE rounding gives infinity, which the
   * spec's parser rejects (§6.2, item 6); just below, the literal is the largest double. A QA pass
   * suspected the boundary (it took a quarter of the last step for half); this pins it.
   */
  @Test
  void literalsThatRoundToInfinityAreInvalidNumbers() {
    BigInteger halfway = BigInteger.ONE.shiftLeft(1024).subtract(BigInteger.ONE.shiftLeft(970));
    for (BigInteger n : List.of(halfway, halfway.add(BigInteger.ONE), halfway.shiftLeft(1))) {
      String literal = n.toString();
      assertRejected("ctx.a == " + literal, "invalid number: '" + literal + "'", 9);
      assertRejected("ctx.a > -" + literal, "invalid number: '-" + literal + "'", 8);
    }
    String below = halfway.subtract(BigInteger.ONE).toString();
    ObjectNode ctx = JsonNodeFactory.instance.objectNode().put("a", Double.MAX_VALUE);
    assertThat(Guard.compile("ctx.a == " + below).test(ctx)).isTrue();
  }

  @Test
  void fieldsCannotBeComparedToFields() {
    assertRejected("ctx.a == ctx.b", "invalid number: ''", 9);
    assertRejected("ctx.a > ctx.b", "invalid number: ''", 8);
  }

  @Test
  void singleQuotesAreNotStringDelimiters() {
    assertRejected("ctx.status == 'active'", "invalid number: ''", 14);
  }

  @Test
  void numbersTooLargeForADoubleAreRejected() {
    String huge = "1" + "0".repeat(400);
    assertRejected("ctx.a == " + huge, "invalid number: '" + huge + "'", 9);
    assertRejected("ctx.a > -" + huge, "invalid number: '-" + huge + "'", 8);
  }

  @Test
  void tinyNumbersUnderflowToZeroAndAreAccepted() {
    assertThatCode(() -> Guard.compile("ctx.a == 0." + "0".repeat(400) + "1"))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ctx.a",
        "ctx.a.b.c",
        "ctx._",
        "ctx.a1",
        "ctx.1",
        "ctx..",
        "ctx.a..b",
        "ctx.a.",
        "!ctx.a",
        "!!ctx.a",
        "! ! ctx.a",
        "ctx.a==1",
        "ctx.a!=null",
        "ctx.a>=1&&ctx.b<=2||ctx.c>3",
        "ctx.a < -1.5",
        "ctx.a > 5.",
        "ctx.a > .5",
        "ctx.a > -.5",
        "ctx.a == 007",
        "( ( ctx.a ) )",
        "ctx.s == \"\"",
        "ctx.s == \"a b\"",
        "ctx.s == \"\\\\\"",
        "ctx.ü == \"ö\"",
        "ctx.日本 == \"東京\"",
        "ctx.Ⅻ",
        "ctx.x² > 1",
        "ctx.s == \"😀\"",
        "ctx.s == \"x\\é\"",
        "ctx.s == \"x\\😀\"",
      })
  void validExpressionsCompile(String text) {
    assertThatCode(() -> Guard.compile(text)).doesNotThrowAnyException();
  }

  @Test
  void positionsCountCodePointsOfTheOriginalText() {
    // 😀 is one code point but two UTF-16 units; ü is one code point but two UTF-8 bytes.
    String text = "ctx.ü == \"😀\" && (ctx.b";
    assertRejected(text, "expected ')'", 22);
    assertRejected("  ctx.😀", "empty field name", 6);
    assertRejected("😀 ctx.a", "field must start with 'ctx.'", 0);
  }

  @Test
  void whitespaceIsUnicodeWhiteSpace() {
    // No-break space, ideographic space and U+0085 separate tokens, as in Rust.
    Guard guard = Guard.compile("\u00a0ctx.a\u00a0&&\u3000ctx.b\u0085==\u20281");
    assertThat(guard.toString()).startsWith("\u00a0");
    // U+001C is whitespace to Java's Character.isWhitespace but not to Unicode.
    assertRejected("\u001cctx.a", "field must start with 'ctx.'", 0);
  }

  @Test
  void nestingIsBoundedInsteadOfOverflowingTheStack() {
    int tooDeep = GuardParser.MAX_DEPTH + 1;
    String parens = "(".repeat(tooDeep) + "ctx.a" + ")".repeat(tooDeep);
    assertThatThrownBy(() -> Guard.compile(parens))
        .hasMessageStartingWith("invalid guard expression: expression nested too deeply");
    assertThatThrownBy(() -> Guard.compile("!".repeat(100_000) + "ctx.a"))
        .hasMessageStartingWith("invalid guard expression: expression nested too deeply");
    int ok = GuardParser.MAX_DEPTH;
    assertThatCode(() -> Guard.compile("(".repeat(ok) + "ctx.a" + ")".repeat(ok)))
        .doesNotThrowAnyException();
  }

  @Test
  void longFlatChainsDoNotRecurse() {
    String chain = "ctx.a || ".repeat(50_000) + "ctx.b && ctx.c";
    Guard guard = Guard.compile(chain);
    assertThat(guard.test(null)).isFalse();
  }

  @Test
  void textIsKeptVerbatim() {
    String text = "  ctx.a  &&  ctx.b \n";
    assertThat(Guard.compile(text).text()).isEqualTo(text);
  }

  @Test
  void guardsWithTheSameTextAreEqual() {
    assertThat(Guard.compile("ctx.a")).isEqualTo(Guard.compile("ctx.a"));
    assertThat(Guard.compile("ctx.a")).hasSameHashCodeAs(Guard.compile("ctx.a"));
    assertThat(Guard.compile("ctx.a")).isNotEqualTo(Guard.compile(" ctx.a"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "ctx.a and ctx.b",
        "ctx.a = 1",
        "ctx.a & ctx.b",
        "ctx.a | ctx.b",
        "ctx.a) || ctx.b",
        "ctx.a garbage (((",
      })
  void trailingTextIsIgnored(String text) {
    assertThatCode(() -> Guard.compile(text)).doesNotThrowAnyException();
  }
}
