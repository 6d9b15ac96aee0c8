package io.rstmdb.server.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watches through the real server (file WAL, Netty pipeline, auth gate, idle timeout, metrics
 * endpoint) and the RCP client.
 */
class WatchServerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORDER =
      "{\"states\":[\"created\",\"paid\",\"shipped\"],\"initial\":\"created\",\"transitions\":["
          + "{\"from\":[\"created\",\"paid\",\"shipped\"],\"event\":\"PAY\",\"to\":\"paid\"},"
          + "{\"from\":[\"created\",\"paid\",\"shipped\"],\"event\":\"SHIP\",\"to\":\"shipped\"}]}";

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

  private void start(UnaryOperator<ServerConfig> tweak) {
    server =
        RstmdbServer.builder(
                tweak.apply(ServerConfig.defaults().withDataDir(dir).withBind("127.0.0.1:0")))
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

  /** Collects events per subscription, in arrival order. */
  private static Map<String, List<ObjectNode>> collect(RcpClient client) {
    Map<String, List<ObjectNode>> events = new ConcurrentHashMap<>();
    client.onEvent(
        e ->
            events
                .computeIfAbsent(
                    e.path("subscription_id").asText(),
                    k -> Collections.synchronizedList(new ArrayList<>()))
                .add(e));
    return events;
  }

  private static List<Long> await(Map<String, List<ObjectNode>> events, String sub, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (events.getOrDefault(sub, List.of()).size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Thread.sleep(50);
    List<ObjectNode> got = events.getOrDefault(sub, List.of());
    synchronized (got) {
      return got.stream().map(e -> e.get("wal_offset").longValue()).toList();
    }
  }

  /** apply_event offsets from WAL_READ over the wire, optionally only one instance's. */
  private static List<Long> walApplyOffsets(RcpClient client, long from, String instance)
      throws Exception {
    List<Long> out = new ArrayList<>();
    long next = from;
    while (true) {
      JsonNode page = call(client, "WAL_READ", "{\"from_offset\":" + next + ",\"limit\":1000}");
      if (page.get("records").isEmpty()) {
        return out;
      }
      for (JsonNode record : page.get("records")) {
        JsonNode entry = record.get("entry");
        if (entry.get("type").asText().equals("apply_event")
            && (instance == null || entry.get("instance_id").asText().equals(instance))) {
          out.add(record.get("offset").asLong());
        }
      }
      next = page.get("next_offset").asLong();
    }
  }

  @Test
  void watchersOverTheWireSeeEveryTransitionOfConcurrentClientsInWalOrder() throws Exception {
    start(c -> c);
    RcpClient admin = client();
    call(
        admin, "PUT_MACHINE", "{\"machine\":\"order\",\"version\":1,\"definition\":" + ORDER + "}");
    for (int i = 0; i < 4; i++) {
      call(
          admin,
          "CREATE_INSTANCE",
          "{\"machine\":\"order\",\"version\":1,\"instance_id\":\"o-" + i + "\"}");
    }
    RcpClient watcher = client();
    Map<String, List<ObjectNode>> events = collect(watcher);
    JsonNode all = call(watcher, "WATCH_ALL", null);
    JsonNode one =
        call(
            watcher,
            "WATCH_INSTANCE",
            "{\"instance_id\":\"o-2\",\"include_ctx\":false,\"from_offset\":0}");
    assertThat(one.get("current_state").asText()).isEqualTo("created");

    List<CompletableFuture<JsonNode>> writes = new ArrayList<>();
    List<RcpClient> writers = List.of(client(), client());
    for (int n = 0; n < 400; n++) {
      RcpClient writer = writers.get(n % 2);
      String params =
          "{\"instance_id\":\"o-"
              + (n % 4)
              + "\",\"event\":\""
              + (n % 3 == 0 ? "SHIP" : "PAY")
              + "\",\"payload\":{\"n\":"
              + n
              + "}}";
      writes.add(writer.call("APPLY_EVENT", JSON.readTree(params)));
      if (n == 200) {
        // join mid-stream with a replay from the very beginning
        JsonNode replay = call(watcher, "WATCH_ALL", "{\"from_offset\":1}");
        writes.add(CompletableFuture.completedFuture(replay));
      }
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    String replaySub =
        writes.stream()
            .map(CompletableFuture::join)
            .filter(r -> r.has("subscription_id"))
            .findFirst()
            .orElseThrow()
            .get("subscription_id")
            .asText();

    String allSub = all.get("subscription_id").asText();
    List<Long> wantAll = walApplyOffsets(admin, all.get("wal_offset").asLong(), null);
    assertThat(wantAll).hasSize(400);
    assertThat(await(events, allSub, 400)).isEqualTo(wantAll);
    assertThat(await(events, replaySub, 400)).isEqualTo(walApplyOffsets(admin, 1, null));
    String oneSub = one.get("subscription_id").asText();
    assertThat(await(events, oneSub, 100))
        .isEqualTo(walApplyOffsets(admin, one.get("current_wal_offset").asLong() + 1, "o-2"));

    ObjectNode first = events.get(allSub).get(0);
    assertThat(first.get("machine").asText()).isEqualTo("order");
    assertThat(first.get("payload").get("n").isInt()).isTrue();
    assertThat(first.get("ctx").isObject()).isTrue();
    assertThat(events.get(oneSub).get(0).has("ctx")).isFalse();
  }

  @Test
  void theConfiguredSubscriptionLimitAndUnwatchApplyPerConnection() throws Exception {
    start(c -> c.withNetwork(c.network().withMaxSubscriptionsPerConnection(2)));
    RcpClient client = client();
    String first = call(client, "WATCH_ALL", null).get("subscription_id").asText();
    call(client, "WATCH_ALL", "{\"machines\":[\"order\"]}");
    assertThatThrownBy(() -> call(client, "WATCH_ALL", null))
        .hasStackTraceContaining("BAD_REQUEST");

    RcpClient other = client();
    JsonNode foreign = call(other, "UNWATCH", "{\"subscription_id\":\"" + first + "\"}");
    assertThat(foreign.get("removed").asBoolean()).isFalse();
    JsonNode mine = call(client, "UNWATCH", "{\"subscription_id\":\"" + first + "\"}");
    assertThat(mine.get("removed").asBoolean()).isTrue();
    assertThat(call(client, "WATCH_ALL", null).get("subscription_id").asText()).startsWith("sub-");
  }

  @Test
  void aPipelinedWatchIsAnsweredBeforeItsFirstEvent() throws Exception {
    start(c -> c);
    RcpClient admin = client();
    call(
        admin, "PUT_MACHINE", "{\"machine\":\"order\",\"version\":1,\"definition\":" + ORDER + "}");
    call(admin, "CREATE_INSTANCE", "{\"machine\":\"order\",\"version\":1,\"instance_id\":\"p\"}");
    call(admin, "APPLY_EVENT", "{\"instance_id\":\"p\",\"event\":\"PAY\"}");
    // A raw client records frames in arrival order on its I/O thread.
    io.netty.channel.EventLoopGroup group =
        new io.netty.channel.MultiThreadIoEventLoopGroup(
            1, io.netty.channel.nio.NioIoHandler.newFactory());
    try (SocketWatchClient raw = new SocketWatchClient(group, server.address(), 0)) {
      List<CompletableFuture<JsonNode>> watches = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        // a write that must wait for its fsync, then a watch that could stream at once
        raw.send("APPLY_EVENT", "{\"instance_id\":\"p\",\"event\":\"SHIP\"}");
        watches.add(raw.send("WATCH_ALL", "{\"from_offset\":1}"));
      }
      CompletableFuture.allOf(watches.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      Thread.sleep(200);
      List<String> arrivals = List.copyOf(raw.arrivals);
      for (CompletableFuture<JsonNode> watch : watches) {
        String sub = watch.join().get("subscription_id").asText();
        assertThat(arrivals.indexOf("event:" + sub)).isGreaterThan(-1);
        assertThat(arrivals.indexOf("response:" + sub))
            .as("response of %s before its first event", sub)
            .isLessThan(arrivals.indexOf("event:" + sub));
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /** A one-second idle timeout, and the metrics endpoint on a free port. */
  private void startWithIdleTimeoutAndMetrics() {
    start(
        c ->
            c.withNetwork(c.network().withIdleTimeoutSecs(1))
                .withMetrics(c.metrics().withEnabled(true).withBindAddr("127.0.0.1:0")));
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
  void aQuietWatcherOutlivesTheIdleTimeoutUntilItsLastUnwatch() throws Exception {
    startWithIdleTimeoutAndMetrics();
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
    startWithIdleTimeoutAndMetrics();
    RcpClient watcher = client();
    String sub = call(watcher, "WATCH_ALL", null).get("subscription_id").asText();
    call(watcher, "UNWATCH", "{\"subscription_id\":\"" + sub + "\"}");
    long start = System.nanoTime();

    assertThat(await(() -> !watcher.isOpen(), Duration.ofSeconds(5))).isTrue();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThan(500);
  }

  @Test
  void forwardedEventsShowOnTheServersMetricsEndpoint() throws Exception {
    startWithIdleTimeoutAndMetrics();
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
