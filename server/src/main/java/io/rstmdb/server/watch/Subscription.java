package io.rstmdb.server.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.rstmdb.core.api.AppliedEvent;
import io.rstmdb.core.api.WalReadResult;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.WalRecord;
import io.rstmdb.protocol.ProtocolLimits;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch stream. It delivers every matching transition with an offset at or after its start
 * cursor, in WAL order, exactly once, and never holds more than {@link
 * WatchSettings#queueCapacity()} events in memory.
 *
 * <p>Two modes (plus a short pending one, see {@link #activate(long)}):
 *
 * <ul>
 *   <li><b>catch-up</b>: reads the WAL from {@code cursor} in chunks, as fast as the channel
 *       accepts frames. Live notifications are ignored meanwhile (the WAL has them). Once every
 *       transition from the cursor on is still to be notified it switches to live (see {@link
 *       EventRouter} for why that leaves no gap).
 *   <li><b>live</b>: notified transitions go to a bounded queue that the channel's event loop
 *       drains while the channel is writable. A notification below the cursor was already delivered
 *       from the WAL and is dropped. When the queue is full the queue is discarded and the
 *       subscription falls back to catch-up at the cursor, i.e. right after the last frame written.
 * </ul>
 *
 * <p>Threads: {@link #offer} runs on the database's notification thread; everything that writes
 * runs on the channel's event loop. The small mutable state is guarded by {@code this}. Nothing is
 * written before {@link #start()}, which the session calls after the watch's response.
 */
final class Subscription {
  private enum Mode {
    /** Start offset not known yet: buffer the live events, write nothing. */
    PENDING,
    CATCH_UP,
    LIVE
  }

  /** Start offset for a subscription whose start is fixed later by {@link #activate(long)}. */
  static final long START_LATER = -1;

  private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);

  /** Pause before polling the WAL again when it had nothing new for a subscription still behind. */
  private static final long EMPTY_READ_BACKOFF_MILLIS = 1;

  private final String id;
  private final WatchKind kind;
  private final EventFilter filter;
  private final boolean includeCtx;
  private final Channel channel;
  private final EventEncoder encoder;
  private final WalReader wal;
  private final LongPredicate notifiesEverythingFrom;
  private final WatchSettings settings;
  private final LongAdder forwarded;
  private final Consumer<Subscription> onEnd;
  private final WalEventDecoder decoder = new WalEventDecoder();

  // Guarded by this.
  private final ArrayDeque<AppliedEvent> queue = new ArrayDeque<>();
  private Mode mode;
  private long cursor;
  private boolean started;
  private boolean drainScheduled;
  private boolean readInFlight;
  private boolean ended;
  private boolean pendingOverflow;
  private int maxQueued;
  private long fallbacks;

  /**
   * @param startOffset first WAL offset this subscription may deliver, or {@link #START_LATER}
   * @param forwarded counts the event frames written, for the hub's metric
   * @param onEnd called once when the subscription ends by itself (not on {@link #close()})
   */
  Subscription(
      String id,
      WatchKind kind,
      EventFilter filter,
      boolean includeCtx,
      long startOffset,
      Channel channel,
      EventEncoder encoder,
      WalReader wal,
      LongPredicate notifiesEverythingFrom,
      WatchSettings settings,
      LongAdder forwarded,
      Consumer<Subscription> onEnd) {
    this.id = id;
    this.kind = kind;
    this.filter = filter;
    this.includeCtx = includeCtx;
    this.cursor = Math.max(0, startOffset);
    this.mode = startOffset == START_LATER ? Mode.PENDING : Mode.CATCH_UP;
    this.channel = channel;
    this.encoder = encoder;
    this.wal = wal;
    this.notifiesEverythingFrom = notifiesEverythingFrom;
    this.settings = settings;
    this.forwarded = forwarded;
    this.onEnd = onEnd;
  }

  String id() {
    return id;
  }

  WatchKind kind() {
    return kind;
  }

  /** The instance id for routing, {@code null} for WATCH_ALL. */
  String instanceKey() {
    return filter instanceof EventFilter.Instance instance ? instance.instanceId() : null;
  }

  /** A durable transition, in WAL order, from the notification thread. Never blocks for long. */
  void offer(AppliedEvent event) {
    if (!filter.matches(event)) {
      return;
    }
    synchronized (this) {
      if (ended || mode == Mode.CATCH_UP || event.walOffset() < cursor || pendingOverflow) {
        return;
      }
      if (queue.size() < settings.queueCapacity()) {
        queue.addLast(event);
        maxQueued = Math.max(maxQueued, queue.size());
      } else {
        // The reader is too slow: forget the queue and serve it from the WAL, starting right
        // after the last frame written, which includes this event.
        queue.clear();
        fallbacks++;
        if (mode == Mode.PENDING) {
          pendingOverflow = true; // catch up from the start once it is known
        } else {
          mode = Mode.CATCH_UP;
        }
      }
      scheduleDrainLocked();
    }
  }

  /**
   * Fixes the start of a {@link #START_LATER} subscription: events buffered below {@code start} are
   * dropped, the rest are delivered live. Registering with the router first and fixing the start
   * afterwards is what lets WATCH_INSTANCE return the instance's current state and then exactly the
   * transitions after it, without scanning the WAL: any transition notified before registration was
   * applied before the state was read, so it is at or below that state's offset.
   */
  void activate(long start) {
    synchronized (this) {
      if (mode != Mode.PENDING) {
        return;
      }
      cursor = start;
      queue.removeIf(e -> e.walOffset() < start);
      mode = pendingOverflow ? Mode.CATCH_UP : Mode.LIVE;
      pendingOverflow = false;
      scheduleDrainLocked();
    }
  }

  /** Allows writing; call on the event loop once the watch's response has been written. */
  void start() {
    synchronized (this) {
      if (ended) {
        return;
      }
      started = true;
    }
    drain();
  }

  /** The channel may accept frames again. */
  void wake() {
    synchronized (this) {
      scheduleDrainLocked();
    }
  }

  /** Stops delivery at once (UNWATCH, disconnect). Frames already written may still arrive. */
  void close() {
    synchronized (this) {
      ended = true;
      queue.clear();
    }
  }

  private void scheduleDrainLocked() {
    if (!started || ended || drainScheduled) {
      return;
    }
    drainScheduled = true;
    execute(this::drain);
  }

  private void drain() {
    int wrote = 0;
    long readFrom = -1;
    synchronized (this) {
      drainScheduled = false;
    }
    while (true) {
      AppliedEvent next;
      synchronized (this) {
        if (ended || mode == Mode.PENDING || !channel.isWritable()) {
          break;
        }
        if (mode == Mode.CATCH_UP && !readInFlight && notifiesEverythingFrom.test(cursor)) {
          // Nothing at or after the cursor has been notified yet, so the WAL holds nothing the
          // live path will not bring: skip the read (the common case for a new live watch).
          mode = Mode.LIVE;
        }
        if (mode == Mode.CATCH_UP) {
          if (!readInFlight) {
            readInFlight = true;
            readFrom = cursor;
          }
          break;
        }
        next = queue.pollFirst();
        if (next == null) {
          break;
        }
        cursor = next.walOffset() + 1;
      }
      if (writeEvent(next)) {
        wrote++;
      }
    }
    if (wrote > 0) {
      forwarded.add(wrote);
      channel.flush();
    }
    if (readFrom >= 0) {
      read(readFrom);
    }
  }

  private void read(long from) {
    CompletableFuture<WalReadResult> pending;
    try {
      pending = wal.read(from, settings.readChunk());
    } catch (RuntimeException e) {
      pending = CompletableFuture.failedFuture(e);
    }
    pending.whenComplete((result, error) -> execute(() -> onRead(from, result, error)));
  }

  /** On the event loop: deliver what the WAL returned, as far as the channel accepts it. */
  private void onRead(long from, WalReadResult result, Throwable error) {
    synchronized (this) {
      readInFlight = false;
      if (ended) {
        return;
      }
    }
    if (error != null) {
      end(asRstmdb(error));
      return;
    }
    List<WalRecord> records = result.records();
    long firstAvailable = records.isEmpty() ? result.nextOffset() : records.get(0).offset();
    if (firstAvailable > from) {
      end(compacted(from, firstAvailable));
      return;
    }
    long next = from;
    int wrote = 0;
    for (WalRecord record : records) {
      if (wrote > 0 && !channel.isWritable()) {
        break; // the rest is read again later; memory stays bounded by the channel's watermark
      }
      Optional<AppliedEvent> event = decoder.decode(record);
      if (event.isPresent() && filter.matches(event.get())) {
        if (!writeEvent(event.get())) {
          break; // the subscription ended
        }
        wrote++;
      }
      next = record.offset() + 1;
    }
    if (wrote > 0) {
      forwarded.add(wrote);
      channel.flush();
    }
    boolean backOff;
    synchronized (this) {
      if (ended) {
        return;
      }
      cursor = next;
      if (notifiesEverythingFrom.test(cursor)) {
        mode = Mode.LIVE;
      }
      backOff = mode == Mode.CATCH_UP && records.isEmpty();
      if (!backOff) {
        scheduleDrainLocked();
      }
    }
    if (backOff) {
      // Notified but not yet readable (should not happen with a conforming Database): poll again
      // shortly instead of spinning on the event loop.
      try {
        channel.eventLoop().schedule(this::wake, EMPTY_READ_BACKOFF_MILLIS, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException ignored) {
        // event loop shut down: the connection is gone
      }
    }
  }

  /** Writes one error frame, then ends the subscription for good. On the event loop. */
  private void end(RstmdbException failure) {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      queue.clear();
    }
    // Forget it first: a client that sees the error can rely on the slot being free again.
    onEnd.accept(this);
    write(EventFrames.error(id, failure));
    channel.flush();
  }

  private static RstmdbException compacted(long position, long oldest) {
    return new RstmdbException(
        ErrorCode.BAD_REQUEST,
        "watch position "
            + position
            + " was removed by WAL compaction; oldest available offset is "
            + oldest
            + "; subscription ended",
        Map.of("oldest_offset", oldest, "position", position));
  }

  private RstmdbException asRstmdb(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof RstmdbException rstmdb) {
      LOG.warn("watch {} ended: {} {}", id, rstmdb.code(), rstmdb.getMessage());
      return rstmdb;
    }
    LOG.error("watch {} ended by an unexpected failure", id, cause);
    return new RstmdbException(ErrorCode.INTERNAL_ERROR, "watch stream failed: internal error");
  }

  /**
   * Writes one event; false when it cannot be sent and the subscription ended instead. An event
   * over the frame limit is not skipped (a watch never loses events without saying so): the client
   * gets an error frame naming its offset. Our WAL refuses records whose events could not be
   * framed, so only a WAL adapter without such a limit gets here.
   */
  private boolean writeEvent(AppliedEvent event) {
    ByteBuf buf = encoder.encode(channel.alloc(), EventFrames.event(id, event, includeCtx));
    if (buf.readableBytes() <= ProtocolLimits.MAX_PAYLOAD) {
      channel.write(buf);
      return true;
    }
    int size = buf.readableBytes();
    buf.release();
    LOG.warn("watch {} ended: the event at offset {} is {} bytes", id, event.walOffset(), size);
    end(
        new RstmdbException(
            ErrorCode.BAD_REQUEST,
            "the event at WAL offset "
                + event.walOffset()
                + " is "
                + size
                + " bytes, over the 16 MiB frame limit; subscription ended (read it with WAL_READ)",
            Map.of("wal_offset", event.walOffset())));
    return false;
  }

  private void write(ObjectNode frame) {
    // A failed write means the connection is closing; the session ends the subscription then.
    channel.write(encoder.encode(channel.alloc(), frame));
  }

  private void execute(Runnable task) {
    try {
      channel.eventLoop().execute(task);
    } catch (RejectedExecutionException ignored) {
      // event loop shut down: the connection is gone
    }
  }

  // Introspection for tests and metrics.

  synchronized int queued() {
    return queue.size();
  }

  synchronized int maxQueued() {
    return maxQueued;
  }

  synchronized long fallbacks() {
    return fallbacks;
  }

  synchronized boolean isLive() {
    return mode == Mode.LIVE;
  }

  synchronized long cursor() {
    return cursor;
  }
}
