package io.rstmdb.server.watch;

import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.core.port.WalRecord;
import io.rstmdb.core.port.WalStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory WalPort whose appends become durable a moment later, in order, on a separate "fsync"
 * thread, so readers and notifications see the same lag between append and durability that a real
 * log has. {@link #deleteBefore} stands in for compaction.
 */
final class MemoryWal implements WalPort {
  private final ExecutorService fsync = Executors.newSingleThreadExecutor();

  // Guarded by this.
  private final List<WalRecord> records = new ArrayList<>();
  private long oldest;
  private long next;
  private long durable;

  @Override
  public synchronized Append append(List<WalEntry> entries) {
    long first = next;
    for (WalEntry entry : entries) {
      records.add(new WalRecord(next++, entry));
    }
    long upTo = next;
    CompletableFuture<Void> done = new CompletableFuture<>();
    fsync.execute(
        () -> {
          synchronized (this) {
            durable = Math.max(durable, upTo);
          }
          done.complete(null);
        });
    return new Append(first, done);
  }

  @Override
  public synchronized List<WalRecord> read(long fromOffset, int limit) {
    List<WalRecord> out = new ArrayList<>();
    int start = (int) Math.max(0, fromOffset - oldest);
    for (int i = start; i < records.size() && out.size() < limit; i++) {
      WalRecord record = records.get(i);
      if (record.offset() >= durable) {
        break;
      }
      out.add(record);
    }
    return out;
  }

  @Override
  public synchronized long oldestOffset() {
    return oldest;
  }

  @Override
  public synchronized long nextOffset() {
    return next;
  }

  @Override
  public synchronized long durableOffset() {
    return durable;
  }

  @Override
  public synchronized WalStats stats() {
    return new WalStats(records.size(), 1, 0, next - 1, new WalStats.IoStats(0, 0, 0, 0, 0));
  }

  @Override
  public synchronized Reclaimed deleteBefore(long offset) {
    long upTo = Math.min(offset, durable);
    int drop = (int) Math.max(0, upTo - oldest);
    if (drop == 0) {
      return Reclaimed.NONE;
    }
    records.subList(0, drop).clear();
    oldest += drop;
    return new Reclaimed(1, drop);
  }

  @Override
  public void close() {
    fsync.shutdown();
    try {
      fsync.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
