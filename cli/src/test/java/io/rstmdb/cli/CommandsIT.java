package io.rstmdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every one-shot command against a real server over a real socket. */
class CommandsIT {

  static final String ORDER =
      "{\"states\":[\"created\",\"paid\",\"shipped\"],\"initial\":\"created\","
          + "\"transitions\":[{\"from\":\"created\",\"event\":\"PAY\",\"to\":\"paid\"},"
          + "{\"from\":\"paid\",\"event\":\"SHIP\",\"to\":\"shipped\"}]}";

  @TempDir static Path dir;
  static EmbeddedServer server;
  final ObjectMapper mapper = new ObjectMapper();

  @BeforeAll
  static void start() {
    server = EmbeddedServer.start(dir.resolve("data"));
    CliRun put = server.cli("put-machine", "-n", "order", "-v", "1", ORDER);
    assertThat(put.exitCode()).as(put.err()).isZero();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  JsonNode json(CliRun run) throws Exception {
    assertThat(run.exitCode()).as(run.err()).isZero();
    return mapper.readTree(run.out());
  }

  @Test
  void aRequestOverTheFrameLimitIsAUsageErrorAndTheReplGoesOn() throws Exception {
    Path big = dir.resolve("big.json");
    java.nio.file.Files.writeString(big, "{\"big\":\"" + "x".repeat(17 * 1024 * 1024) + "\"}");
    CliRun oneShot = server.cli("create-instance", "-m", "order", "-V", "1", "-c", "@" + big);
    assertThat(oneShot.exitCode()).as(oneShot.err()).isEqualTo(2);
    assertThat(oneShot.err()).startsWith("ERROR: request too large").doesNotContain("connection");

    CliRun script = server.cliWithStdin("c order 1 big-1 @" + big + "\nping\n");
    assertThat(script.out()).contains("PONG");
    assertThat(script.exitCode()).isEqualTo(2);
  }

  @Test
  void pingAndInfo() throws Exception {
    assertThat(server.cli("ping").out()).isEqualTo("PONG\n");
    CliRun byName =
        CliRun.run(
            new io.rstmdb.cli.connect.RcpConnector(),
            java.util.Map.of(),
            "",
            "-s",
            "localhost:" + server.port(),
            "ping");
    assertThat(byName.out()).as(byName.err()).isEqualTo("PONG\n");
    assertThat(server.cli("ping", "--wire-mode", "jsonl").out()).isEqualTo("PONG\n");
    JsonNode info = json(server.cli("info", "--json"));
    assertThat(info.path("server_name").asText()).isEqualTo("rstmdb-java");
    assertThat(info.path("protocol_version").asInt()).isEqualTo(1);
  }

  @Test
  void machines() throws Exception {
    assertThat(server.cli("put-machine", "-n", "order", "-v", "1", ORDER).out())
        .startsWith("Already exists machine order v1 (checksum: ");
    Path file = dir.resolve("v2.json");
    Files.writeString(file, ORDER, StandardCharsets.UTF_8);
    CliRun v2 =
        server.cli("put-machine", "--name", "order", "--version", "2", "@" + file, "--json");
    JsonNode created = json(v2);
    assertThat(created.path("created").asBoolean()).isTrue();
    assertThat(created.path("stored_checksum").asText()).hasSize(64);

    CliRun get = server.cli("get-machine", "-n", "order", "-v", "2");
    assertThat(get.out())
        .startsWith(
            "Machine order v2 (checksum: " + created.path("stored_checksum").asText() + ")\n");
    assertThat(get.out()).contains("\"initial\" : \"created\"");
    assertThat(
            json(server.cli("get-machine", "-n", "order", "-v", "2", "--json"))
                .path("definition")
                .path("states"))
        .hasSize(3);

    List<String> list = server.cli("list-machines").out().lines().toList();
    assertThat(list.get(0)).startsWith("MACHINE");
    assertThat(list).anyMatch(l -> l.matches("order\\s+1,2\\s+v2\\s+3\\s+2\\s*"));
    JsonNode items = json(server.cli("list-machines", "--json")).path("items");
    assertThat(items.get(0).path("machine").asText()).isEqualTo("order");

    CliRun missing = server.cli("get-machine", "-n", "order", "-v", "9");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).startsWith("ERROR MACHINE_NOT_FOUND: ");
  }

  @Test
  void instanceLifecycle() throws Exception {
    CliRun create =
        server.cli(
            "create-instance",
            "-m",
            "order",
            "-V",
            "1",
            "-i",
            "life-1",
            "-c",
            "{\"customer\":\"alice\"}");
    assertThat(create.out())
        .as(create.err())
        .startsWith("Created instance life-1\n")
        .contains("state:      created");

    JsonNode applied =
        json(
            server.cli(
                "apply-event",
                "-i",
                "life-1",
                "-e",
                "PAY",
                "-p",
                "{\"amount\":10}",
                "--expected-state",
                "created",
                "--json"));
    assertThat(applied.path("from_state").asText()).isEqualTo("created");
    assertThat(applied.path("to_state").asText()).isEqualTo("paid");
    assertThat(applied.path("ctx").path("customer").asText()).isEqualTo("alice");
    assertThat(applied.path("applied").asBoolean()).isTrue();

    CliRun conflict =
        server.cli("apply-event", "-i", "life-1", "-e", "SHIP", "--expected-offset", "0");
    assertThat(conflict.exitCode()).isEqualTo(1);
    assertThat(conflict.err()).startsWith("ERROR CONFLICT: ");

    CliRun invalid = server.cli("apply-event", "-i", "life-1", "-e", "PAY");
    assertThat(invalid.err()).startsWith("ERROR INVALID_TRANSITION: ");

    CliRun get = server.cli("get-instance", "life-1");
    assertThat(get.out())
        .contains("machine:         order v1")
        .contains("state:           paid")
        .contains("\"amount\" : 10");
    JsonNode got = json(server.cli("get-instance", "life-1", "--json"));
    assertThat(got.path("last_wal_offset").asLong()).isEqualTo(applied.path("wal_offset").asLong());

    CliRun list = server.cli("list-instances", "--machine", "order", "--state", "paid");
    assertThat(list.out()).contains("life-1").contains("of ");
    JsonNode page = json(server.cli("list-instances", "--state", "paid", "--limit", "1", "--json"));
    assertThat(page.has("total")).isTrue();
    assertThat(page.has("has_more")).isTrue();

    assertThat(server.cli("snapshot-instance", "life-1").out()).startsWith("Snapshot ");
    assertThat(server.cli("delete-instance", "life-1").out())
        .startsWith("Deleted instance life-1 (wal offset ");
    CliRun gone = server.cli("get-instance", "life-1");
    assertThat(gone.exitCode()).isEqualTo(1);
    assertThat(gone.err()).startsWith("ERROR INSTANCE_NOT_FOUND: ");
    assertThat(gone.out()).isEmpty();
  }

  @Test
  void idempotentCreateReturnsTheOriginal() throws Exception {
    JsonNode first =
        json(
            server.cli(
                "create-instance", "-m", "order", "-V", "1", "--idempotency-key", "k-1", "--json"));
    JsonNode again =
        json(
            server.cli(
                "create-instance", "-m", "order", "-V", "1", "--idempotency-key", "k-1", "--json"));
    assertThat(again.path("instance_id")).isEqualTo(first.path("instance_id"));
  }

  @Test
  void batchFromStdin() throws Exception {
    String ops =
        "[{\"op\":\"CREATE_INSTANCE\",\"params\":{\"machine\":\"order\",\"version\":1,\"instance_id\":\"b-1\"}},"
            + "{\"op\":\"APPLY_EVENT\",\"params\":{\"instance_id\":\"b-1\",\"event\":\"PAY\"}}]";
    JsonNode result = json(server.cliWithStdin(ops, "batch", "-", "--atomic", "--json"));
    assertThat(result.path("results")).hasSize(2);
    assertThat(result.path("results").get(1).path("result").path("to_state").asText())
        .isEqualTo("paid");

    Path file = dir.resolve("batch.json");
    Files.writeString(
        file,
        "{\"mode\":\"best_effort\",\"ops\":[{\"op\":\"APPLY_EVENT\",\"params\":{\"instance_id\":\"b-1\",\"event\":\"SHIP\"}},"
            + "{\"op\":\"APPLY_EVENT\",\"params\":{\"instance_id\":\"b-1\",\"event\":\"PAY\"}}]}");
    CliRun mixed = server.cli("batch", file.toString());
    assertThat(mixed.exitCode()).isEqualTo(1);
    assertThat(mixed.out()).startsWith("[0] ok ").contains("[1] error INVALID_TRANSITION: ");
  }

  @Test
  void walCommands() throws Exception {
    server.cli("create-instance", "-m", "order", "-V", "1", "-i", "w-1");
    JsonNode all = json(server.cli("wal-read", "--json"));
    JsonNode records = all.path("records");
    assertThat(records.size()).isGreaterThanOrEqualTo(2);
    assertThat(records.get(0).path("offset").asLong()).isZero();
    assertThat(records.get(0).path("entry").path("type").asText()).isEqualTo("put_machine");
    assertThat(all.path("next_offset").asLong())
        .isEqualTo(records.get(records.size() - 1).path("offset").asLong() + 1);

    CliRun text = server.cli("wal-read", "-f", "0", "-l", "1");
    assertThat(text.out()).isEqualTo("[1] 0 | put_machine order v1\nNext offset: 1\n");

    JsonNode stats = json(server.cli("wal-stats", "--json"));
    assertThat(stats.path("total_size_bytes").asLong()).isPositive();
    assertThat(stats.path("io_stats").has("fsyncs")).isTrue();
    assertThat(server.cli("wal-stats").out()).contains("WAL statistics").contains("segments:");

    CliRun compact = server.cli("compact");
    assertThat(compact.out())
        .as(compact.err())
        .contains("snapshots created:")
        .contains("bytes reclaimed:");
  }

  @Test
  void unwatchFromAFreshSessionFindsNothing() {
    CliRun run = server.cli("unwatch", "sub-none");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("Warning: subscription sub-none not found\n");
  }

  @Test
  void flushAllIsRefusedUnlessEnabledAndWorksWhenItIs() throws Exception {
    CliRun refused = server.cli("flush-all");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).startsWith("ERROR BAD_REQUEST: ");

    try (EmbeddedServer flushable =
        EmbeddedServer.start(
            dir.resolve("flushable"), c -> c.withStorage(c.storage().withAllowFlushAll(true)))) {
      flushable.cli("put-machine", "-n", "order", "-v", "1", ORDER);
      flushable.cli("create-instance", "-m", "order", "-V", "1", "-i", "f-1");
      CliRun flushed = flushable.cli("flush-all");
      assertThat(flushed.out())
          .as(flushed.err())
          .isEqualTo("Flushed: 1 instances and 1 machine versions removed\n");
    }
  }

  @Test
  void serverDownIsOneLineAndExitThree() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    CliRun run =
        CliRun.run(new io.rstmdb.cli.connect.RcpConnector(), "-s", "127.0.0.1:" + port, "ping");
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err())
        .isEqualTo("ERROR: cannot connect to 127.0.0.1:" + port + ": connection refused\n");
  }

  @Test
  void aMistypedTransportIsAUsageError() {
    String before = System.setProperty("rstmdb.transport", "epol");
    try {
      CliRun run =
          CliRun.run(new io.rstmdb.cli.connect.RcpConnector(), "-s", "127.0.0.1:1", "ping");
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err())
          .isEqualTo(
              "ERROR: -Drstmdb.transport=epol names no transport (io_uring, epoll or nio)\n");
    } finally {
      if (before == null) {
        System.clearProperty("rstmdb.transport");
      } else {
        System.setProperty("rstmdb.transport", before);
      }
    }
  }
}
