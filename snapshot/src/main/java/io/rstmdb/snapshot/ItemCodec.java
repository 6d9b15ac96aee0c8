package io.rstmdb.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Turns snapshot items into compact UTF-8 JSON and back. Its promise: an item an {@link Encoder}
 * accepts is one {@link #decode} can read, so a committed snapshot is never unreadable because of
 * what it holds (Jackson writes some values, such as field names with unpaired UTF-16 surrogates,
 * that it refuses to parse).
 */
final class ItemCodec {
  /** Deeper trees are refused when written, so reading never meets one. */
  static final int MAX_NESTING_DEPTH = 1000;

  private final ObjectMapper mapper;
  private final ObjectReader reader;

  ItemCodec() {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxDocumentLength(-1)
                    .maxTokenCount(-1)
                    .build())
            .streamWriteConstraints(
                StreamWriteConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build();
    this.mapper = new ObjectMapper(factory);
    this.reader = mapper.reader();
  }

  /** The mapper behind this codec (thread-safe), for other JSON of the same store. */
  ObjectMapper mapper() {
    return mapper;
  }

  /** A new encoder; each snapshot writer owns one (they are not thread-safe). */
  Encoder newEncoder() {
    return new Encoder();
  }

  JsonNode decode(byte[] bytes) throws IOException {
    return reader.readTree(bytes);
  }

  /**
   * Encodes items one after another into a reused buffer with a reused generator: per-item mapper
   * calls would build a generator and serializer context for every one of a million items.
   */
  final class Encoder {
    private final Buffer buffer = new Buffer();
    private final SerializerProvider provider = mapper.getSerializerProviderInstance();
    private JsonGenerator generator;

    /**
     * Encodes {@code item}; the bytes are valid until the next call.
     *
     * @throws IllegalArgumentException when the item cannot be stored so that it reads back
     */
    Buffer encode(JsonNode item) {
      buffer.reset();
      try {
        if (generator == null) {
          generator = mapper.getFactory().createGenerator(buffer);
          // No separator between root values: each item's bytes stand alone.
          generator.setRootValueSeparator(null);
        }
        item.serialize(generator, provider);
        generator.flush();
      } catch (IOException | RuntimeException e) {
        generator = null; // its state is unknown after a failure
        throw new IllegalArgumentException("snapshot item cannot be written as JSON: " + e, e);
      }
      if (!mayNotReadBack(buffer.bytes(), buffer.size())) {
        return buffer;
      }
      try {
        reader.readTree(buffer.bytes(), 0, buffer.size());
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "snapshot item would not read back (invalid Unicode or too deep?): " + e.getMessage(),
            e);
      }
      return buffer;
    }
  }

  /**
   * Whether Jackson's output may hold a UTF-16 surrogate, raw (bytes {@code ED A0..BF}) or escaped
   * (<code>&#92;uD800..&#92;uDFFF</code>): the one thing it writes but may refuse to read (a lone
   * surrogate in a field name); nesting too deep is already refused when writing. Parsing every
   * item back (a tree per item) was half of a compaction's CPU, so only items with such bytes (or
   * anything that looks like them: an {@code ED} byte, an escaped <code>&#92;uD8</code>..<code>
   * &#92;uDF</code>) are checked by parsing.
   */
  static boolean mayNotReadBack(byte[] bytes, int length) {
    for (int i = 0; i < length; i++) {
      byte b = bytes[i];
      if (b == (byte) 0xED) {
        return true;
      }
      if (b == '\\' && i + 3 < length && bytes[i + 1] == 'u' && isSurrogateHex(bytes, i + 2)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isSurrogateHex(byte[] bytes, int at) {
    byte d = bytes[at];
    byte next = bytes[at + 1];
    return (d == 'D' || d == 'd')
        && ((next >= '8' && next <= '9')
            || (next >= 'A' && next <= 'F')
            || (next >= 'a' && next <= 'f'));
  }

  /** A byte buffer whose contents can be read without copying. */
  static final class Buffer extends ByteArrayOutputStream {
    Buffer() {
      super(256);
    }

    byte[] bytes() {
      return buf;
    }
  }
}
