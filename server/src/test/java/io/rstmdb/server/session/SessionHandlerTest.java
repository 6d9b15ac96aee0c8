package io.rstmdb.server.session;

import static io.rstmdb.server.session.EmbeddedSession.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rstmdb.core.api.ApplyEventResult;
import io.rstmdb.core.api.Database;
import io.rstmdb.core.api.InstanceView;
import io.rstmdb.protocol.ProtocolLimits;
import io.rstmdb.server.auth.TokenAuthenticator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionHandlerTest {

  private static final String TOKEN = "my-secret-token";
  private static final String TOKEN_HASH =
      "ea5add57437cbf20af59034d7ed17968dcc56767b41965fcc5b376d45db8b4a3";

  private final Database db = mock(Database.class);

  private EmbeddedSession open() {
    return new EmbeddedSession(db, new TokenAuthenticator(false, List.of()));
  }

  private EmbeddedSession openWithAuth() {
    return new EmbeddedSession(db, new TokenAuthenticator(true, List.of(TOKEN_HASH)));
  }

  @Test
  void pingMatchesTheGoldenFramesByteForByte() {
    EmbeddedSession s = open();
    ByteBuf in =
        Unpooled.wrappedBuffer(
            HexFormat.of().parseHex("524350580001000100000000" + "0033c32009c4"),
            "{\"type\":\"request\",\"id\":\"1\",\"op\":\"PING\",\"params\":{}}"
                .getBytes(StandardCharsets.UTF_8));
    s.sendRaw(in);
    byte[] out = s.outboundBytes();
    String payload =
        "{\"type\":\"response\",\"id\":\"1\",\"status\":\"ok\",\"result\":{\"pong\":true}}";
    assertThat(HexFormat.of().formatHex(out))
        .isEqualTo(
            "52435058000100010000000000414b7b432f"
                + HexFormat.of().formatHex(payload.getBytes(StandardCharsets.UTF_8)));
    assertThat(out).hasSize(18 + 65);
  }

  @Test
  void helloAnswersTheExactGoldenPayload() {
    EmbeddedSession s = open();
    s.send(
        request(
            "1",
            "HELLO",
            "{\"protocol_version\":1,\"client_name\":\"rstmdb-py\",\"wire_modes\":[\"binary_json\"],"
                + "\"features\":[\"idempotency\",\"batch\",\"watch\"]}"));
    assertThat(s.framePayloads())
        .containsExactly(
            "{\"type\":\"response\",\"id\":\"1\",\"status\":\"ok\",\"result\":{\"features\":"
                + "[\"idempotency\",\"batch\"],\"protocol_version\":1,\"server_name\":\"rstmdb-java\","
                + "\"server_version\":\"test\",\"wire_mode\":\"binary_json\"}}");
  }

  @Test
  void helloFromTheJavaClientWithSingularWireModeAndNoFeatures() {
    EmbeddedSession s = open();
    s.send(request("1", "HELLO", "{\"protocol_version\":1,\"wire_mode\":\"binary_json\"}"));
    JsonNode r = s.single().get("result");
    assertThat(r.get("wire_mode").asText()).isEqualTo("binary_json");
    assertThat(r.get("features").size()).isZero();
  }

  @Test
  void binaryJsonWinsWheneverListed() {
    EmbeddedSession s = open();
    s.send(
        request(
            "1", "HELLO", "{\"protocol_version\":1,\"wire_modes\":[\"jsonl\",\"binary_json\"]}"));
    assertThat(s.single().at("/result/wire_mode").asText()).isEqualTo("binary_json");
  }

  @Test
  void jsonlIsUsedBothWaysAfterHello() {
    EmbeddedSession s = open();
    s.send(request("1", "HELLO", "{\"protocol_version\":1,\"wire_mode\":\"jsonl\"}"));
    String hello = new String(s.outboundBytes(), StandardCharsets.UTF_8);
    assertThat(hello).startsWith("{\"type\":\"response\",\"id\":\"1\"").endsWith("}\n");
    assertThat(hello).contains("\"wire_mode\":\"jsonl\"");
    s.sendRaw(
        Unpooled.copiedBuffer(
            request("2", "PING", null) + "\n" + request("3", "PING", "{}") + "\n",
            StandardCharsets.UTF_8));
    assertThat(new String(s.outboundBytes(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"type\":\"response\",\"id\":\"2\",\"status\":\"ok\",\"result\":{\"pong\":true}}\n"
                + "{\"type\":\"response\",\"id\":\"3\",\"status\":\"ok\",\"result\":{\"pong\":true}}\n");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"protocol_version\":2}",
        "{}",
        "{\"protocol_version\":\"1\"}",
        "{\"protocol_version\":1.0}",
        "[1]"
      })
  void badHelloIsBadRequestAndTheConnectionStays(String params) {
    EmbeddedSession s = open();
    s.send(request("h", "HELLO", params));
    JsonNode r = s.single();
    assertThat(r.get("id").asText()).isEqualTo("h");
    assertThat(r.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
    assertThat(r.at("/error/retryable").asBoolean()).isFalse();
    assertThat(s.channel.isOpen()).isTrue();
  }

  @Test
  void helloWithoutParamsIsBadRequest() {
    EmbeddedSession s = open();
    s.send(request("h", "HELLO", null));
    assertThat(s.single().at("/error/message").asText()).contains("protocol_version");
  }

  @Test
  void unknownOpInvalidJsonAndBadTypesAreAnsweredAndTheConnectionStays() {
    EmbeddedSession s = open();
    s.send(request("7", "FROBNICATE", "{}"));
    s.send("{\"type\":\"request\",\"id\":\"8\",\"op\":\"PING\"");
    s.send(request("9", "GET_INSTANCE", "{\"instance_id\":5}"));
    s.send(
        "{\"type\":\"request\",\"id\":\"10\",\"op\":\"PING\",\"params\":"
            + "{\"a\":".repeat(100)
            + "1"
            + "}".repeat(100)
            + "}");
    s.send(request("11", "PING", null));
    List<JsonNode> r = s.responses();
    assertThat(r).hasSize(5);
    assertThat(r.get(0).get("id").asText()).isEqualTo("7");
    assertThat(r.get(0).at("/error/code").asText()).isEqualTo("BAD_REQUEST");
    assertThat(r.get(0).at("/error/message").asText()).contains("FROBNICATE");
    assertThat(r.get(1).at("/error/code").asText()).isEqualTo("BAD_REQUEST");
    assertThat(r.get(2).get("id").asText()).isEqualTo("9");
    assertThat(r.get(2).at("/error/message").asText()).contains("instance_id");
    assertThat(r.get(3).get("id").asText()).isEqualTo("10");
    assertThat(r.get(3).at("/error/message").asText()).contains("nesting");
    assertThat(r.get(4).at("/result/pong").asBoolean()).isTrue();
    assertThat(s.channel.isOpen()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "58435052000100010000000000020000000000", // bad magic
        "52435058000200010000000000020000000000", // version 2
        "52435058000101000000000000020000000000", // unknown flag bit
        "52435058000100010000010000010000000000", // payload longer than 16 MiB
        "5243505800010001000000000002deadbeef7b7d", // CRC mismatch
      })
  void framingErrorsGetOneErrorFrameWithNullIdThenClose(String hex) {
    EmbeddedSession s = open();
    s.sendRaw(Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex)));
    JsonNode r = s.single();
    assertThat(r.get("id").isNull()).isTrue();
    assertThat(r.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
    assertThat(r.at("/error/message").asText()).startsWith("invalid request: invalid frame");
    assertThat(s.channel.isOpen()).isFalse();
  }

  @Test
  void byeAnswersGoodbyeThenCloses() {
    EmbeddedSession s = open();
    s.send(request("1", "BYE", null));
    assertThat(s.single().at("/result/goodbye").asBoolean()).isTrue();
    assertThat(s.channel.isOpen()).isFalse();
  }

  @Test
  void gatedOpsNeedAuthButHelloPingByeDoNot() {
    EmbeddedSession s = openWithAuth();
    s.send(request("1", "HELLO", "{\"protocol_version\":1}"));
    s.send(request("2", "PING", null));
    for (String op :
        List.of(
            "INFO",
            "PUT_MACHINE",
            "GET_MACHINE",
            "LIST_MACHINES",
            "CREATE_INSTANCE",
            "GET_INSTANCE",
            "LIST_INSTANCES",
            "DELETE_INSTANCE",
            "APPLY_EVENT",
            "BATCH",
            "SNAPSHOT_INSTANCE",
            "WAL_READ",
            "WAL_STATS",
            "COMPACT",
            "FLUSH_ALL",
            "WATCH_INSTANCE",
            "WATCH_ALL",
            "UNWATCH")) {
      s.send(request(op, op, "{\"garbage\":true}"));
    }
    List<JsonNode> r = s.responses();
    assertThat(r.get(0).get("status").asText()).isEqualTo("ok");
    assertThat(r.get(1).get("status").asText()).isEqualTo("ok");
    for (JsonNode gated : r.subList(2, r.size())) {
      assertThat(gated.at("/error/code").asText()).as(gated.toString()).isEqualTo("UNAUTHORIZED");
      assertThat(gated.at("/error/message").asText()).isEqualTo("authentication required");
    }
    assertThat(r).hasSize(20);
    verify(db, never()).getInstance(anyString());
  }

  @Test
  void authWithoutMethodLikeTheJavaClientUnlocksTheGate() {
    EmbeddedSession s = openWithAuth();
    s.send(request("1", "AUTH", "{\"token\":\"" + TOKEN + "\"}"));
    s.send(request("2", "INFO", null));
    List<JsonNode> r = s.responses();
    assertThat(r.get(0).get("result").toString()).isEqualTo("{\"authenticated\":true}");
    assertThat(r.get(1).at("/result/server_name").asText()).isEqualTo("rstmdb-java");
  }

  @Test
  void authFailuresAndTheFifthClosesTheConnection() {
    EmbeddedSession s = openWithAuth();
    s.send(request("1", "AUTH", "{\"method\":\"basic\",\"token\":\"" + TOKEN + "\"}"));
    s.send(request("2", "AUTH", "{\"method\":\"bearer\"}"));
    s.send(request("3", "AUTH", "{\"method\":\"bearer\",\"token\":\"nope\"}"));
    s.send(request("4", "AUTH", "{\"token\":\"\"}"));
    s.send(request("5", "AUTH", "{\"token\":\"nope\"}"));
    assertThat(s.channel.isOpen()).isTrue();
    s.send(request("6", "AUTH", "{\"token\":\"nope\"}"));
    List<JsonNode> r = s.responses();
    assertThat(r)
        .extracting(n -> n.at("/error/code").asText())
        .containsExactly(
            "AUTH_FAILED",
            "BAD_REQUEST",
            "AUTH_FAILED",
            "AUTH_FAILED",
            "AUTH_FAILED",
            "AUTH_FAILED");
    assertThat(r.get(0).at("/error/message").asText())
        .isEqualTo("authentication failed: unsupported auth method: basic");
    assertThat(r.get(2).at("/error/message").asText())
        .isEqualTo("authentication failed: invalid token");
    assertThat(s.channel.isOpen()).isFalse();
  }

  @Test
  void withAuthOffAnyNonEmptyTokenIsAccepted() {
    EmbeddedSession s = open();
    s.send(request("1", "AUTH", "{\"method\":\"bearer\",\"token\":\"anything\"}"));
    s.send(request("2", "AUTH", "{\"method\":\"bearer\",\"token\":\"\"}"));
    List<JsonNode> r = s.responses();
    assertThat(r.get(0).at("/result/authenticated").asBoolean()).isTrue();
    assertThat(r.get(1).at("/error/message").asText())
        .isEqualTo("authentication failed: empty token");
  }

  @Test
  void beforeAuthLargeFramesAreRefused() {
    EmbeddedSession s = openWithAuth();
    String big = "x".repeat(ProtocolLimits.PREAUTH_MAX_PAYLOAD + 10);
    s.send(request("1", "PING", "{\"pad\":\"" + big + "\"}"));
    JsonNode r = s.single();
    assertThat(r.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
    assertThat(r.at("/error/message").asText())
        .contains("exceeds the limit of 65536")
        .endsWith("until the session authenticates: send AUTH first)");
    assertThat(s.channel.isOpen()).isFalse();
  }

  @Test
  void aWriteWhoseResultCannotBeFramedSaysItWasApplied() {
    // Our WAL refuses records whose replies could not be framed; another adapter may not.
    ObjectNode ctx = JsonNodeFactory.instance.objectNode();
    ctx.put("big", "x".repeat(ProtocolLimits.MAX_PAYLOAD));
    when(db.applyEvent(any()))
        .thenReturn(
            CompletableFuture.completedFuture(new ApplyEventResult("a", "b", ctx, 7, true, null)));
    EmbeddedSession s = open();
    s.send(request("1", "APPLY_EVENT", "{\"instance_id\":\"i\",\"event\":\"E\"}"));
    JsonNode r = s.single();
    assertThat(r.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
    assertThat(r.at("/error/message").asText())
        .contains("the write was applied and is durable")
        .contains("do not send it again");
    assertThat(s.channel.isOpen()).isTrue();
  }

  @Test
  void afterAuthLargeFramesAreFine() {
    EmbeddedSession s = openWithAuth();
    s.send(request("1", "AUTH", "{\"token\":\"" + TOKEN + "\"}"));
    String big = "x".repeat(ProtocolLimits.PREAUTH_MAX_PAYLOAD + 10);
    s.send(request("2", "PING", "{\"pad\":\"" + big + "\"}"));
    assertThat(s.responses()).extracting(n -> n.get("status").asText()).containsExactly("ok", "ok");
  }

  @Test
  void pipelinedResponsesKeepRequestOrderWhenResultsFinishOutOfOrder() {
    CompletableFuture<InstanceView> first = new CompletableFuture<>();
    CompletableFuture<InstanceView> second = new CompletableFuture<>();
    when(db.getInstance("a")).thenReturn(first);
    when(db.getInstance("b")).thenReturn(second);
    EmbeddedSession s = open();
    s.send(request("1", "GET_INSTANCE", "{\"instance_id\":\"a\"}"));
    s.send(request("2", "GET_INSTANCE", "{\"instance_id\":\"b\"}"));
    s.send(request("3", "PING", null));
    assertThat(s.responses()).isEmpty();
    second.complete(view("b"));
    s.channel.runPendingTasks();
    assertThat(s.responses()).isEmpty();
    assertThat(s.inFlight.count()).isEqualTo(3);
    first.complete(view("a"));
    s.channel.runPendingTasks();
    assertThat(s.responses()).extracting(n -> n.get("id").asText()).containsExactly("1", "2", "3");
    assertThat(s.inFlight.count()).isZero();
  }

  @Test
  void readingPausesAtTheUnansweredLimitAndResumesAtHalfOfIt() {
    List<CompletableFuture<InstanceView>> results = heldGets("a");
    EmbeddedSession s = open();
    for (int i = 0; i < SessionHandler.MAX_UNANSWERED - 1; i++) {
      s.send(request("r" + i, "GET_INSTANCE", "{\"instance_id\":\"a\"}"));
    }
    assertThat(s.channel.config().isAutoRead()).isTrue();
    s.send(request("last", "GET_INSTANCE", "{\"instance_id\":\"a\"}"));
    assertThat(s.channel.config().isAutoRead()).isFalse();

    int half = SessionHandler.MAX_UNANSWERED / 2;
    for (int i = 0; i < half - 1; i++) {
      results.get(i).complete(view("a"));
    }
    s.channel.runPendingTasks();
    assertThat(s.channel.config().isAutoRead()).as("%d unanswered", half + 1).isFalse();
    results.get(half - 1).complete(view("a"));
    s.channel.runPendingTasks();
    assertThat(s.channel.config().isAutoRead()).as("%d unanswered", half).isTrue();
    assertThat(s.responses()).hasSize(half);
  }

  @Test
  void unansweredRequestsStopCountingWhenTheConnectionCloses() {
    when(db.getInstance("a")).thenReturn(new CompletableFuture<>());
    EmbeddedSession s = open();
    s.send(request("1", "GET_INSTANCE", "{\"instance_id\":\"a\"}"));
    assertThat(s.inFlight.count()).isEqualTo(1);
    s.channel.close();
    assertThat(s.inFlight.count()).isZero();
  }

  @Test
  void aSuccessfulAuthIsNotRevokedByALaterFailure() {
    EmbeddedSession s = openWithAuth();
    s.send(request("1", "AUTH", "{\"token\":\"" + TOKEN + "\"}"));
    s.send(request("2", "AUTH", "{\"token\":\"wrong\"}"));
    s.send(request("3", "INFO", null));
    assertThat(s.responses())
        .extracting(n -> n.get("status").asText())
        .containsExactly("ok", "error", "ok");
  }

  @Test
  void watchOpsWithoutAHubAreRefusedExplicitly() {
    EmbeddedSession s = open();
    s.send(request("1", "WATCH_ALL", null));
    assertThat(s.single().at("/error/code").asText()).isEqualTo("BAD_REQUEST");
  }

  @Test
  void metricsCountRequestsAndErrors() {
    EmbeddedSession s = open();
    s.send(request("1", "PING", null));
    s.send(request("2", "NOPE", null));
    s.responses();
    assertThat(
            s.metrics.registry().get("rstmdb.requests").tag("operation", "PING").counter().count())
        .isEqualTo(1.0);
    assertThat(
            s.metrics.registry().get("rstmdb.errors").tag("code", "BAD_REQUEST").counter().count())
        .isEqualTo(1.0);
  }

  /** Makes the channel (not) writable, as a client that stops reading its responses does. */
  private static void writable(EmbeddedSession s, boolean writable) {
    s.channel.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
    s.channel.runPendingTasks();
  }

  private static InstanceView bigView(String id) {
    ObjectNode ctx = EmbeddedSession.MAPPER.createObjectNode();
    ctx.put("big", "x".repeat(1 << 20));
    return new InstanceView(id, "m", 1, "s", ctx, null, 3, 10, 11);
  }

  /** Many requests in one read, as a pipelining client sends them. */
  private static void sendAll(EmbeddedSession s, List<String> requests) {
    ByteBuf all = Unpooled.buffer();
    for (String r : requests) {
      ByteBuf f = EmbeddedSession.frame(r);
      all.writeBytes(f);
      f.release();
    }
    s.sendRaw(all);
  }

  @Test
  void requestsReadWhileTheChannelIsNotWritableWaitToRunThenAreAllAnsweredInOrder() {
    // QA: 200 pipelined WAL_READs of large answers from a client that never reads ran at once and
    // the server's heap ran out encoding their answers.
    List<String> ran = new ArrayList<>();
    when(db.getInstance(anyString()))
        .thenAnswer(
            call -> {
              ran.add(call.getArgument(0));
              return CompletableFuture.completedFuture(bigView(call.getArgument(0)));
            });
    EmbeddedSession s = open();
    writable(s, false);
    List<String> requests = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      requests.add(request("r" + i, "GET_INSTANCE", "{\"instance_id\":\"i" + i + "\"}"));
    }
    requests.add(request("p", "PING", null));
    sendAll(s, requests);
    s.channel.runPendingTasks();
    assertThat(ran).as("requests run while not writable").hasSizeLessThanOrEqualTo(1);
    assertThat(s.responses().size())
        .as("responses encoded while not writable")
        .isLessThanOrEqualTo(1);
    assertThat(s.inFlight.count()).isLessThanOrEqualTo(1);
    assertThat(s.channel.config().isAutoRead()).isFalse();

    writable(s, true);
    assertThat(ran).hasSize(20);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add("r" + i);
    }
    ids.add("p");
    assertThat(s.responses()).extracting(n -> n.get("id").asText()).containsExactlyElementsOf(ids);
    assertThat(s.inFlight.count()).isZero();
    assertThat(s.channel.config().isAutoRead()).isTrue();
  }

  @Test
  void finishedAnswersAreNotEncodedWhileTheChannelIsNotWritable() {
    CompletableFuture<InstanceView> a = new CompletableFuture<>();
    CompletableFuture<InstanceView> b = new CompletableFuture<>();
    when(db.getInstance("a")).thenReturn(a);
    when(db.getInstance("b")).thenReturn(b);
    EmbeddedSession s = open();
    s.send(request("1", "GET_INSTANCE", "{\"instance_id\":\"a\"}"));
    s.send(request("2", "GET_INSTANCE", "{\"instance_id\":\"b\"}"));
    writable(s, false);
    a.complete(bigView("a"));
    b.complete(bigView("b"));
    s.channel.runPendingTasks();
    assertThat(s.responses().size()).as("responses encoded while not writable").isZero();
    writable(s, true);
    assertThat(s.responses()).extracting(n -> n.get("id").asText()).containsExactly("1", "2");
    assertThat(s.inFlight.count()).isZero();
  }

  @Test
  void largeReadsStartAFewAtATimeAndTheRequestsAfterThemWaitInOrder() {
    List<CompletableFuture<InstanceView>> results = heldGets("a");
    EmbeddedSession s = open();
    List<String> requests = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      requests.add(request("r" + i, "GET_INSTANCE", "{\"instance_id\":\"a\"}"));
    }
    requests.add(request("p", "PING", null));
    sendAll(s, requests);
    assertThat(results).hasSize(SessionHandler.MAX_BULK_UNWRITTEN);
    assertThat(s.responses().size()).isZero();
    for (int i = 0; i < 10; i++) {
      results.get(i).complete(bigView("a"));
      s.channel.runPendingTasks();
      assertThat(results).hasSize(Math.min(10, i + 1 + SessionHandler.MAX_BULK_UNWRITTEN));
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add("r" + i);
    }
    ids.add("p");
    assertThat(s.responses()).extracting(n -> n.get("id").asText()).containsExactlyElementsOf(ids);
    assertThat(s.inFlight.count()).isZero();
  }

  @Test
  void aStopAnswersTheRequestsThatWaitedToRunWithoutRunningThem() {
    when(db.getInstance(anyString()))
        .thenAnswer(call -> CompletableFuture.completedFuture(view(call.getArgument(0))));
    EmbeddedSession s = open();
    writable(s, false);
    sendAll(
        s,
        List.of(
            request("1", "GET_INSTANCE", "{\"instance_id\":\"a\"}"),
            request("2", "PING", null),
            request("3", "NOPE", null)));
    s.channel.pipeline().fireUserEventTriggered(ServerStopping.INSTANCE);
    s.channel.runPendingTasks();
    verify(db, never()).getInstance(anyString());
    writable(s, true);
    List<JsonNode> r = s.responses();
    assertThat(r).extracting(n -> n.get("id").asText()).containsExactly("1", "2", "3");
    assertThat(r.get(0).at("/error/message").asText()).contains("was not run");
    assertThat(s.inFlight.count()).isZero();
    assertThat(s.channel.isOpen()).isFalse();
  }

  @Test
  void requestsWaitingToRunAreDroppedWhenTheConnectionCloses() {
    EmbeddedSession s = open();
    writable(s, false);
    sendAll(s, List.of(request("1", "PING", null), request("2", "GET_INSTANCE", "{}")));
    s.channel.close();
    assertThat(s.inFlight.count()).isZero();
    verify(db, never()).getInstance(anyString());
  }

  private static InstanceView view(String id) {
    return new InstanceView(
        id, "m", 1, "s", EmbeddedSession.MAPPER.createObjectNode(), null, 3, 10, 11);
  }

  /** Makes every GET_INSTANCE of {@code id} wait; the futures, in call order, let a test answer. */
  private List<CompletableFuture<InstanceView>> heldGets(String id) {
    List<CompletableFuture<InstanceView>> results = new ArrayList<>();
    when(db.getInstance(id))
        .thenAnswer(
            call -> {
              CompletableFuture<InstanceView> f = new CompletableFuture<>();
              results.add(f);
              return f;
            });
    return results;
  }
}
