package io.rstmdb.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The printable-ASCII shortcut of {@link CanonicalJsonWriter#writeString} writes the bytes the
 * general escaping loop writes, for every string (surrogates, lone ones too, and control
 * characters), into heap and direct buffers alike.
 */
class CanonicalStringFastPathTest {

  /** The general loop, as it was before the shortcut: the reference the shortcut must match. */
  private static byte[] reference(String value) {
    ByteBuf out = Unpooled.buffer();
    out.writeByte('"');
    int runStart = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      if (i > runStart) {
        ByteBufUtil.writeUtf8(out, value, runStart, i);
      }
      out.writeByte('\\');
      switch (c) {
        case '"' -> out.writeByte('"');
        case '\\' -> out.writeByte('\\');
        case '\b' -> out.writeByte('b');
        case '\f' -> out.writeByte('f');
        case '\n' -> out.writeByte('n');
        case '\r' -> out.writeByte('r');
        case '\t' -> out.writeByte('t');
        default -> out.writeBytes(String.format("u%04x", (int) c).getBytes());
      }
      runStart = i + 1;
    }
    if (runStart < value.length()) {
      ByteBufUtil.writeUtf8(out, value, runStart, value.length());
    }
    out.writeByte('"');
    return ByteBufUtil.getBytes(out);
  }

  private static byte[] written(String value, boolean direct) {
    ByteBuf out = direct ? PooledByteBufAllocator.DEFAULT.directBuffer(8) : Unpooled.buffer(8);
    try {
      CanonicalJsonWriter.writeString(value, out);
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }

  @Provide
  Arbitrary<String> strings() {
    Arbitrary<Character> mostlyAscii =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(8, Arbitraries.chars().range(' ', '~')),
            net.jqwik.api.Tuple.of(1, Arbitraries.chars().range('\u0000', '\u00ff')),
            net.jqwik.api.Tuple.of(1, Arbitraries.chars().range('\ud800', '\udfff')),
            net.jqwik.api.Tuple.of(1, Arbitraries.chars()));
    return mostlyAscii.list().ofMaxSize(40).map(CanonicalStringFastPathTest::join);
  }

  private static String join(java.util.List<Character> chars) {
    StringBuilder sb = new StringBuilder(chars.size());
    chars.forEach(sb::append);
    return sb.toString();
  }

  @Property(tries = 2000)
  void sameBytesAsTheGeneralLoop(@ForAll("strings") String value) {
    byte[] expected = reference(value);
    assertThat(written(value, false)).isEqualTo(expected);
    assertThat(written(value, true)).isEqualTo(expected);
  }

  @Test
  void edgesOfTheShortcut() {
    for (String s :
        new String[] {
          "",
          "plain",
          "x".repeat(189),
          "~\u007f",
          "a\"b",
          "a\\b",
          "\u001f",
          "é",
          "\ud83d\ude00",
          "\ud800x",
          "x\udc00"
        }) {
      assertThat(written(s, true)).as(s).isEqualTo(reference(s));
    }
    assertThat(new String(written("\u007f~ ", false))).isEqualTo("\"\u007f~ \"");
  }
}
