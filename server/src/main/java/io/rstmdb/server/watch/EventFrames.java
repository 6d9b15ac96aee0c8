package io.rstmdb.server.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.api.AppliedEvent;
import io.rstmdb.core.error.RstmdbException;

/**
 * Builds the JSON of event frames. Field order is the one of wire.md §4.4 (the codec keeps the
 * envelope order and sorts keys inside {@code payload} and {@code ctx}).
 */
final class EventFrames {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private EventFrames() {}

  static ObjectNode event(String subscriptionId, AppliedEvent event, boolean includeCtx) {
    ObjectNode node = JSON.objectNode();
    node.put("type", "event");
    node.put("subscription_id", subscriptionId);
    node.put("instance_id", event.instanceId());
    node.put("machine", event.machine());
    node.put("version", event.version());
    node.put("wal_offset", event.walOffset());
    node.put("from_state", event.fromState());
    node.put("to_state", event.toState());
    node.put("event", event.event());
    node.set("payload", orNull(event.payload()));
    if (includeCtx) {
      node.set("ctx", orNull(event.ctx()));
    }
    return node;
  }

  /**
   * The frame that ends a subscription which cannot go on (e.g. its position was compacted away).
   * It is event-shaped, not a response, because no request is waiting for it; clients route it by
   * {@code subscription_id}.
   */
  static ObjectNode error(String subscriptionId, RstmdbException failure) {
    ObjectNode error = JSON.objectNode();
    error.put("code", failure.code().name());
    error.put("message", failure.getMessage());
    error.put("retryable", failure.retryable());
    if (!failure.details().isEmpty()) {
      ObjectNode details = error.putObject("details");
      failure.details().forEach((key, value) -> details.set(key, toJson(value)));
    }
    ObjectNode node = JSON.objectNode();
    node.put("type", "event");
    node.put("subscription_id", subscriptionId);
    node.set("error", error);
    return node;
  }

  private static JsonNode toJson(Object value) {
    if (value == null) {
      return NullNode.getInstance();
    }
    if (value instanceof Long || value instanceof Integer) {
      return JSON.numberNode(((Number) value).longValue());
    }
    if (value instanceof Boolean b) {
      return JSON.booleanNode(b);
    }
    if (value instanceof JsonNode json) {
      return json;
    }
    return JSON.textNode(value.toString());
  }

  private static JsonNode orNull(JsonNode value) {
    return value == null ? NullNode.getInstance() : value;
  }
}
