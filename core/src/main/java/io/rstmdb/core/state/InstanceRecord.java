package io.rstmdb.core.state;

import io.rstmdb.core.api.InstanceView;
import io.rstmdb.core.json.PackedJson;
import java.util.Objects;

/**
 * One instance as the engine holds it, including soft-deleted ones. Immutable: every change makes a
 * new record, so readers on other threads always see a consistent instance. The ctx is held packed
 * (its JSON bytes, see {@link PackedJson}): a million small ctx trees were most of the heap.
 *
 * @param lastEventId {@code null} when unset
 */
public record InstanceRecord(
    String id,
    String machine,
    long version,
    String state,
    PackedJson ctx,
    String lastEventId,
    long lastWalOffset,
    long createdAt,
    long updatedAt,
    boolean deleted) {

  public InstanceRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(ctx, "ctx");
  }

  /** The record after a transition written at {@code offset} and time {@code ts}. */
  public InstanceRecord transitioned(
      String toState, PackedJson newCtx, String eventId, long offset, long ts) {
    return new InstanceRecord(
        id, machine, version, toState, newCtx, eventId, offset, createdAt, ts, false);
  }

  /** The same record with its ctx packed (see {@link PackedJson#packed()}). */
  public InstanceRecord packed() {
    PackedJson packedCtx = ctx.packed();
    return packedCtx == ctx
        ? this
        : new InstanceRecord(
            id,
            machine,
            version,
            state,
            packedCtx,
            lastEventId,
            lastWalOffset,
            createdAt,
            updatedAt,
            deleted);
  }

  /** The record after a soft delete written at {@code offset} and time {@code ts}. */
  public InstanceRecord markedDeleted(long offset, long ts) {
    return new InstanceRecord(
        id, machine, version, state, ctx, lastEventId, offset, createdAt, ts, true);
  }

  public InstanceView view() {
    return new InstanceView(
        id, machine, version, state, null, lastEventId, lastWalOffset, createdAt, updatedAt, ctx);
  }
}
