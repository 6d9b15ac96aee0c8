package io.rstmdb.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.rstmdb.core.api.AppliedEvent;
import io.rstmdb.core.port.WalRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Watch streams over real sockets with a notification thread of its own: concurrent writers,
 * subscribers that join mid-stream (live and replaying), a reader that stalls, disconnects.
 */
class WatchStreamIT {
  private static final WalEventDecoder DECODER = new WalEventDecoder();

  private final FakeDatabase db = new FakeDatabase(FakeDatabase.Notify.ASYNC);
  private final EventLoopGroup clientGroup =
      new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    db.close();
  }

  private <T extends AutoCloseable> T track(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  private SocketWatchClient client(SocketWatchServer server, int receiveBuffer) throws Exception {
    return track(new SocketWatchClient(clientGroup, server.address(), receiveBuffer));
  }

  /** Offsets of the WAL's apply_event records at or after {@code from} that pass the filter. */
  private List<Long> expected(long from, Predicate<AppliedEvent> filter) {
    List<Long> out = new ArrayList<>();
    for (WalRecord record : db.records()) {
      Optional<AppliedEvent> event = DECODER.decode(record);
      if (record.offset() >= from && event.isPresent() && filter.test(event.get())) {
        out.add(record.offset());
      }
    }
    return out;
  }

  private static List<Long> offsets(List<ObjectNode> events) {
    return events.stream().map(e -> e.get("wal_offset").longValue()).toList();
  }

  private static void awaitCount(SocketWatchClient client, String sub, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (client.eventCount(sub) < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Thread.sleep(50); // a duplicate or stray event would show up now
  }

  private record Watcher(
      SocketWatchClient client, String sub, long from, Predicate<AppliedEvent> filter) {}

  @Test
  void everySubscriberSeesExactlyTheWalsMatchingSequenceUnderConcurrentWriters() throws Exception {
    SocketWatchServer server =
        track(
            new SocketWatchServer(db, new WatchSettings(8, 64, 100), WriteBufferWaterMark.DEFAULT));
    int instances = 8;
    for (int i = 0; i < instances; i++) {
      db.create("i-" + i, i % 2 == 0 ? "order" : "user");
    }
    List<Watcher> watchers = new ArrayList<>();
    SocketWatchClient early = client(server, 0);
    JsonNode all = early.call("WATCH_ALL", null);
    watchers.add(
        new Watcher(
            early, all.get("subscription_id").asText(), all.get("wal_offset").asLong(), e -> true));
    JsonNode filtered =
        early.call("WATCH_ALL", "{\"machines\":[\"order\"],\"events\":[\"A\",\"B\"]}");
    watchers.add(
        new Watcher(
            early,
            filtered.get("subscription_id").asText(),
            filtered.get("wal_offset").asLong(),
            e -> e.machine().equals("order") && (e.event().equals("A") || e.event().equals("B"))));
    SocketWatchClient single = client(server, 0);
    JsonNode one = single.call("WATCH_INSTANCE", "{\"instance_id\":\"i-3\",\"include_ctx\":false}");
    watchers.add(
        new Watcher(
            single,
            one.get("subscription_id").asText(),
            one.get("current_wal_offset").asLong() + 1,
            e -> e.instanceId().equals("i-3")));

    int writers = 4;
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      done.add(
          pool.submit(
              () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                // paced like a real write path, and capped so a slow machine cannot run away
                for (int n = 0; !stop.get() && n < 50_000; n++) {
                  String event = List.of("A", "B", "C").get(random.nextInt(3));
                  db.apply("i-" + random.nextInt(instances), event, "s" + (n % 10), null);
                  if (n % 3 == 2) {
                    Thread.sleep(1);
                  }
                }
                return null;
              }));
    }
    // Join while the writers are busy: a replay from the beginning, a live-only watch, and an
    // instance replay from an offset in the middle of the stream.
    while (db.walHead() < 1000) {
      Thread.sleep(1);
    }
    SocketWatchClient late = client(server, 0);
    JsonNode replay = late.call("WATCH_ALL", "{\"from_offset\":1}");
    watchers.add(new Watcher(late, replay.get("subscription_id").asText(), 1, e -> true));
    JsonNode liveLate = late.call("WATCH_ALL", "{\"to_states\":[\"s7\",\"s8\"]}");
    watchers.add(
        new Watcher(
            late,
            liveLate.get("subscription_id").asText(),
            liveLate.get("wal_offset").asLong(),
            e -> e.toState().equals("s7") || e.toState().equals("s8")));
    long middle = db.walHead() / 2;
    JsonNode instanceReplay =
        late.call("WATCH_INSTANCE", "{\"instance_id\":\"i-4\",\"from_offset\":" + middle + "}");
    watchers.add(
        new Watcher(
            late,
            instanceReplay.get("subscription_id").asText(),
            middle,
            e -> e.instanceId().equals("i-4")));

    long joinedAt = db.walHead();
    while (db.walHead() < joinedAt + 1500 && !done.stream().allMatch(Future::isDone)) {
      Thread.sleep(1);
    }
    stop.set(true);
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    db.awaitNotifications();

    for (Watcher watcher : watchers) {
      List<Long> want = expected(watcher.from(), watcher.filter());
      awaitCount(watcher.client(), watcher.sub(), want.size());
      List<ObjectNode> got = watcher.client().events(watcher.sub());
      assertThat(offsets(got)).as("subscription from %d", watcher.from()).isEqualTo(want);
      assertThat(want)
          .as("watcher %d from %d", watchers.indexOf(watcher), watcher.from())
          .isNotEmpty();
      List<String> arrivals = List.copyOf(watcher.client().arrivals);
      assertThat(arrivals.indexOf("response:" + watcher.sub()))
          .as("response before the first event")
          .isLessThan(arrivals.indexOf("event:" + watcher.sub()));
    }
    // Events carry what the WAL says, ctx only where asked for.
    ObjectNode sample = single.events(watchers.get(2).sub()).get(0);
    assertThat(sample.has("ctx")).isFalse();
    assertThat(early.events(watchers.get(0).sub()).get(0).has("ctx")).isTrue();
  }

  @Test
  void aStalledReaderKeepsMemoryBoundedAndGetsEveryEventAfterResuming() throws Exception {
    int queue = 16;
    WriteBufferWaterMark watermark = new WriteBufferWaterMark(2 * 1024, 4 * 1024);
    SocketWatchServer server =
        track(new SocketWatchServer(db, new WatchSettings(4, queue, 50), watermark));
    db.create("o-1", "order");
    SocketWatchClient slow = client(server, 4 * 1024);
    JsonNode result = slow.call("WATCH_ALL", null);
    String sub = result.get("subscription_id").asText();
    long from = result.get("wal_offset").asLong();
    Subscription subscription = server.sessions.get(0).subscriptions().get(0);
    Channel serverSide = server.channels.get(0);

    slow.autoRead(false);
    AtomicLong maxPending = new AtomicLong();
    int total = 3000;
    for (int i = 0; i < total; i++) {
      db.apply("o-1", "E" + i, "s" + (i % 10), null);
      if (i % 100 == 0) {
        long pending =
            serverSide
                .eventLoop()
                .submit(() -> serverSide.unsafe().outboundBuffer().totalPendingWriteBytes())
                .get();
        maxPending.accumulateAndGet(pending, Math::max);
      }
    }
    db.awaitNotifications();
    Thread.sleep(100);
    int receivedWhileStalled = slow.eventCount(sub);

    assertThat(subscription.maxQueued()).isLessThanOrEqualTo(queue);
    assertThat(subscription.fallbacks()).isGreaterThan(0);
    // Netty holds at most the high watermark plus one frame; the rest stays in the WAL.
    assertThat(maxPending.get()).isLessThan(watermark.high() + 1024);
    assertThat(receivedWhileStalled).isLessThan(total);

    slow.autoRead(true);
    List<Long> want = expected(from, e -> true);
    awaitCount(slow, sub, want.size());
    assertThat(offsets(slow.events(sub))).isEqualTo(want);
    assertThat(want).hasSize(total);
  }

  @Test
  void disconnectEndsEveryWatchOfTheConnection() throws Exception {
    SocketWatchServer server =
        track(
            new SocketWatchServer(db, new WatchSettings(4, 64, 100), WriteBufferWaterMark.DEFAULT));
    db.create("o-1", "order");
    SocketWatchClient client = client(server, 0);
    client.call("WATCH_ALL", null);
    client.call("WATCH_INSTANCE", "{\"instance_id\":\"o-1\"}");
    assertThat(server.hub().activeSubscriptions(WatchKind.ALL)).isEqualTo(1);
    assertThat(server.hub().activeSubscriptions(WatchKind.INSTANCE)).isEqualTo(1);

    client.close();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.hub().activeSubscriptions(WatchKind.ALL)
                + server.hub().activeSubscriptions(WatchKind.INSTANCE)
            > 0
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(server.hub().activeSubscriptions(WatchKind.ALL)).isZero();
    assertThat(server.hub().activeSubscriptions(WatchKind.INSTANCE)).isZero();
    db.apply("o-1", "PAY", "paid", null); // nobody left to notify; must not fail
    db.awaitNotifications();
  }
}
