package io.rstmdb.testkit.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.port.ForwardingWal;
import io.rstmdb.core.port.WalPort;
import io.rstmdb.core.port.WalRecord;
import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.testkit.MachineDefinitions;
import io.rstmdb.testkit.RstmdbServerExtension;
import io.rstmdb.testkit.wal.InMemoryWal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WatchRecorderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** An in-memory log whose reads can be made to fail, to end a replaying subscription. */
  private static final class BreakableWal extends ForwardingWal {
    volatile boolean readsFail;

    BreakableWal(WalPort delegate) {
      super(delegate);
    }

    @Override
    public List<WalRecord> read(long fromOffset, int limit) {
      if (readsFail) {
        throw new RstmdbException(ErrorCode.WAL_IO_ERROR, "read failed on purpose");
      }
      return super.read(fromOffset, limit);
    }

    @Override
    public List<WalRecord> read(long fromOffset, int limit, long maxBytes) {
      if (readsFail) {
        throw new RstmdbException(ErrorCode.WAL_IO_ERROR, "read failed on purpose");
      }
      return super.read(fromOffset, limit, maxBytes);
    }
  }

  private static BreakableWal wal;

  @RegisterExtension
  static final RstmdbServerExtension RSTMDB =
      RstmdbServerExtension.builder()
          .fsyncPolicy("never")
          .wal(dir -> wal = new BreakableWal(new InMemoryWal()))
          .build();

  private static int instances;

  @BeforeAll
  static void machine() throws Exception {
    call(
        "PUT_MACHINE",
        JSON.createObjectNode()
            .put("machine", "toggle")
            .put("version", 1)
            .set("definition", MachineDefinitions.toggle()));
  }

  private static JsonNode call(String op, ObjectNode params) throws Exception {
    return RSTMDB.client().call(op, params).get(10, TimeUnit.SECONDS);
  }

  /** A new instance, in state {@code a}. */
  private static String instance() throws Exception {
    String id = "w-" + (++instances);
    call(
        "CREATE_INSTANCE",
        JSON.createObjectNode().put("machine", "toggle").put("version", 1).put("instance_id", id));
    return id;
  }

  private static void flip(String instance, String event) throws Exception {
    call("APPLY_EVENT", JSON.createObjectNode().put("instance_id", instance).put("event", event));
  }

  @Test
  void waitsForTheEventsOfItsSubscriptionAndThenForQuiet() throws Exception {
    String id = instance();
    try (WatchRecorder watch = WatchRecorder.watchInstance(RSTMDB.newClient(), id)) {
      assertThat(watch.watchResult().get("current_state").asText()).isEqualTo("a");
      flip(id, "FLIP");
      flip(id, "FLOP");

      List<ObjectNode> events = watch.awaitEvents(2, WAIT);
      assertThat(events).extracting(e -> e.get("to_state").asText()).containsExactly("b", "a");
      assertThat(events)
          .allMatch(e -> e.get("subscription_id").asText().equals(watch.subscriptionId()));
      watch.assertNoEventWithin(Duration.ofMillis(100));
      assertThat(watch.error()).isEmpty();
    }
  }

  @Test
  void aTimeoutSaysWhatDidArrive() throws Exception {
    String id = instance();
    try (WatchRecorder watch = WatchRecorder.watchInstance(RSTMDB.newClient(), id)) {
      flip(id, "FLIP");
      watch.awaitEvents(1, WAIT); // so that the short wait below knows what arrived
      assertThatThrownBy(() -> watch.awaitEvents(2, Duration.ofMillis(300)))
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith(
              "waited 300 ms for 2 events on subscription " + watch.subscriptionId())
          .hasMessageContaining("1 arrived")
          .hasMessageContaining("\"to_state\":\"b\"");
    }
  }

  @Test
  void anEventAfterTheExpectedOnesFailsTheQuietCheck() throws Exception {
    String id = instance();
    try (WatchRecorder watch = WatchRecorder.watchInstance(RSTMDB.newClient(), id)) {
      flip(id, "FLIP");
      watch.awaitEvents(1, WAIT);
      Thread waiter =
          new Thread(
              () -> {
                try {
                  Thread.sleep(100);
                  flip(id, "FLOP");
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      waiter.start();
      assertThatThrownBy(() -> watch.assertNoEventWithin(WAIT))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("expected no more events")
          .hasMessageContaining("\"event\":\"FLOP\"");
      waiter.join();
    }
  }

  @Test
  void recordersSharingAClientSeeOnlyTheirOwnSubscriptionAndMatchersPickTheEvent()
      throws Exception {
    String one = instance();
    String other = instance();
    RcpClient shared = RSTMDB.newClient();
    try (WatchRecorder watchOne = WatchRecorder.watchInstance(shared, one);
        WatchRecorder all = WatchRecorder.watchAll(shared)) {
      flip(other, "FLIP");
      flip(one, "FLIP");

      ObjectNode ofOne = all.awaitEvent(e -> e.get("instance_id").asText().equals(one), WAIT);
      assertThat(ofOne.get("to_state").asText()).isEqualTo("b");
      assertThat(all.awaitEvents(2, WAIT)).hasSize(2);
      assertThat(watchOne.awaitEvents(1, WAIT).get(0).get("instance_id").asText()).isEqualTo(one);
      watchOne.assertNoEventWithin(Duration.ofMillis(100));
      assertThat(watchOne.events()).hasSize(1);
    }
  }

  @Test
  void eventsReplayedBeforeTheWatchIsAnsweredAreKept() throws Exception {
    String id = instance();
    long from = call("WAL_STATS", null).get("latest_offset").asLong() + 1;
    flip(id, "FLIP");
    flip(id, "FLOP");
    ObjectNode params = JSON.createObjectNode().put("from_offset", from);
    params.putArray("machines").add("toggle");
    try (WatchRecorder watch = WatchRecorder.watchAll(RSTMDB.newClient(), params)) {
      assertThat(watch.awaitEvents(2, WAIT))
          .extracting(e -> e.get("event").asText())
          .containsExactly("FLIP", "FLOP");
    }
  }

  @Test
  void closingUnwatchesAndLeavesTheClientOpen() throws Exception {
    RcpClient client = RSTMDB.newClient();
    String sub;
    try (WatchRecorder watch = WatchRecorder.watchAll(client)) {
      sub = watch.subscriptionId();
    }
    assertThat(client.isOpen()).isTrue();
    JsonNode again =
        client
            .call("UNWATCH", JSON.createObjectNode().put("subscription_id", sub))
            .get(10, TimeUnit.SECONDS);
    assertThat(again.get("removed").asBoolean()).as("already removed by close()").isFalse();
  }

  @Test
  void aSubscriptionEndedByTheServerFailsTheWaitAtOnce() throws Exception {
    String id = instance();
    flip(id, "FLIP");
    ObjectNode params = JSON.createObjectNode().put("from_offset", 1);
    wal.readsFail = true;
    try (WatchRecorder watch = WatchRecorder.watchAll(RSTMDB.newClient(), params)) {
      ObjectNode error = watch.awaitError(WAIT);
      assertThat(error.get("error").get("code").asText()).isEqualTo("WAL_IO_ERROR");
      long start = System.nanoTime();
      assertThatThrownBy(() -> watch.awaitEvents(1_000, Duration.ofSeconds(30)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("ended with")
          .hasMessageContaining("WAL_IO_ERROR");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    } finally {
      wal.readsFail = false;
    }
  }
}
