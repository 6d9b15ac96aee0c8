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
}
