package io.rstmdb.testkit.wal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.core.port.WalRecord;
import io.rstmdb.core.port.WalStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The reference {@link WalPort}: pure memory, every append durable at once, for engine and server
 * tests that need no disk. Entries are stored as their JSON text and parsed back on read, exactly
 * as a disk log would return them, so a body that cannot round-trip fails here too.
 *
 * <p>Records are grouped into storage units of {@code recordsPerUnit} offsets so {@link
 * #deleteBefore} behaves like a segmented log: it removes whole units only and never the newest.
 * {@link #restart()} simulates a process restart (all records kept); {@link #breakStorage()} makes
 * the log fail-stop like a disk error would.
 *
 * <pre>{@code
 * InMemoryWal wal = new InMemoryWal();
 * wal.append(List.of(entry)).durable().join();
 * InMemoryWal afterRestart = wal.restart();   // same records, offsets continue
 * }</pre>
 */
public final class InMemoryWal implements WalPort {
  /** Records per storage unit unless told otherwise. */
  public static final int DEFAULT_RECORDS_PER_UNIT = 1024;

  private final ObjectMapper mapper = new ObjectMapper();
  private final Store store;
  private boolean closed; // guarded by store
  private long readCalls; // guarded by store
  private long bytesRead; // guarded by store
  private long appendCalls; // guarded by store
  private long bytesWritten; // guarded by store

  /** An empty log with {@value #DEFAULT_RECORDS_PER_UNIT} records per storage unit. */
  public InMemoryWal() {
    this(DEFAULT_RECORDS_PER_UNIT);
  }

  /** An empty log whose storage units hold {@code recordsPerUnit} offsets each. */
  public InMemoryWal(int recordsPerUnit) {
    this(new Store(recordsPerUnit));
  }

  private InMemoryWal(Store store) {
    this.store = store;
  }

  /** Everything records are kept in; shared by the instances {@link #restart()} creates. */
  private static final class Store {
    final int recordsPerUnit;
    final List<StoredRecord> records = new ArrayList<>(); // offsets base, base+1, ...
    long base;
    long retainedBytes;
    RstmdbException failure;

    Store(int recordsPerUnit) {
      if (recordsPerUnit < 1) {
        throw new IllegalArgumentException("recordsPerUnit must be >= 1, got " + recordsPerUnit);
      }
      this.recordsPerUnit = recordsPerUnit;
    }

    long next() {
      return base + records.size();
    }
  }

  private record StoredRecord(String type, byte[] json) {}

  /**
   * Closes this instance and returns a new one over the same records, as a process restart would. A
   * failure set by {@link #breakStorage()} is cleared, as a reopen clears it.
   */
  public InMemoryWal restart() {
    close();
    synchronized (store) {
      store.failure = null;
    }
    return new InMemoryWal(store);
  }

  /** Makes the log fail-stop: this and every later append fails with {@code WAL_IO_ERROR}. */
  public void breakStorage() {
    synchronized (store) {
      store.failure =
          new RstmdbException(
              ErrorCode.WAL_IO_ERROR,
              "in-memory WAL storage broken on purpose; the log refuses appends until restarted");
    }
  }

  @Override
  public Append append(List<WalEntry> entries) {
    Objects.requireNonNull(entries, "entries");
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("append needs at least one entry");
    }
    List<StoredRecord> encoded = new ArrayList<>(entries.size());
    for (WalEntry e : entries) {
      try {
        encoded.add(new StoredRecord(e.type(), mapper.writeValueAsBytes(e.body())));
      } catch (JsonProcessingException ex) {
        throw new IllegalArgumentException("entry body cannot be serialized", ex);
      }
    }
    synchronized (store) {
      long first = store.next();
      if (closed) {
        return new Append(
            first,
            CompletableFuture.failedFuture(
                new RstmdbException(ErrorCode.WAL_IO_ERROR, "the WAL is closed")));
      }
      if (store.failure != null) {
        return new Append(first, CompletableFuture.failedFuture(store.failure));
      }
      for (StoredRecord r : encoded) {
        store.records.add(r);
        store.retainedBytes += r.json().length;
        bytesWritten += r.json().length;
      }
      appendCalls++;
      return new Append(first, CompletableFuture.completedFuture(null));
    }
  }

  @Override
  public List<WalRecord> read(long fromOffset, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    List<WalRecord> out = new ArrayList<>();
    synchronized (store) {
      if (closed) {
        throw new RstmdbException(ErrorCode.WAL_IO_ERROR, "the WAL is closed");
      }
      readCalls++;
      long start = Math.max(fromOffset, store.base);
      for (long o = start; o < store.next() && out.size() < limit; o++) {
        StoredRecord r = store.records.get((int) (o - store.base));
        bytesRead += r.json().length;
        out.add(new WalRecord(o, decode(r)));
      }
    }
    return out;
  }

  private WalEntry decode(StoredRecord r) {
    try {
      return new WalEntry(r.type(), (ObjectNode) mapper.readTree(r.json()));
    } catch (IOException e) {
      throw new IllegalStateException("stored JSON cannot be parsed", e);
    }
  }

  @Override
  public long oldestOffset() {
    synchronized (store) {
      return store.base;
    }
  }

  @Override
  public long nextOffset() {
    synchronized (store) {
      return store.next();
    }
  }

  @Override
  public long durableOffset() {
    return nextOffset();
  }

  @Override
  public WalStats stats() {
    synchronized (store) {
      long count = store.records.size();
      long units =
          count == 0
              ? 1
              : (store.next() - 1) / store.recordsPerUnit - store.base / store.recordsPerUnit + 1;
      return new WalStats(
          count,
          units,
          store.retainedBytes,
          count == 0 ? -1 : store.next() - 1,
          new WalStats.IoStats(bytesWritten, bytesRead, appendCalls, readCalls, 0));
    }
  }

  @Override
  public Reclaimed deleteBefore(long offset) {
    synchronized (store) {
      if (store.records.isEmpty()) {
        return Reclaimed.NONE;
      }
      int n = store.recordsPerUnit;
      long newestUnitStart = (store.next() - 1) / n * n;
      long newBase = Math.min(Math.max(offset, 0) / n * n, newestUnitStart);
      if (newBase <= store.base) {
        return Reclaimed.NONE;
      }
      long bytes = 0;
      List<StoredRecord> dropped = store.records.subList(0, (int) (newBase - store.base));
      for (StoredRecord r : dropped) {
        bytes += r.json().length;
      }
      long units = (newBase - store.base + n - 1) / n;
      dropped.clear();
      store.base = newBase;
      store.retainedBytes -= bytes;
      return new Reclaimed(units, bytes);
    }
  }

  @Override
  public void close() {
    synchronized (store) {
      closed = true;
    }
  }
}
