package io.rstmdb.testkit.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.protocol.client.RcpErrorException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a call came back with: a result, an error answer, or nothing usable (the connection died or
 * the wait timed out), so scenario code can classify without exception plumbing.
 */
record Reply(JsonNode result, String errorCode, String errorMessage, String lost) {

  static Reply call(RcpClient client, String op, JsonNode params, Duration timeout) {
    return await(client.call(op, params), timeout);
  }

  static Reply await(CompletableFuture<JsonNode> future, Duration timeout) {
    try {
      return new Reply(future.get(timeout.toMillis(), TimeUnit.MILLISECONDS), null, null, null);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RcpErrorException err) {
        return new Reply(null, err.codeName(), err.getMessage(), null);
      }
      return new Reply(null, null, null, String.valueOf(e.getCause()));
    } catch (TimeoutException e) {
      return new Reply(null, null, null, "timed out after " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(null, null, null, "interrupted");
    }
  }

  boolean ok() {
    return result != null;
  }

  /** The result, or an AssertionError naming what came back instead. */
  JsonNode orFail(String what) {
    if (result == null) {
      throw new AssertionError(what + " failed: " + (errorCode != null ? errorMessage : lost));
    }
    return result;
  }

  /**
   * The history's view: ok, a definite failure, or indeterminate. WAL_IO_ERROR is indeterminate on
   * purpose: after a failed fsync the record may still be on disk (what PostgreSQL's "fsyncgate"
   * taught everyone), so the client cannot know.
   */
  Outcome.Status status() {
    if (result != null) {
      return Outcome.Status.OK;
    }
    if (errorCode != null && !errorCode.equals("WAL_IO_ERROR")) {
      return Outcome.Status.FAILED;
    }
    return Outcome.Status.INDETERMINATE;
  }
}
