package io.rstmdb.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes the manifest file: three text lines, so an operator can inspect it and check it
 * with {@code head -n 2 snapshots.manifest | sha256sum}.
 *
 * <pre>
 * RSTMDB-SNAPSHOT-MANIFEST 1
 * {"generation":7,"snapshots":[{"id":...,"kind":"STATE",...}, ...]}
 * sha256 &lt;lowercase hex SHA-256 of the two lines above, newlines included&gt;
 * </pre>
 */
final class ManifestCodec {
  static final String FILE_NAME = "snapshots.manifest";
  static final String TEMP_NAME = FILE_NAME + SnapshotFileFormat.TEMP_SUFFIX;
  static final String MAGIC_LINE = "RSTMDB-SNAPSHOT-MANIFEST";
  static final int VERSION = 1;
  private static final String SHA_PREFIX = "sha256 ";

  private final ObjectMapper mapper;

  ManifestCodec(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  byte[] encode(Manifest manifest) {
    ObjectNode root = mapper.createObjectNode();
    root.put("generation", manifest.generation());
    ArrayNode list = root.putArray("snapshots");
    for (SnapshotInfo info : manifest.commitOrder()) {
      ObjectNode n = list.addObject();
      n.put("id", info.id());
      n.put("kind", info.kind().name());
      n.put("wal_offset", info.walOffset());
      n.put("created_at", info.createdAt());
      n.put("size_bytes", info.sizeBytes());
      n.put("checksum", info.checksum());
      n.put("item_count", info.itemCount());
    }
    String body;
    try {
      body = MAGIC_LINE + " " + VERSION + "\n" + mapper.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a tree of plain values", e);
    }
    byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
    String full = body + SHA_PREFIX + Sha256.hexOf(bodyBytes) + "\n";
    return full.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Decodes the manifest read from {@code file}.
   *
   * @throws RstmdbException INTERNAL_ERROR naming the file when it is damaged
   */
  Manifest decode(Path file, byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    int first = text.indexOf('\n');
    int second = first < 0 ? -1 : text.indexOf('\n', first + 1);
    int third = second < 0 ? -1 : text.indexOf('\n', second + 1);
    if (third < 0 || third != text.length() - 1) {
      throw damaged(file, "it is truncated or garbled (expected exactly three lines)");
    }
    String magic = text.substring(0, first);
    String json = text.substring(first + 1, second);
    String shaLine = text.substring(second + 1, third);
    if (!magic.startsWith(MAGIC_LINE + " ")) {
      throw damaged(file, "bad first line (not a snapshot manifest)");
    }
    if (!magic.equals(MAGIC_LINE + " " + VERSION)) {
      throw damaged(
          file,
          "unsupported manifest version '"
              + magic.substring(MAGIC_LINE.length() + 1)
              + "' (this build reads "
              + VERSION
              + ")");
    }
    if (!shaLine.startsWith(SHA_PREFIX)) {
      throw damaged(file, "missing checksum line");
    }
    byte[] body = text.substring(0, second + 1).getBytes(StandardCharsets.UTF_8);
    String actual = Sha256.hexOf(body);
    String expected = shaLine.substring(SHA_PREFIX.length());
    if (!actual.equals(expected)) {
      throw damaged(file, "checksum mismatch (stored " + expected + ", computed " + actual + ")");
    }
    try {
      return fromJson(mapper.readTree(json));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw damaged(file, "invalid content: " + e.getMessage());
    }
  }

  private static Manifest fromJson(JsonNode root) {
    long generation = requiredLong(root, "generation");
    JsonNode list = root.get("snapshots");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException("'snapshots' is not an array");
    }
    List<SnapshotInfo> infos = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (JsonNode n : list) {
      String id = requiredText(n, "id");
      if (!SnapshotFileFormat.isValidId(id) || !seen.add(id)) {
        throw new IllegalArgumentException("bad or repeated snapshot id '" + id + "'");
      }
      infos.add(
          new SnapshotInfo(
              id,
              SnapshotKind.valueOf(requiredText(n, "kind")),
              requiredLong(n, "wal_offset"),
              requiredLong(n, "created_at"),
              requiredLong(n, "size_bytes"),
              requiredText(n, "checksum"),
              requiredLong(n, "item_count")));
    }
    return new Manifest(generation, infos);
  }

  private static long requiredLong(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException("'" + field + "' is missing or not an integer");
    }
    return v.longValue();
  }

  private static String requiredText(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("'" + field + "' is missing or not a string");
    }
    return v.textValue();
  }

  static RstmdbException damaged(Path file, String why) {
    return new RstmdbException(
        ErrorCode.INTERNAL_ERROR, "snapshot manifest " + file + " is damaged: " + why);
  }
}
