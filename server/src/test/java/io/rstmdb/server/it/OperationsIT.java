package io.rstmdb.server.it;

import static io.rstmdb.server.it.ItSupport.code;
import static io.rstmdb.server.it.ItSupport.error;
import static io.rstmdb.server.it.ItSupport.keys;
import static io.rstmdb.server.it.ServerFixture.ORDER;
import static io.rstmdb.server.it.ServerFixture.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.protocol.client.RcpErrorException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every database op over a real socket against the real engine and file storage: the exact result
 * key sets official clients read (operations.md §21, the seed page) and the error codes each op can
 * return.
 */
class OperationsIT {

  @TempDir Path dir;
  private ServerFixture fixture;
  private RcpClient client;

  @BeforeEach
  void start() {
    fixture = new ServerFixture(dir, c -> c.withStorage(c.storage().withMaxMachineVersions(2)));
    client = fixture.client();
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private void putOrder() {
    call(
        client,
        "PUT_MACHINE",
        "{\"machine\":\"order\",\"version\":1,\"definition\":" + ORDER + "}");
  }

  @Test
  void helloAndInfoDescribeThisServer() {
    JsonNode hello = client.hello();
    assertThat(keys(hello))
        .containsExactlyInAnyOrder(
            "protocol_version", "wire_mode", "server_name", "server_version", "features");
    assertThat(hello.get("server_name").asText()).isEqualTo("rstmdb-java");
    assertThat(hello.get("server_version").asText()).isEqualTo("0.1.0-SNAPSHOT");
    assertThat(
            error(client, "HELLO", "{\"protocol_version\":1,\"client_name\":5}").error().message())
        .contains("client_name");
    JsonNode info = call(client, "INFO", null);
    assertThat(keys(info))
        .containsExactlyInAnyOrder(
            "server_name",
            "server_version",
            "protocol_version",
            "features",
            "max_frame_bytes",
            "max_batch_ops");
    assertThat(info.get("features").toString())
        .isEqualTo("[\"idempotency\",\"batch\",\"wal_read\"]");
    assertThat(info.get("max_frame_bytes").asLong()).isEqualTo(16_777_216);
    assertThat(info.get("max_batch_ops").asInt()).isEqualTo(100);
  }

  @Test
  void machines() {
    JsonNode put =
        call(
            client,
            "PUT_MACHINE",
            "{\"machine\":\"order\",\"version\":1,\"definition\":" + ORDER + "}");
    assertThat(keys(put))
        .containsExactlyInAnyOrder("machine", "version", "stored_checksum", "created");
    assertThat(put.get("created").asBoolean()).isTrue();
    assertThat(put.get("stored_checksum").asText()).hasSize(64);
    JsonNode again =
        call(
            client,
            "PUT_MACHINE",
            "{\"machine\":\"order\",\"version\":1,\"definition\":" + ORDER + "}");
    assertThat(again.get("created").asBoolean()).isFalse();
    assertThat(
            code(
                client,
                "PUT_MACHINE",
                "{\"machine\":\"order\",\"version\":1,\"definition\":"
                    + ORDER.replace("shipped", "sent")
                    + "}"))
        .isEqualTo("MACHINE_VERSION_EXISTS");
    assertThat(
            code(
                client,
                "PUT_MACHINE",
                "{\"machine\":\"x\",\"version\":1,\"definition\":{\"states\":[\"a\"],\"initial\":\"b\",\"transitions\":[]}}"))
        .isEqualTo("BAD_REQUEST");
    assertThat(code(client, "PUT_MACHINE", "{\"version\":1,\"definition\":" + ORDER + "}"))
        .isEqualTo("BAD_REQUEST");
    assertThat(
            code(client, "PUT_MACHINE", "{\"machine\":\"order\",\"version\":-1,\"definition\":{}}"))
        .isEqualTo("BAD_REQUEST");
    assertThat(
            code(
                client,
                "PUT_MACHINE",
                "{\"machine\":\"order\",\"version\":7,\"checksum\":\"00\",\"definition\":"
                    + ORDER
                    + "}"))
        .isEqualTo("BAD_REQUEST");
    call(
        client,
        "PUT_MACHINE",
        "{\"machine\":\"order\",\"version\":2,\"definition\":" + ORDER + "}");
    assertThat(
            code(
                client,
                "PUT_MACHINE",
                "{\"machine\":\"order\",\"version\":3,\"definition\":" + ORDER + "}"))
        .isEqualTo("MACHINE_VERSION_LIMIT_EXCEEDED");

    JsonNode got = call(client, "GET_MACHINE", "{\"machine\":\"order\",\"version\":1}");
    assertThat(keys(got)).containsExactlyInAnyOrder("definition", "checksum");
    assertThat(got.get("checksum").asText()).isEqualTo(put.get("stored_checksum").asText());
    assertThat(got.at("/definition/transitions/0/from").isArray()).isTrue();
    assertThat(code(client, "GET_MACHINE", "{\"machine\":\"order\",\"version\":9}"))
        .isEqualTo("MACHINE_NOT_FOUND");
    assertThat(code(client, "GET_MACHINE", "{\"machine\":\"order\"}")).isEqualTo("BAD_REQUEST");

    JsonNode list = call(client, "LIST_MACHINES", null);
    assertThat(list.toString())
        .isEqualTo("{\"items\":[{\"machine\":\"order\",\"versions\":[1,2]}]}");
  }

  @Test
  void instancesLifecycle() {
    putOrder();
    JsonNode created =
        call(
            client,
            "CREATE_INSTANCE",
            "{\"instance_id\":\"o-1\",\"machine\":\"order\",\"version\":1,\"initial_ctx\":{\"amount\":5}}");
    assertThat(keys(created)).containsExactlyInAnyOrder("instance_id", "state", "wal_offset");
    assertThat(created.get("state").asText()).isEqualTo("created");
    assertThat(created.get("wal_offset").asLong()).isEqualTo(1);
    JsonNode generated = call(client, "CREATE_INSTANCE", "{\"machine\":\"order\",\"version\":1}");
    assertThat(generated.get("instance_id").asText())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(
            code(
                client,
                "CREATE_INSTANCE",
                "{\"instance_id\":\"o-1\",\"machine\":\"order\",\"version\":1}"))
        .isEqualTo("INSTANCE_EXISTS");
    assertThat(code(client, "CREATE_INSTANCE", "{\"machine\":\"nope\",\"version\":1}"))
        .isEqualTo("MACHINE_NOT_FOUND");
    assertThat(code(client, "CREATE_INSTANCE", "{\"machine\":\"order\",\"version\":\"1\"}"))
        .isEqualTo("BAD_REQUEST");

    JsonNode got = call(client, "GET_INSTANCE", "{\"instance_id\":\"o-1\"}");
    assertThat(keys(got))
        .containsExactlyInAnyOrder("machine", "version", "state", "ctx", "last_wal_offset");
    assertThat(got.get("ctx").toString()).isEqualTo("{\"amount\":5}");
    JsonNode noCtx =
        call(
            client,
            "GET_INSTANCE",
            "{\"instance_id\":\"" + generated.get("instance_id").asText() + "\"}");
    assertThat(noCtx.get("ctx").isObject()).isTrue();
    assertThat(code(client, "GET_INSTANCE", "{\"instance_id\":\"zzz\"}"))
        .isEqualTo("INSTANCE_NOT_FOUND");
    assertThat(code(client, "GET_INSTANCE", null)).isEqualTo("BAD_REQUEST");

    JsonNode applied =
        call(
            client,
            "APPLY_EVENT",
            "{\"instance_id\":\"o-1\",\"event\":\"PAY\",\"payload\":{\"paid\":true},\"event_id\":\"e1\",\"idempotency_key\":\"k1\"}");
    assertThat(keys(applied))
        .containsExactlyInAnyOrder(
            "from_state", "to_state", "ctx", "wal_offset", "applied", "event_id");
    assertThat(applied.get("applied").asBoolean()).isTrue();
    assertThat(applied.get("ctx").toString()).isEqualTo("{\"amount\":5,\"paid\":true}");
    JsonNode replay =
        call(
            client,
            "APPLY_EVENT",
            "{\"instance_id\":\"o-1\",\"event\":\"PAY\",\"idempotency_key\":\"k1\"}");
    assertThat(replay.get("applied").asBoolean()).isFalse();
    assertThat(replay.get("wal_offset").asLong()).isEqualTo(applied.get("wal_offset").asLong());
    JsonNode withEvent = call(client, "GET_INSTANCE", "{\"instance_id\":\"o-1\"}");
    assertThat(withEvent.get("last_event_id").asText()).isEqualTo("e1");
    assertThat(code(client, "APPLY_EVENT", "{\"instance_id\":\"o-1\",\"event\":\"PAY\"}"))
        .isEqualTo("INVALID_TRANSITION");
    assertThat(
            code(
                client,
                "APPLY_EVENT",
                "{\"instance_id\":\"o-1\",\"event\":\"SHIP\",\"expected_state\":\"created\"}"))
        .isEqualTo("CONFLICT");
    assertThat(
            code(
                client,
                "APPLY_EVENT",
                "{\"instance_id\":\"o-1\",\"event\":\"SHIP\",\"expected_wal_offset\":0}"))
        .isEqualTo("CONFLICT");
    call(
        client,
        "CREATE_INSTANCE",
        "{\"instance_id\":\"o-0\",\"machine\":\"order\",\"version\":1,\"initial_ctx\":{\"amount\":0}}");
    call(client, "APPLY_EVENT", "{\"instance_id\":\"o-0\",\"event\":\"PAY\"}");
    RcpErrorException guard =
        error(client, "APPLY_EVENT", "{\"instance_id\":\"o-0\",\"event\":\"SHIP\"}");
    assertThat(guard.codeName()).isEqualTo("GUARD_FAILED");
    assertThat(guard.retryable()).isFalse();
    assertThat(code(client, "APPLY_EVENT", "{\"instance_id\":\"nope\",\"event\":\"PAY\"}"))
        .isEqualTo("INSTANCE_NOT_FOUND");
    assertThat(code(client, "APPLY_EVENT", "{\"instance_id\":\"o-1\"}")).isEqualTo("BAD_REQUEST");

    JsonNode list = call(client, "LIST_INSTANCES", null);
    assertThat(keys(list)).containsExactlyInAnyOrder("instances", "total", "has_more");
    assertThat(list.get("total").asInt()).isEqualTo(3);
    assertThat(keys(list.at("/instances/0")))
        .containsExactlyInAnyOrder(
            "id", "machine", "version", "state", "created_at", "updated_at", "last_wal_offset");
    JsonNode page = call(client, "LIST_INSTANCES", "{\"state\":\"paid\",\"limit\":1}");
    assertThat(page.get("total").asInt()).isEqualTo(2);
    assertThat(page.get("has_more").asBoolean()).isTrue();
    assertThat(page.at("/instances/0/id").asText()).isEqualTo("o-0");
    assertThat(code(client, "LIST_INSTANCES", "{\"limit\":-5}")).isEqualTo("BAD_REQUEST");

    JsonNode snap = call(client, "SNAPSHOT_INSTANCE", "{\"instance_id\":\"o-1\"}");
    assertThat(keys(snap))
        .containsExactlyInAnyOrder(
            "instance_id", "snapshot_id", "wal_offset", "size_bytes", "checksum");
    assertThat(snap.get("snapshot_id").asText()).startsWith("snap-");
    assertThat(code(client, "SNAPSHOT_INSTANCE", "{\"instance_id\":\"nope\"}"))
        .isEqualTo("INSTANCE_NOT_FOUND");

    JsonNode deleted = call(client, "DELETE_INSTANCE", "{\"instance_id\":\"o-1\"}");
    assertThat(keys(deleted)).containsExactlyInAnyOrder("instance_id", "deleted", "wal_offset");
    assertThat(deleted.get("deleted").asBoolean()).isTrue();
    assertThat(code(client, "GET_INSTANCE", "{\"instance_id\":\"o-1\"}"))
        .isEqualTo("INSTANCE_NOT_FOUND");
    assertThat(code(client, "APPLY_EVENT", "{\"instance_id\":\"o-1\",\"event\":\"SHIP\"}"))
        .isEqualTo("INSTANCE_NOT_FOUND");
    assertThat(
            code(
                client,
                "CREATE_INSTANCE",
                "{\"instance_id\":\"o-1\",\"machine\":\"order\",\"version\":1}"))
        .isEqualTo("INSTANCE_EXISTS");
    assertThat(code(client, "DELETE_INSTANCE", "{\"instance_id\":\"nope\"}"))
        .isEqualTo("INSTANCE_NOT_FOUND");
    assertThat(code(client, "DELETE_INSTANCE", "{}")).isEqualTo("BAD_REQUEST");
  }

  @Test
  void batches() {
    putOrder();
    JsonNode atomic =
        call(
            client,
            "BATCH",
            "{\"mode\":\"atomic\",\"ops\":["
                + "{\"op\":\"CREATE_INSTANCE\",\"params\":{\"instance_id\":\"b-1\",\"machine\":\"order\",\"version\":1}},"
                + "{\"op\":\"APPLY_EVENT\",\"params\":{\"instance_id\":\"b-1\",\"event\":\"PAY\"}}]}");
    assertThat(atomic.get("results")).hasSize(2);
    for (JsonNode item : atomic.get("results")) {
      assertThat(keys(item)).containsExactlyInAnyOrder("status", "result", "error");
      assertThat(item.get("status").asText()).isEqualTo("ok");
      assertThat(item.get("error").isNull()).isTrue();
    }
    assertThat(atomic.at("/results/1/result/to_state").asText()).isEqualTo("paid");

    RcpErrorException failed =
        error(
            client,
            "BATCH",
            "{\"mode\":\"atomic\",\"ops\":["
                + "{\"op\":\"CREATE_INSTANCE\",\"params\":{\"instance_id\":\"b-2\",\"machine\":\"order\",\"version\":1}},"
                + "{\"op\":\"APPLY_EVENT\",\"params\":{\"instance_id\":\"b-2\",\"event\":\"SHIP\"}}]}");
    assertThat(failed.codeName()).isEqualTo("BAD_REQUEST");
    assertThat(code(client, "GET_INSTANCE", "{\"instance_id\":\"b-2\"}"))
        .isEqualTo("INSTANCE_NOT_FOUND");

    JsonNode best =
        call(
            client,
            "BATCH",
            "{\"mode\":\"best_effort\",\"ops\":["
                + "{\"op\":\"DELETE_INSTANCE\",\"params\":{\"instance_id\":\"nope\"}},"
                + "{\"op\":\"PING\",\"params\":{}},"
                + "{\"params\":{}},"
                + "{\"op\":\"DELETE_INSTANCE\",\"params\":{\"instance_id\":\"b-1\"}}]}");
    assertThat(best.at("/results/0/error/code").asText()).isEqualTo("INSTANCE_NOT_FOUND");
    assertThat(best.at("/results/0/result").isNull()).isTrue();
    assertThat(keys(best.at("/results/0/error"))).contains("code", "message", "retryable");
    assertThat(best.at("/results/1/error/code").asText()).isEqualTo("BAD_REQUEST");
    assertThat(best.at("/results/2/error/code").asText()).isEqualTo("BAD_REQUEST");
    assertThat(best.at("/results/3/result/deleted").asBoolean()).isTrue();

    StringBuilder many = new StringBuilder("{\"ops\":[");
    for (int i = 0; i < 101; i++) {
      many.append(i == 0 ? "" : ",")
          .append("{\"op\":\"CREATE_INSTANCE\",\"params\":{\"machine\":\"order\",\"version\":1}}");
    }
    many.append("]}");
    assertThat(error(client, "BATCH", many.toString()).error().message()).contains("101");
    assertThat(call(client, "LIST_INSTANCES", null).get("total").asInt()).isZero();
    assertThat(code(client, "BATCH", "{}")).isEqualTo("BAD_REQUEST");
    // A mode that is not a string is refused, not run as best-effort.
    assertThat(code(client, "BATCH", "{\"mode\":5,\"ops\":[]}")).isEqualTo("BAD_REQUEST");
  }

  @Test
  void walReadStatsAndCompact() {
    putOrder();
    call(client, "CREATE_INSTANCE", "{\"instance_id\":\"w\",\"machine\":\"order\",\"version\":1}");
    call(client, "APPLY_EVENT", "{\"instance_id\":\"w\",\"event\":\"PAY\"}");
    JsonNode read = call(client, "WAL_READ", "{\"from_offset\":0}");
    assertThat(keys(read)).containsExactlyInAnyOrder("records", "next_offset");
    assertThat(read.get("records")).hasSize(3);
    JsonNode first = read.at("/records/0");
    assertThat(keys(first)).containsExactlyInAnyOrder("sequence", "offset", "entry");
    assertThat(first.get("offset").asLong()).isZero();
    assertThat(first.get("sequence").asLong()).isEqualTo(1);
    assertThat(first.at("/entry/type").asText()).isEqualTo("put_machine");
    assertThat(read.get("next_offset").asLong()).isEqualTo(3);
    JsonNode page = call(client, "WAL_READ", "{\"from_offset\":1,\"limit\":1}");
    assertThat(page.at("/records/0/entry/type").asText()).isEqualTo("create_instance");
    assertThat(page.get("next_offset").asLong()).isEqualTo(2);
    JsonNode end = call(client, "WAL_READ", "{\"from_offset\":3}");
    assertThat(end.get("records")).isEmpty();
    assertThat(end.get("next_offset").asLong()).isEqualTo(3);
    assertThat(call(client, "WAL_READ", "{\"from_offset\":0,\"limit\":1000}").get("records"))
        .hasSize(3);
    assertThat(code(client, "WAL_READ", "{\"from_offset\":0,\"limit\":1001}"))
        .isEqualTo("BAD_REQUEST");
    assertThat(code(client, "WAL_READ", "{}")).isEqualTo("BAD_REQUEST");
    assertThat(code(client, "WAL_READ", "{\"from_offset\":-1}")).isEqualTo("BAD_REQUEST");
    assertThat(code(client, "WAL_READ", "{\"from_offset\":18446744073709551616}"))
        .isEqualTo("BAD_REQUEST");
    // Offsets are u64: the largest is past every record, not a type error.
    JsonNode past = call(client, "WAL_READ", "{\"from_offset\":18446744073709551615}");
    assertThat(past.get("records")).isEmpty();
    assertThat(
            code(
                client,
                "APPLY_EVENT",
                "{\"instance_id\":\"w\",\"event\":\"PAY\","
                    + "\"expected_wal_offset\":18446744073709551615}"))
        .isEqualTo("CONFLICT");
    assertThat(
            ItSupport.error(client, "WATCH_ALL", "{\"from_offset\":18446744073709551615}")
                .getMessage())
        .contains("beyond the WAL head");

    JsonNode stats = call(client, "WAL_STATS", null);
    assertThat(keys(stats))
        .containsExactlyInAnyOrder(
            "entry_count", "segment_count", "total_size_bytes", "latest_offset", "io_stats");
    assertThat(keys(stats.get("io_stats")))
        .containsExactlyInAnyOrder("bytes_written", "bytes_read", "writes", "reads", "fsyncs");
    assertThat(stats.get("entry_count").asLong()).isEqualTo(3);
    assertThat(stats.get("latest_offset").asLong()).isEqualTo(2);
    assertThat(stats.get("total_size_bytes").asLong()).isPositive();

    JsonNode compact = call(client, "COMPACT", "{\"force_snapshot\":true}");
    assertThat(keys(compact))
        .containsExactlyInAnyOrder(
            "snapshots_created",
            "segments_deleted",
            "bytes_reclaimed",
            "total_snapshots",
            "wal_segments");
    assertThat(call(client, "COMPACT", null).size()).isEqualTo(5);
    // Refused rather than run without the snapshot asked for.
    assertThat(error(client, "COMPACT", "{\"force_snapshot\":\"yes\"}").error().message())
        .contains("force_snapshot");
  }

  @Test
  void flushAllIsRefusedUnlessEnabled() {
    RcpErrorException e = error(client, "FLUSH_ALL", null);
    assertThat(e.codeName()).isEqualTo("BAD_REQUEST");
    assertThat(e.error().message()).contains("storage.allow_flush_all");
  }

  @Test
  void flushAllWhenEnabled(@TempDir Path other) {
    try (ServerFixture f =
        new ServerFixture(other, c -> c.withStorage(c.storage().withAllowFlushAll(true)))) {
      RcpClient c = f.client();
      call(c, "PUT_MACHINE", "{\"machine\":\"order\",\"version\":1,\"definition\":" + ORDER + "}");
      call(c, "CREATE_INSTANCE", "{\"instance_id\":\"f\",\"machine\":\"order\",\"version\":1}");
      JsonNode flushed = call(c, "FLUSH_ALL", null);
      assertThat(flushed.toString())
          .isEqualTo("{\"flushed\":true,\"instances_removed\":1,\"machines_removed\":1}");
      assertThat(code(c, "GET_INSTANCE", "{\"instance_id\":\"f\"}"))
          .isEqualTo("INSTANCE_NOT_FOUND");
      assertThat(code(c, "GET_MACHINE", "{\"machine\":\"order\",\"version\":1}"))
          .isEqualTo("MACHINE_NOT_FOUND");
    }
  }

  @Test
  void watchOpsAreRoutedToTheWatchHub() {
    putOrder();
    JsonNode sub = call(client, "WATCH_ALL", null);
    assertThat(sub.get("subscription_id").asText()).startsWith("sub-");
    JsonNode removed =
        call(
            client,
            "UNWATCH",
            "{\"subscription_id\":\"" + sub.get("subscription_id").asText() + "\"}");
    assertThat(removed.get("removed").asBoolean()).isTrue();
    assertThat(code(client, "WATCH_INSTANCE", "{\"instance_id\":\"nope\"}"))
        .isEqualTo("INSTANCE_NOT_FOUND");
  }

  @Test
  void stateSurvivesARestart() {
    putOrder();
    call(client, "CREATE_INSTANCE", "{\"instance_id\":\"r\",\"machine\":\"order\",\"version\":1}");
    fixture.close();
    fixture = new ServerFixture(dir);
    client = fixture.client();
    assertThat(call(client, "GET_INSTANCE", "{\"instance_id\":\"r\"}").get("state").asText())
        .isEqualTo("created");
  }
}
