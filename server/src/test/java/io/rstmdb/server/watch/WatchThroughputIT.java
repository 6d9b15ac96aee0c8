package io.rstmdb.server.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Rough throughput numbers for the report, over loopback TCP with the scripted database. Runs only
 * with {@code -Drstmdb.watch.measure=true}; it still checks that every event arrived.
 */
class WatchThroughputIT {
  private static final int REPLAY_EVENTS = 100_000;
  private static final int LIVE_EVENTS = 50_000;
  private static final int SUBSCRIBERS = 8;

  private static void awaitAll(List<SocketWatchClient> clients, List<String> subs, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    for (int i = 0; i < clients.size(); i++) {
      while (clients.get(i).eventCount(subs.get(i)) < count && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertThat(clients.get(i).eventCount(subs.get(i))).isEqualTo(count);
    }
  }

  @Test
  void replayAndLiveFanOut() throws Exception {
    assumeTrue(Boolean.getBoolean("rstmdb.watch.measure"), "measurement only on request");
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    try (FakeDatabase db = new FakeDatabase(FakeDatabase.Notify.DIRECT)) {
      db.create("o-1", "order");
      for (int i = 0; i < REPLAY_EVENTS; i++) {
        db.apply("o-1", "E", "s", null);
      }
      try (SocketWatchServer server =
              new SocketWatchServer(
                  db, WatchSettings.withMaxSubscriptions(4), WriteBufferWaterMark.DEFAULT);
          SocketWatchClient client = new SocketWatchClient(group, server.address(), 0)) {
        long start = System.nanoTime();
        String sub =
            client.call("WATCH_ALL", "{\"from_offset\":1}").get("subscription_id").asText();
        awaitAll(List.of(client), List.of(sub), REPLAY_EVENTS);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "MEASURE replay: %d events from the WAL to one subscriber in %.2f s = %.0f events/s%n",
            REPLAY_EVENTS, seconds, REPLAY_EVENTS / seconds);
      }
    }
    try (FakeDatabase db = new FakeDatabase(FakeDatabase.Notify.ASYNC);
        SocketWatchServer server =
            new SocketWatchServer(
                db, WatchSettings.withMaxSubscriptions(4), WriteBufferWaterMark.DEFAULT)) {
      db.create("o-1", "order");
      List<SocketWatchClient> clients = new ArrayList<>();
      List<String> subs = new ArrayList<>();
      for (int i = 0; i < SUBSCRIBERS; i++) {
        SocketWatchClient client = new SocketWatchClient(group, server.address(), 0);
        clients.add(client);
        subs.add(
            client.call("WATCH_ALL", "{\"include_ctx\":false}").get("subscription_id").asText());
      }
      long start = System.nanoTime();
      for (int i = 0; i < LIVE_EVENTS; i++) {
        db.apply("o-1", "E", "s", null);
      }
      awaitAll(clients, subs, LIVE_EVENTS);
      double seconds = (System.nanoTime() - start) / 1e9;
      long fallbacks =
          server.sessions.stream()
              .flatMap(s -> s.subscriptions().stream())
              .mapToLong(Subscription::fallbacks)
              .sum();
      System.out.printf(
          "MEASURE live: %d events x %d subscribers in %.2f s = %.0f deliveries/s"
              + " (%d fallbacks to the WAL)%n",
          LIVE_EVENTS, SUBSCRIBERS, seconds, LIVE_EVENTS * SUBSCRIBERS / seconds, fallbacks);
      clients.forEach(SocketWatchClient::close);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
