package io.rstmdb.testkit.fault;

import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.core.port.WalRecord;
import io.rstmdb.core.port.WalStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** The smallest honest WalPort: a list, durable at once. Enough to test the wrapper around it. */
final class ListWal implements WalPort {
  private final List<WalEntry> entries = new ArrayList<>();
  private boolean closed;
  private int bursts;

  /** Counts bursts, so a wrapper can be shown to pass them on. */
  @Override
  public <T> T inBurst(Supplier<T> burst) {
    synchronized (this) {
      bursts++;
    }
    return burst.get();
  }

  synchronized int bursts() {
    return bursts;
  }

  @Override
  public synchronized Append append(List<WalEntry> batch) {
    long first = entries.size();
    entries.addAll(batch);
    return new Append(first, CompletableFuture.completedFuture(null));
  }

  @Override
  public synchronized List<WalRecord> read(long fromOffset, int limit) {
    List<WalRecord> out = new ArrayList<>();
    for (long o = Math.max(0, fromOffset); o < entries.size() && out.size() < limit; o++) {
      out.add(new WalRecord(o, entries.get((int) o)));
    }
    return out;
  }

  @Override
  public long oldestOffset() {
    return 0;
  }

  @Override
  public synchronized long nextOffset() {
    return entries.size();
  }

  @Override
  public synchronized long durableOffset() {
    return entries.size();
  }

  @Override
  public synchronized WalStats stats() {
    return new WalStats(
        entries.size(), 1, 0, entries.size() - 1L, new WalStats.IoStats(0, 0, 0, 0, 0));
  }

  @Override
  public Reclaimed deleteBefore(long offset) {
    return Reclaimed.NONE;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  synchronized boolean closed() {
    return closed;
  }
}
