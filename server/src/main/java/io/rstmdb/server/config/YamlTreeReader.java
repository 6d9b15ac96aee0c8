package io.rstmdb.server.config;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;

/**
 * Reads YAML into a Jackson tree, keeping local tags: a scalar written {@code !every_n 100} becomes
 * the text {@code "every_n:100"}. The reference's config syntax uses such tags for the fsync
 * policy, and a plain tree read would silently drop them.
 */
final class YamlTreeReader {

  private static final YAMLFactory FACTORY = new YAMLFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private YamlTreeReader() {}

  /**
   * Parses one YAML document; an empty document gives {@code null}. A second document, or a key
   * twice in one mapping, is an error: a YAML parser would keep the last, and a pasted block of
   * alternatives (five {@code fsync_policy} spellings) started the server on the last one.
   */
  static JsonNode read(String yaml) throws IOException {
    try (YAMLParser parser = FACTORY.createParser(yaml)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return null;
      }
      JsonNode root = value(parser, first);
      if (parser.nextToken() != null) {
        throw new IOException(
            "a second YAML document at line "
                + parser.currentLocation().getLineNr()
                + "; the file must hold one");
      }
      return root;
    }
  }

  private static JsonNode value(YAMLParser p, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT:
        ObjectNode object = NODES.objectNode();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
          String name = p.currentName();
          if (object.has(name)) {
            throw new IOException(
                "key `" + name + "` appears twice (line " + p.currentLocation().getLineNr() + ")");
          }
          object.set(name, value(p, p.nextToken()));
        }
        return object;
      case START_ARRAY:
        ArrayNode array = NODES.arrayNode();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          array.add(value(p, t));
        }
        return array;
      default:
        return scalar(p, token);
    }
  }

  private static JsonNode scalar(YAMLParser p, JsonToken token) throws IOException {
    String tag = p.getTypeId();
    if (tag != null && !tag.isEmpty() && !tag.startsWith("tag:yaml.org")) {
      return NODES.textNode(tag + ":" + p.getText());
    }
    switch (token) {
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        return NODES.numberNode(p.getBigIntegerValue());
      case VALUE_NUMBER_FLOAT:
        return NODES.numberNode(p.getDecimalValue());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      default:
        return NODES.nullNode();
    }
  }
}
