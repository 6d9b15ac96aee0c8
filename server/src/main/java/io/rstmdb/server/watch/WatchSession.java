package io.rstmdb.server.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.rstmdb.core.api.Database;
import io.rstmdb.core.api.InstanceView;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.protocol.message.Request;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The subscriptions of one connection. The server's dispatcher routes WATCH_INSTANCE, WATCH_ALL and
 * UNWATCH here (after the auth gate) and writes the returned result like any other response; the
 * session writes the event frames itself, on the channel's event loop, and never before the watch's
 * own response.
 */
public final class WatchSession {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /**
   * Stored bytes after which one catch-up read of a subscription ends: each subscription behind the
   * live stream holds one read, and sixteen unread watches replaying 256 records of ~400 KB each
   * ran a 1 GB server out of memory (QA). Small records still come a full chunk to a read.
   */
  static final long READ_BYTES = 1L << 20;

  private final Database db;
  private final WatchSettings settings;
  private final EventEncoder encoder;
  private final EventRouter router;
  private final Map<WatchKind, LongAdder> forwarded;
  private final Channel channel;
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();

  /** Open subscriptions plus watch requests still being answered; bounded by the limit. */
  private final AtomicInteger slots = new AtomicInteger();

  private volatile boolean closed;

  WatchSession(
      Database db,
      WatchSettings settings,
      EventEncoder encoder,
      EventRouter router,
      Map<WatchKind, LongAdder> forwarded,
      Channel channel) {
    this.db = db;
    this.settings = settings;
    this.encoder = encoder;
    this.router = router;
    this.forwarded = forwarded;
    this.channel = channel;
  }

  /**
   * Answers one of the three watch ops. A new subscription starts writing events on the event loop
   * right after the returned future completes; use {@link #handle(Request, CompletionStage)} when
   * the response may be written later than that (e.g. behind slower pipelined requests).
   *
   * @return the op's result object, or a future failed with a {@link RstmdbException}: BAD_REQUEST
   *     for bad params or too many subscriptions, INSTANCE_NOT_FOUND for an unknown or deleted
   *     instance
   */
  public CompletableFuture<JsonNode> handle(Request request) {
    return handle(request, CompletableFuture.completedFuture(null));
  }

  /**
   * Like {@link #handle(Request)}, but a subscription created by this request writes no event
   * before {@code responseWritten} completes: complete it once the response has been handed to the
   * channel, so the client always learns the subscription id before its first event. If it
   * completes exceptionally the subscription is dropped.
   */
  public CompletableFuture<JsonNode> handle(Request request, CompletionStage<?> responseWritten) {
    try {
      switch (request.op()) {
        case "WATCH_INSTANCE":
          return watchInstance(WatchInstanceParams.parse(request.params()), responseWritten);
        case "WATCH_ALL":
          return watchAll(WatchAllParams.parse(request.params()), responseWritten);
        case "UNWATCH":
          return CompletableFuture.completedFuture(
              unwatch(new WatchParamReader(request.params()).requiredString("subscription_id")));
        default:
          throw RstmdbException.badRequest("invalid request: not a watch op: " + request.op());
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Call from {@code channelWritabilityChanged}: resumes delivery when the channel drained. */
  public void writabilityChanged() {
    if (channel.isWritable()) {
      subscriptions.values().forEach(Subscription::wake);
    }
  }

  /** Ends every subscription of the connection; call when the channel closes. */
  public void close() {
    closed = true;
    subscriptions.values().forEach(this::discard);
  }

  /** Number of open subscriptions on this connection. */
  public int size() {
    return subscriptions.size();
  }

  /**
   * True while the connection has at least one open subscription. Such a connection is in use even
   * when its streams are quiet and it sends no requests, so an idle timeout should leave it open. A
   * subscription the server ended (e.g. a compacted position) no longer counts.
   */
  public boolean isWatching() {
    return !closed && !subscriptions.isEmpty();
  }

  private CompletableFuture<JsonNode> watchInstance(
      WatchInstanceParams params, CompletionStage<?> responseWritten) {
    reserveSlot();
    boolean live = params.fromOffset() == 0;
    Subscription subscription = null;
    CompletableFuture<InstanceView> lookup;
    try {
      checkFromOffset(params.fromOffset(), db.walHead());
      subscription =
          newSubscription(
              WatchKind.INSTANCE,
              new EventFilter.Instance(params.instanceId()),
              params.includeCtx(),
              live ? Subscription.START_LATER : params.fromOffset());
      // Live-only: listen before reading the state (see Subscription.activate), so the client
      // gets current_state and then exactly the transitions after it.
      router.add(subscription);
      lookup = db.getInstance(params.instanceId());
    } catch (RuntimeException e) {
      if (subscription != null) {
        router.remove(subscription);
      }
      slots.decrementAndGet();
      throw e;
    }
    Subscription routed = subscription;
    CompletableFuture<JsonNode> response = new CompletableFuture<>();
    lookup.whenComplete(
        (view, error) -> {
          if (error != null) {
            router.remove(routed);
            routed.close();
            slots.decrementAndGet();
            response.completeExceptionally(unwrap(error));
            return;
          }
          if (live) {
            routed.activate(view.lastWalOffset() + 1);
          }
          ObjectNode result = JSON.objectNode();
          result.put("subscription_id", routed.id());
          result.put("instance_id", view.id());
          result.put("current_state", view.state());
          result.put("current_wal_offset", view.lastWalOffset());
          open(routed, result, response, responseWritten);
        });
    return response;
  }

  private CompletableFuture<JsonNode> watchAll(
      WatchAllParams params, CompletionStage<?> responseWritten) {
    reserveSlot();
    long head;
    try {
      head = db.walHead();
      checkFromOffset(params.fromOffset(), head);
    } catch (RuntimeException e) {
      slots.decrementAndGet();
      throw e;
    }
    long start = params.fromOffset() > 0 ? params.fromOffset() : head;
    Subscription subscription =
        newSubscription(WatchKind.ALL, params.filter(), params.includeCtx(), start);
    ObjectNode result = JSON.objectNode();
    result.put("subscription_id", subscription.id());
    result.put("wal_offset", head);
    CompletableFuture<JsonNode> response = new CompletableFuture<>();
    open(subscription, result, response, responseWritten);
    return response;
  }

  private JsonNode unwatch(String subscriptionId) {
    Subscription subscription = subscriptions.get(subscriptionId);
    boolean removed = subscription != null && discard(subscription);
    ObjectNode result = JSON.objectNode();
    result.put("subscription_id", subscriptionId);
    result.put("removed", removed);
    return result;
  }

  private void checkFromOffset(long fromOffset, long head) {
    if (fromOffset == 0) {
      return;
    }
    if (fromOffset > head) {
      throw RstmdbException.badRequest(
          "invalid request: from_offset " + fromOffset + " is beyond the WAL head " + head);
    }
    long oldest = db.walOldest();
    if (fromOffset < oldest) {
      throw new RstmdbException(
          ErrorCode.BAD_REQUEST,
          "invalid request: from_offset "
              + fromOffset
              + " was removed by WAL compaction; oldest available offset is "
              + oldest,
          Map.of("oldest_offset", oldest));
    }
  }

  private Subscription newSubscription(
      WatchKind kind, EventFilter filter, boolean includeCtx, long start) {
    return new Subscription(
        "sub-" + UUID.randomUUID(),
        kind,
        filter,
        includeCtx,
        start,
        channel,
        encoder,
        (from, limit) -> db.readWal(from, limit, READ_BYTES),
        router::notifiesEverythingFrom,
        settings,
        forwarded.get(kind),
        this::discard);
  }

  /**
   * Registers the subscription, completes the response, and lets it write once the response is out:
   * the start task is queued on the event loop after {@code responseWritten}, so it runs after the
   * task that wrote the response.
   */
  private void open(
      Subscription subscription,
      ObjectNode result,
      CompletableFuture<JsonNode> response,
      CompletionStage<?> responseWritten) {
    subscriptions.put(subscription.id(), subscription);
    router.add(subscription); // a set: adding an already routed subscription changes nothing
    if (closed) {
      discard(subscription); // the connection went away while the request was in flight
    }
    response.complete(result);
    responseWritten.whenComplete(
        (ignored, error) -> {
          if (error != null) {
            discard(subscription);
            return;
          }
          try {
            channel.eventLoop().execute(subscription::start);
          } catch (RejectedExecutionException e) {
            discard(subscription);
          }
        });
  }

  /** Ends a subscription of this session; false when it was not (or no longer) registered. */
  private boolean discard(Subscription subscription) {
    if (!subscriptions.remove(subscription.id(), subscription)) {
      return false;
    }
    router.remove(subscription);
    subscription.close();
    slots.decrementAndGet();
    return true;
  }

  private void reserveSlot() {
    if (!settings.allows(slots.incrementAndGet())) {
      slots.decrementAndGet();
      throw RstmdbException.badRequest(
          "invalid request: too many subscriptions on this connection (max "
              + settings.maxSubscriptionsPerConnection()
              + ")");
    }
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  /** Subscriptions of this session, for tests. */
  List<Subscription> subscriptions() {
    return List.copyOf(subscriptions.values());
  }
}
