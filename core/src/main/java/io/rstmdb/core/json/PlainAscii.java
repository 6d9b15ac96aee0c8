package io.rstmdb.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Finds strings that JSON writes byte for byte: printable ASCII without {@code "} and {@code \}.
 * Most strings in entries (ids, states, ctx values) are such, and for them a copy of the JDK's
 * ready-made bytes replaces the generator's char-by-char escaping loop, the largest single cost of
 * encoding an entry. The check reads eight bytes at a time. Used where entries and packed values
 * ({@link PackedJson}) are written.
 */
public final class PlainAscii {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = '"' * ONES;
  private static final long BACKSLASHES = '\\' * ONES;
  private static final long QUESTION_MARKS = '?' * ONES;
  private static final long SPACES = ' ' * ONES;

  private PlainAscii() {}

  /**
   * The string's bytes when every char is in U+0020..U+007F other than {@code "} and {@code \};
   * otherwise null. A {@code ?} also gives null: it is what the JDK writes for a lone surrogate, so
   * a string holding one cannot be told apart from one that held a surrogate.
   */
  public static byte[] bytesOf(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length != s.length()) {
      return null; // something outside ASCII
    }
    int i = 0;
    long flags = 0;
    for (; i + 8 <= b.length; i += 8) {
      long x = (long) LONGS.get(b, i);
      // High bit of a byte set: the byte is >= 0x80, < 0x20, or equal to one of the three.
      flags |= x | (x - SPACES) | zeroByte(x ^ QUOTES) | zeroByte(x ^ BACKSLASHES);
      flags |= zeroByte(x ^ QUESTION_MARKS);
    }
    if ((flags & HIGHS) != 0) {
      return null;
    }
    for (; i < b.length; i++) {
      byte c = b[i];
      if (c < 0x20 || c == '"' || c == '\\' || c == '?') {
        return null; // bytes >= 0x80 are negative, so c < 0x20 covers them
      }
    }
    return b;
  }

  /**
   * Writes {@code text} as a JSON string value, exactly as {@code g.writeString(text)} would, but
   * copying the ready bytes of a plain string instead of escaping it char by char.
   */
  public static void writeString(JsonGenerator g, String text) throws IOException {
    byte[] plain = bytesOf(text);
    if (plain != null) {
      g.writeRawUTF8String(plain, 0, plain.length);
    } else {
      g.writeString(text);
    }
  }

  /** High bit set in some byte if and only if {@code v} has a zero byte. */
  private static long zeroByte(long v) {
    return (v - ONES) & ~v;
  }
}
