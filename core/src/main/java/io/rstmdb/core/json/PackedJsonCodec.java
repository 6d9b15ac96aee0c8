package io.rstmdb.core.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Map;

/**
 * Writes trees as {@link PackedJson} bytes and reads them back, building exactly the nodes a
 * default {@code ObjectMapper.readTree} builds, with Jackson's streaming parser and generator (no
 * databind set-up per call: this runs once per APPLY_EVENT).
 */
final class PackedJsonCodec {
  /** Deeper trees stay trees: the writer recurses, and readers cap nesting at 1000. */
  static final int MAX_DEPTH = 200;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  /** Default writing (as the WAL and snapshots write); reading without size limits. */
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxStringLength(Integer.MAX_VALUE)
                  .maxNameLength(Integer.MAX_VALUE)
                  .maxNumberLength(Integer.MAX_VALUE)
                  .maxDocumentLength(-1)
                  .maxTokenCount(-1)
                  .build())
          .build();

  private PackedJsonCodec() {}

  /** The bytes of {@code value}, or null when they would not read back as an equal tree. */
  static byte[] pack(JsonNode value) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(estimate(value))) {
      try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
        if (!write(g, value, 0)) {
          return null;
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The tree of bytes made by {@link #pack}. */
  static JsonNode unpack(byte[] json) {
    try (JsonParser p = FACTORY.createParser(json)) {
      return read(p, p.nextToken());
    } catch (IOException e) {
      throw new IllegalStateException("packed JSON does not parse: " + e.getMessage(), e);
    }
  }

  private static int estimate(JsonNode value) {
    return value.isContainerNode() ? 256 : 64;
  }

  /** Writes what {@code JsonNode.serialize} writes; false when the node cannot be packed. */
  private static boolean write(JsonGenerator g, JsonNode node, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      return false;
    }
    if (node instanceof ObjectNode) {
      g.writeStartObject(node, node.size());
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (hasSurrogate(field.getKey())) {
          return false; // Jackson writes such names, but may refuse to read them
        }
        g.writeFieldName(field.getKey());
        if (!write(g, field.getValue(), depth + 1)) {
          return false;
        }
      }
      g.writeEndObject();
    } else if (node instanceof ArrayNode) {
      g.writeStartArray(node, node.size());
      for (JsonNode item : node) {
        if (!write(g, item, depth + 1)) {
          return false;
        }
      }
      g.writeEndArray();
    } else if (node instanceof TextNode) {
      PlainAscii.writeString(g, node.textValue());
    } else if (node instanceof IntNode) {
      g.writeNumber(node.intValue());
    } else if (node instanceof LongNode) {
      long v = node.longValue();
      if (v == (int) v) {
        return false; // reads back as an IntNode, which is not equal
      }
      g.writeNumber(v);
    } else if (node instanceof BigIntegerNode) {
      BigInteger v = node.bigIntegerValue();
      if (v.compareTo(LONG_MIN) >= 0 && v.compareTo(LONG_MAX) <= 0) {
        return false; // reads back as an int or long node
      }
      g.writeNumber(v);
    } else if (node instanceof DoubleNode) {
      double v = node.doubleValue();
      if (!Double.isFinite(v)) {
        return false; // written as a string
      }
      g.writeNumber(v);
    } else if (node instanceof BooleanNode) {
      g.writeBoolean(node.booleanValue());
    } else if (node instanceof NullNode) {
      g.writeNull();
    } else {
      return false; // float, short, decimal, binary, POJO, missing: a parser builds none of them
    }
    return true;
  }

  private static boolean hasSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /** What {@code ObjectMapper.readTree} builds under default settings. */
  private static JsonNode read(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        ObjectNode o = NODES.objectNode();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
          o.set(name, read(p, p.nextToken()));
        }
        return o;
      }
      case START_ARRAY -> {
        ArrayNode a = NODES.arrayNode();
        for (JsonToken item = p.nextToken(); item != JsonToken.END_ARRAY; item = p.nextToken()) {
          a.add(read(p, item));
        }
        return a;
      }
      case VALUE_STRING -> {
        return TextNode.valueOf(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return switch (p.getNumberType()) {
          case INT -> IntNode.valueOf(p.getIntValue());
          case LONG -> LongNode.valueOf(p.getLongValue());
          default -> BigIntegerNode.valueOf(p.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return DoubleNode.valueOf(p.getDoubleValue());
      }
      case VALUE_TRUE -> {
        return BooleanNode.TRUE;
      }
      case VALUE_FALSE -> {
        return BooleanNode.FALSE;
      }
      case VALUE_NULL -> {
        return NullNode.getInstance();
      }
      default -> throw new IllegalStateException("unexpected token " + t + " in packed JSON");
    }
  }
}
