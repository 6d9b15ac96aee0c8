package io.rstmdb.protocol.message;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Rewrites a JSON object's bytes into canonical form ({@link CanonicalJsonWriter}) in one pass,
 * without a tree: members are copied and, where an object's keys are out of order, moved into
 * order; string escapes and numbers are rewritten the way parsing and writing them would. The
 * output is exactly {@code CanonicalJsonWriter.write(new ObjectMapper().readTree(json))}.
 *
 * <p>It only copies what it can vouch for and refuses the rest, leaving the caller to go through a
 * tree: anything Jackson would reject or read differently (invalid JSON or UTF-8, duplicate keys,
 * keys whose characters need escaping, lone surrogates, integers beyond 64 bits, very deep nesting,
 * trailing bytes). Data the server stores never needs that, but a refusal is always safe.
 */
final class StoredJsonCopier {
  /** Well below Jackson's default nesting limit, and shallow enough for recursion. */
  private static final int MAX_DEPTH = 200;

  /** Jackson's default limit on key length is 50,000 chars; bytes are never fewer. */
  private static final int MAX_KEY_BYTES = 50_000;

  /** A float token longer than this is not worth parsing here. */
  private static final int MAX_FLOAT_CHARS = 64;

  private static final BigInteger MIN_I64 = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  /** Reads 8 bytes of an array as one long (for {@link #plainAscii8}). */
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final byte[] in;
  private final int end;
  private final CanonicalJsonBuffer out;
  private int pos;
  private int depth;

  private StoredJsonCopier(byte[] in, CanonicalJsonBuffer out) {
    this.in = in;
    this.end = in.length;
    this.out = out;
  }

  /**
   * Appends the canonical form of the JSON object in {@code json} to {@code out}.
   *
   * @return false, with {@code out} as it was, when the bytes are not an object it can vouch for
   */
  static boolean copyObject(byte[] json, CanonicalJsonBuffer out) {
    int mark = out.size();
    try {
      new StoredJsonCopier(json, out).document();
      return true;
    } catch (Refused | ArrayIndexOutOfBoundsException e) {
      // Running off the end of the input is just truncated JSON.
      out.truncate(mark);
      return false;
    }
  }

  /** Thrown to abandon the copy; carries no stack trace, it is control flow. */
  private static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refused() {
      super(null, null, false, false);
    }
  }

  private void document() {
    skipWhitespace();
    if (pos >= end || in[pos] != '{') {
      throw new Refused();
    }
    value();
    skipWhitespace();
    if (pos != end) {
      throw new Refused();
    }
  }

  private void value() {
    byte b = in[pos];
    switch (b) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> {
        if (b == '-' || (b >= '0' && b <= '9')) {
          number();
        } else {
          throw new Refused();
        }
      }
    }
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw new Refused();
    }
  }

  private void object() {
    enter();
    pos++;
    out.write((byte) '{');
    int open = out.size();
    skipWhitespace();
    if (in[pos] == '}') {
      pos++;
      out.write((byte) '}');
      depth--;
      return;
    }
    // Per member: where its key's characters and the whole member start and end in out.
    int[] spans = new int[4 * 8];
    int n = 0;
    boolean sorted = true;
    while (true) {
      skipWhitespace();
      if (in[pos] != '"') {
        throw new Refused();
      }
      if (n > 0) {
        out.write((byte) ',');
      }
      int memberStart = out.size();
      if (string()) {
        // Its canonical bytes hold an escape, so their order is not its characters' order.
        throw new Refused();
      }
      int keyStart = memberStart + 1;
      int keyEnd = out.size() - 1;
      if (keyEnd - keyStart > MAX_KEY_BYTES) {
        throw new Refused();
      }
      if (sorted && n > 0) {
        // Once out of order, reorder finds any duplicate.
        byte[] written = out.array();
        int c = compareBytes(written, spans[4 * (n - 1)], spans[4 * (n - 1) + 1], keyStart, keyEnd);
        if (c == 0) {
          throw new Refused(); // a duplicate: the tree keeps only the last value
        }
        sorted = c < 0;
      }
      skipWhitespace();
      if (in[pos] != ':') {
        throw new Refused();
      }
      pos++;
      out.write((byte) ':');
      skipWhitespace();
      value();
      if (4 * n + 4 > spans.length) {
        spans = Arrays.copyOf(spans, spans.length * 2);
      }
      spans[4 * n] = keyStart;
      spans[4 * n + 1] = keyEnd;
      spans[4 * n + 2] = memberStart;
      spans[4 * n + 3] = out.size();
      n++;
      skipWhitespace();
      byte b = in[pos++];
      if (b == '}') {
        break;
      }
      if (b != ',') {
        throw new Refused();
      }
    }
    if (!sorted) {
      reorder(open, spans, n);
    }
    out.write((byte) '}');
    depth--;
  }

  /**
   * Rewrites the members written since {@code open} in key order. Keys without escapes are plain
   * UTF-8, whose unsigned byte order is code point order.
   */
  private void reorder(int open, int[] spans, int n) {
    byte[] written = Arrays.copyOfRange(out.array(), open, out.size());
    int[] order =
        n <= 32 ? insertionOrder(written, open, spans, n) : sortedOrder(written, open, spans, n);
    out.truncate(open);
    for (int i = 0; i < n; i++) {
      int m = order[i];
      if (i > 0) {
        out.write((byte) ',');
      }
      out.write(written, spans[4 * m + 2] - open, spans[4 * m + 3] - spans[4 * m + 2]);
    }
  }

  /**
   * Member indexes in key order, for the small objects nearly every entry has. Keys are compared by
   * their first 8 bytes as one number first (zero-padded: keys hold no zero bytes, so a shorter key
   * still sorts first), then byte by byte when those are equal.
   */
  private static int[] insertionOrder(byte[] written, int open, int[] spans, int n) {
    long[] prefixes = new long[n];
    for (int i = 0; i < n; i++) {
      int from = spans[4 * i] - open;
      int to = Math.min(spans[4 * i + 1] - open, from + 8);
      long prefix = 0;
      for (int k = from; k < to; k++) {
        prefix = (prefix << 8) | (written[k] & 0xFF);
      }
      prefixes[i] = prefix << (8 * (8 - (to - from)));
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      int m = i;
      int j = i;
      while (j > 0) {
        int c = Long.compareUnsigned(prefixes[order[j - 1]], prefixes[m]);
        if (c == 0) {
          c = compareKeys(written, open, spans, order[j - 1], m);
        }
        if (c == 0) {
          throw new Refused(); // a duplicate: the tree keeps only the last value
        }
        if (c < 0) {
          break;
        }
        order[j] = order[j - 1];
        j--;
      }
      order[j] = m;
    }
    return order;
  }

  /** Member indexes in key order, for large objects. */
  private static int[] sortedOrder(byte[] written, int open, int[] spans, int n) {
    Integer[] boxed = new Integer[n];
    for (int i = 0; i < n; i++) {
      boxed[i] = i;
    }
    Arrays.sort(boxed, (a, b) -> compareKeys(written, open, spans, a, b));
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = boxed[i];
      if (i > 0 && compareKeys(written, open, spans, order[i - 1], order[i]) == 0) {
        throw new Refused();
      }
    }
    return order;
  }

  private static int compareKeys(byte[] written, int open, int[] spans, int a, int b) {
    return compareBytes(
        written,
        spans[4 * a] - open,
        spans[4 * a + 1] - open,
        spans[4 * b] - open,
        spans[4 * b + 1] - open);
  }

  /**
   * Unsigned order of two ranges of {@code bytes}. A plain loop: keys are short and mostly differ
   * early, where {@code Arrays.compareUnsigned}'s setup costs more than it saves.
   */
  private static int compareBytes(byte[] bytes, int aFrom, int aTo, int bFrom, int bTo) {
    int n = Math.min(aTo - aFrom, bTo - bFrom);
    for (int i = 0; i < n; i++) {
      int d = (bytes[aFrom + i] & 0xFF) - (bytes[bFrom + i] & 0xFF);
      if (d != 0) {
        return d;
      }
    }
    return (aTo - aFrom) - (bTo - bFrom);
  }

  private void array() {
    enter();
    pos++;
    out.write((byte) '[');
    skipWhitespace();
    if (in[pos] == ']') {
      pos++;
    } else {
      while (true) {
        skipWhitespace();
        value();
        skipWhitespace();
        byte b = in[pos++];
        if (b == ']') {
          break;
        }
        if (b != ',') {
          throw new Refused();
        }
        out.write((byte) ',');
      }
    }
    out.write((byte) ']');
    depth--;
  }

  /**
   * Copies the string at {@code pos}.
   *
   * @return whether its canonical form holds an escape
   */
  private boolean string() {
    byte[] bytes = in;
    int runStart = pos; // copies the opening quote with the first run
    int p = pos + 1;
    boolean escaped = false;
    while (true) {
      while (p + 8 <= bytes.length && plainAscii8(bytes, p)) {
        p += 8;
      }
      byte b = bytes[p];
      if (b >= 0x20 && b != '"' && b != '\\') {
        p++; // the common case: printable ASCII, copied as it is
      } else if (b == '"') {
        pos = p + 1;
        out.write(bytes, runStart, pos - runStart);
        return escaped;
      } else if (b == '\\') {
        out.write(bytes, runStart, p - runStart);
        pos = p;
        escaped |= escape();
        p = pos;
        runStart = p;
      } else if (b < 0) {
        p = afterUtf8(p);
      } else {
        throw new Refused(); // unescaped control characters are not JSON
      }
    }
  }

  /**
   * Whether the 8 bytes at {@code at} are all printable ASCII other than a quote or backslash, so a
   * string's bytes can be skipped 8 at a time. Each test sets a byte's top bit where it holds:
   * below 0x20, equal to '"' or '\\' (a zero after XOR), or non-ASCII (its own top bit).
   */
  private static boolean plainAscii8(byte[] bytes, int at) {
    long x = (long) LONGS.get(bytes, at);
    long control = (x - 0x2020202020202020L) & ~x;
    long quote = x ^ 0x2222222222222222L;
    long backslash = x ^ 0x5C5C5C5C5C5C5C5CL;
    long special =
        control
            | ((quote - 0x0101010101010101L) & ~quote)
            | ((backslash - 0x0101010101010101L) & ~backslash)
            | x;
    return (special & 0x8080808080808080L) == 0;
  }

  /**
   * Rewrites the escape at {@code pos} as the canonical writer would write its character.
   *
   * @return whether that is an escape too
   */
  private boolean escape() {
    byte c = in[pos + 1];
    pos += 2;
    switch (c) {
      case '"', '\\' -> {
        out.write((byte) '\\');
        out.write(c);
      }
      case '/' -> {
        out.write((byte) '/');
        return false;
      }
      case 'b' -> controlEscape('\b');
      case 'f' -> controlEscape('\f');
      case 'n' -> controlEscape('\n');
      case 'r' -> controlEscape('\r');
      case 't' -> controlEscape('\t');
      case 'u' -> {
        return unicodeEscape();
      }
      default -> throw new Refused();
    }
    return true;
  }

  private boolean unicodeEscape() {
    int c = hex4(pos);
    pos += 4;
    if (c < 0x20) {
      controlEscape(c);
      return true;
    }
    if (c == '"' || c == '\\') {
      out.write((byte) '\\');
      out.write((byte) c);
      return true;
    }
    if (c >= 0xD800 && c <= 0xDBFF) {
      // Only a complete pair is one character; a lone half would become '?' on the way out.
      if (in[pos] != '\\' || in[pos + 1] != 'u') {
        throw new Refused();
      }
      int low = hex4(pos + 2);
      if (low < 0xDC00 || low > 0xDFFF) {
        throw new Refused();
      }
      pos += 6;
      utf8(Character.toCodePoint((char) c, (char) low));
    } else if (c >= 0xDC00 && c <= 0xDFFF) {
      throw new Refused();
    } else {
      utf8(c);
    }
    return false;
  }

  private int hex4(int at) {
    int v = 0;
    for (int i = at; i < at + 4; i++) {
      byte h = in[i];
      int d;
      if (h >= '0' && h <= '9') {
        d = h - '0';
      } else if (h >= 'a' && h <= 'f') {
        d = h - 'a' + 10;
      } else if (h >= 'A' && h <= 'F') {
        d = h - 'A' + 10;
      } else {
        throw new Refused();
      }
      v = (v << 4) | d;
    }
    return v;
  }

  /** serde_json's escape of a character below U+0020 (CanonicalJsonWriter's too). */
  private void controlEscape(int c) {
    out.write((byte) '\\');
    switch (c) {
      case '\b' -> out.write((byte) 'b');
      case '\f' -> out.write((byte) 'f');
      case '\n' -> out.write((byte) 'n');
      case '\r' -> out.write((byte) 'r');
      case '\t' -> out.write((byte) 't');
      default -> {
        out.write((byte) 'u');
        out.write((byte) '0');
        out.write((byte) '0');
        out.write(HEX[c >> 4]);
        out.write(HEX[c & 0xF]);
      }
    }
  }

  private void utf8(int cp) {
    if (cp < 0x80) {
      out.write((byte) cp);
    } else if (cp < 0x800) {
      out.write((byte) (0xC0 | (cp >> 6)));
      out.write((byte) (0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.write((byte) (0xE0 | (cp >> 12)));
      out.write((byte) (0x80 | ((cp >> 6) & 0x3F)));
      out.write((byte) (0x80 | (cp & 0x3F)));
    } else {
      out.write((byte) (0xF0 | (cp >> 18)));
      out.write((byte) (0x80 | ((cp >> 12) & 0x3F)));
      out.write((byte) (0x80 | ((cp >> 6) & 0x3F)));
      out.write((byte) (0x80 | (cp & 0x3F)));
    }
  }

  /**
   * Checks the multi-byte UTF-8 sequence starting at {@code i} is well formed (shortest form, no
   * surrogates, at most U+10FFFF): such bytes decode and re-encode to themselves.
   *
   * @return the position after it
   */
  private int afterUtf8(int i) {
    int lead = in[i] & 0xFF;
    int lo = 0x80;
    int hi = 0xBF;
    int continuations;
    if (lead >= 0xC2 && lead <= 0xDF) {
      continuations = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      continuations = 2;
      if (lead == 0xE0) {
        lo = 0xA0;
      } else if (lead == 0xED) {
        hi = 0x9F;
      }
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      continuations = 3;
      if (lead == 0xF0) {
        lo = 0x90;
      } else if (lead == 0xF4) {
        hi = 0x8F;
      }
    } else {
      throw new Refused();
    }
    int second = in[i + 1] & 0xFF;
    if (second < lo || second > hi) {
      throw new Refused();
    }
    for (int k = 2; k <= continuations; k++) {
      int b = in[i + k] & 0xFF;
      if (b < 0x80 || b > 0xBF) {
        throw new Refused();
      }
    }
    return i + continuations + 1;
  }

  private void number() {
    int start = pos;
    boolean negative = in[pos] == '-';
    if (negative) {
      pos++;
    }
    if (in[pos] == '0') {
      pos++;
      if (isDigit(pos)) {
        throw new Refused(); // leading zeros are not JSON
      }
    } else if (isDigit(pos)) {
      while (isDigit(pos)) {
        pos++;
      }
    } else {
      throw new Refused();
    }
    int integerEnd = pos;
    boolean fraction = false;
    if (pos < end && in[pos] == '.') {
      pos++;
      requireDigits();
      fraction = true;
    }
    if (pos < end && (in[pos] == 'e' || in[pos] == 'E')) {
      pos++;
      if (in[pos] == '+' || in[pos] == '-') {
        pos++;
      }
      requireDigits();
      fraction = true;
    }
    if (fraction) {
      if (pos - start > MAX_FLOAT_CHARS) {
        throw new Refused();
      }
      // Read as a double, as the tree does, and written the way the canonical writer does.
      String token = new String(in, start, pos - start, StandardCharsets.US_ASCII);
      String text = CanonicalJsonWriter.formatDouble(Double.parseDouble(token));
      for (int i = 0; i < text.length(); i++) {
        out.write((byte) text.charAt(i));
      }
      return;
    }
    int digits = integerEnd - start - (negative ? 1 : 0);
    if (digits > 18 && !withinI64OrU64(start, pos)) {
      throw new Refused(); // read as a double by the tree; left to it
    }
    if (negative && digits == 1 && in[start + 1] == '0') {
      out.write((byte) '0'); // -0 reads as the integer 0
    } else {
      out.write(in, start, pos - start);
    }
  }

  /** Whether the integer token is one the canonical writer writes back as it is. */
  private boolean withinI64OrU64(int from, int to) {
    if (to - from > 21) {
      return false;
    }
    BigInteger value = new BigInteger(new String(in, from, to - from, StandardCharsets.US_ASCII));
    return value.compareTo(MIN_I64) >= 0 && value.compareTo(MAX_U64) <= 0;
  }

  private void requireDigits() {
    if (!isDigit(pos)) {
      throw new Refused();
    }
    while (isDigit(pos)) {
      pos++;
    }
  }

  private boolean isDigit(int at) {
    return at < end && in[at] >= '0' && in[at] <= '9';
  }

  private void literal(String word) {
    for (int i = 0; i < word.length(); i++) {
      if (in[pos + i] != word.charAt(i)) {
        throw new Refused();
      }
    }
    out.write(in, pos, word.length());
    pos += word.length();
  }

  private void skipWhitespace() {
    while (pos < end) {
      byte b = in[pos];
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return;
      }
      pos++;
    }
  }
}
