package io.rstmdb.core.engine;

import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.core.port.WalRecord;
import io.rstmdb.core.port.WalStats;
import java.util.ArrayList;
import java.util.List;

/** Delegates to a WAL and keeps a copy of every appended entry, compaction or not. */
final class RecordingWal implements WalPort {
  private final WalPort delegate;
  private final List<WalEntry> appended = new ArrayList<>();

  RecordingWal(WalPort delegate) {
    this.delegate = delegate;
  }

  synchronized List<WalEntry> appended() {
    return List.copyOf(appended);
  }

  /** Forgets entries from offset {@code end} on (they were lost in a crash). */
  synchronized void keepFirst(long end) {
    appended.subList((int) end, appended.size()).clear();
  }

  @Override
  public synchronized Append append(List<WalEntry> entries) {
    Append a = delegate.append(entries);
    appended.addAll(entries);
    return a;
  }

  @Override
  public List<WalRecord> read(long fromOffset, int limit) {
    return delegate.read(fromOffset, limit);
  }

  @Override
  public long oldestOffset() {
    return delegate.oldestOffset();
  }

  @Override
  public long nextOffset() {
    return delegate.nextOffset();
  }

  @Override
  public long durableOffset() {
    return delegate.durableOffset();
  }

  @Override
  public WalStats stats() {
    return delegate.stats();
  }

  @Override
  public Reclaimed deleteBefore(long offset) {
    return delegate.deleteBefore(offset);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
