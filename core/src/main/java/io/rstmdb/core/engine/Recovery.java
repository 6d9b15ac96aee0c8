package io.rstmdb.core.engine;

import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.core.state.DatabaseState;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds the state at startup: the newest STATE snapshot that opens cleanly and that the retained
 * WAL continues without a gap, then every WAL record after it. With no usable snapshot the WAL must
 * still hold its very first record (offset 0); otherwise acknowledged data would be missing, and
 * recovery refuses rather than start with less than was acknowledged. It refuses too when any
 * snapshot covers more than the WAL holds.
 */
final class Recovery {
  static final int READ_CHUNK = 1000;

  /**
   * From this many records on, the tail is read on a thread of its own while the caller applies. A
   * shorter tail is read on the caller's thread: at startup the code that reads it is still cold,
   * and running it next to the snapshot load (the same JSON parsing) was measured slower than
   * running one after the other, which lets the second reuse what the JIT compiled for the first.
   */
  static final long PIPELINE_AT = 100_000;

  private Recovery() {}

  /** The recovered state and how it was obtained. */
  record Result(DatabaseState state, RecoveryReport report) {}

  static Result recover(WalPort wal, SnapshotPort snapshots) {
    long oldest = wal.oldestOffset();
    long next = wal.nextOffset();
    List<SnapshotInfo> all = snapshots.list();
    // A long tail after the snapshot most likely to be used (the newest in range) is read on a
    // thread of its own, starting while that snapshot loads; if it turns out damaged, reading
    // starts again from where the one that loads leaves off.
    long likely = likelyStart(all, oldest, next);
    TailReader tail =
        likely >= 0 && next - likely >= PIPELINE_AT
            ? TailReader.start(wal, likely, READ_CHUNK)
            : null;
    try {
      refuseIfTheWalFallsShort(all, next);
      List<String> rejected = new ArrayList<>();
      DatabaseState state = null;
      SnapshotInfo used = null;
      for (SnapshotInfo info : all) {
        if (info.kind() != SnapshotKind.STATE) {
          continue;
        }
        if (info.walOffset() < oldest) {
          rejected.add(
              info.id()
                  + " (covers offsets below "
                  + info.walOffset()
                  + " but the WAL starts at "
                  + oldest
                  + ")");
          continue;
        }
        try {
          state = load(snapshots, info);
          used = info;
          break;
        } catch (RstmdbException damaged) {
          rejected.add(info.id() + " (" + damaged.getMessage() + ")");
        }
      }
      long from;
      if (used != null) {
        from = used.walOffset();
      } else if (oldest == 0) {
        state = new DatabaseState();
        from = 0;
      } else {
        throw new RstmdbException(
            ErrorCode.INTERNAL_ERROR,
            "cannot recover: the WAL starts at offset "
                + oldest
                + " and no usable STATE snapshot covers the records before it"
                + (rejected.isEmpty() ? " (there are none)" : "; rejected: " + rejected));
      }
      if (tail == null || tail.from() != from) {
        closeQuietly(tail);
        tail =
            next - from >= PIPELINE_AT
                ? TailReader.start(wal, from, READ_CHUNK)
                : TailReader.inline(wal, from, READ_CHUNK);
      }
      long replayed = apply(tail, state);
      return new Result(
          state, new RecoveryReport(used == null ? null : used.id(), from, replayed, rejected));
    } finally {
      closeQuietly(tail);
    }
  }

  /**
   * A snapshot is listed only once every record it covers is durable, so one that covers more than
   * the WAL holds proves the WAL lost acknowledged records (an older copy put back, a directory
   * removed). Starting would serve less than was acknowledged and hand out those offsets again.
   */
  private static void refuseIfTheWalFallsShort(List<SnapshotInfo> snapshots, long next) {
    for (SnapshotInfo info : snapshots) {
      if (info.kind() == SnapshotKind.STATE && info.walOffset() > next) {
        throw new RstmdbException(
            ErrorCode.INTERNAL_ERROR,
            "cannot recover: snapshot "
                + info.id()
                + " covers WAL offsets below "
                + info.walOffset()
                + " but the WAL ends at "
                + next
                + ", so acknowledged records are missing from the WAL (was the wal directory"
                + " removed or replaced by an older copy?)");
      }
    }
  }

  private static DatabaseState load(SnapshotPort snapshots, SnapshotInfo info) {
    try (SnapshotPort.SnapshotReader reader = snapshots.open(info.id())) {
      return StateSnapshotCodec.read(reader).state();
    }
  }

  private static void closeQuietly(TailReader tail) {
    if (tail != null) {
      tail.close();
    }
  }

  /**
   * Where replay starts if the newest STATE snapshot in the WAL's range loads: its offset, else 0
   * when the WAL is whole, else -1 (recovery will refuse).
   */
  private static long likelyStart(List<SnapshotInfo> snapshots, long oldest, long next) {
    for (SnapshotInfo info : snapshots) {
      if (info.kind() == SnapshotKind.STATE && info.walOffset() >= oldest) {
        return info.walOffset();
      }
    }
    return oldest == 0 ? 0 : -1;
  }

  /** Applies every record the reader hands over, in order; returns how many. */
  private static long apply(TailReader tail, DatabaseState state) {
    long count = 0;
    for (List<TailReader.Decoded> chunk = tail.next(); !chunk.isEmpty(); chunk = tail.next()) {
      for (TailReader.Decoded record : chunk) {
        if (record.entry() != null) {
          try {
            EntryApplier.apply(record.entry(), record.offset(), state);
          } catch (RstmdbException e) {
            throw unreplayable(record.offset(), e);
          }
        }
        count++;
      }
    }
    return count;
  }

  /**
   * Whatever the entry's own complaint (a definition error is BAD_REQUEST), a log that cannot be
   * replayed is an internal error of the store.
   */
  static RstmdbException unreplayable(long offset, RstmdbException cause) {
    return new RstmdbException(
        ErrorCode.INTERNAL_ERROR,
        "cannot recover: WAL record " + offset + ": " + cause.getMessage(),
        cause);
  }
}
