package io.rstmdb.protocol.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds a large canonical JSON value piece by piece in a growable byte array, for results too big
 * to be worth a tree (WAL_READ pages). The caller writes keys in canonical (sorted) order itself;
 * {@link #toNode()} hands the bytes to the response writer. Not thread-safe.
 */
public final class CanonicalJsonBuffer {
  private byte[] bytes;
  private int size;

  public CanonicalJsonBuffer(int expectedSize) {
    this.bytes = new byte[Math.max(16, expectedSize)];
  }

  /** Bytes written so far. */
  public int size() {
    return size;
  }

  /** Drops everything written after the first {@code newSize} bytes. */
  void truncate(int newSize) {
    if (newSize < 0 || newSize > size) {
      throw new IllegalArgumentException("cannot truncate " + size + " bytes to " + newSize);
    }
    size = newSize;
  }

  /** Appends ASCII text that is already valid JSON in its place (punctuation, quoted keys). */
  public CanonicalJsonBuffer ascii(String text) {
    int n = text.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      bytes[size++] = (byte) text.charAt(i);
    }
    return this;
  }

  /** Appends an integer as JSON. */
  public CanonicalJsonBuffer number(long value) {
    return ascii(Long.toString(value));
  }

  /** Appends the canonical form of {@code node} (see {@link CanonicalJsonWriter#write}). */
  public CanonicalJsonBuffer canonical(JsonNode node) {
    ByteBuf tmp = Unpooled.buffer(256);
    try {
      CanonicalJsonWriter.write(node, tmp);
      int n = tmp.readableBytes();
      ensure(n);
      tmp.readBytes(bytes, size, n);
      size += n;
    } finally {
      tmp.release();
    }
    return this;
  }

  /**
   * Appends the canonical form of the JSON object {@code json} (UTF-8) without building a tree,
   * when it can vouch that the result equals {@link #canonical canonical(readTree(json))}.
   *
   * @return false, with nothing appended, when it cannot (then write the parsed tree instead)
   */
  public boolean storedObject(byte[] json) {
    return StoredJsonCopier.copyObject(json, this);
  }

  /** The bytes so far as a tree node that {@link CanonicalJsonWriter} copies verbatim. */
  public JsonNode toNode() {
    return JsonNodeFactory.instance.pojoNode(new PreEncodedJson(bytes, size));
  }

  /** The bytes so far as a string, for tests and diagnostics. */
  @Override
  public String toString() {
    return new String(bytes, 0, size, StandardCharsets.UTF_8);
  }

  void write(byte b) {
    ensure(1);
    bytes[size++] = b;
  }

  void write(byte[] source, int from, int length) {
    ensure(length);
    System.arraycopy(source, from, bytes, size, length);
    size += length;
  }

  /** The backing array, valid up to {@link #size()}; for the copier's in-place reordering. */
  byte[] array() {
    return bytes;
  }

  void ensure(int more) {
    int needed = size + more;
    if (needed > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
    }
  }
}
