package io.rstmdb.cli.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.protocol.client.PreparedRequest;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One open RCP session as the CLI sees it. Futures fail with {@link ServerErrorException} for an
 * error response and {@link ConnectionFailedException} when the session breaks.
 */
public interface Connection extends AutoCloseable {

  /** Sends a request (pipelined; may be called many times without waiting) for its result. */
  CompletableFuture<JsonNode> call(String op, JsonNode params);

  /**
   * Sends a prepared request for its outcome only: completes normally on success, fails as {@link
   * #call} does. A connection that can should neither re-encode the params nor decode the result.
   */
  default CompletableFuture<Void> send(PreparedRequest request) {
    return call(request.op(), request.params()).thenApply(result -> null);
  }

  /** Receives every streamed event of this session, in order, on the I/O thread. */
  void onEvent(Consumer<ObjectNode> listener);

  /** Runs once when the session ends for any reason. */
  void onClose(Runnable listener);

  /** Says goodbye (best effort) and closes the socket. */
  @Override
  void close();
}
