package io.rstmdb.protocol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.rstmdb.protocol.ErrorCode;
import io.rstmdb.protocol.WireMode;
import io.rstmdb.protocol.frame.WireCodecs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RcpClientIT {

  private FakeRcpServer server;
  private final List<RcpClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = FakeRcpServer.start();
  }

  @AfterEach
  void stop() {
    clients.forEach(RcpClient::close);
    server.close();
  }

  @Test
  void helloNegotiatesAndCallsReturnTheResultObject() throws Exception {
    RcpClient client = connect(options());
    assertThat(client.hello().path("server_name").asText()).isEqualTo("fake");
    assertThat(client.wireMode()).isEqualTo(WireMode.BINARY_JSON);

    JsonNode hello = server.received.get(0).params();
    assertThat(server.received.get(0).id()).isEqualTo("1");
    assertThat(hello.path("protocol_version").asInt()).isEqualTo(1);
    assertThat(hello.path("client_name").asText()).isEqualTo("it-client");
    assertThat(hello.path("wire_modes").toString()).isEqualTo("[\"binary_json\"]");
    assertThat(hello.path("features").toString()).isEqualTo("[\"idempotency\",\"batch\"]");

    ObjectNode params = client.codec().mapper().createObjectNode().put("x", "ü\n");
    JsonNode result = client.call("ECHO", params).get(5, TimeUnit.SECONDS);
    assertThat(result.path("echo")).isEqualTo(params);
    assertThat(server.received.get(1).id()).isEqualTo("2");
    assertThat(client.call("ECHO", null).get(5, TimeUnit.SECONDS).path("echo").size()).isZero();
  }

  @Test
  void sendsAuthWhenATokenIsSet() throws Exception {
    connect(options().withToken("secret"));
    assertThat(server.ops()).containsExactly("HELLO", "AUTH");
    JsonNode auth = server.received.get(1).params();
    assertThat(auth.path("method").asText()).isEqualTo("bearer");
    assertThat(auth.path("token").asText()).isEqualTo("secret");
  }

  @Test
  void refusedAuthFailsTheConnectFuture() {
    CompletableFuture<RcpClient> connecting = RcpClient.connect(options().withToken("wrong"));
    assertThatThrownBy(() -> connecting.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            RcpErrorException.class,
            e -> {
              assertThat(e.error().code()).isEqualTo(ErrorCode.AUTH_FAILED);
              assertThat(e.codeName()).isEqualTo("AUTH_FAILED");
            });
  }

  @Test
  void matchesResponsesThatArriveOutOfOrder() throws Exception {
    RcpClient client = connect(options());
    CompletableFuture<JsonNode> held = client.call("HOLD", null);
    CompletableFuture<JsonNode> release = client.call("RELEASE", null);
    assertThat(release.get(5, TimeUnit.SECONDS).path("released").asBoolean()).isTrue();
    assertThat(held.get(5, TimeUnit.SECONDS).path("held").asBoolean()).isTrue();
  }

  @Test
  void pipelinesManyCallsWithoutWaiting() throws Exception {
    RcpClient client = connect(options());
    List<CompletableFuture<JsonNode>> futures = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      futures.add(client.call("ECHO", client.codec().mapper().createObjectNode().put("i", i)));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    for (int i = 0; i < futures.size(); i++) {
      assertThat(futures.get(i).join().path("echo").path("i").asInt()).isEqualTo(i);
    }
  }

  @Test
  void deliversEventsInOrderOnTheIoThread() throws Exception {
    RcpClient client = connect(options());
    List<Integer> seen = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    client.onEvent(
        event -> {
          seen.add(event.path("n").asInt());
          threads.add(Thread.currentThread().getName());
          assertThat(event.path("type").asText()).isEqualTo("event");
        });
    client.onEvent(
        event -> {
          throw new IllegalStateException("a broken listener");
        });
    CompletableFuture<?> last = null;
    for (int n = 0; n < 100; n++) {
      last = client.call("EMIT", client.codec().mapper().createObjectNode().put("n", n));
    }
    last.get(5, TimeUnit.SECONDS);
    assertThat(seen).hasSize(100);
    assertThat(seen).isSorted();
    assertThat(threads).doesNotContain(Thread.currentThread().getName());
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void errorResponsesFailOnlyTheirCall() throws Exception {
    RcpClient client = connect(options());
    CompletableFuture<JsonNode> failing = client.call("FAIL", null);
    assertThatThrownBy(() -> failing.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            RcpErrorException.class,
            e -> {
              assertThat(e.error().code()).isEqualTo(ErrorCode.CONFLICT);
              assertThat(e.retryable()).isFalse();
              assertThat(e.requestId()).isEqualTo("2");
              assertThat(e.getMessage()).contains("state conflict");
            });
    assertThat(client.call("ECHO", null).get(5, TimeUnit.SECONDS).has("echo")).isTrue();
  }

  @Test
  void sendWritesThePreparedParamsAndReportsOnlyTheOutcome() throws Exception {
    RcpClient client = connect(options());
    ObjectNode params = client.codec().mapper().createObjectNode().put("b", 2).put("a", "ü");
    PreparedRequest echo = PreparedRequest.of("ECHO", params);
    params.put("c", 3); // prepared before: not sent

    assertThat(client.send(echo).get(5, TimeUnit.SECONDS)).isNull();
    assertThat(client.send(echo).get(5, TimeUnit.SECONDS)).isNull();
    assertThat(server.received.get(1).op()).isEqualTo("ECHO");
    assertThat(server.received.get(1).params().toString()).isEqualTo("{\"a\":\"ü\",\"b\":2}");
    assertThat(server.received.get(2).id()).isEqualTo("3");
    assertThat(echo.params().has("c")).isFalse();

    assertThatThrownBy(() -> client.send(PreparedRequest.of("FAIL", null)).get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            RcpErrorException.class,
            e -> assertThat(e.error().code()).isEqualTo(ErrorCode.CONFLICT));
    // A plain call on the same connection still gets its result.
    assertThat(client.call("ECHO", params).get(5, TimeUnit.SECONDS).path("echo").path("c").asInt())
        .isEqualTo(3);
  }

  @Test
  void unknownErrorCodesKeepTheirName() throws Exception {
    RcpClient client = connect(options());
    assertThatThrownBy(() -> client.call("ODD_CODE", null).get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            RcpErrorException.class,
            e -> {
              assertThat(e.codeName()).isEqualTo("REPLICATION_ERROR");
              assertThat(e.details().path("hint").asText()).isEqualTo("h");
              assertThat(e.error().details()).containsKey("hint");
              assertThat(e.error().code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
            });
  }

  @Test
  void closeByTheServerFailsEveryPendingCallAndRunsCloseListeners() throws Exception {
    RcpClient client = connect(options());
    CountDownLatch closed = new CountDownLatch(1);
    client.onClose(closed::countDown);
    CompletableFuture<JsonNode> silent1 = client.call("SILENT", null);
    CompletableFuture<JsonNode> silent2 = client.call("SILENT", null);
    client.call("DROP", null);
    for (CompletableFuture<JsonNode> f : List.of(silent1, silent2)) {
      assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(RcpConnectionException.class);
    }
    assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(client.isOpen()).isFalse();
    assertThatThrownBy(() -> client.call("ECHO", null).get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(RcpConnectionException.class);
  }

  @Test
  void callsRacingWithAServerCloseAllFailAndNettyLogsNothingSevere() throws Exception {
    // Netty logs through java.util.logging here; a listener it cannot notify is logged as SEVERE.
    Logger netty = Logger.getLogger("io.netty");
    List<LogRecord> severe = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
              severe.add(record);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    netty.addHandler(capture);
    try {
      for (int round = 0; round < 40; round++) {
        // No request timeout: a call the close misses would wait forever, not fail on its own.
        RcpClient client = connect(options().withRequestTimeout(Duration.ZERO));
        List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
        calls.add(client.call("DROP", null));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int afterClose = 0;
        // Bounded by count too: the client can queue calls far faster than the server gets to
        // the DROP, and a round of millions of them took a minute without making the race likelier.
        while (afterClose < 20 && calls.size() < 20_000 && System.nanoTime() < deadline) {
          calls.add(client.call("SILENT", null));
          if (!client.isOpen()) {
            afterClose++;
          }
        }
        for (CompletableFuture<JsonNode> call : calls) {
          assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS))
              .isNotInstanceOf(TimeoutException.class)
              .cause()
              .isInstanceOf(RcpConnectionException.class);
        }
        client.close();
      }
    } finally {
      netty.removeHandler(capture);
    }
    assertThat(severe).extracting(LogRecord::getMessage).isEmpty();
  }

  @Test
  void connectionLevelErrorBecomesTheCloseReason() throws Exception {
    RcpClient client = connect(options());
    CompletableFuture<JsonNode> pending = client.call("SILENT", null);
    client.call("FRAMING", null);
    assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(RcpConnectionException.class)
        .hasMessageContaining("bad magic");
  }

  @Test
  void requestTimeoutFailsTheCallButKeepsTheConnection() throws Exception {
    RcpClient client = connect(options().withRequestTimeout(Duration.ofMillis(150)));
    assertThatThrownBy(() -> client.call("SILENT", null).get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(RcpConnectionException.class)
        .hasMessageContaining("timed out");
    assertThat(client.call("ECHO", null).get(5, TimeUnit.SECONDS).has("echo")).isTrue();
  }

  @Test
  void closeSendsByeAndFailsPendingCalls() throws Exception {
    RcpClient client = connect(options());
    CompletableFuture<JsonNode> pending = client.call("SILENT", null);
    client.close();
    assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(RcpConnectionException.class);
    waitUntil(() -> server.ops().contains("BYE"));
    assertThat(server.ops()).endsWith("BYE");
  }

  @Test
  void jsonlModeIsUsedBothWaysAfterHello() throws Exception {
    RcpClient client = connect(options().withWireMode(WireMode.JSONL));
    assertThat(client.wireMode()).isEqualTo(WireMode.JSONL);
    assertThat(server.received.get(0).params().path("wire_modes").toString())
        .isEqualTo("[\"jsonl\"]");
    JsonNode result =
        client
            .call("ECHO", client.codec().mapper().createObjectNode().put("k", "v"))
            .get(5, TimeUnit.SECONDS);
    assertThat(result.path("echo").path("k").asText()).isEqualTo("v");
    assertThat(WireCodecs.currentMode(server.connections.get(0).pipeline()))
        .isEqualTo(WireMode.JSONL);
  }

  @Test
  void jsonlRequestAnsweredInBinaryStaysBinary() throws Exception {
    try (FakeRcpServer binaryOnly = FakeRcpServer.startBinaryOnly()) {
      RcpClient client =
          connect(ClientOptions.of("127.0.0.1", binaryOnly.port()).withWireMode(WireMode.JSONL));
      assertThat(client.wireMode()).isEqualTo(WireMode.BINARY_JSON);
      assertThat(client.call("ECHO", null).get(5, TimeUnit.SECONDS).has("echo")).isTrue();
      client.close();
    }
  }

  @Test
  void connectionRefusedFailsWithAConnectionException() throws Exception {
    int port = server.port();
    server.close();
    CompletableFuture<RcpClient> connecting =
        RcpClient.connect(ClientOptions.of("127.0.0.1", port));
    assertThatThrownBy(() -> connecting.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(RcpConnectionException.class)
        .hasMessageContaining("127.0.0.1:" + port);
    server = FakeRcpServer.start();
  }

  @Test
  void acceptsAHostName() throws Exception {
    RcpClient client = connect(ClientOptions.of("localhost", server.port()));
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void clientsCanShareOneEventLoopGroup() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      RcpClient a = connect(options().withEventLoopGroup(group));
      RcpClient b = connect(options().withEventLoopGroup(group));
      a.close();
      assertThat(group.isShuttingDown()).isFalse();
      assertThat(b.call("ECHO", null).get(5, TimeUnit.SECONDS).has("echo")).isTrue();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  @Test
  void aServerThatNeverAnswersHelloFailsConnectWithinTheConnectTimeout() {
    server.helloDelayMillis = -1;
    long start = System.nanoTime();
    // The request timeout off: before, only it bounded the handshake, so connect() hung forever.
    CompletableFuture<RcpClient> connecting =
        RcpClient.connect(
            options().withConnectTimeout(Duration.ofMillis(300)).withRequestTimeout(Duration.ZERO));
    assertThatThrownBy(() -> connecting.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(RcpConnectionException.class)
        .hasMessageContaining("no answer to HELLO within 300 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aZeroConnectTimeoutMeansNoLimitNotAnImmediateFailure() throws Exception {
    server.helloDelayMillis = 300;
    RcpClient client = connect(options().withConnectTimeout(Duration.ZERO));
    assertThat(client.hello().path("server_name").asText()).isEqualTo("fake");
  }

  @Test
  void aConnectTheCallerGivesUpOnClosesItsConnection() throws Exception {
    server.helloDelayMillis = 600;
    CompletableFuture<RcpClient> connecting =
        RcpClient.connect(options()).orTimeout(100, TimeUnit.MILLISECONDS);
    assertThatThrownBy(() -> connecting.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(TimeoutException.class);
    waitUntil(() -> !server.connections.isEmpty());
    // HELLO is answered after the caller gave up; the connection must not stay open behind it.
    Thread.sleep(800);
    waitUntil(() -> server.connections.stream().noneMatch(c -> c.isActive()));
  }

  @Test
  void aCancelledConnectClosesItsConnection() throws Exception {
    server.helloDelayMillis = -1;
    CompletableFuture<RcpClient> connecting = RcpClient.connect(options());
    waitUntil(() -> !server.received.isEmpty()); // HELLO sent, never answered
    connecting.cancel(false);
    waitUntil(() -> server.connections.stream().noneMatch(c -> c.isActive()));
  }

  @Test
  void listenersThatThrowErrorsAffectNeitherTheConnectionNorOtherListeners() throws Exception {
    RcpClient client = connect(options());
    List<JsonNode> seen = new CopyOnWriteArrayList<>();
    client.onEvent(
        e -> {
          throw new AssertionError("a test's assertion inside a listener");
        });
    client.onEvent(seen::add);
    client
        .call("EMIT", client.codec().mapper().createObjectNode().put("n", 1))
        .get(5, TimeUnit.SECONDS);
    waitUntil(() -> seen.size() == 1);
    assertThat(client.isOpen()).isTrue();
    assertThat(client.call("ECHO", null).get(5, TimeUnit.SECONDS).has("echo")).isTrue();

    CountDownLatch second = new CountDownLatch(1);
    client.onClose(
        () -> {
          throw new AssertionError("broken close listener");
        });
    client.onClose(second::countDown);
    client.call("DROP", null);
    assertThat(second.await(5, TimeUnit.SECONDS)).as("the second close listener ran").isTrue();
    // Registered after the close, it runs at once; what it throws stays with the client too.
    client.onClose(
        () -> {
          throw new IllegalStateException("late and broken");
        });
  }

  @Test
  void aConnectionLevelErrorIsTheCauseOfTheCallsItFailed() throws Exception {
    RcpClient client = connect(options());
    CompletableFuture<JsonNode> pending = client.call("SILENT", null);
    client.call("FRAMING", null);
    ExecutionException failed =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> pending.get(5, TimeUnit.SECONDS));
    assertThat(failed.getCause()).isInstanceOf(RcpConnectionException.class);
    assertThat(failed.getCause().getCause())
        .isInstanceOfSatisfying(
            RcpErrorException.class,
            e -> {
              assertThat(e.codeName()).isEqualTo("BAD_REQUEST");
              assertThat(e.requestId()).isNull();
            });
  }

  @Test
  void aCallMadeAfterAConnectionLevelErrorAlsoCarriesIt() throws Exception {
    RcpClient client = connect(options());
    client.call("FRAMING", null);
    waitUntil(() -> !client.isOpen());
    // A caller that retries after the close must see the same reason as the calls it ended.
    ExecutionException failed =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> client.call("ECHO", null).get(5, TimeUnit.SECONDS));
    assertThat(failed.getCause()).isInstanceOf(RcpConnectionException.class);
    assertThat(failed.getCause().getCause())
        .isInstanceOfSatisfying(
            RcpErrorException.class, e -> assertThat(e.codeName()).isEqualTo("BAD_REQUEST"));
  }

  @Test
  void closeFromTwoThreadsSendsOneBye() throws Exception {
    RcpClient client = connect(options());
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> closers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                client.close();
              });
      t.start();
      closers.add(t);
    }
    go.countDown();
    for (Thread t : closers) {
      t.join(10_000);
    }
    assertThat(client.isOpen()).isFalse();
    waitUntil(() -> server.connections.stream().noneMatch(c -> c.isActive()));
    assertThat(server.ops().stream().filter("BYE"::equals).count()).isEqualTo(1);
  }

  @Test
  void aClientClosedFromACallbackIsNoLongerOpen() throws Exception {
    RcpClient client = connect(options());
    CompletableFuture<Boolean> openAfterClose =
        client
            .call("ECHO", null)
            .thenApply(
                r -> {
                  client.close(); // on the I/O thread: does not wait for the socket
                  return client.isOpen();
                });
    assertThat(openAfterClose.get(5, TimeUnit.SECONDS)).isFalse();
  }

  private ClientOptions options() {
    return ClientOptions.of("127.0.0.1", server.port()).withClientName("it-client");
  }

  private RcpClient connect(ClientOptions options) throws Exception {
    RcpClient client = RcpClient.connect(options).get(10, TimeUnit.SECONDS);
    clients.add(client);
    return client;
  }

  static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }
}
