package io.rstmdb.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The ctx merge of state-machines.md §5.2: a shallow, top-level merge when both sides are objects,
 * otherwise the ctx stays as it is.
 */
final class ContextMerge {
  private ContextMerge() {}

  /** A new ctx; neither argument is modified (both may be shared with other records). */
  static JsonNode merge(JsonNode ctx, JsonNode payload) {
    if (!ctx.isObject() || payload == null || !payload.isObject() || payload.isEmpty()) {
      return ctx;
    }
    ObjectNode merged = JsonNodeFactory.instance.objectNode();
    merged.setAll((ObjectNode) ctx);
    merged.setAll((ObjectNode) payload);
    return merged;
  }
}
