package io.rstmdb.core.engine;

import io.rstmdb.core.api.CompactResult;
import io.rstmdb.core.api.SnapshotInstanceResult;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.Clock;
import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.core.state.InstanceRecord;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Writes snapshots and trims the WAL behind them. Runs on the engine's background thread only, so
 * compactions never overlap and never run on the sequencer. The order of a compaction is what keeps
 * acknowledged data safe: capture a consistent state, wait until it is durable in the WAL, commit
 * the snapshot, and only then delete WAL history that the snapshot covers.
 */
final class Compactor {
  /** STATE snapshots kept: the newest, plus one to fall back on if it is damaged. */
  static final int KEEP_STATE_SNAPSHOTS = 2;

  private final WalPort wal;
  private final SnapshotPort snapshots;
  private final Clock clock;
  private final Failpoints failpoints;
  private final Supplier<CompletableFuture<StateCapture>> capture;

  Compactor(
      WalPort wal,
      SnapshotPort snapshots,
      Clock clock,
      Failpoints failpoints,
      Supplier<CompletableFuture<StateCapture>> capture) {
    this.wal = wal;
    this.snapshots = snapshots;
    this.clock = clock;
    this.failpoints = failpoints;
    this.capture = capture;
  }

  CompactResult compact(boolean force) {
    List<SnapshotInfo> states = stateSnapshots();
    SnapshotInfo previous = states.isEmpty() ? null : states.get(0);
    long totalInstances = -1;
    if (!force && previous != null && wal.nextOffset() == previous.walOffset()) {
      // Nothing new, but the WAL is only trimmed behind a snapshot that still reads back intact.
      try {
        totalInstances = instanceCount(previous);
      } catch (RstmdbException damaged) {
        previous = null;
      }
    }
    SnapshotInfo newest = previous;
    long created = 0;
    if (totalInstances < 0) {
      StateCapture state = join(capture.get());
      if (force || previous == null || state.walOffset() != previous.walOffset()) {
        join(state.durable());
        failpoints.hit("compact.before_snapshot");
        newest = writeState(state);
        failpoints.hit("compact.after_snapshot");
        created = changedSince(state.instances(), force ? null : previous);
        totalInstances = state.instances().size();
      } else {
        totalInstances = instanceCount(previous);
      }
    }
    WalPort.Reclaimed reclaimed = WalPort.Reclaimed.NONE;
    if (newest != null) {
      failpoints.hit("compact.before_wal_delete");
      reclaimed = wal.deleteBefore(newest.walOffset());
      pruneOlderThanKept();
    }
    return new CompactResult(
        created,
        reclaimed.unitsDeleted(),
        reclaimed.bytesReclaimed(),
        Math.max(totalInstances, 0),
        wal.stats().segmentCount());
  }

  SnapshotInstanceResult snapshotInstance(
      InstanceRecord instance, CompletableFuture<Void> durable) {
    join(durable);
    SnapshotInfo info;
    try (SnapshotPort.SnapshotWriter writer =
        // The image includes the record at last_wal_offset: it covers the offsets below the next.
        snapshots.begin(SnapshotKind.INSTANCE, instance.lastWalOffset() + 1, clock.millis())) {
      writer.write(StateSnapshotCodec.instanceItem(instance));
      info = writer.commit();
    }
    return new SnapshotInstanceResult(
        instance.id(), info.id(), instance.lastWalOffset(), info.sizeBytes(), info.checksum());
  }

  private SnapshotInfo writeState(StateCapture state) {
    try (SnapshotPort.SnapshotWriter writer =
        snapshots.begin(SnapshotKind.STATE, state.walOffset(), state.createdAt())) {
      StateSnapshotCodec.write(state, writer);
      return writer.commit();
    }
  }

  /** Instances whose image differs from the one in {@code previous} (all when it is null). */
  private static long changedSince(List<InstanceRecord> instances, SnapshotInfo previous) {
    if (previous == null) {
      return instances.size();
    }
    long covered = previous.walOffset();
    return instances.stream().filter(i -> i.lastWalOffset() >= covered).count();
  }

  private void pruneOlderThanKept() {
    List<SnapshotInfo> states = stateSnapshots();
    for (int i = KEEP_STATE_SNAPSHOTS; i < states.size(); i++) {
      snapshots.delete(states.get(i).id());
    }
  }

  private long instanceCount(SnapshotInfo info) {
    try (SnapshotPort.SnapshotReader reader = snapshots.open(info.id())) {
      return StateSnapshotCodec.instanceCount(reader);
    }
  }

  private List<SnapshotInfo> stateSnapshots() {
    return snapshots.list().stream().filter(s -> s.kind() == SnapshotKind.STATE).toList();
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RstmdbException r) {
        throw r;
      }
      throw new RstmdbException(ErrorCode.INTERNAL_ERROR, "compaction failed", e.getCause());
    }
  }
}
