package io.rstmdb.core.engine;

import io.rstmdb.core.entry.EntryCodec;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.core.port.WalRecord;
import io.rstmdb.core.state.DatabaseState;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds the state at startup: the newest STATE snapshot that opens cleanly and that the retained
 * WAL continues without a gap, then every WAL record after it. With no usable snapshot the WAL must
 * still hold its very first record (offset 0); otherwise acknowledged data would be missing, and
 * recovery refuses rather than start with less than was acknowledged.
 */
final class Recovery {
  static final int READ_CHUNK = 1000;

  private Recovery() {}

  /** The recovered state and how it was obtained. */
  record Result(DatabaseState state, RecoveryReport report) {}

  static Result recover(WalPort wal, SnapshotPort snapshots) {
    long oldest = wal.oldestOffset();
    long next = wal.nextOffset();
    List<String> rejected = new ArrayList<>();
    DatabaseState state = null;
    SnapshotInfo used = null;
    for (SnapshotInfo info : snapshots.list()) {
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
      if (info.walOffset() > next) {
        rejected.add(
            info.id()
                + " (covers offsets below "
                + info.walOffset()
                + " but the WAL ends at "
                + next
                + ")");
        continue;
      }
      try (SnapshotPort.SnapshotReader reader = snapshots.open(info.id())) {
        state = StateSnapshotCodec.read(reader).state();
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
    long replayed = replay(wal, state, from);
    return new Result(
        state, new RecoveryReport(used == null ? null : used.id(), from, replayed, rejected));
  }

  /** Applies every durable record from {@code from} on; returns how many. */
  static long replay(WalPort wal, DatabaseState state, long from) {
    long position = from;
    long count = 0;
    while (true) {
      List<WalRecord> records = wal.read(position, READ_CHUNK);
      if (records.isEmpty()) {
        return count;
      }
      for (WalRecord record : records) {
        if (record.offset() != position) {
          throw new RstmdbException(
              ErrorCode.INTERNAL_ERROR,
              "cannot recover: expected WAL record " + position + " but found " + record.offset());
        }
        try {
          EntryCodec.decode(record.entry())
              .ifPresent(entry -> EntryApplier.apply(entry, record.offset(), state));
        } catch (RstmdbException e) {
          // Whatever the entry's own complaint (a definition error is BAD_REQUEST), a log that
          // cannot be replayed is an internal error of the store.
          throw new RstmdbException(
              ErrorCode.INTERNAL_ERROR,
              "cannot recover: WAL record " + record.offset() + ": " + e.getMessage(),
              e);
        }
        position++;
        count++;
      }
    }
  }
}
