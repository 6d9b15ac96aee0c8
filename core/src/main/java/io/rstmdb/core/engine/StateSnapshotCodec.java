package io.rstmdb.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.api.ApplyEventResult;
import io.rstmdb.core.api.CreateInstanceResult;
import io.rstmdb.core.api.DeleteInstanceResult;
import io.rstmdb.core.definition.MachineDefinition;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.json.PackedJson;
import io.rstmdb.core.port.SnapshotPort;
import io.rstmdb.core.state.DatabaseState;
import io.rstmdb.core.state.IdempotencyKey;
import io.rstmdb.core.state.IdempotencyRecord;
import io.rstmdb.core.state.IdempotencyScope;
import io.rstmdb.core.state.InstanceRecord;
import io.rstmdb.core.state.MachineKey;
import io.rstmdb.core.state.MachineRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The item schema of the engine's snapshots. A STATE snapshot is a header followed by one item per
 * machine version, one per instance (deleted ones included) and one per live idempotency key; an
 * INSTANCE snapshot is a single instance item. Every item names its {@code kind}:
 *
 * <pre>{@code
 * {"kind":"header","format":1,"wal_offset":N,"created_at":ms,"machines":M,"instances":I,"idempotency_keys":K}
 * {"kind":"machine","machine":"order","version":1,"definition_hash":"<sha-256>","definition":{...as received...}}
 * {"kind":"instance","id":"o-1","machine":"order","version":1,"state":"paid","ctx":{...},
 *  "last_event_id":"e-1" (omitted when unset),"last_wal_offset":N,"created_at":ms,"updated_at":ms,"deleted":false}
 * {"kind":"idempotency","scope":"apply"|"create"|"delete","instance_id":"o-1" (apply only),"key":"k","ts":ms,
 *  "result":{"from_state","to_state","ctx","wal_offset","event_id"?} | {"instance_id","state","wal_offset"}
 *           | {"instance_id","wal_offset"}}
 * }</pre>
 *
 * The header's counts let a reader tell a complete snapshot from a truncated one even before the
 * store's checksum is considered.
 */
final class StateSnapshotCodec {
  static final int FORMAT = 1;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private StateSnapshotCodec() {}

  static void write(StateCapture capture, SnapshotPort.SnapshotWriter writer) {
    ObjectNode header = JSON.objectNode();
    header.put("kind", "header");
    header.put("format", FORMAT);
    header.put("wal_offset", capture.walOffset());
    header.put("created_at", capture.createdAt());
    header.put("machines", capture.machines().size());
    header.put("instances", capture.instances().size());
    header.put("idempotency_keys", capture.idempotency().size());
    writer.write(header);
    for (MachineRecord m : capture.machines()) {
      writer.write(machineItem(m));
    }
    for (InstanceRecord i : capture.instances()) {
      writer.write(instanceItem(i));
    }
    for (IdempotencyRecord r : capture.idempotency()) {
      writer.write(idempotencyItem(r));
    }
  }

  /** Loaded state plus the header's counts. */
  record Loaded(DatabaseState state, long walOffset, long instances) {}

  /**
   * Rebuilds state from a STATE snapshot.
   *
   * @throws RstmdbException INTERNAL_ERROR naming the snapshot when an item is malformed or missing
   */
  static Loaded read(SnapshotPort.SnapshotReader reader) {
    String id = reader.info().id();
    try {
      JsonNode header = reader.next();
      if (header == null
          || !"header".equals(header.path("kind").asText())
          || header.path("format").asInt() != FORMAT) {
        throw damaged(id, "missing or unknown header");
      }
      DatabaseState state = new DatabaseState();
      long machines = 0;
      long instances = 0;
      long keys = 0;
      for (JsonNode item = reader.next(); item != null; item = reader.next()) {
        switch (item.path("kind").asText()) {
          case "machine" -> {
            state.putMachine(machine(item));
            machines++;
          }
          case "instance" -> {
            state.putInstance(instance(item));
            instances++;
          }
          case "idempotency" -> {
            state.putIdempotency(idempotency(item));
            keys++;
          }
          default -> throw damaged(id, "unknown item kind '" + item.path("kind").asText() + "'");
        }
      }
      if (machines != header.path("machines").asLong(-1)
          || instances != header.path("instances").asLong(-1)
          || keys != header.path("idempotency_keys").asLong(-1)) {
        throw damaged(id, "item counts do not match the header");
      }
      return new Loaded(state, header.path("wal_offset").asLong(), instances);
    } catch (RstmdbException e) {
      if (e.getMessage() != null && e.getMessage().contains(id)) {
        throw e;
      }
      throw damaged(id, e.getMessage());
    } catch (RuntimeException e) {
      throw damaged(id, String.valueOf(e.getMessage()));
    }
  }

  /** Reads only the header's instance count (for COMPACT's total_snapshots). */
  static long instanceCount(SnapshotPort.SnapshotReader reader) {
    JsonNode header = reader.next();
    if (header == null || !"header".equals(header.path("kind").asText())) {
      throw damaged(reader.info().id(), "missing header");
    }
    return header.path("instances").asLong();
  }

  static ObjectNode machineItem(MachineRecord m) {
    ObjectNode n = JSON.objectNode();
    n.put("kind", "machine");
    n.put("machine", m.key().name());
    n.put("version", m.key().version());
    n.put("definition_hash", m.checksum());
    n.set("definition", m.received());
    return n;
  }

  /**
   * An instance item to write: its ctx is a node that copies the packed bytes as they are (the
   * bytes a tree of it would be written as), so a compaction never unpacks a ctx.
   */
  static ObjectNode instanceItem(InstanceRecord i) {
    return instanceItem(i, i.ctx().writableNode());
  }

  private static ObjectNode instanceItem(InstanceRecord i, JsonNode ctx) {
    ObjectNode n = JSON.objectNode();
    n.put("kind", "instance");
    n.put("id", i.id());
    n.put("machine", i.machine());
    n.put("version", i.version());
    n.put("state", i.state());
    n.set("ctx", ctx);
    if (i.lastEventId() != null) {
      n.put("last_event_id", i.lastEventId());
    }
    n.put("last_wal_offset", i.lastWalOffset());
    n.put("created_at", i.createdAt());
    n.put("updated_at", i.updatedAt());
    n.put("deleted", i.deleted());
    return n;
  }

  static ObjectNode idempotencyItem(IdempotencyRecord r) {
    ObjectNode n = JSON.objectNode();
    n.put("kind", "idempotency");
    n.put("scope", r.key().scope().wireName());
    if (r.key().instanceId() != null) {
      n.put("instance_id", r.key().instanceId());
    }
    n.put("key", r.key().key());
    n.put("ts", r.ts());
    ObjectNode result = n.putObject("result");
    if (r.result() instanceof ApplyEventResult a) {
      result.put("from_state", a.fromState());
      result.put("to_state", a.toState());
      result.set("ctx", a.ctx());
      result.put("wal_offset", a.walOffset());
      if (a.eventId() != null) {
        result.put("event_id", a.eventId());
      }
    } else if (r.result() instanceof CreateInstanceResult c) {
      result.put("instance_id", c.instanceId());
      result.put("state", c.state());
      result.put("wal_offset", c.walOffset());
    } else if (r.result() instanceof DeleteInstanceResult d) {
      result.put("instance_id", d.instanceId());
      result.put("wal_offset", d.walOffset());
    }
    return n;
  }

  /** Every item of the state in snapshot order, header excluded: a canonical dump. */
  static List<JsonNode> items(StateCapture capture) {
    List<JsonNode> items = new ArrayList<>();
    capture.machines().forEach(m -> items.add(machineItem(m)));
    capture.instances().forEach(i -> items.add(instanceItem(i, i.ctx().tree())));
    capture.idempotency().forEach(r -> items.add(idempotencyItem(r)));
    return items;
  }

  private static MachineRecord machine(JsonNode n) {
    JsonNode received = required(n, "definition");
    return new MachineRecord(
        new MachineKey(text(n, "machine"), number(n, "version")),
        MachineDefinition.parse(received),
        received,
        text(n, "definition_hash"));
  }

  static InstanceRecord instance(JsonNode n) {
    JsonNode eventId = n.get("last_event_id");
    return new InstanceRecord(
        text(n, "id"),
        text(n, "machine"),
        number(n, "version"),
        text(n, "state"),
        PackedJson.of(required(n, "ctx")),
        eventId == null || eventId.isNull() ? null : eventId.asText(),
        number(n, "last_wal_offset"),
        number(n, "created_at"),
        number(n, "updated_at"),
        required(n, "deleted").asBoolean());
  }

  private static IdempotencyRecord idempotency(JsonNode n) {
    IdempotencyScope scope = IdempotencyScope.fromWireName(text(n, "scope"));
    String key = text(n, "key");
    JsonNode r = required(n, "result");
    return switch (scope) {
      case APPLY ->
          new IdempotencyRecord(
              IdempotencyKey.apply(text(n, "instance_id"), key),
              number(n, "ts"),
              new ApplyEventResult(
                  text(r, "from_state"),
                  text(r, "to_state"),
                  required(r, "ctx"),
                  number(r, "wal_offset"),
                  false,
                  r.hasNonNull("event_id") ? r.get("event_id").asText() : null));
      case CREATE ->
          new IdempotencyRecord(
              IdempotencyKey.create(key),
              number(n, "ts"),
              new CreateInstanceResult(
                  text(r, "instance_id"), text(r, "state"), number(r, "wal_offset")));
      case DELETE ->
          new IdempotencyRecord(
              IdempotencyKey.delete(key),
              number(n, "ts"),
              new DeleteInstanceResult(text(r, "instance_id"), true, number(r, "wal_offset")));
    };
  }

  private static JsonNode required(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null) {
      throw new IllegalArgumentException("item lacks '" + field + "'");
    }
    return v;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = required(n, field);
    if (!v.isTextual()) {
      throw new IllegalArgumentException("item field '" + field + "' is not a string");
    }
    return v.textValue();
  }

  private static long number(JsonNode n, String field) {
    JsonNode v = required(n, field);
    if (!v.isIntegralNumber()) {
      throw new IllegalArgumentException("item field '" + field + "' is not an integer");
    }
    return v.longValue();
  }

  private static RstmdbException damaged(String snapshotId, String why) {
    return new RstmdbException(
        ErrorCode.INTERNAL_ERROR, "snapshot " + snapshotId + " is unusable: " + why);
  }
}
