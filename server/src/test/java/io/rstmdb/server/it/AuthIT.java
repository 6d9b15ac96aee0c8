package io.rstmdb.server.it;

import static io.rstmdb.server.it.ItSupport.code;
import static io.rstmdb.server.it.ServerFixture.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.protocol.client.RcpErrorException;
import io.rstmdb.server.config.AuthConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auth gate (decision 11) over real sockets: every op without, with a bad and a good token. */
class AuthIT {

  private static final String TOKEN = "my-secret-token";
  private static final String HASH =
      "ea5add57437cbf20af59034d7ed17968dcc56767b41965fcc5b376d45db8b4a3";

  /** Every gated op with params that would succeed (or fail on their own) once authenticated. */
  private static final List<String[]> GATED =
      List.of(
          new String[] {"INFO", null},
          new String[] {
            "PUT_MACHINE",
            "{\"machine\":\"m\",\"version\":1,\"definition\":" + ServerFixture.ORDER + "}"
          },
          new String[] {"GET_MACHINE", "{\"machine\":\"m\",\"version\":1}"},
          new String[] {"LIST_MACHINES", null},
          new String[] {
            "CREATE_INSTANCE", "{\"instance_id\":\"i\",\"machine\":\"m\",\"version\":1}"
          },
          new String[] {"GET_INSTANCE", "{\"instance_id\":\"i\"}"},
          new String[] {"LIST_INSTANCES", null},
          new String[] {"APPLY_EVENT", "{\"instance_id\":\"i\",\"event\":\"PAY\"}"},
          new String[] {
            "BATCH",
            "{\"ops\":[{\"op\":\"CREATE_INSTANCE\",\"params\":{\"instance_id\":\"j\",\"machine\":\"m\",\"version\":1}}]}"
          },
          new String[] {"SNAPSHOT_INSTANCE", "{\"instance_id\":\"i\"}"},
          new String[] {"WAL_READ", "{\"from_offset\":0}"},
          new String[] {"WAL_STATS", null},
          new String[] {"COMPACT", null},
          new String[] {"WATCH_INSTANCE", "{\"instance_id\":\"i\"}"},
          new String[] {"WATCH_ALL", null},
          new String[] {"UNWATCH", "{\"subscription_id\":\"sub-x\"}"},
          new String[] {"DELETE_INSTANCE", "{\"instance_id\":\"i\"}"},
          new String[] {"FLUSH_ALL", null});

  @TempDir Path dir;
  private ServerFixture fixture;

  @BeforeEach
  void start() {
    fixture = new ServerFixture(dir, c -> c.withAuth(new AuthConfig(true, List.of(HASH), null)));
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void withoutAuthEveryGatedOpIsUnauthorizedButHelloPingAreFine() {
    RcpClient c = fixture.client();
    assertThat(c.hello().get("server_name").asText()).isEqualTo("rstmdb-java");
    assertThat(call(c, "PING", null).get("pong").asBoolean()).isTrue();
    for (String[] op : GATED) {
      assertThat(code(c, op[0], op[1])).as(op[0]).isEqualTo("UNAUTHORIZED");
    }
  }

  @Test
  void aBadTokenFailsTheConnect() {
    assertThatThrownBy(
            () -> RcpClient.connect(fixture.options().withToken("wrong")).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("AUTH_FAILED");
  }

  @Test
  void withTheGoodTokenEveryOpRuns() {
    RcpClient c = fixture.client(fixture.options().withToken(TOKEN));
    for (String[] op : GATED) {
      try {
        JsonNode r =
            c.call(op[0], op[1] == null ? null : ServerFixture.json(op[1]))
                .get(10, TimeUnit.SECONDS);
        assertThat(r.isObject()).isTrue();
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(RcpErrorException.class);
        String failure = ((RcpErrorException) e.getCause()).codeName();
        assertThat(failure).as(op[0]).isNotIn("UNAUTHORIZED", "INTERNAL_ERROR");
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    // The writes happened: the log's head moved (entry_count counts only what COMPACT kept).
    assertThat(call(c, "WAL_STATS", null).get("latest_offset").asLong()).isGreaterThan(2);
  }

  @Test
  void aBatchSentBeforeAuthRunsNothing() {
    RcpClient c = fixture.client();
    assertThat(code(c, GATED.get(8)[0], GATED.get(8)[1])).isEqualTo("UNAUTHORIZED");
    RcpClient good = fixture.client(fixture.options().withToken(TOKEN));
    assertThat(call(good, "WAL_STATS", null).get("entry_count").asLong()).isZero();
  }

  @Test
  void fiveFailedAuthsCloseTheConnection() throws Exception {
    try (RawConnection raw = new RawConnection(fixture.port())) {
      for (int i = 1; i <= 5; i++) {
        raw.sendJson(
            "{\"type\":\"request\",\"id\":\""
                + i
                + "\",\"op\":\"AUTH\",\"params\":{\"method\":\"bearer\",\"token\":\"bad\"}}");
        assertThat(raw.readFrame().at("/error/code").asText()).isEqualTo("AUTH_FAILED");
      }
      assertThat(raw.closedByServer()).isTrue();
    }
  }
}
