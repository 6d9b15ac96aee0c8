package io.rstmdb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.cli.connect.Connection;
import io.rstmdb.cli.connect.ConnectionSettings;
import io.rstmdb.cli.connect.RcpConnector;
import io.rstmdb.cli.connect.ServerAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed page's shell examples, copied verbatim, run with bash against a real server with the
 * real launcher ({@code bin/rstmdb-cli}) on PATH.
 */
class SeedScriptsIT {

  /** "Export WAL for Backup", exactly as on the seed page. */
  static final String EXPORT_WAL =
      """
      #!/bin/bash
      # Export all WAL entries to JSON file

      offset=0
      while true; do
      result=$(rstmdb-cli wal-read --from-offset $offset --limit 1000 --json)

      records=$(echo "$result" | jq '.records')
      echo "$records" >> wal-backup.json

      next=$(echo "$result" | jq '.next_offset')
      count=$(echo "$records" | jq 'length')

      if [ "$count" -lt 1000 ]; then
      break
      fi

      offset=$next
      done
      """;

  /** "Monitor WAL Growth", exactly as on the seed page. */
  static final String MONITOR_WAL =
      """
      #!/bin/bash
      # Alert if WAL exceeds threshold

      MAX_SIZE_MB=500

      stats=$(rstmdb-cli wal-stats --json)
      size_bytes=$(echo "$stats" | jq '.total_size_bytes')
      size_mb=$((size_bytes / 1048576))

      if [ $size_mb -gt $MAX_SIZE_MB ]; then
      echo "WARNING: WAL size ${size_mb}MB exceeds ${MAX_SIZE_MB}MB"
      # Trigger compaction
      rstmdb-cli compact
      fi
      """;

  /** The seed's JavaScript "Build Event Replay" loop, as a shell script counting entry types. */
  static final String EVENT_REPLAY =
      """
      #!/bin/bash
      # Rebuild state from WAL: count entries by type
      declare -A counts
      offset=0
      while true; do
        result=$(rstmdb-cli wal-read --from-offset $offset --limit 1000 --json)
        for type in $(echo "$result" | jq -r '.records[].entry.type'); do
          counts[$type]=$(( ${counts[$type]:-0} + 1 ))
        done
        if [ "$(echo "$result" | jq '.records | length')" -lt 1000 ]; then
          break
        fi
        offset=$(echo "$result" | jq '.next_offset')
      done
      for type in "${!counts[@]}"; do echo "$type ${counts[$type]}"; done | sort
      """;

  static final int INSTANCES = 1_200;
  static final int EVENTS = 30;

  @TempDir static Path dir;
  static EmbeddedServer server;
  static Path pathDir;
  final ObjectMapper mapper = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(
        commandExists("jq"),
        "jq is not installed: skipping the seed scripts (the CI script installs it)");
    Path repo = repoRoot();
    Path jar = repo.resolve("cli/target/rstmdb-cli.jar");
    assumeTrue(Files.isRegularFile(jar), "no " + jar + " (run `mvn -pl cli verify`)");
    pathDir = Files.createDirectories(dir.resolve("path"));
    Files.createSymbolicLink(pathDir.resolve("rstmdb-cli"), repo.resolve("bin/rstmdb-cli"));
    server = EmbeddedServer.start(dir.resolve("data"));
    fill(server);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** 1 machine + 1200 instances + 30 events: more than one 1000-record page. */
  private static void fill(EmbeddedServer server) throws Exception {
    ObjectMapper m = new ObjectMapper();
    Connection c =
        new RcpConnector()
            .connect(ConnectionSettings.plain(ServerAddress.parse(server.hostPort())));
    try {
      c.call(
              "PUT_MACHINE",
              m.readTree(
                  "{\"machine\":\"order\",\"version\":1,\"definition\":" + CommandsIT.ORDER + "}"))
          .get(10, TimeUnit.SECONDS);
      List<CompletableFuture<JsonNode>> pending = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        ObjectNode p = m.createObjectNode().put("machine", "order").put("version", 1);
        pending.add(c.call("CREATE_INSTANCE", p.put("instance_id", "seed-" + i)));
      }
      for (int i = 0; i < EVENTS; i++) {
        pending.add(
            c.call(
                "APPLY_EVENT",
                m.createObjectNode().put("instance_id", "seed-" + i).put("event", "PAY")));
      }
      CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]))
          .get(60, TimeUnit.SECONDS);
    } finally {
      c.close();
    }
  }

  @Test
  void exportWalForBackup() throws Exception {
    Path work = Files.createDirectories(dir.resolve("export"));

    Result result = bash(work, EXPORT_WAL);

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<JsonNode> records = new ArrayList<>();
    // The file is a sequence of JSON arrays, one per page, as the script appends them.
    try (JsonParser pages = mapper.createParser(work.resolve("wal-backup.json").toFile())) {
      for (JsonNode page = mapper.readTree(pages); page != null; page = mapper.readTree(pages)) {
        assertThat(page.isArray()).isTrue();
        page.forEach(records::add);
      }
    }
    int expected = 1 + INSTANCES + EVENTS;
    assertThat(records).as(result.err()).hasSize(expected);
    for (int i = 0; i < expected; i++) {
      assertThat(records.get(i).path("offset").asLong()).isEqualTo(i);
      assertThat(records.get(i).path("sequence").asLong()).isEqualTo(i + 1);
    }
    assertThat(records.get(expected - 1).path("entry").path("type").asText())
        .isEqualTo("apply_event");
  }

  @Test
  void monitorWalGrowthStaysQuietBelowTheThreshold() throws Exception {
    Result result = bash(dir, MONITOR_WAL);

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEmpty();
  }

  @Test
  void monitorWalGrowthCompactsAboveTheThreshold() throws Exception {
    // A server of its own: the compaction deletes the WAL history the other scripts read.
    try (EmbeddedServer own = EmbeddedServer.start(dir.resolve("compacted"))) {
      fill(own);
      Result result = bash(dir, MONITOR_WAL.replace("MAX_SIZE_MB=500", "MAX_SIZE_MB=-1"), own);

      assertThat(result.exitCode()).as(result.err()).isZero();
      // total_size_bytes is the size on disk, the WAL's zero-filled MiB included.
      assertThat(result.out()).startsWith("WARNING: WAL size 1MB exceeds -1MB\n");
      assertThat(result.out())
          .contains("Compaction complete")
          .containsPattern("segments deleted:\\s+1\\n")
          .contains("bytes reclaimed:");
    }
  }

  @Test
  void nonAsciiTextSurvivesAPosixLocale() throws Exception {
    // Cron runs scripts without LANG; the launcher must still pass arguments and output as UTF-8.
    try (EmbeddedServer own = EmbeddedServer.start(dir.resolve("posix"))) {
      Result result =
          bash(
              dir,
              """
              export LC_ALL=POSIX; unset LANG LC_CTYPE
              rstmdb-cli put-machine -n 'zoë' -v 1 \
                '{"states":["a"],"initial":"a","transitions":[]}' >/dev/null
              rstmdb-cli create-instance -m 'zoë' -V 1 -i 'ü-1' -c '{"name":"Zoë ✓"}' >/dev/null
              rstmdb-cli get-instance 'ü-1' --json | jq -r '.ctx.name'
              """,
              own);
      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(result.out().strip()).isEqualTo("Zoë ✓");
      Connection c =
          new RcpConnector().connect(ConnectionSettings.plain(ServerAddress.parse(own.hostPort())));
      try {
        JsonNode stored =
            c.call("GET_INSTANCE", mapper.readTree("{\"instance_id\":\"ü-1\"}"))
                .get(10, TimeUnit.SECONDS);
        assertThat(stored.at("/ctx/name").asText()).isEqualTo("Zoë ✓");
        assertThat(stored.get("machine").asText()).isEqualTo("zoë");
      } finally {
        c.close();
      }
    }
  }

  @Test
  void eventReplayCountsEntriesByType() throws Exception {
    Result result = bash(dir, EVENT_REPLAY);

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().lines())
        .contains("put_machine 1", "create_instance " + INSTANCES, "apply_event " + EVENTS);
  }

  record Result(int exitCode, String out, String err) {}

  private Result bash(Path cwd, String script) throws IOException, InterruptedException {
    return bash(cwd, script, server);
  }

  private Result bash(Path cwd, String script, EmbeddedServer target)
      throws IOException, InterruptedException {
    Path file = Files.createTempFile(dir, "script", ".sh");
    Files.writeString(file, script, StandardCharsets.UTF_8);
    ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).directory(cwd.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("RSTMDB_"));
    env.put("PATH", pathDir + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("RSTMDB_SERVER", target.hostPort());
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = pb.start();
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("script did not finish in 180 s: " + Files.readString(err));
    }
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static boolean commandExists(String name) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
        return true;
      }
    }
    return false;
  }

  /** The repository root: the nearest ancestor of the working directory holding bin/rstmdb-cli. */
  private static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("bin/rstmdb-cli"))) {
      p = p.getParent();
    }
    assumeTrue(p != null, "bin/rstmdb-cli not found above " + Path.of("").toAbsolutePath());
    return p;
  }
}
