package io.rstmdb.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import io.rstmdb.core.api.ApplyEvent;
import io.rstmdb.core.api.ApplyEventResult;
import io.rstmdb.core.api.Command;
import io.rstmdb.core.api.CreateInstance;
import io.rstmdb.core.api.CreateInstanceResult;
import io.rstmdb.core.api.DeleteInstance;
import io.rstmdb.core.api.DeleteInstanceResult;
import io.rstmdb.core.api.PutMachine;
import io.rstmdb.core.api.PutMachineResult;
import io.rstmdb.core.api.RejectedCommand;
import io.rstmdb.core.definition.Route;
import io.rstmdb.core.entry.ApplyEventEntry;
import io.rstmdb.core.entry.CreateInstanceEntry;
import io.rstmdb.core.entry.DeleteInstanceEntry;
import io.rstmdb.core.entry.PutMachineEntry;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.state.IdRules;
import io.rstmdb.core.state.IdempotencyKey;
import io.rstmdb.core.state.IdempotencyRecord;
import io.rstmdb.core.state.InstanceRecord;
import io.rstmdb.core.state.MachineKey;
import io.rstmdb.core.state.MachineRecord;
import io.rstmdb.core.state.StateView;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Validates a command against a view of the state, in the check order of operations.md, and decides
 * what to write. Pure apart from the id generator: it never changes state. Runs on the sequencer;
 * {@code now} is the time the sequencer stamps into the entry. Work that needs no state (compiling
 * a machine definition, {@link CompiledPut}) is done before, so the lock is held only for this.
 */
final class Planner {
  private final EngineConfig config;
  private final Supplier<String> idGenerator;

  Planner(EngineConfig config, Supplier<String> idGenerator) {
    this.config = config;
    this.idGenerator = idGenerator;
  }

  /**
   * The state-dependent half of PUT_MACHINE; {@code put} holds the rest, worked out before the
   * lock. The checks keep their documented order: ids, missing definition, version limit, then the
   * definition and checksum ({@code put.problem()}), then the stored version.
   */
  Plan putMachine(CompiledPut put, StateView view, long now) {
    PutMachine c = put.command();
    IdRules.check("machine", c.machine());
    IdRules.checkVersion(c.version());
    if (c.definition() == null || c.definition().isNull()) {
      throw RstmdbException.badRequest("missing field 'definition'");
    }
    MachineKey key = new MachineKey(c.machine(), c.version());
    MachineRecord existing = view.machine(key);
    int limit = config.maxMachineVersions();
    if (existing == null && limit > 0) {
      int count = view.versionCount(c.machine());
      if (count >= limit) {
        throw new RstmdbException(
            ErrorCode.MACHINE_VERSION_LIMIT_EXCEEDED,
            "machine version limit exceeded: machine '"
                + c.machine()
                + "' already has "
                + count
                + " versions (limit: "
                + limit
                + ")");
      }
    }
    if (put.problem() != null) {
      throw put.problem();
    }
    String checksum = put.definition().checksum();
    if (existing != null) {
      if (existing.checksum().equals(checksum)) {
        return new Plan.Reply(new PutMachineResult(c.machine(), c.version(), checksum, false));
      }
      throw new RstmdbException(
          ErrorCode.MACHINE_VERSION_EXISTS,
          "machine version already exists: " + c.machine() + " v" + c.version());
    }
    PutMachineEntry entry =
        new PutMachineEntry(now, c.machine(), c.version(), checksum, put.received());
    return new Plan.Write(
        entry,
        offset -> new PutMachineResult(c.machine(), c.version(), checksum, true),
        put.definition());
  }

  /** Plans one batchable command. */
  Plan command(Command command, StateView view, long now) {
    if (command instanceof CreateInstance c) {
      return create(c, view, now);
    } else if (command instanceof ApplyEvent c) {
      return apply(c, view, now);
    } else if (command instanceof DeleteInstance c) {
      return delete(c, view, now);
    }
    throw ((RejectedCommand) command).error();
  }

  Plan create(CreateInstance c, StateView view, long now) {
    if (c.instanceId() != null) {
      IdRules.check("instance_id", c.instanceId());
    }
    if (c.machine() == null) {
      throw RstmdbException.badRequest("missing field 'machine'");
    }
    IdRules.checkVersion(c.version());
    IdempotencyRecord known = liveKey(view, c.idempotencyKey(), IdempotencyKey::create, now);
    // A retry names the same instance, or none (the server chose the id). A key reused with another
    // explicit id is no retry: answering it with the first instance's result told the client an
    // instance was created that never was (QA), so, as for DELETE, it is served afresh.
    if (known != null
        && known.result() instanceof CreateInstanceResult earlier
        && (c.instanceId() == null || earlier.instanceId().equals(c.instanceId()))) {
      return new Plan.Reply(earlier);
    }
    String id = c.instanceId() != null ? c.instanceId() : idGenerator.get();
    InstanceRecord existing = view.instance(id);
    if (existing != null && !(existing.deleted() && config.allowInstanceRecreate())) {
      throw new RstmdbException(ErrorCode.INSTANCE_EXISTS, "instance already exists: " + id);
    }
    MachineRecord machine = machine(view, c.machine(), c.version());
    JsonNode ctx =
        c.initialCtx() == null || c.initialCtx().isNull()
            ? JsonNodeFactory.instance.objectNode()
            : c.initialCtx().deepCopy();
    String initial = machine.definition().initial();
    CreateInstanceEntry entry =
        new CreateInstanceEntry(
            now, id, c.machine(), c.version(), initial, ctx, c.idempotencyKey());
    return new Plan.Write(entry, offset -> new CreateInstanceResult(id, initial, offset));
  }

  Plan apply(ApplyEvent c, StateView view, long now) {
    if (c.instanceId() == null) {
      throw RstmdbException.badRequest("missing field 'instance_id'");
    }
    if (c.event() == null) {
      throw RstmdbException.badRequest("missing field 'event'");
    }
    InstanceRecord instance = liveInstance(view, c.instanceId());
    IdempotencyRecord known =
        liveKey(view, c.idempotencyKey(), k -> IdempotencyKey.apply(c.instanceId(), k), now);
    if (known != null) {
      return new Plan.Reply(known.result());
    }
    if (c.expectedState() != null && !c.expectedState().equals(instance.state())) {
      throw new RstmdbException(
          ErrorCode.CONFLICT,
          "state conflict: expected '" + c.expectedState() + "', actual '" + instance.state() + "'",
          Map.of("expected", c.expectedState(), "actual", instance.state()));
    }
    if (c.expectedWalOffset() != null && c.expectedWalOffset() != instance.lastWalOffset()) {
      throw new RstmdbException(
          ErrorCode.CONFLICT,
          "WAL offset conflict: expected "
              + c.expectedWalOffset()
              + ", actual "
              + instance.lastWalOffset(),
          Map.of("expected", c.expectedWalOffset(), "actual", instance.lastWalOffset()));
    }
    MachineRecord machine = machine(view, instance.machine(), instance.version());
    JsonNode current = instance.ctx().tree();
    Route route = machine.definition().route(instance.state(), c.event(), current);
    String to;
    if (route instanceof Route.Go go) {
      to = go.transition().to();
    } else if (route instanceof Route.GuardFailed failed) {
      throw new RstmdbException(
          ErrorCode.GUARD_FAILED,
          "guard failed: guard failed for transition '"
              + instance.state()
              + "' -> '"
              + failed.firstCandidate().to()
              + "' on event '"
              + c.event()
              + "'");
    } else {
      throw new RstmdbException(
          ErrorCode.INVALID_TRANSITION,
          "invalid transition: cannot apply '"
              + c.event()
              + "' in state '"
              + instance.state()
              + "'");
    }
    JsonNode payload = c.payload() == null ? NullNode.getInstance() : c.payload().deepCopy();
    JsonNode ctx = ContextMerge.merge(current, payload);
    String from = instance.state();
    ApplyEventEntry entry =
        new ApplyEventEntry(
            now,
            instance.id(),
            instance.machine(),
            instance.version(),
            c.event(),
            from,
            to,
            payload,
            ctx,
            c.eventId(),
            c.idempotencyKey());
    return new Plan.Write(
        entry, offset -> new ApplyEventResult(from, to, ctx, offset, true, c.eventId()));
  }

  Plan delete(DeleteInstance c, StateView view, long now) {
    if (c.instanceId() == null) {
      throw RstmdbException.badRequest("missing field 'instance_id'");
    }
    IdempotencyRecord known = liveKey(view, c.idempotencyKey(), IdempotencyKey::delete, now);
    // A retry names the same instance. A key reused for another one is no retry: answering it with
    // the first instance's result left the named instance undeleted (QA), so it is served afresh.
    if (known != null
        && known.result() instanceof DeleteInstanceResult earlier
        && earlier.instanceId().equals(c.instanceId())) {
      return new Plan.Reply(earlier);
    }
    InstanceRecord instance = view.instance(c.instanceId());
    if (instance == null) {
      throw notFound(c.instanceId());
    }
    if (instance.deleted()) {
      return new Plan.Reply(
          new DeleteInstanceResult(instance.id(), true, instance.lastWalOffset()));
    }
    DeleteInstanceEntry entry = new DeleteInstanceEntry(now, instance.id(), c.idempotencyKey());
    return new Plan.Write(entry, offset -> new DeleteInstanceResult(instance.id(), true, offset));
  }

  private IdempotencyRecord liveKey(
      StateView view, String key, Function<String, IdempotencyKey> scope, long now) {
    if (key == null) {
      return null;
    }
    IdempotencyRecord record = view.idempotency(scope.apply(key));
    return record != null && record.liveAt(now, config.idempotencyRetentionMillis())
        ? record
        : null;
  }

  /** The instance unless it is unknown or deleted (decision 15). */
  static InstanceRecord liveInstance(StateView view, String id) {
    InstanceRecord instance = view.instance(id);
    if (instance == null || instance.deleted()) {
      throw notFound(id);
    }
    return instance;
  }

  static MachineRecord machine(StateView view, String name, long version) {
    MachineRecord machine = view.machine(new MachineKey(name, version));
    if (machine == null) {
      throw new RstmdbException(
          ErrorCode.MACHINE_NOT_FOUND, "machine version not found: " + name + " v" + version);
    }
    return machine;
  }

  static RstmdbException notFound(String id) {
    return new RstmdbException(ErrorCode.INSTANCE_NOT_FOUND, "instance not found: " + id);
  }
}
