package io.rstmdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rstmdb.cli.connect.RcpConnector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchIT {

  @TempDir static Path dir;
  static EmbeddedServer server;
  final ObjectMapper mapper = new ObjectMapper();

  @BeforeAll
  static void start() {
    server = EmbeddedServer.start(dir);
    server.cli("put-machine", "-n", "order", "-v", "1", CommandsIT.ORDER);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void watchInstancePrintsLiveEventsAsJsonLines() throws Exception {
    server.cli("create-instance", "-m", "order", "-V", "1", "-i", "watched");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CompletableFuture<Integer> watching =
        CompletableFuture.supplyAsync(
            () ->
                Main.run(
                    new String[] {"watch-instance", "watched", "--max-events", "2"},
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    new ByteArrayInputStream(new byte[0]),
                    server.env(),
                    new RcpConnector()));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!err.toString(StandardCharsets.UTF_8).contains("Watching instance watched")
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("Watching instance watched in state created");

    server.cli("apply-event", "-i", "watched", "-e", "PAY", "-p", "{\"amount\":5}");
    server.cli("apply-event", "-i", "watched", "-e", "SHIP");

    assertThat(watching.get(10, TimeUnit.SECONDS)).isZero();
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(2);
    JsonNode first = mapper.readTree(lines.get(0));
    assertThat(first.path("type").asText()).isEqualTo("event");
    assertThat(first.path("instance_id").asText()).isEqualTo("watched");
    assertThat(first.path("to_state").asText()).isEqualTo("paid");
    assertThat(first.path("ctx").path("amount").asInt()).isEqualTo(5);
    assertThat(mapper.readTree(lines.get(1)).path("event").asText()).isEqualTo("SHIP");
  }

  @Test
  void watchAllReplaysFromAnOffsetWithFilters() throws Exception {
    // Its own machine, so the other test's events cannot match the filter.
    server.cli("put-machine", "-n", "replay", "-v", "1", CommandsIT.ORDER);
    server.cli("create-instance", "-m", "replay", "-V", "1", "-i", "replayed");
    server.cli("apply-event", "-i", "replayed", "-e", "PAY");
    server.cli("apply-event", "-i", "replayed", "-e", "SHIP");

    CliRun run =
        server.cli(
            "watch-all",
            "--from-offset",
            "1",
            "--machines",
            "replay",
            "--events",
            "SHIP,NOPE",
            "--no-ctx",
            "--max-events",
            "1");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode event = mapper.readTree(run.out());
    assertThat(event.path("instance_id").asText()).as(run.out() + run.err()).isEqualTo("replayed");
    assertThat(event.path("event").asText()).isEqualTo("SHIP");
    assertThat(event.has("ctx")).isFalse();
    // The status line names where the replay starts, not only the head where live events begin.
    long head =
        mapper.readTree(server.cli("wal-stats", "--json").out()).path("latest_offset").asLong() + 1;
    assertThat(run.err())
        .startsWith(
            "Watching all instances from WAL offset 1, live from " + head + " (subscription");

    CliRun instance =
        server.cli("watch-instance", "replayed", "--from-offset", "1", "--max-events", "1");
    assertThat(instance.exitCode()).as(instance.err()).isZero();
    assertThat(instance.err())
        .contains("Watching instance replayed in state shipped at offset ")
        .contains(", replaying from WAL offset 1 first (subscription");

    CliRun jsonl =
        server.cli(
            "watch-all",
            "--wire-mode",
            "jsonl",
            "--from-offset",
            "1",
            "--machines",
            "replay",
            "--max-events",
            "2");
    assertThat(jsonl.exitCode()).as(jsonl.err()).isZero();
    assertThat(jsonl.out().lines().map(l -> l.contains("\"event\":\"PAY\"") ? "PAY" : "SHIP"))
        .containsExactly("PAY", "SHIP");
    assertThat(jsonl.out()).contains("\"ctx\":{");
  }
}
