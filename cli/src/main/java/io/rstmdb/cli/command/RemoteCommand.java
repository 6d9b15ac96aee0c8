package io.rstmdb.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.cli.CliContext;
import io.rstmdb.cli.ExitCode;
import io.rstmdb.cli.connect.ConnectionFailedException;
import io.rstmdb.cli.connect.InvalidRequestException;
import io.rstmdb.cli.connect.ServerErrorException;
import io.rstmdb.cli.format.Printer;
import io.rstmdb.cli.input.JsonArgument;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A command that sends requests over the invocation's session and prints the answer. */
abstract class RemoteCommand implements java.util.concurrent.Callable<Integer> {

  protected final CliContext ctx;

  RemoteCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public final Integer call() {
    return run(ctx.printer()).code();
  }

  /** Does the work; server and connection failures propagate as exceptions. */
  protected abstract ExitCode run(Printer printer);

  protected ObjectNode params() {
    return ctx.mapper().createObjectNode();
  }

  protected JsonArgument json() {
    return new JsonArgument(ctx.mapper(), ctx.in());
  }

  /** Sends one request and waits (up to the request timeout) for its result. */
  protected JsonNode send(String op, JsonNode params) {
    CompletableFuture<JsonNode> future = ctx.connection().call(op, params);
    long timeoutMillis = ctx.global().settings(ctx.env()).requestTimeout().toMillis();
    return await(future, timeoutMillis);
  }

  static JsonNode await(CompletableFuture<JsonNode> future, long timeoutMillis) {
    try {
      return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ServerErrorException) {
        throw (ServerErrorException) cause;
      }
      if (cause instanceof ConnectionFailedException) {
        throw (ConnectionFailedException) cause;
      }
      if (cause instanceof InvalidRequestException) {
        throw (InvalidRequestException) cause;
      }
      throw new ConnectionFailedException("request failed: " + cause, cause);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new ConnectionFailedException("no response within " + timeoutMillis / 1000 + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectionFailedException("interrupted while waiting for the server", e);
    }
  }

  /** {@code node.path(field)} as text, or {@code "-"} when absent or null. */
  static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isMissingNode() || v.isNull() ? "-" : v.asText();
  }
}
