package io.rstmdb.testkit.fault;

import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.ForwardingWal;
import io.rstmdb.core.port.WalEntry;
import io.rstmdb.core.port.WalPort;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link WalPort} that passes everything to another one until a planned fault, to test how the
 * engine and server react to a failing log. Two faults can be planned, by the 1-based number of the
 * {@code append} call since wrapping:
 *
 * <ul>
 *   <li>{@link #failAppendCall(long)}: that call throws {@code RstmdbException(WAL_IO_ERROR)} at
 *       once, as a write error would; nothing reaches the wrapped log.
 *   <li>{@link #failDurable(long)}: that call returns normally, but its {@code durable()} future
 *       fails with {@code WAL_IO_ERROR}, as a failed fsync would. Its entries are not passed on: a
 *       record whose fsync failed may be lost, and this wrapper takes that outcome so readers never
 *       see it.
 * </ul>
 *
 * <p>After either fault the log is fail-stop, as {@link WalPort} requires: every later {@code
 * append} returns a future that fails with {@code WAL_IO_ERROR} and passes nothing on. Reads and
 * the other methods keep going to the wrapped log. Thread-safe.
 *
 * <pre>{@code
 * FaultyWal wal = FaultyWal.wrap(new InMemoryWal()).failDurable(3);
 * Engine engine = Engine.open(config, wal, snapshots, clock, Failpoints.NONE);
 * // the third write is never acknowledged; the fourth is refused
 * }</pre>
 */
public final class FaultyWal extends ForwardingWal {
  private long appendCalls;
  private long failAppendCallAt = -1;
  private long failDurableAt = -1;
  private RstmdbException fault;

  private FaultyWal(WalPort delegate) {
    super(delegate);
  }

  /** Wraps {@code delegate} with no fault planned. */
  public static FaultyWal wrap(WalPort delegate) {
    return new FaultyWal(delegate);
  }

  /** Makes append call number {@code n} (1-based, since wrapping) throw. */
  public synchronized FaultyWal failAppendCall(long n) {
    failAppendCallAt = requirePositive(n);
    return this;
  }

  /** Makes the durable future of append call number {@code n} (1-based) fail like an fsync. */
  public synchronized FaultyWal failDurable(long n) {
    failDurableAt = requirePositive(n);
    return this;
  }

  /** Makes the next append call throw. */
  public synchronized FaultyWal failNextAppendCall() {
    return failAppendCall(appendCalls + 1);
  }

  /** Makes the durable future of the next append call fail. */
  public synchronized FaultyWal failNextDurable() {
    return failDurable(appendCalls + 1);
  }

  /** Append calls seen so far, failed ones included. */
  public synchronized long appendCalls() {
    return appendCalls;
  }

  /** Whether a planned fault has happened (the log is now fail-stop). */
  public synchronized boolean faulted() {
    return fault != null;
  }

  @Override
  public synchronized Append append(List<WalEntry> entries) {
    long call = ++appendCalls;
    if (fault != null) {
      return failedAppend(
          new RstmdbException(
              ErrorCode.WAL_IO_ERROR,
              "WAL is fail-stop after an earlier failure (" + fault.getMessage() + ")"));
    }
    if (call == failAppendCallAt) {
      fault =
          new RstmdbException(
              ErrorCode.WAL_IO_ERROR, "injected write failure on append call #" + call);
      throw fault;
    }
    if (call == failDurableAt) {
      fault =
          new RstmdbException(
              ErrorCode.WAL_IO_ERROR, "injected fsync failure on append call #" + call);
      return failedAppend(fault);
    }
    return super.append(entries);
  }

  private Append failedAppend(RstmdbException e) {
    return new Append(delegate().nextOffset(), CompletableFuture.failedFuture(e));
  }

  private static long requirePositive(long n) {
    if (n < 1) {
      throw new IllegalArgumentException("append calls are numbered from 1, got " + n);
    }
    return n;
  }
}
