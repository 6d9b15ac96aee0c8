package io.rstmdb.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.protocol.message.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WatchSessionTest {
  private final FakeDatabase db = new FakeDatabase(FakeDatabase.Notify.DIRECT);
  private final EmbeddedWatch watch = new EmbeddedWatch(db);

  @AfterEach
  void tearDown() {
    watch.close();
  }

  private static ObjectNode payload(int amount) {
    return JsonNodeFactory.instance.objectNode().put("amount", amount);
  }

  private static List<Long> offsets(List<ObjectNode> frames) {
    List<Long> out = new ArrayList<>();
    frames.forEach(f -> out.add(f.get("wal_offset").longValue()));
    return out;
  }

  @Test
  void watchAllReturnsSubscriptionAndHeadThenStreamsOnlyLaterEvents() throws Exception {
    db.create("o-1", "order");
    db.apply("o-1", "PAY", "paid", null);
    JsonNode result = watch.call("WATCH_ALL", null);

    assertThat(result.get("subscription_id").asText()).matches("sub-[0-9a-f-]{36}");
    assertThat(result.get("wal_offset").asLong()).isEqualTo(2);
    long shipped = db.apply("o-1", "SHIP", "shipped", payload(3)).walOffset();

    List<ObjectNode> frames = watch.frames();
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0).get("wal_offset").asLong()).isEqualTo(shipped);
  }

  @Test
  void aLiveWatchGoesLiveWithoutReadingTheWal() throws Exception {
    db.create("o-1", "order");
    db.apply("o-1", "A", "s1", null);
    watch.call("WATCH_ALL", null);
    watch.call("WATCH_INSTANCE", "{\"instance_id\":\"o-1\"}");
    watch.frames();
    assertThat(watch.session.subscriptions()).allMatch(Subscription::isLive);
    assertThat(db.readCalls()).isZero();
  }

  @Test
  void eventFrameHasTheWireFieldsInOrder() throws Exception {
    db.create("o-1", "order");
    String sub = watch.call("WATCH_ALL", "{}").get("subscription_id").asText();
    db.apply("o-1", "PAY", "paid", payload(10));
    db.apply("o-1", "SHIP", "shipped", null);

    List<ObjectNode> frames = watch.frames();
    ObjectNode first = frames.get(0);
    List<String> names = new ArrayList<>();
    first.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .containsExactly(
            "type",
            "subscription_id",
            "instance_id",
            "machine",
            "version",
            "wal_offset",
            "from_state",
            "to_state",
            "event",
            "payload",
            "ctx");
    assertThat(first.get("type").asText()).isEqualTo("event");
    assertThat(first.get("subscription_id").asText()).isEqualTo(sub);
    assertThat(first.get("instance_id").asText()).isEqualTo("o-1");
    assertThat(first.get("machine").asText()).isEqualTo("order");
    assertThat(first.get("version").isIntegralNumber()).isTrue();
    assertThat(first.get("from_state").asText()).isEqualTo("created");
    assertThat(first.get("to_state").asText()).isEqualTo("paid");
    assertThat(first.get("event").asText()).isEqualTo("PAY");
    assertThat(first.get("payload")).isEqualTo(payload(10));
    assertThat(first.get("ctx").get("n").asLong()).isEqualTo(1);
    assertThat(frames.get(1).has("payload")).isTrue();
    assertThat(frames.get(1).get("payload").isNull()).isTrue();
  }

  @Test
  void includeCtxFalseOmitsCtx() throws Exception {
    db.create("o-1", "order");
    watch.call("WATCH_ALL", "{\"include_ctx\":false}");
    watch.call(
        "WATCH_INSTANCE", "{\"instance_id\":\"o-1\",\"include_ctx\":false,\"from_offset\":0}");
    db.apply("o-1", "PAY", "paid", payload(1));

    List<ObjectNode> frames = watch.frames();
    assertThat(frames).hasSize(2);
    assertThat(frames).allSatisfy(f -> assertThat(f.has("ctx")).isFalse());
    assertThat(frames).allSatisfy(f -> assertThat(f.has("payload")).isTrue());
  }

  @Test
  void watchAllFiltersAreAndAcrossKindsAndOrWithinAList() throws Exception {
    db.create("o-1", "order");
    db.create("u-1", "user");
    watch.call("WATCH_ALL", "{\"machines\":[\"order\"],\"events\":[\"PAY\",\"REFUND\"]}");
    watch.call("WATCH_ALL", "{\"from_states\":[\"paid\"],\"to_states\":[\"shipped\"]}");
    watch.call("WATCH_ALL", "{\"machines\":[],\"events\":null}");
    String byMachine = watch.session.subscriptions().get(0).id();

    db.apply("u-1", "PAY", "paid", null); // wrong machine for the first
    db.apply("o-1", "PAY", "paid", null); // first
    db.apply("o-1", "SHIP", "shipped", null); // second (paid -> shipped)
    db.apply("o-1", "REFUND", "refunded", null); // first

    List<ObjectNode> frames = watch.frames();
    java.util.Map<String, List<String>> bySub = new java.util.HashMap<>();
    for (ObjectNode f : frames) {
      bySub
          .computeIfAbsent(f.get("subscription_id").asText(), k -> new ArrayList<>())
          .add(f.get("instance_id").asText() + ":" + f.get("event").asText());
    }
    assertThat(bySub).hasSize(3);
    assertThat(bySub.values())
        .containsExactlyInAnyOrder(
            List.of("o-1:PAY", "o-1:REFUND"),
            List.of("o-1:SHIP"),
            List.of("u-1:PAY", "o-1:PAY", "o-1:SHIP", "o-1:REFUND"));
    assertThat(byMachine).startsWith("sub-");
  }

  @Test
  void watchInstanceReturnsCurrentStateAndOnlyThatInstancesEvents() throws Exception {
    db.create("o-1", "order");
    db.create("o-2", "order");
    long paid = db.apply("o-1", "PAY", "paid", null).walOffset();

    JsonNode result = watch.call("WATCH_INSTANCE", "{\"instance_id\":\"o-1\"}");
    assertThat(result.get("subscription_id").asText()).startsWith("sub-");
    assertThat(result.get("instance_id").asText()).isEqualTo("o-1");
    assertThat(result.get("current_state").asText()).isEqualTo("paid");
    assertThat(result.get("current_wal_offset").asLong()).isEqualTo(paid);

    db.apply("o-2", "PAY", "paid", null);
    db.apply("o-1", "SHIP", "shipped", null);
    List<ObjectNode> frames = watch.frames();
    assertThat(frames).extracting(f -> f.get("event").asText()).containsExactly("SHIP");
  }

  @Test
  void watchInstanceDeliversExactlyTheTransitionsAfterTheReturnedState() throws Exception {
    db.create("o-1", "order");
    db.deferLookups(true);
    CompletableFuture<JsonNode> response =
        watch.start("WATCH_INSTANCE", "{\"instance_id\":\"o-1\"}");
    // Transitions race the state read: the first is in the state the lookup returns, the second
    // is not; both are notified while the lookup is still in flight.
    db.apply("o-1", "PAY", "paid", null);
    io.rstmdb.core.api.InstanceView seen = db.view("o-1");
    long shipped = db.apply("o-1", "SHIP", "shipped", null).walOffset();
    db.completeLookup(seen);

    JsonNode result = response.get();
    assertThat(result.get("current_state").asText()).isEqualTo("paid");
    assertThat(offsets(watch.frames())).containsExactly(shipped);
    long later = db.apply("o-1", "DONE", "done", null).walOffset();
    assertThat(offsets(watch.frames())).containsExactly(later);
  }

  @Test
  void watchInstanceWhoseLookupFailsLeavesNoRouteBehind() throws Exception {
    db.deferLookups(true);
    CompletableFuture<JsonNode> response =
        watch.start("WATCH_INSTANCE", "{\"instance_id\":\"o-9\"}");
    assertThat(watch.hub.activeSubscriptions(WatchKind.INSTANCE)).isEqualTo(1);
    db.deferLookups(false);
    db.completeLookupExceptionally(
        new RstmdbException(ErrorCode.INSTANCE_NOT_FOUND, "instance not found: o-9"));
    assertThat(response).isCompletedExceptionally();
    assertThat(watch.hub.activeSubscriptions(WatchKind.INSTANCE)).isZero();
    assertThat(watch.session.size()).isZero();
  }

  @Test
  void watchInstanceOfUnknownOrDeletedInstanceIsInstanceNotFound() throws Exception {
    db.create("o-1", "order");
    db.delete("o-1");
    for (String id : List.of("o-1", "nope")) {
      Throwable failure = watch.failure("WATCH_INSTANCE", "{\"instance_id\":\"" + id + "\"}");
      assertThat(failure).isInstanceOf(RstmdbException.class);
      assertThat(((RstmdbException) failure).code()).isEqualTo(ErrorCode.INSTANCE_NOT_FOUND);
    }
    assertThat(watch.session.size()).isZero();
  }

  @Test
  void badParamsAreBadRequest() throws Exception {
    List<String[]> cases =
        List.of(
            new String[] {"WATCH_INSTANCE", "{}"},
            new String[] {"WATCH_INSTANCE", "{\"instance_id\":7}"},
            new String[] {"WATCH_INSTANCE", "{\"instance_id\":\"o\",\"include_ctx\":\"yes\"}"},
            new String[] {"WATCH_INSTANCE", "{\"instance_id\":\"o\",\"from_offset\":-1}"},
            new String[] {"WATCH_INSTANCE", "{\"instance_id\":\"o\",\"from_offset\":1.5}"},
            new String[] {"WATCH_ALL", "{\"machines\":\"order\"}"},
            new String[] {"WATCH_ALL", "{\"events\":[1]}"},
            new String[] {"WATCH_ALL", "[1]"},
            new String[] {"UNWATCH", "{}"},
            new String[] {"UNWATCH", "{\"subscription_id\":false}"},
            new String[] {"PING", "{}"});
    for (String[] c : cases) {
      Throwable failure = watch.failure(c[0], c[1]);
      assertThat(failure).as(c[0] + " " + c[1]).isInstanceOf(RstmdbException.class);
      assertThat(((RstmdbException) failure).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    }
    assertThat(watch.session.size()).isZero();
  }

  @Test
  void fromOffsetReplaysHistoryThenContinuesLive() throws Exception {
    db.create("o-1", "order");
    db.apply("o-1", "A", "s1", null); // 1
    db.apply("o-1", "B", "s2", null); // 2
    db.apply("o-1", "C", "s3", null); // 3
    watch.call("WATCH_ALL", "{\"from_offset\":2}");
    db.apply("o-1", "D", "s4", null); // 4, notified while catching up: read from the WAL
    List<ObjectNode> first = watch.frames();
    db.apply("o-1", "E", "s5", null); // 5, live
    List<ObjectNode> second = watch.frames();

    assertThat(offsets(first)).containsExactly(2L, 3L, 4L);
    assertThat(offsets(second)).containsExactly(5L);
    assertThat(watch.session.subscriptions().get(0).isLive()).isTrue();
    // Catching up reads with a byte budget: unread watches replaying big records ran out of heap.
    assertThat(db.readBudgets()).isNotEmpty().containsOnly(WatchSession.READ_BYTES);
  }

  @Test
  void handOverWithLaggingNotificationsHasNoGapAndNoDuplicate() throws Exception {
    db.notifyMode(FakeDatabase.Notify.HELD);
    db.create("o-1", "order");
    for (int i = 0; i < 5; i++) {
      db.apply("o-1", "E" + i, "s" + i, null); // offsets 1..5, all durable
    }
    db.releaseNotifications(3); // the notification thread lags: only 1..3 notified so far
    watch.call("WATCH_ALL", "{\"from_offset\":1}");
    List<ObjectNode> replayed = watch.frames(); // read 1..5 from the WAL, then live
    db.apply("o-1", "E5", "s5", null); // 6
    db.releaseNotifications(); // 4 and 5 arrive late (duplicates), 6 is new
    List<ObjectNode> live = watch.frames();

    assertThat(offsets(replayed)).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(offsets(live)).containsExactly(6L);
  }

  @Test
  void historyWrittenBeforeTheHubExistedIsReplayedInFull() throws Exception {
    try (FakeDatabase restarted = new FakeDatabase(FakeDatabase.Notify.DIRECT)) {
      restarted.create("o-1", "order");
      for (int i = 0; i < 7; i++) {
        restarted.apply("o-1", "E" + i, "s" + i, null); // never notified to the new hub
      }
      try (EmbeddedWatch fresh = new EmbeddedWatch(restarted, new WatchSettings(4, 4, 2))) {
        fresh.call("WATCH_ALL", "{\"from_offset\":1}");
        List<ObjectNode> replayed = fresh.frames(); // read in chunks of 2
        long next = restarted.apply("o-1", "LIVE", "live", null).walOffset();
        List<ObjectNode> live = fresh.frames();

        assertThat(offsets(replayed)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(offsets(live)).containsExactly(next);
      }
    }
  }

  @Test
  void liveOnlyWatchStartedWhileNotificationsLagStillSeesEverythingAfterTheHead() throws Exception {
    db.create("o-1", "order");
    db.apply("o-1", "A", "s1", null); // 1, notified (lastNotified = 1)
    JsonNode result = watch.call("WATCH_ALL", null);
    long head = result.get("wal_offset").asLong();
    db.notifyMode(FakeDatabase.Notify.HELD);
    db.apply("o-1", "B", "s2", null); // 2 = head, held
    db.apply("o-1", "C", "s3", null);
    db.releaseNotifications();
    assertThat(offsets(watch.frames())).containsExactly(head, head + 1);
  }

  @Test
  void unwatchRemovesOnlyOwnSubscriptionsAndStopsEvents() throws Exception {
    db.create("o-1", "order");
    String sub = watch.call("WATCH_ALL", null).get("subscription_id").asText();
    watch.frames();

    JsonNode removed = watch.call("UNWATCH", "{\"subscription_id\":\"" + sub + "\"}");
    JsonNode again = watch.call("UNWATCH", "{\"subscription_id\":\"" + sub + "\"}");
    db.apply("o-1", "PAY", "paid", null);

    assertThat(removed.get("subscription_id").asText()).isEqualTo(sub);
    assertThat(removed.get("removed").asBoolean()).isTrue();
    assertThat(again.get("removed").asBoolean()).isFalse();
    assertThat(watch.frames()).isEmpty();
    assertThat(watch.hub.activeSubscriptions(WatchKind.ALL)).isZero();

    try (EmbeddedWatch other = new EmbeddedWatch(db)) {
      String foreign = other.call("WATCH_ALL", null).get("subscription_id").asText();
      JsonNode notMine = watch.call("UNWATCH", "{\"subscription_id\":\"" + foreign + "\"}");
      assertThat(notMine.get("removed").asBoolean()).isFalse();
      assertThat(other.session.size()).isEqualTo(1);
    }
  }

  @Test
  void watchFiltersAreBoundedInValuesAndCharacters() throws Exception {
    String atLimit = names(WatchAllParams.MAX_FILTER_VALUES, 1);
    assertThat(watch.call("WATCH_ALL", "{\"events\":" + atLimit + "}").has("subscription_id"))
        .isTrue();

    Throwable tooMany =
        watch.failure(
            "WATCH_ALL", "{\"events\":" + names(WatchAllParams.MAX_FILTER_VALUES + 1, 1) + "}");
    assertThat(((RstmdbException) tooMany).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(tooMany)
        .hasMessage(
            "invalid request: `events` lists 1025 values; a watch filter takes at most 1024");

    // 4 lists of 1,000 names of 20 characters: within the count, over the characters.
    String wide = names(1000, 20);
    Throwable tooLong =
        watch.failure(
            "WATCH_ALL",
            "{\"machines\":"
                + wide
                + ",\"from_states\":"
                + wide
                + ",\"to_states\":"
                + wide
                + ",\"events\":"
                + wide
                + "}");
    assertThat(((RstmdbException) tooLong).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(tooLong).hasMessageContaining("80000 characters; at most 65536 in all");
    assertThat(watch.session.size()).isEqualTo(1);
  }

  /** A JSON array of {@code count} distinct names, each {@code width} characters long. */
  private static String names(int count, int width) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      String name = "n" + i;
      out.append(i == 0 ? "" : ",")
          .append('"')
          .append(name)
          .append("x".repeat(Math.max(0, width - name.length())))
          .append('"');
    }
    return out.append(']').toString();
  }

  @Test
  void subscriptionsPerConnectionAreLimited() throws Exception {
    db.create("o-1", "order");
    try (EmbeddedWatch limited = new EmbeddedWatch(db, new WatchSettings(2, 16, 16))) {
      String first = limited.call("WATCH_ALL", null).get("subscription_id").asText();
      limited.call("WATCH_INSTANCE", "{\"instance_id\":\"o-1\"}");
      Throwable third = limited.failure("WATCH_ALL", null);
      assertThat(((RstmdbException) third).code()).isEqualTo(ErrorCode.BAD_REQUEST);
      assertThat(third).hasMessageContaining("max 2");

      limited.call("UNWATCH", "{\"subscription_id\":\"" + first + "\"}");
      // a failed lookup gives its slot back
      Throwable missing = limited.failure("WATCH_INSTANCE", "{\"instance_id\":\"nope\"}");
      assertThat(((RstmdbException) missing).code()).isEqualTo(ErrorCode.INSTANCE_NOT_FOUND);
      assertThat(limited.call("WATCH_ALL", null).has("subscription_id")).isTrue();
      assertThat(limited.session.size()).isEqualTo(2);
    }
  }

  @Test
  void aLimitOfZeroMeansNoLimit() throws Exception {
    try (EmbeddedWatch unlimited = new EmbeddedWatch(db, new WatchSettings(0, 16, 16))) {
      for (int i = 0; i < 100; i++) {
        unlimited.call("WATCH_ALL", null);
      }
      assertThat(unlimited.session.size()).isEqualTo(100);
    }
  }

  @Test
  void closingTheSessionEndsAllItsSubscriptions() throws Exception {
    db.create("o-1", "order");
    watch.call("WATCH_ALL", null);
    watch.call("WATCH_INSTANCE", "{\"instance_id\":\"o-1\"}");
    assertThat(watch.hub.activeSubscriptions(WatchKind.ALL)).isEqualTo(1);
    assertThat(watch.hub.activeSubscriptions(WatchKind.INSTANCE)).isEqualTo(1);

    watch.session.close();
    db.apply("o-1", "PAY", "paid", null);

    assertThat(watch.frames()).isEmpty();
    assertThat(watch.session.size()).isZero();
    assertThat(watch.hub.activeSubscriptions(WatchKind.ALL)).isZero();
    assertThat(watch.hub.activeSubscriptions(WatchKind.INSTANCE)).isZero();
  }

  @Test
  void watchCompletingAfterTheConnectionClosedLeavesNothingBehind() throws Exception {
    db.create("o-1", "order");
    watch.session.close();
    watch.call("WATCH_ALL", null);
    assertThat(watch.session.size()).isZero();
    assertThat(watch.hub.activeSubscriptions(WatchKind.ALL)).isZero();
  }

  @Test
  void nothingIsWrittenBeforeTheResponseCompletes() throws Exception {
    db.create("o-1", "order");
    db.apply("o-1", "A", "s1", null);
    CompletableFuture<JsonNode> response = watch.start("WATCH_ALL", "{\"from_offset\":1}");
    assertThat(response).isDone();
    assertThat((Object) watch.channel.readOutbound()).isNull(); // start() is still queued
    assertThat(watch.frames()).hasSize(1);
  }

  @Test
  void eventsWaitForTheResponseWrittenSignal() throws Exception {
    db.create("o-1", "order");
    db.apply("o-1", "A", "s1", null);
    CompletableFuture<Void> written = new CompletableFuture<>();
    JsonNode params = EmbeddedWatch.CODEC.mapper().readTree("{\"from_offset\":1}");
    CompletableFuture<JsonNode> response =
        watch.session.handle(new Request("9", "WATCH_ALL", params), written);
    db.apply("o-1", "B", "s2", null);

    assertThat(response).isDone();
    assertThat(watch.frames()).isEmpty();
    written.complete(null);
    assertThat(offsets(watch.frames())).containsExactly(1L, 2L);
  }

  @Test
  void aResponseThatIsNeverWrittenDropsTheSubscription() throws Exception {
    CompletableFuture<Void> written = new CompletableFuture<>();
    JsonNode params = EmbeddedWatch.CODEC.mapper().readTree("{}");
    watch.session.handle(new Request("9", "WATCH_ALL", params), written);
    written.completeExceptionally(new IllegalStateException("channel closed"));
    assertThat(watch.session.size()).isZero();
    assertThat(watch.hub.activeSubscriptions(WatchKind.ALL)).isZero();
  }

  @Test
  void fromOffsetBeyondTheHeadOrAlreadyCompactedIsRejected() throws Exception {
    db.create("o-1", "order");
    db.apply("o-1", "A", "s1", null);
    db.apply("o-1", "B", "s2", null);
    db.compactBefore(2);

    RstmdbException ahead = (RstmdbException) watch.failure("WATCH_ALL", "{\"from_offset\":9}");
    RstmdbException gone = (RstmdbException) watch.failure("WATCH_ALL", "{\"from_offset\":1}");

    assertThat(ahead.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(gone.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(gone.details()).containsEntry("oldest_offset", 2L);
    assertThat(watch.call("WATCH_ALL", "{\"from_offset\":2}").has("subscription_id")).isTrue();
  }

  @Test
  void forwardedCountsEveryEventFrameOfEverySubscriptionButNoErrorFrame() throws Exception {
    db.create("o-1", "order");
    db.apply("o-1", "A", "s1", null); // 1
    db.apply("o-1", "B", "s2", null); // 2
    watch.call("WATCH_ALL", "{\"from_offset\":1}"); // replays 1 and 2
    watch.call("WATCH_INSTANCE", "{\"instance_id\":\"o-1\"}");
    watch.frames();
    assertThat(watch.hub.eventsForwarded(WatchKind.ALL)).isEqualTo(2);
    assertThat(watch.hub.eventsForwarded(WatchKind.INSTANCE)).isZero();

    db.apply("o-1", "C", "s3", null); // one copy per subscription
    assertThat(watch.frames()).hasSize(2);
    assertThat(watch.hub.eventsForwarded(WatchKind.ALL)).isEqualTo(3);
    assertThat(watch.hub.eventsForwarded(WatchKind.INSTANCE)).isEqualTo(1);

    db.failReads(true);
    watch.call("WATCH_ALL", "{\"from_offset\":1}");
    List<ObjectNode> frames = watch.frames();
    assertThat(frames).singleElement().satisfies(f -> assertThat(f.has("error")).isTrue());
    assertThat(watch.hub.eventsForwarded(WatchKind.ALL)).isEqualTo(3);
  }

  @Test
  void isWatchingExactlyWhileASubscriptionIsOpen() throws Exception {
    db.create("o-1", "order");
    db.apply("o-1", "A", "s1", null);
    assertThat(watch.session.isWatching()).isFalse();

    String id = watch.call("WATCH_ALL", null).get("subscription_id").asText();
    assertThat(watch.session.isWatching()).isTrue();
    watch.call("UNWATCH", "{\"subscription_id\":\"" + id + "\"}");
    assertThat(watch.session.isWatching()).isFalse();

    db.failReads(true);
    watch.call("WATCH_ALL", "{\"from_offset\":1}");
    assertThat(watch.session.isWatching()).isTrue();
    watch.frames(); // the read fails: the server ends the subscription
    assertThat(watch.session.isWatching()).isFalse();

    watch.call("WATCH_INSTANCE", "{\"instance_id\":\"o-1\"}");
    assertThat(watch.session.isWatching()).isTrue();
    watch.session.close();
    assertThat(watch.session.isWatching()).isFalse();
  }

  @Test
  void hubRegistersOneListenerAndUnregistersOnClose() {
    assertThat(db.listenerCount()).isEqualTo(1);
    watch.hub.close();
    assertThat(db.listenerCount()).isZero();
  }
}
