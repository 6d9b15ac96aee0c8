package io.rstmdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.protocol.client.RcpConnectionException;
import io.rstmdb.protocol.client.RcpErrorException;
import io.rstmdb.server.config.AuthConfig;
import io.rstmdb.server.session.ConnectionLimiter;
import io.rstmdb.server.session.SessionHandler;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connection limits that the reference ignores and we enforce (decision 10). */
class LimitsIT {

  @TempDir Path dir;

  @Test
  void connectionsOverTheLimitGetRateLimitedAndClosed() throws Exception {
    try (ServerFixture f =
        new ServerFixture(dir, c -> c.withNetwork(c.network().withMaxConnections(2)))) {
      try (RawConnection a = new RawConnection(f.port());
          RawConnection b = new RawConnection(f.port())) {
        a.sendJson("{\"type\":\"request\",\"id\":\"1\",\"op\":\"PING\"}");
        b.sendJson("{\"type\":\"request\",\"id\":\"1\",\"op\":\"PING\"}");
        a.readFrame();
        b.readFrame();
        try (RawConnection extra = new RawConnection(f.port())) {
          JsonNode refused = extra.readFrame();
          assertThat(refused.get("id").isNull()).isTrue();
          assertThat(refused.at("/error/code").asText()).isEqualTo("RATE_LIMITED");
          assertThat(refused.at("/error/message").asText()).isEqualTo("too many connections");
          assertThat(refused.at("/error/retryable").asBoolean()).isTrue();
          assertThat(extra.closedByServer()).isTrue();
        }
      }
      // Closed connections free their slots.
      Thread.sleep(200);
      try (RawConnection again = new RawConnection(f.port())) {
        again.sendJson("{\"type\":\"request\",\"id\":\"2\",\"op\":\"PING\"}");
        assertThat(again.readFrame().at("/result/pong").asBoolean()).isTrue();
      }
    }
  }

  @Test
  void aClientRefusedOverTheLimitSaysWhy() throws Exception {
    // The server answers and closes at once. On io_uring the client could miss that end: the
    // HELLO waited for its timeout, or failed with a bare "StacklessClosedChannelException".
    try (ServerFixture f =
            new ServerFixture(dir, c -> c.withNetwork(c.network().withMaxConnections(1)));
        RawConnection holder = new RawConnection(f.port())) {
      holder.sendJson(PING);
      holder.readFrame();
      for (int i = 0; i < 5; i++) {
        assertThatThrownBy(() -> RcpClient.connect(f.options()).get(10, TimeUnit.SECONDS))
            .cause()
            .isInstanceOf(RcpConnectionException.class)
            .hasMessage("closed by the server: RATE_LIMITED: too many connections")
            // The code, for code that wants to retry later (RATE_LIMITED is retryable).
            .cause()
            .isInstanceOfSatisfying(
                RcpErrorException.class, e -> assertThat(e.codeName()).isEqualTo("RATE_LIMITED"));
      }
    }
  }

  /** A flood of refusals logs one WARN line per interval, not one per connection. */
  @Test
  void manyRefusalsLogOneWarnLine() throws Exception {
    try (ServerFixture f =
            new ServerFixture(dir, c -> c.withNetwork(c.network().withMaxConnections(1)));
        RawConnection holder = new RawConnection(f.port());
        CapturedLog log = CapturedLog.of(ConnectionLimiter.class)) {
      holder.sendJson(PING);
      holder.readFrame();
      for (int i = 0; i < 20; i++) {
        try (RawConnection extra = new RawConnection(f.port())) {
          assertThat(extra.readFrame().at("/error/code").asText()).isEqualTo("RATE_LIMITED");
          assertThat(extra.closedByServer()).isTrue();
        }
      }
      assertThat(log.infoLines())
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .contains("refusing connection from /127.0.0.1")
                      .contains("network.max_connections")
                      .doesNotContain("null"));
    }
  }

  @Test
  void idleConnectionsAreClosed() throws Exception {
    try (ServerFixture f =
        new ServerFixture(dir, c -> c.withNetwork(c.network().withIdleTimeoutSecs(1)))) {
      try (RawConnection idle = new RawConnection(f.port())) {
        idle.sendJson("{\"type\":\"request\",\"id\":\"1\",\"op\":\"PING\"}");
        idle.readFrame();
        long start = System.nanoTime();
        assertThat(idle.closedByServer()).isTrue();
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(500L, 5_000L);
      }
    }
  }

  @Test
  void aConnectionThatSendsNoWholeRequestIsClosedAfterTheHandshakeTimeout() throws Exception {
    try (ServerFixture f =
        new ServerFixture(dir, c -> c.withNetwork(c.network().withHandshakeTimeoutSecs(1)))) {
      try (RawConnection silent = new RawConnection(f.port());
          RawConnection partial = new RawConnection(f.port())) {
        partial.send(Arrays.copyOf(RawConnection.frame(PING), 10));
        long start = System.nanoTime();
        assertThat(silent.closedByServer()).isTrue();
        assertThat(partial.closedByServer()).isTrue();
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(500L, 5_000L);
      }
    }
  }

  @Test
  void theHandshakeTimeoutLeavesAConnectionAloneOnceItSentARequest() throws Exception {
    try (ServerFixture f =
        new ServerFixture(dir, c -> c.withNetwork(c.network().withHandshakeTimeoutSecs(1)))) {
      try (RawConnection talker = new RawConnection(f.port())) {
        talker.sendJson(PING);
        talker.readFrame();
        talker.timeout(2_000);
        assertThat(talker.closedByServer()).isFalse();
        talker.sendJson(PING);
        assertThat(talker.readFrame().at("/result/pong").asBoolean()).isTrue();
      }
    }
  }

  /**
   * With auth required, PING passes the gate and resets the idle timer: clients without a token
   * that pinged forever held every connection slot. They must authenticate within the handshake
   * timeout.
   */
  @Test
  void withAuthRequiredAConnectionThatNeverAuthenticatesIsClosedAfterTheHandshakeTimeout()
      throws Exception {
    try (ServerFixture f =
            new ServerFixture(
                dir,
                c ->
                    c.withAuth(new AuthConfig(true, List.of(AUTH_HASH), null))
                        .withNetwork(
                            c.network().withHandshakeTimeoutSecs(1).withIdleTimeoutSecs(5)));
        RawConnection pinger = new RawConnection(f.port());
        RawConnection authed = new RawConnection(f.port())) {
      authed.sendJson(
          "{\"type\":\"request\",\"id\":\"a\",\"op\":\"AUTH\",\"params\":{\"token\":\""
              + AUTH_TOKEN
              + "\"}}");
      assertThat(authed.readFrame().at("/result/authenticated").asBoolean()).isTrue();
      long start = System.nanoTime();
      boolean closed = false;
      try {
        while (System.nanoTime() - start < 5_000_000_000L) {
          pinger.sendJson(PING);
          pinger.readFrame();
          Thread.sleep(200);
        }
      } catch (IOException e) {
        closed = true; // EOF or reset: the server closed it
      }
      assertThat(closed || pinger.closedByServer()).as("pinger closed").isTrue();
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(500L, 4_000L);
      // The authenticated connection is left alone past the deadline.
      authed.sendJson(PING);
      assertThat(authed.readFrame().at("/result/pong").asBoolean()).isTrue();
    }
  }

  /** Without auth required a session that keeps pinging is left alone, as before. */
  @Test
  void withoutAuthRequiredAPingingConnectionOutlivesTheHandshakeTimeout() throws Exception {
    try (ServerFixture f =
            new ServerFixture(dir, c -> c.withNetwork(c.network().withHandshakeTimeoutSecs(1)));
        RawConnection pinger = new RawConnection(f.port())) {
      long start = System.nanoTime();
      while (System.nanoTime() - start < 2_500_000_000L) {
        pinger.sendJson(PING);
        assertThat(pinger.readFrame().at("/result/pong").asBoolean()).isTrue();
        Thread.sleep(200);
      }
    }
  }

  /**
   * Netty 4.2.18's io_uring transport never sees a reset that arrives with a connection's first
   * bytes; the handshake timeout is what gives such a connection's slot back.
   */
  @Test
  void connectionsResetRightAfterTheirFirstBytesGiveTheirSlotsBack() throws Exception {
    try (ServerFixture f =
        new ServerFixture(
            dir,
            c -> c.withNetwork(c.network().withMaxConnections(2).withHandshakeTimeoutSecs(1)))) {
      byte[] firstBytes = Arrays.copyOf(RawConnection.frame(PING), 10);
      try (CapturedLog log = CapturedLog.of(SessionHandler.class)) {
        for (int i = 0; i < 10; i++) {
          try (Socket s = new Socket("127.0.0.1", f.port())) {
            s.setSoLinger(true, 0); // close() sends RST
            s.getOutputStream().write(firstBytes);
          }
        }
        long deadline = System.nanoTime() + 8_000_000_000L;
        while (!bothPong(f.port())) {
          assertThat(System.nanoTime()).as("both slots free within 8 s").isLessThan(deadline);
          Thread.sleep(250);
        }
        // A peer gone before the server saw its address is named as such, not as "null".
        assertThat(log.infoLines()).noneMatch(line -> line.contains("null"));
      }
    }
  }

  private static final String AUTH_TOKEN = "my-secret-token";
  private static final String AUTH_HASH =
      "ea5add57437cbf20af59034d7ed17968dcc56767b41965fcc5b376d45db8b4a3";

  private static final String PING = "{\"type\":\"request\",\"id\":\"1\",\"op\":\"PING\"}";

  private static boolean bothPong(int port) throws IOException {
    try (RawConnection a = new RawConnection(port);
        RawConnection b = new RawConnection(port)) {
      a.sendJson(PING);
      b.sendJson(PING);
      return a.readFrame().has("result") && b.readFrame().has("result");
    }
  }
}
