package io.rstmdb.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.protocol.message.Request;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One connection's view of the watch machinery (WATCH_INSTANCE, WATCH_ALL, UNWATCH). The session
 * routes those ops here after the auth gate and writes the returned result like any other; the
 * router writes event frames itself.
 */
public interface WatchRouter {

  /**
   * Handles one watch op; fails with a {@code RstmdbException} on bad params or unknown ids. A
   * subscription it creates writes no event before {@code responseWritten} completes, so the
   * watch's own response always comes first, also when requests are pipelined.
   */
  CompletableFuture<JsonNode> handle(Request request, CompletionStage<?> responseWritten);

  /** The channel's writability changed (resume or pause event delivery). */
  void writabilityChanged();

  /** True while the connection has open subscriptions: it is in use even when quiet. */
  default boolean isWatching() {
    return false;
  }

  /** The connection is gone: end all its subscriptions. */
  void close();
}
