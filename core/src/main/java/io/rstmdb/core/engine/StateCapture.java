package io.rstmdb.core.engine;

import io.rstmdb.core.state.IdempotencyRecord;
import io.rstmdb.core.state.InstanceRecord;
import io.rstmdb.core.state.MachineRecord;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A consistent copy of the state taken on the sequencer between two writes: it holds exactly the
 * effects of the WAL records below {@code walOffset}. Records are immutable, so copying the
 * references is enough.
 *
 * @param durable completes when every record below {@code walOffset} is durable (and the WAL's cut
 *     at {@code walOffset}, if it makes one, is in place)
 */
record StateCapture(
    long walOffset,
    long createdAt,
    List<MachineRecord> machines,
    List<InstanceRecord> instances,
    List<IdempotencyRecord> idempotency,
    CompletableFuture<Void> durable) {

  /** The same capture, durable when {@code future} completes. */
  StateCapture withDurable(CompletableFuture<Void> future) {
    return new StateCapture(walOffset, createdAt, machines, instances, idempotency, future);
  }

  /** The same capture with {@code list} as its instances. */
  StateCapture withInstances(List<InstanceRecord> list) {
    return new StateCapture(walOffset, createdAt, machines, list, idempotency, durable);
  }
}
