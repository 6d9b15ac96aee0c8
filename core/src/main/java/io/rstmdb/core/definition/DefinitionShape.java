package io.rstmdb.core.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Step 1 of definition validation: the JSON shape of state-machines.md §1, checked before any
 * semantic rule. Unknown keys are ignored; a JSON {@code null} guard or meta counts as absent.
 */
record DefinitionShape(
    List<String> states, String initial, List<RawTransition> transitions, JsonNode meta) {

  /** A transition as written, before its states are checked and its guard compiled. */
  record RawTransition(List<String> from, String event, String to, String guardText) {}

  static DefinitionShape read(JsonNode definition) {
    if (definition == null || !definition.isObject()) {
      throw InvalidDefinition.because("definition must be a JSON object");
    }
    List<String> states = stringArray(required(definition, "states", ""), "states", "", "");
    String initial = string(required(definition, "initial", ""), "initial", "");
    JsonNode transitionsNode = required(definition, "transitions", "");
    if (!transitionsNode.isArray()) {
      throw InvalidDefinition.because("'transitions' must be an array");
    }
    List<RawTransition> transitions = new ArrayList<>(transitionsNode.size());
    for (int i = 0; i < transitionsNode.size(); i++) {
      transitions.add(readTransition(transitionsNode.get(i), "transitions[" + i + "]"));
    }
    JsonNode meta = optional(definition, "meta");
    if (meta != null && hasNonFiniteNumber(meta)) {
      // JSON cannot spell them; rstmdb rejects such input while parsing ("number out of range").
      throw InvalidDefinition.because("'meta' holds a number out of range");
    }
    return new DefinitionShape(List.copyOf(states), initial, List.copyOf(transitions), meta);
  }

  private static RawTransition readTransition(JsonNode node, String where) {
    if (!node.isObject()) {
      throw InvalidDefinition.because(where + " must be an object");
    }
    String prefix = where + ": ";
    JsonNode fromNode = required(node, "from", prefix);
    List<String> from =
        fromNode.isTextual()
            ? List.of(fromNode.textValue())
            : stringArray(fromNode, "from", prefix, " a string or");
    String event = string(required(node, "event", prefix), "event", prefix);
    String to = string(required(node, "to", prefix), "to", prefix);
    JsonNode guardNode = optional(node, "guard");
    String guard = guardNode == null ? null : string(guardNode, "guard", prefix);
    return new RawTransition(from, event, to, guard);
  }

  private static boolean hasNonFiniteNumber(JsonNode node) {
    if (node.isFloatingPointNumber()) {
      return !Double.isFinite(node.doubleValue());
    }
    for (JsonNode child : node) {
      if (hasNonFiniteNumber(child)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode required(JsonNode object, String field, String prefix) {
    JsonNode value = object.get(field);
    if (value == null) {
      throw InvalidDefinition.because(prefix + "missing field '" + field + "'");
    }
    return value;
  }

  /** The value of an optional field; null when absent or JSON null. */
  private static JsonNode optional(JsonNode object, String field) {
    JsonNode value = object.get(field);
    return value == null || value.isNull() ? null : value;
  }

  private static String string(JsonNode value, String field, String prefix) {
    if (!value.isTextual()) {
      throw InvalidDefinition.because(prefix + "'" + field + "' must be a string");
    }
    return value.textValue();
  }

  private static List<String> stringArray(
      JsonNode value, String field, String prefix, String alternative) {
    boolean ok = value.isArray();
    List<String> strings = new ArrayList<>(value.size());
    for (int i = 0; ok && i < value.size(); i++) {
      JsonNode element = value.get(i);
      ok = element.isTextual();
      if (ok) {
        strings.add(element.textValue());
      }
    }
    if (!ok) {
      throw InvalidDefinition.because(
          prefix + "'" + field + "' must be" + alternative + " an array of strings");
    }
    return strings;
  }
}
