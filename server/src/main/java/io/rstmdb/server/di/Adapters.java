package io.rstmdb.server.di;

import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.Clock;
import io.rstmdb.core.port.SnapshotPort;
import io.rstmdb.core.port.WalPort;
import java.util.Optional;

/**
 * The outside world the server may be given instead of its defaults: a WAL and snapshot store
 * (default: the file adapters under {@code data_dir}, owned and closed by the server), the clock
 * and the failpoints. Adapters passed in here stay owned by the caller.
 */
public record Adapters(
    Optional<WalPort> wal, Optional<SnapshotPort> snapshots, Clock clock, Failpoints failpoints) {

  public static Adapters defaults() {
    return new Adapters(Optional.empty(), Optional.empty(), Clock.system(), Failpoints.NONE);
  }
}
