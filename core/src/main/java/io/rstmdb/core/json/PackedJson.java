package io.rstmdb.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.POJONode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A JSON value held compactly: as the UTF-8 bytes Jackson writes for it (compact, object keys in
 * insertion order, numbers and escapes as Jackson spells them — the spelling of a ctx inside WAL
 * entries and snapshots), turned back into a tree only when one is needed.
 *
 * <p>Why: a small ctx as a Jackson tree ({@code ObjectNode}, its {@code LinkedHashMap}, entries,
 * value nodes, strings) costs ~280 bytes on the heap; its bytes cost ~50. With a million instances
 * that is most of each instance's memory (issue 11, S12).
 *
 * <p>The promise: {@link #tree()} equals (as {@link JsonNode#equals}, key order included) the tree
 * the value was made from. Trees whose bytes would read back as something else — nodes a JSON
 * parser never builds (float, short, decimal, binary, POJO nodes; a long that fits an int), NaN or
 * infinite doubles, nesting deeper than {@value PackedJsonCodec#MAX_DEPTH}, field names Jackson
 * cannot read back — are kept as the tree itself ({@link Tree}); nothing the server parses from the
 * wire is such a tree.
 */
public sealed interface PackedJson permits PackedJson.Bytes, PackedJson.HeldAsTree {

  /**
   * The packed form of {@code value}. The caller must not modify {@code value} afterwards (it may
   * be kept as it is). A {@link #writableNode()} handed back (by a store that keeps the nodes it is
   * given rather than their bytes) gives its bytes again.
   */
  static PackedJson of(JsonNode value) {
    Objects.requireNonNull(value, "value");
    if (value instanceof POJONode pojo && pojo.getPojo() instanceof RawJson raw) {
      return new Bytes(raw.json());
    }
    byte[] json = PackedJsonCodec.pack(value);
    return json == null ? new Tree(value) : new Bytes(json);
  }

  /**
   * {@code value} not packed yet: a tree the writer has just made and may need again soon (the next
   * event on the same instance reads it), packed later with {@link #packed()}. The caller must not
   * modify {@code value} afterwards.
   */
  static PackedJson fresh(JsonNode value) {
    return new Fresh(Objects.requireNonNull(value, "value"));
  }

  /** The packed form of JSON {@code null}. */
  static PackedJson nullValue() {
    return Bytes.NULL;
  }

  /** This value packed: a {@link Fresh} value is packed now, others are already. */
  default PackedJson packed() {
    return this;
  }

  /**
   * The value as a tree, equal to the one it was made from. Callers must not modify it: a {@link
   * Tree} hands out the tree it holds.
   */
  JsonNode tree();

  /**
   * The value's JSON text as Jackson writes it (compact, keys in insertion order), or {@code null}
   * when it is held as a tree. Never modify the array.
   */
  byte[] jsonOrNull();

  /**
   * The value as a node to put into a tree that a Jackson generator will write: for {@link Bytes} a
   * node that copies the bytes as they are (no parsing), otherwise the tree.
   */
  JsonNode writableNode();

  /** A value held as its JSON bytes. */
  record Bytes(byte[] json) implements PackedJson {
    static final Bytes NULL = new Bytes(new byte[] {'n', 'u', 'l', 'l'});

    public Bytes {
      Objects.requireNonNull(json, "json");
    }

    @Override
    public JsonNode tree() {
      return PackedJsonCodec.unpack(json);
    }

    @Override
    public byte[] jsonOrNull() {
      return json;
    }

    @Override
    public JsonNode writableNode() {
      return JsonNodeFactory.instance.pojoNode(new RawJson(json));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Bytes other && Arrays.equals(json, other.json);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(json);
    }

    @Override
    public String toString() {
      return new String(json, StandardCharsets.UTF_8);
    }
  }

  /** A value held as its tree: {@link #tree()} and {@link #writableNode()} hand out that tree. */
  sealed interface HeldAsTree extends PackedJson permits Fresh, Tree {
    /** The tree held. */
    JsonNode value();

    @Override
    default JsonNode tree() {
      return value();
    }

    @Override
    default byte[] jsonOrNull() {
      return null;
    }

    @Override
    default JsonNode writableNode() {
      return value();
    }
  }

  /** A tree not packed yet ({@link #fresh}); {@link #packed()} packs it. */
  record Fresh(JsonNode value) implements HeldAsTree {
    @Override
    public PackedJson packed() {
      return of(value);
    }
  }

  /** A value that cannot be packed without changing it, kept as its tree. */
  record Tree(JsonNode value) implements HeldAsTree {
    public Tree {
      Objects.requireNonNull(value, "value");
    }
  }
}
