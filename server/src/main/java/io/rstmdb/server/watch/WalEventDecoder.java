package io.rstmdb.server.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.api.AppliedEvent;
import io.rstmdb.core.port.WalRecord;
import java.util.Optional;

/**
 * Turns an {@code apply_event} WAL record back into the {@link AppliedEvent} that the live
 * notification carried, so replayed and live events look the same on the wire.
 */
final class WalEventDecoder {
  static final String APPLY_EVENT = "apply_event";

  /** The transition this record holds; empty for every other record type. */
  Optional<AppliedEvent> decode(WalRecord record) {
    if (!APPLY_EVENT.equals(record.entry().type())) {
      return Optional.empty();
    }
    ObjectNode body = record.entry().body();
    return Optional.of(
        new AppliedEvent(
            record.offset(),
            text(body, "instance_id"),
            text(body, "machine"),
            body.path("version").asLong(0),
            text(body, "from_state"),
            text(body, "to_state"),
            text(body, "event"),
            orNull(body.get("payload")),
            orNull(body.get("ctx"))));
  }

  private static String text(ObjectNode body, String field) {
    JsonNode value = body.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static JsonNode orNull(JsonNode value) {
    return value == null ? NullNode.getInstance() : value;
  }
}
