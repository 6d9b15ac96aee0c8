package io.rstmdb.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.rstmdb.server.metrics.MetricsHttpServer;
import io.rstmdb.server.metrics.WatchMetrics;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code rstmdb_events_forwarded_total} as Prometheus scrapes it: events reach watchers over real
 * sockets, the counter is read through the metrics endpoint.
 */
class WatchMetricsIT {
  private final FakeDatabase db = new FakeDatabase(FakeDatabase.Notify.ASYNC);
  private final EventLoopGroup clientGroup =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

  @AfterEach
  void tearDown() {
    clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    db.close();
  }

  private static String scrape(MetricsHttpServer http) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http.address().getPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static String forwarded(String body, String type) {
    String series = "rstmdb_events_forwarded_total{type=\"" + type + "\"} ";
    return body.lines()
        .filter(l -> l.startsWith(series))
        .findFirst()
        .map(l -> l.substring(series.length()))
        .orElseThrow(() -> new AssertionError("no " + series + "in\n" + body));
  }

  @Test
  void forwardedEventsAreCountedPerSubscriptionCopyReplayedAndLive() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (SocketWatchServer server =
            new SocketWatchServer(
                db, WatchSettings.withMaxSubscriptions(8), WriteBufferWaterMark.DEFAULT);
        MetricsHttpServer http =
            MetricsHttpServer.start(new InetSocketAddress("127.0.0.1", 0), registry);
        SocketWatchClient client = new SocketWatchClient(clientGroup, server.address(), 0)) {
      new WatchMetrics(server.hub()).bindTo(registry);
      assertThat(forwarded(scrape(http), "all")).isEqualTo("0.0");

      db.create("o-1", "order");
      db.apply("o-1", "PAY", "paid", null);
      String replay =
          client.call("WATCH_ALL", "{\"from_offset\":1}").get("subscription_id").asText();
      String one =
          client
              .call("WATCH_INSTANCE", "{\"instance_id\":\"o-1\"}")
              .get("subscription_id")
              .asText();
      db.apply("o-1", "SHIP", "shipped", null); // one copy for each subscription
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (client.eventCount(replay) + client.eventCount(one) < 3
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(client.eventCount(replay)).isEqualTo(2);
      assertThat(client.eventCount(one)).isEqualTo(1);

      String body = scrape(http);
      assertThat(forwarded(body, "all")).isEqualTo("2.0");
      assertThat(forwarded(body, "instance")).isEqualTo("1.0");
      assertThat(body)
          .contains("# TYPE rstmdb_events_forwarded_total counter")
          .contains("rstmdb_subscriptions_active{type=\"all\"} 1")
          .contains("rstmdb_subscriptions_active{type=\"instance\"} 1");
    }
  }
}
