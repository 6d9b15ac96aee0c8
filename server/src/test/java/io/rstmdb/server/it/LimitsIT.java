package io.rstmdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
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
}
