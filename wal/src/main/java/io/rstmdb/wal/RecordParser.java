package io.rstmdb.wal;

import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalRecord;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.function.Function;

/**
 * Turns CRC-checked records into {@link WalRecord}s whose entries are parsed from JSON only when
 * first asked for. A reader that passes the stored bytes on (WAL_READ) then never builds a tree;
 * one that wants entries (recovery, watches) gets them as before.
 *
 * <p>Parsing is most of a sequential read's CPU (half of startup recovery), so the first entry
 * asked for parses the records of the whole read at once, split in two: the asking thread parses
 * the first half while a pool thread parses the second (or the asking thread does, if the pool has
 * not started it by then). Each record's entry, or its failure, is then what parsing it alone would
 * give.
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
   * Appends a record for each of {@code raws} to {@code out}, in order, without parsing them.
   *
   * @param damaged the exception a record's {@code entry()} throws when it does not parse
   */
  void addLazily(
      List<RawRecord> raws, Function<BadRecord, RuntimeException> damaged, List<WalRecord> out) {
    if (raws.isEmpty()) {
      return;
    }
    Batch batch = new Batch(raws.toArray(new RawRecord[0]), damaged);
    for (int i = 0; i < batch.raws.length; i++) {
      out.add(WalRecord.stored(batch.raws[i].offset(), new Item(batch, i)));
    }
  }

  /**
   * Parses all of {@code raws} now.
   *
   * @throws BadRecord for the earliest record that does not parse
   */
  void check(List<RawRecord> raws) {
    BadRecord[] failures = new BadRecord[raws.size()];
    parseAll(raws.toArray(new RawRecord[0]), new WalEntry[raws.size()], failures);
    for (BadRecord bad : failures) {
      if (bad != null) {
        throw bad;
      }
    }
  }

  /** Parses every record, the second half on the pool when there are enough of them. */
  private void parseAll(RawRecord[] raws, WalEntry[] entries, BadRecord[] failures) {
    int n = raws.length;
    int split = n >= SPLIT_AT ? n / 2 : n;
    FutureTask<Void> second =
        new FutureTask<>(() -> parseRange(raws, entries, failures, split, n), null);
    if (split < n) {
      pool.execute(second);
    }
    parseRange(raws, entries, failures, 0, split);
    // Runs the second half here unless the pool already took it (then this returns at once), so
    // a busy pool never makes the reader wait.
    second.run();
    awaitDone(second);
  }

  private static void awaitDone(FutureTask<Void> task) {
    try {
      task.get();
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

  private void parseRange(
      RawRecord[] raws, WalEntry[] entries, BadRecord[] failures, int from, int to) {
    for (int i = from; i < to; i++) {
      try {
        entries[i] = format.entry(raws[i]);
      } catch (UncheckedIOException e) {
        failures[i] = new BadRecord(raws[i], e);
      }
    }
  }

  /** The records of one read, parsed together when the first entry is asked for. */
  private final class Batch {
    private final RawRecord[] raws;
    private final Function<BadRecord, RuntimeException> damaged;
    private final WalEntry[] entries;
    private final BadRecord[] failures;
    private volatile boolean parsed;

    Batch(RawRecord[] raws, Function<BadRecord, RuntimeException> damaged) {
      this.raws = raws;
      this.damaged = damaged;
      this.entries = new WalEntry[raws.length];
      this.failures = new BadRecord[raws.length];
    }

    WalEntry entry(int i) {
      if (!parsed) {
        synchronized (this) {
          if (!parsed) {
            parseAll(raws, entries, failures);
            parsed = true;
          }
        }
      }
      if (failures[i] != null) {
        throw damaged.apply(failures[i]);
      }
      return entries[i];
    }
  }

  /** One record of a batch. */
  private record Item(Batch batch, int index) implements WalRecord.Stored {
    @Override
    public WalEntry entry() {
      return batch.entry(index);
    }

    /**
     * The payload is the body exactly when the header names the type; a payload of type code 0 must
     * also be checked for its {@code "type"} field, which only parsing does.
     */
    @Override
    public byte[] body() {
      RawRecord raw = batch.raws[index];
      return raw.typeCode() != 0 ? raw.payload() : null;
    }
  }
}
