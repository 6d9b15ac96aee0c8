package io.rstmdb.wal;

import io.rstmdb.core.port.WalRecord;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;

/**
 * Parses CRC-checked records into entries. Parsing JSON is most of a sequential read's CPU (half of
 * startup recovery), so a long run is split in two: the caller parses the first half while a pool
 * thread parses the second (or the caller does, if the pool has not started it by then). The
 * result, and the failure reported when records do not parse (the earliest bad one), are the same
 * as parsing one by one.
 */
final class RecordParser {
  /** Below this many records a hand-off costs more than it saves. */
  static final int SPLIT_AT = 64;

  private final WalFormat format;
  private final Executor pool;

  RecordParser(WalFormat format, Executor pool) {
    this.format = format;
    this.pool = pool;
  }

  /** A record that did not parse, and why. */
  static final class BadRecord extends RuntimeException {
    private final transient RawRecord record;

    BadRecord(RawRecord record, UncheckedIOException cause) {
      super(cause.getCause().getMessage(), cause);
      this.record = record;
    }

    RawRecord record() {
      return record;
    }
  }

  /**
   * Appends the parsed records to {@code out} in order.
   *
   * @throws BadRecord for the earliest record that does not parse; {@code out} is then unchanged
   */
  void parseInto(List<RawRecord> raws, List<WalRecord> out) {
    int n = raws.size();
    WalRecord[] parsed = new WalRecord[n];
    int split = n >= SPLIT_AT ? n / 2 : n;
    FutureTask<BadRecord> second = new FutureTask<>(() -> parse(raws, parsed, split, n));
    if (split < n) {
      pool.execute(second);
    }
    BadRecord first = parse(raws, parsed, 0, split);
    // Runs the second half here unless the pool already took it (then this returns at once), so
    // a busy pool never makes the read wait.
    second.run();
    BadRecord later = outcome(second);
    if (first != null) {
      throw first;
    }
    if (later != null) {
      throw later;
    }
    for (WalRecord r : parsed) {
      out.add(r);
    }
  }

  private static BadRecord outcome(FutureTask<BadRecord> task) {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while parsing WAL records", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private BadRecord parse(List<RawRecord> raws, WalRecord[] parsed, int from, int to) {
    for (int i = from; i < to; i++) {
      RawRecord r = raws.get(i);
      try {
        parsed[i] = new WalRecord(r.offset(), format.entry(r));
      } catch (UncheckedIOException e) {
        return new BadRecord(r, e);
      }
    }
    return null;
  }
}
