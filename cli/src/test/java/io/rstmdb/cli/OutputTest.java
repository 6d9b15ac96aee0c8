package io.rstmdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputTest {

  private final ScriptedConnector server = new ScriptedConnector();
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void putMachineSaysWhetherItCreatedAndSendsTheDefinition() {
    server.answer(
        "PUT_MACHINE",
        "{\"machine\":\"order\",\"version\":1,\"stored_checksum\":\"c0ffee\",\"created\":false}");

    CliRun run =
        CliRun.run(
            server,
            Map.of(),
            "{\"states\":[\"a\"],\"initial\":\"a\",\"transitions\":[]}",
            "put-machine",
            "-n",
            "order",
            "-v",
            "1",
            "-");

    assertThat(run.out()).isEqualTo("Already exists machine order v1 (checksum: c0ffee)\n");
    JsonNode sent = server.sent.get(0).params();
    assertThat(sent.path("machine").asText()).isEqualTo("order");
    assertThat(sent.path("definition").path("initial").asText()).isEqualTo("a");
  }

  @Test
  void jsonPrintsTheResultObjectUnchanged() throws Exception {
    String stats =
        "{\"entry_count\":3,\"segment_count\":1,\"total_size_bytes\":2048,\"latest_offset\":2,"
            + "\"io_stats\":{\"bytes_written\":2048,\"bytes_read\":0,\"writes\":3,\"reads\":0,\"fsyncs\":3}}";
    server.answer("WAL_STATS", stats);

    CliRun run = CliRun.run(server, "wal-stats", "--json");

    assertThat(mapper.readTree(run.out())).isEqualTo(mapper.readTree(stats));
  }

  @Test
  void walStatsForPeople() {
    server.answer(
        "WAL_STATS",
        "{\"entry_count\":50000,\"segment_count\":3,\"total_size_bytes\":157286400,\"latest_offset\":49999,"
            + "\"io_stats\":{\"bytes_written\":1536,\"bytes_read\":0,\"writes\":3,\"reads\":0,\"fsyncs\":2}}");

    String out = CliRun.run(server, "wal-stats").out();

    assertThat(out)
        .contains("entries:        50000")
        .contains("total size:     150.0 MiB (157286400 bytes)")
        .contains("latest offset:  49999")
        .contains("bytes written: 1.5 KiB")
        .contains("fsyncs:        2");
  }

  @Test
  void walReadWithoutLimitPagesThroughEverything() {
    server.answer("WAL_READ", params -> page(params.path("from_offset").asLong(), 2500));

    CliRun run = CliRun.run(server, "wal-read");

    assertThat(server.sent)
        .extracting(s -> s.params().path("from_offset").asLong())
        .containsExactly(0L, 1000L, 2000L);
    assertThat(server.sent).allMatch(s -> s.params().path("limit").asLong() == 1000);
    assertThat(run.out().lines()).hasSize(2501);
    assertThat(run.out()).startsWith("[1] 0 | apply_event o-1: a --GO--> b\n");
    assertThat(run.out()).endsWith("Next offset: 2500\n");
  }

  @Test
  void walReadWithLimitIsOneRequestAndJsonKeepsItsShape() throws Exception {
    server.answer("WAL_READ", params -> page(params.path("from_offset").asLong(), 2500));

    CliRun run = CliRun.run(server, "wal-read", "--from-offset", "7", "--limit", "1000", "--json");

    assertThat(server.sent).hasSize(1);
    JsonNode result = mapper.readTree(run.out());
    assertThat(result.path("records")).hasSize(1000);
    assertThat(result.path("next_offset").asLong()).isEqualTo(1007);
  }

  @Test
  void walReadLinesDescribeEachEntryType() {
    server.answer(
        "WAL_READ",
        "{\"records\":[{\"sequence\":1,\"offset\":0,\"entry\":{\"type\":\"put_machine\",\"machine\":\"order\",\"version\":1}},"
            + "{\"sequence\":2,\"offset\":1,\"entry\":{\"type\":\"create_instance\",\"instance_id\":\"o-1\",\"machine\":\"order\",\"version\":1,\"initial_state\":\"pending\"}},"
            + "{\"sequence\":3,\"offset\":2,\"entry\":{\"type\":\"delete_instance\",\"instance_id\":\"o-1\"}},"
            + "{\"sequence\":4,\"offset\":3,\"entry\":{\"type\":\"checkpoint\"}}],\"next_offset\":4}");

    String out = CliRun.run(server, "wal-read", "-f", "0", "-l", "10").out();

    assertThat(out)
        .isEqualTo(
            "[1] 0 | put_machine order v1\n"
                + "[2] 1 | create_instance o-1 (order v1) -> pending\n"
                + "[3] 2 | delete_instance o-1\n"
                + "[4] 3 | checkpoint\n"
                + "Next offset: 4\n");
  }

  @Test
  void compactShowsFiveCountersWithHumanBytes() {
    server.answer(
        "COMPACT",
        "{\"snapshots_created\":5,\"segments_deleted\":2,\"bytes_reclaimed\":134217728,"
            + "\"total_snapshots\":10,\"wal_segments\":1}");

    CliRun run = CliRun.run(server, "compact", "--force");

    assertThat(server.sent.get(0).params().path("force_snapshot").asBoolean()).isTrue();
    assertThat(run.out())
        .contains("snapshots created: 5")
        .contains("segments deleted:  2")
        .contains("bytes reclaimed:   128.0 MiB")
        .contains("total snapshots:   10")
        .contains("wal segments:      1");
  }

  @Test
  void listInstancesIsATableWithPaging() {
    server.answer(
        "LIST_INSTANCES",
        "{\"instances\":[{\"id\":\"o-1\",\"machine\":\"order\",\"version\":1,\"state\":\"paid\","
            + "\"created_at\":0,\"updated_at\":0,\"last_wal_offset\":12}],\"total\":3,\"has_more\":true}");

    CliRun run =
        CliRun.run(server, "list-instances", "--machine", "order", "--limit", "1", "--offset", "1");

    JsonNode sent = server.sent.get(0).params();
    assertThat(sent.path("machine").asText()).isEqualTo("order");
    assertThat(sent.path("limit").asInt()).isEqualTo(1);
    assertThat(sent.path("offset").asInt()).isEqualTo(1);
    assertThat(run.out().lines().toList())
        .containsExactly(
            "ID   MACHINE  VERSION  STATE  LAST_WAL_OFFSET  UPDATED_AT",
            "o-1  order    1        paid   12               1970-01-01T00:00:00Z",
            "Showing 2-2 of 3 (more: --offset 2)");
  }

  @Test
  void applyEventSendsOnlyTheGivenOptions() {
    server.answer(
        "APPLY_EVENT",
        "{\"from_state\":\"a\",\"to_state\":\"b\",\"ctx\":{},\"wal_offset\":9,\"applied\":true}");

    CliRun run =
        CliRun.run(
            server,
            "apply-event",
            "-i",
            "o-1",
            "-e",
            "GO",
            "-p",
            "{\"n\":1}",
            "--expected-state",
            "a",
            "--expected-offset",
            "8",
            "--idempotency-key",
            "k1");

    JsonNode sent = server.sent.get(0).params();
    assertThat(sent.path("payload").path("n").asInt()).isEqualTo(1);
    assertThat(sent.path("expected_state").asText()).isEqualTo("a");
    assertThat(sent.path("expected_wal_offset").asLong()).isEqualTo(8);
    assertThat(sent.path("idempotency_key").asText()).isEqualTo("k1");
    assertThat(sent.has("event_id")).isFalse();
    assertThat(run.out()).isEqualTo("Applied event GO on o-1\n  a -> b\n  wal offset: 9\n");
  }

  @Test
  void batchFromStdinWithAFailedItemExitsOne() {
    server.answer(
        "BATCH",
        "{\"results\":[{\"status\":\"ok\",\"result\":{\"instance_id\":\"x\"},\"error\":null},"
            + "{\"status\":\"error\",\"result\":null,\"error\":{\"code\":\"INVALID_TRANSITION\",\"message\":\"no\",\"retryable\":false}}]}");

    CliRun run =
        CliRun.run(
            server,
            Map.of(),
            "[{\"op\":\"CREATE_INSTANCE\",\"params\":{}}]",
            "batch",
            "-",
            "--atomic");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(server.sent.get(0).params().path("mode").asText()).isEqualTo("atomic");
    assertThat(run.out())
        .isEqualTo("[0] ok {\"instance_id\":\"x\"}\n[1] error INVALID_TRANSITION: no\n");
  }

  private JsonNode page(long from, long end) {
    ObjectNode result = mapper.createObjectNode();
    ArrayNode records = result.putArray("records");
    long last = Math.min(end, from + 1000);
    for (long o = from; o < last; o++) {
      ObjectNode r = records.addObject().put("sequence", o + 1).put("offset", o);
      r.putObject("entry")
          .put("type", "apply_event")
          .put("instance_id", "o-1")
          .put("event", "GO")
          .put("from_state", "a")
          .put("to_state", "b");
    }
    result.put("next_offset", last);
    return result;
  }
}
