package io.rstmdb.core.engine;

import io.rstmdb.core.api.AppliedEvent;
import io.rstmdb.core.entry.ApplyEventEntry;
import io.rstmdb.core.entry.Entry;
import io.rstmdb.core.entry.EntryCodec;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.core.state.DatabaseState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write path: a lock under which every mutation runs in turn on its caller's thread (validate,
 * append its entries, apply them to the live state, hand applied events to the notifier), plus the
 * durability bookkeeping that readers chain on. It never waits for the disk; callers are answered
 * from the WAL's durability futures.
 *
 * <p>Why a lock and not a thread of its own: a mutation is a few microseconds of CPU and its WAL
 * append only queues bytes, so running it on the caller's thread (a Netty event loop in the server)
 * costs less than the two thread wake-ups a hand-off would add to every write. The lock gives the
 * same total order.
 *
 * <p>It is fail-stop: the first WAL failure (an append that throws, other than a refusal of a write
 * too large to store, or a durability future that fails) is remembered, and from then on every task
 * and every read is refused with WAL_IO_ERROR, because memory may hold entries the log lost.
 */
final class Sequencer implements AutoCloseable {
  private final WalPort wal;
  private final DatabaseState state;
  private final Notifier notifier;

  /** Orders mutations; reentrant so that a caller's continuation may submit again. */
  private final ReentrantLock lock = new ReentrantLock();

  private boolean closed; // guarded by lock

  /** Durability of the newest append; written only under the lock. */
  private volatile CompletableFuture<Void> lastDurable = CompletableFuture.completedFuture(null);

  /** Set once, by the first WAL failure. */
  private volatile RstmdbException failure;

  /** Entries written since the counter was last reset; written only under the lock. */
  private final AtomicLong entriesWritten = new AtomicLong();

  Sequencer(WalPort wal, DatabaseState state, Notifier notifier) {
    this.wal = wal;
    this.state = state;
    this.notifier = notifier;
  }

  /**
   * Runs {@code task} now, on this thread, under the sequencer lock, after checking the engine has
   * neither failed nor closed; a RstmdbException it throws fails {@code out}, anything else fails
   * it with INTERNAL_ERROR.
   */
  void submit(CompletableFuture<?> out, Runnable task) {
    lock.lock();
    try {
      if (closed) {
        out.completeExceptionally(closed());
        return;
      }
      guarded(
          out,
          () -> {
            checkNotFailed();
            task.run();
          });
    } finally {
      lock.unlock();
    }
  }

  /**
   * Appends the entries of {@code writes} as one atomic WAL append, then applies them and announces
   * applied events. Call only from a task running under {@link #submit}; the entries were validated
   * against the current state, so applying them cannot fail except through a bug.
   */
  WalPort.Append write(List<Plan.Write> writes) {
    List<WalEntry> encoded = new ArrayList<>(writes.size());
    for (Plan.Write write : writes) {
      encoded.add(EntryCodec.encode(write.entry()));
    }
    WalPort.Append append;
    try {
      append = wal.append(encoded);
    } catch (RuntimeException e) {
      if (e instanceof RstmdbException refused && refused.code() == ErrorCode.BAD_REQUEST) {
        throw refused; // nothing was stored (WalPort: Refusal), so the engine goes on
      }
      RstmdbException error = walError(e);
      fail(error);
      throw error;
    }
    CompletableFuture<Void> durable = append.durable();
    // Published before the state changes, so a reader that sees the change sees this future.
    lastDurable = durable;
    durable.whenComplete(
        (ok, error) -> {
          if (error != null) {
            fail(walError(error));
          }
        });
    entriesWritten.addAndGet(writes.size());
    for (int i = 0; i < writes.size(); i++) {
      Entry entry = writes.get(i).entry();
      long offset = append.firstOffset() + i;
      EntryApplier.apply(entry, writes.get(i).definition(), offset, state);
      if (entry instanceof ApplyEventEntry e) {
        notifier.publish(
            new AppliedEvent(
                offset,
                e.instanceId(),
                e.machine(),
                e.version(),
                e.fromState(),
                e.toState(),
                e.event(),
                e.payload(),
                e.ctx()),
            durable);
      }
    }
    return append;
  }

  /** Completes when everything applied so far is durable. */
  CompletableFuture<Void> lastDurable() {
    return lastDurable;
  }

  /** The failure that stopped the engine, or {@code null}. */
  RstmdbException failure() {
    return failure;
  }

  void checkNotFailed() {
    RstmdbException failed = failure;
    if (failed != null) {
      throw failed;
    }
  }

  /** Entries written since the last {@link #resetEntriesWritten()}. */
  long entriesWritten() {
    return entriesWritten.get();
  }

  void resetEntriesWritten() {
    entriesWritten.set(0);
  }

  /**
   * Refuses later tasks. A task running now finishes first (this waits for the lock); callers still
   * waiting for durability are answered when the WAL completes their writes.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
    } finally {
      lock.unlock();
    }
  }

  private void fail(RstmdbException error) {
    if (failure == null) {
      failure =
          new RstmdbException(
              ErrorCode.WAL_IO_ERROR,
              "WAL error: the database stopped after a WAL failure and must be restarted: "
                  + error.getMessage(),
              error);
    }
  }

  /**
   * Completes {@code out} once {@code durable} completes: with {@code result}, or with WAL_IO_ERROR
   * when the write failed. Already durable: at once, on this thread. Otherwise on the thread that
   * completes {@code durable} (the WAL's), with no hand-off in between: on a small machine every
   * thread wake-up on the write path costs more than the reply itself (docs/performance.md).
   */
  <T> void completeWhenDurable(
      CompletableFuture<T> out, CompletableFuture<Void> durable, T result) {
    if (durable.isDone()) {
      settle(out, failureOf(durable), result, null);
    } else {
      durable.whenComplete((ok, error) -> settle(out, error, result, null));
    }
  }

  /**
   * Answers a read: at once on the caller's thread when everything it could have seen is durable,
   * otherwise on the WAL's thread once it is. {@code problem} is the read's own error, if any.
   */
  <T> void completeRead(CompletableFuture<T> out, T result, RstmdbException problem) {
    CompletableFuture<Void> durable = lastDurable;
    if (durable.isDone()) {
      settle(out, failureOf(durable), result, problem);
    } else {
      durable.whenComplete((ok, error) -> settle(out, error, result, problem));
    }
  }

  private static <T> void settle(
      CompletableFuture<T> out, Throwable walFailure, T result, RstmdbException problem) {
    if (walFailure != null) {
      out.completeExceptionally(walError(walFailure));
    } else if (problem != null) {
      out.completeExceptionally(problem);
    } else {
      out.complete(result);
    }
  }

  /** The failure of a completed future, {@code null} when it succeeded. */
  private static Throwable failureOf(CompletableFuture<Void> done) {
    if (!done.isCompletedExceptionally()) {
      return null;
    }
    try {
      done.join();
      return null;
    } catch (CompletionException | CancellationException e) {
      return e;
    }
  }

  static void guarded(CompletableFuture<?> out, Runnable task) {
    try {
      task.run();
    } catch (RstmdbException e) {
      out.completeExceptionally(e);
    } catch (RuntimeException e) {
      out.completeExceptionally(
          new RstmdbException(ErrorCode.INTERNAL_ERROR, "internal error: " + e, e));
    }
  }

  /** A WAL failure as the WAL_IO_ERROR callers get. */
  static RstmdbException walError(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof RstmdbException r && r.code() == ErrorCode.WAL_IO_ERROR) {
      return r;
    }
    return new RstmdbException(ErrorCode.WAL_IO_ERROR, "WAL error: " + cause.getMessage(), cause);
  }

  static RstmdbException closed() {
    return new RstmdbException(ErrorCode.INTERNAL_ERROR, "the database is closed");
  }
}
