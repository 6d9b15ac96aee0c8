package io.rstmdb.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.cli.CliContext;
import io.rstmdb.cli.ExitCode;
import io.rstmdb.cli.connect.Connection;
import io.rstmdb.cli.format.Printer;
import io.rstmdb.cli.input.WholeNumber;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Option;

/**
 * Subscribes, then prints every event as one compact JSON line on stdout until Ctrl+C (which sends
 * UNWATCH), {@code --max-events} is reached, the server ends the subscription with an error event,
 * or the server closes the connection.
 *
 * <p>An error event is final (docs/streaming.md: nothing more is sent for that subscription), so
 * waiting on would hang forever: it goes to stderr, never to stdout where scripts keep the events,
 * and the command exits with 1.
 */
abstract class WatchCommand extends RemoteCommand {

  private static final Object CLOSED = new Object();

  @Option(names = "--no-ctx", description = "Leave the context out of events.")
  boolean noCtx;

  @Option(
      names = "--from-offset",
      paramLabel = "N",
      converter = WholeNumber.Positive.class,
      description = "Replay matching events from WAL offset N (>= 1) before live ones.")
  Long fromOffset;

  @Option(
      names = "--max-events",
      paramLabel = "N",
      converter = WholeNumber.Positive.class,
      description = "Stop (and unwatch) after N events (N >= 1); default: run until Ctrl+C.")
  Long maxEvents;

  WatchCommand(CliContext ctx) {
    super(ctx);
  }

  /** The watch op name and its params (without include_ctx/from_offset, added here). */
  protected abstract String op();

  protected abstract ObjectNode watchParams();

  /** One line for stderr describing what is watched, from the watch result. */
  protected abstract String describe(JsonNode result);

  /**
   * The WAL offset a new watch with {@code --from-offset} would start at to continue a live watch
   * that has printed nothing yet.
   */
  protected abstract long liveStart(JsonNode result);

  @Override
  protected ExitCode run(Printer printer) {
    Connection connection = ctx.connection();
    BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    // The REPL reuses the session and listeners cannot be removed: stop collecting when done.
    AtomicBoolean active = new AtomicBoolean(true);
    connection.onEvent(
        event -> {
          if (active.get()) {
            queue.add(event);
          }
        });
    connection.onClose(() -> queue.add(CLOSED));
    ObjectNode p = watchParams().put("include_ctx", !noCtx);
    if (fromOffset != null) {
      p.put("from_offset", fromOffset);
    }
    JsonNode result = send(op(), p);
    String subscription = result.path("subscription_id").asText();
    ctx.err().println(describe(result) + " (subscription " + subscription + "); Ctrl+C to stop");
    Thread unwatchOnExit = new Thread(() -> unwatch(connection, subscription), "rstmdb-unwatch");
    Optional<Thread> hook = register(unwatchOnExit);
    try {
      long seen = 0;
      long resumeAt = fromOffset != null ? fromOffset : liveStart(result);
      while (maxEvents == null || seen < maxEvents) {
        Object item = queue.take();
        if (item == CLOSED) {
          ctx.err().println("ERROR: connection closed by the server");
          return ExitCode.CONNECTION;
        }
        JsonNode event = (JsonNode) item;
        if (!subscription.equals(event.path("subscription_id").asText())) {
          continue; // a late event of an earlier watch on this REPL session
        }
        if (event.has("error")) {
          reportEnd(printer, event.path("error"), subscription, seen, resumeAt);
          return ExitCode.SERVER_ERROR; // the server already forgot it: no UNWATCH
        }
        printer.out().println(printer.compact(event));
        printer.out().flush();
        if (printer.out().checkError()) {
          // The reader went away (| head -1) or the disk is full: stop instead of buffering
          // events for nobody.
          unwatch(connection, subscription);
          ctx.err().println("ERROR: cannot write to standard output; stopped watching");
          return ExitCode.SERVER_ERROR;
        }
        seen++;
        if (event.path("wal_offset").canConvertToLong()) {
          resumeAt = event.path("wal_offset").asLong() + 1;
        }
      }
      unwatch(connection, subscription);
      return ExitCode.OK;
    } catch (InterruptedException e) {
      // Ctrl+C in the REPL interrupts only this command: unsubscribe, keep the session.
      unwatch(connection, subscription);
      ctx.err().println("Stopped watching (subscription " + subscription + ")");
      Thread.currentThread().interrupt();
      return ExitCode.OK;
    } finally {
      active.set(false);
      hook.ifPresent(this::unregister);
    }
  }

  /** The server's reason on stderr in the usual error form, then what the user can do next. */
  private void reportEnd(
      Printer printer, JsonNode error, String subscription, long seen, long resumeAt) {
    ctx.err().println("ERROR " + text(error, "code") + ": " + text(error, "message"));
    if (error.path("details").size() > 0) {
      ctx.err().println("  details: " + printer.compact(error.path("details")));
    }
    String ended =
        "Subscription "
            + subscription
            + " was ended by the server after "
            + seen
            + (seen == 1 ? " event" : " events");
    if (error.path("retryable").asBoolean(false) && resumeAt >= 1) {
      ended += "; to continue, watch again with --from-offset " + resumeAt;
    }
    ctx.err().println(ended);
  }

  private void unwatch(Connection connection, String subscription) {
    try {
      connection
          .call("UNWATCH", params().put("subscription_id", subscription))
          .get(2, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // Best effort: the subscription dies with the connection anyway.
    }
  }

  private static Optional<Thread> register(Thread hook) {
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      return Optional.of(hook);
    } catch (IllegalStateException shuttingDown) {
      return Optional.empty();
    }
  }

  private void unregister(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or ran; nothing to undo.
    }
  }
}
