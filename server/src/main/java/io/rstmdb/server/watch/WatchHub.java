package io.rstmdb.server.watch;

import io.netty.channel.Channel;
import io.rstmdb.core.api.Database;
import io.rstmdb.protocol.message.MessageCodec;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Entry point of the watch streams (WATCH_INSTANCE, WATCH_ALL, UNWATCH). One hub per server: it
 * registers a single listener with the {@link Database} and hands out one {@link WatchSession} per
 * connection.
 *
 * <p>Guarantees (docs/streaming.md): each subscription receives every matching transition with an
 * offset at or after its start, in WAL order, exactly once; a slow reader is served from the WAL
 * instead of buffering without bound; a position that compaction removed ends the subscription with
 * an error event naming the oldest available offset.
 */
public final class WatchHub implements AutoCloseable {
  private final Database db;
  private final WatchSettings settings;
  private final EventEncoder encoder;
  private final EventRouter router = new EventRouter();
  private final Map<WatchKind, LongAdder> forwarded = new EnumMap<>(WatchKind.class);
  private final AutoCloseable registration;

  /** Hub with default queue and read-chunk sizes. */
  public WatchHub(Database db, int maxSubscriptionsPerConnection, MessageCodec codec) {
    this(db, WatchSettings.withMaxSubscriptions(maxSubscriptionsPerConnection), codec);
  }

  public WatchHub(Database db, WatchSettings settings, MessageCodec codec) {
    this(db, settings, Objects.requireNonNull(codec, "codec")::encodeEvent);
  }

  WatchHub(Database db, WatchSettings settings, EventEncoder encoder) {
    this.db = Objects.requireNonNull(db, "db");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    for (WatchKind kind : WatchKind.values()) {
      forwarded.put(kind, new LongAdder());
    }
    this.registration = db.addListener(router);
    // Read after registering: every record appended from here on is published to the router.
    router.listeningFrom(db.walHead());
  }

  /** The watch state of one connection; the caller must {@link WatchSession#close()} it. */
  public WatchSession newSession(Channel channel) {
    return new WatchSession(
        db, settings, encoder, router, forwarded, Objects.requireNonNull(channel));
  }

  /** Subscriptions currently open on all connections (for the subscriptions gauge). */
  public int activeSubscriptions(WatchKind kind) {
    return router.count(kind);
  }

  /**
   * Transition events written to watchers' connections since the hub started by subscriptions of
   * this kind, live and replayed alike (error frames not included). Each subscription's copy counts
   * once.
   */
  public long eventsForwarded(WatchKind kind) {
    return forwarded.get(kind).sum();
  }

  /**
   * Stops listening to the database. Sessions are closed by their connections; their subscriptions
   * just stop receiving live events.
   */
  @Override
  public void close() {
    try {
      registration.close();
    } catch (Exception ignored) {
      // unregistering a listener has nothing to report
    }
  }
}
