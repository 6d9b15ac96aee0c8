package io.rstmdb.wal;

import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalPort.Append;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of the log. Appenders only take offsets and queue their encoded records (a
 * short lock); the writer thread takes everything queued, writes it with one gathering write,
 * fsyncs once when the policy asks for it, publishes the new readable end and hands the futures to
 * the acknowledging executor, so completing them (and whatever callers chained on them) stays off
 * the disk path.
 *
 * <p>Any write or fsync failure stops the log: the batch in flight and everything queued or
 * appended later fail with {@code WAL_IO_ERROR}. Nothing is retried, because after a failed fsync
 * the kernel may already have dropped the dirty pages, and a retry that "succeeds" would
 * acknowledge lost data.
 */
final class GroupCommitWriter {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

  private final SegmentSet segments;
  private final FsyncPolicy policy;
  private final long segmentSize;
  private final Failpoints failpoints;
  private final Executor acknowledger;
  private final Thread thread;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private List<PendingAppend> pending = new ArrayList<>(); // guarded by lock
  private volatile long nextOffset; // written under lock
  private RstmdbException failure; // guarded by lock
  private boolean closing; // guarded by lock

  // Writer thread only.
  private boolean dirty;
  private long recordsSinceSync;
  private long syncDeadlineNanos;

  GroupCommitWriter(
      SegmentSet segments,
      long nextOffset,
      FsyncPolicy policy,
      long segmentSize,
      Failpoints failpoints,
      Executor acknowledger) {
    this.segments = segments;
    this.nextOffset = nextOffset;
    this.policy = policy;
    this.segmentSize = segmentSize;
    this.failpoints = failpoints;
    this.acknowledger = acknowledger;
    this.thread = new Thread(this::run, "rstmdb-wal-writer");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  long nextOffset() {
    return nextOffset;
  }

  /** Takes offsets for the entries and queues their records; never blocks on I/O. */
  Append submit(List<WalEntry> entries, List<byte[]> payloads) {
    lock.lock();
    try {
      if (failure != null) {
        return new Append(nextOffset, CompletableFuture.failedFuture(failure));
      }
      if (closing) {
        return new Append(nextOffset, CompletableFuture.failedFuture(SegmentSet.closedError()));
      }
      long first = nextOffset;
      WalFormat.EncodedGroup group = WalFormat.encodeGroup(first, entries, payloads);
      CompletableFuture<Void> done = new CompletableFuture<>();
      pending.add(new PendingAppend(first, group, done));
      nextOffset = first + entries.size();
      if (pending.size() == 1) {
        work.signal();
      }
      return new Append(first, done);
    } finally {
      lock.unlock();
    }
  }

  /** Stops taking appends, writes and syncs what is queued, and waits for the writer to end. */
  void close() {
    lock.lock();
    try {
      closing = true;
      work.signal();
    } finally {
      lock.unlock();
    }
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
    List<PendingAppend> batch = new ArrayList<>();
    while (true) {
      boolean stop;
      lock.lock();
      try {
        waitForWork();
        List<PendingAppend> taken = pending;
        pending = batch;
        batch = taken;
        stop = closing && batch.isEmpty();
      } finally {
        lock.unlock();
      }
      try {
        if (!batch.isEmpty()) {
          writeBatch(batch);
          batch = new ArrayList<>();
        }
        if (dirty
            && policy instanceof FsyncPolicy.EveryMs
            && System.nanoTime() >= syncDeadlineNanos) {
          sync();
        }
        if (stop) {
          if (dirty) {
            sync();
          }
          return;
        }
      } catch (IOException | RuntimeException | Error e) {
        failStop(batch, e);
        return;
      }
    }
  }

  /** Waits until appends are queued, the log closes, or a timed sync is due. Holds the lock. */
  private void waitForWork() {
    while (pending.isEmpty() && !closing) {
      if (dirty && policy instanceof FsyncPolicy.EveryMs) {
        long wait = syncDeadlineNanos - System.nanoTime();
        if (wait <= 0) {
          return;
        }
        try {
          work.awaitNanos(wait);
        } catch (InterruptedException e) {
          // Nobody may interrupt the writer: an interrupt would close its file channel. Carry on.
        }
      } else {
        work.awaitUninterruptibly();
      }
    }
  }

  private void writeBatch(List<PendingAppend> batch) throws IOException {
    Segment segment = segments.current();
    List<ByteBuffer> buffers = new ArrayList<>(batch.size());
    long queued = 0;
    int firstInSegment = 0;
    for (int i = 0; i < batch.size(); i++) {
      PendingAppend p = batch.get(i);
      boolean hasData = segment.hasRecords() || queued > 0;
      if (hasData && segment.size() + queued + p.bytes() > segmentSize) {
        // An atomic append never spans two segments: rotate before it.
        write(segment, buffers, queued, batch.subList(firstInSegment, i));
        segment = segments.rotate(p.firstOffset());
        buffers.clear();
        queued = 0;
        firstInSegment = i;
      }
      buffers.add(p.group().bytes());
      queued += p.bytes();
    }
    write(segment, buffers, queued, batch.subList(firstInSegment, batch.size()));
    long records = batch.get(batch.size() - 1).nextOffset() - batch.get(0).firstOffset();
    dirty = true;
    recordsSinceSync += records;
    if (policy instanceof FsyncPolicy.EveryWrite) {
      sync();
    } else if (policy instanceof FsyncPolicy.EveryN everyN && recordsSinceSync >= everyN.n()) {
      sync();
    } else if (policy instanceof FsyncPolicy.EveryMs everyMs && recordsSinceSync == records) {
      syncDeadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(everyMs.millis());
    }
    segments.publish(batch.get(batch.size() - 1).nextOffset());
    List<PendingAppend> done = batch;
    acknowledger.execute(() -> done.forEach(p -> p.done().complete(null)));
  }

  private void write(
      Segment segment, List<ByteBuffer> buffers, long bytes, List<PendingAppend> appends)
      throws IOException {
    if (bytes == 0) {
      return;
    }
    failpoints.hit("wal.before_write");
    long start = segment.size();
    ByteBuffer[] array = buffers.toArray(ByteBuffer[]::new);
    long left = bytes;
    while (left > 0) {
      long n = segment.file().write(array);
      if (n <= 0) {
        throw new IOException("write made no progress with " + left + " bytes left");
      }
      left -= n;
    }
    segment.advance(bytes);
    long position = start;
    for (PendingAppend p : appends) {
      int[] starts = p.group().recordStarts();
      for (int k = 0; k < starts.length; k++) {
        segment.indexRecord(p.firstOffset() + k, position + starts[k]);
      }
      position += p.group().bytes().limit();
    }
    failpoints.hit("wal.after_write");
  }

  private void sync() throws IOException {
    segments.current().file().force();
    dirty = false;
    recordsSinceSync = 0;
    failpoints.hit("wal.after_fsync");
  }

  private void failStop(List<PendingAppend> inFlight, Throwable cause) {
    RstmdbException error =
        new RstmdbException(
            ErrorCode.WAL_IO_ERROR,
            "WAL write failed ("
                + cause.getMessage()
                + "); the log is stopped and refuses appends until it is reopened",
            cause);
    List<PendingAppend> queued;
    lock.lock();
    try {
      failure = error;
      queued = pending;
      pending = new ArrayList<>();
    } finally {
      lock.unlock();
    }
    LOG.error("WAL stopped after an I/O failure; no later append is acknowledged", cause);
    List<PendingAppend> failed = new ArrayList<>(inFlight);
    failed.addAll(queued);
    acknowledger.execute(() -> failed.forEach(p -> p.done().completeExceptionally(error)));
  }
}
