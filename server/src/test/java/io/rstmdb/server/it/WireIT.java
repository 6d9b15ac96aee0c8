package io.rstmdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.server.session.SessionHandler;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Byte-level behaviour over real sockets: golden frames, bad input (decision 8), JSONL, pipelining.
 */
class WireIT {

  private static final HexFormat HEX = HexFormat.of();

  @TempDir Path dir;
  private ServerFixture fixture;

  @BeforeEach
  void start() {
    fixture = new ServerFixture(dir);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void goldenPingFramesByteForByte() throws Exception {
    try (RawConnection c = new RawConnection(fixture.port())) {
      c.send(
          HEX.parseHex(
              "52435058000100010000000000"
                  + "33c32009c4"
                  + HEX.formatHex(
                      "{\"type\":\"request\",\"id\":\"1\",\"op\":\"PING\",\"params\":{}}"
                          .getBytes(StandardCharsets.UTF_8))));
      assertThat(HEX.formatHex(c.readFrameBytes()))
          .isEqualTo(
              "52435058000100010000000000414b7b432f"
                  + HEX.formatHex(
                      "{\"type\":\"response\",\"id\":\"1\",\"status\":\"ok\",\"result\":{\"pong\":true}}"
                          .getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void goldenHelloPayloadAsThePythonClientSeesIt() throws Exception {
    try (RawConnection c = new RawConnection(fixture.port())) {
      c.sendJson(
          "{\"type\":\"request\",\"id\":\"1\",\"op\":\"HELLO\",\"params\":{\"protocol_version\":1,"
              + "\"client_name\":\"rstmdb-py\",\"wire_modes\":[\"binary_json\"],"
              + "\"features\":[\"idempotency\",\"batch\"]}}");
      byte[] frame = c.readFrameBytes();
      assertThat(HEX.formatHex(frame, 0, 10)).isEqualTo("52435058000100010000");
      assertThat(new String(frame, 18, frame.length - 18, StandardCharsets.UTF_8))
          .isEqualTo(
              "{\"type\":\"response\",\"id\":\"1\",\"status\":\"ok\",\"result\":{\"features\":"
                  + "[\"idempotency\",\"batch\"],\"protocol_version\":1,\"server_name\":\"rstmdb-java\","
                  + "\"server_version\":\"0.1.0-SNAPSHOT\",\"wire_mode\":\"binary_json\"}}");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "58435052000100010000000000020000000000", // bad magic
        "52435058000200010000000000020000000000", // version 2
        "52435058000100100000000000020000000000", // reserved flag bit
        "52435058000100010000010000010000000000", // 16 MiB + 1 announced
        "5243505800010001000000000002deadbeef7b7d", // CRC mismatch
      })
  void framingErrorsAreAnsweredThenClosedWhileOthersAreServed(String hex) throws Exception {
    try (RawConnection healthy = new RawConnection(fixture.port());
        RawConnection bad = new RawConnection(fixture.port())) {
      bad.send(HEX.parseHex(hex));
      JsonNode error = bad.readFrame();
      assertThat(error.get("id").isNull()).isTrue();
      assertThat(error.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
      assertThat(error.at("/error/retryable").asBoolean()).isFalse();
      assertThat(error.toString()).doesNotContain("at io.").doesNotContain("Exception");
      assertThat(bad.closedByServer()).isTrue();
      healthy.sendJson("{\"type\":\"request\",\"id\":\"2\",\"op\":\"PING\"}");
      assertThat(healthy.readFrame().at("/result/pong").asBoolean()).isTrue();
    }
  }

  @Test
  void envelopeErrorsAreAnsweredWithTheIdAndTheConnectionStays() throws Exception {
    try (RawConnection c = new RawConnection(fixture.port())) {
      c.sendJson("not json");
      c.sendJson("{\"type\":\"request\",\"id\":\"a\"}");
      c.sendJson("{\"type\":\"request\",\"id\":\"b\",\"op\":\"DANCE\"}");
      c.sendJson(
          "{\"type\":\"request\",\"id\":\"c\",\"op\":\"GET_MACHINE\",\"params\":{\"machine\":1,\"version\":1}}");
      c.sendJson(
          "{\"type\":\"request\",\"id\":\"d\",\"op\":\"PING\",\"params\":"
              + "[".repeat(200)
              + "]".repeat(200)
              + "}");
      c.sendJson("{\"type\":\"request\",\"id\":\"e\",\"op\":\"PING\"}");
      JsonNode r1 = c.readFrame();
      assertThat(r1.get("id").isNull()).isTrue();
      assertThat(r1.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
      JsonNode r2 = c.readFrame();
      assertThat(r2.get("id").asText()).isEqualTo("a");
      assertThat(r2.at("/error/message").asText()).contains("op");
      JsonNode r3 = c.readFrame();
      assertThat(r3.get("id").asText()).isEqualTo("b");
      assertThat(r3.at("/error/message").asText()).contains("DANCE");
      JsonNode r4 = c.readFrame();
      assertThat(r4.get("id").asText()).isEqualTo("c");
      assertThat(r4.at("/error/message").asText()).contains("`machine`");
      JsonNode r5 = c.readFrame();
      assertThat(r5.get("id").asText()).isEqualTo("d");
      assertThat(r5.at("/error/message").asText()).contains("nesting");
      assertThat(c.readFrame().at("/result/pong").asBoolean()).isTrue();
    }
  }

  @Test
  void pipelinedRequestsAreAllAnsweredWithTheirIds() throws Exception {
    try (RawConnection c = new RawConnection(fixture.port())) {
      StringBuilder ids = new StringBuilder();
      java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
      for (int i = 0; i < 200; i++) {
        String op = i % 3 == 0 ? "WAL_STATS" : i % 3 == 1 ? "PING" : "LIST_MACHINES";
        burst.write(
            RawConnection.frame(
                "{\"type\":\"request\",\"id\":\"r" + i + "\",\"op\":\"" + op + "\"}"));
        ids.append("r").append(i).append(',');
      }
      c.send(burst.toByteArray());
      StringBuilder seen = new StringBuilder();
      for (int i = 0; i < 200; i++) {
        JsonNode r = c.readFrame();
        assertThat(r.get("status").asText()).isEqualTo("ok");
        seen.append(r.get("id").asText()).append(',');
      }
      assertThat(seen.toString()).isEqualTo(ids.toString());
    }
  }

  @Test
  void aClientThatHalfClosesGetsEveryAnswerThenTheServerCloses() throws Exception {
    try (RawConnection c = new RawConnection(fixture.port())) {
      java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
      burst.write(
          RawConnection.frame(
              "{\"type\":\"request\",\"id\":\"m\",\"op\":\"PUT_MACHINE\",\"params\":"
                  + "{\"machine\":\"h\",\"version\":1,\"definition\":"
                  + ServerFixture.ORDER
                  + "}}"));
      for (int i = 0; i < 20; i++) {
        // Durable writes: their answers wait for an fsync that comes after the FIN.
        burst.write(
            RawConnection.frame(
                "{\"type\":\"request\",\"id\":\"c"
                    + i
                    + "\",\"op\":\"CREATE_INSTANCE\",\"params\":{\"machine\":\"h\","
                    + "\"version\":1,\"instance_id\":\"h-"
                    + i
                    + "\"}}"));
      }
      burst.write(RawConnection.frame("{\"type\":\"request\",\"id\":\"s\",\"op\":\"WAL_STATS\"}"));
      c.send(burst.toByteArray());
      c.shutdownOutput();
      List<String> ids = new java.util.ArrayList<>();
      for (int i = 0; i < 22; i++) {
        JsonNode r = c.readFrame();
        assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("ok");
        ids.add(r.get("id").asText());
      }
      assertThat(ids).startsWith("m", "c0", "c1").endsWith("c19", "s");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void jsonlWorksBothWaysAfterHello() throws Exception {
    try (Socket s = new Socket("127.0.0.1", fixture.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          RawConnection.frame(
              "{\"type\":\"request\",\"id\":\"1\",\"op\":\"HELLO\",\"params\":{\"protocol_version\":1,\"wire_modes\":[\"jsonl\"]}}"));
      out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      JsonNode hello = ServerFixture.json(in.readLine());
      assertThat(hello.at("/result/wire_mode").asText()).isEqualTo("jsonl");
      out.write(
          ("{\"type\":\"request\",\"id\":\"2\",\"op\":\"PING\"}\n"
                  + "{\"type\":\"request\",\"id\":\"3\",\"op\":\"LIST_MACHINES\",\"params\":null}\n")
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertThat(in.readLine())
          .isEqualTo(
              "{\"type\":\"response\",\"id\":\"2\",\"status\":\"ok\",\"result\":{\"pong\":true}}");
      assertThat(in.readLine())
          .isEqualTo(
              "{\"type\":\"response\",\"id\":\"3\",\"status\":\"ok\",\"result\":{\"items\":[]}}");
    }
  }

  @Test
  void requestsSentWithTheHelloThatSwitchesToJsonlAreAnsweredAfterIt() throws Exception {
    try (Socket s = new Socket("127.0.0.1", fixture.port())) {
      s.setSoTimeout(10_000);
      byte[] hello =
          RawConnection.frame(
              "{\"type\":\"request\",\"id\":\"1\",\"op\":\"HELLO\",\"params\":{\"protocol_version\":1,\"wire_modes\":[\"jsonl\"]}}");
      byte[] ping =
          "{\"type\":\"request\",\"id\":\"2\",\"op\":\"PING\"}\n".getBytes(StandardCharsets.UTF_8);
      byte[] both = Arrays.copyOf(hello, hello.length + ping.length);
      System.arraycopy(ping, 0, both, hello.length, ping.length);
      OutputStream out = s.getOutputStream();
      out.write(both); // one write: the server reads both at once
      out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      assertThat(ServerFixture.json(in.readLine()).get("id").asText()).isEqualTo("1");
      assertThat(ServerFixture.json(in.readLine()).get("id").asText()).isEqualTo("2");
    }
  }

  @Test
  void theCloseLogLineNamesTheClientAsItsHelloDid() throws Exception {
    try (CapturedLog log = CapturedLog.of(SessionHandler.class)) {
      try (RawConnection raw = new RawConnection(fixture.port())) {
        raw.sendJson(
            "{\"type\":\"request\",\"id\":\"1\",\"op\":\"HELLO\",\"params\":{\"protocol_version\":1,\"client_name\":\"qa\\nfake line\"}}");
        raw.readFrame();
      }
      // Quoted as JSON: a name cannot start a log line of its own.
      log.await(
          line ->
              line.startsWith("connection closed") && line.contains("client \"qa\\nfake line\""));
    }
  }

  @Test
  void byeSaysGoodbyeAndCloses() throws Exception {
    try (RawConnection c = new RawConnection(fixture.port())) {
      c.sendJson("{\"type\":\"request\",\"id\":\"z\",\"op\":\"BYE\"}");
      assertThat(c.readFrame().at("/result/goodbye").asBoolean()).isTrue();
      assertThat(c.closedByServer()).isTrue();
    }
  }
}
