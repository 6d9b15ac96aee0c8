package io.rstmdb.core.engine;

import io.rstmdb.core.entry.Entry;
import io.rstmdb.core.entry.EntryCodec;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.core.port.WalRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads and decodes the WAL from one offset to its end on its own thread, a few chunks ahead of the
 * thread that applies the entries. Recovery starts it before loading the snapshot, so reading the
 * tail (file reads, CRC checks, JSON parsing, decoding, and the cold JIT work of all of them)
 * overlaps the snapshot load and, later, the applying.
 *
 * <p>What the applier sees is exactly what reading and decoding inline would give: the records in
 * offset order, then either the end or the first failure (a decode error as {@code cannot recover:
 * WAL record N: ...}, a gap in the offsets, or whatever the WAL threw), after every record before
 * it.
 */
final class TailReader implements AutoCloseable {
  /** Decoded chunks waiting for the applier; bounds the memory held ahead of it. */
  static final int CHUNKS_AHEAD = 4;

  private static final long OFFER_WAIT_MILLIS = 20;

  /** One decoded WAL record; {@code entry} is null for record types that change no state. */
  record Decoded(long offset, Entry entry) {}

  private sealed interface Chunk permits Records, End, Failure {}

  private record Records(List<Decoded> records) implements Chunk {}

  private record End() implements Chunk {}

  private record Failure(RuntimeException error) implements Chunk {}

  private final WalPort wal;
  private final long from;
  private final int chunkSize;
  private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(CHUNKS_AHEAD);
  private final Thread thread;
  private volatile boolean cancelled;
  private boolean finished;

  private TailReader(WalPort wal, long from, int chunkSize) {
    this.wal = wal;
    this.from = from;
    this.chunkSize = chunkSize;
    this.thread = Threads.named("rstmdb-recovery-reader").newThread(this::run);
  }

  /** Starts reading at {@code from}, {@code chunkSize} records per WAL read. */
  static TailReader start(WalPort wal, long from, int chunkSize) {
    TailReader reader = new TailReader(wal, from, chunkSize);
    reader.thread.start();
    return reader;
  }

  /** The offset reading started at. */
  long from() {
    return from;
  }

  /**
   * The next decoded records in offset order, waiting for them if needed; an empty list once every
   * durable record has been returned.
   *
   * @throws RuntimeException what reading or decoding the next record failed with
   */
  List<Decoded> next() {
    if (finished) {
      return List.of();
    }
    Chunk chunk;
    try {
      chunk = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RstmdbException(
          ErrorCode.INTERNAL_ERROR, "cannot recover: interrupted while reading the WAL", e);
    }
    if (chunk instanceof Records r) {
      return r.records();
    }
    finished = true;
    if (chunk instanceof Failure f) {
      throw f.error();
    }
    return List.of();
  }

  /**
   * Stops reading and waits for the reader thread to end (at most one WAL read), so nothing reads
   * the WAL after recovery is over. The thread is never interrupted: an interrupt would close the
   * WAL's file channels under it.
   */
  @Override
  public void close() {
    cancelled = true;
    queue.clear();
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    long position = from;
    try {
      while (!cancelled) {
        List<WalRecord> records = wal.read(position, chunkSize);
        if (records.isEmpty()) {
          hand(new End());
          return;
        }
        List<Decoded> decoded = new ArrayList<>(records.size());
        for (WalRecord record : records) {
          if (record.offset() != position) {
            hand(new Records(decoded));
            hand(
                new Failure(
                    new RstmdbException(
                        ErrorCode.INTERNAL_ERROR,
                        "cannot recover: expected WAL record "
                            + position
                            + " but found "
                            + record.offset())));
            return;
          }
          // A log may parse a record's bytes only when its entry is first asked for: that
          // failure is the log's own (damage it names), so it passes through unwrapped.
          WalEntry stored = record.entry();
          Entry entry;
          try {
            entry = EntryCodec.decode(stored).orElse(null);
          } catch (RstmdbException e) {
            hand(new Records(decoded));
            hand(new Failure(Recovery.unreplayable(record.offset(), e)));
            return;
          }
          decoded.add(new Decoded(record.offset(), entry));
          position++;
        }
        hand(new Records(decoded));
      }
    } catch (RuntimeException e) {
      hand(new Failure(e));
    } catch (Error e) {
      hand(new Failure(new IllegalStateException("reading the WAL failed: " + e, e)));
      throw e;
    }
  }

  /** Queues a chunk, waiting for room unless recovery stopped listening. */
  private void hand(Chunk chunk) {
    if (chunk instanceof Records r && r.records().isEmpty()) {
      return;
    }
    try {
      while (!cancelled) {
        if (queue.offer(chunk, OFFER_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      // Only close() ends this thread, and it never interrupts; stop quietly if someone did.
      cancelled = true;
    }
  }
}
