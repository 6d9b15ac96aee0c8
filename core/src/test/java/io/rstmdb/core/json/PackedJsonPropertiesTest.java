package io.rstmdb.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * A packed value must come back as the tree it was made from, key order included, so that every
 * byte written from it (WAL entries, snapshots, responses) stays what the tree gave.
 */
class PackedJsonPropertiesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Property(tries = 400)
  void unpackingGivesAnEqualTreeInTheSameKeyOrder(@ForAll("json") JsonNode value) throws Exception {
    PackedJson packed = PackedJson.of(value);
    JsonNode back = packed.tree();
    assertThat(back).isEqualTo(value);
    assertThat(fieldOrder(back)).isEqualTo(fieldOrder(value));
    // What the WAL and snapshots write for the tree, and what responses write, are unchanged.
    assertThat(MAPPER.writeValueAsBytes(back)).isEqualTo(MAPPER.writeValueAsBytes(value));
    assertThat(CanonicalJson.write(back)).isEqualTo(CanonicalJson.write(value));
  }

  @Property(tries = 400)
  void theBytesAreWhatJacksonWritesAndReads(@ForAll("json") JsonNode value) throws Exception {
    byte[] json = PackedJson.of(value).jsonOrNull();
    if (json == null) {
      return; // kept as a tree: covered by the property above
    }
    assertThat(json).isEqualTo(MAPPER.writeValueAsBytes(value));
    assertThat(MAPPER.readTree(json)).isEqualTo(value);
  }

  @Property(tries = 300)
  void theWritableNodeWritesTheSameBytesAndPacksBackToTheSameValue(@ForAll("json") JsonNode value)
      throws Exception {
    PackedJson packed = PackedJson.of(value);
    ObjectNode item = NODES.objectNode();
    item.put("kind", "instance");
    item.set("ctx", packed.writableNode());
    ObjectNode asTree = NODES.objectNode();
    asTree.put("kind", "instance");
    asTree.set("ctx", value);
    assertThat(MAPPER.writeValueAsBytes(item)).isEqualTo(MAPPER.writeValueAsBytes(asTree));
    // A char-based writer gets the same JSON value, spelled as the UTF-8 writer spells it
    // (surrogates as escapes), which a tree written to chars would write as raw chars.
    assertThat(MAPPER.readTree(MAPPER.writeValueAsString(item)))
        .isEqualTo(MAPPER.readTree(MAPPER.writeValueAsString(asTree)));
    assertThat(PackedJson.of(packed.writableNode())).isEqualTo(packed);
  }

  @Property(tries = 200)
  void packingIsDeterministic(@ForAll("json") JsonNode value) {
    assertThat(PackedJson.of(value)).isEqualTo(PackedJson.of(value.deepCopy()));
    assertThat(PackedJson.of(value).hashCode()).isEqualTo(PackedJson.of(value).hashCode());
  }

  /** Every object's field names in document order, depth first. */
  private static List<String> fieldOrder(JsonNode node) {
    List<String> names = new ArrayList<>();
    collect(node, names);
    return names;
  }

  private static void collect(JsonNode node, List<String> names) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              e -> {
                names.add(e.getKey());
                collect(e.getValue(), names);
              });
    } else if (node.isArray()) {
      node.forEach(item -> collect(item, names));
    }
  }

  @Provide
  Arbitrary<JsonNode> json() {
    return value(3);
  }

  private Arbitrary<JsonNode> value(int depth) {
    Arbitrary<JsonNode> scalars =
        Arbitraries.oneOf(
            Arbitraries.just(NODES.nullNode()),
            Arbitraries.of(true, false).map(NODES::booleanNode),
            Arbitraries.integers().map(NODES::numberNode),
            Arbitraries.longs().map(NODES::numberNode), // small ones are kept as trees
            Arbitraries.bigIntegers()
                .between(BigInteger.ONE.shiftLeft(70).negate(), BigInteger.ONE.shiftLeft(70))
                .map(NODES::numberNode),
            Arbitraries.longs().map(Double::longBitsToDouble).map(NODES::numberNode),
            Arbitraries.doubles().map(NODES::numberNode),
            Arbitraries.floats().map(NODES::numberNode), // kept as trees
            text().map(NODES::textNode));
    if (depth == 0) {
      return scalars;
    }
    Arbitrary<JsonNode> arrays =
        value(depth - 1)
            .list()
            .ofMaxSize(4)
            .map(
                items -> {
                  ArrayNode array = NODES.arrayNode();
                  items.forEach(array::add);
                  return array;
                });
    Arbitrary<JsonNode> objects =
        Arbitraries.maps(text(), value(depth - 1))
            .ofMaxSize(5)
            .map(
                fields -> {
                  ObjectNode object = NODES.objectNode();
                  fields.forEach(object::set); // the map's own order: rarely sorted
                  return object;
                });
    return Arbitraries.frequencyOf(Tuple.of(3, scalars), Tuple.of(1, arrays), Tuple.of(2, objects));
  }

  /** Control characters, quotes, non-ASCII, pairs and lone surrogates. */
  private static Arbitrary<String> text() {
    return Arbitraries.oneOf(
        Arbitraries.strings()
            .withCharRange('\u0000', '\u00ff')
            .withChars('"', '\\', '/', 'é', '\u2028', '\uFF21', '\uE000', '\uD800', '\uDFFF')
            .withChars("😀𝄞")
            .ofMaxLength(8),
        Arbitraries.strings().all().ofMaxLength(6),
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12));
  }
}
