package io.rstmdb.protocol.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;

/**
 * Writes a JSON tree the way the reference server does (wire.md §3.2, state-machines.md §3.3):
 * compact, object keys sorted by code point (= UTF-8 byte order) at every level, serde_json string
 * escapes, integers verbatim and doubles in shortest round-trip form with ryu's layout. The exact
 * bytes matter for golden tests and for checksums other implementations compare. A {@link
 * PreEncodedJson} inside a tree is copied as it is.
 */
public final class CanonicalJsonWriter {

  /** Orders strings by Unicode code point, which is also the byte order of their UTF-8 form. */
  public static final Comparator<String> CODE_POINT_ORDER = CanonicalJsonWriter::compareCodePoints;

  private static final Comparator<Map.Entry<String, JsonNode>> BY_KEY =
      Map.Entry.comparingByKey(CODE_POINT_ORDER);

  private static final BigInteger MIN_I64 = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private CanonicalJsonWriter() {}

  /** The canonical form of {@code node} as bytes (JSON {@code null} for a Java null). */
  public static byte[] toBytes(JsonNode node) {
    ByteBuf buf = Unpooled.buffer(128);
    try {
      write(node, buf);
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      return bytes;
    } finally {
      buf.release();
    }
  }

  /** Appends the canonical form of {@code node} (JSON {@code null} for a Java null). */
  public static void write(JsonNode node, ByteBuf out) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      out.writeBytes(NULL);
      return;
    }
    switch (node.getNodeType()) {
      case OBJECT -> writeObject(node, out);
      case ARRAY -> writeArray(node, out);
      case STRING -> writeString(node.textValue(), out);
      case BOOLEAN -> out.writeBytes(node.booleanValue() ? TRUE : FALSE);
      case NUMBER -> writeNumber(node, out);
      case POJO -> writePojo((POJONode) node, out);
      case BINARY -> writeString(node.asText(), out);
      default -> out.writeBytes(NULL);
    }
  }

  private static void writePojo(POJONode node, ByteBuf out) {
    if (node.getPojo() instanceof PreEncodedJson json) {
      out.writeBytes(json.bytes(), 0, json.length());
    } else {
      writeString(node.asText(), out);
    }
  }

  /** Appends {@code value} as a JSON string literal with serde_json's escapes. */
  public static void writeString(String value, ByteBuf out) {
    out.writeByte('"');
    int length = value.length();
    // Most strings (ids, names, ctx values) are printable ASCII: one scan proves it, and the JDK
    // copies such a string's bytes at once instead of the char-by-char UTF-8 loop below.
    int seen = 0;
    int i = 0;
    while (i < length) {
      char c = value.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        break;
      }
      seen |= c;
      i++;
    }
    if (i == length && seen < 0x80) {
      out.writeBytes(value.getBytes(StandardCharsets.ISO_8859_1));
    } else {
      writeEscaped(value, out);
    }
    out.writeByte('"');
  }

  /**
   * As {@link #writeString}, except that a lone UTF-16 surrogate, which has no UTF-8 form and would
   * be written as {@code ?}, is written as its {@code \\uXXXX} escape: for a value the client must
   * get back exactly as it sent it, a request id.
   */
  public static void writeEchoedString(String value, ByteBuf out) {
    for (int i = 0; i < value.length(); i++) {
      if (Character.isSurrogate(value.charAt(i))) {
        writeEscapingLoneSurrogates(value, out);
        return;
      }
    }
    writeString(value, out);
  }

  private static void writeEscapingLoneSurrogates(String value, ByteBuf out) {
    out.writeByte('"');
    int runStart = 0;
    int length = value.length();
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++; // a pair: UTF-8 has it
      } else if (Character.isSurrogate(c)) {
        writeEscaped(value.substring(runStart, i), out);
        out.writeByte('\\').writeByte('u');
        out.writeByte(HEX[c >> 12]).writeByte(HEX[(c >> 8) & 0xF]);
        out.writeByte(HEX[(c >> 4) & 0xF]).writeByte(HEX[c & 0xF]);
        runStart = i + 1;
      }
    }
    writeEscaped(value.substring(runStart), out);
    out.writeByte('"');
  }

  private static void writeEscaped(String value, ByteBuf out) {
    int runStart = 0;
    int length = value.length();
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      if (i > runStart) {
        ByteBufUtil.writeUtf8(out, value, runStart, i);
      }
      writeEscape(c, out);
      runStart = i + 1;
    }
    if (runStart < length) {
      ByteBufUtil.writeUtf8(out, value, runStart, length);
    }
  }

  /** The layout ryu (and so serde_json) gives a finite double; non-finite values become null. */
  public static String formatDouble(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "null";
    }
    if (value == 0) {
      return (Double.doubleToRawLongBits(value) < 0) ? "-0.0" : "0.0";
    }
    BigDecimal digits = shortestDigits(Math.abs(value));
    String d = digits.unscaledValue().toString();
    int n = d.length();
    int kk = n - digits.scale(); // value = 0.d1..dn * 10^kk
    StringBuilder sb = new StringBuilder(24);
    if (value < 0) {
      sb.append('-');
    }
    if (kk >= n && kk <= 16) {
      sb.append(d).append("0".repeat(kk - n)).append(".0");
    } else if (kk > 0 && kk <= 16) {
      sb.append(d, 0, kk).append('.').append(d, kk, n);
    } else if (kk > -5 && kk <= 0) {
      sb.append("0.").append("0".repeat(-kk)).append(d);
    } else {
      sb.append(d.charAt(0));
      if (n > 1) {
        sb.append('.').append(d, 1, n);
      }
      sb.append('e').append(kk - 1);
    }
    return sb.toString();
  }

  private static BigDecimal shortestDigits(double abs) {
    BigDecimal best = new BigDecimal(Double.toString(abs)).stripTrailingZeros();
    // JDK 17's Double.toString always reads back but is not always shortest (4.9E-324 for 5e-324,
    // 2.0000000000000002E23 for 2e23). Drop one digit at a time, rounding down or up, while the
    // shorter number still reads back as the same double. If any shorter form reads back, one of
    // the two neighbours does too (it lies between it and the current one), so this finds the
    // shortest. Short strings parse fast; BigDecimal.doubleValue would not on JDK 17.
    while (best.precision() > 1) {
      MathContext shorter = new MathContext(best.precision() - 1, RoundingMode.DOWN);
      BigDecimal down = best.round(shorter);
      BigDecimal up = best.round(new MathContext(shorter.getPrecision(), RoundingMode.UP));
      boolean downOk = Double.parseDouble(down.toString()) == abs;
      boolean upOk = Double.parseDouble(up.toString()) == abs;
      if (downOk && upOk) {
        best = best.round(new MathContext(shorter.getPrecision(), RoundingMode.HALF_EVEN));
      } else if (downOk) {
        best = down;
      } else if (upOk) {
        best = up;
      } else {
        break;
      }
      best = best.stripTrailingZeros();
    }
    return best;
  }

  private static void writeNumber(JsonNode node, ByteBuf out) {
    if (node.isIntegralNumber()) {
      if (node.canConvertToLong()) {
        writeAscii(Long.toString(node.longValue()), out);
        return;
      }
      BigInteger big = node.bigIntegerValue();
      if (big.compareTo(MIN_I64) >= 0 && big.compareTo(MAX_U64) <= 0) {
        writeAscii(big.toString(), out);
        return;
      }
      // Outside u64/i64 serde_json reads the number as a double (wire.md §3.1).
      writeAscii(formatDouble(big.doubleValue()), out);
      return;
    }
    writeAscii(formatDouble(node.doubleValue()), out);
  }

  @SuppressWarnings("unchecked")
  private static void writeObject(JsonNode node, ByteBuf out) {
    // Objects built in key order (the server's results are) need no sort and no lookups.
    Map.Entry<String, JsonNode>[] fields = new Map.Entry[node.size()];
    int size = 0;
    boolean sorted = true;
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (size > 0 && sorted && compareCodePoints(fields[size - 1].getKey(), field.getKey()) > 0) {
        sorted = false;
      }
      fields[size++] = field;
    }
    if (!sorted) {
      Arrays.sort(fields, 0, size, BY_KEY);
    }
    out.writeByte('{');
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        out.writeByte(',');
      }
      writeString(fields[i].getKey(), out);
      out.writeByte(':');
      write(fields[i].getValue(), out);
    }
    out.writeByte('}');
  }

  private static void writeArray(JsonNode node, ByteBuf out) {
    out.writeByte('[');
    for (int i = 0; i < node.size(); i++) {
      if (i > 0) {
        out.writeByte(',');
      }
      write(node.get(i), out);
    }
    out.writeByte(']');
  }

  private static void writeEscape(char c, ByteBuf out) {
    out.writeByte('\\');
    switch (c) {
      case '"' -> out.writeByte('"');
      case '\\' -> out.writeByte('\\');
      case '\b' -> out.writeByte('b');
      case '\f' -> out.writeByte('f');
      case '\n' -> out.writeByte('n');
      case '\r' -> out.writeByte('r');
      case '\t' -> out.writeByte('t');
      default -> {
        out.writeByte('u').writeByte('0').writeByte('0');
        out.writeByte(HEX[c >> 4]).writeByte(HEX[c & 0xF]);
      }
    }
  }

  private static void writeAscii(String s, ByteBuf out) {
    out.writeCharSequence(s, StandardCharsets.US_ASCII);
  }

  private static int compareCodePoints(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        // UTF-16 order puts surrogates (U+10000 and up) below U+E000..U+FFFF; code point order
        // puts them above. Shift both ranges so plain char comparison agrees with code points.
        if (x >= 0xD800 && y >= 0xD800) {
          return fixUp(x) - fixUp(y);
        }
        return x - y;
      }
    }
    return a.length() - b.length();
  }

  private static int fixUp(char c) {
    return c >= 0xE000 ? c - 0x800 : c + 0x2000;
  }

  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
}
