package io.rstmdb.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.protocol.message.Request;
import java.util.concurrent.CompletableFuture;

/**
 * A watch router for session tests without a watch hub: every watch op is refused with an explicit
 * BAD_REQUEST, never a fake subscription.
 */
final class UnavailableWatches implements WatchRouter {

  @Override
  public CompletableFuture<JsonNode> handle(
      Request request, java.util.concurrent.CompletionStage<?> responseWritten) {
    return CompletableFuture.failedFuture(
        RstmdbException.badRequest(request.op() + " is not available on this server"));
  }

  @Override
  public void writabilityChanged() {}

  @Override
  public void close() {}
}
