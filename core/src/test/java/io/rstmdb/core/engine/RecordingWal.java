package io.rstmdb.core.engine;

import io.rstmdb.core.port.ForwardingWal;
import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalPort;
import java.util.ArrayList;
import java.util.List;

/** Delegates to a WAL and keeps a copy of every appended entry, compaction or not. */
final class RecordingWal extends ForwardingWal {
  private final List<WalEntry> appended = new ArrayList<>();

  RecordingWal(WalPort delegate) {
    super(delegate);
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
    Append a = super.append(entries);
    appended.addAll(entries);
    return a;
  }
}
