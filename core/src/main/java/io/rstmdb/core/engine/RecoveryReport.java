package io.rstmdb.core.engine;

import java.util.List;

/**
 * How {@link Engine#open} rebuilt the state, for the startup log.
 *
 * @param snapshotId the STATE snapshot it started from, {@code null} for a full WAL replay
 * @param fromOffset the first WAL offset replayed
 * @param replayedRecords WAL records replayed after the snapshot
 * @param rejectedSnapshots snapshots that could not be used, each with the reason
 */
public record RecoveryReport(
    String snapshotId, long fromOffset, long replayedRecords, List<String> rejectedSnapshots) {
  public RecoveryReport {
    rejectedSnapshots = List.copyOf(rejectedSnapshots);
  }

  /**
   * One line for the startup log, e.g. {@code snapshot snap-1 + 10000 WAL records from offset
   * 1001001} or {@code full WAL replay: 1801000 records}, followed by any rejected snapshots.
   */
  public String summary() {
    String how =
        snapshotId == null
            ? "full WAL replay: " + replayedRecords + " records"
            : "snapshot "
                + snapshotId
                + " + "
                + replayedRecords
                + " WAL records from offset "
                + fromOffset;
    return rejectedSnapshots.isEmpty() ? how : how + "; rejected snapshots: " + rejectedSnapshots;
  }
}
