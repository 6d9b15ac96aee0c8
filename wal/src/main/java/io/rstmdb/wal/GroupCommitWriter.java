package io.rstmdb.wal;

import com.google.common.util.concurrent.Uninterruptibles;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.IoReason;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalPort.Append;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the log. Appenders only take offsets and queue their encoded records (a short lock); the
 * writer thread takes everything queued, writes it with one gathering write, fsyncs once when the
 * policy asks for it, publishes the new readable end and completes the futures. An appender ending
 * a burst writes the queue itself instead when that saves two thread wake-ups and costs no group
 * commit: under {@code never} always, under {@code every_write} when the burst queued one append
 * alone ({@link #writeBurstInline}).
 *
 * <p>Futures complete on the thread that wrote their batch (the writer, or an appender writing its
 * own burst), in offset order, before the next batch is taken. Completing one costs about a
 * microsecond (what the engine and server chain on it is short); handing a batch to another thread
 * instead cost a futex wake-up and, on a two-core machine, a wait for a core, which outweighed the
 * overlap with the next fsync at every concurrency measured (docs/performance.md).
 *
 * <p>Waking the writer is a futex call, and on a small VM it costs as much as a request's own work
 * (docs/performance.md). An appender inside a {@link #inBurst burst} therefore leaves the writer
 * asleep and wakes it once when the burst ends: a server event loop handling 16 ready connections
 * pays one wake-up instead of 16, and the writer gets them as one batch. Only once {@link
 * #BURST_WAKE_AT} appends are queued does a burst wake the writer early, so that a long burst's
 * first writes overlap its rest.
 *
 * <p>Any write or fsync failure stops the log: the batch in flight and everything queued or
 * appended later fail with {@code WAL_IO_ERROR}. Nothing is retried, because after a failed fsync
 * the kernel may already have dropped the dirty pages, and a retry that "succeeds" would
 * acknowledge lost data.
 */
final class GroupCommitWriter {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

  /** How much zero-filled space the writer keeps ahead of the records (see preallocate). */
  static final int PREALLOCATION_BYTES = 1024 * 1024;

  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();

  /**
   * Appends queued inside a burst at which the writer is woken before the burst ends, so that the
   * write and fsync of the first ones overlap the rest of the burst: one connection pipelining 64
   * requests otherwise waits for all 64 to be handled before the first fsync starts, and its client
   * for all 64 answers before sending more (S6 60 – 66k → 83 – 89k ops/s, docs/performance.md).
   */
  static final int BURST_WAKE_AT = 16;

  /**
   * The longest the latest fsync may have taken for a burst's lone append to be synced on the
   * burst's own thread (see {@link #writeBurstInline}). Past it the disk is slow right now, and
   * that thread (a server event loop, with other connections to serve) leaves the wait to the
   * writer.
   */
  static final long INLINE_SYNC_MAX_LAST_FSYNC_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final SegmentSet segments;
  private final FsyncPolicy policy;
  private final long segmentSize;
  private final Failpoints failpoints;
  private final Thread thread;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();

  /**
   * Held while a batch is taken from {@code pending} and written, and while syncing: by the writer
   * thread, or by an appender writing its own burst (see {@link #writeBurstInline}). Taken before
   * {@code lock}, so batches reach the file in offset order whoever writes them.
   */
  private final ReentrantLock ioLock = new ReentrantLock();

  private List<PendingAppend> pending = new ArrayList<>(); // guarded by lock

  /** The writer was woken (or is awake) for what is pending; reset when it takes a batch. */
  private boolean writerSignalled; // guarded by lock

  /** A cut asked for by {@link #cutAt}: where the new segment begins, and who waits for it. */
  private record PendingCut(long offset, CompletableFuture<Void> done) {}

  /**
   * The pending cut, or null. Set under {@code lock}; taken, by compare-and-set so a newer cut is
   * never lost, by whoever holds the ioLock, which completes it once the new segment is visible.
   */
  private final AtomicReference<PendingCut> cut = new AtomicReference<>();

  /** {@link #cutAt} woke the writer, which may have nothing queued; reset when it takes a batch. */
  private boolean cutSignalled; // guarded by lock

  /** This thread's burst: how deeply nested, and whether an append inside it owes a wake-up. */
  private final ThreadLocal<Burst> bursts = ThreadLocal.withInitial(Burst::new);

  private static final class Burst {
    int depth;
    boolean wakeOwed;
  }

  private volatile long nextOffset; // written under lock
  private RstmdbException failure; // guarded by lock
  private boolean closing; // guarded by lock

  /** How long the latest fsync took; written under the ioLock, read by bursts ending. */
  private volatile long lastFsyncNanos;

  // Guarded by ioLock.
  private boolean dirty;
  private long recordsSinceSync;
  private long syncDeadlineNanos;

  GroupCommitWriter(
      SegmentSet segments,
      long nextOffset,
      FsyncPolicy policy,
      long segmentSize,
      Failpoints failpoints) {
    this.segments = segments;
    this.nextOffset = nextOffset;
    this.policy = policy;
    this.segmentSize = segmentSize;
    this.failpoints = failpoints;
    this.thread = new Thread(this::run, "rstmdb-wal-writer");
    this.thread.setDaemon(true);
  }

  /**
   * Zero-fills (and syncs) the first chunk of the current segment, so that even the first writes
   * after opening need no metadata in their fsync, then starts the writer thread.
   */
  void start() throws IOException {
    Segment current = segments.current();
    long end = current.diskSize();
    preallocate(current, Math.min(segmentSize, current.size() + PREALLOCATION_BYTES));
    if (current.diskSize() > end) {
      current.file().force();
    }
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
      if (!writerSignalled) {
        Burst burst = bursts.get();
        if (burst.depth > 0 && pending.size() < BURST_WAKE_AT) {
          burst.wakeOwed = true;
        } else {
          wakeWriter();
        }
      }
      return new Append(first, done);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code burst}; the appends this thread makes inside it wake the writer once, at the end
   * (see the class comment). The wake-up happens even if {@code burst} throws.
   */
  <T> T inBurst(Supplier<T> burst) {
    Burst state = bursts.get();
    state.depth++;
    try {
      return burst.get();
    } finally {
      if (--state.depth == 0 && state.wakeOwed) {
        state.wakeOwed = false;
        endBurst();
      }
    }
  }

  /** Writes a finished burst's queue here when the policy allows, or wakes the writer for it. */
  private void endBurst() {
    if (mayWriteInline() && writeBurstInline()) {
      return;
    }
    lock.lock();
    try {
      if (!writerSignalled && !pending.isEmpty()) {
        wakeWriter();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Holds the lock. */
  private void wakeWriter() {
    writerSignalled = true;
    work.signal();
  }

  /**
   * Makes {@code offset}, the next offset to be assigned, the first of a new segment: the writer
   * seals the current segment at once (or, if appends below the cut are still queued, right after
   * writing them), so {@code deleteBefore(offset)} can drop it without waiting for the segment to
   * fill. A no-op when the current segment already begins there; ignored for any other offset, a
   * failed log or a closing one.
   *
   * @return completes when the new segment is visible to {@code deleteBefore}, or at once when the
   *     cut is ignored; also (normally) when the log fails or closes first
   */
  CompletableFuture<Void> cutAt(long offset) {
    PendingCut superseded;
    PendingCut asked;
    lock.lock();
    try {
      if (offset != nextOffset || failure != null || closing) {
        return CompletableFuture.completedFuture(null);
      }
      PendingCut current = cut.get();
      if (current != null && current.offset() == offset) {
        return current.done();
      }
      asked = new PendingCut(offset, new CompletableFuture<>());
      superseded = cut.getAndSet(asked);
      cutSignalled = true;
      work.signal();
    } finally {
      lock.unlock();
    }
    if (superseded != null) {
      superseded.done().complete(null); // never made; whoever waits just reclaims less
    }
    return asked.done();
  }

  /** Forgets {@code done} if it is still the pending cut and tells its waiters. */
  private void settle(PendingCut done) {
    if (done != null && cut.compareAndSet(done, null)) {
      done.done().complete(null);
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
    Uninterruptibles.joinUninterruptibly(thread);
  }

  private void run() {
    List<PendingAppend> batch = new ArrayList<>();
    while (true) {
      lock.lock();
      try {
        waitForWork();
      } finally {
        lock.unlock();
      }
      ioLock.lock();
      try {
        boolean stop;
        long written; // once the batch is written, every offset below this one is
        lock.lock();
        try {
          if (failure != null) {
            settle(cut.get());
            return; // an inline write failed and stopped the log
          }
          List<PendingAppend> taken = pending;
          pending = batch;
          batch = taken;
          writerSignalled = false;
          cutSignalled = false;
          written = nextOffset;
          stop = closing && batch.isEmpty();
        } finally {
          lock.unlock();
        }
        try {
          if (!batch.isEmpty()) {
            writeBatch(batch);
            batch = new ArrayList<>();
          }
          if (!stop) {
            cutIfDue(written);
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
            settle(cut.get());
            return;
          }
        } catch (IOException | RuntimeException | Error e) {
          failStop(batch, e);
          settle(cut.get());
          return;
        }
      } finally {
        ioLock.unlock();
      }
    }
  }

  /**
   * Whether a burst's thread may write its queue itself: always under {@code never}, under {@code
   * every_write} while the disk's latest fsync was quick (the thread then waits for one). A cheap
   * check before the lock; that the queue holds a lone append is checked under it, in {@link
   * #writeBurstInline}.
   */
  private boolean mayWriteInline() {
    return policy instanceof FsyncPolicy.Never
        || (policy instanceof FsyncPolicy.EveryWrite
            && lastFsyncNanos <= INLINE_SYNC_MAX_LAST_FSYNC_NANOS);
  }

  /**
   * Writes what is queued on the calling thread, at the end of its burst, and completes the futures
   * right here, saving two thread wake-ups (appender → writer → appender), which on a small VM cost
   * tens of microseconds each. Under {@code never} the write is only a copy into the page cache.
   * Under {@code every_write} it is done only for one append queued alone, and the thread waits for
   * its fsync: nobody else is waiting to share that fsync, and the writer thread would spend the
   * same time on it after a wake-up (S1, one connection: 1.3 – 2.3× the writes per second in seven
   * alternating pairs, docs/performance.md). Two or more appends go to the writer, so the caller
   * goes on handling its other connections while they are synced. (Under every_n and every_ms a
   * write can be the one that must sync, which stays on the writer thread.) Gives up, leaving the
   * work to the writer thread, when another thread is writing, when the batch needs a new segment
   * or more zero-filled space (file creation and zero-filling stay off the caller's thread), or
   * when the log is failing or closing.
   *
   * @return whether the queue was handled here
   */
  private boolean writeBurstInline() {
    if (!ioLock.tryLock()) {
      return false;
    }
    try {
      List<PendingAppend> batch;
      lock.lock();
      try {
        if (failure != null || closing || !fitsWithoutGrowing(pending)) {
          return false;
        }
        if (policy instanceof FsyncPolicy.EveryWrite && pending.size() > 1) {
          return false;
        }
        batch = pending;
        pending = new ArrayList<>();
        // The writer may have been woken for these; it finds the queue empty and waits again,
        // and the next append must wake it anew (left set, later appends stayed queued forever).
        writerSignalled = false;
      } finally {
        lock.unlock();
      }
      if (batch.isEmpty()) {
        return true;
      }
      try {
        writeBatch(batch);
      } catch (IOException | RuntimeException | Error e) {
        failStop(batch, e);
        wakeForFailure();
      }
      return true;
    } finally {
      ioLock.unlock();
    }
  }

  /**
   * Whether {@code batch} fits the current segment's zero-filled space and no cut is pending (a cut
   * seals a segment, which is the writer thread's work). Holds the ioLock.
   */
  private boolean fitsWithoutGrowing(List<PendingAppend> batch) {
    Segment segment = segments.current();
    long end = segment.size();
    for (PendingAppend p : batch) {
      end += p.bytes();
    }
    return end <= segment.diskSize() && end <= segmentSize && cut.get() == null;
  }

  /** Lets the writer thread see the failure and end. */
  private void wakeForFailure() {
    lock.lock();
    try {
      work.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until appends are queued, the log closes, or a timed sync is due. Holds the lock. */
  private void waitForWork() {
    while (pending.isEmpty() && !closing && failure == null && !cutSignalled) {
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

  /** Writes, syncs as the policy asks, publishes and completes {@code batch}. Holds the ioLock. */
  private void writeBatch(List<PendingAppend> batch) throws IOException {
    Segment segment = segments.current();
    List<ByteBuffer> buffers = new ArrayList<>(batch.size());
    long queued = 0;
    int firstInSegment = 0;
    PendingCut made = null;
    for (int i = 0; i < batch.size(); i++) {
      PendingAppend p = batch.get(i);
      boolean hasData = segment.hasRecords() || queued > 0;
      PendingCut pc = cut.get();
      boolean cutHere =
          pc != null && p.firstOffset() >= pc.offset() && segment.firstOffset() < pc.offset();
      if (hasData && (cutHere || segment.size() + queued + p.bytes() > segmentSize)) {
        // An atomic append never spans two segments: rotate before it.
        write(segment, buffers, queued, batch.subList(firstInSegment, i));
        segment = segments.rotate(p.firstOffset());
        if (cutHere) {
          made = pc;
        }
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
    settle(made);
    complete(batch);
  }

  /**
   * Seals the current segment now if a cut is pending exactly at {@code written}, the end of what
   * is written, and forgets a cut that the current segment already satisfies. A cut above {@code
   * written} waits for the appends below it. Holds the ioLock.
   */
  private void cutIfDue(long written) throws IOException {
    PendingCut pc = cut.get();
    if (pc == null) {
      return;
    }
    long at = pc.offset();
    Segment current = segments.current();
    if (current.firstOffset() >= at) {
      settle(pc);
    } else if (written == at) {
      if (current.hasRecords()) {
        Segment next = segments.rotate(at);
        // Idle now: zero-fill ahead as start() does, so the next write's fsync stays cheap.
        preallocate(next, Math.min(segmentSize, next.size() + PREALLOCATION_BYTES));
        next.file().force();
        segments.publish(segments.view().durableNext());
      }
      settle(pc);
    }
  }

  /**
   * Makes sure the segment's file is zero-filled up to {@code needed} bytes, growing it a chunk at
   * a time. Overwriting blocks that are already allocated and inside the file's length lets
   * fdatasync flush just the data, without a journal commit for a new length: on ext4 on this kind
   * of VM that takes a lone write's fsync from ~140 to ~120 µs and its kernel CPU from ~77 to ~46
   * µs (docs/performance.md). The zeros reach the disk with the batch's fsync, once per chunk;
   * recovery reads a zero tail after the last record as the clean end of the log.
   */
  void preallocate(Segment segment, long needed) throws IOException {
    long end = segment.diskSize();
    if (needed <= end) {
      return;
    }
    long target = Math.max(needed, Math.min(segmentSize, end + PREALLOCATION_BYTES));
    WalFile file = segment.file();
    file.position(end);
    long left = target - end;
    try {
      while (left > 0) {
        ByteBuffer zeros = ZEROS.duplicate().limit((int) Math.min(left, ZEROS.capacity()));
        long n = file.write(new ByteBuffer[] {zeros});
        if (n <= 0) {
          throw new IOException("zero-filling the WAL segment made no progress");
        }
        left -= n;
      }
    } catch (IOException e) {
      // A full disk can take part of a write and still fail it: WAL_STATS should count what the
      // file holds, not what was planned or what the writes confirmed.
      segment.allocated(Math.max(end, file.size()));
      throw e;
    }
    file.position(segment.size());
    segment.allocated(target);
  }

  private static void complete(List<PendingAppend> done) {
    for (PendingAppend p : done) {
      try {
        p.done().complete(null);
      } catch (RuntimeException e) {
        // CompletableFuture swallows what dependents throw; nothing should get here, but a
        // caller's bug must never stop the log.
        LOG.warn("an append's completion threw", e);
      }
    }
  }

  private void write(
      Segment segment, List<ByteBuffer> buffers, long bytes, List<PendingAppend> appends)
      throws IOException {
    if (bytes == 0) {
      return;
    }
    long start = segment.size();
    preallocate(segment, start + bytes);
    failpoints.hit("wal.before_write");
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
    long start = System.nanoTime();
    segments.current().file().force();
    lastFsyncNanos = System.nanoTime() - start;
    dirty = false;
    recordsSinceSync = 0;
    failpoints.hit("wal.after_fsync");
  }

  private void failStop(List<PendingAppend> inFlight, Throwable cause) {
    RstmdbException error =
        new RstmdbException(
            ErrorCode.WAL_IO_ERROR,
            "WAL write failed ("
                + IoReason.of(cause)
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
    failed.forEach(p -> p.done().completeExceptionally(error));
  }
}
