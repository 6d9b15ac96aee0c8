package io.rstmdb.wal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.json.PlainAscii;
import io.rstmdb.core.port.WalEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The WAL's on-disk format, all of it (docs/storage-format.md describes the same bytes). All
 * integers are big-endian.
 *
 * <pre>
 * segment file  = segment header, then records back to back (no padding, no footer)
 * segment header (24 bytes):
 *   0  u32 magic        "RWAL" 0x5257414C
 *   4  u16 version      1
 *   6  u16 reserved     0
 *   8  u64 first offset offset of the segment's first record (also its file name)
 *  16  u32 reserved     0
 *  20  u32 crc32c       over bytes 0..19
 * record (20-byte header + payload):
 *   0  u32 length       payload length, at most MAX_PAYLOAD
 *   4  u32 crc32c       over bytes 0..3 and 8..(20+length-1): the whole record except this field
 *   8  u64 offset       dense logical offset
 *  16  u8  type         entry type code (0 = named by the payload's "type" field)
 *  17  u8  flags        bit 0 MORE: further entries of the same atomic append follow
 *  18  u16 reserved     0
 *  20  ... payload      the entry body as UTF-8 JSON
 * </pre>
 */
final class WalFormat {
  static final int SEGMENT_MAGIC = 0x5257414C;
  static final short VERSION = 1;
  static final int SEGMENT_HEADER_SIZE = 24;
  static final int RECORD_HEADER_SIZE = 20;
  static final int MAX_PAYLOAD = 16 * 1024 * 1024;

  /**
   * The most one append may hold, its entries' JSON together. Below the protocol's 16 MiB frame by
   * enough for a reply's envelope, so that whatever a write stores can be sent back whole: a
   * WAL_READ page of its record, the watch event made of it, an atomic BATCH's results.
   */
  static final int MAX_APPEND = MAX_PAYLOAD - 64 * 1024;

  /**
   * The most a double grows from its spelling here (Jackson's, {@code 1.0E15}) to the wire's
   * (serde_json's, {@code 1000000000000000.0}); other values spell the same in both.
   */
  static final int DOUBLE_GROWTH = 12;

  static final int FLAG_MORE = 1;
  static final String SEGMENT_SUFFIX = ".wal";
  static final String TEMP_SUFFIX = ".wal.tmp";

  private static final List<String> TYPE_NAMES =
      List.of(
          "",
          "put_machine",
          "create_instance",
          "apply_event",
          "delete_instance",
          "snapshot",
          "checkpoint");

  /** Deeper trees go through the mapper, whose serializer needs no stack of its own here. */
  private static final int MAX_WALK_DEPTH = 200;

  /** The field names the engine's entries use (EntryCodec), with their JSON form ready. */
  private static final Map<String, SerializedString> KNOWN_NAMES =
      Stream.of(
              "type",
              "instance_id",
              "machine",
              "version",
              "event",
              "from_state",
              "to_state",
              "payload",
              "ctx",
              "event_id",
              "idempotency_key",
              "ts",
              "definition_hash",
              "definition",
              "initial_state",
              "initial_ctx")
          .collect(Collectors.toUnmodifiableMap(n -> n, SerializedString::new));

  private final ObjectMapper mapper = new ObjectMapper();

  /** File name of the segment whose first record has {@code firstOffset}. */
  static String segmentFileName(long firstOffset) {
    return String.format(Locale.ROOT, "%020d%s", firstOffset, SEGMENT_SUFFIX);
  }

  /** The first offset a segment file name stands for, or -1 when it is not a segment name. */
  static long parseSegmentFileName(String name) {
    if (name.length() != 20 + SEGMENT_SUFFIX.length() || !name.endsWith(SEGMENT_SUFFIX)) {
      return -1;
    }
    for (int i = 0; i < 20; i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return -1;
      }
    }
    try {
      return Long.parseLong(name.substring(0, 20));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static ByteBuffer segmentHeader(long firstOffset) {
    ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER_SIZE);
    b.putInt(SEGMENT_MAGIC).putShort(VERSION).putShort((short) 0).putLong(firstOffset).putInt(0);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, 20);
    b.putInt((int) crc.getValue());
    return b.flip();
  }

  /**
   * Checks a segment header.
   *
   * @return null when valid, otherwise what is wrong
   */
  static String checkSegmentHeader(ByteBuffer b, long expectedFirstOffset) {
    if (b.remaining() < SEGMENT_HEADER_SIZE) {
      return "segment header truncated ("
          + b.remaining()
          + " of "
          + SEGMENT_HEADER_SIZE
          + " bytes)";
    }
    int at = b.position();
    if (b.getInt(at) != SEGMENT_MAGIC) {
      return String.format(Locale.ROOT, "bad segment magic 0x%08x", b.getInt(at));
    }
    CRC32C crc = new CRC32C();
    crc.update(b.duplicate().position(at).limit(at + 20));
    if ((int) crc.getValue() != b.getInt(at + 20)) {
      return "segment header CRC mismatch";
    }
    if (b.getShort(at + 4) != VERSION) {
      return "unsupported segment format version " + b.getShort(at + 4);
    }
    long first = b.getLong(at + 8);
    if (first != expectedFirstOffset) {
      return "segment header says first offset "
          + first
          + " but the file name says "
          + expectedFirstOffset;
    }
    return null;
  }

  static int typeCode(String type) {
    int code = TYPE_NAMES.indexOf(type);
    return code > 0 ? code : 0;
  }

  /** Serializes an entry's body, checking it can be read back as the same entry. */
  byte[] payload(WalEntry entry) {
    return payloads(List.of(entry)).get(0);
  }

  /**
   * The payloads of one append's entries. Refuses the append ({@link #tooLarge}) when together they
   * could take more than {@link #MAX_APPEND} bytes in a reply: whatever the WAL stores must fit one
   * reply frame whole (a WAL_READ page, a watch event, an atomic BATCH's results).
   */
  List<byte[]> payloads(List<WalEntry> entries) {
    List<byte[]> out = new ArrayList<>(entries.size());
    long replyBytes = 0;
    for (WalEntry entry : entries) {
      int doubles = doubles(entry.body(), 0);
      byte[] json = serializeChecked(entry, doubles >= 0);
      // A double can spell longer in a reply than here (1.0E15 here, 1000000000000000.0 there).
      replyBytes += json.length + (long) DOUBLE_GROWTH * Math.max(0, doubles);
      out.add(json);
    }
    if (replyBytes > MAX_APPEND) {
      throw tooLarge(replyBytes);
    }
    return out;
  }

  private byte[] serializeChecked(WalEntry entry, boolean plain) {
    if (typeCode(entry.type()) == 0) {
      JsonNode tag = entry.body().get("type");
      if (tag == null || !entry.type().equals(tag.textValue())) {
        throw new IllegalArgumentException(
            "entry type '" + entry.type() + "' must also be the body's \"type\" field");
      }
    }
    try {
      return serialize(entry.body(), plain);
    } catch (IOException e) {
      throw new IllegalArgumentException("entry body cannot be serialized: " + e.getMessage(), e);
    }
  }

  /**
   * The refusal of a write too large to store: the client's request, not the disk, is at fault, so
   * it is a BAD_REQUEST and the log goes on.
   */
  private static RstmdbException tooLarge(long bytes) {
    return RstmdbException.badRequest(
        "write too large: its WAL record would take up to "
            + bytes
            + " bytes of JSON in a reply, more than the limit of "
            + MAX_APPEND
            + " (16 MiB less 64 KiB); store less per request");
  }

  /**
   * The bytes {@code mapper.writeValueAsBytes(body)} gives, written by walking the tree straight
   * into a generator: this runs for every appended entry, under the sequencer lock, and the
   * mapper's per-call set-up (serializer provider, root serializer lookup) was a fifth of it. Trees
   * holding anything but plain JSON values (POJO, binary or missing nodes, which the engine never
   * builds) go through the mapper as before.
   */
  private byte[] serialize(ObjectNode body, boolean plain) throws IOException {
    if (!plain) {
      return mapper.writeValueAsBytes(body);
    }
    // The builder's first block comes from the factory's per-thread recycler, as in the mapper's
    // writeValueAsBytes: a fresh 512-byte builder grew once and was copied out again for every
    // entry, a sixth of all the bytes an APPLY_EVENT allocates (RequestPathBench -prof gc).
    JsonFactory factory = mapper.getFactory();
    BufferRecycler recycler = factory._getBufferRecycler();
    try (ByteArrayBuilder out = new ByteArrayBuilder(recycler)) {
      try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
        write(g, body);
      }
      return out.getClearAndRelease();
    } finally {
      recycler.releaseToPool();
    }
  }

  /**
   * How many floating-point numbers the tree holds, or -1 when it holds anything but objects,
   * arrays, strings, numbers, booleans and nulls (or nests too deep to walk here).
   */
  private static int doubles(JsonNode node, int depth) {
    if (depth > MAX_WALK_DEPTH) {
      return -1;
    }
    switch (node.getNodeType()) {
      case OBJECT, ARRAY -> {
        int count = 0;
        for (JsonNode child : node) {
          int inChild = doubles(child, depth + 1);
          if (inChild < 0) {
            return -1;
          }
          count += inChild;
        }
        return count;
      }
      case NUMBER -> {
        return node.isFloatingPointNumber() ? 1 : 0;
      }
      case STRING, BOOLEAN, NULL -> {
        return 0;
      }
      default -> {
        return -1;
      }
    }
  }

  /** What {@code JsonNode.serialize} does under a default mapper, without the provider. */
  private static void write(JsonGenerator g, JsonNode node) throws IOException {
    switch (node.getNodeType()) {
      case OBJECT -> {
        g.writeStartObject(node, node.size());
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          SerializedString known = KNOWN_NAMES.get(field.getKey());
          if (known != null) {
            g.writeFieldName(known); // quoted bytes made once, not escaped again per entry
          } else {
            g.writeFieldName(field.getKey());
          }
          write(g, field.getValue());
        }
        g.writeEndObject();
      }
      case ARRAY -> {
        g.writeStartArray(node, node.size());
        for (JsonNode item : node) {
          write(g, item);
        }
        g.writeEndArray();
      }
      case STRING -> PlainAscii.writeString(g, node.textValue());
      case NULL -> g.writeNull();
      default -> ((ValueNode) node).serialize(g, null); // numbers and booleans ignore the provider
    }
  }

  /** Records of one atomic append, ready to write, and where each starts inside the buffer. */
  record EncodedGroup(ByteBuffer bytes, int[] recordStarts) {
    int count() {
      return recordStarts.length;
    }
  }

  static EncodedGroup encodeGroup(long firstOffset, List<WalEntry> entries, List<byte[]> payloads) {
    int total = 0;
    for (byte[] p : payloads) {
      total += RECORD_HEADER_SIZE + p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(total);
    int[] starts = new int[payloads.size()];
    CRC32C crc = new CRC32C();
    for (int i = 0; i < payloads.size(); i++) {
      byte[] p = payloads.get(i);
      int at = b.position();
      starts[i] = at;
      int flags = i < payloads.size() - 1 ? FLAG_MORE : 0;
      b.putInt(p.length)
          .putInt(0)
          .putLong(firstOffset + i)
          .put((byte) typeCode(entries.get(i).type()))
          .put((byte) flags)
          .putShort((short) 0)
          .put(p);
      crc.reset();
      crc.update(b.array(), at, 4);
      crc.update(b.array(), at + 8, RECORD_HEADER_SIZE - 8 + p.length);
      b.putInt(at + 4, (int) crc.getValue());
    }
    return new EncodedGroup(b.flip(), starts);
  }

  /** Payload length declared by the record header at {@code at} (4 bytes must be available). */
  static long declaredLength(ByteBuffer b, int at) {
    return Integer.toUnsignedLong(b.getInt(at));
  }

  static long offsetAt(ByteBuffer b, int at) {
    return b.getLong(at + 8);
  }

  /** Whether the record at {@code at} says later entries of its atomic append follow it. */
  static boolean moreAt(ByteBuffer b, int at) {
    return (Byte.toUnsignedInt(b.get(at + 17)) & FLAG_MORE) != 0;
  }

  /**
   * Validates a complete record (header and payload available in {@code b} from {@code at}).
   *
   * @return null when valid, otherwise what is wrong
   */
  static String checkRecord(ByteBuffer b, int at, int length) {
    CRC32C crc = new CRC32C();
    crc.update(b.duplicate().position(at).limit(at + 4));
    crc.update(b.duplicate().position(at + 8).limit(at + RECORD_HEADER_SIZE + length));
    if ((int) crc.getValue() != b.getInt(at + 4)) {
      return "record CRC mismatch";
    }
    int type = Byte.toUnsignedInt(b.get(at + 16));
    if (type >= TYPE_NAMES.size()) {
      return "unknown entry type code " + type;
    }
    if ((b.get(at + 17) & ~FLAG_MORE) != 0 || b.getShort(at + 18) != 0) {
      return "reserved record bits set";
    }
    return null;
  }

  static RawRecord rawRecord(ByteBuffer b, int at, int length, long position) {
    byte[] payload = new byte[length];
    b.get(at + RECORD_HEADER_SIZE, payload);
    return new RawRecord(
        position,
        b.getLong(at + 8),
        Byte.toUnsignedInt(b.get(at + 16)),
        Byte.toUnsignedInt(b.get(at + 17)),
        payload);
  }

  /** Rebuilds the entry a valid record holds. */
  WalEntry entry(RawRecord record) {
    JsonNode node;
    try {
      node = mapper.readTree(record.payload());
    } catch (IOException e) {
      throw new UncheckedIOException("record payload is not JSON", e);
    }
    if (!(node instanceof ObjectNode body)) {
      throw new UncheckedIOException(new IOException("record payload is not a JSON object"));
    }
    if (record.typeCode() != 0) {
      return new WalEntry(TYPE_NAMES.get(record.typeCode()), body);
    }
    JsonNode tag = body.get("type");
    if (tag == null || !tag.isTextual()) {
      throw new UncheckedIOException(new IOException("record payload has no \"type\" field"));
    }
    return new WalEntry(tag.textValue(), body);
  }
}
