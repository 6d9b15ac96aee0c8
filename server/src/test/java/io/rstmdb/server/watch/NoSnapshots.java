package io.rstmdb.server.watch;

import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort;
import java.util.List;

/** A snapshot store that holds none; the watch tests never compact through the engine. */
final class NoSnapshots implements SnapshotPort {
  @Override
  public SnapshotWriter begin(SnapshotKind kind, long walOffset, long createdAt) {
    throw new UnsupportedOperationException("no snapshots in watch tests");
  }

  @Override
  public List<SnapshotInfo> list() {
    return List.of();
  }

  @Override
  public SnapshotReader open(String snapshotId) {
    throw new UnsupportedOperationException("no snapshots in watch tests");
  }

  @Override
  public void delete(String snapshotId) {}

  @Override
  public void close() {}
}
