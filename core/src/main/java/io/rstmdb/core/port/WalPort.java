package io.rstmdb.core.port;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The write-ahead log as the engine sees it: an ordered, durable sequence of {@link WalEntry}s with
 * dense offsets. Nothing here names files, so a replicated log (e.g. a Raft log) can implement it.
 *
 * <p>Contract every implementation honours (checked by {@code WalPortContract} in the testkit):
 *
 * <ul>
 *   <li><b>Order.</b> Offsets follow the order of {@link #append} calls; the entries of one call
 *       get consecutive offsets.
 *   <li><b>Atomicity.</b> The entries of one {@code append} call survive a crash all together or
 *       not at all.
 *   <li><b>Durability.</b> The future of an append completes normally only once its entries are
 *       durable under the configured policy (and all earlier entries too); it completes
 *       exceptionally with a {@code RstmdbException} carrying {@code WAL_IO_ERROR} otherwise. After
 *       such a failure the log is fail-stop: every later append fails the same way until reopened.
 *   <li><b>Refusal.</b> An adapter may refuse an append it cannot store (too large for its records)
 *       by throwing a {@code RstmdbException} carrying {@code BAD_REQUEST} from {@link #append},
 *       before giving out any offset. Nothing of that append is stored and the log goes on as
 *       before: the request was at fault, not the storage.
 *   <li><b>Visibility.</b> Readers see only durable records.
 *   <li><b>Threads.</b> All methods are thread-safe; no method blocks on disk I/O except {@link
 *       #read}, {@link #deleteBefore} and {@link #close}. Durability futures complete in offset
 *       order, on a thread of the adapter's choosing (for {@code SegmentedWal}, the one that wrote
 *       the batch, usually its writer thread): the engine chains only short, non-blocking work on
 *       them, and so should anyone.
 * </ul>
 *
 * <p>Example:
 *
 * <pre>{@code
 * WalPort.Append a = wal.append(List.of(entry));
 * long offset = a.firstOffset();                 // known at once
 * a.durable().thenRun(() -> reply(offset));      // reply only when durable
 * }</pre>
 */
public interface WalPort extends AutoCloseable {

  /**
   * Appends entries atomically and in order.
   *
   * @param entries at least one entry
   * @return the offset given to the first entry (entry {@code i} gets {@code firstOffset + i}) and
   *     a future that completes when all of them are durable
   */
  Append append(List<WalEntry> entries);

  /**
   * Runs {@code burst} on this thread and returns its result, letting the log treat the appends
   * this thread makes inside it as one burst: an adapter with a writer thread may wake that writer
   * once, when the burst ends, instead of once per append. Appends made inside a burst behave as
   * always otherwise (offsets at once, the same durability futures); only their write may start as
   * late as the burst's end (earlier if the writer is awake anyway). The burst's end may also do
   * that write on this thread, and even wait for its sync (an adapter may, when doing so saves more
   * than it costs: {@code SegmentedWal} does for a lone append under every_write), so callbacks on
   * the futures may run here before this method returns. Other threads are not affected. Bursts
   * nest; only the outermost one's end counts.
   *
   * <p>Meant for a caller that makes many appends in a short, bounded stretch of work, such as a
   * server's event loop handling one round of ready connections. Never wait inside a burst for an
   * append made inside it: it cannot become durable before the burst ends.
   *
   * <p>The default runs {@code burst} as it is, which is correct for every adapter.
   *
   * <pre>{@code
   * int handled = wal.inBurst(() -> handleReadyConnections()); // one writer wake-up for all
   * }</pre>
   */
  default <T> T inBurst(Supplier<T> burst) {
    return burst.get();
  }

  /**
   * Asks the log to begin a new storage unit at {@code offset}, so that a later {@code
   * deleteBefore(offset)} can remove everything before it instead of keeping the unit that holds
   * both sides. The engine calls it, under its write ordering, with {@link #nextOffset()} when it
   * captures the state for a snapshot at that offset: without the cut, the unit holding the
   * snapshot's offset stays behind after compaction, and startup has to check it whole.
   *
   * <p>A hint, not a write: it changes no offset and no record, never blocks, and an adapter may
   * ignore it (the default does). Records at or after {@code offset} go into the new unit as they
   * are appended.
   *
   * <pre>{@code
   * long at = wal.nextOffset();                  // under the writer's ordering
   * CompletableFuture<Void> cut = wal.cutAt(at);
   * // ... write a snapshot covering everything below 'at' ...
   * cut.join();
   * wal.deleteBefore(at);                        // now removes every unit before 'at'
   * }</pre>
   *
   * @return completes normally once the cut is in place, so that {@link #deleteBefore} sees it, or
   *     once the adapter decided not to make it (at once for the default); never exceptionally
   */
  default CompletableFuture<Void> cutAt(long offset) {
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Reads durable records in offset order.
   *
   * @param fromOffset first offset wanted (inclusive); an offset older than {@link #oldestOffset()}
   *     starts at the oldest retained record
   * @param limit the most records to return ({@code >= 0})
   * @return at most {@code limit} records with offsets {@code >= fromOffset}; empty at the end
   */
  List<WalRecord> read(long fromOffset, int limit);

  /**
   * Reads as {@link #read(long, int)} does, but stops after the record that brings the entries'
   * stored size (as this log counts it) to {@code maxBytes} or more, so that a reader of large
   * records holds a bounded amount of memory however high its {@code limit}: the engine reads with
   * such a budget during recovery, for WAL_READ and for watch streams. The result is always a
   * prefix of what {@code read(fromOffset, limit)} would return, with at least one record when
   * there is one, so callers page on from the last record's offset + 1 as they do after a short
   * read.
   *
   * <p>The default ignores the budget; an adapter whose records can be large should override it.
   *
   * <pre>{@code
   * List<WalRecord> page = wal.read(next, 1000, 4 << 20); // 1000 records or ~4 MiB, whichever first
   * }</pre>
   *
   * @param maxBytes the stored bytes after which reading stops ({@code >= 1})
   */
  default List<WalRecord> read(long fromOffset, int limit, long maxBytes) {
    return read(fromOffset, limit);
  }

  /** Offset of the oldest retained record; equals {@link #nextOffset()} when none is retained. */
  long oldestOffset();

  /** Offset the next appended entry will receive. */
  long nextOffset();

  /** Every record with an offset below this one is durable. */
  long durableOffset();

  /** Current statistics. */
  WalStats stats();

  /**
   * Deletes retained history strictly before {@code offset}, in whole storage units only: records
   * at or after {@code offset} are never removed, so some older records may remain. Safe while
   * readers are active.
   *
   * @return what was actually removed
   */
  Reclaimed deleteBefore(long offset);

  /** Makes everything appended durable and releases resources. */
  @Override
  void close();

  /** The result of {@link #append}. */
  record Append(long firstOffset, CompletableFuture<Void> durable) {}

  /** What {@link #deleteBefore} removed: storage units and their bytes on disk. */
  record Reclaimed(long unitsDeleted, long bytesReclaimed) {
    public static final Reclaimed NONE = new Reclaimed(0, 0);
  }
}
