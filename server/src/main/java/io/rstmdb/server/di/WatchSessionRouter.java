package io.rstmdb.server.di;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.protocol.message.Request;
import io.rstmdb.server.session.WatchRouter;
import io.rstmdb.server.watch.WatchSession;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Plugs a connection's {@link WatchSession} into the session as its {@link WatchRouter}. */
final class WatchSessionRouter implements WatchRouter {

  private final WatchSession session;

  WatchSessionRouter(WatchSession session) {
    this.session = session;
  }

  @Override
  public CompletableFuture<JsonNode> handle(Request request, CompletionStage<?> responseWritten) {
    return session.handle(request, responseWritten);
  }

  @Override
  public void writabilityChanged() {
    session.writabilityChanged();
  }

  @Override
  public boolean isWatching() {
    return session.isWatching();
  }

  @Override
  public void close() {
    session.close();
  }
}
