package io.rstmdb.wal;

import io.rstmdb.core.port.WalStats;
import java.util.concurrent.atomic.LongAdder;

/** Counts the real file operations of one open log (reset when the log is reopened). */
final class IoCounters {
  private final LongAdder bytesWritten = new LongAdder();
  private final LongAdder bytesRead = new LongAdder();
  private final LongAdder writes = new LongAdder();
  private final LongAdder reads = new LongAdder();
  private final LongAdder fsyncs = new LongAdder();

  void wrote(long bytes) {
    writes.increment();
    bytesWritten.add(bytes);
  }

  void read(long bytes) {
    reads.increment();
    if (bytes > 0) {
      bytesRead.add(bytes);
    }
  }

  void synced() {
    fsyncs.increment();
  }

  WalStats.IoStats snapshot() {
    return new WalStats.IoStats(
        bytesWritten.sum(), bytesRead.sum(), writes.sum(), reads.sum(), fsyncs.sum());
  }
}
