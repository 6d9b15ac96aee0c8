package io.rstmdb.core.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.WalEntry;
import java.util.Optional;
import java.util.Set;

/**
 * Maps typed entries to the WAL's JSON bodies and back. The bodies are what WAL_READ shows, so the
 * field names follow storage.md §4, plus {@code ts} on every entry, {@code machine}/{@code version}
 * on {@code apply_event}, and the {@code flush_all} type. Optional fields are omitted when absent.
 *
 * <pre>{@code
 * {"type":"put_machine","machine":"order","version":1,"definition_hash":"<sha-256>","definition":{...},"ts":1767225600000}
 * {"type":"create_instance","instance_id":"o-1","machine":"order","version":1,"initial_state":"created","initial_ctx":{},"idempotency_key":"k","ts":...}
 * {"type":"apply_event","instance_id":"o-1","machine":"order","version":1,"event":"PAY","from_state":"created","to_state":"paid","payload":null,"ctx":{},"event_id":"e-1","idempotency_key":"k","ts":...}
 * {"type":"delete_instance","instance_id":"o-1","idempotency_key":"k","ts":...}
 * {"type":"flush_all","ts":...}
 * }</pre>
 */
public final class EntryCodec {
  public static final String PUT_MACHINE = "put_machine";
  public static final String CREATE_INSTANCE = "create_instance";
  public static final String APPLY_EVENT = "apply_event";
  public static final String DELETE_INSTANCE = "delete_instance";
  public static final String FLUSH_ALL = "flush_all";

  /** Defined by rstmdb but never written; replay skips them. */
  private static final Set<String> IGNORED = Set.of("snapshot", "checkpoint");

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private EntryCodec() {}

  public static WalEntry encode(Entry entry) {
    ObjectNode body = JSON.objectNode();
    String type = typeOf(entry);
    body.put("type", type);
    if (entry instanceof PutMachineEntry e) {
      body.put("machine", e.machine());
      body.put("version", e.version());
      body.put("definition_hash", e.definitionHash());
      body.set("definition", e.definition());
    } else if (entry instanceof CreateInstanceEntry e) {
      body.put("instance_id", e.instanceId());
      body.put("machine", e.machine());
      body.put("version", e.version());
      body.put("initial_state", e.initialState());
      body.set("initial_ctx", e.initialCtx());
      putOptional(body, "idempotency_key", e.idempotencyKey());
    } else if (entry instanceof ApplyEventEntry e) {
      body.put("instance_id", e.instanceId());
      body.put("machine", e.machine());
      body.put("version", e.version());
      body.put("event", e.event());
      body.put("from_state", e.fromState());
      body.put("to_state", e.toState());
      body.set("payload", e.payload());
      body.set("ctx", e.ctx());
      putOptional(body, "event_id", e.eventId());
      putOptional(body, "idempotency_key", e.idempotencyKey());
    } else if (entry instanceof DeleteInstanceEntry e) {
      body.put("instance_id", e.instanceId());
      putOptional(body, "idempotency_key", e.idempotencyKey());
    }
    body.put("ts", entry.ts());
    return new WalEntry(type, body);
  }

  /** The {@code type} tag of an entry. */
  public static String typeOf(Entry entry) {
    if (entry instanceof PutMachineEntry) {
      return PUT_MACHINE;
    } else if (entry instanceof CreateInstanceEntry) {
      return CREATE_INSTANCE;
    } else if (entry instanceof ApplyEventEntry) {
      return APPLY_EVENT;
    } else if (entry instanceof DeleteInstanceEntry) {
      return DELETE_INSTANCE;
    }
    return FLUSH_ALL;
  }

  /**
   * Reads an entry back.
   *
   * @return empty for types that carry no state change ({@code snapshot}, {@code checkpoint})
   * @throws RstmdbException INTERNAL_ERROR for an unknown type or a malformed body
   */
  public static Optional<Entry> decode(WalEntry walEntry) {
    ObjectNode b = walEntry.body();
    String type = walEntry.type();
    if (IGNORED.contains(type)) {
      return Optional.empty();
    }
    Fields f = new Fields(type, b);
    Entry entry =
        switch (type) {
          case PUT_MACHINE ->
              new PutMachineEntry(
                  f.ts(),
                  f.text("machine"),
                  f.integer("version"),
                  f.text("definition_hash"),
                  f.json("definition"));
          case CREATE_INSTANCE ->
              new CreateInstanceEntry(
                  f.ts(),
                  f.text("instance_id"),
                  f.text("machine"),
                  f.integer("version"),
                  f.text("initial_state"),
                  f.json("initial_ctx"),
                  f.optionalText("idempotency_key"));
          case APPLY_EVENT ->
              new ApplyEventEntry(
                  f.ts(),
                  f.text("instance_id"),
                  f.text("machine"),
                  f.integer("version"),
                  f.text("event"),
                  f.text("from_state"),
                  f.text("to_state"),
                  f.json("payload"),
                  f.json("ctx"),
                  f.optionalText("event_id"),
                  f.optionalText("idempotency_key"));
          case DELETE_INSTANCE ->
              new DeleteInstanceEntry(
                  f.ts(), f.text("instance_id"), f.optionalText("idempotency_key"));
          case FLUSH_ALL -> new FlushAllEntry(f.ts());
          default ->
              throw new RstmdbException(
                  ErrorCode.INTERNAL_ERROR, "unknown WAL entry type '" + type + "'");
        };
    return Optional.of(entry);
  }

  private static void putOptional(ObjectNode body, String field, String value) {
    if (value != null) {
      body.put(field, value);
    }
  }

  /** Typed field access that names the entry and field when the body is malformed. */
  private record Fields(String type, ObjectNode body) {
    long ts() {
      return integer("ts");
    }

    String text(String field) {
      JsonNode n = body.get(field);
      if (n == null || !n.isTextual()) {
        throw malformed(field);
      }
      return n.textValue();
    }

    String optionalText(String field) {
      JsonNode n = body.get(field);
      if (n == null || n.isNull()) {
        return null;
      }
      if (!n.isTextual()) {
        throw malformed(field);
      }
      return n.textValue();
    }

    long integer(String field) {
      JsonNode n = body.get(field);
      if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
        throw malformed(field);
      }
      return n.longValue();
    }

    JsonNode json(String field) {
      JsonNode n = body.get(field);
      return n == null ? NullNode.getInstance() : n;
    }

    private RstmdbException malformed(String field) {
      return new RstmdbException(
          ErrorCode.INTERNAL_ERROR,
          "malformed " + type + " WAL entry: missing or invalid field '" + field + "'");
    }
  }
}
