package io.rstmdb.core.engine;

import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.core.port.WalRecord;
import io.rstmdb.core.port.WalStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WalPort in memory for engine tests. Records live in storage units of {@code unitSize} records
 * (like segments) so {@code deleteBefore} removes whole units only. By default appends are durable
 * at once; in manual mode they stay pending until {@link #release()} or {@link #failPending}, and
 * {@link #crash()} drops whatever is not durable, as a power loss would.
 */
final class InMemoryWal implements WalPort {
  private final int unitSize;
  private final List<WalRecord> records = new ArrayList<>(); // offsets oldest..next-1
  private final List<Pending> pending = new ArrayList<>();
  private long oldest;
  private long next;
  private long durable;
  private boolean manual;
  private boolean failed;
  private boolean failNextAppend;
  final AtomicInteger appendCalls = new AtomicInteger();

  private record Pending(long end, CompletableFuture<Void> future) {}

  InMemoryWal() {
    this(4);
  }

  InMemoryWal(int unitSize) {
    this.unitSize = unitSize;
  }

  synchronized InMemoryWal manual(boolean value) {
    manual = value;
    return this;
  }

  synchronized void failNextAppend() {
    failNextAppend = true;
  }

  @Override
  public Append append(List<WalEntry> entries) {
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("no entries");
    }
    CompletableFuture<Void> future = new CompletableFuture<>();
    long first;
    boolean completeNow;
    synchronized (this) {
      appendCalls.incrementAndGet();
      if (failNextAppend || failed) {
        failNextAppend = false;
        failed = true;
        throw new RstmdbException(ErrorCode.WAL_IO_ERROR, "WAL error: injected append failure");
      }
      first = next;
      for (WalEntry e : entries) {
        records.add(new WalRecord(next++, e));
      }
      completeNow = !manual;
      if (completeNow) {
        durable = next;
      } else {
        pending.add(new Pending(next, future));
      }
    }
    if (completeNow) {
      future.complete(null);
    }
    return new Append(first, future);
  }

  /** Makes every pending append durable, in order. */
  void release() {
    List<Pending> done;
    synchronized (this) {
      done = new ArrayList<>(pending);
      pending.clear();
      if (!done.isEmpty()) {
        durable = done.get(done.size() - 1).end();
      }
    }
    done.forEach(p -> p.future().complete(null));
  }

  /** Fails every pending append; the log is fail-stop afterwards. */
  void failPending() {
    List<Pending> done;
    synchronized (this) {
      done = new ArrayList<>(pending);
      pending.clear();
      failed = true;
    }
    done.forEach(
        p ->
            p.future()
                .completeExceptionally(
                    new RstmdbException(
                        ErrorCode.WAL_IO_ERROR, "WAL error: injected fsync failure")));
  }

  /**
   * Loses everything not durable, and reopens (clears the failure). Pending appends fail, as they
   * would for a process that died: nobody is left to wait for them.
   */
  void crash() {
    List<Pending> lost;
    synchronized (this) {
      while (next > durable) {
        records.remove(records.size() - 1);
        next--;
      }
      lost = new ArrayList<>(pending);
      pending.clear();
      failed = false;
    }
    lost.forEach(
        p ->
            p.future()
                .completeExceptionally(
                    new RstmdbException(ErrorCode.WAL_IO_ERROR, "WAL error: crashed")));
  }

  /** The byte budget of every budgeted read, in order (this log does not apply them). */
  final List<Long> readBudgets = new ArrayList<>();

  @Override
  public synchronized List<WalRecord> read(long fromOffset, int limit, long maxBytes) {
    readBudgets.add(maxBytes);
    return read(fromOffset, limit);
  }

  @Override
  public synchronized List<WalRecord> read(long fromOffset, int limit) {
    List<WalRecord> out = new ArrayList<>();
    long start = Math.max(fromOffset, oldest);
    for (long o = start; o < durable && out.size() < limit; o++) {
      out.add(records.get((int) (o - oldest)));
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
    long units = next == oldest ? 1 : (unitOf(next) - unitOf(oldest) + 1);
    long bytes = 0;
    for (WalRecord r : records) {
      bytes += size(r);
    }
    return new WalStats(
        durable - oldest,
        units,
        bytes,
        next == 0 ? -1 : next - 1,
        new WalStats.IoStats(0, 0, 0, 0, 0));
  }

  @Override
  public synchronized Reclaimed deleteBefore(long offset) {
    long limit = Math.min(offset, next);
    long units = 0;
    long bytes = 0;
    // Whole units strictly before the unit holding `limit`; the active unit always stays.
    long newOldest = oldest;
    while (unitOf(newOldest) < unitOf(limit) && newOldest < next) {
      newOldest = (unitOf(newOldest) + 1) * unitSize;
      units++;
    }
    List<WalRecord> gone = records.subList(0, (int) (newOldest - oldest));
    for (WalRecord r : gone) {
      bytes += size(r);
    }
    gone.clear();
    oldest = newOldest;
    return new Reclaimed(units, bytes);
  }

  @Override
  public void close() {}

  private long unitOf(long offset) {
    return offset / unitSize;
  }

  private static long size(WalRecord r) {
    return r.entry().body().toString().length();
  }
}
