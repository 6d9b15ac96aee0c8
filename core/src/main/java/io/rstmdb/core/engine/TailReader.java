package io.rstmdb.core.engine;

import com.google.common.util.concurrent.Uninterruptibles;
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
 * Reads and decodes the WAL from one offset to its end, chunk by chunk. Started on a thread of its
 * own ({@link #start}) it runs a few chunks ahead of the thread that applies the entries, so that
 * on a long replay reading (file reads, CRC checks, JSON parsing, decoding) overlaps applying;
 * {@link #inline} does the same work on the caller's thread.
 *
 * <p>What the applier sees is exactly what reading and decoding inline would give: the records in
 * offset order, then either the end or the first failure (a decode error as {@code cannot recover:
 * WAL record N: ...}, a gap in the offsets, or whatever the WAL threw), after every record before
 * it.
 */
final class TailReader implements AutoCloseable {
  /** Decoded chunks waiting for the applier; bounds the memory held ahead of it. */
  static final int CHUNKS_AHEAD = 4;

  /**
   * Stored bytes after which one read ends, whatever the chunk size: 1,000 records of ~400 KB each
   * made a chunk of 400 MB, and the chunks read ahead ran a restart out of a 768 MB heap on a WAL
   * whose live state was under 1 MB (QA). Small records still come 1,000 to a read.
   */
  static final long CHUNK_BYTES = 4L << 20;

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
  private final BlockingQueue<Chunk> queue;
  private final Thread thread;
  private volatile boolean cancelled;
  private boolean finished;

  /** Where the next WAL read starts (the reading thread's). */
  private long position;

  /** A failure met after some records of a chunk: handed over right after them. */
  private Failure pending;

  private TailReader(WalPort wal, long from, int chunkSize, boolean ownThread) {
    this.wal = wal;
    this.from = from;
    this.chunkSize = chunkSize;
    this.position = from;
    this.queue = ownThread ? new ArrayBlockingQueue<>(CHUNKS_AHEAD) : null;
    this.thread = ownThread ? Threads.named("rstmdb-recovery-reader").newThread(this::run) : null;
  }

  /** Starts reading at {@code from} on a thread of its own, {@code chunkSize} records a read. */
  static TailReader start(WalPort wal, long from, int chunkSize) {
    TailReader reader = new TailReader(wal, from, chunkSize, true);
    reader.thread.start();
    return reader;
  }

  /**
   * A reader that reads and decodes on the thread that calls {@link #next}: for a short tail, where
   * a second thread running the same cold code at the same time costs more than it overlaps.
   */
  static TailReader inline(WalPort wal, long from, int chunkSize) {
    return new TailReader(wal, from, chunkSize, false);
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
      chunk = thread == null ? read() : queue.take();
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
    if (thread == null) {
      return;
    }
    queue.clear();
    Uninterruptibles.joinUninterruptibly(thread);
  }

  private void run() {
    while (!cancelled) {
      Chunk chunk;
      try {
        chunk = read();
      } catch (Error e) {
        hand(new Failure(new IllegalStateException("reading the WAL failed: " + e, e)));
        throw e;
      }
      hand(chunk);
      if (!(chunk instanceof Records)) {
        return;
      }
    }
  }

  /**
   * The next chunk: decoded records, or the end, or the failure that stopped reading (after the
   * records of the same WAL read that came before it).
   */
  private Chunk read() {
    if (pending != null) {
      Failure failure = pending;
      pending = null;
      return failure;
    }
    List<Decoded> decoded = new ArrayList<>();
    try {
      List<WalRecord> records = wal.read(position, chunkSize, CHUNK_BYTES);
      if (records.isEmpty()) {
        return new End();
      }
      for (WalRecord record : records) {
        if (record.offset() != position) {
          throw new RstmdbException(
              ErrorCode.INTERNAL_ERROR,
              "cannot recover: expected WAL record " + position + " but found " + record.offset());
        }
        // A log may parse a record's bytes only when its entry is first asked for: that failure
        // is the log's own (damage it names), so it passes through unwrapped.
        WalEntry stored = record.entry();
        Entry entry;
        try {
          entry = EntryCodec.decode(stored).orElse(null);
        } catch (RstmdbException e) {
          throw Recovery.unreplayable(record.offset(), e);
        }
        decoded.add(new Decoded(record.offset(), entry));
        position++;
      }
      return new Records(decoded);
    } catch (RuntimeException e) {
      if (decoded.isEmpty()) {
        return new Failure(e);
      }
      pending = new Failure(e);
      return new Records(decoded);
    }
  }

  /** Queues a chunk, waiting for room unless recovery stopped listening. */
  private void hand(Chunk chunk) {
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
