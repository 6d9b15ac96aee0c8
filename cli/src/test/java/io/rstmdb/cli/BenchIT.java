package io.rstmdb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rstmdb.cli.connect.Connection;
import io.rstmdb.cli.connect.ConnectionSettings;
import io.rstmdb.cli.connect.RcpConnector;
import io.rstmdb.cli.connect.ServerAddress;
import io.rstmdb.cli.connect.ServerErrorException;
import io.rstmdb.protocol.client.PreparedRequest;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BenchIT {

  @TempDir static Path dir;
  static EmbeddedServer server;
  final ObjectMapper mapper = new ObjectMapper();

  @BeforeAll
  static void start() {
    server = EmbeddedServer.start(dir);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void applySmokeRunHasOpsAndNoErrors() throws Exception {
    CliRun run =
        server.cli(
            "bench",
            "apply",
            "--connections",
            "2",
            "--duration",
            "2",
            "--warmup",
            "0.5",
            "--pipeline",
            "4",
            "--instances",
            "3",
            "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode summary = mapper.readTree(run.out());
    assertThat(summary.path("scenario").asText()).isEqualTo("apply");
    assertThat(summary.path("ops").asLong()).isPositive();
    assertThat(summary.path("ops_per_sec").asDouble()).isPositive();
    assertThat(summary.path("error_count").asLong()).isZero();
    assertThat(summary.path("latency_us").path("p99").asLong())
        .isGreaterThanOrEqualTo(summary.path("latency_us").path("p50").asLong());
    // The header says what was asked; every second gets a progress line, a last part second too.
    assertThat(run.err()).contains("0.5 s warm-up, 2 s measured");
    assertThat(run.err().lines().filter(l -> l.contains("] warmup ")).count()).isEqualTo(1);
    assertThat(run.err().lines().filter(l -> l.contains("] measure ")).count()).isEqualTo(2);
  }

  /** The bench's path: prepared requests, outcome only, server errors by their code. */
  @Test
  void aPreparedSendReportsSuccessAndServerErrorsByCode() throws Exception {
    try (Connection c =
        new RcpConnector()
            .connect(ConnectionSettings.plain(ServerAddress.parse(server.hostPort())))) {
      assertThat(c.send(PreparedRequest.of("PING", null)).get(5, TimeUnit.SECONDS)).isNull();
      PreparedRequest missing =
          PreparedRequest.of("GET_INSTANCE", mapper.createObjectNode().put("instance_id", "nope"));
      assertThatThrownBy(() -> c.send(missing).get(5, TimeUnit.SECONDS))
          .cause()
          .isInstanceOfSatisfying(
              ServerErrorException.class,
              e -> assertThat(e.code()).isEqualTo("INSTANCE_NOT_FOUND"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"create", "get", "mixed", "walread", "ping"})
  void everyScenarioRuns(String scenario) {
    CliRun run =
        server.cli("bench", scenario, "--connections", "2", "--duration", "0.5", "--warmup", "0");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("Scenario " + scenario + ": 2 connections x pipeline 1");
    assertThat(run.out()).contains("errors:      none");
    assertThat(run.out()).doesNotContain("ops:         0 ");
  }

  @Test
  void badScenarioIsAUsageError() {
    CliRun run = server.cli("bench", "nope");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("ERROR: unknown scenario 'nope'");
  }

  @Test
  void aDurationThatIsNotANumberOfSecondsIsAUsageError() {
    for (String[] bad :
        new String[][] {
          {"--duration", "NaN"}, {"--warmup", "NaN"}, {"--duration", "0"}, {"--warmup", "-1"}
        }) {
      CliRun run = server.cli("bench", "ping", bad[0], bad[1]);

      assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
      assertThat(run.err()).startsWith("ERROR: --connections and --pipeline must be >= 1");
    }
    CliRun tooLong = server.cli("bench", "ping", "--duration", "1e12");
    assertThat(tooLong.exitCode()).as(tooLong.err()).isEqualTo(2);
    assertThat(tooLong.err()).startsWith("ERROR: --duration and --warmup must be at most 31536000");
  }

  @Test
  void ioThreadsBelowOneIsAUsageError() {
    for (String threads : new String[] {"0", "-1"}) {
      CliRun run = server.cli("bench", "ping", "--io-threads", threads);

      assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
      assertThat(run.err()).startsWith("ERROR: --io-threads must be >= 1");
    }
  }
}
