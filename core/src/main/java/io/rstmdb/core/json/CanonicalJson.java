package io.rstmdb.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The one JSON spelling used wherever bytes must be stable (normalized definitions, checksums):
 * compact, object keys sorted by Unicode code point (which is UTF-8 byte order), numbers and
 * strings formatted exactly as serde_json formats them (state-machines.md §3.3), so output matches
 * rstmdb byte for byte.
 *
 * <p>Numbers: integers that fit in u64 / i64 are written verbatim; everything else is a double in
 * shortest round-trip form ({@code 1.0}, {@code 99.99}, {@code 1e21}, {@code 1.5e-7}). Non-finite
 * doubles (which JSON cannot express) are written as {@code null}, as serde_json does.
 *
 * <p>Strings: only {@code "}, {@code \}, and control characters below U+0020 are escaped ({@code \b
 * \f \n \r \t}, otherwise <code>&#92;u00xx</code> lowercase); {@code /}, DEL and non-ASCII are raw.
 */
public final class CanonicalJson {
  private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final BigInteger I64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final Comparator<String> CODE_POINT_ORDER = CanonicalJson::compareCodePoints;

  private CanonicalJson() {}

  /** The canonical compact JSON text of {@code node}; a Java {@code null} is written as null. */
  public static String write(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(out, node);
    return out.toString();
  }

  /** Appends the canonical compact JSON text of {@code node} to {@code out}. */
  public static void write(StringBuilder out, JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      out.append("null");
    } else if (node.isObject()) {
      writeObject(out, node);
    } else if (node.isArray()) {
      writeArray(out, node);
    } else if (node.isTextual()) {
      writeString(out, node.textValue());
    } else if (node.isBoolean()) {
      out.append(node.booleanValue());
    } else if (node.isNumber()) {
      writeNumber(out, node);
    } else if (node.isBinary()) {
      // Jackson's own textual form of binary data (base64); no JSON parser produces it.
      writeString(out, node.asText());
    } else {
      throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
    }
  }

  /** Appends {@code s} as a quoted, escaped JSON string (serde_json escaping rules). */
  public static void writeString(StringBuilder out, String s) {
    out.append('"');
    int runStart = 0;
    int len = s.length();
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      out.append(s, runStart, i);
      runStart = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    out.append(s, runStart, len);
    out.append('"');
  }

  /**
   * Orders strings by Unicode code point, which equals the byte order of their UTF-8 encodings
   * (unlike {@link String#compareTo}, which misorders supplementary characters against
   * U+E000–U+FFFF). Used for object keys here and for listing order elsewhere.
   */
  public static Comparator<String> codePointOrder() {
    return CODE_POINT_ORDER;
  }

  private static int compareCodePoints(String a, String b) {
    // Hot: instance ids are looked up in a map ordered by this. UTF-16 order equals code point
    // order unless a surrogate is involved, so compare chars and only at a difference that involves
    // a surrogate take the exact (slower) code point walk.
    int n = Math.min(a.length(), b.length());
    for (int k = 0; k < n; k++) {
      char ca = a.charAt(k);
      char cb = b.charAt(k);
      if (ca != cb) {
        if (Character.isSurrogate(ca) || Character.isSurrogate(cb)) {
          return compareByCodePointWalk(a, b);
        }
        return Integer.compare(ca, cb);
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  private static int compareByCodePointWalk(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  private static void writeObject(StringBuilder out, JsonNode node) {
    List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
    fields.sort(Map.Entry.comparingByKey(CODE_POINT_ORDER));
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, JsonNode> field : fields) {
      if (!first) {
        out.append(',');
      }
      first = false;
      writeString(out, field.getKey());
      out.append(':');
      write(out, field.getValue());
    }
    out.append('}');
  }

  private static void writeArray(StringBuilder out, JsonNode node) {
    out.append('[');
    for (int i = 0; i < node.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      write(out, node.get(i));
    }
    out.append(']');
  }

  private static void writeNumber(StringBuilder out, JsonNode node) {
    if (node.canConvertToLong() && node.isIntegralNumber()) {
      out.append(node.longValue());
    } else if (node.isBigInteger()) {
      BigInteger big = node.bigIntegerValue();
      if (big.compareTo(I64_MIN) >= 0 && big.compareTo(U64_MAX) <= 0) {
        out.append(big);
      } else {
        // serde_json keeps integers only within u64/i64; beyond that they are doubles.
        ShortestDouble.append(out, big.doubleValue());
      }
    } else if (node.isFloat()) {
      // A float node came from code, not from a parser; use the decimal it displays as.
      ShortestDouble.append(out, Double.parseDouble(Float.toString(node.floatValue())));
    } else if (node.isBigDecimal()) {
      ShortestDouble.append(out, ShortestDouble.toDouble(node.decimalValue()));
    } else {
      ShortestDouble.append(out, node.doubleValue());
    }
  }
}
