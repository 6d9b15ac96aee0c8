package io.rstmdb.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.api.AppliedEvent;
import io.rstmdb.core.port.WalRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Model check over random interleavings of writes, lagging notifications, stalls of the channel and
 * watches joining at random offsets: at the end every subscription must have received exactly the
 * WAL's matching apply_event records from its start, in order. Seeded, so a failure replays.
 */
class RandomInterleavingTest {
  private static final WalEventDecoder DECODER = new WalEventDecoder();
  private static final List<String> INSTANCES = List.of("i-0", "i-1", "i-2");
  private static final List<String> EVENTS = List.of("A", "B", "C");

  private record Watch(long start, Predicate<AppliedEvent> filter) {}

  static Stream<Long> seeds() {
    return IntStream.range(0, 100).mapToObj(i -> 1000L + i);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void everySubscriptionGetsExactlyItsSliceOfTheWal(long seed) throws Exception {
    Random random = new Random(seed);
    FakeDatabase db = new FakeDatabase(FakeDatabase.Notify.HELD);
    WatchSettings settings = new WatchSettings(0, 1 + random.nextInt(5), 1 + random.nextInt(4));
    Map<String, Watch> watches = new HashMap<>();
    Map<String, List<Long>> received = new HashMap<>();
    for (String id : INSTANCES) {
      db.create(id, id.equals("i-2") ? "user" : "order");
    }
    // Some history from "before the restart": in the WAL, never notified to the hub.
    int history = random.nextInt(8);
    for (int i = 0; i < history; i++) {
      db.apply(INSTANCES.get(random.nextInt(3)), EVENTS.get(random.nextInt(3)), "h", null);
    }
    db.discardNotifications();
    try (EmbeddedWatch watch = new EmbeddedWatch(db, settings)) {
      for (int step = 0; step < 120; step++) {
        int dice = random.nextInt(100);
        if (dice < 45) {
          db.apply(
              INSTANCES.get(random.nextInt(3)),
              EVENTS.get(random.nextInt(3)),
              "s" + random.nextInt(3),
              null);
        } else if (dice < 60) {
          db.releaseNotifications(random.nextInt(4));
        } else if (dice < 72) {
          watch.writable(random.nextInt(3) > 0);
        } else if (dice < 82) {
          collect(watch.frames(), received);
        } else {
          join(watch, db, random, watches);
        }
      }
      db.releaseNotifications();
      watch.writable(true);
      for (int i = 0; i < 50; i++) {
        collect(watch.frames(), received);
      }
      for (Map.Entry<String, Watch> entry : watches.entrySet()) {
        List<Long> want = expected(db, entry.getValue());
        assertThat(received.getOrDefault(entry.getKey(), List.of()))
            .as("seed %d, subscription from %d", seed, entry.getValue().start())
            .isEqualTo(want);
      }
    }
  }

  private static void join(
      EmbeddedWatch watch, FakeDatabase db, Random random, Map<String, Watch> watches)
      throws Exception {
    long head = db.walHead();
    long from = random.nextBoolean() ? 0 : 1 + (long) random.nextInt((int) Math.max(1, head));
    from = Math.min(from, head);
    if (random.nextBoolean()) {
      String id = INSTANCES.get(random.nextInt(3));
      JsonNode result =
          watch.call(
              "WATCH_INSTANCE", "{\"instance_id\":\"" + id + "\",\"from_offset\":" + from + "}");
      long start = from > 0 ? from : result.get("current_wal_offset").asLong() + 1;
      watches.put(
          result.get("subscription_id").asText(), new Watch(start, e -> e.instanceId().equals(id)));
    } else {
      String event = EVENTS.get(random.nextInt(3));
      boolean filtered = random.nextBoolean();
      String params =
          "{\"from_offset\":" + from + (filtered ? ",\"events\":[\"" + event + "\"]" : "") + "}";
      JsonNode result = watch.call("WATCH_ALL", params);
      long start = from > 0 ? from : result.get("wal_offset").asLong();
      watches.put(
          result.get("subscription_id").asText(),
          new Watch(start, e -> !filtered || e.event().equals(event)));
    }
  }

  private static void collect(List<ObjectNode> frames, Map<String, List<Long>> received) {
    for (ObjectNode frame : frames) {
      assertThat(frame.has("error")).as("unexpected error frame %s", frame).isFalse();
      received
          .computeIfAbsent(frame.get("subscription_id").asText(), k -> new ArrayList<>())
          .add(frame.get("wal_offset").asLong());
    }
  }

  private static List<Long> expected(FakeDatabase db, Watch watch) {
    List<Long> out = new ArrayList<>();
    for (WalRecord record : db.records()) {
      Optional<AppliedEvent> event = DECODER.decode(record);
      if (record.offset() >= watch.start()
          && event.isPresent()
          && watch.filter().test(event.get())) {
        out.add(record.offset());
      }
    }
    return out;
  }
}
