package io.rstmdb.wal;

import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.core.port.WalRecord;
import io.rstmdb.core.port.WalStats;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * For benchmarks: does on the caller's thread exactly what {@link SegmentedWal#append} does there
 * (serialize each body, build the records with their CRCs), then drops the bytes and reports them
 * durable at once. So a benchmark measures the caller's share of an append without the writer
 * thread, whose wake-ups make per-call CPU figures noisy.
 */
public final class EncodeOnlyWal implements WalPort {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  private final WalFormat format = new WalFormat();
  private long next;
  private long bytes;

  @Override
  public synchronized Append append(List<WalEntry> entries) {
    List<WalEntry> copy = List.copyOf(entries);
    List<byte[]> payloads = format.payloads(copy);
    bytes += WalFormat.encodeGroup(next, copy, payloads).bytes().remaining();
    long first = next;
    next += copy.size();
    return new Append(first, DONE);
  }

  /** Bytes encoded so far (keeps the encoding observable). */
  public synchronized long bytes() {
    return bytes;
  }

  @Override
  public List<WalRecord> read(long fromOffset, int limit) {
    return List.of();
  }

  @Override
  public synchronized long oldestOffset() {
    return next;
  }

  @Override
  public synchronized long nextOffset() {
    return next;
  }

  @Override
  public synchronized long durableOffset() {
    return next;
  }

  @Override
  public synchronized WalStats stats() {
    return new WalStats(next, 1, bytes, next - 1, new WalStats.IoStats(bytes, 0, 0, 0, 0));
  }

  @Override
  public Reclaimed deleteBefore(long offset) {
    return Reclaimed.NONE;
  }

  @Override
  public void close() {}
}
