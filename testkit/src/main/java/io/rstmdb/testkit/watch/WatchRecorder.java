package io.rstmdb.testkit.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.protocol.client.RcpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * One watch subscription's events, recorded as they arrive so that a test can wait for them instead
 * of sleeping. Open one on a connection of its own ({@code newClient()}), make the changes on
 * another, then wait:
 *
 * <pre>{@code
 * try (WatchRecorder watch = WatchRecorder.watchAll(RSTMDB.newClient())) {
 *   client.call("APPLY_EVENT", params).get();
 *   ObjectNode event = watch.awaitEvents(1, Duration.ofSeconds(5)).get(0);
 *   assertThat(event.get("to_state").asText()).isEqualTo("paid");
 *   watch.assertNoEventWithin(Duration.ofMillis(200));   // and nothing else
 * }
 * }</pre>
 *
 * <p>Only events of this recorder's subscription count, so several recorders may share one client.
 * A subscription that the server ends with an error event (a COMPACT removed the part of the WAL it
 * was still replaying) makes every wait fail at once with that error, rather than run into its
 * timeout. Waiting failures are {@link AssertionError}s that list what did arrive.
 *
 * <p>Thread-safe: events are recorded on the client's I/O thread, waits happen on the test's.
 */
public final class WatchRecorder implements AutoCloseable {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final RcpClient client;
  private final String subscriptionId;
  private final JsonNode watchResult;
  private final Inbox inbox;

  private WatchRecorder(RcpClient client, JsonNode watchResult, Inbox inbox) {
    this.client = client;
    this.subscriptionId = watchResult.path("subscription_id").asText();
    this.watchResult = watchResult;
    this.inbox = inbox;
    inbox.claim(subscriptionId);
  }

  /** {@code WATCH_ALL} with no filter: every committed change from now on. */
  public static WatchRecorder watchAll(RcpClient client) {
    return watch(client, "WATCH_ALL", JsonNodeFactory.instance.objectNode());
  }

  /**
   * {@code WATCH_ALL} with the given params ({@code machines}, {@code from_states}, {@code
   * to_states}, {@code events}, {@code from_offset}, ...; see docs/protocol.md).
   */
  public static WatchRecorder watchAll(RcpClient client, ObjectNode params) {
    return watch(client, "WATCH_ALL", params);
  }

  /** {@code WATCH_INSTANCE} of one instance, from now on. */
  public static WatchRecorder watchInstance(RcpClient client, String instanceId) {
    return watch(
        client,
        "WATCH_INSTANCE",
        JsonNodeFactory.instance.objectNode().put("instance_id", instanceId));
  }

  /**
   * {@code WATCH_INSTANCE} with the given params ({@code instance_id}, {@code from_offset}, ...).
   */
  public static WatchRecorder watchInstance(RcpClient client, ObjectNode params) {
    return watch(client, "WATCH_INSTANCE", params);
  }

  private static WatchRecorder watch(RcpClient client, String op, ObjectNode params) {
    // Listening starts before the request: a replay from an offset may deliver events before the
    // test thread has seen the answer, and the client drops events no listener is there for.
    Inbox inbox = new Inbox();
    client.onEvent(inbox::offer);
    JsonNode answer;
    try {
      answer = call(client, op, params);
    } catch (AssertionError e) {
      inbox.release(); // the client keeps its listener; it must not keep recording
      throw e;
    }
    return new WatchRecorder(client, answer, inbox);
  }

  /** The subscription's id, as the server named it. */
  public String subscriptionId() {
    return subscriptionId;
  }

  /**
   * The WATCH request's result: {@code subscription_id} and, for {@code WATCH_ALL}, the {@code
   * wal_offset} the next record gets; for {@code WATCH_INSTANCE} the instance's {@code
   * current_state} and {@code current_wal_offset}.
   */
  public JsonNode watchResult() {
    return watchResult;
  }

  /**
   * Waits until at least {@code count} events have arrived and returns the first {@code count}, in
   * arrival order (which is WAL order).
   *
   * @throws AssertionError when fewer arrived within {@code timeout}, or the subscription ended
   *     with an error event; the message lists the events that did arrive
   */
  public List<ObjectNode> awaitEvents(int count, Duration timeout) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative: " + count);
    }
    return inbox
        .await(events -> events.size() >= count, timeout, count + " events")
        .subList(0, count);
  }

  /**
   * Waits for the first event (among all recorded so far, then new ones) that {@code matches}.
   *
   * @throws AssertionError when none did within {@code timeout}, or the subscription ended with an
   *     error event
   */
  public ObjectNode awaitEvent(Predicate<ObjectNode> matches, Duration timeout) {
    List<ObjectNode> events =
        inbox.await(got -> got.stream().anyMatch(matches), timeout, "an event that matches");
    return events.stream().filter(matches).findFirst().orElseThrow();
  }

  /**
   * Waits for the error event that ends the subscription (e.g. {@code BAD_REQUEST} with {@code
   * oldest_offset} when a COMPACT removed the offsets it was replaying) and returns it.
   *
   * @throws AssertionError when none arrived within {@code timeout}
   */
  public ObjectNode awaitError(Duration timeout) {
    return inbox.awaitError(timeout);
  }

  /**
   * Fails if any event beyond those already recorded arrives within {@code quietPeriod}: for "and
   * nothing else happened" after the expected events were awaited.
   *
   * @throws AssertionError naming the unexpected event
   */
  public void assertNoEventWithin(Duration quietPeriod) {
    inbox.assertQuiet(quietPeriod);
  }

  /** Every event recorded so far, in arrival order (a copy). */
  public List<ObjectNode> events() {
    return inbox.events();
  }

  /** The error event that ended the subscription, if one arrived. */
  public Optional<ObjectNode> error() {
    return inbox.error();
  }

  /**
   * Stops recording and, while the connection is open and the subscription has not ended with an
   * error, sends {@code UNWATCH}. The client stays open: it may be shared. A connection that drops
   * meanwhile is no error here: closing must not hide the failure a test is reporting.
   */
  @Override
  public void close() {
    boolean ended = error().isPresent();
    inbox.release();
    if (client.isOpen() && !ended) {
      try {
        call(
            client,
            "UNWATCH",
            JsonNodeFactory.instance.objectNode().put("subscription_id", subscriptionId));
      } catch (AssertionError e) {
        if (client.isOpen()) {
          throw e; // the server refused the UNWATCH: worth knowing
        }
      }
    }
  }

  private static JsonNode call(RcpClient client, String op, ObjectNode params) {
    try {
      return client.call(op, params).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(op + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError(op + " had no answer within " + CALL_TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(op + " interrupted", e);
    }
  }

  /**
   * What one recorder's listener collected: until the WATCH is answered every event of the client
   * (the subscription's id is not known yet, and its first events may come first), then only its
   * own. Its monitor guards everything.
   */
  private static final class Inbox {
    private final List<ObjectNode> received = new ArrayList<>();
    private String subscriptionId;
    private boolean released;

    /** From now on only this subscription's messages are kept; others seen before are dropped. */
    synchronized void claim(String id) {
      subscriptionId = id;
      received.removeIf(event -> !mine(event));
    }

    synchronized void release() {
      released = true;
      received.clear();
    }

    synchronized void offer(ObjectNode event) {
      if (!released && (subscriptionId == null || mine(event))) {
        received.add(event);
        notifyAll();
      }
    }

    private boolean mine(ObjectNode event) {
      return event.path("subscription_id").asText().equals(subscriptionId);
    }

    synchronized List<ObjectNode> events() {
      return received.stream().filter(e -> !e.has("error")).toList();
    }

    synchronized Optional<ObjectNode> error() {
      return received.stream().filter(e -> e.has("error")).findFirst();
    }

    synchronized List<ObjectNode> await(
        Predicate<List<ObjectNode>> done, Duration timeout, String what) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        List<ObjectNode> events = events();
        if (done.test(events)) {
          return events;
        }
        Optional<ObjectNode> error = error();
        if (error.isPresent()) {
          throw new AssertionError(
              "waited for "
                  + what
                  + " but subscription "
                  + subscriptionId
                  + " ended with "
                  + error.get().get("error")
                  + "; events before it: "
                  + events);
        }
        if (!waitUntil(deadline)) {
          throw new AssertionError(
              "waited "
                  + timeout.toMillis()
                  + " ms for "
                  + what
                  + " on subscription "
                  + subscriptionId
                  + "; "
                  + events.size()
                  + " arrived: "
                  + events);
        }
      }
    }

    synchronized ObjectNode awaitError(Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        Optional<ObjectNode> error = error();
        if (error.isPresent()) {
          return error.get();
        }
        if (!waitUntil(deadline)) {
          throw new AssertionError(
              "waited "
                  + timeout.toMillis()
                  + " ms for subscription "
                  + subscriptionId
                  + " to end with an error; events: "
                  + events());
        }
      }
    }

    synchronized void assertQuiet(Duration quietPeriod) {
      int seen = received.size();
      long deadline = System.nanoTime() + quietPeriod.toNanos();
      do {
        if (received.size() > seen) {
          throw new AssertionError(
              "expected no more events on subscription "
                  + subscriptionId
                  + " within "
                  + quietPeriod.toMillis()
                  + " ms, got "
                  + received.get(seen));
        }
      } while (waitUntil(deadline));
    }

    /** Waits for a new event or the deadline; false once the deadline has passed. */
    private boolean waitUntil(long deadline) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for watch events", e);
      }
      return true;
    }
  }
}
