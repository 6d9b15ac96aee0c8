package io.rstmdb.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.protocol.client.ClientOptions;
import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.server.RstmdbServer;
import io.rstmdb.server.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watching connection as the whole server treats it: the idle timeout and the metrics endpoint.
 */
class WatchConnectionIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORDER =
      "{\"states\":[\"created\",\"paid\"],\"initial\":\"created\","
          + "\"transitions\":[{\"from\":\"created\",\"event\":\"PAY\",\"to\":\"paid\"}]}";

  @TempDir Path dir;
  private RstmdbServer server;
  private final List<RcpClient> clients = new ArrayList<>();

  @AfterEach
  void tearDown() {
    clients.forEach(RcpClient::close);
    if (server != null) {
      server.close();
    }
  }

  private void start() {
    ServerConfig defaults = ServerConfig.defaults().withDataDir(dir).withBind("127.0.0.1:0");
    server =
        RstmdbServer.builder(
                defaults
                    .withNetwork(defaults.network().withIdleTimeoutSecs(1))
                    .withMetrics(defaults.metrics().withEnabled(true).withBindAddr("127.0.0.1:0")))
            .start();
  }

  private RcpClient client() throws Exception {
    RcpClient client =
        RcpClient.connect(
                ClientOptions.of("127.0.0.1", server.address().getPort())
                    .withRequestTimeout(Duration.ofSeconds(10)))
            .get(10, TimeUnit.SECONDS);
    clients.add(client);
    return client;
  }

  private static JsonNode call(RcpClient client, String op, String params) throws Exception {
    return client.call(op, params == null ? null : JSON.readTree(params)).get(10, TimeUnit.SECONDS);
  }

  private void applyOnePay(String instance) throws Exception {
    RcpClient admin = client();
    call(
        admin, "PUT_MACHINE", "{\"machine\":\"order\",\"version\":1,\"definition\":" + ORDER + "}");
    call(
        admin,
        "CREATE_INSTANCE",
        "{\"machine\":\"order\",\"version\":1,\"instance_id\":\"" + instance + "\"}");
    call(admin, "APPLY_EVENT", "{\"instance_id\":\"" + instance + "\",\"event\":\"PAY\"}");
  }

  private static boolean await(BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  @Test
  @Disabled("needs SessionHandler change, see report")
  void aQuietWatcherOutlivesTheIdleTimeoutUntilItsLastUnwatch() throws Exception {
    start();
    RcpClient watcher = client();
    List<ObjectNode> events = new CopyOnWriteArrayList<>();
    watcher.onEvent(events::add);
    String sub = call(watcher, "WATCH_ALL", null).get("subscription_id").asText();

    // Three idle periods without a byte in either direction.
    Thread.sleep(3_000);
    assertThat(watcher.isOpen()).as("a watching connection is not idle").isTrue();
    applyOnePay("o-quiet");
    assertThat(await(() -> events.size() == 1, Duration.ofSeconds(10))).isTrue();

    call(watcher, "UNWATCH", "{\"subscription_id\":\"" + sub + "\"}");
    assertThat(await(() -> !watcher.isOpen(), Duration.ofSeconds(5)))
        .as("without subscriptions the idle timeout applies again")
        .isTrue();
  }

  @Test
  void aConnectionWhoseSubscriptionsEndedIsClosedWhenIdle() throws Exception {
    start();
    RcpClient watcher = client();
    String sub = call(watcher, "WATCH_ALL", null).get("subscription_id").asText();
    call(watcher, "UNWATCH", "{\"subscription_id\":\"" + sub + "\"}");
    long start = System.nanoTime();

    assertThat(await(() -> !watcher.isOpen(), Duration.ofSeconds(5))).isTrue();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThan(500);
  }

  @Test
  @Disabled("needs the MetricsModule line (WatchMetrics), see report")
  void forwardedEventsShowOnTheServersMetricsEndpoint() throws Exception {
    start();
    RcpClient watcher = client();
    List<ObjectNode> events = new CopyOnWriteArrayList<>();
    watcher.onEvent(events::add);
    call(watcher, "WATCH_ALL", null);
    call(watcher, "WATCH_ALL", "{\"machines\":[\"order\"]}");
    applyOnePay("o-counted"); // one event, two subscriptions: two frames
    assertThat(await(() -> events.size() == 2, Duration.ofSeconds(10))).isTrue();

    int port = server.metricsAddress().orElseThrow().getPort();
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(body)
        .contains("rstmdb_events_forwarded_total{type=\"all\"} 2.0")
        .contains("rstmdb_subscriptions_active{type=\"all\"} 2");
  }
}
