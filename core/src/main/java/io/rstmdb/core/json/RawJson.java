package io.rstmdb.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JSON bytes that a Jackson generator copies as they are ({@link JsonGenerator#writeRawValue}): how
 * a {@link PackedJson} goes into a snapshot item without being parsed and written again. A UTF-8
 * generator copies the bytes straight into its buffer; others get them as a string.
 */
final class RawJson implements JsonSerializable {
  private final byte[] json;

  RawJson(byte[] json) {
    this.json = json;
  }

  /** The bytes; never modify them. */
  byte[] json() {
    return json;
  }

  @Override
  public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
    gen.writeRawValue(new Utf8(json));
  }

  @Override
  public void serializeWithType(
      JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer)
      throws IOException {
    serialize(gen, serializers);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawJson other && Arrays.equals(json, other.json);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(json);
  }

  @Override
  public String toString() {
    return new String(json, StandardCharsets.UTF_8);
  }

  /** The bytes as the unquoted text a generator writes raw; quoting is never asked for. */
  private static final class Utf8 implements SerializableString {
    private final byte[] bytes;
    private String text;

    Utf8(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public String getValue() {
      if (text == null) {
        text = new String(bytes, StandardCharsets.UTF_8);
      }
      return text;
    }

    @Override
    public int charLength() {
      return getValue().length();
    }

    @Override
    public byte[] asUnquotedUTF8() {
      return bytes.clone();
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
      if (offset + bytes.length > buffer.length) {
        return -1;
      }
      System.arraycopy(bytes, 0, buffer, offset, bytes.length);
      return bytes.length;
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
      String value = getValue();
      if (offset + value.length() > buffer.length) {
        return -1;
      }
      value.getChars(0, value.length(), buffer, offset);
      return value.length();
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
      out.write(bytes);
      return bytes.length;
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
      if (buffer.remaining() < bytes.length) {
        return -1;
      }
      buffer.put(bytes);
      return bytes.length;
    }

    // Quoted forms: what they would be for any SerializableString holding this text.

    @Override
    public char[] asQuotedChars() {
      return quoted().asQuotedChars();
    }

    @Override
    public byte[] asQuotedUTF8() {
      return quoted().asQuotedUTF8();
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
      return quoted().appendQuotedUTF8(buffer, offset);
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
      return quoted().appendQuoted(buffer, offset);
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) throws IOException {
      return quoted().writeQuotedUTF8(out);
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) throws IOException {
      return quoted().putQuotedUTF8(buffer);
    }

    private SerializedString quoted() {
      return new SerializedString(getValue());
    }
  }
}
