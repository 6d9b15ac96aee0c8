package io.rstmdb.server.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.api.ApplyEventResult;
import io.rstmdb.core.api.BatchResult;
import io.rstmdb.core.api.CreateInstanceResult;
import io.rstmdb.core.api.Database;
import io.rstmdb.core.api.DeleteInstanceResult;
import io.rstmdb.core.api.WalReadResult;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.protocol.Op;
import io.rstmdb.protocol.ProtocolLimits;
import io.rstmdb.server.error.WireErrors;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs the database operations: reads the params, calls the {@link Database} and shapes its result
 * for the wire. Session ops (HELLO, AUTH, PING, BYE) and watches are the session's business. Calls
 * that may touch the disk synchronously (WAL reads, stats, snapshots, compaction) start on a
 * blocking executor so a Netty event loop never waits for I/O.
 */
public final class Dispatcher {

  /** Default and maximum {@code limit} of WAL_READ (decision 1). */
  public static final int WAL_READ_DEFAULT_LIMIT = 100;

  public static final int WAL_READ_MAX_LIMIT = 1000;

  private final Database db;
  private final ResultJson json;
  private final WireErrors errors;
  private final ServerIdentity identity;
  private final Executor blocking;
  private final CommandParams commands = new CommandParams();
  private final BatchCommands batches = new BatchCommands(commands);

  public Dispatcher(
      Database db, ResultJson json, WireErrors errors, ServerIdentity identity, Executor blocking) {
    this.db = db;
    this.json = json;
    this.errors = errors;
    this.identity = identity;
    this.blocking = blocking;
  }

  /**
   * Runs one database op. Never throws: every failure, including bad params, completes the future
   * exceptionally.
   */
  public CompletableFuture<JsonNode> dispatch(Op op, JsonNode params) {
    try {
      return run(op, params);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletableFuture<JsonNode> run(Op op, JsonNode params) {
    return switch (op) {
      case INFO -> CompletableFuture.completedFuture(info());
      case PUT_MACHINE -> db.putMachine(commands.putMachine(params)).thenApply(json::putMachine);
      case GET_MACHINE -> getMachine(params);
      case LIST_MACHINES -> db.listMachines().thenApply(json::listMachines);
      case CREATE_INSTANCE ->
          db.createInstance(commands.createInstance(params)).thenApply(json::createInstance);
      case GET_INSTANCE ->
          db.getInstance(Params.strict(params).requiredString("instance_id"))
              .thenApply(json::getInstance);
      case LIST_INSTANCES ->
          db.listInstances(commands.listInstances(params)).thenApply(json::listInstances);
      case DELETE_INSTANCE ->
          db.deleteInstance(commands.deleteInstance(params)).thenApply(json::deleteInstance);
      case APPLY_EVENT -> db.applyEvent(commands.applyEvent(params)).thenApply(json::applyEvent);
      case BATCH -> db.batch(batches.parse(params)).thenApply(this::batchResult);
      case SNAPSHOT_INSTANCE -> snapshotInstance(params);
      case WAL_READ -> walRead(params);
      case WAL_STATS ->
          offload(() -> CompletableFuture.completedFuture(db.walStats())).thenApply(json::walStats);
      case COMPACT -> compact(params);
      case FLUSH_ALL -> db.flushAll().thenApply(json::flushAll);
      default -> throw new IllegalArgumentException(op + " is not a database operation");
    };
  }

  private ObjectNode info() {
    ObjectNode o = json.object();
    o.put("server_name", identity.name());
    o.put("server_version", identity.version());
    o.put("protocol_version", ProtocolLimits.PROTOCOL_VERSION);
    ArrayNode features = o.putArray("features");
    identity.features().forEach(features::add);
    o.put("max_frame_bytes", ProtocolLimits.MAX_PAYLOAD);
    o.put("max_batch_ops", ProtocolLimits.MAX_BATCH_OPS);
    return o;
  }

  private CompletableFuture<JsonNode> getMachine(JsonNode params) {
    Params p = Params.strict(params);
    String machine = p.requiredString("machine");
    long version = p.requiredUnsigned("version", Params.U32_MAX);
    return db.getMachine(machine, version).thenApply(json::getMachine);
  }

  private CompletableFuture<JsonNode> snapshotInstance(JsonNode params) {
    String id = Params.strict(params).requiredString("instance_id");
    return offload(() -> db.snapshotInstance(id)).thenApply(json::snapshotInstance);
  }

  private CompletableFuture<JsonNode> compact(JsonNode params) {
    boolean force = Params.strict(params).optionalBoolean("force_snapshot", false);
    return offload(() -> db.compact(force)).thenApply(json::compact);
  }

  private CompletableFuture<JsonNode> walRead(JsonNode params) {
    Params p = Params.strict(params);
    long from = p.requiredOffset("from_offset");
    Long requested = p.optionalUnsigned("limit", Long.MAX_VALUE);
    long limit = requested == null ? WAL_READ_DEFAULT_LIMIT : requested;
    if (limit > WAL_READ_MAX_LIMIT) {
      throw RstmdbException.badRequest(
          "limit " + limit + " exceeds the maximum of " + WAL_READ_MAX_LIMIT);
    }
    if (limit == 0) {
      long next = Math.max(from, db.walOldest());
      return CompletableFuture.completedFuture(json.walRead(new WalReadResult(List.of(), next)));
    }
    return offload(() -> db.readWal(from, (int) limit)).thenApply(json::walRead);
  }

  private JsonNode batchResult(BatchResult result) {
    ArrayNode items = json.object().arrayNode();
    for (BatchResult.Item item : result.items()) {
      ObjectNode o = items.addObject();
      if (item.error() != null) {
        o.put("status", "error");
        o.putNull("result");
        o.set("error", json.error(errors.toWire(item.error())));
      } else {
        o.put("status", "ok");
        o.set("result", itemResult(item.result()));
        o.putNull("error");
      }
    }
    ObjectNode o = json.object();
    o.set("results", items);
    return o;
  }

  private JsonNode itemResult(Object result) {
    if (result instanceof CreateInstanceResult r) {
      return json.createInstance(r);
    }
    if (result instanceof ApplyEventResult r) {
      return json.applyEvent(r);
    }
    if (result instanceof DeleteInstanceResult r) {
      return json.deleteInstance(r);
    }
    throw new IllegalStateException("unexpected batch item result " + result);
  }

  private <T> CompletableFuture<T> offload(Supplier<CompletableFuture<T>> call) {
    return CompletableFuture.supplyAsync(call, blocking).thenCompose(f -> f);
  }
}
