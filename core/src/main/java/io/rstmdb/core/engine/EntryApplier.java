package io.rstmdb.core.engine;

import io.rstmdb.core.api.ApplyEventResult;
import io.rstmdb.core.api.CreateInstanceResult;
import io.rstmdb.core.api.DeleteInstanceResult;
import io.rstmdb.core.definition.MachineDefinition;
import io.rstmdb.core.entry.ApplyEventEntry;
import io.rstmdb.core.entry.CreateInstanceEntry;
import io.rstmdb.core.entry.DeleteInstanceEntry;
import io.rstmdb.core.entry.Entry;
import io.rstmdb.core.entry.FlushAllEntry;
import io.rstmdb.core.entry.PutMachineEntry;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.json.PackedJson;
import io.rstmdb.core.state.IdempotencyKey;
import io.rstmdb.core.state.IdempotencyRecord;
import io.rstmdb.core.state.InstanceRecord;
import io.rstmdb.core.state.MachineKey;
import io.rstmdb.core.state.MachineRecord;
import io.rstmdb.core.state.MutableState;

/**
 * The one place where an entry changes state. The live path and replay both call it, which is what
 * makes replaying the WAL rebuild exactly the live state: it uses only values stamped in the entry
 * and never re-validates transitions.
 */
final class EntryApplier {
  private EntryApplier() {}

  /** Applies an entry read back from the log (replay), compiling a machine definition it stores. */
  static void apply(Entry entry, long offset, MutableState state) {
    apply(entry, null, offset, state);
  }

  /**
   * @param compiled the definition a {@link PutMachineEntry} stores, compiled already (the live
   *     path compiles it before taking the sequencer lock, and compiling it again here held the
   *     lock as long); {@code null} to compile it here
   */
  static void apply(Entry entry, MachineDefinition compiled, long offset, MutableState state) {
    if (entry instanceof PutMachineEntry e) {
      MachineDefinition definition =
          compiled != null ? compiled : MachineDefinition.parse(e.definition());
      state.putMachine(
          new MachineRecord(
              new MachineKey(e.machine(), e.version()),
              definition,
              e.definition(),
              e.definitionHash()));
    } else if (entry instanceof CreateInstanceEntry e) {
      if (state.instance(e.instanceId()) != null) {
        state.forgetApplyKeys(e.instanceId());
      }
      state.putInstance(
          new InstanceRecord(
              e.instanceId(),
              sharedMachineName(state, e.machine(), e.version()),
              e.version(),
              e.initialState(),
              PackedJson.fresh(e.initialCtx()),
              null,
              offset,
              e.ts(),
              e.ts(),
              false));
      if (e.idempotencyKey() != null) {
        state.putIdempotency(
            new IdempotencyRecord(
                IdempotencyKey.create(e.idempotencyKey()),
                e.ts(),
                new CreateInstanceResult(e.instanceId(), e.initialState(), offset)));
      }
    } else if (entry instanceof ApplyEventEntry e) {
      InstanceRecord current = existing(state, e.instanceId(), offset);
      state.putInstance(
          current.transitioned(
              e.toState(), PackedJson.fresh(e.ctx()), e.eventId(), offset, e.ts()));
      if (e.idempotencyKey() != null) {
        state.putIdempotency(
            new IdempotencyRecord(
                IdempotencyKey.apply(e.instanceId(), e.idempotencyKey()),
                e.ts(),
                new ApplyEventResult(
                    e.fromState(), e.toState(), e.ctx(), offset, false, e.eventId())));
      }
    } else if (entry instanceof DeleteInstanceEntry e) {
      InstanceRecord current = existing(state, e.instanceId(), offset);
      state.putInstance(current.markedDeleted(offset, e.ts()));
      if (e.idempotencyKey() != null) {
        state.putIdempotency(
            new IdempotencyRecord(
                IdempotencyKey.delete(e.idempotencyKey()),
                e.ts(),
                new DeleteInstanceResult(e.instanceId(), true, offset)));
      }
    } else if (entry instanceof FlushAllEntry) {
      state.clear();
    }
  }

  /**
   * The machine's name as its record holds it, so that a million instances share one string instead
   * of each keeping the copy its request or WAL entry was parsed into (~48 bytes each).
   */
  private static String sharedMachineName(MutableState state, String machine, long version) {
    MachineRecord record = state.machine(new MachineKey(machine, version));
    return record == null ? machine : record.key().name();
  }

  private static InstanceRecord existing(MutableState state, String id, long offset) {
    InstanceRecord current = state.instance(id);
    if (current == null) {
      // The engine never writes such an entry; reaching here means the log and snapshot disagree.
      throw new RstmdbException(
          ErrorCode.INTERNAL_ERROR,
          "WAL entry at offset " + offset + " refers to unknown instance '" + id + "'");
    }
    return current;
  }
}
