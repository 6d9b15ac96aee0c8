package io.rstmdb.core.guard;

import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for the guard language (state-machines.md §6.1), reproducing rstmdb's
 * accept/reject decisions: the input is trimmed, parsing stops where the grammar cannot continue
 * and whatever follows is ignored. Works on code points so any Unicode text is safe; error
 * positions are code-point indexes into the original, untrimmed text.
 */
final class GuardParser {
  /**
   * Nesting limit for parentheses and {@code !}. The reference has none (deep input overflows its
   * stack); real guards nest a handful of levels.
   */
  static final int MAX_DEPTH = 256;

  private final int[] cps;
  private final int end;
  private int pos;
  private int depth;

  private GuardParser(int[] cps, int start, int end) {
    this.cps = cps;
    this.pos = start;
    this.end = end;
  }

  /** Parses {@code text}; throws BAD_REQUEST {@code invalid guard expression: ...} on error. */
  static Expr parse(String text) {
    int[] cps = text.codePoints().toArray();
    int start = 0;
    int end = cps.length;
    while (start < end && UnicodeClasses.isWhitespace(cps[start])) {
      start++;
    }
    while (end > start && UnicodeClasses.isWhitespace(cps[end - 1])) {
      end--;
    }
    if (start == end) {
      throw error("empty guard expression", 0);
    }
    return new GuardParser(cps, start, end).parseOr();
  }

  private Expr parseOr() {
    List<Expr> operands = new ArrayList<>(2);
    operands.add(parseAnd());
    skipWhitespace();
    while (lookingAt("||")) {
      pos += 2;
      skipWhitespace();
      operands.add(parseAnd());
      skipWhitespace();
    }
    return operands.size() == 1 ? operands.get(0) : new Expr.Any(operands);
  }

  private Expr parseAnd() {
    List<Expr> operands = new ArrayList<>(2);
    operands.add(parseUnary());
    skipWhitespace();
    while (lookingAt("&&")) {
      pos += 2;
      skipWhitespace();
      operands.add(parseUnary());
      skipWhitespace();
    }
    return operands.size() == 1 ? operands.get(0) : new Expr.All(operands);
  }

  private Expr parseUnary() {
    skipWhitespace();
    if (peek() == '!') {
      enter();
      pos++;
      skipWhitespace();
      Expr operand = parseUnary();
      depth--;
      return new Expr.Not(operand);
    }
    return parsePrimary();
  }

  private Expr parsePrimary() {
    skipWhitespace();
    if (peek() == '(') {
      enter();
      pos++;
      Expr inner = parseOr();
      skipWhitespace();
      if (peek() != ')') {
        throw error("expected ')'", pos);
      }
      pos++;
      depth--;
      return inner;
    }
    return parseComparison();
  }

  private Expr parseComparison() {
    skipWhitespace();
    FieldPath field = parseField();
    skipWhitespace();
    // Two-character operators first, so ">=" is never read as ">" followed by "=".
    if (lookingAt("==")) {
      pos += 2;
      return new Expr.Equals(field, parseValue(), false);
    }
    if (lookingAt("!=")) {
      pos += 2;
      return new Expr.Equals(field, parseValue(), true);
    }
    if (lookingAt(">=")) {
      pos += 2;
      return new Expr.Compare(field, Expr.Ordering.GE, parseNumber());
    }
    if (lookingAt("<=")) {
      pos += 2;
      return new Expr.Compare(field, Expr.Ordering.LE, parseNumber());
    }
    if (lookingAt(">")) {
      pos += 1;
      return new Expr.Compare(field, Expr.Ordering.GT, parseNumber());
    }
    if (lookingAt("<")) {
      pos += 1;
      return new Expr.Compare(field, Expr.Ordering.LT, parseNumber());
    }
    return new Expr.Truthy(field);
  }

  private FieldPath parseField() {
    if (!lookingAt("ctx.")) {
      throw error("field must start with 'ctx.'", pos);
    }
    pos += 4;
    int nameStart = pos;
    while (pos < end && UnicodeClasses.isPathChar(cps[pos])) {
      pos++;
    }
    if (pos == nameStart) {
      throw error("empty field name", nameStart);
    }
    return FieldPath.parse(new String(cps, nameStart, pos - nameStart));
  }

  private Literal parseValue() {
    skipWhitespace();
    // Keywords match by prefix: "trueish" is read as "true" and "ish" is left over (and ignored).
    if (lookingAt("true")) {
      pos += 4;
      return new Literal.Bool(true);
    }
    if (lookingAt("false")) {
      pos += 5;
      return new Literal.Bool(false);
    }
    if (lookingAt("null")) {
      pos += 4;
      return new Literal.Null();
    }
    if (peek() == '"') {
      return parseString();
    }
    return new Literal.Number(parseNumber());
  }

  /** The content between the quotes, raw: a backslash only protects the next character. */
  private Literal parseString() {
    int quote = pos;
    pos++;
    int contentStart = pos;
    while (pos < end) {
      int c = cps[pos];
      if (c == '"') {
        String content = new String(cps, contentStart, pos - contentStart);
        pos++;
        return new Literal.Text(content);
      }
      pos += c == '\\' ? 2 : 1;
    }
    throw error("unterminated string", quote);
  }

  private double parseNumber() {
    skipWhitespace();
    int start = pos;
    boolean digits = false;
    if (peek() == '-') {
      pos++;
    }
    while (isAsciiDigit(peek())) {
      pos++;
      digits = true;
    }
    if (peek() == '.') {
      pos++;
      while (isAsciiDigit(peek())) {
        pos++;
        digits = true;
      }
    }
    String text = new String(cps, start, pos - start);
    double value = digits ? Double.parseDouble(text) : Double.NaN;
    if (!Double.isFinite(value)) {
      throw error("invalid number: '" + text + "'", start);
    }
    return value;
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw error("expression nested too deeply (limit " + MAX_DEPTH + ")", pos);
    }
  }

  private void skipWhitespace() {
    while (pos < end && UnicodeClasses.isWhitespace(cps[pos])) {
      pos++;
    }
  }

  /** The code point at the cursor, or -1 at the end of the (trimmed) input. */
  private int peek() {
    return pos < end ? cps[pos] : -1;
  }

  private boolean lookingAt(String ascii) {
    if (end - pos < ascii.length()) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (cps[pos + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAsciiDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static RstmdbException error(String reason, int position) {
    return new RstmdbException(
        ErrorCode.BAD_REQUEST, "invalid guard expression: " + reason + " at position " + position);
  }
}
